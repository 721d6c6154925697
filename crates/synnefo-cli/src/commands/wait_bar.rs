//! The display of a wait (`-w`, `snf server wait`, `snf volume wait`): a
//! percentage bar while a server reports its build progress, otherwise a
//! countdown to the timeout (kamaki's "`<n>s to timeout`"). On stderr;
//! hidden with `-N/--no-progress-bar` or when stderr is not a terminal.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::task::AbortHandle;

/// How often the countdown is redrawn.
const TICK: Duration = Duration::from_millis(250);

/// One wait's bar. Dropping it removes the bar.
pub(crate) struct WaitBar {
    bar: ProgressBar,
    /// Whether the bar shows a percentage (the server reported progress)
    /// rather than the countdown.
    percent: Arc<AtomicBool>,
    ticker: Option<AbortHandle>,
}

impl WaitBar {
    /// A countdown bar of `timeout`, titled `title`; added to `multi` when
    /// several waits run at once.
    pub(crate) fn new(
        title: &str,
        timeout: Duration,
        enabled: bool,
        multi: Option<&MultiProgress>,
    ) -> WaitBar {
        let seconds = timeout.as_secs().max(1);
        // Styled while hidden, then shown: no first frame in the default
        // style.
        let mut bar = ProgressBar::with_draw_target(Some(seconds), ProgressDrawTarget::hidden())
            .with_style(style("{msg} {bar:20} {prefix}"))
            .with_prefix(format!("{seconds}s to timeout"))
            .with_message(title.to_owned());
        if enabled {
            match multi {
                Some(multi) => bar = multi.add(bar),
                None => bar.set_draw_target(ProgressDrawTarget::stderr()),
            }
        }
        let percent = Arc::new(AtomicBool::new(false));
        let ticker = (!bar.is_hidden()).then(|| {
            let (bar, percent) = (bar.clone(), percent.clone());
            let started = Instant::now();
            tokio::spawn(async move {
                loop {
                    if !percent.load(Ordering::Relaxed) {
                        let elapsed = started.elapsed().as_secs().min(seconds);
                        bar.set_position(elapsed);
                        bar.set_prefix(format!("{}s to timeout", seconds - elapsed));
                    }
                    tokio::time::sleep(TICK).await;
                }
            })
            .abort_handle()
        });
        WaitBar {
            bar,
            percent,
            ticker,
        }
    }

    /// Shows `percent` (a server's build progress) instead of the
    /// countdown.
    pub(crate) fn set_percent(&self, percent: u64) {
        if !self.percent.swap(true, Ordering::Relaxed) {
            self.bar.set_style(style("{msg} {bar:20} {pos:>3}%"));
            self.bar.set_length(100);
            self.bar.set_prefix("");
        }
        self.bar.set_position(percent.min(100));
    }

    /// Changes the title (the status seen last).
    pub(crate) fn set_title(&self, title: String) {
        self.bar.set_message(title);
    }
}

impl Drop for WaitBar {
    fn drop(&mut self) {
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
        self.bar.finish_and_clear();
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}
