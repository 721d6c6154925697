//! The Cyclades compute client: a [`ComputeClient`] with Synnefo's
//! extensions.

use std::ops::Deref;
use synnefo_compute::ComputeClient;
use synnefo_core::{Endpoint, Request, Service};

/// A client of a Synnefo cloud's compute API with the Cyclades extensions
/// (kamaki `CycladesComputeClient`): consoles, firewall profiles,
/// diagnostics and statistics, project reassignment, volume attachments,
/// Synnefo's flavor filters, server creation that carries the image's
/// `os`/`users` metadata, and waits on server status.
///
/// It dereferences to [`ComputeClient`], so every plain compute call
/// (`list_servers`, `reboot_server`, `get_server_metadata`…) is available
/// on it too. Where Synnefo differs from OpenStack, the method here takes
/// precedence: [`CycladesClient::start_server`] sends Synnefo's `start`
/// rather than `os-start`, [`CycladesClient::create_server`] reads the
/// image first, [`CycladesClient::list_flavors`] takes Synnefo's filters.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::Cloud;
/// use synnefo_compute::{CreateServer, ServerStatus};
/// use synnefo_core::{ClientConfig, HttpClient, Token, WaitOptions};
/// use synnefo_cyclades::{ConsoleType, CycladesClient};
/// use std::time::Duration;
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let cyclades: CycladesClient = cloud.client()?;
/// let server = cyclades.create_server(&CreateServer::new("web-1", 3, "9e1b-image-uuid")).await?;
/// let options = WaitOptions::with_timeout(Duration::from_secs(300))
///     .on_progress(|p| eprintln!("{} after {:?}", p.status, p.elapsed));
/// let server = cyclades.wait_server_while(server.id, ServerStatus::Build, &options).await?;
/// let console = cyclades.get_server_console(server.id, ConsoleType::Vnc).await?;
/// println!("vnc://{}:{}", console.host.unwrap_or_default(), console.port.unwrap_or_default());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct CycladesClient {
    compute: ComputeClient,
}

impl Service for CycladesClient {
    const SERVICE_TYPE: &'static str = ComputeClient::SERVICE_TYPE;
    const DEFAULT_VERSION: &'static str = ComputeClient::DEFAULT_VERSION;

    fn from_endpoint(endpoint: Endpoint) -> Self {
        CycladesClient::new(endpoint)
    }
}

impl CycladesClient {
    /// A client of the compute API at `endpoint` (e.g.
    /// `https://cyclades.example.org/compute/v2.0`).
    pub fn new(endpoint: Endpoint) -> Self {
        CycladesClient {
            compute: ComputeClient::new(endpoint),
        }
    }

    /// The plain OpenStack compute client underneath.
    pub fn compute(&self) -> &ComputeClient {
        &self.compute
    }
}

impl From<ComputeClient> for CycladesClient {
    fn from(compute: ComputeClient) -> Self {
        CycladesClient { compute }
    }
}

impl Deref for CycladesClient {
    type Target = ComputeClient;

    fn deref(&self) -> &ComputeClient {
        &self.compute
    }
}

/// `/servers/<id>`.
pub(crate) fn server_path(request: Request, server_id: u64) -> Request {
    request.segment("servers").segment(server_id.to_string())
}
