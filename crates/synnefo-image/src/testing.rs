//! Helpers for the unit tests: a scripted transport answering with status,
//! headers and body, and readable views of what it was sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::ImageClient;
use serde_json::Value;
use std::sync::Arc;
use synnefo_core::Token;
use synnefo_core::testing::ScriptedTransport;

/// The base path of the test endpoint.
const BASE: &str = "/image/v1.0";

/// One request the transport saw, relative to the endpoint.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    /// `METHOD /path?query`.
    pub(crate) line: String,
    /// `(name, value)` of every `x-image-meta-*` header, in order.
    pub(crate) meta: Vec<(String, String)>,
    /// The `content-length` header.
    pub(crate) content_length: Option<String>,
    /// The JSON body, or `Null`.
    pub(crate) body: Value,
}

/// An image client over a scripted transport answering `answers`.
pub(crate) fn scripted(answers: &[(u16, &str)]) -> (ImageClient, Arc<ScriptedTransport>) {
    let transport = ScriptedTransport::new(answers.iter().copied());
    let endpoint = transport
        .http_client()
        .endpoint(
            "http://fake/image/v1.0",
            Some(Token::new("scripted-test-token")),
        )
        .unwrap();
    (ImageClient::new(endpoint), transport)
}

/// What the transport saw.
pub(crate) fn seen(transport: &ScriptedTransport) -> Vec<Seen> {
    transport
        .requests()
        .into_iter()
        .map(|r| Seen {
            line: format!(
                "{} {}",
                r.method,
                r.target.strip_prefix(BASE).unwrap_or(&r.target)
            ),
            meta: r
                .headers
                .iter()
                .filter(|(name, _)| name.as_str().starts_with("x-image-meta-"))
                .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
                .collect(),
            content_length: r
                .headers
                .get("content-length")
                .map(|v| v.to_str().unwrap().to_owned()),
            body: if r.body.is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(&r.body).unwrap()
            },
        })
        .collect()
}
