//! The identity service's answers as types.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use synnefo_core::Token;

/// The body of `POST tokens`: `{"access": …}`.
#[derive(Clone, Debug, Deserialize)]
pub struct TokenResponse {
    /// The authentication result.
    pub access: Access,
}

/// An authentication result: the token, the user, and the service catalog.
/// In public mode (no credentials sent) only the catalog is present.
#[derive(Clone, Debug, Deserialize)]
pub struct Access {
    /// The token as the server confirmed it (absent in public mode).
    #[serde(default)]
    pub token: Option<TokenInfo>,
    /// The authenticated user (absent in public mode).
    #[serde(default)]
    pub user: Option<User>,
    /// The services the cloud offers (absent from token validation).
    #[serde(rename = "serviceCatalog", default)]
    pub service_catalog: Vec<CatalogService>,
}

/// The token part of an authentication result.
#[derive(Clone, Debug, Deserialize)]
pub struct TokenInfo {
    /// The token itself (a secret: it never prints).
    pub id: Token,
    /// When it expires (ISO 8601).
    #[serde(default)]
    pub expires: Option<String>,
    /// The user's default project.
    #[serde(default)]
    pub tenant: Option<Tenant>,
}

/// A project as the token names it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Tenant {
    /// The project UUID (initially the user's system project, whose UUID is
    /// the user's).
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
}

/// An authenticated user.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct User {
    /// The user's UUID.
    pub id: String,
    /// The user's real name.
    #[serde(default)]
    pub name: Option<String>,
    /// The user's groups.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Links to role documents (always empty in practice).
    #[serde(default)]
    pub roles_links: Vec<Value>,
    /// The projects the user is an accepted member of.
    #[serde(default)]
    pub projects: Vec<String>,
}

/// A group the user belongs to.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Role {
    /// The group id.
    pub id: String,
    /// The group name.
    pub name: String,
}

/// One service of the catalog.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct CatalogService {
    /// The service name, e.g. `cyclades_compute`.
    pub name: String,
    /// The service type, e.g. `compute`.
    #[serde(rename = "type")]
    pub service_type: String,
    /// Its endpoints, one per API version.
    #[serde(default)]
    pub endpoints: Vec<CatalogEndpoint>,
}

/// One endpoint of a catalog service.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct CatalogEndpoint {
    /// The API version, e.g. `v2.0` (may be empty).
    #[serde(rename = "versionId", default)]
    pub version_id: String,
    /// The URL clients use.
    #[serde(rename = "publicURL")]
    pub public_url: String,
    /// The region, when the cloud names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The web UI of the component.
    #[serde(rename = "SNF:uiURL", default, skip_serializing_if = "Option::is_none")]
    pub ui_url: Option<String>,
    /// Any other keys the cloud stores with the endpoint.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The answer of `POST user_catalogs`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct UserCatalogs {
    #[serde(default)]
    pub(crate) uuid_catalog: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) displayname_catalog: BTreeMap<String, String>,
}
