//! Progress reporting for transfers.

use std::fmt;
use std::sync::Arc;

/// Something a transfer did, reported as it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferEvent {
    /// The size of the whole transfer is known: this many bytes.
    Total(u64),
    /// This many more bytes were hashed locally.
    Hashed(u64),
    /// This many more bytes were sent to the server.
    Sent(u64),
    /// This many more bytes were received from the server.
    Received(u64),
    /// This many bytes needed no transfer (the server or the local file
    /// already had them).
    Skipped(u64),
}

/// A progress callback. It is called from worker threads, so it must be
/// cheap and thread-safe (an atomic counter, a progress bar's `inc`).
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(TransferEvent) + Send + Sync>);

impl Progress {
    /// Wraps a callback.
    pub fn new(callback: impl Fn(TransferEvent) + Send + Sync + 'static) -> Self {
        Progress(Arc::new(callback))
    }

    pub(crate) fn emit(&self, event: TransferEvent) {
        (self.0)(event);
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

/// Emits `event` when a callback is set.
pub(crate) fn emit(progress: Option<&Progress>, event: TransferEvent) {
    if let Some(progress) = progress {
        progress.emit(event);
    }
}
