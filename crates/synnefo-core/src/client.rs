//! The HTTP client every service shares: executes [`Request`]s with
//! timeouts, retries, tracing and error mapping.

use crate::config::ClientConfig;
use crate::error::{BoxError, Error, HttpError, Result, TransportError, TransportErrorKind};
use crate::fault::CloudFault;
use crate::hyper_transport::HyperTransport;
use crate::redact::{excerpt, format_headers, redact_all, redact_url};
use crate::request::{Body, Request};
use crate::response::{Origin, Response, StreamingResponse};
use crate::retry::{backoff, is_retryable_failure, is_retryable_status, retry_after};
use crate::secret::Token;
use crate::transport::{
    BoxFuture, RequestBody, ResponseBody, Transport, TransportFailure, classify_body_error,
};
use bytes::Bytes;
use http::header::{CONTENT_LENGTH, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, StatusCode, Uri};
use http_body_util::{BodyExt, Empty, Full};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The most of an error body read from a streamed response.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The shared HTTP client: a transport, its settings, and the retry loop.
/// Cheap to clone; all clones share one connection pool.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_core::{ClientConfig, HttpClient, Request, Token};
/// let http = HttpClient::new(ClientConfig::default())?;
/// let compute = http.endpoint(
///     "https://cyclades.example.org/compute/v2.0",
///     Some(Token::new("my-token")),
/// )?;
/// let flavors: serde_json::Value = compute.send_json(Request::get().segment("flavors")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Arc<dyn Transport>,
    config: ClientConfig,
}

impl HttpClient {
    /// A client over the default hyper transport.
    ///
    /// # Errors
    /// [`Error::Config`] when the TLS settings cannot work.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let transport = HyperTransport::new(&config)?;
        Ok(Self::with_transport(Arc::new(transport), config))
    }

    /// A client over any transport (a recording fake, a special proxy).
    pub fn with_transport(transport: Arc<dyn Transport>, config: ClientConfig) -> Self {
        HttpClient {
            inner: Arc::new(Inner { transport, config }),
        }
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// An endpoint of this client at `base_url`, sending `token`.
    ///
    /// # Errors
    /// [`Error::Config`] when the URL is not an absolute http(s) URL.
    pub fn endpoint(&self, base_url: &str, token: Option<Token>) -> Result<Endpoint> {
        Endpoint::new(self.clone(), base_url, token)
    }

    /// Executes `request` against `base`, retrying as configured; the
    /// response head is returned once its status is accepted.
    async fn execute(
        &self,
        base: &str,
        token: Option<&Token>,
        request: &Request,
        buffered: bool,
    ) -> Result<Exchange> {
        let url = format!("{base}{}", request.path_and_query());
        let shown_url = shown_url(&url, token, request);
        let uri: Uri = url
            .parse()
            .map_err(|e| Error::Config(format!("invalid request URL {shown_url}: {e}")))?;
        let origin = Origin {
            method: request.method().clone(),
            url: shown_url,
            secrets: secrets_of(token, request),
        };
        let retry = &self.inner.config.retry;
        let max_attempts = retry.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "http",
                method = %origin.method,
                url = %origin.url,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = self
                .attempt(&uri, token, request, &origin, buffered)
                .instrument(span.clone())
                .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let can_retry = attempt < max_attempts;
            match outcome {
                Ok(exchange) => {
                    span.record("status", exchange.status.as_u16());
                    if request.expected().accepts(exchange.status) {
                        return Ok(exchange);
                    }
                    let advice = retry_after(&exchange.headers);
                    let advice_ok = advice.is_none_or(|wait| wait <= retry.max_retry_after);
                    if can_retry
                        && request.is_idempotent()
                        && is_retryable_status(exchange.status)
                        && advice_ok
                        && is_replayable(request.body_ref())
                    {
                        let wait = advice.unwrap_or_else(|| backoff(retry, attempt));
                        span.in_scope(|| {
                            tracing::debug!(status = %exchange.status, ?wait, "retrying after a retryable status")
                        });
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(self.http_error(&origin, exchange, attempt, advice).await);
                }
                Err(failure) => {
                    if can_retry
                        && is_retryable_failure(failure.kind, request.is_idempotent())
                        && is_replayable(request.body_ref())
                    {
                        let wait = backoff(retry, attempt);
                        span.in_scope(|| {
                            tracing::debug!(kind = %failure.kind, error = %failure.source, ?wait, "retrying after a transport failure")
                        });
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    span.in_scope(|| {
                        tracing::debug!(kind = %failure.kind, error = %failure.source, "request failed")
                    });
                    return Err(Error::Transport(Box::new(TransportError {
                        kind: failure.kind,
                        method: origin.method.clone(),
                        url: origin.url.clone(),
                        attempts: attempt,
                        source: Some(failure.source),
                    })));
                }
            }
        }
    }

    /// One attempt: send, and for buffered requests read the body, all
    /// within the request timeout.
    async fn attempt(
        &self,
        uri: &Uri,
        token: Option<&Token>,
        request: &Request,
        origin: &Origin,
        buffered: bool,
    ) -> Result<Exchange, TransportFailure> {
        let http_request = self.http_request(uri, token, request)?;
        tracing::debug!(
            "sending {} {}{}",
            request.method(),
            origin.url,
            format_headers(http_request.headers())
        );
        let timeout = self.inner.config.request_timeout;
        let transport = &self.inner.transport;
        let exchange = async move {
            let response = transport.send(http_request).await?;
            let (parts, body) = response.into_parts();
            let body = if buffered {
                let expected = parts
                    .headers
                    .get(http::header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<usize>().ok());
                ExchangeBody::Buffered(read_body(body, expected).await?)
            } else {
                ExchangeBody::Streaming(body)
            };
            Ok(Exchange {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        };
        let exchange = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| {
                TransportFailure::new(
                    TransportErrorKind::Timeout,
                    format!("no complete response within {timeout:?}"),
                )
            })??;
        tracing::debug!(
            "received {}{}",
            exchange.status,
            format_headers(&exchange.headers)
        );
        if let ExchangeBody::Buffered(bytes) = &exchange.body {
            tracing::trace!(body = %excerpt(bytes, &origin.secrets), "response body");
        }
        Ok(exchange)
    }

    /// The `http::Request` for one attempt.
    fn http_request(
        &self,
        uri: &Uri,
        token: Option<&Token>,
        request: &Request,
    ) -> Result<http::Request<RequestBody>, TransportFailure> {
        let mut headers = request.headers().clone();
        if let Some(token) = token {
            let mut value = HeaderValue::from_str(token.expose()).map_err(|_| {
                TransportFailure::new(
                    TransportErrorKind::Other,
                    "the token contains characters that HTTP headers do not allow",
                )
            })?;
            value.set_sensitive(true);
            headers.insert("x-auth-token", value);
        }
        if !headers.contains_key(USER_AGENT)
            && let Ok(agent) = HeaderValue::from_str(&self.inner.config.user_agent)
        {
            headers.insert(USER_AGENT, agent);
        }
        let body: RequestBody = match request.body_ref() {
            Body::Empty => {
                if sends_body(request.method()) {
                    headers.insert(CONTENT_LENGTH, HeaderValue::from(0u64));
                }
                Empty::new().map_err(|never| match never {}).boxed_unsync()
            }
            Body::Bytes(bytes) => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(bytes.len() as u64));
                Full::new(bytes.clone())
                    .map_err(|never| match never {})
                    .boxed_unsync()
            }
            Body::Stream(stream) => {
                if let Some(length) = stream.length() {
                    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
                }
                stream.take().ok_or_else(|| {
                    TransportFailure::new(
                        TransportErrorKind::Body,
                        "the streamed request body was already sent once and cannot be replayed",
                    )
                })?
            }
        };
        let mut http_request = http::Request::new(body);
        *http_request.method_mut() = request.method().clone();
        *http_request.uri_mut() = uri.clone();
        *http_request.headers_mut() = headers;
        Ok(http_request)
    }

    /// The error for a refused status, with the parsed fault or an excerpt.
    async fn http_error(
        &self,
        origin: &Origin,
        exchange: Exchange,
        attempts: u32,
        retry_after: Option<Duration>,
    ) -> Error {
        let body = match exchange.body {
            ExchangeBody::Buffered(bytes) => bytes,
            ExchangeBody::Streaming(body) => {
                let read = read_error_body(body);
                tokio::time::timeout(self.inner.config.read_timeout, read)
                    .await
                    .unwrap_or_default()
            }
        };
        let redacted = excerpt(&body, &origin.secrets);
        let fault = if origin.secrets.is_empty() {
            CloudFault::parse(&body)
        } else {
            CloudFault::parse(
                redact_all(&String::from_utf8_lossy(&body), &origin.secrets).as_bytes(),
            )
        };
        let body_excerpt = (fault.is_none() && !redacted.is_empty()).then_some(redacted);
        Error::Http(Box::new(HttpError {
            method: origin.method.clone(),
            url: origin.url.clone(),
            status: exchange.status,
            fault,
            body_excerpt,
            retry_after,
            attempts,
        }))
    }
}

/// The URL as it may be shown: query secrets, user-info, the token and the
/// request's registered secrets replaced by a placeholder.
fn shown_url(url: &str, token: Option<&Token>, request: &Request) -> String {
    let mut shown = redact_url(url);
    for secret in token.into_iter().chain(request.secrets()) {
        shown = secret.redact(&shown);
        let encoded = crate::encode::encode_segment(secret.expose());
        if encoded != secret.expose() {
            shown = shown.replace(&encoded, crate::secret::REDACTED);
        }
    }
    shown
}

/// The endpoint token and the request's registered secrets.
fn secrets_of(token: Option<&Token>, request: &Request) -> Vec<Token> {
    token
        .into_iter()
        .chain(request.secrets())
        .cloned()
        .collect()
}

/// The most memory reserved up front from a `Content-Length`; a longer
/// body still arrives whole, growing the buffer as it comes.
const PREALLOCATE_LIMIT: usize = 64 * 1024 * 1024;

/// Reads a whole body into one buffer, sized from `Content-Length` when
/// known, so a large body is copied once (collecting its frames and then
/// joining them would hold it twice).
async fn read_body(
    mut body: ResponseBody,
    expected: Option<usize>,
) -> Result<Bytes, TransportFailure> {
    let mut first: Option<Bytes> = None;
    let mut buffer: Option<bytes::BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e: BoxError| TransportFailure {
            kind: classify_body_error(e.as_ref()),
            source: e,
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if let Some(buffer) = buffer.as_mut() {
            buffer.extend_from_slice(&data);
        } else if let Some(previous) = first.take() {
            let capacity = expected
                .unwrap_or(0)
                .min(PREALLOCATE_LIMIT)
                .max(previous.len() + data.len());
            let mut joined = bytes::BytesMut::with_capacity(capacity);
            joined.extend_from_slice(&previous);
            joined.extend_from_slice(&data);
            buffer = Some(joined);
        } else {
            // A body of one frame is kept as it came, without a copy.
            first = Some(data);
        }
    }
    Ok(match (buffer, first) {
        (Some(buffer), _) => buffer.freeze(),
        (None, Some(only)) => only,
        (None, None) => Bytes::new(),
    })
}

/// Reads the start of an error body, up to [`ERROR_BODY_LIMIT`]; a body
/// that fails midway keeps what arrived.
async fn read_error_body(mut body: ResponseBody) -> Bytes {
    let mut collected = Vec::new();
    while collected.len() < ERROR_BODY_LIMIT {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    collected.extend_from_slice(&data);
                }
            }
            _ => break,
        }
    }
    collected.truncate(ERROR_BODY_LIMIT);
    Bytes::from(collected)
}

/// Whether the method carries a body, so an empty one is announced with
/// `Content-Length: 0`.
fn sends_body(method: &Method) -> bool {
    matches!(method.as_str(), "POST" | "PUT" | "PATCH" | "COPY" | "MOVE")
}

/// Whether another attempt can send the body again.
fn is_replayable(body: &Body) -> bool {
    !matches!(body, Body::Stream(_))
}

/// A response head with its body, read or not.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: ExchangeBody,
}

enum ExchangeBody {
    Buffered(Bytes),
    Streaming(ResponseBody),
}

/// A service's base URL with the token to send and the client to send it
/// with. Service clients are thin wrappers around one `Endpoint`.
#[derive(Clone, Debug)]
pub struct Endpoint {
    http: HttpClient,
    base_url: Arc<str>,
    token: Option<Token>,
}

impl Endpoint {
    /// An endpoint at `base_url` (trailing `/` removed).
    ///
    /// # Errors
    /// [`Error::Config`] when the URL is not an absolute http(s) URL.
    pub fn new(http: HttpClient, base_url: &str, token: Option<Token>) -> Result<Self> {
        let base = base_url.trim().trim_end_matches('/');
        let uri: Uri = base.parse().map_err(|e| {
            Error::Config(format!("invalid endpoint URL {:?}: {e}", redact_url(base)))
        })?;
        match uri.scheme_str() {
            Some("http" | "https") if uri.host().is_some() => {}
            _ => {
                return Err(Error::Config(format!(
                    "invalid endpoint URL {:?}: it must start with http:// or https:// and name a host",
                    redact_url(base)
                )));
            }
        }
        Ok(Endpoint {
            http,
            base_url: Arc::from(base),
            token,
        })
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token sent with every request.
    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    /// The shared client.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The same endpoint with another token.
    pub fn with_token(&self, token: Option<Token>) -> Endpoint {
        Endpoint {
            token,
            ..self.clone()
        }
    }

    /// The full URL `request` goes to.
    pub fn url_for(&self, request: &Request) -> String {
        format!("{}{}", self.base_url, request.path_and_query())
    }

    /// Sends `request` and reads the whole response.
    ///
    /// # Errors
    /// [`Error::Http`] for a status the request does not accept,
    /// [`Error::Transport`] when the exchange fails after the allowed
    /// retries, [`Error::Config`] for a request that cannot be built.
    pub fn send(&self, request: Request) -> BoxFuture<'_, Result<Response>> {
        // Boxed so that callers holding many of these futures (parallel
        // block transfers) get a plain `Send` future, whatever the body of
        // the exchange holds.
        Box::pin(self.send_inner(request))
    }

    async fn send_inner(&self, request: Request) -> Result<Response> {
        let exchange = self
            .http
            .execute(&self.base_url, self.token.as_ref(), &request, true)
            .await?;
        let origin = self.origin(&request);
        let body = match exchange.body {
            ExchangeBody::Buffered(bytes) => bytes,
            ExchangeBody::Streaming(_) => Bytes::new(),
        };
        Ok(Response::new(
            origin,
            exchange.status,
            exchange.headers,
            body,
        ))
    }

    /// Sends `request` and decodes the JSON body as `T`.
    ///
    /// # Errors
    /// As [`Endpoint::send`], plus [`Error::InvalidResponse`] when the body
    /// is not the expected JSON.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.send(request).await?.json()
    }

    /// Sends `request` and decodes the member `key` of its JSON body (the
    /// one-key envelopes OpenStack APIs answer with, `{"server": {…}}`).
    ///
    /// # Errors
    /// As [`Endpoint::send`], plus [`Error::InvalidResponse`] as
    /// [`Response::json_field`] says.
    pub async fn send_field<T: DeserializeOwned>(&self, request: Request, key: &str) -> Result<T> {
        self.send(request).await?.json_field(key)
    }

    /// Sends `request`, ignoring any body of the answer.
    ///
    /// # Errors
    /// As [`Endpoint::send`].
    pub async fn send_empty(&self, request: Request) -> Result<()> {
        self.send(request).await.map(drop)
    }

    /// Sends `request` and returns once the response head is in; the body
    /// streams afterwards, each chunk within the read timeout.
    ///
    /// # Errors
    /// As [`Endpoint::send`].
    pub fn send_streaming(&self, request: Request) -> BoxFuture<'_, Result<StreamingResponse>> {
        Box::pin(self.send_streaming_inner(request))
    }

    async fn send_streaming_inner(&self, request: Request) -> Result<StreamingResponse> {
        let exchange = self
            .http
            .execute(&self.base_url, self.token.as_ref(), &request, false)
            .await?;
        let origin = self.origin(&request);
        let body = match exchange.body {
            ExchangeBody::Streaming(body) => body,
            ExchangeBody::Buffered(bytes) => Full::new(bytes)
                .map_err(|never| match never {})
                .boxed_unsync(),
        };
        Ok(StreamingResponse::new(
            origin,
            exchange.status,
            exchange.headers,
            body,
            self.http.config().read_timeout,
        ))
    }

    fn origin(&self, request: &Request) -> Origin {
        Origin {
            method: request.method().clone(),
            url: shown_url(&self.url_for(request), self.token.as_ref(), request),
            secrets: secrets_of(self.token.as_ref(), request),
        }
    }
}
