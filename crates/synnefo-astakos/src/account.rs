//! The account service (`…/account/v1.0`): the client, user catalogs and
//! feedback.

use crate::models::UserCatalogs;
use bytes::Bytes;
use serde_json::json;
use std::collections::BTreeMap;
use synnefo_core::{Body, Endpoint, Request, Result, Service, encode_query_component};

/// A client of the account service: user catalogs and feedback here;
/// resources, quotas, commissions, projects and memberships in their own
/// modules.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::{AccountClient, Cloud};
/// use synnefo_core::{ClientConfig, HttpClient, Token};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
/// let account: AccountClient = cloud.client()?;
/// for (project, resources) in account.get_quotas().await? {
///     for (name, quota) in resources {
///         println!("{project} {name}: {} of {}", quota.usage, quota.limit);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct AccountClient {
    pub(crate) endpoint: Endpoint,
}

impl Service for AccountClient {
    const SERVICE_TYPE: &'static str = "account";
    const DEFAULT_VERSION: &'static str = "1.0";
    fn from_endpoint(endpoint: Endpoint) -> Self {
        AccountClient { endpoint }
    }
}

/// Which user-catalog resource to ask: the user's own, or the service
/// variant that takes a component's token.
#[derive(Clone, Copy)]
enum Catalogs {
    User,
    Service,
}

impl AccountClient {
    /// The endpoint this client talks to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Display names of the given user UUIDs (kamaki `get_usernames`);
    /// unknown UUIDs are absent from the map.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] for a refused token.
    pub async fn usernames<S: AsRef<str>>(&self, uuids: &[S]) -> Result<BTreeMap<String, String>> {
        Ok(self
            .catalogs(Catalogs::User, uuids, &[] as &[&str])
            .await?
            .uuid_catalog)
    }

    /// UUIDs of the given display names (kamaki `get_uuids`); lookup is
    /// case-insensitive and the keys are spelled as asked.
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn uuids<S: AsRef<str>>(&self, names: &[S]) -> Result<BTreeMap<String, String>> {
        Ok(self
            .catalogs(Catalogs::User, &[] as &[&str], names)
            .await?
            .displayname_catalog)
    }

    /// The display name of one UUID, `None` if unknown (kamaki `get_username`).
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn username(&self, uuid: &str) -> Result<Option<String>> {
        Ok(self.usernames(&[uuid]).await?.remove(uuid))
    }

    /// The UUID of one display name, `None` if unknown (kamaki `get_uuid`).
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn uuid(&self, name: &str) -> Result<Option<String>> {
        Ok(self.uuids(&[name]).await?.remove(name))
    }

    /// As [`AccountClient::usernames`], through `service/user_catalogs` with
    /// a service token (kamaki `service_get_usernames`).
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn service_usernames<S: AsRef<str>>(
        &self,
        uuids: &[S],
    ) -> Result<BTreeMap<String, String>> {
        Ok(self
            .catalogs(Catalogs::Service, uuids, &[] as &[&str])
            .await?
            .uuid_catalog)
    }

    /// As [`AccountClient::uuids`], with a service token (kamaki
    /// `service_get_uuids`).
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn service_uuids<S: AsRef<str>>(
        &self,
        names: &[S],
    ) -> Result<BTreeMap<String, String>> {
        Ok(self
            .catalogs(Catalogs::Service, &[] as &[&str], names)
            .await?
            .displayname_catalog)
    }

    /// The display name of one UUID, with a service token, `None` if
    /// unknown (kamaki `service_get_username`).
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn service_username(&self, uuid: &str) -> Result<Option<String>> {
        Ok(self.service_usernames(&[uuid]).await?.remove(uuid))
    }

    /// The UUID of one display name, with a service token, `None` if
    /// unknown (kamaki `service_get_uuid`).
    ///
    /// # Errors
    /// As [`AccountClient::usernames`].
    pub async fn service_uuid(&self, name: &str) -> Result<Option<String>> {
        Ok(self.service_uuids(&[name]).await?.remove(name))
    }

    async fn catalogs<U: AsRef<str>, N: AsRef<str>>(
        &self,
        which: Catalogs,
        uuids: &[U],
        names: &[N],
    ) -> Result<UserCatalogs> {
        let uuids: Vec<&str> = uuids.iter().map(AsRef::as_ref).collect();
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        let mut body = serde_json::Map::new();
        if !uuids.is_empty() {
            body.insert("uuids".into(), json!(uuids));
        }
        if !names.is_empty() {
            body.insert("displaynames".into(), json!(names));
        }
        let mut request = Request::post();
        if let Catalogs::Service = which {
            request = request.segment("service");
        }
        let request = request
            .segment("user_catalogs")
            .json(&body)?
            .idempotent(true);
        self.endpoint.send_json(request).await
    }

    /// Sends feedback to the cloud's operators (kamaki `send_feedback`), as
    /// the form fields `feedback_msg` and `feedback_data`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] with 400 when the message is empty,
    /// 502 when the cloud could not deliver it.
    pub async fn send_feedback(&self, message: &str, data: Option<&str>) -> Result<()> {
        let mut form = format!("feedback_msg={}", encode_query_component(message));
        if let Some(data) = data {
            form.push_str("&feedback_data=");
            form.push_str(&encode_query_component(data));
        }
        let request = Request::post()
            .segment("feedback")
            .header("Content-Type", "application/x-www-form-urlencoded")?
            .body(Body::Bytes(Bytes::from(form)));
        self.endpoint.send(request).await.map(drop)
    }
}
