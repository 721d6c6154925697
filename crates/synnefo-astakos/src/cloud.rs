//! `Cloud`: one authenticated session that hands out service clients.

use crate::account::AccountClient;
use crate::catalog::ServiceCatalog;
use crate::identity::IdentityClient;
use crate::models::{Access, TokenInfo, User};
use std::collections::BTreeMap;
use std::sync::Mutex;
use synnefo_core::{Error, HttpClient, Result, Service, Token, normalize_endpoint_url};

/// An authenticated session with a Synnefo cloud.
///
/// [`Cloud::connect`] authenticates once and keeps the user and the service
/// catalog; [`Cloud::client`] then builds any service client from the
/// catalog without another request. User-name lookups are cached.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::{AccountClient, Cloud};
/// use synnefo_core::{ClientConfig, HttpClient, Token};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// println!("logged in as {}", cloud.user().id);
/// let account: AccountClient = cloud.client()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Cloud {
    http: HttpClient,
    identity: IdentityClient,
    token: Token,
    user: User,
    token_info: TokenInfo,
    catalog: ServiceCatalog,
    names: Mutex<NameCache>,
}

/// uuid ⇄ name lookups already answered.
#[derive(Debug, Default)]
struct NameCache {
    by_uuid: BTreeMap<String, String>,
    by_name: BTreeMap<String, String>,
}

impl Cloud {
    /// Authenticates `token` at the identity URL (`/v2.0` appended when the
    /// URL has no version) and keeps the result.
    ///
    /// # Errors
    /// As [`IdentityClient::authenticate`].
    pub async fn connect(http: HttpClient, identity_url: &str, token: Token) -> Result<Cloud> {
        let identity = IdentityClient::new(&http, identity_url, token.clone())?;
        let access = identity.authenticate(None).await?;
        Self::from_access(http, identity, token, access)
    }

    fn from_access(
        http: HttpClient,
        identity: IdentityClient,
        token: Token,
        access: Access,
    ) -> Result<Cloud> {
        let (Some(user), Some(token_info)) = (access.user, access.token) else {
            return Err(Error::Config(
                "the identity service answered without a user or token".into(),
            ));
        };
        Ok(Cloud {
            http,
            identity,
            token,
            user,
            token_info,
            catalog: ServiceCatalog::new(access.service_catalog),
            names: Mutex::new(NameCache::default()),
        })
    }

    /// The authenticated user.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// The token as the cloud confirmed it (expiry, default project).
    pub fn token_info(&self) -> &TokenInfo {
        &self.token_info
    }

    /// The token this session sends.
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// The service catalog.
    pub fn catalog(&self) -> &ServiceCatalog {
        &self.catalog
    }

    /// The shared HTTP client.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The identity client this session authenticated with.
    pub fn identity(&self) -> &IdentityClient {
        &self.identity
    }

    /// The URL of a service type (optionally of one version), normalised
    /// with the given default version as kamaki does.
    ///
    /// # Errors
    /// [`Error::Catalog`] when the catalog has no single such endpoint.
    pub fn endpoint_url(
        &self,
        service_type: &str,
        version: Option<&str>,
        default_version: &str,
    ) -> Result<String> {
        let url = self.catalog.endpoint_url(service_type, version)?;
        Ok(normalize_endpoint_url(url, default_version))
    }

    /// A ready client of service `S`, at the catalog's endpoint of
    /// `S::SERVICE_TYPE`, sending this session's token.
    ///
    /// # Errors
    /// [`Error::Catalog`] when the catalog has no single such endpoint.
    pub fn client<S: Service>(&self) -> Result<S> {
        let url = self.endpoint_url(S::SERVICE_TYPE, None, S::DEFAULT_VERSION)?;
        self.client_at(&url)
    }

    /// A client of service `S` at an explicit URL (kamaki's
    /// `<service>_url` override), sending this session's token.
    ///
    /// # Errors
    /// [`Error::Config`] for a URL that is not http(s).
    pub fn client_at<S: Service>(&self, url: &str) -> Result<S> {
        let url = normalize_endpoint_url(url, S::DEFAULT_VERSION);
        let endpoint = self.http.endpoint(&url, Some(self.token.clone()))?;
        Ok(S::for_user(endpoint, &self.user.id))
    }

    /// Display names of the given UUIDs, asking the cloud only for those not
    /// seen before; unknown UUIDs are absent from the map.
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn uuids_to_names<S: AsRef<str>>(
        &self,
        uuids: &[S],
    ) -> Result<BTreeMap<String, String>> {
        let missing: Vec<&str> = {
            let cache = self.cache();
            uuids
                .iter()
                .map(AsRef::as_ref)
                .filter(|u| !cache.by_uuid.contains_key(*u))
                .collect()
        };
        if !missing.is_empty() {
            let found = self.client::<AccountClient>()?.usernames(&missing).await?;
            let mut cache = self.cache();
            for (uuid, name) in found {
                cache.by_name.insert(name.clone(), uuid.clone());
                cache.by_uuid.insert(uuid, name);
            }
        }
        let cache = self.cache();
        Ok(uuids
            .iter()
            .filter_map(|u| {
                let uuid = u.as_ref();
                cache
                    .by_uuid
                    .get(uuid)
                    .map(|n| (uuid.to_owned(), n.clone()))
            })
            .collect())
    }

    /// UUIDs of the given display names, cached as
    /// [`Cloud::uuids_to_names`]; unknown names are absent from the map.
    ///
    /// # Errors
    /// As [`AccountClient::uuids`].
    pub async fn names_to_uuids<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<BTreeMap<String, String>> {
        let missing: Vec<&str> = {
            let cache = self.cache();
            names
                .iter()
                .map(AsRef::as_ref)
                .filter(|n| !cache.by_name.contains_key(*n))
                .collect()
        };
        if !missing.is_empty() {
            let found = self.client::<AccountClient>()?.uuids(&missing).await?;
            let mut cache = self.cache();
            for (name, uuid) in found {
                cache.by_uuid.insert(uuid.clone(), name.clone());
                cache.by_name.insert(name, uuid);
            }
        }
        let cache = self.cache();
        Ok(names
            .iter()
            .filter_map(|n| {
                let name = n.as_ref();
                cache
                    .by_name
                    .get(name)
                    .map(|u| (name.to_owned(), u.clone()))
            })
            .collect())
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, NameCache> {
        // A panic while holding the lock cannot leave the maps half-updated
        // in a harmful way: keep using them.
        self.names
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
