//! Percent-encoding of path segments and query pairs, done exactly once.
//!
//! Only RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) go out as
//! they are; everything else, including `%`, `+`, `?`, `#`, space and every
//! non-ASCII byte of the UTF-8 form, is escaped. Object paths keep `/` as
//! the separator; plain segments escape it too.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`COMPONENT`], but `/` stays a separator.
const OBJECT_PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// Encodes one path segment: a `/` inside it is escaped as `%2F`.
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, COMPONENT).to_string()
}

/// Encodes a path whose `/` are separators (a Pithos object name such as
/// `photos/2024/a b.jpg`); every other reserved character is escaped.
pub fn encode_object_path(path: &str) -> String {
    utf8_percent_encode(path, OBJECT_PATH).to_string()
}

/// Encodes a query key or value.
pub fn encode_query_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_escapes_every_reserved_class() {
        assert_eq!(encode_segment("a/b"), "a%2Fb");
        assert_eq!(encode_segment("a b"), "a%20b");
        assert_eq!(encode_segment("q?x#y"), "q%3Fx%23y");
        assert_eq!(encode_segment("100%+1"), "100%25%2B1");
        assert_eq!(encode_segment("αβ"), "%CE%B1%CE%B2");
        assert_eq!(encode_segment("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn object_path_keeps_slashes_verbatim() {
        assert_eq!(encode_object_path("dir/ob j?#α"), "dir/ob%20j%3F%23%CE%B1");
        // Double and trailing slashes are part of the name (kamaki collapsed them).
        assert_eq!(encode_object_path("a//b/"), "a//b/");
    }

    #[test]
    fn query_is_encoded_once() {
        // kamaki sent `a%2520b` for a unicode "a b": we must send `a%20b`.
        assert_eq!(encode_query_component("a b"), "a%20b");
        assert_eq!(encode_query_component("x=1&y"), "x%3D1%26y");
    }
}
