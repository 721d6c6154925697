//! Requests as data: what to send, built without any I/O.
//!
//! A service crate describes each operation as a [`Request`] (method, path,
//! query, headers, body, accepted statuses, idempotency); an
//! [`Endpoint`](crate::Endpoint) executes it. So the exact shape of every
//! request is unit-testable without a server, and executing, retrying and
//! decoding live in one place.
//!
//! ```
//! use synnefo_core::Request;
//! use http::StatusCode;
//!
//! let request = Request::put()
//!     .segment("my container")
//!     .object_path("photos/a b.jpg")
//!     .flag("hashmap")
//!     .query("format", Some("json"))
//!     .query("until", None::<String>)
//!     .expect([StatusCode::CREATED, StatusCode::CONFLICT]);
//! assert_eq!(
//!     request.path_and_query(),
//!     "/my%20container/photos/a%20b.jpg?hashmap&format=json"
//! );
//! ```

use crate::encode::{encode_object_path, encode_query_component, encode_segment};
use crate::error::{Error, Result};
use crate::secret::Token;
use crate::transport::RequestBody;
use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use std::fmt;
use std::sync::{Arc, Mutex};

/// The statuses an operation accepts as success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Any 2xx status.
    Success,
    /// Exactly these statuses (which may include non-2xx ones the caller
    /// handles itself, such as Pithos' 409 listing missing blocks).
    Statuses(Vec<StatusCode>),
}

impl Expect {
    /// Whether `status` is accepted.
    pub fn accepts(&self, status: StatusCode) -> bool {
        match self {
            Expect::Success => status.is_success(),
            Expect::Statuses(list) => list.contains(&status),
        }
    }
}

/// A request body.
#[derive(Clone, Default)]
pub enum Body {
    /// No body. `POST`, `PUT`, `COPY` and `MOVE` still send
    /// `Content-Length: 0`, which strict proxies require.
    #[default]
    Empty,
    /// A body in memory; it can be re-sent on retry at no cost.
    Bytes(Bytes),
    /// A streamed body. It can be sent once: a request with a stream body is
    /// not retried after the stream has been handed to the transport.
    Stream(StreamBody),
}

impl Body {
    /// The body length, when known in advance.
    pub fn len(&self) -> Option<u64> {
        match self {
            Body::Empty => Some(0),
            Body::Bytes(b) => Some(b.len() as u64),
            Body::Stream(s) => s.length,
        }
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Body::Stream(s) => write!(f, "Stream(length: {:?})", s.length),
        }
    }
}

/// A streamed request body, taken by the first attempt that sends it.
#[derive(Clone)]
pub struct StreamBody {
    body: Arc<Mutex<Option<RequestBody>>>,
    length: Option<u64>,
}

impl StreamBody {
    /// Wraps a body stream; `length` becomes the `Content-Length` when given
    /// (otherwise the body goes out chunked).
    pub fn new(body: RequestBody, length: Option<u64>) -> Self {
        StreamBody {
            body: Arc::new(Mutex::new(Some(body))),
            length,
        }
    }

    /// The declared length, if any.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// Takes the stream; `None` once an attempt has taken it.
    pub(crate) fn take(&self) -> Option<RequestBody> {
        self.body.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// One HTTP request, as data.
#[derive(Clone, Debug)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, Option<String>)>,
    headers: HeaderMap,
    body: Body,
    expect: Expect,
    idempotent: bool,
    secrets: Vec<Token>,
}

impl Request {
    /// A request with the given method, an empty path (the endpoint's base
    /// URL itself), accepting any 2xx. Idempotency follows the method:
    /// `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` are idempotent.
    pub fn new(method: Method) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        Request {
            method,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            expect: Expect::Success,
            idempotent,
            secrets: Vec::new(),
        }
    }

    /// A `GET` request.
    pub fn get() -> Self {
        Self::new(Method::GET)
    }
    /// A `HEAD` request.
    pub fn head() -> Self {
        Self::new(Method::HEAD)
    }
    /// A `POST` request.
    pub fn post() -> Self {
        Self::new(Method::POST)
    }
    /// A `PUT` request.
    pub fn put() -> Self {
        Self::new(Method::PUT)
    }
    /// A `DELETE` request.
    pub fn delete() -> Self {
        Self::new(Method::DELETE)
    }
    /// A Pithos `COPY` request.
    pub fn copy() -> Self {
        Self::new(Method::from_bytes(b"COPY").unwrap_or(Method::POST))
    }
    /// A Pithos `MOVE` request.
    pub fn r#move() -> Self {
        Self::new(Method::from_bytes(b"MOVE").unwrap_or(Method::POST))
    }

    /// Appends one path segment, escaping every reserved character,
    /// including `/`.
    pub fn segment(mut self, segment: impl AsRef<str>) -> Self {
        self.path.push('/');
        self.path.push_str(&encode_segment(segment.as_ref()));
        self
    }

    /// Appends several path segments, each escaped as by [`Request::segment`].
    pub fn segments<I, S>(mut self, segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for segment in segments {
            self = self.segment(segment);
        }
        self
    }

    /// Appends a path whose `/` are separators (a Pithos object name); the
    /// name is kept verbatim, `//` and a trailing `/` included.
    pub fn object_path(mut self, path: impl AsRef<str>) -> Self {
        self.path.push('/');
        self.path.push_str(&encode_object_path(path.as_ref()));
        self
    }

    /// Adds a query pair; `None` drops it, so optional parameters can be
    /// passed straight through.
    pub fn query<V: ToString>(mut self, key: &str, value: Option<V>) -> Self {
        if let Some(value) = value {
            self.query.push((key.to_owned(), Some(value.to_string())));
        }
        self
    }

    /// Adds a bare query key such as `?hashmap` or `?update`.
    pub fn flag(mut self, key: &str) -> Self {
        self.query.push((key.to_owned(), None));
        self
    }

    /// Adds a bare query key when `on` is true.
    pub fn flag_if(self, key: &str, on: bool) -> Self {
        if on { self.flag(key) } else { self }
    }

    /// Sets a header.
    ///
    /// # Errors
    /// [`Error::Config`] when the name or value is not valid in HTTP (a
    /// control character, a non-visible byte in the name).
    pub fn header(mut self, name: &str, value: impl AsRef<str>) -> Result<Self> {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
        let header_value = HeaderValue::from_str(value.as_ref()).map_err(|_| {
            Error::Config(format!(
                "invalid value for header {name}: it contains characters HTTP does not allow"
            ))
        })?;
        self.headers.append(header_name, header_value);
        Ok(self)
    }

    /// Sets a header when `value` is `Some`.
    ///
    /// # Errors
    /// As [`Request::header`].
    pub fn header_opt(self, name: &str, value: Option<impl AsRef<str>>) -> Result<Self> {
        match value {
            Some(value) => self.header(name, value),
            None => Ok(self),
        }
    }

    /// Sets a header from typed parts, which cannot fail.
    pub fn typed_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Sets a JSON body and `Content-Type: application/json` (unless a
    /// content type was set already).
    ///
    /// # Errors
    /// [`Error::Config`] when the value cannot be serialised.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Config(format!("cannot serialise the request body: {e}")))?;
        if !self.headers.contains_key(http::header::CONTENT_TYPE) {
            self.headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        self.body = Body::Bytes(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets the accepted statuses (replacing the default "any 2xx").
    pub fn expect(mut self, statuses: impl IntoIterator<Item = StatusCode>) -> Self {
        self.expect = Expect::Statuses(statuses.into_iter().collect());
        self
    }

    /// Overrides idempotency: mark a `POST` that is safe to repeat (a Pithos
    /// block upload) as idempotent, or a `PUT` that is not as such.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Registers a secret that appears in this request (a token in the
    /// path, as in token validation), so logs, error URLs and excerpts show
    /// a placeholder instead. The endpoint's own token is always redacted.
    pub fn secret(mut self, secret: &Token) -> Self {
        self.secrets.push(secret.clone());
        self
    }

    /// The secrets registered with [`Request::secret`].
    pub fn secrets(&self) -> &[Token] {
        &self.secrets
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }
    /// The encoded path (relative to the endpoint's base URL).
    pub fn path(&self) -> &str {
        &self.path
    }
    /// The query pairs, unencoded; `None` values are bare keys.
    pub fn query_pairs(&self) -> &[(String, Option<String>)] {
        &self.query
    }
    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The body.
    pub fn body_ref(&self) -> &Body {
        &self.body
    }
    /// The accepted statuses.
    pub fn expected(&self) -> &Expect {
        &self.expect
    }
    /// Whether the request may be sent again after it reached the server.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The encoded query string without the leading `?` (empty if none).
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (key, value) in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&encode_query_component(key));
            if let Some(value) = value {
                out.push('=');
                out.push_str(&encode_query_component(value));
            }
        }
        out
    }

    /// The encoded path and query, as they go on the request line after the
    /// endpoint's base path.
    pub fn path_and_query(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_flags_and_dropped_none() {
        let request = Request::get()
            .segment("c")
            .flag("shared")
            .query("limit", Some(10))
            .query("marker", None::<&str>)
            .flag_if("public", false);
        assert_eq!(request.path_and_query(), "/c?shared&limit=10");
    }

    #[test]
    fn idempotency_follows_method_and_can_be_overridden() {
        assert!(Request::get().is_idempotent());
        assert!(Request::put().is_idempotent());
        assert!(!Request::post().is_idempotent());
        assert!(Request::post().idempotent(true).is_idempotent());
        assert!(!Request::copy().is_idempotent());
        assert_eq!(Request::copy().method().as_str(), "COPY");
        assert_eq!(Request::r#move().method().as_str(), "MOVE");
    }

    #[test]
    fn bad_header_is_a_config_error() {
        let err = Request::get()
            .header("X-Object-Meta-a", "line\nbreak")
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        let err = Request::get().header("bad name", "v").unwrap_err();
        assert!(err.to_string().contains("invalid header name"));
    }

    #[test]
    fn json_body_sets_content_type_once() {
        let request = Request::post()
            .header("Content-Type", "text/plain")
            .unwrap()
            .json(&serde_json::json!({"a": 1}))
            .unwrap();
        assert_eq!(request.headers()["content-type"], "text/plain");
        assert_eq!(request.body_ref().len(), Some(7));
    }
}
