//! Conditional requests: `If-Modified-Since`, `If-Unmodified-Since`,
//! `If-Match`, `If-None-Match` (wire §6.6), with the server's messages.

use crate::fault_body::Fault;

use super::format::{parse_http_time, seconds};
use super::headers::Headers;
use super::store::Micros;

/// `If-Modified-Since` (not modified → 304) and `If-Unmodified-Since`
/// (modified → 412), compared in whole seconds; unparsable dates are
/// ignored.
pub(crate) fn check_modified(headers: &Headers, modified: Micros) -> Result<(), Fault> {
    let modified = seconds(modified);
    if let Some(since) = headers.get("if-modified-since").and_then(parse_http_time)
        && modified <= since
    {
        return Err(Fault::new(304, "Resource has not been modified"));
    }
    if let Some(since) = headers.get("if-unmodified-since").and_then(parse_http_time)
        && modified > since
    {
        return Err(Fault::new(412, "Resource has been modified"));
    }
    Ok(())
}

/// The outcome of the ETag preconditions.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Matching {
    /// Go on.
    Proceed,
    /// Answer 304 with only the `ETag` (GET/HEAD with a matching
    /// `If-None-Match`).
    NotModified,
}

/// `If-Match` / `If-None-Match` against `etag` (`None` = no object).
/// `read` is true for GET/HEAD (a matching `If-None-Match` gives 304 rather
/// than 412).
pub(crate) fn check_matching(
    headers: &Headers,
    etag: Option<&str>,
    read: bool,
) -> Result<Matching, Fault> {
    if let Some(if_match) = headers.get("if-match") {
        let Some(etag) = etag else {
            return Err(Fault::new(412, "Resource does not exist"));
        };
        if if_match != "*"
            && !parse_etags(if_match)
                .iter()
                .any(|e| e.to_lowercase() == etag)
        {
            return Err(Fault::new(412, "Resource ETag does not match"));
        }
    }
    if let (Some(if_none_match), Some(etag)) = (headers.get("if-none-match"), etag)
        && (if_none_match == "*"
            || parse_etags(if_none_match)
                .iter()
                .any(|e| e.to_lowercase() == etag))
    {
        if read {
            return Ok(Matching::NotModified);
        }
        return Err(Fault::new(412, "Resource exists or ETag matches"));
    }
    Ok(Matching::Proceed)
}

/// Django's `parse_etags`: the quoted entity tags of a list (weak prefix
/// dropped); a value without any quoted tag is one opaque tag.
pub(crate) fn parse_etags(value: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let mut tag = String::new();
        let mut chars = after.char_indices();
        let mut closed = None;
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        tag.push(escaped);
                    }
                }
                '"' => {
                    closed = Some(at);
                    break;
                }
                c => tag.push(c),
            }
        }
        let Some(close) = closed else { break };
        tags.push(tag);
        rest = &after[close + 1..];
    }
    if tags.is_empty() {
        vec![value.to_owned()]
    } else {
        tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_lists() {
        assert_eq!(parse_etags("abc"), vec!["abc"]);
        assert_eq!(parse_etags("\"a\", W/\"b\""), vec!["a", "b"]);
        assert_eq!(parse_etags("a, b"), vec!["a, b"]);
    }
}
