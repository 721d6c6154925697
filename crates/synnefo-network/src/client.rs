//! The network client: endpoint, service registration and sending.

use synnefo_core::{Endpoint, Request, Response, Result, Service};

/// A client of a Synnefo cloud's network API (OpenStack Neutron v2 subset,
/// `…/network/v2.0`; kamaki `NetworkClient` and `CycladesNetworkClient`):
/// networks, subnets, ports, floating IPs.
///
/// Each operation comes in two halves: `<operation>_request` builds the
/// request as data, `<operation>` sends it and decodes the answer.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::Cloud;
/// use synnefo_core::{ClientConfig, HttpClient, Token};
/// use synnefo_network::{CreateNetwork, CreateSubnet, NetworkClient, NetworkType};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let network: NetworkClient = cloud.client()?;
/// let mut create = CreateNetwork::new(NetworkType::MacFiltered);
/// create.name = Some("backend".into());
/// let net = network.create_network(&create).await?;
/// let subnet = network
///     .create_subnet(&CreateSubnet::new(&net.id, "10.0.0.0/24"))
///     .await?;
/// println!("{} has subnet {}", net.id, subnet.cidr.unwrap_or_default());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct NetworkClient {
    endpoint: Endpoint,
}

impl Service for NetworkClient {
    const SERVICE_TYPE: &'static str = "network";
    const DEFAULT_VERSION: &'static str = "2.0";

    fn from_endpoint(endpoint: Endpoint) -> Self {
        NetworkClient::new(endpoint)
    }
}

impl NetworkClient {
    /// A client of the network API at `endpoint` (e.g.
    /// `https://cyclades.example.org/network/v2.0`).
    pub fn new(endpoint: Endpoint) -> Self {
        NetworkClient { endpoint }
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends `request` and returns the raw response: the escape hatch for
    /// calls this crate does not model (and kamaki's raw
    /// `NetworkRestClient` calls, built with
    /// [`NetworkClient::raw_request`]).
    ///
    /// # Errors
    /// As [`Endpoint::send`].
    pub async fn send(&self, request: Request) -> Result<Response> {
        self.endpoint.send(request).await
    }
}
