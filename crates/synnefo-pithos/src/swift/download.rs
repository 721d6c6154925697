//! Downloading a plain-Swift object to a file: one streaming `GET` checked
//! as it passes, written to the hidden partial file and renamed into place
//! only when whole and verified.
//!
//! Resuming: Swift has no hashmaps, so the bytes a partial file already
//! holds cannot be checked one block at a time. They are read back and fed
//! to the checker first (MD5 is a stream), and only the rest is asked for,
//! with `Range: bytes=<kept>-` and `If-Match: <ETag>`: if the object changed
//! since, the server answers 412 and the download starts over. The kept
//! bytes may still be from an older version of the object, which MD5 can
//! only tell at the end: a resumed download that fails its check starts
//! over once, whole. A download whose bytes fail the check deletes its
//! partial file, since nothing tells which of its bytes are wrong.

use super::checker::Checker;
use super::emit;
use crate::range::ByteRange;
use crate::transfer::download::partial_path;
use crate::transfer::remote::Digests;
use crate::transfer::{DownloadOptions, DownloadOutcome, Progress, TransferEvent};
use crate::{ObjectInfoOptions, PithosClient};
use bytes::Bytes;
use futures_util::StreamExt;
use http::StatusCode;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use synnefo_core::{Error, Result, StreamingResponse};

/// Bytes read back from a partial file at a time, to feed the checker.
const READ_BACK_CHUNK: usize = 1 << 20;

/// Where a download of a Swift object starts.
struct Start {
    /// The response whose body is the rest of the object.
    response: StreamingResponse,
    /// The checker, already fed the kept bytes.
    checker: Checker,
    /// Bytes of the partial file kept.
    kept: u64,
}

impl PithosClient {
    /// Downloads a plain-Swift object, given the response to its first
    /// `GET`, into `target`; resumes from the partial file when
    /// `options.resume` allows.
    pub(crate) async fn swift_download(
        &self,
        container: &str,
        object: &str,
        response: StreamingResponse,
        target: &Path,
        options: &DownloadOptions,
    ) -> Result<DownloadOutcome> {
        let partial = partial_path(target);
        let mut start = self
            .swift_start(container, object, response, &partial, options)
            .await?;
        loop {
            let Some(begun) = start else {
                return Ok(DownloadOutcome::NotModified);
            };
            let kept = begun.kept;
            let result = swift_download_file(
                begun.response,
                begun.checker,
                target,
                &partial,
                kept,
                options.progress.clone(),
            )
            .await;
            match result {
                Ok((size, etag)) => {
                    return Ok(DownloadOutcome::Downloaded {
                        size,
                        etag: Some(etag).filter(|e| !e.is_empty()),
                        blocks_fetched: 1,
                        bytes_fetched: size - kept,
                        blocks_reused: usize::from(kept > 0),
                    });
                }
                Err(error @ Error::Integrity { .. }) => {
                    forget_partial(&partial).await;
                    if kept == 0 {
                        return Err(error);
                    }
                    // The kept bytes were from another version of the
                    // object (MD5 cannot tell sooner): once more, whole.
                    tracing::warn!(
                        partial = %partial.display(),
                        %error,
                        "the resumed download failed its check: starting over"
                    );
                    start = self.swift_restart(container, object, options).await?;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// The response to stream from: the first one, or, when a partial file
    /// can be resumed, one for the rest of the object. `None` when a
    /// condition of the caller's held (not modified).
    async fn swift_start(
        &self,
        container: &str,
        object: &str,
        response: StreamingResponse,
        partial: &Path,
        options: &DownloadOptions,
    ) -> Result<Option<Start>> {
        let checker = self
            .swift_checker(container, object, response.headers(), options.check_md5)
            .await?;
        let etag = response.header("etag").map(str::to_owned);
        let kept = match (&etag, checker.size) {
            (Some(_), Some(size)) if options.resume => kept_bytes(partial, size).await,
            _ => 0,
        };
        let Some(etag) = etag.filter(|_| kept > 0) else {
            return Ok(Some(Start {
                response,
                checker,
                kept: 0,
            }));
        };
        // The first response is the whole object: not wanted any more.
        drop(response);
        let fresh = checker.clone();
        let fed = match feed_partial(partial, kept, checker).await {
            Ok(fed) => fed,
            Err(Error::Integrity { .. }) => {
                // The kept bytes are already wrong: start over.
                tracing::warn!(
                    partial = %partial.display(),
                    "the partial download does not match the object: starting over"
                );
                return self.swift_restart(container, object, options).await;
            }
            Err(error) => return Err(error),
        };
        let conditions = ObjectInfoOptions {
            if_match: Some(etag),
            ..ObjectInfoOptions::default()
        };
        let request =
            self.get_object_range_request(container, object, ByteRange::From(kept), &conditions)?;
        let rest = match self.endpoint().send_streaming(request).await {
            Ok(rest) => rest,
            Err(error)
                if matches!(
                    error.status(),
                    Some(StatusCode::PRECONDITION_FAILED | StatusCode::RANGE_NOT_SATISFIABLE)
                ) =>
            {
                tracing::info!(
                    object = fed.what.as_str(),
                    "the object changed since the partial download: starting over"
                );
                return self.swift_restart(container, object, options).await;
            }
            Err(error) => return Err(error),
        };
        if rest.status() == StatusCode::OK {
            // The server ignored the range: this is the whole object.
            return Ok(Some(Start {
                response: rest,
                checker: fresh,
                kept: 0,
            }));
        }
        let range = rest.header("content-range").unwrap_or_default();
        if !content_range_starts_at(range, kept) {
            return Err(rest.invalid(format!(
                "asked for {} from byte {kept}, got Content-Range {range:?}",
                fed.what
            )));
        }
        Ok(Some(Start {
            response: rest,
            checker: fed,
            kept,
        }))
    }

    /// Downloads the whole object again, ignoring the partial file.
    async fn swift_restart(
        &self,
        container: &str,
        object: &str,
        options: &DownloadOptions,
    ) -> Result<Option<Start>> {
        match self
            .fetch_digests(container, object, &options.conditions)
            .await?
        {
            Digests::NotModified => Ok(None),
            Digests::Plain(response) => {
                let checker = self
                    .swift_checker(container, object, response.headers(), options.check_md5)
                    .await?;
                Ok(Some(Start {
                    response,
                    checker,
                    kept: 0,
                }))
            }
            Digests::Hashmap(_) => Err(Error::Config(format!(
                "{container}/{object}: the server answered as Pithos+ after answering as \
                 plain Swift; run the download again"
            ))),
        }
    }
}

/// `Content-Range: bytes <start>-<end>/<total>` starts at `start`.
fn content_range_starts_at(header: &str, start: u64) -> bool {
    header
        .trim()
        .strip_prefix("bytes ")
        .and_then(|rest| rest.split_once('-'))
        .and_then(|(first, _)| first.trim().parse::<u64>().ok())
        == Some(start)
}

/// How many bytes of a partial file to keep: all of them if there are
/// fewer than the object has, else none (a partial file as long as the
/// object, or longer, is from some other download).
async fn kept_bytes(partial: &Path, size: u64) -> u64 {
    match tokio::fs::metadata(partial).await {
        Ok(meta) if meta.is_file() && meta.len() < size => meta.len(),
        _ => 0,
    }
}

/// Feeds the first `kept` bytes of the partial file to the checker.
async fn feed_partial(partial: &Path, kept: u64, mut checker: Checker) -> Result<Checker> {
    let path = partial.to_owned();
    tokio::task::spawn_blocking(move || {
        let what = || format!("cannot read back {}", path.display());
        let file = std::fs::File::open(&path).map_err(|e| Error::io(what(), e))?;
        let mut file = file.take(kept);
        let mut buf = vec![0u8; READ_BACK_CHUNK];
        let mut left = kept;
        while left > 0 {
            let n = file.read(&mut buf).map_err(|e| Error::io(what(), e))?;
            if n == 0 {
                return Err(Error::io(
                    what(),
                    std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the partial file shrank while it was read",
                    ),
                ));
            }
            checker.feed(&buf[..n])?;
            left -= n as u64;
        }
        Ok(checker)
    })
    .await
    .map_err(|e| Error::Config(format!("a reading task failed: {e}")))?
}

/// Deletes a partial file whose bytes failed the check.
async fn forget_partial(partial: &Path) {
    if let Err(error) = tokio::fs::remove_file(partial).await
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(
            partial = %partial.display(),
            %error,
            "cannot delete the partial download that failed its check"
        );
    }
}

/// Streams `response` into the partial file after its first `kept` bytes,
/// checked by `checker`, then renames it to `target`; returns the size and
/// ETag.
async fn swift_download_file(
    response: StreamingResponse,
    checker: Checker,
    target: &Path,
    partial: &Path,
    kept: u64,
    progress: Option<Progress>,
) -> Result<(u64, String)> {
    if let Some(size) = checker.size {
        emit(progress.as_ref(), TransferEvent::Total(size));
    }
    if kept > 0 {
        emit(progress.as_ref(), TransferEvent::Skipped(kept));
    }
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Bytes>(4);
    let partial_owned = partial.to_owned();
    // Writing and hashing on a blocking thread, receiving on this one.
    let writer = tokio::task::spawn_blocking(move || -> Result<Checker> {
        use std::io::Write;
        let what = || format!("cannot write {}", partial_owned.display());
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(kept == 0)
            .open(&partial_owned)
            .map_err(|e| Error::io(what(), e))?;
        if kept > 0 {
            file.set_len(kept).map_err(|e| Error::io(what(), e))?;
            file.seek(SeekFrom::Start(kept))
                .map_err(|e| Error::io(what(), e))?;
        }
        let mut file = std::io::BufWriter::with_capacity(super::CHUNK, file);
        let mut checker = checker;
        while let Some(chunk) = receiver.blocking_recv() {
            checker.feed(&chunk)?;
            file.write_all(&chunk).map_err(|e| Error::io(what(), e))?;
        }
        let file = file
            .into_inner()
            .map_err(|e| Error::io(what(), e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(what(), e))?;
        Ok(checker)
    });
    let mut stream = Box::pin(response.into_stream());
    let mut failure = None;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                let len = chunk.len() as u64;
                if sender.send(chunk).await.is_err() {
                    break; // the writer failed; its error tells why
                }
                emit(progress.as_ref(), TransferEvent::Received(len));
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    drop(sender);
    let checker = writer
        .await
        .map_err(|e| Error::Config(format!("a writing task failed: {e}")))??;
    if let Some(error) = failure {
        return Err(error);
    }
    let (size, etag) = checker.finish()?;
    tokio::fs::rename(partial, target).await.map_err(|e| {
        Error::io(
            format!("cannot move {} to {}", partial.display(), target.display()),
            e,
        )
    })?;
    Ok((size, etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_start_is_read() {
        assert!(content_range_starts_at("bytes 100-199/200", 100));
        assert!(!content_range_starts_at("bytes 0-199/200", 100));
        assert!(!content_range_starts_at("", 0));
        assert!(!content_range_starts_at("items 100-199/200", 100));
    }
}
