//! The engine's view of the REST layer: the five calls a transfer makes,
//! with hashes as binary digests and block sizes checked, delegating every
//! request to the builders in `container.rs` and `object.rs`.

use crate::hash::{BlockHash, check_algorithm, from_hex, to_hex};
use crate::headers::unquote_etag;
use crate::object::check_hashmap;
use crate::swift::ServerFlavor;
use crate::{
    ByteRange, Conditional, Hashmap, ObjectInfoOptions, PithosClient, PutHashmapOutcome, PutOptions,
};
use bytes::Bytes;
use synnefo_core::{Error, Result, StreamingResponse};

/// How a container cuts objects into blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BlockParams {
    pub(crate) block_size: usize,
}

/// What `GET ?hashmap` gave.
pub(crate) enum Digests {
    /// A condition held.
    NotModified,
    /// Pithos: the hashmap.
    Hashmap(RemoteHashmap),
    /// Plain Swift: the object itself, its body not yet read.
    Plain(StreamingResponse),
}

/// An object's hashmap, as binary digests.
#[derive(Clone, Debug)]
pub(crate) struct RemoteHashmap {
    pub(crate) block_size: usize,
    pub(crate) size: u64,
    pub(crate) hashes: Vec<BlockHash>,
    pub(crate) etag: Option<String>,
}

impl PithosClient {
    /// The container's block size, refusing hash algorithms we cannot
    /// compute; `None` on plain Swift (no `X-Container-Block-Size`), which
    /// has no hashmaps: the caller falls back to a plain transfer.
    pub(crate) async fn block_params(&self, container: &str) -> Result<Option<BlockParams>> {
        let ServerFlavor::Pithos {
            block_size,
            block_hash,
        } = self.container_flavor(container).await?
        else {
            return Ok(None);
        };
        if !block_hash.is_empty() {
            check_algorithm(&block_hash)?;
        }
        let block_size = usize::try_from(block_size)
            .ok()
            .filter(|&b| b > 0)
            .ok_or_else(|| {
                Error::Config(format!(
                    "container {container:?} announces an unusable block size {block_size}"
                ))
            })?;
        Ok(Some(BlockParams { block_size }))
    }

    /// `PUT ?hashmap` with binary digests.
    pub(crate) async fn put_digests(
        &self,
        container: &str,
        object: &str,
        size: u64,
        hashes: &[BlockHash],
        options: &PutOptions,
    ) -> Result<PutHashmapOutcome> {
        let hex: Vec<String> = hashes.iter().map(to_hex).collect();
        self.put_hashmap(container, object, size, &hex, options)
            .await
    }

    /// `POST` of one block; the digest the server computed.
    pub(crate) async fn post_block(&self, container: &str, block: Bytes) -> Result<BlockHash> {
        let hashes = self.post_blocks(container, block).await?;
        match hashes.as_slice() {
            [one] => from_hex(one),
            _ => Err(Error::Integrity {
                what: format!("the answer to a block upload to {container:?}"),
                expected: "the hash of one block".into(),
                actual: format!("{} hashes", hashes.len()),
            }),
        }
    }

    /// The hashmap as digests; `None` when a condition says "not modified".
    ///
    /// # Errors
    /// Besides those of the request, [`crate::swift::lacks_extension`] on
    /// plain Swift, which has no hashmaps.
    pub(crate) async fn get_digests(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Option<RemoteHashmap>> {
        match self.fetch_digests(container, object, options).await? {
            Digests::NotModified => Ok(None),
            Digests::Hashmap(hashmap) => Ok(Some(hashmap)),
            Digests::Plain(_) => Err(crate::swift::lacks_extension("an object hashmap")),
        }
    }

    /// `GET ?hashmap`, streamed: Pithos answers with the hashmap; plain
    /// Swift ignores the query and sends the object itself, which is then
    /// handed back unread as [`Digests::Plain`] for a plain download (so
    /// detecting Swift costs no request and reads no byte twice).
    pub(crate) async fn fetch_digests(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Digests> {
        let request = self.object_hashmap_request(container, object, options)?;
        let response = self.endpoint().send_streaming(request).await?;
        if response.status() == http::StatusCode::NOT_MODIFIED {
            return Ok(Digests::NotModified);
        }
        let swift = crate::swift::is_plain_swift(response.headers());
        self.known_flavor().learn(swift);
        if swift {
            if options.version.is_some() {
                // Swift would ignore `?version=` and send the current data.
                return Err(crate::swift::lacks_extension("reading an object version"));
            }
            return Ok(Digests::Plain(response));
        }
        let response = response.into_response().await?;
        let mut hashmap: Hashmap = response.json()?;
        check_hashmap(&hashmap).map_err(|problem| {
            response.invalid(format!("hashmap of {container}/{object}: {problem}"))
        })?;
        hashmap.etag = response.header("etag").map(unquote_etag);
        if !hashmap.block_hash.is_empty() {
            check_algorithm(&hashmap.block_hash)?;
        }
        let block_size = usize::try_from(hashmap.block_size)
            .ok()
            .filter(|&b| b > 0)
            .ok_or_else(|| {
                Error::Config(format!(
                    "{container}/{object} has an unusable block size {}",
                    hashmap.block_size
                ))
            })?;
        let hashes = hashmap
            .hashes
            .iter()
            .map(|h| from_hex(h))
            .collect::<Result<Vec<_>>>()?;
        Ok(Digests::Hashmap(RemoteHashmap {
            block_size,
            size: hashmap.bytes,
            hashes,
            etag: hashmap.etag.map(|e| e.trim_matches('"').to_owned()),
        }))
    }

    /// Bytes `start .. start + len` of an object, guarded by `If-Match` so
    /// a changed object fails instead of mixing versions.
    pub(crate) async fn get_block(
        &self,
        container: &str,
        object: &str,
        start: u64,
        len: u64,
        if_match: Option<&str>,
        version: Option<u64>,
    ) -> Result<Bytes> {
        let range = ByteRange::Span {
            start,
            end: start + len.saturating_sub(1),
        };
        let options = ObjectInfoOptions {
            version,
            if_match: if_match.map(str::to_owned),
            ..ObjectInfoOptions::default()
        };
        let Conditional::Modified(part) = self
            .get_object_range(container, object, range, &options)
            .await?
        else {
            return Err(Error::Config(format!(
                "{container}/{object} answered 'not modified' to an unconditional read"
            )));
        };
        if part.data.len() as u64 != len {
            return Err(Error::Integrity {
                what: format!("bytes {start}-{} of {container}/{object}", start + len - 1),
                expected: format!("{len} bytes"),
                actual: format!("{} bytes", part.data.len()),
            });
        }
        Ok(part.data)
    }
}
