//! The block storage client.

use crate::decode;
use synnefo_compute::Metadata;
use synnefo_core::{Endpoint, Request, Response, Result, Service};

/// A client of a Synnefo cloud's block storage API (Cinder v2 subset,
/// `…/volume/v2.0`; kamaki `CycladesBlockStorageClient`): volumes, their
/// metadata and project, snapshots, volume types, and waits on volume
/// status.
///
/// As with the other clients, `<operation>_request` builds the request as
/// data and `<operation>` sends it.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::Cloud;
/// use synnefo_core::{ClientConfig, HttpClient, Token, WaitOptions};
/// use synnefo_cyclades::{BlockStorageClient, CreateVolume};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let volumes: BlockStorageClient = cloud.client()?;
/// let mut create = CreateVolume::new(10, "data");
/// create.server_id = Some(42);
/// let volume = volumes.create_volume(&create).await?;
/// let volume = volumes
///     .wait_volume_while(&volume.id, "creating", &WaitOptions::default())
///     .await?;
/// println!("{} is {}", volume.id, volume.status.unwrap_or_default());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct BlockStorageClient {
    endpoint: Endpoint,
}

impl Service for BlockStorageClient {
    const SERVICE_TYPE: &'static str = "volume";
    const DEFAULT_VERSION: &'static str = "2.0";

    fn from_endpoint(endpoint: Endpoint) -> Self {
        BlockStorageClient::new(endpoint)
    }
}

impl BlockStorageClient {
    /// A client of the block storage API at `endpoint` (e.g.
    /// `https://cyclades.example.org/volume/v2.0`).
    pub fn new(endpoint: Endpoint) -> Self {
        BlockStorageClient { endpoint }
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

    /// Sends `request` and decodes the `metadata` of the answer.
    pub(crate) async fn send_metadata(&self, request: Request) -> Result<Metadata> {
        let response = self.endpoint.send(request).await?;
        decode::metadata_field(&response, "metadata")
    }
}
