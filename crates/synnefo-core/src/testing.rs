//! A scripted transport for offline tests of code built on synnefo-core.
//!
//! [`ScriptedTransport`] answers each request with the next of a list of
//! canned responses and records what it was sent, so a test can check both
//! the requests a client makes and how it handles the answers, with no
//! server at all. (For tests over real HTTP, use `synnefo-sim`.)
//!
//! ```
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_core::testing::ScriptedTransport;
//! use synnefo_core::{Request, Token};
//!
//! let transport = ScriptedTransport::new([(200, r#"{"flavors": []}"#)]);
//! let endpoint = transport
//!     .http_client()
//!     .endpoint("http://fake/compute/v2.0", Some(Token::new("t")))?;
//! let answer: serde_json::Value = endpoint.send_json(Request::get().segment("flavors")).await?;
//! assert_eq!(answer["flavors"], serde_json::json!([]));
//! assert_eq!(transport.requests()[0].target, "/compute/v2.0/flavors");
//! # Ok(()) }
//! ```

use crate::client::HttpClient;
use crate::config::{ClientConfig, RetryConfig};
use crate::error::TransportErrorKind;
use crate::transport::{BoxFuture, RequestBody, ResponseBody, Transport, TransportFailure};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// A request the scripted transport received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptedRequest {
    /// The method.
    pub method: String,
    /// The path and query as sent (`/compute/v2.0/servers?name=x`).
    pub target: String,
    /// The headers, secret values included (it is a test double).
    pub headers: http::HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// A transport that answers from a script and records every request.
/// When the script runs out it answers `418 I'm a teapot`, so an
/// unexpected extra request shows in the test.
#[derive(Debug, Default)]
pub struct ScriptedTransport {
    answers: Mutex<VecDeque<(u16, String)>>,
    seen: Mutex<Vec<ScriptedRequest>>,
}

impl ScriptedTransport {
    /// A transport answering `(status, JSON body)` pairs in order.
    pub fn new<I, S>(answers: I) -> Arc<Self>
    where
        I: IntoIterator<Item = (u16, S)>,
        S: Into<String>,
    {
        Arc::new(ScriptedTransport {
            answers: Mutex::new(answers.into_iter().map(|(s, b)| (s, b.into())).collect()),
            seen: Mutex::new(Vec::new()),
        })
    }

    /// An [`HttpClient`] over this transport, without retries (each
    /// scripted answer is used once).
    pub fn http_client(self: &Arc<Self>) -> HttpClient {
        let config = ClientConfig {
            retry: RetryConfig::none(),
            ..ClientConfig::default()
        };
        HttpClient::with_transport(self.clone(), config)
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<ScriptedRequest> {
        lock(&self.seen).clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Transport for ScriptedTransport {
    fn send(
        &self,
        request: http::Request<RequestBody>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportFailure>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| TransportFailure::new(TransportErrorKind::Body, e))?
                .to_bytes();
            lock(&self.seen).push(ScriptedRequest {
                method: parts.method.to_string(),
                target: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
                headers: parts.headers,
                body,
            });
            let (status, text) = lock(&self.answers)
                .pop_front()
                .unwrap_or((418, String::new()));
            let mut response = http::Response::new(
                Full::new(Bytes::from(text))
                    .map_err(|never| match never {})
                    .boxed_unsync(),
            );
            *response.status_mut() = http::StatusCode::from_u16(status)
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            Ok(response)
        })
    }
}
