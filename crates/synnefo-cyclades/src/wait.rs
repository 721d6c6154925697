//! Waiting on a server's status, with a real deadline.
//!
//! kamaki's waits returned the last state when time ran out, so a caller
//! could not tell a timeout from success; these end with
//! [`synnefo_core::Error::WaitTimeout`] instead, naming the server and the
//! last status seen. Progress is reported through
//! [`WaitOptions::on_progress`].

use crate::CycladesClient;
use std::sync::{Mutex, PoisonError};
use synnefo_compute::{ServerDetails, ServerStatus};
use synnefo_core::{Poll, Result, WaitOptions, wait_for};

/// How a poll reports a server that is not there yet: its status, and its
/// build progress while building (`BUILD 40%`).
fn shown_status(server: &ServerDetails) -> String {
    match (&server.status, server.progress) {
        (ServerStatus::Build, Some(progress)) => format!("BUILD {progress}%"),
        (status, _) => status.to_string(),
    }
}

impl CycladesClient {
    /// A server's status, with its build progress while it is in `BUILD`
    /// (kamaki's deprecated `get_server_status`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    pub async fn get_server_status(&self, server_id: u64) -> Result<(ServerStatus, Option<u64>)> {
        let server = self.get_server_details(server_id).await?;
        let progress = match server.status {
            ServerStatus::Build => server.progress,
            _ => None,
        };
        Ok((server.status, progress))
    }

    /// Polls `GET /servers/<id>` until `done` accepts the server, and
    /// returns that server. `done` sees every poll, so it can also drive a
    /// progress display from `progress`. `what` names the wait in the
    /// timeout error (e.g. `server 42 to boot`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::WaitTimeout`] at `options.timeout`; any error
    /// of a poll (a `404` once the server is gone) ends the wait at once.
    pub async fn wait_server_with<F>(
        &self,
        server_id: u64,
        what: &str,
        options: &WaitOptions,
        done: F,
    ) -> Result<ServerDetails>
    where
        F: FnMut(&ServerDetails) -> bool + Send,
    {
        let done = Mutex::new(done);
        let done = &done;
        wait_for(what, options, || async move {
            let server = self.get_server_details(server_id).await?;
            let finished = {
                let mut done = done.lock().unwrap_or_else(PoisonError::into_inner);
                (*done)(&server)
            };
            Ok(if finished {
                Poll::Ready(server)
            } else {
                Poll::Pending(shown_status(&server))
            })
        })
        .await
    }

    /// Waits while a server has status `current`, and returns it once the
    /// status differs (kamaki `wait_server_while`, e.g. `BUILD` after a
    /// create).
    ///
    /// # Errors
    /// As [`CycladesClient::wait_server_with`].
    pub async fn wait_server_while(
        &self,
        server_id: u64,
        current: ServerStatus,
        options: &WaitOptions,
    ) -> Result<ServerDetails> {
        let what = format!("server {server_id} to leave {current}");
        self.wait_server_with(server_id, &what, options, |server| server.status != current)
            .await
    }

    /// Waits until a server has status `target`, and returns it (kamaki
    /// `wait_server_until`, e.g. `ACTIVE` after a start). A server that goes
    /// to `ERROR` meanwhile is still waited on until the deadline, as in
    /// kamaki; use [`CycladesClient::wait_server_with`] to stop earlier.
    ///
    /// # Errors
    /// As [`CycladesClient::wait_server_with`].
    pub async fn wait_server_until(
        &self,
        server_id: u64,
        target: ServerStatus,
        options: &WaitOptions,
    ) -> Result<ServerDetails> {
        let what = format!("server {server_id} to become {target}");
        self.wait_server_with(server_id, &what, options, |server| server.status == target)
            .await
    }

    /// Waits for a new server to leave `BUILD` (kamaki `wait_server`).
    ///
    /// # Errors
    /// As [`CycladesClient::wait_server_with`].
    pub async fn wait_server(
        &self,
        server_id: u64,
        options: &WaitOptions,
    ) -> Result<ServerDetails> {
        self.wait_server_while(server_id, ServerStatus::Build, options)
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::Scripted;
    use std::sync::Arc;
    use std::time::Duration;

    fn server(status: &str, progress: u32) -> String {
        format!(r#"{{"server": {{"id": 42, "status": "{status}", "progress": {progress}}}}}"#)
    }

    #[tokio::test(start_paused = true)]
    async fn while_returns_once_the_status_changes() {
        let answers = [
            server("BUILD", 0),
            server("BUILD", 50),
            server("ACTIVE", 100),
        ];
        let fake = Scripted::new(&[(200, &answers[0]), (200, &answers[1]), (200, &answers[2])]);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let options = WaitOptions::default().on_progress(move |p| {
            log.lock().unwrap().push(p.status.clone());
        });
        let active = fake.client().wait_server(42, &options).await.unwrap();
        assert_eq!(active.status, ServerStatus::Active);
        assert_eq!(fake.lines().len(), 3);
        assert!(fake.lines().iter().all(|l| l == "GET /servers/42"));
        assert_eq!(*seen.lock().unwrap(), vec!["BUILD 0%", "BUILD 50%"]);
    }

    #[tokio::test(start_paused = true)]
    async fn until_times_out_with_the_last_status() {
        let stopped = server("STOPPED", 100);
        let answers: Vec<(u16, &str)> = (0..50).map(|_| (200, stopped.as_str())).collect();
        let fake = Scripted::new(&answers);
        let options = WaitOptions::with_timeout(Duration::from_secs(5));
        let error = fake
            .client()
            .wait_server_until(42, ServerStatus::Active, &options)
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error}");
        let text = error.to_string();
        assert!(text.contains("server 42 to become ACTIVE"), "{text}");
        assert!(text.contains("last status: STOPPED"), "{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn with_sees_every_poll_and_errors_end_the_wait() {
        let fake = Scripted::new(&[
            (200, &server("BUILD", 10)),
            (404, r#"{"itemNotFound": {"code": 404, "message": "gone"}}"#),
        ]);
        let mut progress = Vec::new();
        let error = fake
            .client()
            .wait_server_with(42, "server 42 to boot", &WaitOptions::default(), |s| {
                progress.push(s.progress);
                false
            })
            .await
            .unwrap_err();
        assert!(error.is_not_found(), "{error}");
        assert_eq!(progress, vec![Some(10)]);
    }

    #[tokio::test]
    async fn status_with_progress_only_while_building() {
        let fake = Scripted::new(&[(200, &server("BUILD", 30)), (200, &server("ACTIVE", 100))]);
        let c = fake.client();
        assert_eq!(
            c.get_server_status(42).await.unwrap(),
            (ServerStatus::Build, Some(30))
        );
        assert_eq!(
            c.get_server_status(42).await.unwrap(),
            (ServerStatus::Active, None)
        );
    }

    #[test]
    fn the_wait_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = crate::testing::client();
        let options = WaitOptions::default();
        let future = client.wait_server_until(1, ServerStatus::Active, &options);
        assert_send(&future);
    }
}
