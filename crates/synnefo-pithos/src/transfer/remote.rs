//! The engine's view of the REST layer: the five calls a transfer makes,
//! with hashes as binary digests and block sizes checked, delegating every
//! request to the builders in `container.rs` and `object.rs`.

use crate::hash::{BlockHash, check_algorithm, from_hex, to_hex};
use crate::{
    ByteRange, Conditional, ObjectInfoOptions, PithosClient, PutHashmapOutcome, PutOptions,
};
use bytes::Bytes;
use synnefo_core::{Error, Result};

/// How a container cuts objects into blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BlockParams {
    pub(crate) block_size: usize,
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
    /// compute.
    pub(crate) async fn block_params(&self, container: &str) -> Result<BlockParams> {
        let info = self.container_info(container, None).await?;
        if !info.block_hash.is_empty() {
            check_algorithm(&info.block_hash)?;
        }
        let block_size = usize::try_from(info.block_size)
            .ok()
            .filter(|&b| b > 0)
            .ok_or_else(|| {
                Error::Config(format!(
                    "container {container:?} announces an unusable block size {}",
                    info.block_size
                ))
            })?;
        Ok(BlockParams { block_size })
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
    pub(crate) async fn get_digests(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Option<RemoteHashmap>> {
        let Conditional::Modified(hashmap) =
            self.object_hashmap(container, object, options).await?
        else {
            return Ok(None);
        };
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
        Ok(Some(RemoteHashmap {
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
