//! Responses of the service modules and the headers every API response gets.

use std::borrow::Cow;

use bytes::Bytes;
use http::header::{self, HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};
use serde_json::Value;
use time::OffsetDateTime;

use crate::body::ResponseBody;
use crate::dates::http_date;
use crate::fault_body::Fault;
use crate::json::to_python_json;

/// `Content-Type` of JSON responses (forced by the servers' serialization layer).
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// `Cache-Control` of every API response.
pub(crate) const NEVER_CACHE: &str = "no-cache, no-store, must-revalidate, max-age=0";

/// A complete response of a service module, before the common headers.
#[derive(Clone, Debug)]
pub(crate) struct ApiResponse {
    /// The status.
    pub(crate) status: StatusCode,
    /// Service-specific headers (`Allow`, `Retry-After`…).
    pub(crate) headers: HeaderMap,
    /// The body (dropped on the wire for `HEAD`).
    pub(crate) body: ResponseBody,
    /// The `Content-Type`.
    pub(crate) content_type: Cow<'static, str>,
}

/// Maps a numeric status to a `StatusCode` (invalid ones become 500).
pub(crate) fn status_code(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl ApiResponse {
    /// A JSON response, serialized like Python's `json.dumps`.
    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: ResponseBody::Full(Bytes::from(to_python_json(value))),
            content_type: Cow::Borrowed(JSON_CONTENT_TYPE),
        }
    }

    /// An empty response (still typed JSON, as the servers do).
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body: ResponseBody::empty(),
            content_type: Cow::Borrowed(JSON_CONTENT_TYPE),
        }
    }

    /// A response with any body and content type.
    pub(crate) fn with_body(
        status: u16,
        content_type: impl Into<Cow<'static, str>>,
        body: ResponseBody,
    ) -> Self {
        Self {
            status: status_code(status),
            headers: HeaderMap::new(),
            body,
            content_type: content_type.into(),
        }
    }

    /// Adds a header; values that are not valid header text are skipped.
    pub(crate) fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.append(name, value);
        }
        self
    }

    /// Adds the headers every API response carries (`Content-Type`,
    /// `Content-Length` when the length is known, `Vary`, `Cache-Control`,
    /// `Expires`) and returns the parts to send. `Content-Length` is the full
    /// body length even for `HEAD`.
    pub(crate) fn finish(self, now: OffsetDateTime) -> (StatusCode, HeaderMap, ResponseBody) {
        let Self {
            status,
            mut headers,
            mut body,
            content_type,
        } = self;
        if status == StatusCode::NOT_MODIFIED || status == StatusCode::NO_CONTENT {
            body = ResponseBody::empty();
        }
        let content_type = HeaderValue::from_str(&content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
        headers.insert(header::CONTENT_TYPE, content_type);
        match body.len() {
            Some(len) => {
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            }
            None => {
                headers.remove(header::CONTENT_LENGTH);
            }
        }
        headers.insert(header::VARY, HeaderValue::from_static("X-Auth-Token"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NEVER_CACHE));
        if let Ok(expires) = HeaderValue::from_str(&http_date(now)) {
            headers.insert(header::EXPIRES, expires);
        }
        (status, headers, body)
    }
}

impl From<Fault> for ApiResponse {
    fn from(fault: Fault) -> Self {
        let mut response = Self::json(fault.code, &fault.to_json());
        if fault.code == 405 && !fault.allow.is_empty() {
            response = response.with_header(header::ALLOW, &fault.allow.join(","));
        }
        response
    }
}

/// What service handlers return: a response, or a fault to render.
pub(crate) type ApiResult = Result<ApiResponse, Fault>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_response_headers() {
        let (status, headers, body) = ApiResponse::from(Fault::not_allowed(&["GET", "POST"]))
            .finish(OffsetDateTime::now_utc());
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(headers[header::ALLOW], "GET,POST");
        assert_eq!(headers[header::CONTENT_TYPE], JSON_CONTENT_TYPE);
        assert_eq!(
            headers[header::CONTENT_LENGTH],
            body.len().unwrap_or(0).to_string().as_str()
        );
        assert_eq!(headers[header::VARY], "X-Auth-Token");
        assert_eq!(headers[header::CACHE_CONTROL], NEVER_CACHE);
    }
}
