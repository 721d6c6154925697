//! Helpers for the unit tests: clients that never connect, a scripted
//! transport for behaviour that spans several requests, and short
//! accessors on built requests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::{BlockStorageClient, CycladesClient};
use serde_json::Value;
use std::sync::Arc;
use synnefo_core::testing::ScriptedTransport;
use synnefo_core::{Body, ClientConfig, Endpoint, HttpClient, Request, Token};

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

/// The scripted transport of `synnefo_core::testing`, with this crate's
/// clients and requests read relative to the endpoint.
#[derive(Debug)]
pub(crate) struct Scripted {
    transport: Arc<ScriptedTransport>,
}

impl Scripted {
    /// A transport answering `answers` in order (then `418`).
    pub(crate) fn new(answers: &[(u16, &str)]) -> Arc<Self> {
        Arc::new(Scripted {
            transport: ScriptedTransport::new(answers.iter().copied()),
        })
    }

    fn http(&self) -> HttpClient {
        self.transport.http_client()
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
        self.transport
            .requests()
            .into_iter()
            .map(|request| {
                let path = ["/compute/v2.0", "/volume/v2.0"]
                    .iter()
                    .find_map(|base| request.target.strip_prefix(base))
                    .unwrap_or(&request.target)
                    .to_owned();
                let body = if request.body.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_slice(&request.body).expect("a JSON body")
                };
                Seen {
                    line: format!("{} {path}", request.method),
                    body,
                }
            })
            .collect()
    }

    /// The request lines seen so far.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.line).collect()
    }
}
