//! Small objects in one request each: a plain `PUT` with the data and a
//! plain `GET`, both verified against the object hash, because for an
//! object of one block the Merkle root is the block's own hash.

use crate::hash::{block_hash, from_hex, hashmap_of, merkle_root, to_hex};
use crate::{PithosClient, PutOptions, WriteOutcome, swift};
use bytes::Bytes;
use synnefo_core::{Error, Request, Result};

/// Data up to this size fits one block in any real deployment (Pithos
/// blocks are MiBs), so its object hash is its block hash and needs no
/// container lookup; a container with smaller blocks costs one more
/// request to check it.
pub(crate) const SMALL_OBJECT_LIMIT: usize = 64 * 1024;

impl PithosClient {
    /// `PUT` of a small object with its data in the body; the server's hash
    /// must equal ours.
    pub(crate) async fn put_small(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
        options: &PutOptions,
    ) -> Result<WriteOutcome> {
        let expected = to_hex(&block_hash(&data));
        let kept = data.clone();
        let mut outcome = self
            .put_object_bytes(container, object, data, options)
            .await?;
        let etag = outcome
            .etag
            .take()
            .map(|e| e.trim_matches('"').to_owned())
            .unwrap_or_else(|| expected.clone());
        let expected = if etag == expected {
            expected
        } else if swift::is_md5_etag(&etag) {
            // Plain Swift answers the MD5 of the data instead of its hash.
            swift::md5_hex(&kept)
        } else if let Some(params) = self.block_params(container).await? {
            // A container with blocks smaller than the data (an emulator
            // run with tiny blocks): the hash is the Merkle root of them.
            to_hex(&merkle_root(&hashmap_of(&kept, params.block_size)))
        } else {
            expected
        };
        if etag != expected {
            return Err(Error::Integrity {
                what: format!("{container}/{object} after upload"),
                expected,
                actual: etag,
            });
        }
        outcome.etag = Some(etag);
        Ok(outcome)
    }

    /// Reads a whole object with one `GET` and verifies it against its
    /// `X-Object-Hash`: directly when it is one block, otherwise through the
    /// hashmap (one more request). Best for small objects; large ones are
    /// better served by [`PithosClient::download_file`] or
    /// [`PithosClient::download_stream`], which hold one block per
    /// concurrent fetch instead of the whole object.
    ///
    /// # Errors
    /// [`Error::Http`] (404 and others), [`Error::Integrity`] when the data
    /// does not match the object hash.
    pub async fn get_object_verified(&self, container: &str, object: &str) -> Result<Bytes> {
        let response = self
            .endpoint()
            .send(self.object_request(Request::get(), container, object))
            .await?;
        if swift::is_plain_swift(response.headers()) {
            // No X-Object-Hash: check the MD5 ETag (or the segments').
            let mut checker = self
                .swift_checker(container, object, response.headers(), true)
                .await?;
            let data = response.into_body();
            checker.feed(&data)?;
            checker.finish()?;
            return Ok(data);
        }
        let hash = response
            .header("x-object-hash")
            .or_else(|| response.header("etag"))
            .map(|h| h.trim_matches('"').to_owned())
            .ok_or_else(|| response.invalid("the object hash (X-Object-Hash) is missing"))?;
        let expected = from_hex(&hash)?;
        let data = response.into_body();
        let verified = tokio::task::spawn_blocking(move || {
            let single = block_hash(&data) == expected;
            (data, single)
        })
        .await
        .map_err(|e| Error::Config(format!("a hashing task failed: {e}")))?;
        let (data, single) = verified;
        if single {
            return Ok(data);
        }
        // More than one block (or a mismatch): check against the hashmap's
        // block size.
        let hashmap = self
            .get_digests(container, object, &Default::default())
            .await?
            .ok_or_else(|| Error::Config("the server answered 304 without a condition".into()))?;
        let block_size = hashmap.block_size;
        let blocks = (data.len() as u64).div_ceil(block_size as u64);
        let (data, local) = tokio::task::spawn_blocking(move || {
            let local = hashmap_of(&data, block_size);
            (data, local)
        })
        .await
        .map_err(|e| Error::Config(format!("a hashing task failed: {e}")))?;
        let mismatch = Error::Integrity {
            what: format!("{container}/{object} ({blocks} blocks)"),
            expected: hash.clone(),
            actual: to_hex(&merkle_root(&local)),
        };
        if hashmap.size != data.len() as u64 || local.len() != hashmap.hashes.len() {
            return Err(mismatch);
        }
        let differing: Vec<usize> = (0..local.len())
            .filter(|&i| local[i] != hashmap.hashes[i])
            .collect();
        let last = local.len() - 1;
        let tail_is_partial = data.len() % block_size != 0;
        match differing.as_slice() {
            [] => {}
            // A truncated object keeps the hash of the whole last block.
            [only] if *only == last && tail_is_partial => tracing::warn!(
                container,
                object,
                "the last block does not match its hash, as after a server-side truncation; \
                 it is accepted unverified"
            ),
            _ => return Err(mismatch),
        }
        Ok(data)
    }
}
