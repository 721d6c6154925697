//! The Astakos account API beyond user catalogs and feedback (wire §2):
//! resources, quotas, commissions, projects and memberships, over one
//! account state ([`Astakos`]) that Cyclades charges too.

mod commissions;
mod components;
pub(crate) mod holder;
mod memberships;
mod model;
mod projects;
mod quotas;
pub(crate) mod resources;
mod spec;
pub(crate) mod state;

pub(crate) use components::component;
pub use components::{CYCLADES_SERVICE_TOKEN, PITHOS_SERVICE_TOKEN};
pub(crate) use state::Astakos;

use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::ApiResult;
use crate::state::SimState;

/// Routes an account path (after `/v1.0/`, no trailing slash) that is not
/// a user catalog or feedback.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, resource: &str) -> ApiResult {
    let under = |prefix: &str| {
        resource
            .strip_prefix(prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if let Some(rest) = under("projects/memberships") {
        return memberships::handle(state, req, rest);
    }
    if let Some(rest) = under("projects") {
        return projects::handle(state, req, rest);
    }
    if let Some(rest) = under("commissions") {
        return commissions::handle(state, req, rest);
    }
    match resource {
        "resources" => resources::list(req),
        "quotas" => quotas::quotas(state, req),
        "service_quotas" => quotas::service_quotas(state, req),
        "service_project_quotas" => quotas::service_project_quotas(state, req),
        _ => Err(Fault::endpoint_not_found()),
    }
}
