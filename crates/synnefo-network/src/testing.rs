//! Helpers for the unit tests: a client that never connects, a scripted
//! transport for behaviour that spans several requests, and short
//! accessors on built requests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::NetworkClient;
use serde_json::Value;
use std::sync::Arc;
use synnefo_core::testing::ScriptedTransport;
use synnefo_core::{Body, ClientConfig, HttpClient, Request, Token};

/// The token of the test clients.
const TOKEN: &str = "scripted-test-token";

/// The API root the scripted clients use.
const BASE: &str = "/network/v2.0";

/// A network client at an endpoint nobody listens on.
pub(crate) fn client() -> NetworkClient {
    let http = HttpClient::new(ClientConfig::default()).expect("client");
    NetworkClient::new(
        http.endpoint("http://127.0.0.1:9/network/v2.0", Some(Token::new(TOKEN)))
            .expect("endpoint"),
    )
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

/// The scripted transport of `synnefo_core::testing`, with requests read
/// relative to the endpoint.
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

    /// A network client over this transport.
    pub(crate) fn client(self: &Arc<Self>) -> NetworkClient {
        let http = self.transport.http_client();
        NetworkClient::new(
            http.endpoint("http://fake/network/v2.0", Some(Token::new(TOKEN)))
                .expect("endpoint"),
        )
    }

    /// The request lines seen so far, with their JSON bodies (`Null` when
    /// empty).
    pub(crate) fn seen(&self) -> Vec<(String, Value)> {
        self.transport
            .requests()
            .into_iter()
            .map(|request| {
                let path = request
                    .target
                    .strip_prefix(BASE)
                    .unwrap_or(&request.target)
                    .to_owned();
                let body = if request.body.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_slice(&request.body).expect("a JSON body")
                };
                (format!("{} {path}", request.method), body)
            })
            .collect()
    }

    /// The request lines seen so far.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.seen().into_iter().map(|(line, _)| line).collect()
    }
}
