//! Responses: buffered ones with typed accessors, and streamed ones.

use crate::error::{Error, Result, TransportError, TransportErrorKind};
use crate::redact::excerpt;
use crate::secret::Token;
use crate::transport::{ResponseBody, classify_body_error};
use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, Method, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use std::str::FromStr;
use std::time::Duration;

/// What a request was, kept with its response for error context.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub(crate) method: Method,
    pub(crate) url: String,
    /// The secrets to keep out of excerpts (the token, the request's own).
    pub(crate) secrets: Vec<Token>,
}

/// A response whose body has been read whole.
#[derive(Debug)]
pub struct Response {
    origin: Origin,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub(crate) fn new(origin: Origin, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Response {
            origin,
            status,
            headers,
            body,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body, consuming the response.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The request URL, with secrets removed.
    pub fn url(&self) -> &str {
        &self.origin.url
    }

    /// A header's value as text; `None` when absent or not valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A header that must be present.
    ///
    /// # Errors
    /// [`Error::InvalidResponse`] naming the header when it is missing.
    pub fn required_header(&self, name: &str) -> Result<&str> {
        self.header(name)
            .ok_or_else(|| self.invalid(format!("the {name} header is missing")))
    }

    /// A header parsed as `T`; `Ok(None)` when absent.
    ///
    /// # Errors
    /// [`Error::InvalidResponse`] when present but not a valid `T`.
    pub fn header_parsed<T: FromStr>(&self, name: &str) -> Result<Option<T>> {
        match self.header(name) {
            None => Ok(None),
            Some(text) => text.trim().parse().map(Some).map_err(|_| {
                self.invalid(format!(
                    "the {name} header {text:?} is not a valid {}",
                    std::any::type_name::<T>()
                ))
            }),
        }
    }

    /// The body decoded from JSON.
    ///
    /// # Errors
    /// [`Error::InvalidResponse`] naming the expected type, the parse error
    /// and the start of the body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            self.invalid(format!(
                "expected JSON for {}: {e}",
                std::any::type_name::<T>()
            ))
        })
    }

    /// The member `key` of a JSON object body, decoded as `T`: the one-key
    /// envelopes OpenStack APIs wrap their answers in (`{"server": {…}}`).
    ///
    /// # Errors
    /// [`Error::InvalidResponse`] saying what is wrong: the body is not a
    /// JSON object, lacks `key`, or holds something that is not a `T` there.
    pub fn json_field<T: DeserializeOwned>(&self, key: &str) -> Result<T> {
        crate::lenient::take_field(&self.body, key).map_err(|problem| self.invalid(problem))
    }

    /// The body as UTF-8 text.
    ///
    /// # Errors
    /// [`Error::InvalidResponse`] when the body is not UTF-8.
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.body)
            .map_err(|e| self.invalid(format!("the body is not UTF-8: {e}")))
    }

    /// An [`Error::InvalidResponse`] about this response.
    pub fn invalid(&self, problem: impl Into<String>) -> Error {
        Error::invalid_response(
            &self.origin.method,
            &self.origin.url,
            problem,
            excerpt(&self.body, &self.origin.secrets),
        )
    }
}

/// A response whose body is still streaming.
#[derive(Debug)]
pub struct StreamingResponse {
    origin: Origin,
    status: StatusCode,
    headers: HeaderMap,
    body: ResponseBody,
    read_timeout: Duration,
}

impl StreamingResponse {
    pub(crate) fn new(
        origin: Origin,
        status: StatusCode,
        headers: HeaderMap,
        body: ResponseBody,
        read_timeout: Duration,
    ) -> Self {
        StreamingResponse {
            origin,
            status,
            headers,
            body,
            read_timeout,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// An [`Error::InvalidResponse`] for this response, with `problem`
    /// saying what was wrong. The body is not read: the excerpt is empty.
    pub fn invalid(&self, problem: impl Into<String>) -> Error {
        Error::invalid_response(
            &self.origin.method,
            &self.origin.url,
            problem,
            String::new(),
        )
    }

    /// The body as a stream of chunks. A silence longer than the client's
    /// read timeout ends it with a timeout error; a cut connection with an
    /// interrupted one (so a partial body is never taken for a whole one).
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
        let StreamingResponse {
            origin,
            body,
            read_timeout,
            ..
        } = self;
        futures_util::stream::unfold(Some((body, origin)), move |state| async move {
            let (mut body, origin) = state?;
            loop {
                match tokio::time::timeout(read_timeout, body.frame()).await {
                    Err(_) => {
                        let error = body_error(
                            &origin,
                            TransportErrorKind::Timeout,
                            format!("no data for {read_timeout:?} while reading the body").into(),
                        );
                        return Some((Err(error), None));
                    }
                    Ok(None) => return None,
                    Ok(Some(Err(e))) => {
                        let kind = classify_body_error(e.as_ref());
                        return Some((Err(body_error(&origin, kind, e)), None));
                    }
                    Ok(Some(Ok(frame))) => {
                        if let Ok(data) = frame.into_data() {
                            if data.is_empty() {
                                continue;
                            }
                            return Some((Ok(data), Some((body, origin))));
                        }
                    }
                }
            }
        })
    }

    /// Reads the whole body into memory.
    ///
    /// # Errors
    /// As [`StreamingResponse::into_stream`].
    pub async fn into_response(self) -> Result<Response> {
        use futures_util::TryStreamExt;
        let origin = self.origin.clone();
        let status = self.status;
        let headers = self.headers.clone();
        let chunks: Vec<Bytes> = self.into_stream().try_collect().await?;
        let body = match chunks.len() {
            0 => Bytes::new(),
            1 => chunks.into_iter().next().unwrap_or_default(),
            _ => Bytes::from(chunks.concat()),
        };
        Ok(Response::new(origin, status, headers, body))
    }
}

fn body_error(origin: &Origin, kind: TransportErrorKind, source: crate::error::BoxError) -> Error {
    Error::Transport(Box::new(TransportError {
        kind,
        method: origin.method.clone(),
        url: origin.url.clone(),
        attempts: 1,
        source: Some(source),
    }))
}
