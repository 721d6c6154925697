//! The transport trait: one HTTP exchange, nothing more.
//!
//! Retries, timeouts, tracing and error mapping live above it in
//! [`HttpClient`](crate::HttpClient), so a transport only moves bytes. The
//! default is [`HyperTransport`](crate::HyperTransport); tests and special
//! deployments may plug in their own.

use crate::error::{BoxError, TransportErrorKind};
use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// The body type of requests handed to a transport.
pub type RequestBody = UnsyncBoxBody<Bytes, BoxError>;

/// The body type of responses a transport returns.
pub type ResponseBody = UnsyncBoxBody<Bytes, BoxError>;

/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A failed exchange, classified for retry decisions.
#[derive(Debug)]
pub struct TransportFailure {
    /// What kind of failure it was.
    pub kind: TransportErrorKind,
    /// The underlying error.
    pub source: BoxError,
}

impl TransportFailure {
    /// A failure of the given kind.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        TransportFailure {
            kind,
            source: source.into(),
        }
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.source)
    }
}

/// Sends one HTTP request and returns the response head with a streaming
/// body. Implementations must be cheap to share across tasks.
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Performs one exchange. The returned future resolves when the response
    /// head has arrived; the body streams afterwards.
    fn send(
        &self,
        request: http::Request<RequestBody>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportFailure>>;
}

/// Classifies an error raised while reading a response body: a cut
/// connection is `Interrupted`, a malformed message `Decode`.
pub(crate) fn classify_body_error(error: &(dyn std::error::Error + 'static)) -> TransportErrorKind {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = next {
        if let Some(hyper_error) = e.downcast_ref::<hyper::Error>() {
            if hyper_error.is_parse() || hyper_error.is_user() {
                return TransportErrorKind::Decode;
            }
            return TransportErrorKind::Interrupted;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return TransportErrorKind::Timeout;
            }
            return TransportErrorKind::Interrupted;
        }
        next = e.source();
    }
    TransportErrorKind::Interrupted
}
