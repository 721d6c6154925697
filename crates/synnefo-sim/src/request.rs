//! The fully-read request handed to the service modules.

use bytes::Bytes;
use http::{HeaderMap, Method};
use percent_encoding::percent_decode_str;

use crate::fault_body::Fault;

/// A request whose body has been read completely.
#[derive(Clone, Debug)]
pub(crate) struct ApiRequest {
    /// The HTTP method.
    pub(crate) method: Method,
    /// The request-target exactly as received (`path?query`, not decoded).
    pub(crate) target: String,
    /// The percent-decoded path (UTF-8, lossy), used for routing.
    pub(crate) path: String,
    /// Decoded query pairs in order; bare keys (`?update`) have `None`.
    pub(crate) query: Vec<(String, Option<String>)>,
    /// The request headers.
    pub(crate) headers: HeaderMap,
    /// The whole body.
    pub(crate) body: Bytes,
}

impl ApiRequest {
    /// Builds a request from its parts, decoding path and query.
    pub(crate) fn new(method: Method, uri: &http::Uri, headers: HeaderMap, body: Bytes) -> Self {
        let target = match uri.path_and_query() {
            Some(pq) if uri.scheme().is_none() => pq.as_str().to_owned(),
            _ => uri.to_string(),
        };
        Self {
            method,
            target,
            path: decode_path(uri.path()),
            query: uri.query().map(parse_query).unwrap_or_default(),
            headers,
            body,
        }
    }

    /// A header value as text (lossy), if present.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }

    /// The value of a query parameter like Django's `request.GET.get(key)`:
    /// the last occurrence wins and a bare key reads as `""`.
    pub(crate) fn query_param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// The request's token: the `X-Auth-Token` query parameter if non-empty,
    /// else the `X-Auth-Token` header (wire §0.1). `None` or `Some("")` both
    /// mean "no token".
    pub(crate) fn auth_token(&self) -> Option<String> {
        match self.query_param("X-Auth-Token") {
            Some(token) if !token.is_empty() => Some(token.to_owned()),
            _ => self.header("x-auth-token"),
        }
    }

    /// The `Content-Length` header as a number, if present and valid.
    pub(crate) fn content_length(&self) -> Option<u64> {
        self.header("content-length")
            .and_then(|v| v.trim().parse().ok())
    }

    /// The `Content-Type` header, if present.
    pub(crate) fn content_type(&self) -> Option<String> {
        self.header("content-type")
    }

    /// The JSON body, read the way the Astakos/Cyclades API helpers do:
    /// only with a `Content-Type` starting with `application/json`
    /// (case-sensitive), else `400` with the servers' exact messages.
    pub(crate) fn json_body(&self) -> Result<serde_json::Value, Fault> {
        let Some(content_type) = self.content_type() else {
            return Err(Fault::bad_request("Missing Content-Type header field"));
        };
        if !content_type.starts_with("application/json") {
            return Err(Fault::bad_request(format!(
                "Unsupported Content-type: '{content_type}'"
            )));
        }
        let Ok(text) = std::str::from_utf8(&self.body) else {
            return Err(Fault::bad_request(
                "Could not decode request as UTF-8 string",
            ));
        };
        serde_json::from_str(text)
            .map_err(|_| Fault::bad_request("Could not decode request body as JSON"))
    }

    /// Whether this is a `HEAD` request (answered without a body).
    pub(crate) fn is_head(&self) -> bool {
        self.method == Method::HEAD
    }
}

/// Percent-decodes a URL path (`+` stays a plus), invalid UTF-8 replaced.
pub(crate) fn decode_path(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` is space).
pub(crate) fn form_decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// Parses a query string into decoded pairs; a key without `=` gets `None`.
pub(crate) fn parse_query(raw: &str) -> Vec<(String, Option<String>)> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (form_decode(k), Some(form_decode(v))),
            None => (form_decode(part), None),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parsing() {
        assert_eq!(
            parse_query("update&format=json&x=a%20b+c&&y="),
            vec![
                ("update".to_owned(), None),
                ("format".to_owned(), Some("json".to_owned())),
                ("x".to_owned(), Some("a b c".to_owned())),
                ("y".to_owned(), Some(String::new())),
            ]
        );
        assert_eq!(decode_path("/a%2Fb%20c+d%ff"), "/a/b c+d\u{fffd}");
    }

    #[test]
    fn token_from_query_first() {
        let uri: http::Uri = "/x?X-Auth-Token=q".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-auth-token", "h".parse().unwrap());
        let req = ApiRequest::new(Method::GET, &uri, headers.clone(), Bytes::new());
        assert_eq!(req.auth_token().as_deref(), Some("q"));
        let uri: http::Uri = "/x?X-Auth-Token=".parse().unwrap();
        let req = ApiRequest::new(Method::GET, &uri, headers, Bytes::new());
        assert_eq!(req.auth_token().as_deref(), Some("h"));
    }
}
