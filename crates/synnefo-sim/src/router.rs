//! Dispatch of requests to the service modules by path prefix.
//!
//! Each service is mounted at a path prefix; it receives the rest of the
//! (percent-decoded) path and answers `400 badRequest "API endpoint not
//! found"` for paths it does not know, like every Synnefo service. Paths
//! outside every mount get the same answer. Wrong methods on known paths get
//! `405 notAllowed` with `Allow` from the service itself.

use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;
use crate::{account, compute, identity, image, network, pithos, volume};

/// A service entry point: state, request, path after the mount prefix.
type Handler = fn(&SimState, &ApiRequest, &str) -> ApiResult;

/// Mount points, checked in order (longest prefixes need no special care:
/// no prefix here is a prefix of another one).
const MOUNTS: &[(&str, Handler)] = &[
    ("/astakos/identity", identity::handle),
    ("/astakos/account", account::handle),
    // Cyclades and Pithos reverse-proxy Astakos under `<component>/_astakos`.
    ("/cyclades/_astakos/identity", identity::handle),
    ("/cyclades/_astakos/account", account::handle),
    ("/pithos/_astakos/identity", identity::handle),
    ("/pithos/_astakos/account", account::handle),
    ("/pithos/object-store", pithos::handle),
    ("/pithos/public", pithos::public::handle),
    ("/cyclades/compute", compute::handle),
    ("/cyclades/volume", volume::handle),
    ("/cyclades/network", network::handle),
    ("/cyclades/image", image::handle),
];

/// `path` minus `prefix` if `prefix` is a whole-segment prefix of it.
fn strip_mount<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// Answers one request.
pub(crate) fn dispatch(state: &SimState, req: &ApiRequest) -> ApiResponse {
    let result = MOUNTS
        .iter()
        .find_map(|(prefix, handler)| {
            strip_mount(&req.path, prefix).map(|rest| handler(state, req, rest))
        })
        .unwrap_or_else(|| Err(Fault::endpoint_not_found()));
    result.unwrap_or_else(ApiResponse::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_prefix_is_whole_segments() {
        assert_eq!(
            strip_mount("/astakos/identity/v2.0", "/astakos/identity"),
            Some("/v2.0")
        );
        assert_eq!(
            strip_mount("/astakos/identity", "/astakos/identity"),
            Some("")
        );
        assert_eq!(strip_mount("/astakos/identityx", "/astakos/identity"), None);
    }
}
