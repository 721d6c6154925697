//! Published objects: `GET|HEAD /pithos/public/<token>` without
//! authentication, with ranges and conditionals and only the public headers
//! (wire §6.13).

use http::Method;

use crate::body::{ResponseBody, StreamedBody};
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

use super::conditional::{Matching, check_matching, check_modified};
use super::format::{Ser, render_fault};
use super::headers::Headers;
use super::object_read::{ObjectState, content_type, data_response, not_modified, object_headers};
use super::store::{ObjectPath, Store};

/// Routes a request whose path is `/pithos/public{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let pithos = &state.pithos;
    pithos
        .bytes_received
        .fetch_add(req.body.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let response = answer(state, req, rest).unwrap_or_else(|fault| render_fault(fault, Ser::Json));
    super::count_sent(pithos, req, &response);
    Ok(response)
}

fn gone() -> Fault {
    Fault::item_not_found("Object does not exist")
}

/// The object behind a token and its state.
fn published(store: &Store, token: &str) -> Result<(ObjectPath, ObjectState), Fault> {
    let path = store.public.get(token).cloned().ok_or_else(gone)?;
    let node = store
        .node(&path.account, &path.container, &path.name)
        .ok_or_else(gone)?;
    if node.public.as_deref() != Some(token) {
        return Err(gone());
    }
    let version = node.current().ok_or_else(gone)?.clone();
    let state = ObjectState {
        name: path.name.clone(),
        size: version.size,
        modified: version.mtime,
        version,
        sharing: None,
        public_url: None,
    };
    Ok((path, state))
}

fn answer(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let token = rest.strip_prefix('/').unwrap_or(rest);
    let token = token.strip_suffix('/').unwrap_or(token);
    if token.is_empty() {
        return Err(Fault::endpoint_not_found());
    }
    if req.method != Method::GET && req.method != Method::HEAD {
        return Err(Fault::not_allowed(&["HEAD", "GET"]));
    }
    let headers = Headers::decode(req)?;
    let pithos = &state.pithos;
    let (mut object, parts) = {
        let store = pithos.read();
        let (path, object) = published(&store, token)?;
        let manifest = object.version.meta.get("X-Object-Manifest");
        let parts = match manifest {
            // The parts are listed as an anonymous user, which the server
            // refuses: published manifests read as missing.
            Some(manifest) => {
                super::object_read::manifest_parts(&store, "", &path.account, manifest)
                    .map_err(|_| gone())
            }
            None => Ok(vec![(object.version.size, object.version.hashmap.clone())]),
        };
        (object, parts)
    };
    if req.method == Method::HEAD {
        if let Ok(parts) = &parts {
            object.size = parts.iter().map(|(size, _)| size).sum();
        }
        let mut response = ApiResponse::with_body(
            200,
            content_type(&object),
            ResponseBody::Streamed(StreamedBody {
                len: Some(object.size),
                segments: Vec::new(),
                source: None,
                sent: None,
            }),
        );
        response.headers = object_headers(&object, true).into_map();
        return Ok(response);
    }
    check_modified(&headers, object.modified)?;
    if check_matching(&headers, Some(&object.version.hash), true)? == Matching::NotModified {
        return Ok(not_modified(&object.version.hash));
    }
    let parts = parts?;
    Ok(data_response(
        pithos,
        &headers,
        req.query_param("disposition-type"),
        &object,
        &parts,
        true,
    ))
}
