//! Plain OpenStack Swift: what of Pithos+ works there, and how the client
//! notices the difference.
//!
//! Pithos+ is the Swift API plus extensions: block hashmaps, Merkle-hash
//! ETags, versions, sharing, public URLs, groups, policies. A Swift server
//! has none of them, so [`PithosClient`] detects it and changes course:
//!
//! | Pithos+ | on plain Swift |
//! |---|---|
//! | upload by hashmap (only missing blocks travel) | one streaming `PUT` whose MD5 ETag is checked; over [`SEGMENT_THRESHOLD`], segments plus an `X-Object-Manifest` (a DLO) |
//! | download by blocks, each checked against its hash | one streaming `GET`, checked against the MD5 ETag, or segment by segment for a manifest; resumed by reading the partial file back and asking for the rest |
//! | `X-Object-Hash` (sha256 Merkle root) | `ETag` = MD5 of the bytes (of the segment ETags for a manifest) |
//! | `X-Container-Block-Size`/`-Hash` on a container | absent: [`PithosClient::container_flavor`] says [`ServerFlavor::Swift`] |
//! | versions, sharing, public URLs, groups, policies, `?update` | refused with an error naming the missing extension ([`lacks_extension`]) where the client can tell; see the notes of each call |
//!
//! How it tells: a container `HEAD` without `X-Container-Block-Size`, or an
//! object response without `X-Object-Hash` that carries Swift's
//! `X-Trans-Id`. Both come at no extra request: the transfer engine makes
//! these requests anyway.
//!
//! Authentication by Swift's v1.0 protocol (tempauth, swauth, and most
//! Swift proxies) is [`tempauth`].

mod checker;
mod download;
mod md5;

use checker::{Checker, Mode, Parts};
pub use md5::{Md5, md5_hex};

use crate::transfer::{Progress, TransferEvent, UploadOptions, UploadOutcome};
use crate::{ListObjectsOptions, ListingEntry, PithosClient, PutOptions};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use http::{HeaderMap, StatusCode};
use http_body::Frame;
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use synnefo_core::{
    BoxError, Endpoint, Error, HttpClient, Request, RequestBody, Result, StreamBody, Token,
};

/// Files larger than this go up to Swift in segments plus a manifest:
/// Swift refuses single objects over its `max_file_size` (5 GiB by
/// default).
pub const SEGMENT_THRESHOLD: u64 = 5 << 30;

/// The segment size for files over [`SEGMENT_THRESHOLD`].
pub const DEFAULT_SEGMENT_SIZE: u64 = 1 << 30;

/// The chunk size of streaming transfers.
const CHUNK: usize = 1 << 20;

/// What kind of server holds a container.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerFlavor {
    /// Pithos+: block hashmaps with this block size and hash algorithm.
    Pithos {
        /// The block size in bytes.
        block_size: u64,
        /// The block hash algorithm (`sha256`).
        block_hash: String,
    },
    /// Plain OpenStack Swift: no Pithos extension.
    Swift,
}

/// A container as plain Swift describes it (`HEAD`), which
/// [`PithosClient::container_info`] refuses for lack of block headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SwiftContainerInfo {
    /// `X-Container-Object-Count`.
    pub object_count: Option<u64>,
    /// `X-Container-Bytes-Used`.
    pub bytes_used: Option<u64>,
    /// User metadata (`X-Container-Meta-*`), keys in lower case.
    pub meta: BTreeMap<String, String>,
    /// Every response header, names in lower case.
    pub headers: BTreeMap<String, String>,
}

/// The error for a Pithos-only operation on a server without the Pithos
/// extension.
pub fn lacks_extension(what: &str) -> Error {
    Error::Config(format!(
        "{what} needs the Pithos+ extension of the object-storage API, which this server \
         lacks (it answers as plain OpenStack Swift)"
    ))
}

/// Whether a response to an object request comes from plain Swift: no
/// `X-Object-Hash`, and Swift's transaction id.
pub(crate) fn is_plain_swift(headers: &HeaderMap) -> bool {
    is_plain_swift_by(|name| headers.contains_key(name))
}

/// [`is_plain_swift`] for headers in any map: `has` tells whether a header
/// (named in lower case) is present.
pub(crate) fn is_plain_swift_by(has: impl Fn(&str) -> bool) -> bool {
    !has("x-object-hash") && (has("x-trans-id") || has("x-openstack-request-id"))
}

/// Whether `etag` looks like an MD5 (32 hex digits), as Swift computes.
pub(crate) fn is_md5_etag(etag: &str) -> bool {
    etag.len() == 32 && etag.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Logs in with Swift's v1.0 protocol (tempauth): `GET auth_url` with
/// `X-Auth-User` and `X-Auth-Key` gives `X-Storage-Url` and
/// `X-Auth-Token`; the client addresses the account the storage URL ends
/// with.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_core::{ClientConfig, HttpClient};
/// let http = HttpClient::new(ClientConfig::default())?;
/// let swift = synnefo_pithos::swift::tempauth(
///     &http, "http://127.0.0.1:8080/auth/v1.0", "test:tester", "testing").await?;
/// swift.list_containers(&Default::default()).await?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::Http`] (401 for a wrong user or key),
/// [`Error::InvalidResponse`] when the reply lacks the storage URL or the
/// token.
pub async fn tempauth(
    http: &HttpClient,
    auth_url: &str,
    user: &str,
    key: &str,
) -> Result<PithosClient> {
    let endpoint = Endpoint::new(http.clone(), auth_url, None)?;
    let secret = Token::new(key);
    let request = Request::get()
        .header("X-Auth-User", user)?
        .header("X-Auth-Key", key)?
        .secret(&secret)
        .expect([StatusCode::OK, StatusCode::NO_CONTENT]);
    let response = endpoint.send(request).await?;
    let storage_url = response.required_header("x-storage-url")?.to_owned();
    let token = response.required_header("x-auth-token")?.to_owned();
    let (base, account) = split_storage_url(&storage_url)
        .ok_or_else(|| response.invalid(format!("unusable X-Storage-Url {storage_url:?}")))?;
    let endpoint = Endpoint::new(http.clone(), &base, Some(Token::new(token)))?;
    Ok(PithosClient::new(endpoint, account))
}

/// `http://host/v1/AUTH_test` → (`http://host/v1`, `AUTH_test`), the
/// account percent-decoded.
pub fn split_storage_url(url: &str) -> Option<(String, String)> {
    let url = url.trim().trim_end_matches('/');
    let (base, account) = url.rsplit_once('/')?;
    if account.is_empty() || !base.contains("://") || base.ends_with('/') {
        return None;
    }
    let account = percent_encoding::percent_decode_str(account)
        .decode_utf8()
        .ok()?
        .into_owned();
    Some((base.to_owned(), account))
}

impl PithosClient {
    /// Whether `container` lives on Pithos+ (with its block parameters) or
    /// on plain Swift: one `HEAD` of the container.
    ///
    /// # Errors
    /// [`Error::Http`] (404 for an unknown container).
    pub async fn container_flavor(&self, container: &str) -> Result<ServerFlavor> {
        let response = self
            .endpoint()
            .send(
                self.container_request(Request::head(), container)
                    .expect([StatusCode::NO_CONTENT, StatusCode::OK]),
            )
            .await?;
        Ok(flavor_of(response.headers()))
    }

    /// A container's counts and metadata, on Swift as on Pithos+.
    ///
    /// # Errors
    /// [`Error::Http`] (404 for an unknown container).
    pub async fn swift_container_info(&self, container: &str) -> Result<SwiftContainerInfo> {
        let response = self
            .endpoint()
            .send(
                self.container_request(Request::head(), container)
                    .expect([StatusCode::NO_CONTENT, StatusCode::OK]),
            )
            .await?;
        let headers = crate::headers::decoded_headers(response.headers());
        let number = |name: &str| headers.get(name).and_then(|v| v.trim().parse().ok());
        Ok(SwiftContainerInfo {
            object_count: number("x-container-object-count"),
            bytes_used: number("x-container-bytes-used"),
            meta: crate::headers::with_prefix(&headers, "x-container-meta-"),
            headers,
        })
    }

    /// Swift's capabilities document (`GET /info` at the server root):
    /// `max_file_size`, the middleware present (`slo`, `dlo`, `bulk_*`…);
    /// `None` when the server has none (Pithos+, or `expose_info = false`).
    ///
    /// # Errors
    /// [`Error::Transport`] when the server cannot be reached.
    pub async fn swift_info(&self) -> Result<Option<serde_json::Value>> {
        let base = self.endpoint().base_url();
        let root = match base.find("://").map(|i| i + 3) {
            Some(start) => match base[start..].find('/') {
                Some(slash) => &base[..start + slash],
                None => base,
            },
            None => base,
        };
        let endpoint = self.endpoint().with_token(None);
        let endpoint = Endpoint::new(endpoint.http().clone(), root, None)?;
        let response = endpoint
            .send(Request::get().segment("info").expect([
                StatusCode::OK,
                StatusCode::NOT_FOUND,
                StatusCode::UNAUTHORIZED,
                StatusCode::FORBIDDEN,
            ]))
            .await?;
        if response.status() != StatusCode::OK {
            return Ok(None);
        }
        Ok(response.json().ok())
    }

    /// Uploads a file to Swift as a large object: segments of
    /// `segment_size` bytes named `<object>/<timestamp>/<size>/<segment
    /// size>/<index>` in `<container>_segments` (python-swiftclient's
    /// layout), each checked against its MD5 ETag, then an empty manifest
    /// object with `X-Object-Manifest` (a dynamic large object). The
    /// returned ETag is the manifest's (the MD5 of the segment ETags), as
    /// the server reports it.
    ///
    /// # Errors
    /// [`Error::Io`] for local failures, [`Error::Http`] for refused
    /// requests, [`Error::Integrity`] when a segment's ETag is not the MD5
    /// of what was sent or the manifest does not list the segments sent.
    pub async fn upload_file_segmented(
        &self,
        container: &str,
        object: &str,
        path: &Path,
        segment_size: u64,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        if segment_size == 0 {
            return Err(Error::Config("the segment size must not be 0".into()));
        }
        let size = file_size(path).await?;
        emit(options.progress.as_ref(), TransferEvent::Total(size));
        let segments_container = format!("{container}_segments");
        self.endpoint()
            .send(
                self.container_request(Request::put(), &segments_container)
                    .expect([StatusCode::CREATED, StatusCode::ACCEPTED]),
            )
            .await?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| format!("{:.6}", d.as_secs_f64()))
            .unwrap_or_default();
        let prefix = format!("{object}/{stamp}/{size}/{segment_size}/");
        let count = size.div_ceil(segment_size).max(1);
        let segment_put = PutOptions::default();
        let etags: Vec<String> = futures_util::stream::iter(0..count)
            .map(|index| {
                let name = format!("{prefix}{index:08}");
                let offset = index * segment_size;
                let len = segment_size.min(size - offset);
                let segments_container = &segments_container;
                let segment_put = &segment_put;
                let progress = options.progress.clone();
                async move {
                    self.put_file_part(
                        segments_container,
                        &name,
                        path,
                        offset,
                        len,
                        segment_put,
                        progress,
                        options.check_md5,
                    )
                    .await
                }
            })
            .buffered(options.concurrency.clamp(1, 4))
            .try_collect()
            .await?;
        let manifest = self
            .object_request(Request::put(), container, object)
            .header(
                "X-Object-Manifest",
                format!(
                    "{}/{}",
                    synnefo_core::encode_segment(&segments_container),
                    synnefo_core::encode_object_path(&prefix)
                ),
            )?
            .expect([StatusCode::CREATED]);
        let manifest = put_option_headers(manifest, &options.put)?;
        self.endpoint().send(manifest).await?;
        // The manifest's ETag is the MD5 of the segments' ETags in order:
        // the server listing exactly what we sent.
        let mut md5 = Md5::new();
        for etag in &etags {
            md5.update(etag.as_bytes());
        }
        let expected = md5.finish_hex();
        let head = self
            .endpoint()
            .send(self.object_request(Request::head(), container, object))
            .await?;
        let actual = head
            .header("etag")
            .map(|e| e.trim_matches('"').to_owned())
            .unwrap_or_default();
        if actual != expected {
            return Err(Error::Integrity {
                what: format!("manifest {container}/{object} ({count} segments)"),
                expected,
                actual,
            });
        }
        Ok(UploadOutcome {
            etag: actual,
            version: None,
            size,
            blocks: count as usize,
            blocks_sent: count as usize,
            bytes_sent: size,
        })
    }

    /// Uploads a file to Swift: one streaming `PUT` checked against its
    /// MD5, or segments and a manifest over [`SEGMENT_THRESHOLD`].
    pub(crate) async fn swift_upload_file(
        &self,
        container: &str,
        object: &str,
        path: &Path,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        check_swift_put(&options.put)?;
        let size = file_size(path).await?;
        if size > SEGMENT_THRESHOLD {
            return self
                .upload_file_segmented(container, object, path, DEFAULT_SEGMENT_SIZE, options)
                .await;
        }
        emit(options.progress.as_ref(), TransferEvent::Total(size));
        let etag = self
            .put_file_part(
                container,
                object,
                path,
                0,
                size,
                &options.put,
                options.progress.clone(),
                options.check_md5,
            )
            .await?;
        Ok(UploadOutcome {
            etag,
            version: None,
            size,
            blocks: 1,
            blocks_sent: 1,
            bytes_sent: size,
        })
    }

    /// Uploads bytes to Swift in one `PUT` carrying their MD5 as `ETag`,
    /// which the server checks (422 on a mismatch).
    pub(crate) async fn swift_upload_bytes(
        &self,
        container: &str,
        object: &str,
        data: Bytes,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        check_swift_put(&options.put)?;
        let size = data.len() as u64;
        emit(options.progress.as_ref(), TransferEvent::Total(size));
        let mut put = options.put.clone();
        let expected = options.check_md5.then(|| md5_hex(&data));
        put.etag = expected.clone();
        let outcome = self.put_object_bytes(container, object, data, &put).await?;
        let etag = outcome.etag.unwrap_or_default();
        if let Some(expected) = expected {
            check_etag(container, object, &expected, &etag)?;
        }
        emit(options.progress.as_ref(), TransferEvent::Sent(size));
        Ok(UploadOutcome {
            etag,
            version: None,
            size,
            blocks: 1,
            blocks_sent: 1,
            bytes_sent: size,
        })
    }

    /// Streams a reader of unknown size to Swift as one chunked `PUT`,
    /// checked against the MD5 of what was read.
    pub(crate) async fn swift_upload_reader<R: tokio::io::AsyncRead + Unpin>(
        &self,
        container: &str,
        object: &str,
        mut reader: R,
        options: &UploadOptions,
    ) -> Result<UploadOutcome> {
        use tokio::io::AsyncReadExt;
        check_swift_put(&options.put)?;
        let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, BoxError>>(4);
        let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
            let item = receiver.recv().await?;
            Some((item.map(Frame::data), receiver))
        });
        let body: RequestBody = http_body_util::StreamBody::new(stream).boxed_unsync();
        let request = self
            .object_request(Request::put(), container, object)
            .body(synnefo_core::Body::Stream(StreamBody::new(body, None)))
            .expect([StatusCode::CREATED]);
        let request = put_option_headers(request, &options.put)?;
        let progress = options.progress.clone();
        let check_md5 = options.check_md5;
        let read = async move {
            let mut md5 = check_md5.then(Md5::new);
            let mut size = 0u64;
            loop {
                let mut buf = bytes::BytesMut::with_capacity(CHUNK);
                while buf.len() < CHUNK {
                    let n = match reader.read_buf(&mut buf).await {
                        Ok(n) => n,
                        Err(e) => {
                            // Fail the body, so the server discards the
                            // object instead of storing a truncated one.
                            let _ = sender.send(Err("the upload source failed".into())).await;
                            return Err(Error::io("cannot read the upload source", e));
                        }
                    };
                    if n == 0 {
                        break;
                    }
                }
                if buf.is_empty() {
                    break;
                }
                if let Some(md5) = md5.as_mut() {
                    md5.update(&buf);
                }
                size += buf.len() as u64;
                emit(progress.as_ref(), TransferEvent::Sent(buf.len() as u64));
                if sender.send(Ok(buf.freeze())).await.is_err() {
                    break;
                }
            }
            drop(sender);
            Ok::<_, Error>((size, md5.map(Md5::finish_hex)))
        };
        let (sent, read) = futures_util::future::join(self.endpoint().send(request), read).await;
        let response = sent?;
        let (size, expected) = read?;
        let etag = response
            .header("etag")
            .map(|e| e.trim_matches('"').to_owned())
            .unwrap_or_default();
        if let Some(expected) = expected {
            check_etag(container, object, &expected, &etag)?;
        }
        Ok(UploadOutcome {
            etag,
            version: None,
            size,
            blocks: 1,
            blocks_sent: 1,
            bytes_sent: size,
        })
    }

    /// Streams `len` bytes of `path` from `offset` as one object; with
    /// `check_md5`, the MD5 is computed as the bytes are read (on the
    /// reading thread) and must equal the ETag the server answers. Returns
    /// that ETag.
    #[allow(clippy::too_many_arguments)]
    async fn put_file_part(
        &self,
        container: &str,
        object: &str,
        path: &Path,
        offset: u64,
        len: u64,
        put: &PutOptions,
        progress: Option<Progress>,
        check_md5: bool,
    ) -> Result<String> {
        let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, BoxError>>(4);
        let path_owned = path.to_owned();
        let reader = tokio::task::spawn_blocking(move || -> Result<Option<String>> {
            let what = || format!("cannot read {}", path_owned.display());
            let mut file = std::fs::File::open(&path_owned).map_err(|e| Error::io(what(), e))?;
            file.seek(SeekFrom::Start(offset))
                .map_err(|e| Error::io(what(), e))?;
            let mut md5 = check_md5.then(Md5::new);
            let mut left = len;
            while left > 0 {
                let want = (CHUNK as u64).min(left) as usize;
                // Read into spare capacity: no zeroing of bytes about to be
                // overwritten (it was 3% of the upload's CPU).
                let mut buf = Vec::with_capacity(want);
                (&mut file)
                    .take(want as u64)
                    .read_to_end(&mut buf)
                    .map_err(|e| Error::io(what(), e))?;
                if buf.len() < want {
                    return Err(Error::io(
                        what(),
                        std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "the file shrank while it was being uploaded",
                        ),
                    ));
                }
                if let Some(md5) = md5.as_mut() {
                    md5.update(&buf);
                }
                left -= want as u64;
                if sender.blocking_send(Ok(Bytes::from(buf))).is_err() {
                    // The request ended early; its error tells why.
                    break;
                }
            }
            Ok(md5.map(Md5::finish_hex))
        });
        let progress_body = progress.clone();
        let stream = futures_util::stream::unfold(receiver, move |mut receiver| {
            let progress = progress_body.clone();
            async move {
                let item = receiver.recv().await?;
                if let (Ok(chunk), Some(progress)) = (&item, &progress) {
                    emit(Some(progress), TransferEvent::Sent(chunk.len() as u64));
                }
                Some((item.map(Frame::data), receiver))
            }
        });
        let body: RequestBody = http_body_util::StreamBody::new(stream).boxed_unsync();
        let request = self
            .object_request(Request::put(), container, object)
            .body(synnefo_core::Body::Stream(StreamBody::new(body, Some(len))))
            .expect([StatusCode::CREATED]);
        let request = put_option_headers(request, put)?;
        let sent = self.endpoint().send(request).await;
        let expected = reader
            .await
            .map_err(|e| Error::Config(format!("a reading task failed: {e}")))?;
        // A failed read cut the body short, so the request failed too: the
        // read error is the one that says why.
        let expected = expected?;
        let response = sent?;
        let etag = response
            .header("etag")
            .map(|e| e.trim_matches('"').to_owned())
            .unwrap_or_default();
        if let Some(expected) = expected {
            check_etag(container, object, &expected, &etag)?;
        }
        Ok(etag)
    }

    /// The checker for the body of a plain-Swift object response: its MD5
    /// ETag, or for a large object (DLO or SLO) the ETags of its segments;
    /// without `check_md5`, its size only.
    pub(crate) async fn swift_checker(
        &self,
        container: &str,
        object: &str,
        headers: &HeaderMap,
        check_md5: bool,
    ) -> Result<Checker> {
        let headers = crate::headers::decoded_headers(headers);
        let what = format!("{container}/{object}");
        let size = headers
            .get("content-length")
            .and_then(|v| v.trim().parse().ok());
        if !check_md5 {
            return Ok(Checker {
                what,
                size,
                seen: 0,
                mode: Mode::SizeOnly,
            });
        }
        let etag = headers
            .get("etag")
            .map(|e| e.trim().trim_matches('"').to_owned())
            .unwrap_or_default();
        let quoted = headers
            .get("etag")
            .is_some_and(|e| e.trim().starts_with('"'));
        let mode = if let Some(manifest) = headers.get("x-object-manifest") {
            let parts = self.dlo_parts(manifest).await?;
            // Segments laid out as python-swiftclient and we do
            // (`…/<size>/<segment size>/`) say the size uploaded: a DLO
            // with segments gone missing would otherwise serve less.
            let mut fields = manifest.trim_end_matches('/').rsplit('/');
            let segment_size = fields.next().and_then(|s| s.parse::<u64>().ok());
            let total = fields.next().and_then(|s| s.parse::<u64>().ok());
            let listed: u64 = parts.iter().map(|(bytes, _)| bytes).sum();
            if let (Some(_), Some(total)) = (segment_size, total)
                && total != listed
            {
                return Err(Error::Integrity {
                    what: format!("the segments of the large object {what}"),
                    expected: format!("{total} bytes, as uploaded"),
                    actual: format!("{listed} bytes listed"),
                });
            }
            Mode::Parts(Parts::new(parts, &etag, &what)?)
        } else if headers
            .get("x-static-large-object")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            match self.slo_parts(container, object).await? {
                Some(parts) => Mode::Parts(Parts::new(parts, &etag, &what)?),
                None => Mode::SizeOnly,
            }
        } else if is_md5_etag(&etag) && !quoted {
            Mode::Whole(Md5::new(), etag.clone())
        } else {
            Mode::SizeOnly
        };
        if matches!(mode, Mode::SizeOnly) {
            tracing::warn!(
                object = what.as_str(),
                etag = etag.as_str(),
                "the ETag is no MD5 of the data: only the size can be checked"
            );
        }
        Ok(Checker {
            what,
            size,
            seen: 0,
            mode,
        })
    }

    /// The segments of a DLO: the objects under `<container>/<prefix>`, in
    /// name order, as (size, MD5).
    async fn dlo_parts(&self, manifest: &str) -> Result<Vec<(u64, String)>> {
        let manifest = percent_encoding::percent_decode_str(manifest)
            .decode_utf8_lossy()
            .into_owned();
        let (container, prefix) = manifest.split_once('/').unwrap_or((&manifest, ""));
        let options = ListObjectsOptions {
            prefix: Some(prefix.to_owned()),
            ..ListObjectsOptions::default()
        };
        let entries: Vec<ListingEntry> = self
            .list_objects_stream(container, &options)
            .try_collect()
            .await?;
        Ok(entries
            .into_iter()
            .filter_map(|entry| match entry {
                ListingEntry::Object(o) => Some((o.bytes, o.hash.unwrap_or_default())),
                ListingEntry::Subdir(_) => None,
            })
            .collect())
    }

    /// The segments of an SLO from its manifest; `None` when it uses
    /// ranges or nested manifests (then only the size is checked).
    async fn slo_parts(&self, container: &str, object: &str) -> Result<Option<Vec<(u64, String)>>> {
        let response = self
            .endpoint()
            .send(
                self.object_request(Request::get(), container, object)
                    .query("multipart-manifest", Some("get")),
            )
            .await?;
        let list: Vec<serde_json::Value> = response.json()?;
        let mut parts = Vec::new();
        for part in list {
            if part.get("range").is_some() || part.get("sub_slo").is_some() {
                return Ok(None);
            }
            let bytes = part.get("bytes").and_then(|b| b.as_u64());
            let hash = part.get("hash").and_then(|h| h.as_str());
            match (bytes, hash) {
                (Some(bytes), Some(hash)) => parts.push((bytes, hash.to_owned())),
                _ => return Ok(None),
            }
        }
        Ok(Some(parts))
    }
}

/// The flavor a container `HEAD` reveals.
pub(crate) fn flavor_of(headers: &HeaderMap) -> ServerFlavor {
    let block_size = headers
        .get("x-container-block-size")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    match block_size {
        Some(block_size) => ServerFlavor::Pithos {
            block_size,
            block_hash: headers
                .get("x-container-block-hash")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .trim()
                .to_owned(),
        },
        None => ServerFlavor::Swift,
    }
}

/// Refuses the Pithos-only parts of an upload on Swift, which would
/// otherwise be dropped silently.
fn check_swift_put(put: &PutOptions) -> Result<()> {
    if put.sharing.is_some() {
        return Err(lacks_extension("sharing an object (X-Object-Sharing)"));
    }
    if put.public.is_some() {
        return Err(lacks_extension("publishing an object (X-Object-Public)"));
    }
    Ok(())
}

fn check_etag(container: &str, object: &str, expected: &str, etag: &str) -> Result<()> {
    if etag != expected {
        return Err(Error::Integrity {
            what: format!("{container}/{object} after upload (MD5 ETag)"),
            expected: expected.to_owned(),
            actual: etag.to_owned(),
        });
    }
    Ok(())
}

/// The headers of an object-creating `PUT` that Swift understands.
fn put_option_headers(request: Request, put: &PutOptions) -> Result<Request> {
    let mut request = request
        .header(
            "Content-Type",
            put.content_type
                .as_deref()
                .unwrap_or("application/octet-stream"),
        )?
        .header_opt("Content-Encoding", put.content_encoding.as_deref())?
        .header_opt("Content-Disposition", put.content_disposition.as_deref())?
        .header_opt("If-None-Match", put.if_none_match.as_deref())?
        .header_opt("If-Match", put.if_match.as_deref())?;
    for (key, value) in &put.meta {
        request = request.header(&format!("X-Object-Meta-{key}"), value)?;
    }
    Ok(request)
}

async fn file_size(path: &Path) -> Result<u64> {
    Ok(tokio::fs::metadata(path)
        .await
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?
        .len())
}

fn emit(progress: Option<&Progress>, event: TransferEvent) {
    if let Some(progress) = progress {
        progress.emit(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_url_splits_into_base_and_account() {
        assert_eq!(
            split_storage_url("http://127.0.0.1:8080/v1/AUTH_test"),
            Some(("http://127.0.0.1:8080/v1".into(), "AUTH_test".into()))
        );
        assert_eq!(
            split_storage_url("https://h/object-store/v1/AUTH_a%20b/"),
            Some(("https://h/object-store/v1".into(), "AUTH_a b".into()))
        );
        assert_eq!(split_storage_url("http://h"), None);
        assert_eq!(split_storage_url("AUTH_x"), None);
    }

    #[test]
    fn md5_etags_are_recognised() {
        assert!(is_md5_etag("d41d8cd98f00b204e9800998ecf8427e"));
        assert!(!is_md5_etag("\"d41d8cd98f00b204e9800998ecf8427e\""));
        assert!(!is_md5_etag(&"ab".repeat(32)));
    }

    #[test]
    fn swift_responses_are_told_from_pithos_ones() {
        let mut swift = HeaderMap::new();
        swift.insert(
            "x-trans-id",
            "tx1".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert!(is_plain_swift(&swift));
        let mut pithos = swift.clone();
        pithos.insert(
            "x-object-hash",
            "ab".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert!(!is_plain_swift(&pithos));
        assert!(!is_plain_swift(&HeaderMap::new()));
        assert_eq!(flavor_of(&swift), ServerFlavor::Swift);
        let mut container = HeaderMap::new();
        container.insert(
            "x-container-block-size",
            "4194304".parse().unwrap_or_else(|_| unreachable!()),
        );
        container.insert(
            "x-container-block-hash",
            "sha256".parse().unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(
            flavor_of(&container),
            ServerFlavor::Pithos {
                block_size: 4194304,
                block_hash: "sha256".into()
            }
        );
    }
}
