//! Request and response headers the way Pithos treats them (wire §6.1):
//! percent-decoded request headers, normalised meta keys, limits, and
//! percent-quoted response values.

use http::HeaderMap;
use http::header::{HeaderName, HeaderValue};
use percent_encoding::percent_decode_str;

use crate::fault_body::Fault;
use crate::request::ApiRequest;

use super::sharing::{Permissions, parse_sharing};
use super::store::Meta;

/// Request headers after the server's decoding: lower-case names; names and
/// values containing `%` are percent-decoded (UTF-8). `Content-Type` and
/// `Content-Length` are kept as sent (they are not `HTTP_*` variables).
#[derive(Debug, Default)]
pub(crate) struct Headers {
    items: Vec<(String, String)>,
}

impl Headers {
    /// Decodes the headers of `req`; non-ASCII or undecodable text → 400.
    pub(crate) fn decode(req: &ApiRequest) -> Result<Self, Fault> {
        let bad = || Fault::bad_request("Bad character in headers.");
        let mut items: Vec<(String, String)> = Vec::new();
        for (name, value) in &req.headers {
            let name = name.as_str();
            let raw = value.as_bytes();
            if name == "content-type" || name == "content-length" {
                items.push((name.to_owned(), String::from_utf8_lossy(raw).into_owned()));
                continue;
            }
            if !raw.is_ascii() {
                return Err(bad());
            }
            let value = String::from_utf8_lossy(raw).into_owned();
            let (name, value) = if name.contains('%') || value.contains('%') {
                let name = percent_decode_str(name)
                    .decode_utf8()
                    .map_err(|_| bad())?
                    .to_lowercase();
                let value = percent_decode_str(&value)
                    .decode_utf8()
                    .map_err(|_| bad())?
                    .into_owned();
                (name, value)
            } else {
                (name.to_owned(), value)
            };
            match items.iter_mut().find(|(n, _)| *n == name) {
                Some((_, existing)) => {
                    existing.push(',');
                    existing.push_str(&value);
                }
                None => items.push((name, value)),
            }
        }
        Ok(Self { items })
    }

    /// A header by lower-case name.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header that is present and not empty (Python truthiness).
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// Headers whose name starts with `prefix` (lower-case, e.g.
    /// `x-object-meta-`) and is longer: `(normalised name, value without
    /// '~')`.
    pub(crate) fn with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        let underscored = prefix.replace('-', "_");
        self.items
            .iter()
            .filter(|(name, _)| {
                let flat = name.replace('-', "_");
                flat.len() > underscored.len() && flat.starts_with(&underscored)
            })
            .map(|(name, value)| (format_header_key(name), value.replace('~', "")))
            .collect()
    }
}

/// `format_header_key`: `_` becomes `-` and each dash-separated word is
/// capitalised (`x-object-meta-foo_bar` → `X-Object-Meta-Foo-Bar`).
pub(crate) fn format_header_key(key: &str) -> String {
    key.replace('_', "-")
        .split('-')
        .map(capitalize)
        .collect::<Vec<_>>()
        .join("-")
}

/// Python's `str.capitalize`: first character upper case, the rest lower.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Checks the limits on meta headers of one request.
pub(crate) fn check_meta_headers(meta: &Meta) -> Result<(), Fault> {
    if meta.len() > 90 {
        return Err(Fault::bad_request("Too many headers."));
    }
    for (key, value) in meta {
        if key.chars().count() > 128 {
            return Err(Fault::bad_request("Header name too large."));
        }
        if value.chars().count() > 256 {
            return Err(Fault::bad_request("Header value too large."));
        }
    }
    Ok(())
}

/// The `X-<kind>-Meta-*` headers of a request, checked.
pub(crate) fn meta_headers(headers: &Headers, prefix: &str) -> Result<Meta, Fault> {
    let meta: Meta = headers.with_prefix(prefix).into_iter().collect();
    check_meta_headers(&meta)?;
    Ok(meta)
}

/// What object PUT/POST/COPY/MOVE read from the headers
/// (`get_object_headers`).
#[derive(Debug, Default)]
pub(crate) struct ObjectHeaders {
    /// `Content-Type`, if sent.
    pub(crate) content_type: Option<String>,
    /// User metadata: `X-Object-Meta-*`, `Content-Encoding`,
    /// `Content-Disposition`, `X-Object-Manifest`.
    pub(crate) meta: Meta,
    /// `X-Object-Sharing`, parsed.
    pub(crate) sharing: Option<Permissions>,
    /// `X-Object-Public`, parsed.
    pub(crate) public: Option<bool>,
}

/// Reads the object headers of a request.
pub(crate) fn object_headers(req: &ApiRequest, headers: &Headers) -> Result<ObjectHeaders, Fault> {
    let content_type = match req.headers.get(http::header::CONTENT_TYPE) {
        None => None,
        Some(value) => {
            let raw = value.as_bytes();
            if !raw.is_ascii() {
                return Err(Fault::bad_request("Bad characters in Content-Type."));
            }
            Some(String::from_utf8_lossy(raw).into_owned())
        }
    };
    let mut meta = meta_headers(headers, "x-object-meta-")?;
    for (header, key) in [
        ("content-encoding", "Content-Encoding"),
        ("content-disposition", "Content-Disposition"),
        ("x-object-manifest", "X-Object-Manifest"),
    ] {
        if let Some(value) = headers.non_empty(header) {
            meta.insert(key.to_owned(), value.to_owned());
        }
    }
    let sharing = headers
        .get("x-object-sharing")
        .map(parse_sharing)
        .transpose()?;
    let public = headers
        .get("x-object-public")
        .map(parse_public)
        .transpose()?;
    Ok(ObjectHeaders {
        content_type,
        meta,
        sharing,
        public,
    })
}

/// Parses `X-Object-Public`: `true` publishes, `false` or empty
/// unpublishes, anything else is a 400.
pub(crate) fn parse_public(value: &str) -> Result<bool, Fault> {
    let value: String = value.chars().filter(|&c| c != ' ').collect();
    match value.to_lowercase().as_str() {
        "true" => Ok(true),
        "false" | "" => Ok(false),
        _ => Err(Fault::bad_request("Bad X-Object-Public header value")),
    }
}

/// Python 2's `urllib.quote(text, safe)`: letters, digits, `_.-` and the
/// `safe` characters stay, every other UTF-8 byte becomes `%XX`.
pub(crate) fn py_quote(text: &str, safe: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"_.-".contains(&byte) || safe.as_bytes().contains(&byte)
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Response headers of a Pithos view. Values of `X-Account-*`,
/// `X-Container-*`, `X-Object-*` and `Content-*` headers are percent-quoted
/// like the server does (safe: `/ = , : @ ; space "`).
#[derive(Debug, Default)]
pub(crate) struct OutHeaders {
    map: HeaderMap,
}

impl OutHeaders {
    /// Sets a header (replacing an earlier value of the same name).
    pub(crate) fn set(&mut self, name: &str, value: &str) {
        let quoted = if ["X-Account-", "X-Container-", "X-Object-", "Content-"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            py_quote(value, "/=,:@; \"")
        } else {
            value.to_owned()
        };
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&quoted),
        ) {
            self.map.insert(name, value);
        }
    }

    /// Sets a header whose name is user data (meta keys, group names): the
    /// name is percent-quoted first.
    pub(crate) fn set_user(&mut self, name: &str, value: &str) {
        self.set(&py_quote(name, "/"), value);
    }

    /// Whether a header is set.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The header map.
    pub(crate) fn into_map(self) -> HeaderMap {
        self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::Method;

    fn request(headers: &[(&str, &[u8])]) -> ApiRequest {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        ApiRequest::new(Method::PUT, &"/x".parse().unwrap(), map, Bytes::new())
    }

    #[test]
    fn meta_keys_are_normalised_and_decoded() {
        let req = request(&[
            ("x-object-meta-foo_bar", b"a~b"),
            ("x-object-meta-%CE%BA", b"%CE%BD"),
            ("x-object-meta-", b"skipped"),
            ("content-encoding", b"gzip"),
            ("x-object-public", b" True"),
        ]);
        let headers = Headers::decode(&req).unwrap();
        let object = object_headers(&req, &headers).unwrap();
        assert_eq!(object.meta["X-Object-Meta-Foo-Bar"], "ab");
        assert_eq!(object.meta["X-Object-Meta-\u{39a}"], "\u{3bd}");
        assert_eq!(object.meta["Content-Encoding"], "gzip");
        assert_eq!(object.meta.len(), 3);
        assert_eq!(object.public, Some(true));
        assert!(object.content_type.is_none());
    }

    #[test]
    fn bad_headers() {
        let req = request(&[("x-foo", b"\xce\xba")]);
        assert_eq!(Headers::decode(&req).unwrap_err().code, 400);
        let req = request(&[("x-foo", b"%ff")]);
        assert_eq!(Headers::decode(&req).unwrap_err().code, 400);
        assert!(parse_public("maybe").is_err());
        assert_eq!(parse_public(""), Ok(false));
        let long = "x".repeat(257);
        let mut meta = Meta::new();
        meta.insert("X-Object-Meta-A".into(), long);
        assert_eq!(
            check_meta_headers(&meta).unwrap_err().message,
            "Header value too large."
        );
    }

    #[test]
    fn response_quoting() {
        assert_eq!(py_quote("a b/c~+é", "/"), "a%20b/c%7E%2B%C3%A9");
        let mut out = OutHeaders::default();
        out.set("X-Object-Sharing", "read=*");
        out.set("ETag", "abc");
        out.set_user("X-Object-Meta-\u{39a}", "\u{3bd}");
        let map = out.into_map();
        assert_eq!(map["x-object-sharing"], "read=%2A");
        assert_eq!(map["x-object-meta-%ce%9a"], "%CE%BD");
        assert_eq!(
            format_header_key("x_object-meta-FOO_bar"),
            "X-Object-Meta-Foo-Bar"
        );
    }
}
