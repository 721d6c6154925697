//! Polling until something changes, with backoff and a real deadline.
//!
//! kamaki's waits return the last state when time runs out, so callers
//! cannot tell a timeout from success. Here a wait that reaches its deadline
//! is an [`Error::WaitTimeout`] naming what was awaited and the last status.

use crate::error::{Error, Result};
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// What one poll found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poll<T> {
    /// The awaited change happened; the wait returns this value.
    Ready(T),
    /// Not yet; the string is the current status, shown in progress
    /// callbacks and in the timeout error.
    Pending(String),
}

/// Progress of a wait, given to the progress callback after each poll.
#[derive(Clone, Debug)]
pub struct WaitProgress {
    /// Time since the wait started.
    pub elapsed: Duration,
    /// The deadline, measured from the start.
    pub timeout: Duration,
    /// The status found by the last poll.
    pub status: String,
    /// How many polls were made.
    pub polls: u32,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&WaitProgress) + Send + Sync>;

/// How to wait.
///
/// Defaults: give up after 100 s (kamaki's `max_wait`), poll first after
/// 1 s, then back off by half again each time up to 5 s between polls.
#[derive(Clone)]
pub struct WaitOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// The pause after the first poll.
    pub initial_delay: Duration,
    /// The longest pause between polls.
    pub max_delay: Duration,
    /// Called after every poll that is still pending.
    pub on_progress: Option<ProgressFn>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(100),
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
            on_progress: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("initial_delay", &self.initial_delay)
            .field("max_delay", &self.max_delay)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// Default options with the given timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        WaitOptions {
            timeout,
            ..WaitOptions::default()
        }
    }

    /// These options with a progress callback.
    pub fn on_progress(mut self, callback: impl Fn(&WaitProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }
}

/// Polls until `poll` returns [`Poll::Ready`] or the deadline passes.
/// The last poll happens at the deadline at the latest, so a change that
/// lands just in time is still seen.
///
/// # Errors
/// [`Error::WaitTimeout`] at the deadline (naming `what` and the last
/// status); any error `poll` returns ends the wait at once.
pub async fn wait_for<T, F, Fut>(what: &str, options: &WaitOptions, mut poll: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>>>,
{
    let started = Instant::now();
    let deadline = started + options.timeout;
    let mut delay = options.initial_delay;
    let mut polls = 0;
    loop {
        polls += 1;
        let status = match poll().await? {
            Poll::Ready(value) => return Ok(value),
            Poll::Pending(status) => status,
        };
        let now = Instant::now();
        if let Some(callback) = &options.on_progress {
            callback(&WaitProgress {
                elapsed: now - started,
                timeout: options.timeout,
                status: status.clone(),
                polls,
            });
        }
        if now >= deadline {
            return Err(Error::WaitTimeout {
                what: what.to_owned(),
                waited: now - started,
                last_status: status,
            });
        }
        tokio::time::sleep_until((now + delay).min(deadline)).await;
        delay = (delay + delay / 2).min(options.max_delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test(start_paused = true)]
    async fn returns_when_ready() {
        let mut n = 0;
        let value = wait_for("n to reach 3", &WaitOptions::default(), || {
            n += 1;
            let current = n;
            async move {
                Ok(if current >= 3 {
                    Poll::Ready(current)
                } else {
                    Poll::Pending(format!("n={current}"))
                })
            }
        })
        .await
        .unwrap();
        assert_eq!(value, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn deadline_is_an_error_with_the_last_status() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let options = WaitOptions::with_timeout(Duration::from_secs(10))
            .on_progress(move |p| log.lock().unwrap().push(p.polls));
        let err = wait_for("server 1 to leave BUILD", &options, || async {
            Ok::<_, Error>(Poll::<()>::Pending("BUILD".into()))
        })
        .await
        .unwrap_err();
        assert!(err.is_timeout());
        let text = err.to_string();
        assert!(text.contains("server 1 to leave BUILD"), "{text}");
        assert!(text.contains("last status: BUILD"), "{text}");
        // 1 s, then 1.5, 2.25, 3.375, then capped by the deadline at 10 s.
        assert_eq!(*seen.lock().unwrap(), vec![1, 2, 3, 4, 5, 6]);
    }

    #[tokio::test(start_paused = true)]
    async fn poll_errors_end_the_wait() {
        let err = wait_for("x", &WaitOptions::default(), || async {
            Err::<Poll<()>, _>(Error::Config("gone".into()))
        })
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Config(_)));
    }
}
