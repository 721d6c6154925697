//! The image client: an endpoint, and the plumbing its operations share.

use serde::de::DeserializeOwned;
use serde_json::Value;
use synnefo_core::{Endpoint, Request, Response, Result, Service};

/// A client of a Synnefo cloud's image registry (Plankton, a Glance v1
/// subset, `…/image/v1.0`; kamaki `ImageClient`): list, register from a
/// Pithos file, read and change metadata, unregister, share with members.
///
/// Every operation has two halves: `<operation>_request` builds the
/// [`Request`] as data, without I/O, and `<operation>` sends it and
/// decodes the answer. The client is immutable and cheap to clone.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::Cloud;
/// use synnefo_core::{ClientConfig, HttpClient, Token};
/// use synnefo_image::{ImageClient, ImageLocation, ListImages, RegisterImage};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let images: ImageClient = cloud.client()?;
/// let location = ImageLocation::new("my-uuid", "images", "debian.diskdump");
/// let mut register = RegisterImage::new("Debian", location);
/// register.properties.insert("osfamily".into(), "linux".into());
/// let image = images.register(&register).await?;
/// println!("registered {} ({} bytes)", image.id, image.size.unwrap_or(0));
/// for image in images.list_public(true, &ListImages::default().order("-name")).await? {
///     println!("{} {}", image.id, image.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ImageClient {
    endpoint: Endpoint,
}

impl Service for ImageClient {
    const SERVICE_TYPE: &'static str = "image";
    const DEFAULT_VERSION: &'static str = "1.0";

    fn from_endpoint(endpoint: Endpoint) -> Self {
        ImageClient::new(endpoint)
    }
}

impl ImageClient {
    /// A client of the image API at `endpoint` (a URL ending in the API
    /// version, e.g. `https://cyclades.example.org/image/v1.0`).
    pub fn new(endpoint: Endpoint) -> Self {
        ImageClient { endpoint }
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends `request` and returns the raw response: the escape hatch for
    /// calls this crate does not model.
    ///
    /// # Errors
    /// As [`Endpoint::send`].
    pub async fn send(&self, request: Request) -> Result<Response> {
        self.endpoint.send(request).await
    }

    /// Sends `request` and decodes a list that comes bare (`[...]`, what
    /// Plankton sends) or under `key` (`{"images": [...]}`, what some
    /// documents show).
    pub(crate) async fn send_list<T: DeserializeOwned>(
        &self,
        request: Request,
        key: &str,
    ) -> Result<Vec<T>> {
        let response = self.endpoint.send(request).await?;
        let value: Value = response.json()?;
        let list = match value {
            Value::Array(_) => value,
            Value::Object(mut object) => object.remove(key).ok_or_else(|| {
                response.invalid(format!("expected a JSON list or an object holding {key:?}"))
            })?,
            _ => return Err(response.invalid("expected a JSON list")),
        };
        serde_json::from_value(list).map_err(|e| {
            response.invalid(format!(
                "the list is not a valid list of {}: {e}",
                std::any::type_name::<T>()
            ))
        })
    }
}
