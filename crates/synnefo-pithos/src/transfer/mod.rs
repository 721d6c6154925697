//! The transfer engine: deduplicating parallel upload and verified,
//! resumable parallel download, with bounded memory and progress events.

pub(crate) mod download;
mod fileio;
mod pool;
mod progress;
pub(crate) mod remote;
mod small;
mod upload;

pub use download::{DownloadOptions, DownloadOutcome};
pub use progress::{Progress, TransferEvent};
pub use upload::{UploadOptions, UploadOutcome};
