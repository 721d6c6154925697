//! The transport over real HTTP against synnefo-sim: retries, idempotency,
//! Retry-After, timeouts, dropped connections, error bodies, and
//! percent-encoding as the server received it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use futures_util::TryStreamExt;
use http::StatusCode;
use std::time::{Duration, Instant};
use synnefo_core::{
    ClientConfig, Endpoint, Error, HttpClient, Request, RetryConfig, Token, TransportErrorKind,
};
use synnefo_sim::{FaultAction, FaultRule, Sim, SimHandle};

const IDENTITY: &str = "/astakos/identity/v2.0";

fn config(max_attempts: u32) -> ClientConfig {
    ClientConfig {
        retry: RetryConfig {
            max_attempts,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        },
        request_timeout: Duration::from_secs(5),
        ..ClientConfig::default()
    }
}

fn identity(sim: &SimHandle, config: ClientConfig) -> Endpoint {
    HttpClient::new(config)
        .unwrap()
        .endpoint(&sim.identity_url(), Some(Token::new(sim.token())))
        .unwrap()
}

fn authenticate(sim: &SimHandle) -> Request {
    Request::post()
        .segment("tokens")
        .json(&serde_json::json!({"auth": {"token": {"id": sim.token()}}}))
        .unwrap()
}

#[tokio::test]
async fn idempotent_get_succeeds_after_injected_503s() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(
        FaultRule::new(FaultAction::Status {
            status: 503,
            retry_after: None,
        })
        .method("GET")
        .times(2),
    );
    let response = identity(&sim, config(4))
        .send(Request::get())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let requests = sim.requests();
    assert_eq!(requests.len(), 3, "two refused attempts, then success");
    assert_eq!(requests[0].fault.as_deref(), Some("status 503"));
    assert_eq!(requests[2].fault, None);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_say_so() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(FaultRule::error_rate(503, 1.0));
    let error = identity(&sim, config(3))
        .send(Request::get())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.fault().unwrap().name, "serviceUnavailable");
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert_eq!(sim.requests().len(), 3);
}

#[tokio::test]
async fn post_whose_request_reached_the_server_is_not_repeated() {
    let sim = Sim::start().await.unwrap();
    let endpoint = identity(&sim, config(4));

    // Processed, then the connection died mid-body: not repeated.
    sim.faults().push(
        FaultRule::new(FaultAction::DropMidBody)
            .method("POST")
            .times(1),
    );
    let error = endpoint.send(authenticate(&sim)).await.unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(TransportErrorKind::Interrupted),
        "{error}"
    );
    assert_eq!(sim.requests().len(), 1);

    // Answered 503: the server saw it, so it is not repeated either.
    sim.clear_requests();
    sim.faults().push(
        FaultRule::new(FaultAction::Status {
            status: 503,
            retry_after: None,
        })
        .method("POST")
        .times(1),
    );
    let error = endpoint.send(authenticate(&sim)).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(sim.requests().len(), 1);

    // Dropped without an answer: it may have been processed; not repeated.
    sim.clear_requests();
    sim.faults().push(
        FaultRule::new(FaultAction::DropBeforeResponse)
            .method("POST")
            .times(1),
    );
    assert!(endpoint.send(authenticate(&sim)).await.is_err());
    assert_eq!(sim.requests().len(), 1);

    // The same POST marked idempotent is retried and succeeds.
    sim.clear_requests();
    sim.faults().push(
        FaultRule::new(FaultAction::DropMidBody)
            .method("POST")
            .times(1),
    );
    let response = endpoint
        .send(authenticate(&sim).idempotent(true))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test]
async fn post_is_retried_when_the_connection_was_never_made() {
    // A port nobody listens on: every attempt fails to connect.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = HttpClient::new(config(3))
        .unwrap()
        .endpoint(&format!("http://127.0.0.1:{port}/identity/v2.0"), None)
        .unwrap();
    let error = endpoint
        .send(Request::post().segment("tokens"))
        .await
        .unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(TransportErrorKind::Connect),
        "{error}"
    );
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert!(error.hint().is_some());
}

#[tokio::test]
async fn dropped_get_is_retried_and_succeeds() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(
        FaultRule::new(FaultAction::DropMidBody)
            .method("GET")
            .times(1),
    );
    let response = identity(&sim, config(3))
        .send(Request::get())
        .await
        .unwrap();
    let body: serde_json::Value = response.json().unwrap();
    assert!(
        body.get("version").is_some() || body.get("versions").is_some(),
        "{body}"
    );
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(
        FaultRule::new(FaultAction::Status {
            status: 503,
            retry_after: Some("1".into()),
        })
        .times(1),
    );
    // Backoff alone would wait at most 20 ms; the server asks for 1 s.
    let started = Instant::now();
    let response = identity(&sim, config(2))
        .send(Request::get())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_beyond_the_limit_ends_retries_with_the_advice() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(FaultRule::new(FaultAction::Status {
        status: 429,
        retry_after: Some("3600".into()),
    }));
    let error = identity(&sim, config(4))
        .send(Request::get())
        .await
        .unwrap_err();
    let Error::Http(http) = &error else {
        panic!("{error}")
    };
    assert_eq!(http.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(http.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn a_timeout_surfaces_as_a_timeout_error() {
    let sim = Sim::start().await.unwrap();
    sim.faults()
        .push(FaultRule::new(FaultAction::Delay(Duration::from_secs(3))).times(1));
    let config = ClientConfig {
        request_timeout: Duration::from_millis(200),
        ..config(1)
    };
    let error = identity(&sim, config)
        .send(Request::get())
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(error.transport_kind(), Some(TransportErrorKind::Timeout));
    assert!(error.to_string().contains("timed out"), "{error}");
}

#[tokio::test]
async fn an_idempotent_request_is_retried_after_a_timeout() {
    let sim = Sim::start().await.unwrap();
    sim.faults()
        .push(FaultRule::new(FaultAction::Delay(Duration::from_secs(3))).times(1));
    let config = ClientConfig {
        request_timeout: Duration::from_millis(300),
        ..config(2)
    };
    let response = identity(&sim, config).send(Request::get()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_streamed_body_cut_short_is_an_error_not_a_short_body() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(
        FaultRule::new(FaultAction::DropMidBody)
            .method("GET")
            .times(1),
    );
    let streaming = identity(&sim, config(1))
        .send_streaming(Request::get())
        .await
        .unwrap();
    let result: Result<Vec<bytes::Bytes>, Error> = streaming.into_stream().try_collect().await;
    let error = result.unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(TransportErrorKind::Interrupted),
        "{error}"
    );
}

#[tokio::test]
async fn error_bodies_are_parsed_into_faults() {
    let sim = Sim::start().await.unwrap();
    let endpoint = identity(&sim, config(1));

    let error = endpoint
        .send(Request::get().segment("nowhere"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    let fault = error.fault().unwrap();
    assert_eq!(fault.name, "badRequest");
    assert_eq!(fault.message.as_deref(), Some("API endpoint not found"));

    let error = endpoint
        .send(Request::get().segment("tokens"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::METHOD_NOT_ALLOWED));
    assert_eq!(error.fault().unwrap().name, "notAllowed");

    // Accepting a status the caller handles itself turns it into success.
    let response = endpoint
        .send(
            Request::get()
                .segment("nowhere")
                .expect([StatusCode::BAD_REQUEST]),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn invalid_json_names_the_type_and_shows_an_excerpt() {
    let sim = Sim::start().await.unwrap();
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Expected {
        servers: Vec<u32>,
    }
    let error = identity(&sim, config(1))
        .send_json::<Expected>(Request::get())
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::InvalidResponse(_)), "{text}");
    assert!(text.contains("Expected"), "{text}");
    assert!(text.contains("body starts"), "{text}");
}

#[tokio::test]
async fn every_character_class_is_encoded_once_as_the_server_sees_it() {
    let sim = Sim::start().await.unwrap();
    let endpoint = identity(&sim, config(1));
    let cases = [
        ("a/b", "a%2Fb"),
        ("with space", "with%20space"),
        ("what?", "what%3F"),
        ("hash#tag", "hash%23tag"),
        ("100%", "100%25"),
        ("a+b", "a%2Bb"),
        (
            "ελληνικά",
            "%CE%B5%CE%BB%CE%BB%CE%B7%CE%BD%CE%B9%CE%BA%CE%AC",
        ),
        ("safe-._~", "safe-._~"),
    ];
    for (name, encoded) in cases {
        sim.clear_requests();
        let request = Request::get()
            .segment(name)
            .expect([StatusCode::BAD_REQUEST]);
        endpoint.send(request).await.unwrap();
        let seen = sim.requests().pop().unwrap();
        assert_eq!(seen.target, format!("{IDENTITY}/{encoded}"), "{name}");
        assert_eq!(seen.path, format!("{IDENTITY}/{name}"), "{name}");
    }

    // An object path keeps its slashes (also doubled and trailing ones).
    sim.clear_requests();
    let request = Request::get()
        .segment("cont")
        .object_path("dir//ob j?#α/")
        .expect([StatusCode::BAD_REQUEST]);
    endpoint.send(request).await.unwrap();
    let seen = sim.requests().pop().unwrap();
    assert_eq!(
        seen.target,
        format!("{IDENTITY}/cont/dir//ob%20j%3F%23%CE%B1/")
    );
    assert_eq!(seen.path, format!("{IDENTITY}/cont/dir//ob j?#α/"));

    // Query values are encoded once; None is dropped; flags are bare keys.
    sim.clear_requests();
    let request = Request::get()
        .segment("x")
        .query("prefix", Some("a b&c=d/é%+"))
        .query("marker", None::<&str>)
        .flag("update")
        .expect([StatusCode::BAD_REQUEST]);
    endpoint.send(request).await.unwrap();
    let seen = sim.requests().pop().unwrap();
    assert_eq!(
        seen.target,
        format!("{IDENTITY}/x?prefix=a%20b%26c%3Dd%2F%C3%A9%25%2B&update")
    );
    assert_eq!(
        seen.query,
        vec![
            ("prefix".to_owned(), Some("a b&c=d/é%+".to_owned())),
            ("update".to_owned(), None)
        ]
    );
}

#[tokio::test]
async fn bodyless_posts_announce_content_length_zero() {
    let sim = Sim::start().await.unwrap();
    identity(&sim, config(1))
        .send(Request::post().segment("tokens"))
        .await
        .unwrap();
    let seen = sim.requests().pop().unwrap();
    assert_eq!(seen.header("content-length"), Some("0"));
    assert_eq!(seen.header("x-auth-token"), Some("***"));
    assert!(
        seen.header("user-agent")
            .unwrap()
            .starts_with("synnefo-rs/")
    );
}
