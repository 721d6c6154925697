//! The five requests the transfer engine makes, built as data.

use crate::PithosClient;
use crate::hash::{BlockHash, check_algorithm, from_hex, to_hex};
use bytes::Bytes;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use synnefo_core::{Body, Error, Request, Result};

/// How a container cuts objects into blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BlockParams {
    pub(crate) block_size: usize,
}

/// What a hashmap `PUT` answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum HashmapPut {
    /// The object exists now.
    Created {
        etag: Option<String>,
        version: Option<String>,
    },
    /// The server lacks these blocks (hex, in hashmap order).
    Missing(Vec<String>),
}

/// An object's hashmap as the server sent it.
#[derive(Clone, Debug)]
pub(crate) struct RemoteHashmap {
    pub(crate) block_size: usize,
    pub(crate) size: u64,
    pub(crate) hashes: Vec<BlockHash>,
    pub(crate) etag: Option<String>,
}

#[derive(Deserialize)]
struct HashmapBody {
    block_size: u64,
    #[serde(default)]
    block_hash: Option<String>,
    bytes: u64,
    hashes: Vec<String>,
}

/// Conditions a download is subject to.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conditions<'a> {
    pub(crate) version: Option<&'a str>,
    pub(crate) if_match: Option<&'a str>,
    pub(crate) if_none_match: Option<&'a str>,
    pub(crate) if_modified_since: Option<&'a str>,
    pub(crate) if_unmodified_since: Option<&'a str>,
}

impl PithosClient {
    /// The container's block size and hash (`HEAD` on the container).
    pub(crate) async fn block_params(&self, container: &str) -> Result<BlockParams> {
        let response = self
            .endpoint()
            .send(self.container_request(Request::head(), container))
            .await?;
        let block_size: usize = response
            .header_parsed("x-container-block-size")?
            .ok_or_else(|| response.invalid("the container does not say its block size"))?;
        if block_size == 0 {
            return Err(response.invalid("the container's block size is 0"));
        }
        if let Some(algorithm) = response.header("x-container-block-hash") {
            check_algorithm(algorithm)?;
        }
        Ok(BlockParams { block_size })
    }

    /// `PUT ?hashmap`: creates the object from block hashes, or lists the
    /// blocks the server lacks (409).
    pub(crate) async fn put_hashmap_request(
        &self,
        container: &str,
        object: &str,
        size: u64,
        hashes: &[BlockHash],
        headers: &[(String, String)],
    ) -> Result<HashmapPut> {
        let hex: Vec<String> = hashes.iter().map(to_hex).collect();
        let mut request = self
            .object_request(Request::put(), container, object)
            .flag("hashmap")
            .query("format", Some("json"))
            .expect([StatusCode::CREATED, StatusCode::CONFLICT]);
        for (name, value) in headers {
            request = request.header(name, value)?;
        }
        // Our own JSON body, but the object's content type stays: the
        // server takes it from this header (kamaki does the same).
        let body = serde_json::to_vec(&json!({"bytes": size, "hashes": hex}))
            .map_err(|e| Error::Config(format!("cannot encode a hashmap: {e}")))?;
        let request = request.body(Body::Bytes(Bytes::from(body)));
        let response = self.endpoint().send(request).await?;
        if response.status() == StatusCode::CONFLICT {
            let missing: Vec<String> = response.json()?;
            return Ok(HashmapPut::Missing(missing));
        }
        Ok(HashmapPut::Created {
            etag: response
                .header("etag")
                .map(|e| e.trim_matches('"').to_owned()),
            version: response.header("x-object-version").map(str::to_owned),
        })
    }

    /// `POST` of one block to the container; returns the hash the server
    /// computed. Safe to repeat: blocks are stored by content.
    pub(crate) async fn post_block(&self, container: &str, block: Bytes) -> Result<BlockHash> {
        let request = self
            .container_request(Request::post(), container)
            .query("format", Some("json"))
            .header("Content-Type", "application/octet-stream")?
            .body(Body::Bytes(block))
            .idempotent(true);
        let response = self.endpoint().send(request).await?;
        let hashes: Vec<String> = response.json()?;
        match hashes.as_slice() {
            [one] => from_hex(one),
            _ => Err(response.invalid(format!(
                "expected the hash of one block, got {} hashes",
                hashes.len()
            ))),
        }
    }

    /// `GET ?hashmap`; `None` when a condition says "not modified".
    pub(crate) async fn get_hashmap(
        &self,
        container: &str,
        object: &str,
        conditions: &Conditions<'_>,
    ) -> Result<Option<RemoteHashmap>> {
        let mut request = self
            .object_request(Request::get(), container, object)
            .flag("hashmap")
            .query("format", Some("json"))
            .query("version", conditions.version)
            .expect([StatusCode::OK, StatusCode::NOT_MODIFIED]);
        request = request
            .header_opt("If-Match", conditions.if_match)?
            .header_opt("If-None-Match", conditions.if_none_match)?
            .header_opt("If-Modified-Since", conditions.if_modified_since)?
            .header_opt("If-Unmodified-Since", conditions.if_unmodified_since)?;
        let response = self.endpoint().send(request).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        let body: HashmapBody = response.json()?;
        if let Some(algorithm) = &body.block_hash {
            check_algorithm(algorithm)?;
        }
        let block_size = usize::try_from(body.block_size)
            .ok()
            .filter(|&b| b > 0)
            .ok_or_else(|| response.invalid(format!("invalid block size {}", body.block_size)))?;
        let hashes = body
            .hashes
            .iter()
            .map(|h| from_hex(h))
            .collect::<Result<Vec<_>>>()?;
        let expected = expected_blocks(body.bytes, block_size);
        if hashes.len() as u64 != expected.max(1) {
            return Err(response.invalid(format!(
                "the hashmap lists {} blocks for {} bytes in blocks of {block_size}",
                hashes.len(),
                body.bytes
            )));
        }
        let etag = response
            .header("x-object-hash")
            .or_else(|| response.header("etag"))
            .map(|e| e.trim_matches('"').to_owned());
        Ok(Some(RemoteHashmap {
            block_size,
            size: body.bytes,
            hashes,
            etag,
        }))
    }

    /// One byte range of an object (`Range: bytes=start-end`, inclusive),
    /// guarded by `If-Match` so a changed object fails instead of mixing
    /// versions.
    pub(crate) async fn get_block(
        &self,
        container: &str,
        object: &str,
        start: u64,
        len: u64,
        if_match: Option<&str>,
        version: Option<&str>,
    ) -> Result<Bytes> {
        let end = start + len.saturating_sub(1);
        let request = self
            .object_request(Request::get(), container, object)
            .query("version", version)
            .header("Range", format!("bytes={start}-{end}"))?
            .header_opt("If-Match", if_match)?
            .expect([StatusCode::PARTIAL_CONTENT, StatusCode::OK]);
        let response = self.endpoint().send(request).await?;
        let body = response.into_body();
        if body.len() as u64 != len {
            return Err(Error::Integrity {
                what: format!("bytes {start}-{end} of {container}/{object}"),
                expected: format!("{len} bytes"),
                actual: format!("{} bytes", body.len()),
            });
        }
        Ok(body)
    }
}

/// How many blocks `size` bytes take (0 for an empty object).
pub(crate) fn expected_blocks(size: u64, block_size: usize) -> u64 {
    size.div_ceil(block_size as u64)
}
