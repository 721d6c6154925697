//! The log of every request a simulator received.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::request::ApiRequest;

/// One request as the simulator received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method (`GET`, `POST`…).
    pub method: String,
    /// The raw request-target exactly as received (`path?query`, not decoded).
    pub target: String,
    /// The percent-decoded path (invalid UTF-8 replaced).
    pub path: String,
    /// Decoded query pairs in order; bare keys such as `?update` have `None`.
    pub query: Vec<(String, Option<String>)>,
    /// Request headers (lower-case names) in order, with the value of
    /// `X-Auth-Token` replaced by `***`.
    pub headers: Vec<(String, String)>,
    /// Length of the request body in bytes.
    pub body_len: usize,
    /// The injected fault applied to this request, if any (the
    /// [`crate::FaultAction`] label, e.g. `status 503`).
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn from_request(req: &ApiRequest, fault: Option<String>) -> Self {
        let headers = req
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if name.as_str().eq_ignore_ascii_case("x-auth-token") {
                    "***".to_owned()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), value)
            })
            .collect();
        Self {
            method: req.method.as_str().to_owned(),
            target: req.target.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers,
            body_len: req.body.len(),
            fault,
        }
    }
}

/// Shared, append-only list of recorded requests.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recorder {
    inner: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl Recorder {
    fn lock(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn push(&self, request: RecordedRequest) {
        self.lock().push(request);
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.lock().clone()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}
