//! Offline request-shape tests: an [`AccountClient`] over a scripted
//! transport, and helpers to read what it sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::AccountClient;
use serde_json::Value;
use std::sync::Arc;
use synnefo_core::testing::{ScriptedRequest, ScriptedTransport};
use synnefo_core::{Service, Token};

/// An account client whose requests are answered by `answers` in order.
pub(crate) fn scripted(answers: &[(u16, &str)]) -> (AccountClient, Arc<ScriptedTransport>) {
    let transport = ScriptedTransport::new(answers.iter().copied());
    let endpoint = transport
        .http_client()
        .endpoint(
            "http://fake/account/v1.0",
            Some(Token::new("scripted-test-token")),
        )
        .unwrap();
    (AccountClient::from_endpoint(endpoint), transport)
}

/// `METHOD /path?query` of a recorded request.
pub(crate) fn line(request: &ScriptedRequest) -> String {
    format!("{} {}", request.method, request.target)
}

/// The JSON body of a recorded request (`Null` when empty).
pub(crate) fn body(request: &ScriptedRequest) -> Value {
    if request.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&request.body).unwrap()
    }
}

/// The only request the transport received.
pub(crate) fn only(transport: &ScriptedTransport) -> ScriptedRequest {
    let requests = transport.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().unwrap()
}
