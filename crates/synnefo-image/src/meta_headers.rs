//! `X-Image-Meta-*` headers both ways: percent-encoding the values that
//! Plankton decodes (the name, the description, property values) and
//! turning response headers back into an [`ImageMeta`].

use crate::models::ImageMeta;
use percent_encoding::percent_decode_str;
use std::collections::BTreeMap;
use synnefo_core::http::HeaderMap;
use synnefo_core::{Request, Result, encode_query_component};

/// Prefix of every image header.
pub(crate) const PREFIX: &str = "x-image-meta-";
/// Prefix of property headers, after [`PREFIX`].
const PROPERTY: &str = "property-";

/// Percent-encodes a header value: unreserved ASCII stays, everything else
/// (spaces, `%`, every byte of non-ASCII text) is escaped, so any text
/// fits in a header and comes back unchanged.
pub(crate) fn quote(value: &str) -> String {
    encode_query_component(value)
}

/// Percent-decodes a header value; bytes that are not UTF-8 become U+FFFD.
pub(crate) fn unquote(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

/// Adds `X-Image-Meta-Property-<key>: <quoted value>` for each property.
pub(crate) fn with_properties(
    mut request: Request,
    properties: &BTreeMap<String, String>,
) -> Result<Request> {
    for (key, value) in properties {
        request = request.header(&format!("X-Image-Meta-Property-{key}"), quote(value))?;
    }
    Ok(request)
}

/// A response header value as text, whatever bytes it holds.
fn text(value: &synnefo_core::http::HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}

/// A `True`/`true`/`1` flag.
fn flag(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "1")
}

/// The image described by `x-image-meta-*` response headers (kamaki
/// `_format_image_headers`): property keys lower-cased with `-` as `_`;
/// the name, location, description and property values decoded; other
/// image headers kept in [`ImageMeta::extra`].
pub(crate) fn image_meta(headers: &HeaderMap) -> ImageMeta {
    let mut meta = ImageMeta::default();
    for (name, value) in headers {
        let Some(key) = name.as_str().strip_prefix(PREFIX) else {
            continue;
        };
        let value = text(value);
        if let Some(property) = key.strip_prefix(PROPERTY) {
            meta.properties
                .insert(property.replace('-', "_"), unquote(&value));
            continue;
        }
        match key {
            "id" => meta.id = value,
            "name" => meta.name = unquote(&value),
            "location" => meta.location = Some(unquote(&value)),
            "description" => meta.description = Some(unquote(&value)),
            "disk-format" => meta.disk_format = Some(value),
            "container-format" => meta.container_format = Some(value),
            "size" => meta.size = value.trim().parse().ok(),
            "checksum" => meta.checksum = Some(value),
            "status" => meta.status = Some(value),
            "owner" => meta.owner = Some(value),
            "is-public" => meta.is_public = Some(flag(&value)),
            "is-snapshot" => meta.is_snapshot = Some(flag(&value)),
            "created-at" => meta.created_at = Some(value),
            "updated-at" => meta.updated_at = Some(value),
            "deleted-at" => meta.deleted_at = Some(value),
            other => {
                meta.extra.insert(other.to_owned(), value);
            }
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use synnefo_core::http::HeaderValue;

    #[test]
    fn quoting_round_trips_any_text() {
        for text in ["my image", "100% ü/ελληνικά?#&=", "", "a+b"] {
            assert_eq!(unquote(&quote(text)), text);
        }
        assert_eq!(quote("a b/ü"), "a%20b%2F%C3%BC");
    }

    #[test]
    fn headers_become_an_image() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-image-meta-id", "img-1"),
            ("x-image-meta-name", "my%20image"),
            ("x-image-meta-size", "42"),
            ("x-image-meta-is-public", "True"),
            ("x-image-meta-is-snapshot", "False"),
            ("x-image-meta-location", "pithos://u/images/a%20b"),
            ("x-image-meta-property-os-family", "linux%20%CE%B1"),
            ("x-image-meta-future-field", "kept"),
            ("content-type", "text/plain"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        let meta = image_meta(&headers);
        assert_eq!(meta.id, "img-1");
        assert_eq!(meta.name, "my image");
        assert_eq!(meta.size, Some(42));
        assert_eq!(meta.is_public, Some(true));
        assert_eq!(meta.is_snapshot, Some(false));
        assert_eq!(meta.location.as_deref(), Some("pithos://u/images/a b"));
        assert_eq!(meta.properties["os_family"], "linux α");
        assert_eq!(meta.extra["future-field"], "kept");
        assert_eq!(meta.extra.len(), 1);
    }
}
