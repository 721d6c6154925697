//! Astakos components (Cyclades, Pithos) and their service tokens, for
//! the service-token endpoints (commissions, service quotas, service user
//! catalogs).

use crate::fault_body::Fault;
use crate::request::ApiRequest;

/// The service token of the Cyclades component.
pub const CYCLADES_SERVICE_TOKEN: &str = "cyclades-service-token-Y2xhZGVzLXNlcnZpY2UtdG9r";
/// The service token of the Pithos component.
pub const PITHOS_SERVICE_TOKEN: &str = "pithos-service-token-cGl0aG9zLXNlcnZpY2UtdG9rZW4";

/// The component owning the request's token: `401 unauthorized` when the
/// token is missing or is not a component's.
pub(crate) fn component(req: &ApiRequest) -> Result<&'static str, Fault> {
    match req.auth_token().as_deref() {
        None | Some("") => Err(Fault::unauthorized(
            "Access denied. No authentication token",
        )),
        Some(CYCLADES_SERVICE_TOKEN) => Ok("cyclades"),
        Some(PITHOS_SERVICE_TOKEN) => Ok("pithos"),
        Some(_) => Err(Fault::unauthorized("Invalid X-Auth-Token")),
    }
}
