//! Object operations: details and metadata, versions, hashmaps, ranged
//! reads, small uploads, the hashmap and block calls the transfer engine
//! builds on, copy and move, manifests, partial updates, delete, sharing
//! and publishing.
//!
//! Large transfers (dedup upload, parallel verified download) are built on
//! these calls elsewhere in the crate.

use crate::PithosClient;
use crate::container::{check_container, conflict};
use crate::headers::{
    decoded_headers, encode_value, format_until, parse_date, parse_i64, parse_u64, unquote_etag,
    with_date, with_deleted_keys, with_keyed_headers, with_prefix,
};
use crate::models::{
    Conditional, Hashmap, ObjectInfo, ObjectRange, ObjectVersion, Permissions, PutHashmapOutcome,
    WriteOutcome,
};
use crate::range::{ByteRange, parse_content_range};
use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::SystemTime;
use synnefo_core::http::HeaderMap;
use synnefo_core::{Body, Error, Request, Response, Result, encode_object_path, encode_segment};

/// The version and conditions of a read ([`PithosClient::object_info`],
/// [`PithosClient::object_hashmap`], [`PithosClient::get_object_range`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectInfoOptions {
    /// A past version instead of the current one.
    pub version: Option<u64>,
    /// `If-Match`: fail with `412` unless the ETag is one of these
    /// (comma-separated) or `*`.
    pub if_match: Option<String>,
    /// `If-None-Match`: answer "not modified" if the ETag matches (or `*`).
    pub if_none_match: Option<String>,
    /// `If-Modified-Since`: answer "not modified" if unchanged since.
    pub if_modified_since: Option<SystemTime>,
    /// `If-Unmodified-Since`: fail with `412` if changed since.
    pub if_unmodified_since: Option<SystemTime>,
}

/// Options of the requests that create an object
/// ([`PithosClient::put_object_bytes`], [`PithosClient::put_hashmap`],
/// [`PithosClient::create_manifest`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PutOptions {
    /// The content type (default `application/octet-stream`).
    pub content_type: Option<String>,
    /// `Content-Encoding`, kept as object metadata.
    pub content_encoding: Option<String>,
    /// `Content-Disposition`, kept as object metadata.
    pub content_disposition: Option<String>,
    /// User metadata; replaces the previous version's.
    pub meta: BTreeMap<String, String>,
    /// Permissions to set (empty ones remove all sharing); `None` leaves
    /// them as they are.
    pub sharing: Option<Permissions>,
    /// Publish (`true`) or unpublish (`false`); `None` leaves it as is.
    pub public: Option<bool>,
    /// The data's MD5 (hex): the server refuses a mismatch with `422`.
    pub etag: Option<String>,
    /// `If-Match`: replace only this ETag (`412` otherwise).
    pub if_match: Option<String>,
    /// `If-None-Match`: `*` creates only if the object does not exist.
    pub if_none_match: Option<String>,
}

/// Options of [`PithosClient::copy_object`] and
/// [`PithosClient::move_object`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopyOptions {
    /// The account owning the source (default: this client's).
    pub source_account: Option<String>,
    /// The account to copy or move into (default: this client's).
    pub destination_account: Option<String>,
    /// Copy this version of the source (copy only).
    pub source_version: Option<u64>,
    /// A new content type for the destination.
    pub content_type: Option<String>,
    /// With `'/'`, also copy or move everything under `<source>/`.
    pub delimiter: Option<char>,
    /// Publish or unpublish the destination; `None` leaves it as the
    /// server does (kamaki always sent `False`, its bug #19).
    pub public: Option<bool>,
    /// Permissions for the destination; `None` sets none.
    pub sharing: Option<Permissions>,
    /// Metadata merged into the copied metadata (an empty value deletes a
    /// key).
    pub meta: BTreeMap<String, String>,
}

/// Options of [`PithosClient::delete_object`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteObject {
    /// Purge the versions made up to this moment instead (whole seconds,
    /// rounded down; the current version too, if it is that old).
    pub until: Option<SystemTime>,
    /// With `'/'`, also delete everything under `<object>/`.
    pub delimiter: Option<char>,
}

/// The body of `GET ?version=list`.
#[derive(serde::Deserialize)]
struct VersionList {
    versions: Vec<(Value, Value)>,
}

impl PithosClient {
    /// `HEAD /<account>/<container>/<object>[?version=]` with the
    /// conditions as headers.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container or object name, or a
    /// condition that is not a valid header value.
    pub fn object_info_request(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Request> {
        let request = self
            .object_at(Request::head(), container, object)?
            .query("version", options.version)
            .expect([
                StatusCode::OK,
                StatusCode::NO_CONTENT,
                StatusCode::NOT_MODIFIED,
            ]);
        with_conditions(request, options)
    }

    /// The object's details: size, type, hashes, version, sharing, public
    /// URL, metadata (kamaki `get_object_info`). A condition that holds
    /// gives [`Conditional::NotModified`], not an error (kamaki crashed).
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown object or version, 412 failed
    /// `If-Match`/`If-Unmodified-Since`), [`Error::InvalidResponse`] for
    /// malformed headers.
    pub async fn object_info(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Conditional<ObjectInfo>> {
        let response = self
            .endpoint()
            .send(self.object_info_request(container, object, options)?)
            .await?;
        if let Some(not_modified) = not_modified(&response) {
            return Ok(not_modified);
        }
        self.known_flavor()
            .learn(crate::swift::is_plain_swift(response.headers()));
        parse_object_info(response.headers())
            .map(Conditional::Modified)
            .map_err(|problem| response.invalid(format!("object {container}/{object}: {problem}")))
    }

    /// The object's user metadata, keys in lower case (kamaki
    /// `get_object_meta`).
    ///
    /// # Errors
    /// As [`PithosClient::object_info`].
    pub async fn object_meta(
        &self,
        container: &str,
        object: &str,
    ) -> Result<BTreeMap<String, String>> {
        Ok(self.current_info(container, object).await?.meta)
    }

    /// `POST …/<object>?update&format=json` with `X-Object-Meta-*` headers.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or keys.
    pub fn set_object_meta_request<I, K, V>(
        &self,
        container: &str,
        object: &str,
        meta: I,
    ) -> Result<Request>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let request = self.object_update_request(container, object)?;
        with_keyed_headers(request, "metadata", "X-Object-Meta-", meta)
    }

    /// Sets object metadata, leaving other keys alone (kamaki
    /// `set_object_meta`); an empty value deletes the key. Makes a new
    /// version.
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown object, 403 no write access).
    pub async fn set_object_meta<I, K, V>(
        &self,
        container: &str,
        object: &str,
        meta: I,
    ) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let pairs: Vec<(String, String)> = meta
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
            .collect();
        if self
            .merge_meta_on_swift(container, object, &pairs, &[])
            .await?
        {
            return Ok(());
        }
        self.endpoint()
            .send(self.set_object_meta_request(container, object, pairs)?)
            .await?;
        Ok(())
    }

    /// `POST …/<object>?format=json` (no `update`) with `X-Object-Meta-*`
    /// headers.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or keys.
    pub fn replace_object_meta_request<I, K, V>(
        &self,
        container: &str,
        object: &str,
        meta: I,
    ) -> Result<Request>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let request = self
            .object_at(Request::post(), container, object)?
            .query("format", Some("json"))
            .expect([StatusCode::ACCEPTED, StatusCode::NO_CONTENT])
            .idempotent(true);
        with_keyed_headers(request, "metadata", "X-Object-Meta-", meta)
    }

    /// Replaces **all** the object's user metadata with `meta` (its
    /// `Content-Encoding` and `Content-Disposition` too): keys not named are
    /// deleted (kamaki `replace_object_meta`, which POSTed to the container
    /// by mistake, its bug #22). To change some keys only, use
    /// [`PithosClient::set_object_meta`].
    ///
    /// # Errors
    /// As [`PithosClient::set_object_meta`].
    pub async fn replace_object_meta<I, K, V>(
        &self,
        container: &str,
        object: &str,
        meta: I,
    ) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.endpoint()
            .send(self.replace_object_meta_request(container, object, meta)?)
            .await?;
        Ok(())
    }

    /// `POST …/<object>?update&format=json` with an empty
    /// `X-Object-Meta-<key>` per key.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or keys.
    pub fn delete_object_meta_request<I, K>(
        &self,
        container: &str,
        object: &str,
        keys: I,
    ) -> Result<Request>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        let request = self.object_update_request(container, object)?;
        with_deleted_keys(request, "metadata", "X-Object-Meta-", keys)
    }

    /// Deletes object metadata keys (kamaki `del_object_meta`).
    ///
    /// # Errors
    /// As [`PithosClient::set_object_meta`].
    pub async fn delete_object_meta<I, K>(
        &self,
        container: &str,
        object: &str,
        keys: I,
    ) -> Result<()>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        let keys: Vec<String> = keys.into_iter().map(|k| k.as_ref().to_owned()).collect();
        if self
            .merge_meta_on_swift(container, object, &[], &keys)
            .await?
        {
            return Ok(());
        }
        self.endpoint()
            .send(self.delete_object_meta_request(container, object, keys)?)
            .await?;
        Ok(())
    }

    /// Plain Swift ignores `?update` and replaces all of an object's
    /// metadata on `POST`, which would silently drop every key not named.
    /// So the object is read first (one `HEAD`, only until a response has
    /// shown which server this is): on Pithos+ nothing more
    /// happens here and the caller sends its merging `POST`; on Swift the
    /// merge is done here and the whole set is written back (not atomic:
    /// a concurrent change between the two requests can be lost). Returns
    /// whether it handled the change.
    async fn merge_meta_on_swift(
        &self,
        container: &str,
        object: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<bool> {
        if self.known_flavor().is_swift() == Some(false) {
            return Ok(false); // Pithos+ merges by itself
        }
        let Conditional::Modified(info) = self
            .object_info(container, object, &ObjectInfoOptions::default())
            .await?
        else {
            return Ok(false);
        };
        // `object_info` has learnt the flavor from this answer.
        let swift = crate::swift::is_plain_swift_by(|name| info.headers.contains_key(name));
        if !swift {
            return Ok(false);
        }
        let mut meta = info.meta;
        for key in delete {
            meta.remove(&key.to_lowercase());
        }
        for (key, value) in set {
            if value.is_empty() {
                meta.remove(&key.to_lowercase());
            } else {
                meta.insert(key.to_lowercase(), value.clone());
            }
        }
        self.replace_object_meta(container, object, meta).await?;
        Ok(true)
    }

    /// `GET …/<object>?version=list&format=json`.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names.
    pub fn object_versions_request(&self, container: &str, object: &str) -> Result<Request> {
        Ok(self
            .object_at(Request::get(), container, object)?
            .query("version", Some("list"))
            .query("format", Some("json"))
            .expect([StatusCode::OK]))
    }

    /// The object's versions, oldest first (kamaki
    /// `get_object_versionlist`). History stays listable after the object
    /// is deleted.
    ///
    /// # Errors
    /// [`Error::Http`] (404), [`Error::InvalidResponse`] for a malformed
    /// list.
    pub async fn object_versions(
        &self,
        container: &str,
        object: &str,
    ) -> Result<Vec<ObjectVersion>> {
        let response = self
            .endpoint()
            .send(self.object_versions_request(container, object)?)
            .await?;
        let list: VersionList = response.json()?;
        list.versions
            .into_iter()
            .map(|(version, timestamp)| parse_version(&version, &timestamp))
            .collect::<Result<_, String>>()
            .map_err(|problem| {
                response.invalid(format!("versions of {container}/{object}: {problem}"))
            })
    }

    /// `GET …/<object>?hashmap&format=json[&version=]` with the conditions.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or invalid conditions.
    pub fn object_hashmap_request(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Request> {
        let request = self
            .object_at(Request::get(), container, object)?
            .flag("hashmap")
            .query("format", Some("json"))
            .query("version", options.version)
            .expect([StatusCode::OK, StatusCode::NOT_MODIFIED]);
        with_conditions(request, options)
    }

    /// The object's hashmap: block size and algorithm, size, and one hash
    /// per block (kamaki `get_object_hashmap`). A condition that holds
    /// gives [`Conditional::NotModified`] (kamaki returned `{}` and then
    /// crashed on it, its bug #14).
    ///
    /// # Errors
    /// [`Error::Http`] (404, 412), [`Error::InvalidResponse`] when the
    /// hashmap is malformed or its hash count does not fit its size.
    pub async fn object_hashmap(
        &self,
        container: &str,
        object: &str,
        options: &ObjectInfoOptions,
    ) -> Result<Conditional<Hashmap>> {
        let response = self
            .endpoint()
            .send(self.object_hashmap_request(container, object, options)?)
            .await?;
        if let Some(not_modified) = not_modified(&response) {
            return Ok(not_modified);
        }
        if crate::swift::is_plain_swift(response.headers()) {
            // Swift ignores `?hashmap` and sends the object itself.
            return Err(crate::swift::lacks_extension(&format!(
                "the hashmap of {container}/{object}"
            )));
        }
        let mut hashmap: Hashmap = response.json()?;
        check_hashmap(&hashmap).map_err(|problem| {
            response.invalid(format!("hashmap of {container}/{object}: {problem}"))
        })?;
        let headers = decoded_headers(response.headers());
        hashmap.etag = headers.get("etag").map(|e| unquote_etag(e));
        hashmap.version = parse_u64(&headers, "x-object-version").unwrap_or(None);
        hashmap.content_type = headers.get("content-type").cloned();
        Ok(Conditional::Modified(hashmap))
    }

    /// `GET …/<object>[?version=]` with `Range: bytes=<range>` and the
    /// conditions.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names, an invalid range or conditions.
    pub fn get_object_range_request(
        &self,
        container: &str,
        object: &str,
        range: ByteRange,
        options: &ObjectInfoOptions,
    ) -> Result<Request> {
        range.validate()?;
        let request = self
            .object_at(Request::get(), container, object)?
            .query("version", options.version)
            .header("Range", range.header_value())?
            .expect([
                StatusCode::PARTIAL_CONTENT,
                StatusCode::OK,
                StatusCode::NOT_MODIFIED,
            ]);
        with_conditions(request, options)
    }

    /// One byte range of the object, checked against the `Content-Range`
    /// the server sends. The server is strict: a range past the end is
    /// refused with `416`, never clamped.
    ///
    /// # Errors
    /// [`Error::Http`] (416 unsatisfiable range, 404, 412),
    /// [`Error::InvalidResponse`] when the server sends other bytes than
    /// asked for.
    pub async fn get_object_range(
        &self,
        container: &str,
        object: &str,
        range: ByteRange,
        options: &ObjectInfoOptions,
    ) -> Result<Conditional<ObjectRange>> {
        let response = self
            .endpoint()
            .send(self.get_object_range_request(container, object, range, options)?)
            .await?;
        if let Some(not_modified) = not_modified(&response) {
            return Ok(not_modified);
        }
        let etag = response.header("etag").map(unquote_etag);
        let checked = check_range(
            response.status(),
            response.header("content-range"),
            range,
            response.body(),
        );
        let (start, end, total_size) = checked.map_err(|problem| {
            response.invalid(format!("range {range} of {container}/{object}: {problem}"))
        })?;
        let body = response.into_body();
        let data = if body.len() as u64 == end - start + 1 {
            body
        } else {
            // The server ignored the Range and sent everything.
            body.slice(start as usize..=end as usize)
        };
        Ok(Conditional::Modified(ObjectRange {
            data,
            start,
            end,
            total_size,
            etag,
        }))
    }

    /// `PUT …/<object>` with a `Content-Type` and no data.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or an invalid content type.
    pub fn create_object_request(
        &self,
        container: &str,
        object: &str,
        content_type: &str,
    ) -> Result<Request> {
        self.object_at(Request::put(), container, object)?
            .header("Content-Type", content_type)
            .map(|r| r.expect([StatusCode::CREATED]))
    }

    /// Creates an empty object of the given type (kamaki `create_object`).
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown container, 403, 413 over quota).
    pub async fn create_object(
        &self,
        container: &str,
        object: &str,
        content_type: &str,
    ) -> Result<WriteOutcome> {
        let response = self
            .endpoint()
            .send(self.create_object_request(container, object, content_type)?)
            .await?;
        write_outcome(&response)
    }

    /// Creates a directory marker: an empty `application/directory` object
    /// (kamaki `create_directory`). Permissions set on it apply to
    /// everything under `<object>/`.
    ///
    /// # Errors
    /// As [`PithosClient::create_object`].
    pub async fn create_directory(&self, container: &str, object: &str) -> Result<WriteOutcome> {
        self.create_object(container, object, "application/directory")
            .await
    }

    /// `PUT …/<object>` with `data` as the body and the options as headers.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or option values that are not
    /// valid headers.
    pub fn put_object_request(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
        options: &PutOptions,
    ) -> Result<Request> {
        let request = self
            .object_at(Request::put(), container, object)?
            .body(Body::Bytes(data))
            .expect([StatusCode::CREATED]);
        put_headers(request, options)
    }

    /// Uploads `data` in one `PUT` (kamaki `upload_object_unchunked`): for
    /// small objects; large ones go faster by hashmap, sending only the
    /// blocks the server lacks.
    ///
    /// # Errors
    /// [`Error::Http`] (411 no content type, 412 failed condition, 413
    /// over quota, 422 ETag mismatch).
    pub async fn put_object_bytes(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
        options: &PutOptions,
    ) -> Result<WriteOutcome> {
        let response = self
            .endpoint()
            .send(self.put_object_request(container, object, data, options)?)
            .await?;
        write_outcome(&response)
    }

    /// `PUT …/<object>?hashmap&format=json` with body
    /// `{"bytes": size, "hashes": [...]}`, accepting `201` and `409`. The
    /// content type is the object's (the body is JSON nevertheless).
    ///
    /// # Errors
    /// [`Error::Config`] for empty names, a hash that is not hex, or
    /// invalid options.
    pub fn put_object_hashmap_request<S: AsRef<str>>(
        &self,
        container: &str,
        object: &str,
        size: u64,
        hashes: &[S],
        options: &PutOptions,
    ) -> Result<Request> {
        let hashes: Vec<&str> = hashes.iter().map(AsRef::as_ref).collect();
        if let Some(bad) = hashes
            .iter()
            .find(|h| h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(Error::Config(format!("{bad:?} is not a hex block hash")));
        }
        let request = self
            .object_at(Request::put(), container, object)?
            .flag("hashmap")
            .query("format", Some("json"))
            .expect([StatusCode::CREATED, StatusCode::CONFLICT]);
        let request = put_headers(request, options)?;
        request.json(&serde_json::json!({"bytes": size, "hashes": hashes}))
    }

    /// Creates the object from its block hashes (the first and last step
    /// of a dedup upload): [`PutHashmapOutcome::Created`] when the server
    /// has every block, else [`PutHashmapOutcome::Missing`] listing the
    /// blocks to send with [`PithosClient::post_blocks`] before trying
    /// again.
    ///
    /// # Errors
    /// [`Error::Http`] (400 hash count inconsistent with the size, 413
    /// over quota), [`Error::InvalidResponse`] for a `409` that lists no
    /// hashes.
    pub async fn put_hashmap<S: AsRef<str>>(
        &self,
        container: &str,
        object: &str,
        size: u64,
        hashes: &[S],
        options: &PutOptions,
    ) -> Result<PutHashmapOutcome> {
        let request = self.put_object_hashmap_request(container, object, size, hashes, options)?;
        let response = self.endpoint().send(request).await?;
        if response.status() == StatusCode::CONFLICT {
            return match serde_json::from_slice::<Vec<String>>(response.body()) {
                Ok(missing) => Ok(PutHashmapOutcome::Missing(missing)),
                Err(_) => Err(conflict(
                    &response,
                    Method::PUT,
                    format!(
                        "the hashmap of {container}/{object} conflicts with the server's state"
                    ),
                )),
            };
        }
        let outcome = write_outcome(&response)?;
        Ok(PutHashmapOutcome::Created {
            etag: outcome.etag,
            version: outcome.version,
        })
    }

    /// `POST /<account>/<container>?update&format=json` with raw block data
    /// (`application/octet-stream`), marked safe to repeat: blocks are
    /// stored by content.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name or empty data (which
    /// the server would take for a metadata update).
    pub fn post_blocks_request(&self, container: &str, data: Bytes) -> Result<Request> {
        check_container(container)?;
        if data.is_empty() {
            return Err(Error::Config("no block data to upload".into()));
        }
        Ok(self
            .container_request(Request::post(), container)
            .flag("update")
            .query("format", Some("json"))
            .header("Content-Type", "application/octet-stream")?
            .body(Body::Bytes(data))
            .expect([StatusCode::ACCEPTED, StatusCode::OK, StatusCode::CREATED])
            .idempotent(true))
    }

    /// Uploads blocks to the container: the server cuts `data` into blocks
    /// of the container's block size, stores them, and answers their hashes
    /// (hex), which this returns. Write access to the container is needed.
    ///
    /// # Errors
    /// [`Error::Http`] (403, 413), [`Error::InvalidResponse`] when the
    /// answer is not a list of hashes.
    pub async fn post_blocks(&self, container: &str, data: Bytes) -> Result<Vec<String>> {
        let response = self
            .endpoint()
            .send(self.post_blocks_request(container, data)?)
            .await?;
        let hashes: Vec<String> = response.json()?;
        if hashes.is_empty() {
            return Err(response.invalid(format!(
                "the block upload to container {container:?} answered no hashes"
            )));
        }
        Ok(hashes)
    }

    /// `PUT /<destination account>/<dst_container>/<dst_object>` with
    /// `X-Copy-From: /<src_container>/<src_object>`.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or invalid options.
    pub fn copy_object_request(
        &self,
        src_container: &str,
        src_object: &str,
        dst_container: &str,
        dst_object: &str,
        options: &CopyOptions,
    ) -> Result<Request> {
        self.transfer_request(
            "X-Copy-From",
            src_container,
            src_object,
            dst_container,
            dst_object,
            options,
        )
    }

    /// Copies an object on the server, metadata included (kamaki
    /// `copy_object`); the copy gets a new UUID. Sharing and publication
    /// are not copied unless given in the options.
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown source, 403 no read access to it or no
    /// write access to the destination, 413 over quota).
    pub async fn copy_object(
        &self,
        src_container: &str,
        src_object: &str,
        dst_container: &str,
        dst_object: &str,
        options: &CopyOptions,
    ) -> Result<WriteOutcome> {
        let request = self.copy_object_request(
            src_container,
            src_object,
            dst_container,
            dst_object,
            options,
        )?;
        write_outcome(&self.endpoint().send(request).await?)
    }

    /// `PUT /<destination account>/<dst_container>/<dst_object>` with
    /// `X-Move-From: /<src_container>/<src_object>`; not retried, since a
    /// second attempt would find no source.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names, invalid options, or a
    /// `source_version` (moves take the current version).
    pub fn move_object_request(
        &self,
        src_container: &str,
        src_object: &str,
        dst_container: &str,
        dst_object: &str,
        options: &CopyOptions,
    ) -> Result<Request> {
        if options.source_version.is_some() {
            return Err(Error::Config(
                "a move takes the current version: source_version is for copies".into(),
            ));
        }
        Ok(self
            .transfer_request(
                "X-Move-From",
                src_container,
                src_object,
                dst_container,
                dst_object,
                options,
            )?
            .idempotent(false))
    }

    /// Moves (renames) an object on the server (kamaki `move_object`); it
    /// keeps its UUID. Only the owner of the source may move it.
    ///
    /// # Errors
    /// As [`PithosClient::copy_object`].
    pub async fn move_object(
        &self,
        src_container: &str,
        src_object: &str,
        dst_container: &str,
        dst_object: &str,
        options: &CopyOptions,
    ) -> Result<WriteOutcome> {
        let request = self.move_object_request(
            src_container,
            src_object,
            dst_container,
            dst_object,
            options,
        )?;
        write_outcome(&self.endpoint().send(request).await?)
    }

    /// `PUT …/<object>` with no data and `X-Object-Manifest: <manifest>`.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or a manifest that is not
    /// `<container>/<prefix>`.
    pub fn create_manifest_request(
        &self,
        container: &str,
        object: &str,
        manifest: &str,
        options: &PutOptions,
    ) -> Result<Request> {
        match manifest.split_once('/') {
            Some((c, _)) if !c.is_empty() => {}
            _ => {
                return Err(Error::Config(format!(
                    "invalid manifest {manifest:?}: expected <container>/<prefix>"
                )));
            }
        }
        let request = self
            .object_at(Request::put(), container, object)?
            .header("X-Object-Manifest", encode_value(manifest))?
            .expect([StatusCode::CREATED]);
        put_headers(request, options)
    }

    /// Creates a manifest object (kamaki `create_object_by_manifestation`):
    /// reading it gives the concatenation, in name order, of the objects of
    /// `<container>` whose names start with `<prefix>` (`manifest` =
    /// `"<container>/<prefix>"`).
    ///
    /// # Errors
    /// As [`PithosClient::put_object_bytes`].
    pub async fn create_manifest(
        &self,
        container: &str,
        object: &str,
        manifest: &str,
        options: &PutOptions,
    ) -> Result<WriteOutcome> {
        let request = self.create_manifest_request(container, object, manifest, options)?;
        write_outcome(&self.endpoint().send(request).await?)
    }

    /// `POST …/<object>?update&format=json` with `Content-Range: bytes */*`
    /// and the data; not retried (a repeat would append twice).
    ///
    /// # Errors
    /// [`Error::Config`] for empty names.
    pub fn append_object_request(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
    ) -> Result<Request> {
        Ok(self
            .object_update_request(container, object)?
            .header("Content-Type", "application/octet-stream")?
            .header("Content-Range", "bytes */*")?
            .body(Body::Bytes(data))
            .idempotent(false))
    }

    /// Appends `data` to the object (kamaki `append_object`, which could
    /// reorder appends sent in parallel: call this sequentially).
    ///
    /// # Errors
    /// [`Error::Http`] (404, 403, 413).
    pub async fn append_object_bytes(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
    ) -> Result<WriteOutcome> {
        let request = self.append_object_request(container, object, data)?;
        write_outcome(&self.endpoint().send(request).await?)
    }

    /// `POST …/<object>?update&format=json` that rewrites the object from
    /// itself (`X-Source-Object`, `Content-Range: bytes 0-/*`) cut to
    /// `X-Object-Bytes: <size>`.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names.
    pub fn truncate_object_request(
        &self,
        container: &str,
        object: &str,
        size: u64,
    ) -> Result<Request> {
        self.object_update_request(container, object)?
            .header("Content-Range", "bytes 0-/*")?
            .header("X-Source-Object", source_path(container, object))?
            .header("X-Source-Account", encode_value(self.account()))?
            .header("X-Object-Bytes", size.to_string())
    }

    /// Cuts the object to its first `size` bytes (kamaki `truncate_object`);
    /// a size at or past the end changes nothing.
    ///
    /// # Errors
    /// [`Error::Http`] (404, 403).
    pub async fn truncate_object(
        &self,
        container: &str,
        object: &str,
        size: u64,
    ) -> Result<WriteOutcome> {
        let request = self.truncate_object_request(container, object, size)?;
        write_outcome(&self.endpoint().send(request).await?)
    }

    /// `POST …/<object>?update&format=json` with
    /// `Content-Range: bytes <start>-<end>/*` and the data.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names, or when `data` does not hold
    /// exactly `end - start + 1` bytes.
    pub fn overwrite_object_range_request(
        &self,
        container: &str,
        object: &str,
        start: u64,
        end: u64,
        data: Bytes,
    ) -> Result<Request> {
        let expected = end.checked_sub(start).and_then(|d| d.checked_add(1));
        if expected != Some(data.len() as u64) {
            return Err(Error::Config(format!(
                "bytes {start}-{end} of {container}/{object} need {} bytes of data, not {}",
                expected.map_or_else(|| "a valid range and".to_owned(), |n| n.to_string()),
                data.len()
            )));
        }
        Ok(self
            .object_update_request(container, object)?
            .header("Content-Type", "application/octet-stream")?
            .header("Content-Range", format!("bytes {start}-{end}/*"))?
            .body(Body::Bytes(data)))
    }

    /// Replaces bytes `start..=end` of the object with `data` (kamaki
    /// `overwrite_object`); data past the end grows the object, but
    /// `start` may not be past the end (416).
    ///
    /// # Errors
    /// As [`PithosClient::overwrite_object_range_request`], and
    /// [`Error::Http`] (416 start past the end, 404, 403).
    pub async fn overwrite_object_range(
        &self,
        container: &str,
        object: &str,
        start: u64,
        end: u64,
        data: Bytes,
    ) -> Result<WriteOutcome> {
        let request = self.overwrite_object_range_request(container, object, start, end, data)?;
        write_outcome(&self.endpoint().send(request).await?)
    }

    /// `DELETE …/<object>[?until=][&delimiter=]`.
    ///
    /// # Errors
    /// [`Error::Config`] for empty names.
    pub fn delete_object_request(
        &self,
        container: &str,
        object: &str,
        options: &DeleteObject,
    ) -> Result<Request> {
        Ok(self
            .object_at(Request::delete(), container, object)?
            .query("until", options.until.map(format_until))
            .query("delimiter", options.delimiter)
            .expect([StatusCode::NO_CONTENT]))
    }

    /// Deletes an object (kamaki `del_object`), with `delimiter: '/'` also
    /// everything under `<object>/`; with `until`, purges old versions
    /// instead. Deletion is permanent (there is no trash on the server).
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown object, 403 not the owner).
    pub async fn delete_object(
        &self,
        container: &str,
        object: &str,
        options: &DeleteObject,
    ) -> Result<()> {
        self.endpoint()
            .send(self.delete_object_request(container, object, options)?)
            .await?;
        Ok(())
    }

    /// The object's permissions, empty when not shared (kamaki
    /// `get_object_sharing`).
    ///
    /// # Errors
    /// As [`PithosClient::object_info`].
    pub async fn object_sharing(&self, container: &str, object: &str) -> Result<Permissions> {
        Ok(self
            .current_info(container, object)
            .await?
            .sharing
            .unwrap_or_default())
    }

    /// `POST …/<object>?update&format=json` with
    /// `X-Object-Sharing: read=…;write=…` (empty to remove all sharing).
    ///
    /// # Errors
    /// [`Error::Config`] for empty names or an entry holding `,`, `;` or
    /// `=`.
    pub fn set_object_sharing_request(
        &self,
        container: &str,
        object: &str,
        permissions: &Permissions,
    ) -> Result<Request> {
        permissions.check()?;
        self.object_update_request(container, object)?
            .header("X-Object-Sharing", encode_value(&permissions.to_header()))
    }

    /// Sets who may read and write the object, replacing its previous
    /// permissions (kamaki `set_object_sharing`); empty permissions remove
    /// all sharing.
    ///
    /// # Errors
    /// [`Error::Http`] (400 unknown user or group syntax, 403 not the
    /// owner).
    pub async fn set_object_sharing(
        &self,
        container: &str,
        object: &str,
        permissions: &Permissions,
    ) -> Result<()> {
        self.endpoint()
            .send(self.set_object_sharing_request(container, object, permissions)?)
            .await?;
        Ok(())
    }

    /// Removes all sharing of the object (kamaki `del_object_sharing`).
    ///
    /// # Errors
    /// As [`PithosClient::set_object_sharing`].
    pub async fn del_object_sharing(&self, container: &str, object: &str) -> Result<()> {
        self.set_object_sharing(container, object, &Permissions::default())
            .await
    }

    /// `POST …/<object>?update&format=json` with `X-Object-Public: true`
    /// (or `false`).
    ///
    /// # Errors
    /// [`Error::Config`] for empty names.
    pub fn set_object_public_request(
        &self,
        container: &str,
        object: &str,
        public: bool,
    ) -> Result<Request> {
        self.object_update_request(container, object)?
            .header("X-Object-Public", if public { "true" } else { "false" })
    }

    /// Publishes the object and returns its public URL, read back with a
    /// `HEAD` (kamaki `publish_object`). The URL is stable while the object
    /// stays published.
    ///
    /// # Errors
    /// [`Error::Http`] (404, 403 not the owner), [`Error::InvalidResponse`]
    /// when the server reports no URL.
    pub async fn publish_object(&self, container: &str, object: &str) -> Result<String> {
        self.endpoint()
            .send(self.set_object_public_request(container, object, true)?)
            .await?;
        let head = self.object_info_request(container, object, &ObjectInfoOptions::default())?;
        let response = self.endpoint().send(head).await?;
        let info = parse_object_info(response.headers()).map_err(|problem| {
            response.invalid(format!("object {container}/{object}: {problem}"))
        })?;
        info.public_url.ok_or_else(|| {
            response.invalid(format!(
                "object {container}/{object} was published, but the server reports no \
                 X-Object-Public URL"
            ))
        })
    }

    /// Unpublishes the object: its public URL stops working (kamaki
    /// `unpublish_object`).
    ///
    /// # Errors
    /// [`Error::Http`] (404, 403).
    pub async fn unpublish_object(&self, container: &str, object: &str) -> Result<()> {
        self.endpoint()
            .send(self.set_object_public_request(container, object, false)?)
            .await?;
        Ok(())
    }

    /// The current version's details, without conditions.
    async fn current_info(&self, container: &str, object: &str) -> Result<ObjectInfo> {
        self.object_info(container, object, &ObjectInfoOptions::default())
            .await?
            .into_value(&format!("object {container}/{object}"))
    }

    /// `/<account>/<container>/<object>` after checking the names.
    fn object_at(&self, request: Request, container: &str, object: &str) -> Result<Request> {
        check_container(container)?;
        if object.is_empty() {
            return Err(Error::Config(format!(
                "the object name must not be empty (container {container:?})"
            )));
        }
        Ok(self.object_request(request, container, object))
    }

    /// `POST …/<object>?update&format=json`, accepting `202` (metadata)
    /// and `204` (data), marked safe to repeat.
    fn object_update_request(&self, container: &str, object: &str) -> Result<Request> {
        Ok(self
            .object_at(Request::post(), container, object)?
            .flag("update")
            .query("format", Some("json"))
            .expect([StatusCode::ACCEPTED, StatusCode::NO_CONTENT])
            .idempotent(true))
    }

    /// A copy or move by `PUT` with `header` naming the source.
    fn transfer_request(
        &self,
        header: &str,
        src_container: &str,
        src_object: &str,
        dst_container: &str,
        dst_object: &str,
        options: &CopyOptions,
    ) -> Result<Request> {
        check_container(src_container)?;
        if src_object.is_empty() {
            return Err(Error::Config(
                "the source object name must not be empty".into(),
            ));
        }
        let destination = match &options.destination_account {
            Some(account) => self.with_account(account.clone()),
            None => self.clone(),
        };
        // The server's default source account is the caller's, which need
        // not be this client's account: always say which.
        let source_account = options.source_account.as_deref().unwrap_or(self.account());
        let mut request = destination
            .object_at(Request::put(), dst_container, dst_object)?
            .query("format", Some("json"))
            .query("delimiter", options.delimiter)
            .header(header, source_path(src_container, src_object))?
            .header("X-Source-Account", encode_value(source_account))?
            .header_opt(
                "X-Source-Version",
                options.source_version.map(|v| v.to_string()),
            )?
            .header_opt("Content-Type", options.content_type.as_deref())?
            .expect([StatusCode::CREATED]);
        if let Some(permissions) = &options.sharing {
            permissions.check()?;
            request = request.header("X-Object-Sharing", encode_value(&permissions.to_header()))?;
        }
        request = request.header_opt("X-Object-Public", options.public.map(bool_text))?;
        with_keyed_headers(request, "metadata", "X-Object-Meta-", &options.meta)
    }
}

/// `true`/`false` as the server reads them.
fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// `/<container>/<object>`, percent-encoded (the server unquotes header
/// values holding `%`).
fn source_path(container: &str, object: &str) -> String {
    format!(
        "/{}/{}",
        encode_segment(container),
        encode_object_path(object)
    )
}

/// Adds the read conditions as headers.
fn with_conditions(request: Request, options: &ObjectInfoOptions) -> Result<Request> {
    let request = request
        .header_opt("If-Match", options.if_match.as_deref())?
        .header_opt("If-None-Match", options.if_none_match.as_deref())?;
    let request = with_date(request, "If-Modified-Since", options.if_modified_since)?;
    with_date(request, "If-Unmodified-Since", options.if_unmodified_since)
}

/// Adds the headers of an object-creating `PUT`; `Content-Type` defaults
/// to `application/octet-stream` (the server requires one).
fn put_headers(request: Request, options: &PutOptions) -> Result<Request> {
    let content_type = options
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    let mut request = request
        .header_opt("If-Match", options.if_match.as_deref())?
        .header_opt("If-None-Match", options.if_none_match.as_deref())?
        .header_opt("ETag", options.etag.as_deref())?
        .header("Content-Type", content_type)?
        .header_opt(
            "Content-Encoding",
            options.content_encoding.as_deref().map(encode_value),
        )?
        .header_opt(
            "Content-Disposition",
            options.content_disposition.as_deref().map(encode_value),
        )?;
    if let Some(permissions) = &options.sharing {
        permissions.check()?;
        request = request.header("X-Object-Sharing", encode_value(&permissions.to_header()))?;
    }
    request = request.header_opt("X-Object-Public", options.public.map(bool_text))?;
    with_keyed_headers(request, "metadata", "X-Object-Meta-", &options.meta)
}

/// `Some(NotModified)` for a `304`.
fn not_modified<T>(response: &Response) -> Option<Conditional<T>> {
    (response.status() == StatusCode::NOT_MODIFIED).then(|| Conditional::NotModified {
        etag: response.header("etag").map(unquote_etag),
    })
}

/// The ETag and version a write answered.
fn write_outcome(response: &Response) -> Result<WriteOutcome> {
    let version = response.header_parsed("x-object-version")?;
    Ok(WriteOutcome {
        etag: response.header("etag").map(unquote_etag),
        version,
    })
}

/// The object model from `HEAD` (or `GET`) response headers.
pub(crate) fn parse_object_info(headers: &HeaderMap) -> Result<ObjectInfo, String> {
    let headers = decoded_headers(headers);
    let size =
        parse_u64(&headers, "content-length")?.ok_or("the Content-Length header is missing")?;
    let sharing = match headers.get("x-object-sharing").map(|s| s.trim()) {
        None | Some("") => None,
        Some(text) => Some(Permissions::parse(text).map_err(|e| e.to_string())?),
    };
    let text = |name: &str| headers.get(name).cloned();
    Ok(ObjectInfo {
        size,
        content_type: text("content-type"),
        etag: headers.get("etag").map(|e| unquote_etag(e)),
        object_hash: text("x-object-hash"),
        uuid: text("x-object-uuid"),
        version: parse_u64(&headers, "x-object-version")?,
        version_timestamp: parse_date(&headers, "x-object-version-timestamp")?,
        modified_by: text("x-object-modified-by"),
        sharing,
        shared_by: text("x-object-shared-by"),
        allowed_to: text("x-object-allowed-to"),
        public_url: text("x-object-public").filter(|u| !u.trim().is_empty()),
        manifest: text("x-object-manifest").filter(|m| !m.trim().is_empty()),
        meta: with_prefix(&headers, "x-object-meta-"),
        content_encoding: text("content-encoding"),
        content_disposition: text("content-disposition"),
        last_modified: parse_date(&headers, "last-modified")?,
        available: parse_i64(&headers, "available")?,
        headers,
    })
}

/// Checks that a hashmap is consistent: a block size, hex hashes, and as
/// many of them as the size needs.
pub(crate) fn check_hashmap(hashmap: &Hashmap) -> Result<(), String> {
    if hashmap.block_size == 0 {
        return Err("the block size is 0".into());
    }
    if let Some(bad) = hashmap
        .hashes
        .iter()
        .find(|h| h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(format!("{bad:?} is not a hex hash"));
    }
    let needed = hashmap.bytes.div_ceil(hashmap.block_size);
    let count = hashmap.hashes.len() as u64;
    let fits = if hashmap.bytes == 0 {
        count <= 1
    } else {
        count == needed
    };
    if !fits {
        return Err(format!(
            "{count} hashes for {} bytes in blocks of {} (expected {})",
            hashmap.bytes,
            hashmap.block_size,
            needed.max(1)
        ));
    }
    Ok(())
}

/// Checks a ranged read's answer; returns the first and last byte and the
/// object size.
pub(crate) fn check_range(
    status: StatusCode,
    content_range: Option<&str>,
    range: ByteRange,
    body: &[u8],
) -> Result<(u64, u64, Option<u64>), String> {
    let len = body.len() as u64;
    if status == StatusCode::OK {
        // The whole object: the server ignored the Range header.
        return range
            .resolve(len)
            .map(|(start, end)| (start, end, Some(len)))
            .ok_or_else(|| {
                format!("the server sent all {len} bytes, which do not hold the range")
            });
    }
    let header = content_range.ok_or("the Content-Range header is missing")?;
    let (start, end, total) =
        parse_content_range(header).ok_or_else(|| format!("invalid Content-Range {header:?}"))?;
    if let Some(total) = total
        && range.resolve(total) != Some((start, end))
    {
        return Err(format!("the server sent {header:?}"));
    }
    if let ByteRange::Span { start: s, end: e } = range
        && (s, e) != (start, end)
    {
        return Err(format!("the server sent {header:?}"));
    }
    if end - start + 1 != len {
        return Err(format!("Content-Range {header:?} but {len} bytes of data"));
    }
    Ok((start, end, total))
}

/// One `[version, timestamp]` pair of a version list.
fn parse_version(version: &Value, timestamp: &Value) -> Result<ObjectVersion, String> {
    let version = match version {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("the version {version} is not a number"))?;
    let timestamp = match timestamp {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|t: &f64| t.is_finite())
    .ok_or_else(|| format!("the timestamp {timestamp} of version {version} is not a number"))?;
    Ok(ObjectVersion { version, timestamp })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{accepted, client, header, header_names, line};
    use std::time::{Duration, UNIX_EPOCH};
    use synnefo_core::http::HeaderValue;

    /// kamaki's transcript object: `/`, space, `?`, `#` and non-ASCII.
    const OBJECT: &str = "dir/ob j?#α";
    const PATH: &str = "/ac0un7-1d-5tr1ng/cont/dir/ob%20j%3F%23%CE%B1";

    fn body_json(request: &Request) -> Value {
        match request.body_ref() {
            Body::Bytes(bytes) => serde_json::from_slice(bytes).unwrap(),
            other => panic!("unexpected body {other:?}"),
        }
    }

    #[test]
    fn object_head_with_version_and_conditions() {
        let pithos = client();
        let request = pithos
            .object_info_request("cont", OBJECT, &ObjectInfoOptions::default())
            .unwrap();
        assert_eq!(line(&request), format!("HEAD {PATH}"));
        assert_eq!(accepted(&request), [200, 204, 304]);
        assert!(header_names(&request).is_empty());
        let options = ObjectInfoOptions {
            version: Some(85),
            if_match: Some("abc".into()),
            if_none_match: Some("*".into()),
            if_modified_since: Some(UNIX_EPOCH + Duration::from_secs(1_322_813_441)),
            if_unmodified_since: Some(UNIX_EPOCH),
        };
        let request = pithos
            .object_info_request("cont", OBJECT, &options)
            .unwrap();
        assert_eq!(line(&request), format!("HEAD {PATH}?version=85"));
        assert_eq!(header(&request, "if-match"), Some("abc"));
        assert_eq!(header(&request, "if-none-match"), Some("*"));
        assert_eq!(
            header(&request, "if-modified-since"),
            Some("Fri, 02 Dec 2011 08:10:41 GMT")
        );
        assert_eq!(
            header(&request, "if-unmodified-since"),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert!(
            pithos
                .object_info_request("cont", "", &ObjectInfoOptions::default())
                .is_err()
        );
        assert!(
            pithos
                .object_info_request("", "o", &ObjectInfoOptions::default())
                .is_err()
        );
    }

    #[test]
    fn names_are_kept_verbatim() {
        // kamaki collapsed `//` and dropped a trailing `/` (its path4url).
        let request = client()
            .object_info_request("c", "a//b/", &ObjectInfoOptions::default())
            .unwrap();
        assert_eq!(line(&request), "HEAD /ac0un7-1d-5tr1ng/c/a//b/");
    }

    #[test]
    fn object_meta_updates() {
        let pithos = client();
        let request = pithos
            .set_object_meta_request("cont", OBJECT, [("κ", "ν"), ("k", "v")])
            .unwrap();
        assert_eq!(line(&request), format!("POST {PATH}?update&format=json"));
        assert_eq!(header(&request, "x-object-meta-%CE%BA"), Some("%CE%BD"));
        assert_eq!(header(&request, "x-object-meta-k"), Some("v"));
        assert!(
            header(&request, "content-type").is_none(),
            "a metadata update"
        );
        assert_eq!(accepted(&request), [202, 204]);
        let request = pithos
            .delete_object_meta_request("cont", OBJECT, ["k"])
            .unwrap();
        assert_eq!(header(&request, "x-object-meta-k"), Some(""));
        let request = pithos
            .replace_object_meta_request("cont", OBJECT, [("k", "v")])
            .unwrap();
        assert_eq!(line(&request), format!("POST {PATH}?format=json"));
        assert_eq!(header(&request, "x-object-meta-k"), Some("v"));
    }

    #[test]
    fn versions_and_hashmap() {
        let pithos = client();
        let request = pithos.object_versions_request("cont", OBJECT).unwrap();
        assert_eq!(
            line(&request),
            format!("GET {PATH}?version=list&format=json")
        );
        let request = pithos
            .object_hashmap_request("cont", OBJECT, &ObjectInfoOptions::default())
            .unwrap();
        // A bare flag: kamaki sent `hashmap=True`.
        assert_eq!(line(&request), format!("GET {PATH}?hashmap&format=json"));
        assert_eq!(accepted(&request), [200, 304]);
        let options = ObjectInfoOptions {
            version: Some(3),
            if_none_match: Some("e".into()),
            ..ObjectInfoOptions::default()
        };
        let request = pithos
            .object_hashmap_request("cont", OBJECT, &options)
            .unwrap();
        assert_eq!(
            line(&request),
            format!("GET {PATH}?hashmap&format=json&version=3")
        );
        assert_eq!(header(&request, "if-none-match"), Some("e"));
    }

    #[test]
    fn ranged_get() {
        let pithos = client();
        for (range, value) in [
            (ByteRange::Span { start: 10, end: 20 }, "bytes=10-20"),
            (ByteRange::From(5), "bytes=5-"),
            (ByteRange::Last(5), "bytes=-5"),
        ] {
            let request = pithos
                .get_object_range_request("cont", OBJECT, range, &ObjectInfoOptions::default())
                .unwrap();
            assert_eq!(line(&request), format!("GET {PATH}"));
            assert_eq!(header(&request, "range"), Some(value));
            assert_eq!(accepted(&request), [206, 200, 304]);
        }
        let bad = ByteRange::Span { start: 3, end: 2 };
        assert!(
            pithos
                .get_object_range_request("cont", OBJECT, bad, &ObjectInfoOptions::default())
                .is_err()
        );
    }

    #[test]
    fn hashmap_put_matches_the_upload_transcript() {
        // kamaki §3.1: content type, public and sharing on the hashmap PUT.
        let options = PutOptions {
            content_type: Some("text/plain".into()),
            sharing: Some(Permissions {
                read: vec!["u1".into(), "g1".into()],
                write: vec!["u2".into()],
            }),
            public: Some(true),
            ..PutOptions::default()
        };
        let hashes = ["aa", "bb", "aa", "cc"];
        let request = client()
            .put_object_hashmap_request("cont", OBJECT, 56, &hashes, &options)
            .unwrap();
        assert_eq!(line(&request), format!("PUT {PATH}?hashmap&format=json"));
        assert_eq!(header(&request, "content-type"), Some("text/plain"));
        assert_eq!(header(&request, "x-object-public"), Some("true"));
        assert_eq!(
            header(&request, "x-object-sharing"),
            Some("read=u1,g1;write=u2")
        );
        assert_eq!(
            body_json(&request),
            serde_json::json!({"bytes": 56, "hashes": ["aa", "bb", "aa", "cc"]})
        );
        assert_eq!(accepted(&request), [201, 409]);
        assert!(request.is_idempotent());
        // Defaults: octet-stream, nothing else.
        let request = client()
            .put_object_hashmap_request("cont", "o", 0, &[] as &[&str], &PutOptions::default())
            .unwrap();
        assert_eq!(
            header(&request, "content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(header_names(&request), ["content-type"]);
        assert!(
            client()
                .put_object_hashmap_request("cont", "o", 1, &["xyz"], &PutOptions::default())
                .is_err()
        );
    }

    #[test]
    fn put_with_every_option() {
        let options = PutOptions {
            content_type: Some("video/mpeg".into()),
            content_encoding: Some("gzip".into()),
            content_disposition: Some("attachment; filename=\"α.mpg\"".into()),
            meta: [("k".to_owned(), "v".to_owned())].into(),
            sharing: Some(Permissions::default()),
            public: Some(false),
            etag: Some("md5".into()),
            if_match: Some("e1".into()),
            if_none_match: Some("*".into()),
        };
        let request = client()
            .put_object_request("cont", OBJECT, Bytes::from_static(b"data"), &options)
            .unwrap();
        assert_eq!(line(&request), format!("PUT {PATH}"));
        assert_eq!(request.body_ref().len(), Some(4));
        assert_eq!(header(&request, "content-type"), Some("video/mpeg"));
        assert_eq!(header(&request, "content-encoding"), Some("gzip"));
        assert_eq!(
            header(&request, "content-disposition"),
            Some("attachment; filename=\"%CE%B1.mpg\"")
        );
        assert_eq!(header(&request, "x-object-meta-k"), Some("v"));
        assert_eq!(
            header(&request, "x-object-sharing"),
            Some(""),
            "removes sharing"
        );
        assert_eq!(header(&request, "x-object-public"), Some("false"));
        assert_eq!(header(&request, "etag"), Some("md5"));
        assert_eq!(header(&request, "if-match"), Some("e1"));
        assert_eq!(header(&request, "if-none-match"), Some("*"));
        assert_eq!(accepted(&request), [201]);
    }

    #[test]
    fn create_object_and_directory() {
        let request = client()
            .create_object_request("cont", "d", "application/directory")
            .unwrap();
        assert_eq!(line(&request), "PUT /ac0un7-1d-5tr1ng/cont/d");
        assert_eq!(
            header(&request, "content-type"),
            Some("application/directory")
        );
        assert!(request.body_ref().is_empty());
        assert_eq!(accepted(&request), [201]);
    }

    #[test]
    fn block_upload() {
        let request = client()
            .post_blocks_request("cont", Bytes::from_static(b"AAAA"))
            .unwrap();
        assert_eq!(
            line(&request),
            "POST /ac0un7-1d-5tr1ng/cont?update&format=json"
        );
        assert_eq!(
            header(&request, "content-type"),
            Some("application/octet-stream")
        );
        assert!(request.is_idempotent());
        assert_eq!(request.body_ref().len(), Some(4));
        assert!(client().post_blocks_request("cont", Bytes::new()).is_err());
    }

    #[test]
    fn copy_and_move_by_put() {
        let pithos = client();
        let request = pithos
            .copy_object_request("src", OBJECT, "dst", "new name", &CopyOptions::default())
            .unwrap();
        assert_eq!(
            line(&request),
            "PUT /ac0un7-1d-5tr1ng/dst/new%20name?format=json"
        );
        assert_eq!(
            header(&request, "x-copy-from"),
            Some("/src/dir/ob%20j%3F%23%CE%B1")
        );
        assert_eq!(
            header(&request, "x-source-account"),
            Some("ac0un7-1d-5tr1ng")
        );
        // kamaki always sent `X-Object-Public: False` (its bug #19).
        assert_eq!(header_names(&request), ["x-copy-from", "x-source-account"]);
        assert!(request.body_ref().is_empty());
        assert!(request.is_idempotent());

        let options = CopyOptions {
            source_account: Some("owner".into()),
            destination_account: Some("other".into()),
            source_version: Some(7),
            content_type: Some("text/plain".into()),
            delimiter: Some('/'),
            public: Some(true),
            sharing: Some(Permissions {
                read: vec!["*".into()],
                write: vec![],
            }),
            meta: [("k".to_owned(), "v".to_owned())].into(),
        };
        let request = pithos
            .copy_object_request("src", "a", "dst", "b", &options)
            .unwrap();
        assert_eq!(line(&request), "PUT /other/dst/b?format=json&delimiter=%2F");
        assert_eq!(header(&request, "x-source-account"), Some("owner"));
        assert_eq!(header(&request, "x-source-version"), Some("7"));
        assert_eq!(header(&request, "content-type"), Some("text/plain"));
        assert_eq!(header(&request, "x-object-public"), Some("true"));
        assert_eq!(header(&request, "x-object-sharing"), Some("read=*"));
        assert_eq!(header(&request, "x-object-meta-k"), Some("v"));
        assert_eq!(pithos.account(), "ac0un7-1d-5tr1ng", "client unchanged");

        let request = pithos
            .move_object_request("src", "a", "dst", "b", &CopyOptions::default())
            .unwrap();
        assert_eq!(header(&request, "x-move-from"), Some("/src/a"));
        assert!(header(&request, "x-copy-from").is_none());
        assert!(!request.is_idempotent(), "a repeated move finds no source");
        assert!(
            pithos
                .move_object_request("src", "a", "dst", "b", &options)
                .is_err(),
            "no source version for moves"
        );
    }

    #[test]
    fn manifest() {
        let pithos = client();
        let request = pithos
            .create_manifest_request("cont", "big", "cont/big.part", &PutOptions::default())
            .unwrap();
        assert_eq!(line(&request), "PUT /ac0un7-1d-5tr1ng/cont/big");
        assert_eq!(header(&request, "x-object-manifest"), Some("cont/big.part"));
        assert_eq!(
            header(&request, "content-type"),
            Some("application/octet-stream")
        );
        assert!(request.body_ref().is_empty());
        for bad in ["nocontainer", "/prefix", ""] {
            assert!(
                pithos
                    .create_manifest_request("cont", "big", bad, &PutOptions::default())
                    .is_err()
            );
        }
    }

    #[test]
    fn partial_updates() {
        let pithos = client();
        let update = "POST /ac0un7-1d-5tr1ng/cont/o?update&format=json";
        let request = pithos
            .append_object_request("cont", "o", Bytes::from_static(b"more"))
            .unwrap();
        assert_eq!(line(&request), update);
        assert_eq!(header(&request, "content-range"), Some("bytes */*"));
        assert_eq!(
            header(&request, "content-type"),
            Some("application/octet-stream")
        );
        assert!(!request.is_idempotent(), "a repeated append appends twice");

        let request = pithos.truncate_object_request("cont", "o", 377).unwrap();
        assert_eq!(line(&request), update);
        assert_eq!(header(&request, "x-object-bytes"), Some("377"));
        assert_eq!(header(&request, "x-source-object"), Some("/cont/o"));
        assert_eq!(header(&request, "content-range"), Some("bytes 0-/*"));
        assert!(request.body_ref().is_empty());
        assert!(request.is_idempotent());

        // kamaki's overwrite of (5, 25): `bytes 5-20/*` then `bytes 21-25/*`.
        let request = pithos
            .overwrite_object_range_request("cont", "o", 5, 20, Bytes::from(vec![b'x'; 16]))
            .unwrap();
        assert_eq!(line(&request), update);
        assert_eq!(header(&request, "content-range"), Some("bytes 5-20/*"));
        assert_eq!(
            header(&request, "content-type"),
            Some("application/octet-stream")
        );
        assert!(
            pithos
                .overwrite_object_range_request("cont", "o", 21, 25, Bytes::from_static(b"abc"))
                .is_err()
        );
        assert!(
            pithos
                .overwrite_object_range_request("cont", "o", 5, 4, Bytes::new())
                .is_err()
        );
    }

    #[test]
    fn delete_sharing_publish() {
        let pithos = client();
        let request = pithos
            .delete_object_request("cont", OBJECT, &DeleteObject::default())
            .unwrap();
        assert_eq!(line(&request), format!("DELETE {PATH}"));
        assert_eq!(accepted(&request), [204]);
        let options = DeleteObject {
            until: Some(UNIX_EPOCH + Duration::from_secs(3)),
            delimiter: Some('/'),
        };
        let request = pithos.delete_object_request("cont", "d", &options).unwrap();
        assert_eq!(
            line(&request),
            "DELETE /ac0un7-1d-5tr1ng/cont/d?until=3&delimiter=%2F"
        );

        let permissions = Permissions {
            read: vec!["u1".into(), "g1".into()],
            write: vec!["u2".into()],
        };
        let request = pithos
            .set_object_sharing_request("cont", "o", &permissions)
            .unwrap();
        assert_eq!(
            line(&request),
            "POST /ac0un7-1d-5tr1ng/cont/o?update&format=json"
        );
        assert_eq!(
            header(&request, "x-object-sharing"),
            Some("read=u1,g1;write=u2")
        );
        let request = pithos
            .set_object_sharing_request("cont", "o", &Permissions::default())
            .unwrap();
        assert_eq!(header(&request, "x-object-sharing"), Some(""));

        let request = pithos.set_object_public_request("cont", "o", true).unwrap();
        assert_eq!(header(&request, "x-object-public"), Some("true"));
        assert_eq!(header_names(&request), ["x-object-public"]);
        let request = pithos
            .set_object_public_request("cont", "o", false)
            .unwrap();
        assert_eq!(header(&request, "x-object-public"), Some("false"));
    }

    #[test]
    fn object_headers_parse() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("content-length", "56"),
            ("content-type", "text/plain"),
            ("etag", "\"427daa4b\""),
            ("x-object-hash", "427daa4b"),
            ("x-object-uuid", "u-u-i-d"),
            ("x-object-version", "98"),
            (
                "x-object-version-timestamp",
                "Fri, 02 Dec 2011 08:10:41 GMT",
            ),
            ("x-object-modified-by", "uuid1"),
            ("x-object-sharing", "read=u1,g1,u2; write=u1"),
            ("x-object-shared-by", "dir"),
            ("x-object-allowed-to", "write"),
            ("x-object-public", "https://h/pithos/public/abc"),
            ("x-object-meta-%CE%BA", "%CE%BD"),
            ("x-object-meta-Foo-Bar", "x"),
            ("content-disposition", "inline; filename=\"%CE%B1\""),
            ("last-modified", "Fri, 02 Dec 2011 08:10:41 GMT"),
            ("available", "1"),
        ] {
            headers.append(name, HeaderValue::from_static(value));
        }
        let info = parse_object_info(&headers).unwrap();
        assert_eq!(info.size, 56);
        assert_eq!(info.etag.as_deref(), Some("427daa4b"));
        assert_eq!(info.version, Some(98));
        assert!(info.version_timestamp.is_some());
        let sharing = info.sharing.clone().unwrap();
        assert_eq!(sharing.read, ["u1", "g1", "u2"]);
        assert_eq!(sharing.write, ["u1"]);
        assert_eq!(
            info.public_url.as_deref(),
            Some("https://h/pithos/public/abc")
        );
        assert_eq!(info.meta["κ"], "ν");
        assert_eq!(info.meta["foo-bar"], "x");
        assert_eq!(
            info.content_disposition.as_deref(),
            Some("inline; filename=\"α\"")
        );
        assert_eq!(info.available, Some(1));

        headers.insert("x-object-sharing", HeaderValue::from_static("read:u1"));
        assert!(parse_object_info(&headers).is_err());
        headers.remove("x-object-sharing");
        headers.remove("content-length");
        assert!(
            parse_object_info(&headers)
                .unwrap_err()
                .contains("Content-Length")
        );
    }

    #[test]
    fn hashmaps_are_checked() {
        let hashmap = |bytes, hashes: &[&str]| Hashmap {
            block_size: 4,
            block_hash: "sha256".into(),
            bytes,
            hashes: hashes.iter().map(|h| (*h).to_owned()).collect(),
            etag: None,
            version: None,
            content_type: None,
        };
        assert!(check_hashmap(&hashmap(8, &["aa", "bb"])).is_ok());
        assert!(check_hashmap(&hashmap(9, &["aa", "bb", "cc"])).is_ok());
        assert!(check_hashmap(&hashmap(0, &["e3b0"])).is_ok());
        assert!(check_hashmap(&hashmap(0, &[])).is_ok());
        assert!(check_hashmap(&hashmap(9, &["aa", "bb"])).is_err());
        assert!(check_hashmap(&hashmap(4, &["zz"])).is_err());
        let mut zero = hashmap(4, &["aa"]);
        zero.block_size = 0;
        assert!(check_hashmap(&zero).is_err());
    }

    #[test]
    fn ranges_are_checked() {
        let partial = StatusCode::PARTIAL_CONTENT;
        let span = ByteRange::Span { start: 2, end: 4 };
        assert_eq!(
            check_range(partial, Some("bytes 2-4/10"), span, b"abc"),
            Ok((2, 4, Some(10)))
        );
        assert!(check_range(partial, Some("bytes 2-5/10"), span, b"abcd").is_err());
        assert!(check_range(partial, Some("bytes 2-4/10"), span, b"ab").is_err());
        assert!(check_range(partial, None, span, b"abc").is_err());
        assert_eq!(
            check_range(partial, Some("bytes 7-9/10"), ByteRange::Last(3), b"xyz"),
            Ok((7, 9, Some(10)))
        );
        assert!(check_range(partial, Some("bytes 6-9/10"), ByteRange::Last(3), b"wxyz").is_err());
        // A 200 means the Range was ignored: the slice is cut locally.
        assert_eq!(
            check_range(StatusCode::OK, None, span, b"0123456789"),
            Ok((2, 4, Some(10)))
        );
        assert!(check_range(StatusCode::OK, None, ByteRange::From(10), b"0123456789").is_err());
    }

    #[test]
    fn version_lists_parse() {
        let v = parse_version(
            &serde_json::json!(85),
            &serde_json::json!("1322813441.565891"),
        )
        .unwrap();
        assert_eq!(v.version, 85);
        assert!(v.time().is_some());
        let v = parse_version(&serde_json::json!("86"), &serde_json::json!(1.5)).unwrap();
        assert_eq!((v.version, v.timestamp), (86, 1.5));
        assert!(parse_version(&serde_json::json!(null), &serde_json::json!(1)).is_err());
        assert!(parse_version(&serde_json::json!(1), &serde_json::json!("soon")).is_err());
    }
}
