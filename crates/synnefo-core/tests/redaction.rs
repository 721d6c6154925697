//! No token in any log line or error, at the most verbose level, across
//! failing and succeeding requests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::Write;
use std::sync::{Arc, Mutex};
use synnefo_core::{ClientConfig, HttpClient, Request, RetryConfig, Token};
use synnefo_sim::{FaultAction, FaultRule, Sim};
use tracing_subscriber::fmt::MakeWriter;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn trace_output_and_errors_never_contain_a_token() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = Sim::start().await.unwrap();
    let token = Token::new(sim.token());
    let wrong = Token::new("wrong-token-that-must-not-leak-0123456789abc");
    let http = HttpClient::new(ClientConfig {
        retry: RetryConfig {
            max_attempts: 2,
            initial_backoff: std::time::Duration::from_millis(1),
            ..RetryConfig::default()
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let identity = http
        .endpoint(&sim.identity_url(), Some(token.clone()))
        .unwrap();
    let mut errors = Vec::new();

    // Succeeds, and the answer echoes the token in its body.
    let auth = Request::post()
        .segment("tokens")
        .json(&serde_json::json!({"auth": {"token": {"id": token.expose()}}}))
        .unwrap();
    let response = identity.send(auth).await.unwrap();
    assert!(String::from_utf8_lossy(response.body()).contains(token.expose()));

    // Fails with a retried 503 first.
    sim.faults().push(FaultRule::error_rate(503, 1.0).times(1));
    identity.send(Request::get()).await.unwrap();
    // Fails: unknown URL, with the token in the header.
    errors.push(
        identity
            .send(Request::get().segment("missing"))
            .await
            .unwrap_err(),
    );
    // Fails: a wrong token is refused.
    let refused = identity.with_token(Some(wrong.clone()));
    let auth = Request::post()
        .segment("tokens")
        .json(&serde_json::json!({"auth": {"token": {"id": wrong.expose()}}}))
        .unwrap();
    errors.push(refused.send(auth).await.unwrap_err());
    // A token in the path, registered as a secret.
    let validate = Request::get()
        .segment("tokens")
        .segment(token.expose())
        .secret(&token);
    identity.send(validate).await.unwrap();
    // A token in the query (as Pithos form uploads use).
    let in_query = Request::get()
        .segment("nothing")
        .query("X-Auth-Token", Some(token.expose()));
    errors.push(identity.send(in_query).await.unwrap_err());
    // The connection dies mid-body.
    sim.faults().push(
        FaultRule::new(FaultAction::DropMidBody)
            .method("POST")
            .times(1),
    );
    let auth = Request::post()
        .segment("tokens")
        .json(&serde_json::json!({"auth": {"token": {"id": token.expose()}}}))
        .unwrap();
    errors.push(identity.send(auth).await.unwrap_err());

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("x-auth-token: ***"),
        "headers were not logged:\n{logs}"
    );
    assert!(logs.contains("TRACE"), "trace level was not captured");
    assert!(logs.contains("503"), "the failing attempt was not logged");
    for secret in [token.expose(), wrong.expose()] {
        assert!(
            !logs.contains(secret),
            "a token leaked into the logs:\n{logs}"
        );
        for error in &errors {
            assert!(!error.to_string().contains(secret), "{error}");
            assert!(!format!("{error:?}").contains(secret), "{error:?}");
        }
    }
    assert_eq!(errors.len(), 4);
}
