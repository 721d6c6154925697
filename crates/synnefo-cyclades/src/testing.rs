//! Helpers for the unit tests: clients that never connect, a scripted
//! transport for behaviour that spans several requests, and short
//! accessors on built requests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::{BlockStorageClient, CycladesClient};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use synnefo_core::{
    Body, BoxFuture, ClientConfig, Endpoint, HttpClient, Request, RequestBody, ResponseBody, Token,
    Transport, TransportFailure, http,
};

/// The token of the test clients (long enough that redaction of it does
/// not garble error messages).
const TOKEN: &str = "scripted-test-token";

fn endpoint(http: &HttpClient, url: &str) -> Endpoint {
    http.endpoint(url, Some(Token::new(TOKEN)))
        .expect("endpoint")
}

/// A Cyclades client at an endpoint nobody listens on.
pub(crate) fn client() -> CycladesClient {
    let http = HttpClient::new(ClientConfig::default()).expect("client");
    CycladesClient::new(endpoint(&http, "http://127.0.0.1:9/compute/v2.0"))
}

/// A block storage client at an endpoint nobody listens on.
pub(crate) fn volume_client() -> BlockStorageClient {
    let http = HttpClient::new(ClientConfig::default()).expect("client");
    BlockStorageClient::new(endpoint(&http, "http://127.0.0.1:9/volume/v2.0"))
}

/// `METHOD /path?query`.
pub(crate) fn line(request: &Request) -> String {
    format!("{} {}", request.method(), request.path_and_query())
}

/// The JSON body of a request (`Null` when it has none).
pub(crate) fn body(request: &Request) -> Value {
    match request.body_ref() {
        Body::Bytes(bytes) => serde_json::from_slice(bytes).expect("a JSON body"),
        _ => Value::Null,
    }
}

/// One request the scripted transport saw.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    /// `METHOD /path?query`, relative to the endpoint.
    pub(crate) line: String,
    /// The JSON body, or `Null`.
    pub(crate) body: Value,
}

/// A transport that answers from a script and records what it was sent.
#[derive(Debug, Default)]
pub(crate) struct Scripted {
    answers: Mutex<VecDeque<(u16, String)>>,
    seen: Mutex<Vec<Seen>>,
}

impl Scripted {
    /// A transport answering `answers` in order (then `418`).
    pub(crate) fn new(answers: &[(u16, &str)]) -> Arc<Self> {
        Arc::new(Scripted {
            answers: Mutex::new(answers.iter().map(|(s, b)| (*s, b.to_string())).collect()),
            seen: Mutex::new(Vec::new()),
        })
    }

    fn http(self: &Arc<Self>) -> HttpClient {
        HttpClient::with_transport(self.clone(), ClientConfig::default())
    }

    /// A Cyclades client over this transport.
    pub(crate) fn client(self: &Arc<Self>) -> CycladesClient {
        CycladesClient::new(endpoint(&self.http(), "http://fake/compute/v2.0"))
    }

    /// A block storage client over this transport.
    pub(crate) fn volume_client(self: &Arc<Self>) -> BlockStorageClient {
        BlockStorageClient::new(endpoint(&self.http(), "http://fake/volume/v2.0"))
    }

    /// The requests seen so far.
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The request lines seen so far.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.line).collect()
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        request: http::Request<RequestBody>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportFailure>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let bytes = body.collect().await.unwrap().to_bytes();
            let path = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default();
            let path = ["/compute/v2.0", "/volume/v2.0"]
                .iter()
                .find_map(|base| path.strip_prefix(base))
                .unwrap_or(&path)
                .to_owned();
            let body = if bytes.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&bytes).unwrap()
            };
            self.seen.lock().unwrap().push(Seen {
                line: format!("{} {path}", parts.method),
                body,
            });
            let (status, text) = self
                .answers
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or((418, String::new()));
            let response = http::Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(
                    Full::new(Bytes::from(text))
                        .map_err(|never| match never {})
                        .boxed_unsync(),
                )
                .unwrap();
            Ok(response)
        })
    }
}
