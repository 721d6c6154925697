//! The metadata requests volumes and snapshots share:
//! `/<collection>/<id>/metadata[/<key>]`.

use serde_json::json;
use synnefo_compute::Metadata;
use synnefo_core::{Request, Result};

/// `GET /<collection>/<id>/metadata`.
pub(super) fn get(collection: &str, id: &str) -> Request {
    Request::get()
        .segment(collection)
        .segment(id)
        .segment("metadata")
}

/// `POST` (merge) or, with `replace`, `PUT` `/<collection>/<id>/metadata`
/// with `{"metadata": {…}}`.
pub(super) fn set(
    collection: &str,
    id: &str,
    metadata: &Metadata,
    replace: bool,
) -> Result<Request> {
    let request = if replace {
        Request::put()
    } else {
        Request::post()
    };
    request
        .segment(collection)
        .segment(id)
        .segment("metadata")
        .json(&json!({ "metadata": metadata }))
}

/// `DELETE /<collection>/<id>/metadata/<key>`.
pub(super) fn delete_key(collection: &str, id: &str, key: &str) -> Request {
    Request::delete()
        .segment(collection)
        .segment(id)
        .segment("metadata")
        .segment(key)
}
