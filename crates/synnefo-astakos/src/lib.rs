//! Astakos identity for Synnefo clouds.
//!
//! - [`IdentityClient`]: authenticate a token, read the public catalog,
//!   validate tokens.
//! - [`AccountClient`]: translate user UUIDs and display names, send
//!   feedback; resources and quotas ([`AccountClient::get_quotas`]),
//!   commissions (service token), projects with their applications, and
//!   memberships.
//! - [`ServiceCatalog`]: endpoint lookup by type and version, with kamaki's
//!   exactly-one rule.
//! - [`Cloud`]: authenticate once, keep the catalog, hand out a ready client
//!   of any service crate through [`synnefo_core::Service`].
//!
//! ```no_run
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_astakos::Cloud;
//! use synnefo_core::{ClientConfig, HttpClient, Token};
//!
//! let http = HttpClient::new(ClientConfig::default())?;
//! let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
//! for service in cloud.catalog().services() {
//!     println!("{} {}", service.service_type, service.name);
//! }
//! let names = cloud.uuids_to_names(&[cloud.user().id.as_str()]).await?;
//! # Ok(()) }
//! ```

mod account;
mod catalog;
mod cloud;
mod commissions;
mod identity;
mod memberships;
mod models;
mod projects;
mod quotas;
mod resources;
#[cfg(test)]
mod testing;
mod users;

pub use account::AccountClient;
pub use catalog::ServiceCatalog;
pub use cloud::Cloud;
pub use commissions::{Commission, CommissionAction, CommissionRequest, Provision, Resolution};
pub use identity::IdentityClient;
pub use memberships::{Membership, MembershipAction};
pub use models::{
    Access, CatalogEndpoint, CatalogService, Role, Tenant, TokenInfo, TokenResponse, User,
};
pub use projects::{
    Application, ApplicationAction, ApplicationReceipt, Project, ProjectAction, ProjectFilter,
    ProjectSpec, ResourceGrant,
};
pub use quotas::{ProjectQuota, Quota, Quotas};
pub use resources::ResourceInfo;
pub use users::CloudUsers;
