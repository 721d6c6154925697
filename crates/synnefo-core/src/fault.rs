//! The error body Synnefo services send ("cloudFault").
//!
//! Every service answers a failure with a one-key JSON object whose key names
//! the fault: `{"itemNotFound": {"code": 404, "message": "…", "details": "…"}}`.
//! Astakos-relayed failures use the generic key `fault`. Bodies may also be
//! empty (405 from some services) or not JSON at all (a proxy's HTML page);
//! [`CloudFault::parse`] returns `None` for those and the caller keeps an
//! excerpt of the raw text instead.

use serde_json::Value;
use std::fmt;

/// A parsed cloudFault error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudFault {
    /// The fault name: the body's single key (`itemNotFound`, `overLimit`,
    /// `badRequest`, or the generic `fault`).
    pub name: String,
    /// The `code` the server put in the body, which usually equals the HTTP
    /// status. It is kept apart from the status and never replaces it.
    pub code: Option<u16>,
    /// The human-readable `message`.
    pub message: Option<String>,
    /// The `details`, when the server sent any (empty strings are dropped).
    pub details: Option<String>,
}

impl CloudFault {
    /// Parses a cloudFault body; `None` when the body is empty, not JSON, or
    /// not shaped as a single-key object holding an object.
    pub fn parse(body: &[u8]) -> Option<CloudFault> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let object = value.as_object()?;
        if object.len() != 1 {
            return None;
        }
        let (name, inner) = object.iter().next()?;
        let inner = inner.as_object()?;
        let code = inner.get("code").and_then(|code| match code {
            Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        Some(CloudFault {
            name: name.clone(),
            code,
            message: inner.get("message").and_then(text_of),
            details: inner.get("details").and_then(text_of),
        })
    }
}

/// A JSON value as display text: strings as they are, lists joined by
/// newlines, other values as JSON; empty results are `None`.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    };
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl fmt::Display for CloudFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(details) = &self.details {
            write!(f, " ({details})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_named_fault() {
        let body = br#"{"overLimit": {"message": "Resource Limit Exceeded", "code": 413, "details": "quota"}}"#;
        let fault = CloudFault::parse(body).unwrap();
        assert_eq!(fault.name, "overLimit");
        assert_eq!(fault.code, Some(413));
        assert_eq!(fault.message.as_deref(), Some("Resource Limit Exceeded"));
        assert_eq!(fault.details.as_deref(), Some("quota"));
        assert_eq!(
            fault.to_string(),
            "overLimit: Resource Limit Exceeded (quota)"
        );
    }

    #[test]
    fn parses_generic_fault_key_and_empty_details() {
        let body = br#"{"fault": {"message": "Invalid token", "code": 401, "details": ""}}"#;
        let fault = CloudFault::parse(body).unwrap();
        assert_eq!(fault.name, "fault");
        assert_eq!(fault.details, None);
    }

    #[test]
    fn fault_without_message_or_code() {
        let fault =
            CloudFault::parse(br#"{"ExampleError": {"details": "Explain your error"}}"#).unwrap();
        assert_eq!(fault.code, None);
        assert_eq!(fault.message, None);
        assert_eq!(fault.to_string(), "ExampleError (Explain your error)");
    }

    #[test]
    fn rejects_what_is_not_a_fault() {
        for body in [
            &b""[..],
            b"Not Found",
            b"<html><body>502 Bad Gateway</body></html>",
            b"[1,2]",
            br#"{"a": {}, "b": {}}"#,
            br#"{"a": "text"}"#,
            b"\xff\xfe",
        ] {
            assert_eq!(CloudFault::parse(body), None, "{body:?}");
        }
    }

    #[test]
    fn odd_codes_and_list_details() {
        let body = br#"{"badRequest": {"code": "400", "message": "m", "details": ["a", "b"]}}"#;
        let fault = CloudFault::parse(body).unwrap();
        assert_eq!(fault.code, Some(400));
        assert_eq!(fault.details.as_deref(), Some("a\nb"));
        let body = br#"{"badRequest": {"code": 99999999, "message": "m"}}"#;
        assert_eq!(CloudFault::parse(body).unwrap().code, None);
    }
}
