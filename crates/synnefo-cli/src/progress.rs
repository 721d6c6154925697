//! Progress bars for transfers and waits, on stderr, off with `-N`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use synnefo_pithos::{Progress, TransferEvent};

/// A byte-counting bar for one transfer, fed by the engine's events.
pub(crate) struct TransferBar {
    bar: ProgressBar,
}

impl TransferBar {
    /// A bar titled `label`; hidden when `enabled` is false or stderr is not
    /// a terminal.
    pub(crate) fn new(label: &str, enabled: bool) -> TransferBar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if !enabled {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        let style = ProgressStyle::with_template(
            "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(label.to_owned());
        TransferBar { bar }
    }

    /// The engine callback: totals set the length; hashed, sent, received
    /// and skipped bytes all move the bar (hashing is the first pass of an
    /// upload, so the bar is shown twice as long for uploads).
    pub(crate) fn progress(&self, count_hashing: bool) -> Progress {
        let bar = self.bar.clone();
        Progress::new(move |event| match event {
            TransferEvent::Total(n) => {
                bar.set_length(if count_hashing { n * 2 } else { n });
            }
            TransferEvent::Hashed(n) if count_hashing => bar.inc(n),
            TransferEvent::Hashed(_) => {}
            TransferEvent::Sent(n) | TransferEvent::Received(n) | TransferEvent::Skipped(n) => {
                bar.inc(n)
            }
        })
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
