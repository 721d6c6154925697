//! The identity service (`…/identity/v2.0`): tokens and the catalog.

use crate::catalog::ServiceCatalog;
use crate::models::{Access, TokenResponse};
use serde_json::json;
use synnefo_core::{Endpoint, Error, Request, Result, Service, Token};

/// A client of the identity service.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::IdentityClient;
/// use synnefo_core::{ClientConfig, HttpClient, Token};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let identity = IdentityClient::new(&http, "https://accounts.example.org/identity", Token::new("t"))?;
/// let access = identity.authenticate(None).await?;
/// println!("{:?}", access.user.map(|u| u.id));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct IdentityClient {
    endpoint: Endpoint,
}

impl Service for IdentityClient {
    const SERVICE_TYPE: &'static str = "identity";
    const DEFAULT_VERSION: &'static str = "2.0";
    fn from_endpoint(endpoint: Endpoint) -> Self {
        IdentityClient { endpoint }
    }
}

impl IdentityClient {
    /// A client for the identity URL (`/v2.0` is appended when the URL has
    /// no version), authenticating with `token`.
    ///
    /// # Errors
    /// [`Error::Config`] for a URL that is not http(s).
    pub fn new(http: &synnefo_core::HttpClient, url: &str, token: Token) -> Result<Self> {
        let url = synnefo_core::normalize_endpoint_url(url, Self::DEFAULT_VERSION);
        Ok(IdentityClient {
            endpoint: http.endpoint(&url, Some(token))?,
        })
    }

    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Authenticates the client's token (kamaki `authenticate`):
    /// `POST tokens` with `{"auth": {"token": {"id": …}}}`, and `tenantName`
    /// when given. Returns the token, the user and the catalog.
    ///
    /// # Errors
    /// [`Error::Http`] with 401 for an unknown, expired or inactive token,
    /// 400 for a tenant that is not the user's; [`Error::InvalidResponse`]
    /// when the answer lacks the user or token.
    pub async fn authenticate(&self, tenant_name: Option<&str>) -> Result<Access> {
        let token = self.token()?;
        let mut auth = json!({"token": {"id": token.expose()}});
        if let Some(tenant) = tenant_name {
            auth["tenantName"] = json!(tenant);
        }
        // Authentication changes nothing on the server: safe to repeat.
        let request = Request::post()
            .segment("tokens")
            .json(&json!({ "auth": auth }))?
            .idempotent(true);
        let response = self.endpoint.send(request).await?;
        let access = response.json::<TokenResponse>()?.access;
        if access.user.is_none() || access.token.is_none() {
            return Err(response.invalid("the answer names no user or token"));
        }
        Ok(access)
    }

    /// The catalog as the cloud shows it to anyone (kamaki
    /// `get_endpoints`): `POST tokens` with no body.
    ///
    /// # Errors
    /// As [`IdentityClient::authenticate`].
    pub async fn public_catalog(&self) -> Result<ServiceCatalog> {
        let request = Request::post().segment("tokens").idempotent(true);
        let response = self.endpoint.send(request).await?;
        Ok(ServiceCatalog::new(
            response.json::<TokenResponse>()?.access.service_catalog,
        ))
    }

    /// Validates a token (kamaki `validate_token`): `GET tokens/<id>`,
    /// optionally checking that it belongs to a path prefix. The token never
    /// appears in logs or errors, although it travels in the path.
    ///
    /// # Errors
    /// [`Error::Http`] with 404 when the token is unknown or expired.
    pub async fn validate_token(&self, token: &Token, belongs_to: Option<&str>) -> Result<Access> {
        let request = Request::get()
            .segment("tokens")
            .segment(token.expose())
            .secret(token)
            .query("belongsTo", belongs_to);
        Ok(self
            .endpoint
            .send_json::<TokenResponse>(request)
            .await?
            .access)
    }

    fn token(&self) -> Result<&Token> {
        self.endpoint
            .token()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::Config("no token to authenticate with".into()))
    }
}
