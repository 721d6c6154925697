//! Pithos+ headers: user metadata, groups, policies and sharing travel as
//! HTTP headers, so their keys and values are encoded to fit and decoded on
//! the way back.
//!
//! The server's rules (wire reference §6.1), which we follow rather than
//! kamaki's:
//! - any request header key or value containing `%` is URL-unquoted, so
//!   non-ASCII text and a literal `%` go out percent-encoded (UTF-8);
//! - response headers starting with `X-Account-`, `X-Container-`,
//!   `X-Object-` and `Content-` come back percent-quoted, names included;
//! - the variable part of `X-*-Meta-*`, group and policy names is
//!   normalised (`_` becomes `-`, each dash word capitalised), so keys are
//!   compared case-insensitively and returned in lower case.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use synnefo_core::http::HeaderMap;
use synnefo_core::{Error, Request, Result};

/// What a header *name* may not hold as is: everything but RFC 9110
/// `tchar`, plus `%` (the server would unquote it).
const KEY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b'(')
    .add(b')')
    .add(b',')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'{')
    .add(b'}')
    .add(0x7f);

/// What a header *value* may not hold as is: control characters and `%`
/// (non-ASCII bytes are always escaped by `utf8_percent_encode`).
const VALUE: &AsciiSet = &CONTROLS.add(b'%').add(0x7f);

/// Encodes the variable part of a header name (a meta key, a group name).
pub(crate) fn encode_key(key: &str) -> String {
    utf8_percent_encode(key, KEY).to_string()
}

/// Encodes a header value: control characters, `%` and non-ASCII text are
/// percent-encoded, and so are leading and trailing spaces (HTTP would
/// strip them).
pub(crate) fn encode_value(value: &str) -> String {
    let encoded = utf8_percent_encode(value, VALUE).to_string();
    let start = encoded.len() - encoded.trim_start_matches(' ').len();
    let end = encoded.trim_end_matches(' ').len();
    if start == 0 && end == encoded.len() {
        return encoded;
    }
    if start >= end {
        return "%20".repeat(encoded.len());
    }
    format!(
        "{}{}{}",
        "%20".repeat(start),
        &encoded[start..end],
        "%20".repeat(encoded.len() - end)
    )
}

/// Decodes percent-escapes as the server wrote them; text that is not valid
/// UTF-8 once decoded is kept as received.
pub(crate) fn decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    match percent_decode_str(text).decode_utf8() {
        Ok(decoded) => decoded.into_owned(),
        Err(_) => text.to_owned(),
    }
}

/// A header value as text, whatever bytes the server used.
fn value_text(value: &synnefo_core::http::HeaderValue) -> String {
    match value.to_str() {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
    }
}

/// Whether the server percent-quotes this (lower-case) header.
fn is_quoted(name: &str) -> bool {
    ["x-account-", "x-container-", "x-object-", "content-"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// The response headers as a map of lower-case names to decoded values
/// (repeated headers joined with `, `): the escape hatch every header-based
/// model keeps.
pub(crate) fn decoded_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let raw_name = name.as_str();
        let (name, value) = if is_quoted(raw_name) {
            (decode(raw_name).to_lowercase(), decode(&value_text(value)))
        } else {
            (raw_name.to_owned(), value_text(value))
        };
        out.entry(name)
            .and_modify(|existing| {
                existing.push_str(", ");
                existing.push_str(&value);
            })
            .or_insert(value);
    }
    out
}

/// The entries of `headers` (as from [`decoded_headers`]) whose name starts
/// with `prefix` (lower case), keyed by the rest of the name, lower-cased.
pub(crate) fn with_prefix(
    headers: &BTreeMap<String, String>,
    prefix: &str,
) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter_map(|(name, value)| {
            let key = name.strip_prefix(prefix)?;
            (!key.is_empty()).then(|| (key.to_lowercase(), value.clone()))
        })
        .collect()
}

/// A header as an unsigned number; `Ok(None)` when absent.
pub(crate) fn parse_u64(
    headers: &BTreeMap<String, String>,
    name: &str,
) -> Result<Option<u64>, String> {
    match headers.get(name) {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("the {name} header {text:?} is not a non-negative integer")),
    }
}

/// A header as a signed number; `Ok(None)` when absent.
pub(crate) fn parse_i64(
    headers: &BTreeMap<String, String>,
    name: &str,
) -> Result<Option<i64>, String> {
    match headers.get(name) {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("the {name} header {text:?} is not an integer")),
    }
}

/// A header holding an HTTP date (or, leniently, a decimal UNIX time, as
/// listings write version timestamps); `Ok(None)` when absent.
pub(crate) fn parse_date(
    headers: &BTreeMap<String, String>,
    name: &str,
) -> Result<Option<SystemTime>, String> {
    match headers.get(name) {
        None => Ok(None),
        Some(text) => parse_time(text)
            .map(Some)
            .ok_or_else(|| format!("the {name} header {text:?} is not a date")),
    }
}

/// Parses an HTTP date or a decimal UNIX timestamp.
pub(crate) fn parse_time(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    if let Ok(time) = httpdate::parse_http_date(text) {
        return Some(time);
    }
    unix_time(text.parse::<f64>().ok()?)
}

/// A UNIX timestamp (seconds, possibly fractional) as a `SystemTime`;
/// `None` for negative, infinite or absurd values.
pub(crate) fn unix_time(seconds: f64) -> Option<SystemTime> {
    if !seconds.is_finite() || !(0.0..=1e13).contains(&seconds) {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::from_secs_f64(seconds))
}

/// Formats a time as the server's `until` parameter: whole UNIX seconds,
/// rounded down. The server reads `until` as an integer and silently
/// ignores anything else, which would turn a history purge
/// (`DELETE ?until=`) into a plain delete — kamaki's `purge_container`
/// sent a fractional time.
pub(crate) fn format_until(time: SystemTime) -> String {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        .to_string()
}

/// Formats an HTTP date (`If-Modified-Since` and friends).
pub(crate) fn format_http_date(time: SystemTime) -> String {
    httpdate::fmt_http_date(time)
}

/// Checks a user-supplied meta key or group name before it becomes part of
/// a header name.
pub(crate) fn check_key(what: &str, key: &str) -> Result<()> {
    if key.trim().is_empty() {
        return Err(Error::Config(format!("{what} names must not be empty")));
    }
    Ok(())
}

/// Strips the quotes some servers put around an ETag.
pub(crate) fn unquote_etag(etag: &str) -> String {
    etag.trim().trim_matches('"').to_owned()
}

/// Adds one `<prefix><key>: <value>` header per pair (user metadata,
/// groups), key and value encoded; an empty value deletes the key on a
/// `POST ?update`.
pub(crate) fn with_keyed_headers<I, K, V>(
    mut request: Request,
    what: &str,
    prefix: &str,
    pairs: I,
) -> Result<Request>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    for (key, value) in pairs {
        let key = key.as_ref();
        check_key(what, key)?;
        let name = format!("{prefix}{}", encode_key(key));
        request = request.header(&name, encode_value(value.as_ref()))?;
    }
    Ok(request)
}

/// Adds `<prefix><key>: ` (empty) for each key: deletes them on a
/// `POST ?update`.
pub(crate) fn with_deleted_keys<I, K>(
    request: Request,
    what: &str,
    prefix: &str,
    keys: I,
) -> Result<Request>
where
    I: IntoIterator<Item = K>,
    K: AsRef<str>,
{
    with_keyed_headers(request, what, prefix, keys.into_iter().map(|k| (k, "")))
}

/// Adds `name: <HTTP date>` when `time` is given.
pub(crate) fn with_date(request: Request, name: &str, time: Option<SystemTime>) -> Result<Request> {
    request.header_opt(name, time.map(format_http_date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use synnefo_core::http::{HeaderName, HeaderValue};

    #[test]
    fn keys_become_valid_header_names() {
        assert_eq!(encode_key("color"), "color");
        assert_eq!(encode_key("κ"), "%CE%BA");
        assert_eq!(encode_key("100%"), "100%25");
        assert_eq!(encode_key("a b/c"), "a%20b%2Fc");
        for key in ["κλειδί", "a b", "x:y", "50%", "tab\tkey"] {
            let name = format!("x-object-meta-{}", encode_key(key));
            assert!(HeaderName::from_bytes(name.as_bytes()).is_ok(), "{name}");
        }
    }

    #[test]
    fn values_are_encoded_only_where_needed() {
        // kamaki's wire: X-Container-Meta-%CE%BA: %CE%BD
        assert_eq!(encode_value("ν"), "%CE%BD");
        assert_eq!(encode_value("plain, with spaces"), "plain, with spaces");
        assert_eq!(encode_value("100%"), "100%25");
        assert_eq!(encode_value("line\nbreak"), "line%0Abreak");
        assert_eq!(encode_value(" padded "), "%20padded%20");
        assert_eq!(encode_value("  "), "%20%20");
        assert_eq!(encode_value(""), "");
        for value in ["ν", "100%", " x ", "a\r\nb", "\u{7f}"] {
            assert!(
                HeaderValue::from_str(&encode_value(value)).is_ok(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn decode_round_trips_and_tolerates_junk() {
        for text in ["ν", "100%", " x ", "a,b;c=d", "%zz"] {
            assert_eq!(decode(&encode_value(text)), text);
        }
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%FF%FE"), "%FF%FE", "invalid UTF-8 is kept raw");
    }

    #[test]
    fn response_headers_are_decoded_and_lower_cased() {
        let mut headers = HeaderMap::new();
        headers.insert("x-object-meta-%ce%ba", HeaderValue::from_static("%CE%BD"));
        headers.insert("x-object-meta-foo-bar", HeaderValue::from_static("100%25"));
        headers.insert("etag", HeaderValue::from_static("\"abc%41\""));
        headers.append("x-object-meta-foo-bar", HeaderValue::from_static("two"));
        let decoded = decoded_headers(&headers);
        assert_eq!(decoded["x-object-meta-κ"], "ν");
        assert_eq!(decoded["x-object-meta-foo-bar"], "100%, two");
        assert_eq!(
            decoded["etag"], "\"abc%41\"",
            "only Pithos headers are quoted"
        );
        let meta = with_prefix(&decoded, "x-object-meta-");
        assert_eq!(meta.len(), 2);
        assert_eq!(meta["κ"], "ν");
    }

    #[test]
    fn numbers_and_dates_parse_or_explain() {
        let mut headers = BTreeMap::new();
        headers.insert("n".to_owned(), " 42 ".to_owned());
        headers.insert("bad".to_owned(), "x".to_owned());
        headers.insert("d".to_owned(), "Fri, 02 Dec 2011 08:10:41 GMT".to_owned());
        headers.insert("ts".to_owned(), "1322813441.565891".to_owned());
        assert_eq!(parse_u64(&headers, "n"), Ok(Some(42)));
        assert_eq!(parse_u64(&headers, "missing"), Ok(None));
        assert!(parse_u64(&headers, "bad").unwrap_err().contains("bad"));
        assert!(parse_i64(&headers, "bad").is_err());
        let date = parse_date(&headers, "d").unwrap().unwrap();
        assert_eq!(
            date.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1322813441
        );
        let ts = parse_date(&headers, "ts").unwrap().unwrap();
        assert_eq!(ts.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1322813441);
        assert!(parse_date(&headers, "bad").is_err());
        assert_eq!(unix_time(-1.0), None);
        assert_eq!(unix_time(f64::NAN), None);
    }

    #[test]
    fn until_is_unix_seconds() {
        assert_eq!(
            format_until(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            "1700000000"
        );
        assert_eq!(
            format_until(UNIX_EPOCH + Duration::from_micros(1_700_000_000_999_250)),
            "1700000000"
        );
        assert_eq!(format_until(UNIX_EPOCH - Duration::from_secs(5)), "0");
    }
}
