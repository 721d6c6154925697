//! The one error type of every synnefo-rs client.
//!
//! Each variant carries enough context to say what failed (method and URL,
//! with secrets removed), why (status and the parsed [`CloudFault`], the
//! transport failure's [`TransportErrorKind`], an excerpt of an unusable
//! body) and, through [`Error::hint`], what to try. No variant ever holds a
//! token: URLs are redacted and body excerpts have the token replaced before
//! they are stored.

use crate::fault::CloudFault;
use http::{Method, StatusCode};
use std::fmt;
use std::time::Duration;

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to a Synnefo cloud.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status the operation does not accept.
    #[error(transparent)]
    Http(Box<HttpError>),
    /// The exchange itself failed: no connection, a timeout, a connection
    /// dropped before the response was whole.
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// The server answered, but not with something we can use (bad JSON, a
    /// missing header).
    #[error(transparent)]
    InvalidResponse(Box<InvalidResponse>),
    /// Data failed verification (a block's hash, a size).
    #[error("integrity check failed for {what}: expected {expected}, got {actual}")]
    Integrity {
        /// What was checked (an object, a block).
        what: String,
        /// The value we expected.
        expected: String,
        /// The value we found.
        actual: String,
    },
    /// A local file operation failed (reading an upload, writing a download).
    #[error("{context}: {source}")]
    Io {
        /// What was being done, naming the file.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The service catalog lacks what was asked for, or holds it ambiguously.
    #[error("service catalog: {0}")]
    Catalog(String),
    /// The configuration cannot work (a bad URL, an unreadable CA file).
    #[error("configuration error: {0}")]
    Config(String),
    /// A wait reached its deadline before the awaited change happened.
    #[error("timed out after {waited:?} waiting for {what} (last status: {last_status})")]
    WaitTimeout {
        /// What was awaited, e.g. `server 42 to leave BUILD`.
        what: String,
        /// How long the wait lasted.
        waited: Duration,
        /// The status seen at the last poll.
        last_status: String,
    },
}

/// A response whose status the operation does not accept.
#[derive(Debug)]
pub struct HttpError {
    /// The request method.
    pub method: Method,
    /// The request URL, with secrets removed.
    pub url: String,
    /// The HTTP status.
    pub status: StatusCode,
    /// The parsed error body, when it was a cloudFault.
    pub fault: Option<CloudFault>,
    /// The start of the body when it was not a cloudFault (an HTML page, a
    /// plain-text message), with any token removed.
    pub body_excerpt: Option<String>,
    /// The server's `Retry-After` advice, when it gave one.
    pub retry_after: Option<Duration>,
    /// How many attempts were made before giving up.
    pub attempts: u32,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} answered {}", self.method, self.url, self.status)?;
        if let Some(fault) = &self.fault {
            write!(f, ": {fault}")?;
        } else if let Some(excerpt) = &self.body_excerpt {
            write!(f, ": {excerpt}")?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpError {}

/// Why an exchange failed below HTTP, the basis of retry decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake): the request
    /// never reached the server.
    Connect,
    /// The connect or request timeout passed.
    Timeout,
    /// The connection broke after the request may have been sent (reset,
    /// closed early, body cut short).
    Interrupted,
    /// The response could not be decoded at the HTTP level.
    Decode,
    /// A request body could not be produced (a stream failed or cannot be
    /// replayed).
    Body,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Interrupted => "connection interrupted",
            TransportErrorKind::Decode => "could not decode the response",
            TransportErrorKind::Body => "could not send the request body",
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// A failure below HTTP.
#[derive(Debug)]
pub struct TransportError {
    /// What kind of failure it was.
    pub kind: TransportErrorKind,
    /// The request method.
    pub method: Method,
    /// The request URL, with secrets removed.
    pub url: String,
    /// How many attempts were made.
    pub attempts: u32,
    /// The underlying error.
    pub source: Option<BoxError>,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.method, self.url, self.kind)?;
        if let Some(source) = &self.source {
            write!(f, ": {}", source_chain(source.as_ref()))?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A response that cannot be used.
#[derive(Debug)]
pub struct InvalidResponse {
    /// The request method.
    pub method: Method,
    /// The request URL, with secrets removed.
    pub url: String,
    /// What was wrong, e.g. `expected JSON for synnefo_astakos::Access: …`.
    pub problem: String,
    /// The start of the body, with any token removed.
    pub excerpt: String,
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} gave an unusable response: {}",
            self.method, self.url, self.problem
        )?;
        if !self.excerpt.is_empty() {
            write!(f, " (body starts: {:?})", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidResponse {}

/// Joins an error and its sources into one line.
fn source_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        next = cause.source();
    }
    text
}

impl Error {
    /// The HTTP status, for [`Error::Http`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http(e) => Some(e.status),
            _ => None,
        }
    }

    /// The parsed cloudFault, for [`Error::Http`] with such a body.
    pub fn fault(&self) -> Option<&CloudFault> {
        match self {
            Error::Http(e) => e.fault.as_ref(),
            _ => None,
        }
    }

    /// The transport failure kind, for [`Error::Transport`].
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Error::Transport(e) => Some(e.kind),
            _ => None,
        }
    }

    /// Whether a timeout ended the operation: a transport timeout or a wait
    /// that reached its deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::WaitTimeout { .. })
            || self.transport_kind() == Some(TransportErrorKind::Timeout)
    }

    /// Whether the server answered 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server refused the credentials (401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// A short suggestion of what to try, for command-line front ends.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Http(e) => match e.status {
                StatusCode::UNAUTHORIZED => Some(
                    "the token was refused: check it, or get a new one from your cloud's dashboard",
                ),
                StatusCode::FORBIDDEN => Some("your account is not allowed to do this"),
                StatusCode::NOT_FOUND => Some("check the name or id, and the endpoint URL"),
                StatusCode::PAYLOAD_TOO_LARGE => {
                    Some("a quota or size limit was reached: free some resources or ask for more")
                }
                s if s.is_server_error() => Some("the service had a problem: try again later"),
                _ => None,
            },
            Error::Transport(e) => match e.kind {
                TransportErrorKind::Connect => {
                    Some("check the URL, your network, and (for https) the CA certificates")
                }
                TransportErrorKind::Timeout => {
                    Some("the server is slow or unreachable: retry, or raise the timeout")
                }
                _ => Some("the connection failed: try again"),
            },
            Error::InvalidResponse(_) => {
                Some("the URL may not point to a Synnefo service of the expected type")
            }
            Error::Integrity { .. } => Some("the data changed or was corrupted: try again"),
            Error::Io { .. } => Some("check the path, its permissions and the free space"),
            Error::Catalog(_) => Some(
                "list what the cloud offers with `snf endpoint list`, or set the service URL in the config",
            ),
            Error::Config(_) => None,
            Error::WaitTimeout { .. } => Some("wait longer with a bigger timeout"),
        }
    }

    /// An [`Error::Io`] with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn invalid_response(
        method: &Method,
        url: &str,
        problem: impl Into<String>,
        excerpt: String,
    ) -> Error {
        Error::InvalidResponse(Box::new(InvalidResponse {
            method: method.clone(),
            url: url.to_owned(),
            problem: problem.into(),
            excerpt,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_error_reads_like_a_sentence() {
        let error = Error::Http(Box::new(HttpError {
            method: Method::POST,
            url: "http://h/identity/v2.0/tokens".into(),
            status: StatusCode::UNAUTHORIZED,
            fault: CloudFault::parse(
                br#"{"unauthorized": {"code": 401, "message": "Invalid token"}}"#,
            ),
            body_excerpt: None,
            retry_after: None,
            attempts: 1,
        }));
        assert_eq!(
            error.to_string(),
            "POST http://h/identity/v2.0/tokens answered 401 Unauthorized: unauthorized: Invalid token"
        );
        assert!(error.is_unauthorized());
        assert!(error.hint().is_some());
    }

    #[test]
    fn transport_error_names_kind_and_attempts() {
        let error = Error::Transport(Box::new(TransportError {
            kind: TransportErrorKind::Timeout,
            method: Method::GET,
            url: "http://h/x".into(),
            attempts: 3,
            source: None,
        }));
        assert_eq!(
            error.to_string(),
            "GET http://h/x: timed out (after 3 attempts)"
        );
        assert!(error.is_timeout());
    }
}
