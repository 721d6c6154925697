//! Helpers for the request-shape unit tests: a client that never connects,
//! and short accessors on built requests.

use crate::PithosClient;
use synnefo_core::{ClientConfig, Expect, HttpClient, Request, Token};

/// kamaki's test account (§4.8 of the kamaki reference).
pub(crate) const ACCOUNT: &str = "ac0un7-1d-5tr1ng";

/// A client for [`ACCOUNT`] at an endpoint nobody listens on.
pub(crate) fn client() -> PithosClient {
    let http = HttpClient::new(ClientConfig::default()).expect("client");
    let endpoint = http
        .endpoint("http://127.0.0.1:9/object-store/v1", Some(Token::new("t")))
        .expect("endpoint");
    PithosClient::new(endpoint, ACCOUNT)
}

/// `METHOD /path?query`.
pub(crate) fn line(request: &Request) -> String {
    format!("{} {}", request.method(), request.path_and_query())
}

/// A header's value as text.
pub(crate) fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The header names, lower case, sorted.
pub(crate) fn header_names(request: &Request) -> Vec<String> {
    let mut names: Vec<String> = request.headers().keys().map(|k| k.to_string()).collect();
    names.sort();
    names
}

/// The accepted statuses, as numbers.
pub(crate) fn accepted(request: &Request) -> Vec<u16> {
    match request.expected() {
        Expect::Success => vec![],
        Expect::Statuses(list) => list.iter().map(|s| s.as_u16()).collect(),
    }
}
