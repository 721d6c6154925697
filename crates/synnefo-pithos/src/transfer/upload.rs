//! Upload by hashmap: hash locally, tell the server the hashes, send only
//! the blocks it lacks, commit.
//!
//! The object appears only at the final hashmap `PUT`, so an interrupted
//! upload leaves no object, and the blocks it did send stay on the server:
//! running it again sends only what is still missing.
//!
//! Memory stays bounded by `concurrency × block size` whatever the size of
//! the source: blocks are read when they are about to be sent.

use super::fileio::read_at;
use super::pool::BufferPool;
use super::progress::{Progress, TransferEvent, emit};
use super::remote::BlockParams;
use super::small::SMALL_OBJECT_LIMIT;
use crate::hash::{BlockHash, block_hash, merkle_root, to_hex};
use crate::{PithosClient, PutHashmapOutcome, PutOptions};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use synnefo_core::{Error, Result};
use tokio::io::{AsyncRead, AsyncReadExt};

/// How to upload.
#[derive(Clone, Debug)]
pub struct UploadOptions {
    /// What the request that creates the object carries: content type
    /// (default `application/octet-stream`), encoding, disposition,
    /// metadata, sharing, publishing, and `If-Match` / `If-None-Match`
    /// (`*` refuses to replace an existing object).
    pub put: PutOptions,
    /// Blocks sent at once (default 8). Memory use is about this many
    /// blocks.
    pub concurrency: usize,
    /// Rounds of "send what is missing, ask again" before giving up when a
    /// round makes no progress (default 4).
    pub max_rounds: u32,
    /// Progress callback.
    pub progress: Option<Progress>,
    /// On plain Swift, compute the MD5 of what is sent and check it
    /// against the ETag the server answers (default on). Off, as
    /// python-swiftclient's `--ignore-checksum`, only sizes are checked,
    /// which saves the MD5's CPU time (about 1.7 s per GiB on a 2-core
    /// test machine). Pithos+ uploads are made of block hashes and are
    /// always checked.
    pub check_md5: bool,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            put: PutOptions::default(),
            concurrency: 8,
            max_rounds: 4,
            progress: None,
            check_md5: true,
        }
    }
}

/// What an upload did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadOutcome {
    /// The object's hash (Merkle root, hex) as the server confirmed it.
    pub etag: String,
    /// The new version, when the server said.
    pub version: Option<u64>,
    /// The object's size.
    pub size: u64,
    /// How many blocks the object has.
    pub blocks: usize,
    /// How many blocks were sent (the rest the server had).
    pub blocks_sent: usize,
    /// How many bytes were sent in blocks.
    pub bytes_sent: u64,
}

/// Where the data comes from.
#[derive(Clone, Debug)]
enum Source {
    File { path: PathBuf, size: u64 },
    Memory(Bytes),
}

impl Source {
    fn size(&self) -> u64 {
        match self {
            Source::File { size, .. } => *size,
            Source::Memory(bytes) => bytes.len() as u64,
        }
    }

    /// Reads `len` bytes at `offset`, into a pooled buffer for files.
    async fn read(&self, offset: u64, len: usize, pool: &Arc<BufferPool>) -> Result<Bytes> {
        match self {
            Source::Memory(bytes) => {
                // Offsets come from our own hashing pass over these bytes.
                let start = usize::try_from(offset).unwrap_or(usize::MAX);
                match start.checked_add(len) {
                    Some(end) if end <= bytes.len() => Ok(bytes.slice(start..end)),
                    _ => Err(Error::Config(format!(
                        "block at byte {offset} lies outside the {} bytes given",
                        bytes.len()
                    ))),
                }
            }
            Source::File { path, .. } => {
                let path = path.clone();
                let pool = pool.clone();
                tokio::task::spawn_blocking(move || {
                    let file = std::fs::File::open(&path)
                        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
                    let mut buf = pool.take(len);
                    read_at(&file, &mut buf, offset).map_err(|e| {
                        Error::io(
                            format!("cannot read {} at byte {offset}", path.display()),
                            e,
                        )
                    })?;
                    Ok(buf.freeze())
                })
                .await
                .map_err(|e| Error::Config(format!("a reading task failed: {e}")))?
            }
        }
    }
}

/// One distinct block of the source: its hash and where it first appears.
#[derive(Clone, Copy, Debug)]
struct BlockRef {
    hash: BlockHash,
    offset: u64,
    len: usize,
}

impl PithosClient {
    /// Uploads a local file as `container/object`, sending only the blocks
    /// the server lacks; a file of up to 64 KiB is a single verified `PUT`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Http`] for a
    /// refused request (413 over quota, 403 no access), [`Error::Integrity`]
    /// when the server's hashes disagree with ours.
    pub async fn upload_file(
        &self,
        container: &str,
        object: &str,
        path: &Path,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        let size = tokio::fs::metadata(path)
            .await
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?
            .len();
        if size <= SMALL_OBJECT_LIMIT as u64 {
            // A small file is one verified PUT, not a container HEAD and
            // three hashmap requests (what a recursive upload of many
            // small files would otherwise pay for each).
            let data = tokio::fs::read(path)
                .await
                .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
            if data.len() as u64 == size {
                return self
                    .upload_bytes(container, object, Bytes::from(data), options)
                    .await;
            }
            // It changed size under us: take the general path, which reads
            // it block by block and checks every read.
        }
        let source = Source::File {
            path: path.to_owned(),
            size,
        };
        self.upload_source(container, object, source, options).await
    }

    /// Uploads bytes held in memory (kamaki `upload_from_string`). Up to
    /// 64 KiB this is a single verified `PUT`.
    ///
    /// # Errors
    /// As [`PithosClient::upload_file`].
    pub async fn upload_bytes(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        if data.len() <= SMALL_OBJECT_LIMIT {
            // One request instead of four: no hashmap round trip needed.
            let size = data.len() as u64;
            emit(options.progress.as_ref(), TransferEvent::Total(size));
            let put = self
                .put_small(container, object, data, &options.put)
                .await?;
            emit(options.progress.as_ref(), TransferEvent::Sent(size));
            return Ok(UploadOutcome {
                etag: put.etag.unwrap_or_default(),
                version: put.version,
                size,
                blocks: 1,
                blocks_sent: 1,
                bytes_sent: size,
            });
        }
        self.upload_source(container, object, Source::Memory(data), options)
            .await
    }

    async fn upload_source(
        &self,
        container: &str,
        object: &str,
        source: Source,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        let Some(params) = self.block_params(container).await? else {
            // Plain Swift: no hashmaps; one MD5-checked PUT (see `swift`).
            return match source {
                Source::File { path, .. } => {
                    self.swift_upload_file(container, object, &path, options)
                        .await
                }
                Source::Memory(data) => {
                    self.swift_upload_bytes(container, object, data, options)
                        .await
                }
            };
        };
        let size = source.size();
        emit(options.progress.as_ref(), TransferEvent::Total(size));
        let hashes = hash_source(&source, params, options.progress.as_ref()).await?;
        let refs = distinct_blocks(&hashes, size, params.block_size);
        let local_root = to_hex(&merkle_root(&hashes));

        let mut blocks_sent = 0;
        let mut bytes_sent = 0;
        let mut stalled_rounds = 0;
        let mut last_missing = usize::MAX;
        let mut last_error: Option<Error> = None;
        loop {
            let answer = self
                .put_digests(container, object, size, &hashes, &options.put)
                .await?;
            let missing = match answer {
                PutHashmapOutcome::Created { etag, version } => {
                    let etag = etag.unwrap_or_else(|| local_root.clone());
                    if etag != local_root {
                        return Err(Error::Integrity {
                            what: format!("{container}/{object} after upload"),
                            expected: local_root,
                            actual: etag,
                        });
                    }
                    let skipped = size.saturating_sub(bytes_sent);
                    emit(options.progress.as_ref(), TransferEvent::Skipped(skipped));
                    return Ok(UploadOutcome {
                        etag,
                        version,
                        size,
                        blocks: hashes.len(),
                        blocks_sent,
                        bytes_sent,
                    });
                }
                PutHashmapOutcome::Missing(missing) => missing,
            };
            if missing.len() >= last_missing {
                stalled_rounds += 1;
            } else {
                stalled_rounds = 0;
            }
            if stalled_rounds >= options.max_rounds {
                return Err(last_error.unwrap_or_else(|| Error::Integrity {
                    what: format!("{container}/{object}"),
                    expected: "the server to keep the blocks we sent".into(),
                    actual: format!("{} blocks still missing", missing.len()),
                }));
            }
            last_missing = missing.len();
            let wanted = resolve_missing(&missing, &refs)?;
            let round = self.send_blocks(container, &source, wanted, options).await;
            blocks_sent += round.blocks;
            bytes_sent += round.bytes;
            if let Some(error) = round.error {
                tracing::debug!(%error, "some blocks failed; asking the server what is missing");
                last_error = Some(error);
            }
        }
    }

    /// Sends the given blocks, `concurrency` at a time; failures are
    /// counted, not fatal (the next hashmap `PUT` lists them again).
    async fn send_blocks(
        &self,
        container: &str,
        source: &Source,
        blocks: Vec<BlockRef>,
        options: &UploadOptions,
    ) -> RoundResult {
        let concurrency = options.concurrency.max(1);
        let progress = options.progress.as_ref();
        let block_size = blocks.iter().map(|b| b.len).max().unwrap_or(0);
        let pool = Arc::new(BufferPool::new(block_size, concurrency));
        let pool = &pool;
        let mut results = futures_util::stream::iter(blocks)
            .map(|block| async move {
                let data = source.read(block.offset, block.len, pool).await?;
                let answer = self.post_block(container, data.clone()).await;
                pool.give_back(data);
                let answer = answer?;
                if answer != block.hash {
                    return Err(Error::Integrity {
                        what: format!("block at byte {} of the upload", block.offset),
                        expected: to_hex(&block.hash),
                        actual: to_hex(&answer),
                    });
                }
                emit(progress, TransferEvent::Sent(block.len as u64));
                Ok(block.len as u64)
            })
            .buffer_unordered(concurrency);
        let mut round = RoundResult::default();
        while let Some(result) = results.next().await {
            match result {
                Ok(bytes) => {
                    round.blocks += 1;
                    round.bytes += bytes;
                }
                // Local read errors will not get better: stop at once.
                Err(error @ Error::Io { .. }) => {
                    round.error = Some(error);
                    break;
                }
                Err(error) => round.error = Some(error),
            }
        }
        round
    }

    /// Uploads from any reader of unknown size. Each block is sent as it is
    /// read, while it is hashed, so hashing overlaps sending; the reader
    /// cannot be read twice, so every block is sent (the server stores each
    /// distinct block once).
    ///
    /// # Errors
    /// As [`PithosClient::upload_file`].
    pub async fn upload_reader<R: AsyncRead + Unpin>(
        &self,
        container: &str,
        object: &str,
        mut reader: R,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        let Some(params) = self.block_params(container).await? else {
            // Plain Swift: one chunked, MD5-checked PUT (see `swift`).
            return self
                .swift_upload_reader(container, object, reader, options)
                .await;
        };
        let concurrency = options.concurrency.max(1);
        let progress = options.progress.as_ref();
        let mut hashes: Vec<BlockHash> = Vec::new();
        let mut in_flight = futures_util::stream::FuturesOrdered::new();
        let mut size = 0u64;
        let mut bytes_sent = 0u64;
        let mut blocks_sent = 0usize;
        loop {
            let block = read_block(&mut reader, params.block_size).await?;
            let at_end = block.len() < params.block_size;
            if !block.is_empty() {
                size += block.len() as u64;
                let len = block.len() as u64;
                in_flight.push_back(async move {
                    let expected = hash_in_worker(block.clone()).await?;
                    emit(progress, TransferEvent::Hashed(len));
                    let answer = self.post_block(container, block).await?;
                    if answer != expected {
                        return Err(Error::Integrity {
                            what: "a block of the upload".into(),
                            expected: to_hex(&expected),
                            actual: to_hex(&answer),
                        });
                    }
                    emit(progress, TransferEvent::Sent(len));
                    Ok::<_, Error>((expected, len))
                });
            }
            while in_flight.len() >= concurrency || (at_end && !in_flight.is_empty()) {
                if let Some(result) = in_flight.next().await {
                    let (hash, len) = result?;
                    hashes.push(hash);
                    bytes_sent += len;
                    blocks_sent += 1;
                }
            }
            if at_end {
                break;
            }
        }
        if hashes.is_empty() {
            hashes.push(block_hash(b""));
        }
        let local_root = to_hex(&merkle_root(&hashes));
        match self
            .put_digests(container, object, size, &hashes, &options.put)
            .await?
        {
            PutHashmapOutcome::Created { etag, version } => Ok(UploadOutcome {
                etag: etag.unwrap_or(local_root),
                version,
                size,
                blocks: hashes.len(),
                blocks_sent,
                bytes_sent,
            }),
            PutHashmapOutcome::Missing(missing) => Err(Error::Integrity {
                what: format!("{container}/{object}"),
                expected: "every block we sent to be stored".into(),
                actual: format!("{} blocks missing on the server", missing.len()),
            }),
        }
    }
}

#[derive(Default)]
struct RoundResult {
    blocks: usize,
    bytes: u64,
    error: Option<Error>,
}

/// Hashes every block of the source on all cores: the source is cut into
/// one contiguous stripe per worker, each read sequentially with one
/// block-sized buffer.
async fn hash_source(
    source: &Source,
    params: BlockParams,
    progress: Option<&Progress>,
) -> Result<Vec<BlockHash>> {
    let size = source.size();
    let block_size = params.block_size;
    let blocks = usize::try_from(size.div_ceil(block_size as u64))
        .map_err(|_| Error::Config("the source is too large for this platform".into()))?;
    if blocks == 0 {
        return Ok(vec![block_hash(b"")]);
    }
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(blocks);
    let per_worker = blocks.div_ceil(workers);
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let first = worker * per_worker;
        let last = ((worker + 1) * per_worker).min(blocks);
        if first >= last {
            continue;
        }
        let source = source.clone();
        let progress = progress.cloned();
        tasks.push(tokio::task::spawn_blocking(move || {
            hash_stripe(&source, first, last, block_size, size, progress.as_ref())
        }));
    }
    let mut hashes = Vec::with_capacity(blocks);
    for task in tasks {
        let stripe = task
            .await
            .map_err(|e| Error::Config(format!("a hashing task failed: {e}")))??;
        hashes.extend(stripe);
    }
    Ok(hashes)
}

/// Hashes blocks `first..last` (blocking).
fn hash_stripe(
    source: &Source,
    first: usize,
    last: usize,
    block_size: usize,
    size: u64,
    progress: Option<&Progress>,
) -> Result<Vec<BlockHash>> {
    let block_range = |index: usize| {
        let offset = index as u64 * block_size as u64;
        let len = (size - offset).min(block_size as u64) as usize;
        (offset, len)
    };
    let mut hashes = Vec::with_capacity(last - first);
    match source {
        Source::Memory(bytes) => {
            for index in first..last {
                let (offset, len) = block_range(index);
                let start = offset as usize;
                hashes.push(block_hash(&bytes[start..start + len]));
                emit(progress, TransferEvent::Hashed(len as u64));
            }
        }
        Source::File { path, .. } => {
            let file = std::fs::File::open(path)
                .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
            let mut buf = vec![0u8; block_size];
            for index in first..last {
                let (offset, len) = block_range(index);
                read_at(&file, &mut buf[..len], offset).map_err(|e| {
                    Error::io(
                        format!(
                            "cannot read {} at byte {offset} (did it shrink?)",
                            path.display()
                        ),
                        e,
                    )
                })?;
                hashes.push(block_hash(&buf[..len]));
                emit(progress, TransferEvent::Hashed(len as u64));
            }
        }
    }
    Ok(hashes)
}

/// The first occurrence of every distinct block.
fn distinct_blocks(
    hashes: &[BlockHash],
    size: u64,
    block_size: usize,
) -> HashMap<String, BlockRef> {
    let mut refs = HashMap::with_capacity(hashes.len());
    for (index, hash) in hashes.iter().enumerate() {
        let offset = index as u64 * block_size as u64;
        let len = size.saturating_sub(offset).min(block_size as u64) as usize;
        refs.entry(to_hex(hash)).or_insert(BlockRef {
            hash: *hash,
            offset,
            len,
        });
    }
    refs
}

/// The blocks to send for the server's missing list, each once; a hash we
/// never sent is the server's mistake, reported as such (kamaki crashed).
fn resolve_missing(missing: &[String], refs: &HashMap<String, BlockRef>) -> Result<Vec<BlockRef>> {
    let mut seen = std::collections::HashSet::new();
    let mut blocks = Vec::new();
    for hash in missing {
        let key = hash.trim().to_ascii_lowercase();
        if !seen.insert(key.clone()) {
            continue;
        }
        let block = refs.get(&key).ok_or_else(|| Error::Integrity {
            what: "the server's list of missing blocks".into(),
            expected: "hashes of this upload".into(),
            actual: format!("unknown hash {key:?}"),
        })?;
        blocks.push(*block);
    }
    Ok(blocks)
}

/// Reads up to one block; shorter only at the end of the reader.
async fn read_block<R: AsyncRead + Unpin>(reader: &mut R, block_size: usize) -> Result<Bytes> {
    let mut buf = BytesMut::zeroed(block_size);
    let mut filled = 0;
    while filled < block_size {
        let n = reader
            .read(&mut buf[filled..])
            .await
            .map_err(|e| Error::io("cannot read the upload source", e))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf.freeze())
}

/// Hashes a block on the blocking pool, off the async threads.
async fn hash_in_worker(block: Bytes) -> Result<BlockHash> {
    tokio::task::spawn_blocking(move || block_hash(&block))
        .await
        .map_err(|e| Error::Config(format!("a hashing task failed: {e}")))
}
