//! Download by hashmap: fetch the distinct blocks in parallel, verify each
//! against its hash, write it at every offset that holds it.
//!
//! A file download writes into a hidden partial file next to the target
//! and renames it into place only when every block is verified, so a failed
//! download never leaves a file that looks whole. Running it again resumes:
//! blocks already right in the partial file are kept.

use super::fileio::{read_at, write_at};
use super::progress::{Progress, TransferEvent, emit};
use super::remote::{Digests, RemoteHashmap};
use crate::hash::{BlockHash, block_hash, to_hex};
use crate::{ObjectInfoOptions, PithosClient};
use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use synnefo_core::{Error, Result};

/// How to download.
#[derive(Clone, Debug)]
pub struct DownloadOptions {
    /// Blocks fetched at once (default 8); memory use is about this many
    /// blocks.
    pub concurrency: usize,
    /// A past version instead of the current one, and the conditions
    /// (`If-Match`, `If-None-Match`, `If-Modified-Since`,
    /// `If-Unmodified-Since`) the download is subject to. They apply to the
    /// hashmap; every block is then fetched with `If-Match` on the hash it
    /// names, so a change midway fails instead of mixing versions.
    pub conditions: ObjectInfoOptions,
    /// Replace an existing target file (default: refuse).
    pub overwrite: bool,
    /// Keep and reuse a partial file from an earlier attempt (default on).
    pub resume: bool,
    /// Progress callback.
    pub progress: Option<Progress>,
    /// On plain Swift, check the bytes against the MD5 ETag (per segment
    /// for a large object) as they arrive (default on). Off, as
    /// python-swiftclient's `--ignore-checksum`, only sizes are checked,
    /// which saves the MD5's CPU time. Pithos+ downloads always check
    /// every block against its hash.
    pub check_md5: bool,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            concurrency: 8,
            conditions: ObjectInfoOptions::default(),
            overwrite: false,
            resume: true,
            progress: None,
            check_md5: true,
        }
    }
}

/// What a download did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownloadOutcome {
    /// The data was written.
    Downloaded {
        /// The object's size.
        size: u64,
        /// The object's hash (Merkle root, hex).
        etag: Option<String>,
        /// Distinct blocks fetched from the server.
        blocks_fetched: usize,
        /// Bytes fetched from the server.
        bytes_fetched: u64,
        /// Blocks found already right in a partial file.
        blocks_reused: usize,
    },
    /// A condition (`If-None-Match`, `If-Modified-Since`) said the object
    /// has not changed; nothing was written.
    NotModified,
}

/// Where each distinct block goes.
struct Plan {
    hashmap: RemoteHashmap,
    /// Distinct hash → the offsets holding it.
    positions: Vec<(BlockHash, Vec<u64>)>,
}

impl Plan {
    fn new(hashmap: RemoteHashmap) -> Plan {
        let mut order: Vec<BlockHash> = Vec::new();
        let mut offsets: HashMap<BlockHash, Vec<u64>> = HashMap::new();
        if hashmap.size > 0 {
            for (index, hash) in hashmap.hashes.iter().enumerate() {
                let offset = index as u64 * hashmap.block_size as u64;
                offsets
                    .entry(*hash)
                    .or_insert_with(|| {
                        order.push(*hash);
                        Vec::new()
                    })
                    .push(offset);
            }
        }
        let positions = order
            .into_iter()
            .map(|hash| {
                let list = offsets.remove(&hash).unwrap_or_default();
                (hash, list)
            })
            .collect();
        Plan { hashmap, positions }
    }

    fn block_len(&self, offset: u64) -> u64 {
        (self.hashmap.size - offset).min(self.hashmap.block_size as u64)
    }

    /// Whether the block at `offset` is a last block shorter than the
    /// block size: after a server-side truncation its hash still names the
    /// whole block it was cut from.
    fn is_partial_tail(&self, offset: u64) -> bool {
        let len = self.block_len(offset);
        offset + len == self.hashmap.size && len < self.hashmap.block_size as u64
    }
}

/// One block to fetch and verify.
struct BlockFetch<'a> {
    client: &'a PithosClient,
    container: &'a str,
    object: &'a str,
    offset: u64,
    len: u64,
    expected: BlockHash,
    etag: Option<&'a str>,
    version: Option<u64>,
    tail: bool,
    progress: Option<&'a Progress>,
}

impl BlockFetch<'_> {
    async fn get(&self) -> Result<Bytes> {
        let data = self
            .client
            .get_block(
                self.container,
                self.object,
                self.offset,
                self.len,
                self.etag,
                self.version,
            )
            .await?;
        emit(self.progress, TransferEvent::Received(self.len));
        Ok(data)
    }

    /// Fetches the block and checks it against its hash. A short last block
    /// that does not match may come from a truncated object (Pithos keeps
    /// the hash of the whole block it cut); it cannot be verified, so it is
    /// fetched a second time and accepted only when both copies agree.
    async fn run(&self) -> Result<Bytes> {
        let data = self.get().await?;
        let checked = verify_block(
            data.clone(),
            self.expected,
            self.offset,
            self.container,
            self.object,
        )
        .await;
        match checked {
            Ok(data) => Ok(data),
            Err(error) if self.tail => {
                let again = self.get().await?;
                if again != data {
                    return Err(error);
                }
                tracing::warn!(
                    container = self.container,
                    object = self.object,
                    offset = self.offset,
                    "the last block does not match its hash, as after a server-side truncation; \
                     two fetches agreed, so it is accepted unverified"
                );
                Ok(data)
            }
            Err(error) => Err(error),
        }
    }
}

impl PithosClient {
    /// Downloads `container/object` into the file `target`.
    ///
    /// # Errors
    /// [`Error::Config`] when the target exists and `overwrite` is off,
    /// [`Error::Http`] (404 no object, 412 a condition failed or the object
    /// changed during the download), [`Error::Integrity`] for a block that
    /// does not match its hash, [`Error::Io`] for local failures. On error
    /// the target is untouched and the partial file is kept for resuming.
    pub async fn download_file(
        &self,
        container: &str,
        object: &str,
        target: &Path,
        options: &DownloadOptions,
    ) -> Result<DownloadOutcome> {
        if !options.overwrite && tokio::fs::try_exists(target).await.unwrap_or(false) {
            return Err(Error::Config(format!(
                "{} already exists: choose another name or allow overwriting",
                target.display()
            )));
        }
        let hashmap = match self
            .fetch_digests(container, object, &options.conditions)
            .await?
        {
            Digests::NotModified => return Ok(DownloadOutcome::NotModified),
            Digests::Hashmap(hashmap) => hashmap,
            Digests::Plain(response) => {
                // Plain Swift sent the object itself: stream it into the
                // partial file, checked against its MD5 ETag(s).
                return self
                    .swift_download(container, object, response, target, options)
                    .await;
            }
        };
        let plan = Arc::new(Plan::new(hashmap));
        emit(
            options.progress.as_ref(),
            TransferEvent::Total(plan.hashmap.size),
        );
        let partial = partial_path(target);
        let file = open_partial(&partial, plan.hashmap.size, options.resume).await?;
        let reused = if options.resume {
            find_reusable(&file, &plan, &partial, options.progress.as_ref()).await?
        } else {
            HashMap::new()
        };
        let blocks_reused = reused.len();
        let mut fetched = 0;
        let mut bytes_fetched = 0;
        let etag = plan.hashmap.etag.clone();
        let version = options.conditions.version;
        let progress = options.progress.clone();
        let writer = Arc::new(std::sync::Mutex::new(()));
        // Collected first: a lazy iterator borrowing the plan would make
        // this future not `Send` (higher-ranked closure lifetimes).
        let jobs: Vec<(BlockHash, Vec<u64>, Option<u64>)> = plan
            .positions
            .iter()
            .map(|(hash, offsets)| (*hash, offsets.clone(), reused.get(hash).copied()))
            .collect();
        let mut results = futures_util::stream::iter(jobs)
            .map(|(hash, offsets, local)| {
                let file = file.clone();
                let writer = writer.clone();
                let plan = plan.clone();
                let etag = etag.clone();
                let partial = partial.clone();
                let progress = progress.clone();
                async move {
                    let first = offsets[0];
                    let len = plan.block_len(first);
                    let (data, fetched) = match local {
                        // Its hash matched when the partial file was scanned.
                        Some(source) => (read_local(&file, source, len, &partial).await?, false),
                        None => {
                            let fetch = BlockFetch {
                                client: self,
                                container,
                                object,
                                offset: first,
                                len,
                                expected: hash,
                                etag: etag.as_deref(),
                                version,
                                tail: plan.is_partial_tail(first),
                                progress: progress.as_ref(),
                            };
                            (fetch.run().await?, true)
                        }
                    };
                    let targets: Vec<u64> =
                        offsets.into_iter().filter(|o| Some(*o) != local).collect();
                    write_block(&file, data, targets, &partial, &writer).await?;
                    Ok::<_, Error>(if fetched { Some(len) } else { None })
                }
            })
            .buffer_unordered(options.concurrency.max(1));
        while let Some(result) = results.next().await {
            if let Some(len) = result? {
                fetched += 1;
                bytes_fetched += len;
            }
        }
        drop(results);
        finish(file, &partial, target).await?;
        Ok(DownloadOutcome::Downloaded {
            size: plan.hashmap.size,
            etag: plan.hashmap.etag.clone(),
            blocks_fetched: fetched,
            bytes_fetched,
            blocks_reused,
        })
    }

    /// Downloads `container/object` as a stream of verified chunks, in
    /// order, fetching up to `concurrency` blocks ahead; `None` when a
    /// condition says the object has not changed.
    ///
    /// # Errors
    /// As [`PithosClient::download_file`]; errors after the first chunk
    /// arrive through the stream, so a consumer never takes a cut stream for
    /// a whole one.
    pub async fn download_stream(
        &self,
        container: &str,
        object: &str,
        options: &DownloadOptions,
    ) -> Result<Option<impl Stream<Item = Result<Bytes>> + Send + 'static>> {
        let hashmap = match self
            .fetch_digests(container, object, &options.conditions)
            .await?
        {
            Digests::NotModified => return Ok(None),
            Digests::Hashmap(hashmap) => hashmap,
            Digests::Plain(response) => {
                // Plain Swift: the body as it comes, checked as it passes;
                // a mismatch ends the stream with an error.
                let mut checker = Some(
                    self.swift_checker(container, object, response.headers(), options.check_md5)
                        .await?,
                );
                let progress = options.progress.clone();
                if let Some(size) = response
                    .header("content-length")
                    .and_then(|v| v.parse().ok())
                {
                    emit(progress.as_ref(), TransferEvent::Total(size));
                }
                let body = response
                    .into_stream()
                    .map(Some)
                    .chain(futures_util::stream::once(std::future::ready(None)));
                let stream = body.filter_map(move |item| {
                    let result = match item {
                        Some(Ok(chunk)) => match checker.as_mut() {
                            Some(check) => check.feed(&chunk).map(|()| {
                                emit(
                                    progress.as_ref(),
                                    TransferEvent::Received(chunk.len() as u64),
                                );
                                Some(chunk)
                            }),
                            None => Ok(None),
                        },
                        Some(Err(error)) => Err(error),
                        None => match checker.take() {
                            Some(check) => check.finish().map(|_| None),
                            None => Ok(None),
                        },
                    };
                    std::future::ready(result.transpose())
                });
                return Ok(Some(futures_util::future::Either::Left(stream)));
            }
        };
        emit(
            options.progress.as_ref(),
            TransferEvent::Total(hashmap.size),
        );
        let plan = Arc::new(Plan::new(hashmap));
        let blocks: Vec<(u64, BlockHash)> = if plan.hashmap.size == 0 {
            Vec::new()
        } else {
            plan.hashmap
                .hashes
                .iter()
                .enumerate()
                .map(|(i, h)| (i as u64 * plan.hashmap.block_size as u64, *h))
                .collect()
        };
        let etag = plan.hashmap.etag.clone();
        let version = options.conditions.version;
        let progress = options.progress.clone();
        let container = container.to_owned();
        let object = object.to_owned();
        let client = self.clone();
        let stream = futures_util::stream::iter(blocks)
            .map(move |(offset, hash)| {
                let client = client.clone();
                let plan = plan.clone();
                let etag = etag.clone();
                let progress = progress.clone();
                let container = container.clone();
                let object = object.clone();
                async move {
                    let fetch = BlockFetch {
                        client: &client,
                        container: &container,
                        object: &object,
                        offset,
                        len: plan.block_len(offset),
                        expected: hash,
                        etag: etag.as_deref(),
                        version,
                        tail: plan.is_partial_tail(offset),
                        progress: progress.as_ref(),
                    };
                    fetch.run().await
                }
            })
            .buffered(options.concurrency.max(1));
        Ok(Some(futures_util::future::Either::Right(stream)))
    }

    /// Downloads `container/object` into memory, verified; `None` when a
    /// condition says the object has not changed.
    ///
    /// # Errors
    /// As [`PithosClient::download_stream`].
    pub async fn download_bytes(
        &self,
        container: &str,
        object: &str,
        options: &DownloadOptions,
    ) -> Result<Option<Bytes>> {
        let Some(stream) = self.download_stream(container, object, options).await? else {
            return Ok(None);
        };
        let buffer = stream
            .try_fold(BytesMut::new(), |mut buffer, chunk| async move {
                buffer.extend_from_slice(&chunk);
                Ok(buffer)
            })
            .await?;
        Ok(Some(buffer.freeze()))
    }
}

/// The hidden partial file next to `target`: `.name.snf-partial`.
pub(crate) fn partial_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".into());
    target.with_file_name(format!(".{name}.snf-partial"))
}

/// Opens (or creates) the partial file at the object's size.
async fn open_partial(path: &Path, size: u64, resume: bool) -> Result<Arc<File>> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(!resume)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
        file.set_len(size)
            .map_err(|e| Error::io(format!("cannot size {}", path.display()), e))?;
        Ok(Arc::new(file))
    })
    .await
    .map_err(|e| Error::Config(format!("a file task failed: {e}")))?
}

/// Hashes the partial file's blocks; for each distinct hash already present
/// somewhere, the offset that holds it.
async fn find_reusable(
    file: &Arc<File>,
    plan: &Arc<Plan>,
    path: &Path,
    progress: Option<&Progress>,
) -> Result<HashMap<BlockHash, u64>> {
    let file = file.clone();
    let plan = plan.clone();
    let path = path.to_owned();
    let progress = progress.cloned();
    tokio::task::spawn_blocking(move || {
        let mut found = HashMap::new();
        let mut buf = vec![0u8; plan.hashmap.block_size];
        for (hash, offsets) in &plan.positions {
            for &offset in offsets {
                let len = plan.block_len(offset) as usize;
                read_at(&file, &mut buf[..len], offset)
                    .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
                if block_hash(&buf[..len]) == *hash {
                    found.insert(*hash, offset);
                    emit(progress.as_ref(), TransferEvent::Skipped(len as u64));
                    break;
                }
            }
        }
        Ok(found)
    })
    .await
    .map_err(|e| Error::Config(format!("a file task failed: {e}")))?
}

async fn read_local(file: &Arc<File>, offset: u64, len: u64, path: &Path) -> Result<Bytes> {
    let file = file.clone();
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; len as usize];
        read_at(&file, &mut buf, offset)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        Ok(Bytes::from(buf))
    })
    .await
    .map_err(|e| Error::Config(format!("a file task failed: {e}")))?
}

/// Checks a block against its hash (on the blocking pool).
async fn verify_block(
    data: Bytes,
    expected: BlockHash,
    offset: u64,
    container: &str,
    object: &str,
) -> Result<Bytes> {
    let (data, actual) = tokio::task::spawn_blocking(move || {
        let actual = block_hash(&data);
        (data, actual)
    })
    .await
    .map_err(|e| Error::Config(format!("a hashing task failed: {e}")))?;
    if actual != expected {
        return Err(Error::Integrity {
            what: format!("the block at byte {offset} of {container}/{object}"),
            expected: to_hex(&expected),
            actual: to_hex(&actual),
        });
    }
    Ok(data)
}

/// Writes a block at each offset. One writer at a time: parallel writes to
/// one file only contend for its lock in the kernel (spinning, measured),
/// while the fetches and hash checks stay parallel.
async fn write_block(
    file: &Arc<File>,
    data: Bytes,
    offsets: Vec<u64>,
    path: &Path,
    writer: &Arc<std::sync::Mutex<()>>,
) -> Result<()> {
    if offsets.is_empty() {
        return Ok(());
    }
    let file = file.clone();
    let path = path.to_owned();
    let writer = writer.clone();
    tokio::task::spawn_blocking(move || {
        let _turn = writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for offset in offsets {
            write_at(&file, &data, offset)
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        }
        Ok(())
    })
    .await
    .map_err(|e| Error::Config(format!("a file task failed: {e}")))?
}

/// Flushes the partial file to disk and renames it into place.
async fn finish(file: Arc<File>, partial: &Path, target: &Path) -> Result<()> {
    let partial = partial.to_owned();
    let target = target.to_owned();
    tokio::task::spawn_blocking(move || {
        file.sync_all()
            .map_err(|e| Error::io(format!("cannot flush {}", partial.display()), e))?;
        drop(file);
        std::fs::rename(&partial, &target).map_err(|e| {
            Error::io(
                format!("cannot move {} to {}", partial.display(), target.display()),
                e,
            )
        })
    })
    .await
    .map_err(|e| Error::Config(format!("a file task failed: {e}")))?
}
