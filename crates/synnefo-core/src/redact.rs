//! Keeping secrets out of URLs, headers and excerpts that get logged or
//! stored in errors.

use crate::secret::{REDACTED, Token, redact_secret};
use http::HeaderMap;
use std::fmt::Write as _;

/// Header names whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "x-auth-token",
    "authorization",
    "proxy-authorization",
    "cookie",
];

/// Whether a header's value must never be shown.
pub(crate) fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// The URL with any `X-Auth-Token` query value and any user-info removed.
pub(crate) fn redact_url(url: &str) -> String {
    let (before_query, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let mut out = strip_userinfo(before_query);
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if is_secret_header(key) => format!("{key}={REDACTED}"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    out
}

fn strip_userinfo(url: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            return format!("{}{}{}", &url[..scheme_end + 3], REDACTED, &rest[at..]);
        }
    }
    url.to_owned()
}

/// The headers as `name: value` lines for logs, secret values masked.
pub(crate) fn format_headers(headers: &HeaderMap) -> String {
    let mut out = String::new();
    for (name, value) in headers {
        let shown = if is_secret_header(name.as_str()) {
            REDACTED.into()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        let _ = write!(out, "\n  {name}: {shown}");
    }
    out
}

/// The longest excerpt of a body kept in errors and logs, in characters.
pub(crate) const EXCERPT_CHARS: usize = 240;

/// Replaces every secret in `text` with the placeholder.
pub(crate) fn redact_all(text: &str, secrets: &[Token]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        out = redact_secret(&out, secret.expose());
    }
    out
}

/// The start of a body as text, with the secrets removed and control
/// characters escaped.
pub(crate) fn excerpt(body: &[u8], secrets: &[Token]) -> String {
    let text = redact_all(&String::from_utf8_lossy(body), secrets);
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() && c != '\n' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_query_tokens_and_userinfo() {
        assert_eq!(
            redact_url("https://u:p@h/a?x=1&X-Auth-Token=abc&y"),
            "https://***@h/a?x=1&X-Auth-Token=***&y"
        );
        assert_eq!(redact_url("http://h/a/b"), "http://h/a/b");
    }

    #[test]
    fn excerpt_truncates_and_redacts() {
        let token = Token::new("SECRET");
        let body = format!("token SECRET {}", "x".repeat(1000));
        let text = excerpt(body.as_bytes(), &[token]);
        assert!(!text.contains("SECRET"));
        assert!(text.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt(b"a\x07b", &[]), "a\\u{7}b");
    }

    #[test]
    fn secret_headers_are_masked() {
        let mut headers = HeaderMap::new();
        headers.insert("x-auth-token", "abc".parse().unwrap());
        headers.insert("content-type", "text/plain".parse().unwrap());
        let text = format_headers(&headers);
        assert!(!text.contains("abc"));
        assert!(text.contains("content-type: text/plain"));
    }
}
