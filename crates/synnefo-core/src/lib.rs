//! The shared HTTP transport of synnefo-rs.
//!
//! Every service crate (`synnefo-astakos`, `synnefo-pithos`, …) builds its
//! requests as data ([`Request`]) and executes them through an [`Endpoint`]:
//! a base URL, a [`Token`], and the shared [`HttpClient`]. The client owns
//! what every service needs once:
//!
//! - TLS with rustls, verification on by default, extra CA files, and a
//!   loudly logged insecure mode ([`TlsConfig`]);
//! - timeouts and idempotency-aware retries with jittered backoff that
//!   honour `Retry-After` ([`ClientConfig`], [`RetryConfig`]);
//! - one error type ([`Error`]) with the service's parsed [`CloudFault`],
//!   classified transport failures, and no secrets in any message;
//! - a `tracing` span per attempt (method, URL, attempt, status, latency);
//! - marker pagination as a stream ([`paginate`]) and waits with a real
//!   deadline ([`wait_for`]).
//!
//! ```no_run
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_core::{ClientConfig, HttpClient, Request, Token};
//!
//! let http = HttpClient::new(ClientConfig::default())?;
//! let identity = http.endpoint(
//!     "https://accounts.example.org/identity/v2.0",
//!     Some(Token::new("my-token")),
//! )?;
//! let access: serde_json::Value = identity
//!     .send_json(Request::post().segment("tokens").json(&serde_json::json!({
//!         "auth": {"token": {"id": "my-token"}}
//!     }))?)
//!     .await?;
//! # Ok(()) }
//! ```

mod client;
mod config;
mod encode;
mod error;
mod fault;
mod hyper_transport;
pub mod lenient;
mod paging;
mod redact;
mod request;
mod response;
mod retry;
mod secret;
mod service;
pub mod testing;
mod tls;
mod transport;
mod wait;

pub use client::{Endpoint, HttpClient};
pub use config::{ClientConfig, RetryConfig};
pub use encode::{encode_object_path, encode_query_component, encode_segment};
pub use error::{
    BoxError, Error, HttpError, InvalidResponse, Result, TransportError, TransportErrorKind,
};
pub use fault::CloudFault;
pub use hyper_transport::HyperTransport;
pub use paging::{Page, paginate};
pub use request::{Body, Expect, Request, StreamBody};
pub use response::{Response, StreamingResponse};
pub use secret::{REDACTED, Token};
pub use service::{Service, api_version, normalize_endpoint_url};
pub use tls::TlsConfig;
pub use transport::{BoxFuture, RequestBody, ResponseBody, Transport, TransportFailure};
pub use wait::{Poll, ProgressFn, WaitOptions, WaitProgress, wait_for};

/// Re-exported so service crates and users name the same `http` types.
pub use http;
