//! Client settings, with documented defaults.

use crate::tls::TlsConfig;
use std::time::Duration;

/// Settings shared by every service client built from one
/// [`HttpClient`](crate::HttpClient).
///
/// | setting | default | why |
/// |---|---|---|
/// | `connect_timeout` | 10 s | a cloud API that takes longer to accept a connection is down |
/// | `request_timeout` | 60 s | from sending to the last byte of a buffered response; streamed bodies are bounded by `read_timeout` between chunks instead |
/// | `read_timeout` | 60 s | the longest silence tolerated inside a streamed body |
/// | `retry` | see [`RetryConfig`] | |
/// | `pool_idle_timeout` | 90 s | below common server keep-alive limits |
/// | `pool_max_idle_per_host` | 32 | room for parallel block transfers |
/// | `http2` | off | many HTTP/1.1 connections move bulk data faster |
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Limit on establishing a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Limit on one attempt of a buffered request, start to finish.
    pub request_timeout: Duration,
    /// Limit on the silence between chunks of a streamed response body.
    pub read_timeout: Duration,
    /// When and how often to retry.
    pub retry: RetryConfig,
    /// TLS verification settings.
    pub tls: TlsConfig,
    /// How long an idle pooled connection is kept.
    pub pool_idle_timeout: Duration,
    /// How many idle connections per host are kept.
    pub pool_max_idle_per_host: usize,
    /// Offer HTTP/2 through ALPN on TLS connections.
    pub http2: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            retry: RetryConfig::default(),
            tls: TlsConfig::default(),
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: 32,
            http2: false,
            user_agent: concat!("synnefo-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// Retry settings: exponential backoff with full jitter.
///
/// What is retried: idempotent requests (GET, HEAD, PUT, DELETE, and any
/// request marked idempotent) after a connect error, a timeout, an
/// interrupted connection, or a 429, 502, 503 or 504 answer; a
/// non-idempotent request only after a connect error, the one failure that
/// proves it never reached the server. A `Retry-After` header sets the wait
/// before the next attempt, up to `max_retry_after`; a longer demand ends
/// the retries and the error carries the advice.
///
/// | setting | default |
/// |---|---|
/// | `max_attempts` | 4 (the first try and 3 retries) |
/// | `initial_backoff` | 200 ms |
/// | `max_backoff` | 10 s |
/// | `max_retry_after` | 60 s |
#[derive(Clone, Debug)]
pub struct RetryConfig {
    /// Total attempts per request, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry; it doubles each retry.
    pub initial_backoff: Duration,
    /// The highest backoff ceiling.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn none() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }
}
