//! Object `PUT` (wire §6.8): plain uploads, hashmap uploads (409 with the
//! missing hashes), and the common commit of a new object version used by
//! every write (quota, versioning, permissions).

use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;

use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

use super::Ctx;
use super::account::{MAX_METADATA, too_much_metadata};
use super::conditional::check_matching;
use super::copy;
use super::format::{Ser, body_response, list_body};
use super::hashing::{BlockHash, block_count, empty_hash, from_hex, merkle_root, to_hex};
use super::headers::{OutHeaders, object_headers};
use super::object_read::{check_read, check_write};
use super::policy::check_quota;
use super::sharing::Permissions;
use super::store::{Cluster, Meta, ObjectPath, Store, Version};

/// Which UUID a new version gets.
#[derive(Clone, Debug)]
pub(crate) enum Uuid {
    /// The current version's, or a new one if there is none.
    Keep,
    /// A new one (copies).
    New,
    /// This one (moves keep the source's).
    Use(String),
}

/// The data and metadata of a new version.
#[derive(Clone, Debug)]
pub(crate) struct NewVersion {
    /// Size in bytes.
    pub(crate) size: u64,
    /// `Content-Type`.
    pub(crate) content_type: String,
    /// Block hashes (`[sha256("")]` for an empty object).
    pub(crate) hashmap: Arc<Vec<BlockHash>>,
    /// Merkle root, hex.
    pub(crate) hash: String,
    /// The complete user metadata.
    pub(crate) meta: Meta,
    /// UUID rule.
    pub(crate) uuid: Uuid,
}

impl NewVersion {
    /// A version with the data of `hashmap`.
    pub(crate) fn with_data(
        size: u64,
        content_type: String,
        hashmap: Vec<BlockHash>,
        meta: Meta,
    ) -> Self {
        let hashmap = if size == 0 {
            vec![empty_hash()]
        } else {
            hashmap
        };
        Self {
            size,
            content_type,
            hash: to_hex(&merkle_root(&hashmap)),
            hashmap: Arc::new(hashmap),
            meta,
            uuid: Uuid::Keep,
        }
    }
}

/// Makes `new` the current version of `path` (`_update_object_hash`):
/// permission checks, container lookup, metadata limit, quota, versioning,
/// and the new permissions if given. Returns the new serial.
pub(crate) fn commit(
    ctx: &Ctx<'_>,
    store: &mut Store,
    path: &ObjectPath,
    new: NewVersion,
    permissions: Option<Permissions>,
) -> Result<u64, Fault> {
    let ObjectPath {
        account,
        container,
        name,
    } = path;
    if permissions.is_some() && !ctx.is_owner(account) {
        return Err(Fault::new(
            403,
            "Modifying other account's object content is not allowed",
        ));
    }
    check_write(store, ctx.user, account, container, name)?;
    let c = store
        .container(account, container)
        .ok_or_else(|| Fault::item_not_found("Container does not exist"))?;
    if new.meta.len() > MAX_METADATA {
        return Err(too_much_metadata());
    }
    let current = c.current(name);
    let delta = i128::from(new.size) - i128::from(current.map_or(0, |v| v.size));
    let usage = store
        .accounts
        .get(account.as_str())
        .map_or(0, |a| a.usage());
    check_quota(
        delta,
        usage,
        ctx.pithos.quota(account),
        c.bytes,
        c.policy.quota_bytes(),
    )?;
    let uuid = match new.uuid {
        Uuid::Keep => current
            .map(|v| v.uuid.clone())
            .unwrap_or_else(|| ctx.pithos.new_uuid()),
        Uuid::New => ctx.pithos.new_uuid(),
        Uuid::Use(uuid) => uuid,
    };
    let serial = store.next_serial();
    let mtime = store.tick();
    let version = Version {
        serial,
        mtime,
        size: new.size,
        content_type: new.content_type,
        hash: new.hash,
        hashmap: new.hashmap,
        checksum: String::new(),
        muser: ctx.user.to_owned(),
        uuid,
        cluster: Cluster::Normal,
        meta: Arc::new(new.meta),
    };
    if let Some(c) = store.container_mut(account, container) {
        c.push_version(name, version);
        if let Some(permissions) = permissions
            && let Some(node) = c.objects.get_mut(name.as_str())
        {
            node.permissions = (!permissions.is_empty()).then_some(permissions);
        }
    }
    store.touch_account(account, mtime);
    Ok(serial)
}

/// Publishes or unpublishes after a write (needs write access).
pub(crate) fn apply_public(
    ctx: &Ctx<'_>,
    store: &mut Store,
    path: &ObjectPath,
    public: Option<bool>,
) -> Result<(), Fault> {
    let Some(public) = public else {
        return Ok(());
    };
    check_write(store, ctx.user, &path.account, &path.container, &path.name)?;
    if store
        .node(&path.account, &path.container, &path.name)
        .and_then(|node| node.current())
        .is_none()
    {
        return Err(Fault::item_not_found("Object does not exist"));
    }
    store.set_public(path, public, &mut |len| ctx.pithos.new_token(len));
    Ok(())
}

/// The `201` of a successful write.
pub(crate) fn created(hash: Option<&str>, serial: u64) -> ApiResponse {
    let mut out = OutHeaders::default();
    if let Some(hash) = hash {
        out.set("ETag", hash);
    }
    out.set("X-Object-Version", &serial.to_string());
    let mut response = ApiResponse::empty(201);
    response.headers = out.into_map();
    response
}

/// The `Content-Length` a write requires: missing or invalid → 411.
pub(crate) fn required_length(ctx: &Ctx<'_>) -> Result<i64, Fault> {
    ctx.content_length()
        .ok_or_else(|| Fault::new(411, "Missing or invalid Content-Length header"))
}

/// Stores `data` as blocks and returns their hashes.
pub(crate) fn store_blocks(ctx: &Ctx<'_>, data: &Bytes) -> Result<Vec<BlockHash>, Fault> {
    let block_size = ctx.pithos.block_size;
    let mut hashes = Vec::with_capacity(data.len().div_ceil(block_size.max(1)));
    let mut start = 0;
    while start < data.len() {
        let end = data.len().min(start + block_size);
        hashes.push(store_block(ctx, data.slice(start..end))?);
        start = end;
    }
    Ok(hashes)
}

/// Stores one block.
pub(crate) fn store_block(ctx: &Ctx<'_>, block: Bytes) -> Result<BlockHash, Fault> {
    ctx.pithos
        .blocks
        .put(block)
        .map_err(|e| Fault::new(500, format!("Cannot store block: {e}")))
}

/// Parses a hashmap upload body: `{"bytes": N, "hashes": [...]}`.
fn parse_hashmap(body: &[u8]) -> Result<(i128, Vec<String>), Fault> {
    let invalid = || Fault::bad_request("Invalid data formatting");
    let value: Value = std::str::from_utf8(body)
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(invalid)?;
    let hashes = value.get("hashes").ok_or_else(invalid)?;
    let bytes = match value.get("bytes").ok_or_else(invalid)? {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite())
                    .map(|f| f.trunc() as i128)
            })
            .ok_or_else(invalid)?,
        Value::String(s) => s.trim().parse::<i128>().map_err(|_| invalid())?,
        Value::Bool(b) => i128::from(*b),
        _ => return Err(invalid()),
    };
    let Value::Array(items) = hashes else {
        return Err(invalid());
    };
    let hashes = items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(Fault::bad_request(format!("Invalid hash: {other}"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((bytes, hashes))
}

/// `PUT /<account>/<container>/<object>`.
pub(crate) fn put(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    let path = ObjectPath {
        account: account.to_owned(),
        container: container.to_owned(),
        name: name.to_owned(),
    };
    if ctx.headers.non_empty("if-match").is_some()
        || ctx.headers.non_empty("if-none-match").is_some()
    {
        let store = ctx.pithos.read();
        let etag = if store.node(account, container, name).is_some() {
            check_read(&store, ctx.user, account, container, name)?;
            store
                .container(account, container)
                .and_then(|c| c.current(name))
                .map(|v| v.hash.clone())
        } else {
            None
        };
        check_matching(&ctx.headers, etag.as_deref(), false)?;
    }
    let copy_from = ctx.headers.non_empty("x-copy-from");
    let move_from = ctx.headers.non_empty("x-move-from");
    if copy_from.is_some() || move_from.is_some() {
        let delimiter = ctx.req.query_param("delimiter");
        ctx.content_length()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Fault::new(411, "Missing or invalid Content-Length header"))?;
        let source_account = ctx
            .headers
            .non_empty("x-source-account")
            .unwrap_or(ctx.user)
            .to_owned();
        let (is_move, value, header) = match move_from {
            Some(value) => (true, value, "X-Move-From"),
            None => (false, copy_from.unwrap_or(""), "X-Copy-From"),
        };
        let (src_container, src_name) = copy::split_path(value)
            .ok_or_else(|| Fault::bad_request(format!("Invalid {header} header")))?;
        let source = ObjectPath {
            account: source_account,
            container: src_container,
            name: src_name,
        };
        let serial = copy::transfer(ctx, &source, &path, is_move, delimiter)?;
        return Ok(created(None, serial));
    }
    let object = object_headers(ctx.req, &ctx.headers)?;
    required_length(ctx)?;
    let Some(content_type) = object.content_type.clone() else {
        return Err(Fault::new(411, "Missing Content-Type header"));
    };
    let (size, hashmap) = if ctx.flag("hashmap") {
        let (size, hashes) = parse_hashmap(&ctx.req.body)?;
        let empty = to_hex(&empty_hash());
        let consistent = match size {
            ..0 => false,
            0 => hashes.is_empty() || hashes == [empty],
            size => {
                i128::from(block_count(
                    u64::try_from(size).unwrap_or(u64::MAX),
                    ctx.pithos.block_size,
                )) == hashes.len() as i128
            }
        };
        if !consistent {
            return Err(Fault::bad_request(
                "The object's size does not match with the object's hashmap length",
            ));
        }
        let size = u64::try_from(size).unwrap_or(0);
        if size == 0 {
            store_block(ctx, Bytes::new())?;
        }
        let decoded = hashes
            .iter()
            .map(|hash| {
                from_hex(hash).ok_or_else(|| Fault::bad_request(format!("Invalid hash: {hash}")))
            })
            .collect::<Result<Vec<Vec<u8>>, Fault>>()?;
        if size == 0 {
            (0, Vec::new())
        } else {
            let mut missing = Vec::new();
            let mut hashmap = Vec::with_capacity(decoded.len());
            for raw in &decoded {
                match <[u8; 32]>::try_from(raw.as_slice()) {
                    Ok(hash) if ctx.pithos.blocks.contains(&hash) => hashmap.push(hash),
                    _ => missing.push(to_hex(raw)),
                }
            }
            if !missing.is_empty() {
                return Ok(body_response(
                    409,
                    Ser::Json,
                    list_body(Ser::Json, &missing),
                ));
            }
            (size, hashmap)
        }
    } else {
        let hashmap = store_blocks(ctx, &ctx.req.body)?;
        if ctx.req.body.is_empty() {
            store_block(ctx, Bytes::new())?;
        }
        (ctx.req.body.len() as u64, hashmap)
    };
    let new = NewVersion::with_data(size, content_type, hashmap, object.meta);
    let hash = new.hash.clone();
    let mut store = ctx.pithos.write();
    let serial = commit(ctx, &mut store, &path, new, object.sharing)?;
    apply_public(ctx, &mut store, &path, object.public)?;
    Ok(created(Some(&hash), serial))
}

/// `POST` with `multipart/form-data`: the HTML form upload. The file in
/// field `X-Object-Data` replaces the object (its part's content type, no
/// metadata) → 201.
pub(crate) fn form(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    let file = crate::form::multipart_file(ctx.req, "X-Object-Data")
        .ok_or_else(|| Fault::bad_request("Missing X-Object-Data field"))?;
    let hashmap = store_blocks(ctx, &file.data)?;
    if file.data.is_empty() {
        store_block(ctx, Bytes::new())?;
    }
    let new = NewVersion::with_data(
        file.data.len() as u64,
        file.content_type,
        hashmap,
        Meta::new(),
    );
    let hash = new.hash.clone();
    let path = ObjectPath {
        account: account.to_owned(),
        container: container.to_owned(),
        name: name.to_owned(),
    };
    let mut store = ctx.pithos.write();
    let serial = commit(ctx, &mut store, &path, new, None)?;
    Ok(created(Some(&hash), serial))
}
