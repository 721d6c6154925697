//! The Pithos+ client: an endpoint plus the account (user UUID) whose
//! containers and objects it addresses.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use synnefo_core::{Endpoint, Request, Service};

/// A client of the Pithos+ object store (`…/object-store/v1`).
///
/// Every path names an account (a user UUID): by default the
/// authenticated user's; [`PithosClient::with_account`] addresses another
/// user's shared containers. The client is immutable and cheap to clone, so
/// concurrent transfers never mix their state (kamaki swapped `account` and
/// `container` on a shared instance).
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::Cloud;
/// use synnefo_core::{ClientConfig, HttpClient, Token};
/// use synnefo_pithos::PithosClient;
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let pithos: PithosClient = cloud.client()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct PithosClient {
    endpoint: Endpoint,
    account: String,
    /// What the server turned out to be, once a response told; shared by
    /// the clones and the other accounts' clients of this one.
    flavor: Arc<KnownFlavor>,
}

/// What kind of server a client talks to, learnt from its responses
/// (0, the default, until one tells).
#[derive(Debug, Default)]
pub(crate) struct KnownFlavor(AtomicU8);

impl KnownFlavor {
    const PITHOS: u8 = 1;
    const SWIFT: u8 = 2;

    /// `Some(true)` for plain Swift, `Some(false)` for Pithos+, `None`
    /// before any response told.
    pub(crate) fn is_swift(&self) -> Option<bool> {
        match self.0.load(Ordering::Relaxed) {
            Self::PITHOS => Some(false),
            Self::SWIFT => Some(true),
            _ => None,
        }
    }

    /// Records what a response told.
    pub(crate) fn learn(&self, swift: bool) {
        let value = if swift { Self::SWIFT } else { Self::PITHOS };
        self.0.store(value, Ordering::Relaxed);
    }
}

impl Service for PithosClient {
    const SERVICE_TYPE: &'static str = "object-store";
    const DEFAULT_VERSION: &'static str = "1";

    /// A client with no account set: call [`PithosClient::with_account`]
    /// before use (or build it through `Cloud::client`, which sets the
    /// authenticated user's).
    fn from_endpoint(endpoint: Endpoint) -> Self {
        PithosClient {
            endpoint,
            account: String::new(),
            flavor: Arc::default(),
        }
    }

    fn for_user(endpoint: Endpoint, user_uuid: &str) -> Self {
        PithosClient::new(endpoint, user_uuid)
    }
}

impl PithosClient {
    /// A client for `account` (a user UUID) at `endpoint`.
    pub fn new(endpoint: Endpoint, account: impl Into<String>) -> Self {
        PithosClient {
            endpoint,
            account: account.into(),
            flavor: Arc::default(),
        }
    }

    /// The same client addressing another account.
    pub fn with_account(&self, account: impl Into<String>) -> Self {
        PithosClient {
            endpoint: self.endpoint.clone(),
            account: account.into(),
            flavor: self.flavor.clone(),
        }
    }

    /// The account (user UUID) this client addresses.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// What the server turned out to be, if a response told already.
    pub(crate) fn known_flavor(&self) -> &KnownFlavor {
        &self.flavor
    }

    /// A request on the account: `/<account>`.
    pub(crate) fn account_request(&self, request: Request) -> Request {
        request.segment(&self.account)
    }

    /// A request on a container: `/<account>/<container>`.
    pub(crate) fn container_request(&self, request: Request, container: &str) -> Request {
        request.segment(&self.account).segment(container)
    }

    /// A request on an object: `/<account>/<container>/<object>`, the object
    /// name kept verbatim with its `/`.
    pub(crate) fn object_request(
        &self,
        request: Request,
        container: &str,
        object: &str,
    ) -> Request {
        request
            .segment(&self.account)
            .segment(container)
            .object_path(object)
    }
}
