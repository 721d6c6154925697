//! The default transport: hyper 1 with hyper-util's pooled client and
//! hyper-rustls.

use crate::config::ClientConfig;
use crate::error::{BoxError, Result, TransportErrorKind};
use crate::tls;
use crate::transport::{BoxFuture, RequestBody, ResponseBody, Transport, TransportFailure};
use http_body_util::BodyExt;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// hyper 1 + hyper-util's keep-alive pool + rustls.
///
/// HTTP/1.1 with a pool of connections per host is the default: for bulk
/// transfer many HTTP/1.1 connections beat one HTTP/2 connection with
/// hyper's default windows. HTTP/2 can be offered through ALPN with
/// [`ClientConfig::http2`].
#[derive(Clone, Debug)]
pub struct HyperTransport {
    client: Client<HttpsConnector<HttpConnector>, RequestBody>,
}

impl HyperTransport {
    /// Builds the transport for `config`: TLS roots, timeouts, pool sizes.
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) when the TLS settings cannot
    /// work (an unreadable CA file, no trusted roots).
    pub fn new(config: &ClientConfig) -> Result<Self> {
        let tls = tls::client_config(&config.tls)?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(config.connect_timeout));
        http.set_keepalive(Some(std::time::Duration::from_secs(60)));
        let builder = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http();
        let connector = if config.http2 {
            builder.enable_http1().enable_http2().wrap_connector(http)
        } else {
            builder.enable_http1().wrap_connector(http)
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(config.pool_idle_timeout)
            .pool_max_idle_per_host(config.pool_max_idle_per_host)
            .retry_canceled_requests(true)
            // Send bodies with vectored writes: without it hyper copies each
            // body (4 MiB Pithos blocks) into its own buffer first.
            .http1_writev(true)
            .build(connector);
        Ok(HyperTransport { client })
    }
}

impl Transport for HyperTransport {
    fn send(
        &self,
        request: http::Request<RequestBody>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportFailure>> {
        Box::pin(async move {
            match self.client.request(request).await {
                Ok(response) => Ok(response
                    .map(|body| body.map_err(|e| -> BoxError { Box::new(e) }).boxed_unsync())),
                Err(error) => {
                    let kind = classify_client_error(&error);
                    Err(TransportFailure::new(kind, error))
                }
            }
        })
    }
}

/// Maps a hyper-util client error to a kind. Connect errors (refused, DNS,
/// TLS handshake, connect timeout) mean the request never left.
fn classify_client_error(error: &hyper_util::client::legacy::Error) -> TransportErrorKind {
    if error.is_connect() {
        return TransportErrorKind::Connect;
    }
    match std::error::Error::source(error) {
        Some(source) => crate::transport::classify_body_error(source),
        None => TransportErrorKind::Other,
    }
}
