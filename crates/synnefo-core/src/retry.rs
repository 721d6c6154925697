//! Retry decisions and backoff, separate from any particular service.

use crate::config::RetryConfig;
use crate::error::TransportErrorKind;
use http::{HeaderMap, StatusCode};
use std::time::{Duration, SystemTime};

/// Whether a response status is worth another attempt (for idempotent
/// requests only).
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Whether a transport failure is worth another attempt. A connect failure
/// proves the request never reached the server, so any request may be
/// repeated; after the other failures the server may have acted on it, so
/// only idempotent requests are.
pub(crate) fn is_retryable_failure(kind: TransportErrorKind, idempotent: bool) -> bool {
    match kind {
        TransportErrorKind::Connect => true,
        TransportErrorKind::Timeout | TransportErrorKind::Interrupted => idempotent,
        TransportErrorKind::Decode | TransportErrorKind::Body | TransportErrorKind::Other => false,
    }
}

/// The backoff before retry number `retry` (1 for the first retry): a
/// uniformly random wait up to `initial × 2^(retry-1)`, capped at
/// `max_backoff` ("full jitter", which spreads clients that failed
/// together).
pub(crate) fn backoff(config: &RetryConfig, retry: u32) -> Duration {
    let exponent = retry.saturating_sub(1).min(20);
    let ceiling = config
        .initial_backoff
        .saturating_mul(1u32 << exponent)
        .min(config.max_backoff);
    let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(fastrand::u64(0..=millis))
}

/// The server's `Retry-After` advice: delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn backoff_stays_under_its_ceiling() {
        let config = RetryConfig {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryConfig::default()
        };
        for _ in 0..200 {
            assert!(backoff(&config, 1) <= Duration::from_millis(100));
            assert!(backoff(&config, 2) <= Duration::from_millis(200));
            assert!(backoff(&config, 3) <= Duration::from_millis(350));
            assert!(backoff(&config, 40) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        headers.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_connect_failures_repeat_non_idempotent_requests() {
        assert!(is_retryable_failure(TransportErrorKind::Connect, false));
        assert!(!is_retryable_failure(
            TransportErrorKind::Interrupted,
            false
        ));
        assert!(!is_retryable_failure(TransportErrorKind::Timeout, false));
        assert!(is_retryable_failure(TransportErrorKind::Timeout, true));
        assert!(!is_retryable_failure(TransportErrorKind::Decode, true));
    }
}
