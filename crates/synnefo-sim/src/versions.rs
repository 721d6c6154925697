//! Version documents of the unversioned service roots (wire §0.4).
//!
//! They need no authentication and answer `GET` only (other methods get
//! `405 notAllowed` with `Allow: GET`).

use http::Method;
use serde_json::{Value, json};

use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// Answers `doc` to a `GET`, `405` to anything else.
fn serve(req: &ApiRequest, doc: Value) -> ApiResult {
    if req.method != Method::GET {
        return Err(Fault::not_allowed(&["GET"]));
    }
    Ok(ApiResponse::json(200, &doc))
}

/// `{"id", "status", "links": [self]}` plus extra keys, as Synnefo's
/// `build_version_object` makes it.
fn version_object(root: &str, id: &str, extra: Value) -> Value {
    let mut object = json!({
        "id": id,
        "status": "CURRENT",
        "links": [{"rel": "self", "href": format!("{root}/{id}/")}],
    });
    if let (Some(target), Value::Object(extra)) = (object.as_object_mut(), extra) {
        target.extend(extra);
    }
    object
}

/// Whether `rest` (the path after a service root) names the root itself:
/// empty, `/`, or a format suffix such as `/.json`.
fn is_root(rest: &str, suffixes: &[&str]) -> bool {
    rest.is_empty() || rest == "/" || suffixes.contains(&rest)
}

/// `GET /astakos/identity` — Keystone-shaped list.
pub(crate) fn identity_versions(root: &str) -> Value {
    json!({"versions": {"values": [
        version_object(root, "v2.0", json!({"updated": "2014-04-17T00:00:00Z"}))
    ]}})
}

/// `GET /astakos/identity/v2.0` — details of the only version.
pub(crate) fn identity_version_details(root: &str) -> Value {
    let mut version = version_object(
        root,
        "v2.0",
        json!({
            "updated": "2014-04-17T00:00:00Z",
            "media_types": [{
                "base": "application/json",
                "type": "application/vnd.openstack.identity-v2.0+json",
            }],
        }),
    );
    if let Some(links) = version["links"].as_array_mut() {
        links.push(json!({
            "rel": "describedby",
            "type": "text/html",
            "href": "https://docs.openstack.org/",
        }));
    }
    json!({"version": version})
}

/// Serves the identity version documents; `None` if `rest` is another path.
pub(crate) fn identity(state: &SimState, req: &ApiRequest, rest: &str) -> Option<ApiResult> {
    let root = format!("{}/astakos/identity", state.base_url);
    if is_root(rest, &["/.json"]) {
        Some(serve(req, identity_versions(&root)))
    } else if matches!(rest, "/v2.0" | "/v2.0/" | "/v2.0.json" | "/v2.0/.json") {
        Some(serve(req, identity_version_details(&root)))
    } else {
        None
    }
}

/// `/cyclades/compute`: version list, and `v2.0/` details.
pub(crate) fn compute(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let root = format!("{}/cyclades/compute", state.base_url);
    let updated = json!({"updated": "2011-01-21T11:33:21-06:00"});
    if is_root(rest, &["/.json", "/.xml", "/.atom"]) {
        return serve(
            req,
            json!({"versions": [version_object(&root, "v2.0", updated)]}),
        );
    }
    if matches!(
        rest,
        "/v2.0" | "/v2.0/" | "/v2.0/.json" | "/v2.0/.xml" | "/v2.0/.atom"
    ) {
        let mut version = version_object(
            &root,
            "v2.0",
            json!({
                "updated": "2011-01-21T11:33:21-06:00",
                "media_types": [
                    {"base": "application/xml", "type": "application/vnd.openstack.compute.v2+xml"},
                    {"base": "application/json", "type": "application/vnd.openstack.compute.v2+json"},
                ],
            }),
        );
        if let Some(links) = version["links"].as_array_mut() {
            links.push(json!({
                "rel": "describedby",
                "type": "application/pdf",
                "href": "http://docs.rackspacecloud.com/servers/api/v2/cs-devguide-20110125.pdf",
            }));
            links.push(json!({
                "rel": "describedby",
                "type": "application/vnd.sun.wadl+xml",
                "href": "http://docs.rackspacecloud.com/servers/api/v2/application.wadl",
            }));
        }
        return serve(req, json!({"version": version}));
    }
    Err(Fault::endpoint_not_found())
}

/// `/cyclades/network`: version list.
pub(crate) fn network(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let root = format!("{}/cyclades/network", state.base_url);
    if is_root(rest, &["/.json", "/.xml", "/.atom"]) {
        return serve(
            req,
            json!({"versions": [version_object(&root, "v2.0", json!({}))]}),
        );
    }
    Err(Fault::endpoint_not_found())
}

/// `/cyclades/image` (Plankton): version list (also at `/versions…`).
pub(crate) fn image(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let root = format!("{}/cyclades/image", state.base_url);
    if is_root(rest, &["/.json"]) || rest.starts_with("/versions") {
        let media = json!({"media_types": [{
            "base": "application/json",
            "type": "application/vnd.openstack.compute.v2+json",
        }]});
        return serve(
            req,
            json!({"versions": [
                version_object(&root, "v1.0", media.clone()),
                version_object(&root, "v1", media),
            ]}),
        );
    }
    Err(Fault::endpoint_not_found())
}

/// `/cyclades/volume`: version list.
pub(crate) fn volume(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let root = format!("{}/cyclades/volume", state.base_url);
    if is_root(rest, &["/.json"]) {
        let media = json!([{
            "base": "application/json",
            "type": "application/vnd.openstack.compute.v2+json",
        }]);
        return serve(
            req,
            json!({"versions": [
                version_object(&root, "v2.0", json!({"min_version": "2.0", "version": "2.0", "media_types": media.clone()})),
                version_object(&root, "v2", json!({"min_version": "2", "version": "2", "media_types": media})),
            ]}),
        );
    }
    Err(Fault::endpoint_not_found())
}
