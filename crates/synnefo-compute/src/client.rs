//! The compute client: an endpoint, and the plumbing its operations share.

use serde::de::DeserializeOwned;
use synnefo_core::http::StatusCode;
use synnefo_core::{Endpoint, Request, Response, Result, Service};

/// A client of the OpenStack Compute v2 API of a Synnefo cloud
/// (`…/compute/v2.0`): servers and their actions, metadata and addresses,
/// flavors, images through compute, key pairs and floating IPs.
///
/// Every operation has two halves: `<operation>_request` builds the
/// [`Request`] as data, without I/O (so its exact shape can be checked),
/// and `<operation>` sends it and decodes the answer. The client is
/// immutable and cheap to clone.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::Cloud;
/// use synnefo_compute::{ComputeClient, CreateServer, ListServers};
/// use synnefo_core::{ClientConfig, HttpClient, Token};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let compute: ComputeClient = cloud.client()?;
/// for server in compute.list_servers_detail(&ListServers::default()).await? {
///     println!("{} {} {}", server.id, server.name, server.status);
/// }
/// let flavors = compute.list_flavors(&Default::default()).await?;
/// let images = compute.list_images(&Default::default()).await?;
/// if let (Some(flavor), Some(image)) = (flavors.first(), images.first()) {
///     let create = CreateServer::new("web-1", flavor.id, image.id.clone());
///     let created = compute.create_server(&create).await?;
///     println!("password: {:?}", created.admin_pass);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ComputeClient {
    endpoint: Endpoint,
}

impl Service for ComputeClient {
    const SERVICE_TYPE: &'static str = "compute";
    const DEFAULT_VERSION: &'static str = "2.0";

    fn from_endpoint(endpoint: Endpoint) -> Self {
        ComputeClient::new(endpoint)
    }
}

impl ComputeClient {
    /// A client of the compute API at `endpoint` (a URL ending in the API
    /// version, e.g. `https://cyclades.example.org/compute/v2.0`).
    pub fn new(endpoint: Endpoint) -> Self {
        ComputeClient { endpoint }
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

    /// As [`ComputeClient::send_field`], `None` when the server answered
    /// `304 Not Modified`.
    pub(crate) async fn send_field_unless_unchanged<T: DeserializeOwned>(
        &self,
        request: Request,
        key: &str,
    ) -> Result<Option<T>> {
        let response = self.endpoint.send(request).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        response.json_field(key).map(Some)
    }
}

/// `/servers/<id>`.
pub(crate) fn server_path(request: Request, server_id: u64) -> Request {
    request.segment("servers").segment(server_id.to_string())
}

/// Accept `304 Not Modified` besides the 2xx statuses (listings with
/// `changes-since`).
pub(crate) fn allow_not_modified(request: Request, since: Option<&str>) -> Request {
    if since.is_some() {
        request.expect(success_or_not_modified())
    } else {
        request
    }
}

/// Every 2xx status plus 304.
fn success_or_not_modified() -> Vec<StatusCode> {
    (200..=299)
        .chain(std::iter::once(304))
        .filter_map(|code| StatusCode::from_u16(code).ok())
        .collect()
}
