//! Object `POST` (wire §6.10): metadata, sharing and publishing updates
//! (202), or partial data updates with `Content-Range` (204): overwrite,
//! append (`bytes */*`), data from another object (`X-Source-Object`),
//! truncation (`X-Object-Bytes`).

use std::sync::Arc;

use bytes::Bytes;

use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

use super::Ctx;
use super::account::{MAX_METADATA, merge_meta, too_much_metadata};
use super::blocks::BlockStore;
use super::conditional::check_matching;
use super::copy::split_path;
use super::format::int_param;
use super::hashing::{BlockHash, block_count};
use super::headers::{ObjectHeaders, OutHeaders, object_headers};
use super::object_read::{check_write, find_version};
use super::object_write::{NewVersion, Uuid, apply_public, commit, required_length};
use super::store::{Cluster, ObjectPath, Version};

/// Attempts of an optimistic data update before giving up.
const ATTEMPTS: usize = 8;

/// `POST /<account>/<container>/<object>`.
pub(crate) fn post(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    let object = object_headers(ctx.req, &ctx.headers)?;
    let path = ObjectPath {
        account: account.to_owned(),
        container: container.to_owned(),
        name: name.to_owned(),
    };
    let previous = {
        let store = ctx.pithos.read();
        find_version(&store, ctx.user, account, container, name, None)?.0
    };
    if ctx.headers.non_empty("if-match").is_some()
        || ctx.headers.non_empty("if-none-match").is_some()
    {
        check_matching(&ctx.headers, Some(&previous.hash), false)?;
    }
    let replace = !ctx.flag("update");
    let source = ctx.headers.non_empty("x-source-object").map(str::to_owned);
    if object.content_type.as_deref() != Some("application/octet-stream") && source.is_none() {
        return update_metadata(ctx, &path, object, replace);
    }
    update_data(ctx, &path, object, replace, source)
}

/// Metadata-only update → 202 (+ `X-Object-Version` when metadata changed).
fn update_metadata(
    ctx: &Ctx<'_>,
    path: &ObjectPath,
    object: ObjectHeaders,
    replace: bool,
) -> ApiResult {
    let mut store = ctx.pithos.write();
    let (account, container, name) = (&path.account, &path.container, &path.name);
    if object.sharing.is_some() && !ctx.is_owner(account) {
        return Err(Fault::new(
            403,
            "Modifying other account's object permissions is not allowed",
        ));
    }
    let change_meta = !object.meta.is_empty() || replace;
    if object.public.is_some() || change_meta {
        check_write(&store, ctx.user, account, container, name)?;
    }
    let current = store
        .container(account, container)
        .and_then(|c| c.current(name))
        .cloned()
        .ok_or_else(|| Fault::item_not_found("Object does not exist"))?;
    let new_meta = merge_meta(&current.meta, object.meta, replace);
    if change_meta && new_meta.len() > MAX_METADATA {
        return Err(too_much_metadata());
    }
    if let Some(permissions) = object.sharing
        && let Some(node) = store
            .container_mut(account, container)
            .and_then(|c| c.objects.get_mut(name.as_str()))
    {
        node.permissions = (!permissions.is_empty()).then_some(permissions);
    }
    apply_public(ctx, &mut store, path, object.public)?;
    let mut response = ApiResponse::empty(202);
    if change_meta {
        let serial = store.next_serial();
        let mtime = store.tick();
        let version = Version {
            serial,
            mtime,
            muser: ctx.user.to_owned(),
            cluster: Cluster::Normal,
            meta: Arc::new(new_meta),
            ..current
        };
        if let Some(c) = store.container_mut(account, container) {
            c.push_version(name, version);
        }
        store.touch_account(account, mtime);
        let mut out = OutHeaders::default();
        out.set("X-Object-Version", &serial.to_string());
        response.headers = out.into_map();
    }
    Ok(response)
}

/// `Content-Range` (`get_content_range`): `Some((offset, length, total))`
/// with `None`s for `*`; `Some((None, None, None))` for `bytes */*`.
type ContentRange = (Option<u64>, Option<u64>, Option<u64>);

fn parse_content_range(value: &str) -> Option<ContentRange> {
    if value == "bytes */*" {
        return Some((None, None, None));
    }
    let rest = value.strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (first, last) = range.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) || !(last.is_empty() || digits(last)) || !(total == "*" || digits(total)) {
        return None;
    }
    let number = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
    let offset = number(first);
    let last = (!last.is_empty()).then(|| number(last));
    let total = (total != "*").then(|| number(total));
    if last.is_some_and(|last| offset > last)
        || total.is_some_and(|total| offset >= total)
        || matches!((last, total), (Some(last), Some(total)) if last >= total)
    {
        return None;
    }
    Some((
        Some(offset),
        last.map(|last| (last - offset).saturating_add(1)),
        total,
    ))
}

/// Where the written bytes come from.
enum Data<'a> {
    /// The request body.
    Body(&'a Bytes),
    /// Another object's hashmap.
    Object(Arc<Vec<BlockHash>>),
}

/// `len` bytes of an object from `start` (zero-padded past its blocks).
fn read_object(
    blocks: &BlockStore,
    block_size: usize,
    hashmap: &[BlockHash],
    start: u64,
    len: usize,
) -> Result<Vec<u8>, Fault> {
    let mut out = Vec::with_capacity(len);
    let block_size_u = block_size as u64;
    let mut position = start;
    while out.len() < len {
        let index = (position / block_size_u) as usize;
        let within = (position % block_size_u) as usize;
        let take = (len - out.len()).min(block_size - within);
        match hashmap.get(index) {
            Some(hash) => {
                let block = blocks
                    .get_padded(hash, within + take)
                    .map_err(block_fault)?;
                out.extend_from_slice(&block[within..within + take]);
            }
            None => out.resize(out.len() + take, 0),
        }
        position += take as u64;
    }
    Ok(out)
}

fn block_fault(error: std::io::Error) -> Fault {
    Fault::new(500, format!("Cannot read block: {error}"))
}

/// Writes `length` bytes of `data` at `offset` into `hashmap`, block by
/// block (`put_object_block` / `update_block`).
fn write_range(
    ctx: &Ctx<'_>,
    hashmap: &mut Vec<BlockHash>,
    offset: u64,
    length: u64,
    data: &Data<'_>,
) -> Result<(), Fault> {
    let blocks = &ctx.pithos.blocks;
    let block_size = ctx.pithos.block_size;
    let block_size_u = block_size as u64;
    let aligned = offset.is_multiple_of(block_size_u);
    let mut written: u64 = 0;
    while written < length {
        let position = offset + written;
        let index = (position / block_size_u) as usize;
        let within = (position % block_size_u) as usize;
        let take = (length - written).min(block_size_u - within as u64) as usize;
        // Whole source blocks move by hash when the write is aligned.
        if let Data::Object(source) = data
            && aligned
            && (take == block_size || index >= hashmap.len())
            && let Some(hash) = source.get((written / block_size_u) as usize)
        {
            if index < hashmap.len() {
                hashmap[index] = *hash;
            } else {
                hashmap.push(*hash);
            }
            written += take as u64;
            continue;
        }
        let chunk: Bytes = match data {
            Data::Body(body) => {
                let start = written as usize;
                body.slice(start..start + take)
            }
            Data::Object(source) => {
                Bytes::from(read_object(blocks, block_size, source, written, take)?)
            }
        };
        let block = if index < hashmap.len() {
            if within == 0 && take == block_size {
                chunk
            } else {
                let stored = blocks.get(&hashmap[index]).map_err(block_fault)?;
                let mut block = stored.to_vec();
                if block.len() < within + take {
                    block.resize(within + take, 0);
                }
                block[within..within + take].copy_from_slice(&chunk);
                Bytes::from(block)
            }
        } else if within == 0 {
            chunk
        } else {
            let mut block = vec![0; within];
            block.extend_from_slice(&chunk);
            Bytes::from(block)
        };
        let hash = blocks
            .put(block)
            .map_err(|e| Fault::new(500, format!("Cannot store block: {e}")))?;
        if index < hashmap.len() {
            hashmap[index] = hash;
        } else {
            hashmap.push(hash);
        }
        written += take as u64;
    }
    Ok(())
}

/// Data update → 204 with `ETag` and `X-Object-Version`.
fn update_data(
    ctx: &Ctx<'_>,
    path: &ObjectPath,
    object: ObjectHeaders,
    replace: bool,
    source: Option<String>,
) -> ApiResult {
    let content_range = ctx
        .headers
        .non_empty("content-range")
        .ok_or_else(|| Fault::bad_request("Missing Content-Range header"))?;
    let (first, range_length, total) = parse_content_range(content_range)
        .ok_or_else(|| Fault::new(416, "Invalid Content-Range header"))?;
    let dest_bytes = match ctx.headers.get("x-object-bytes") {
        None => None,
        Some(value) => Some(
            int_param(Some(value))
                .ok_or_else(|| Fault::bad_request("Invalid X-Object-Bytes header"))?,
        ),
    };
    for _ in 0..ATTEMPTS {
        // Snapshot the object, compose the new blocks without any lock,
        // then commit if nobody changed the object meanwhile.
        let (current, data) = {
            let store = ctx.pithos.read();
            let (current, _) = find_version(
                &store,
                ctx.user,
                &path.account,
                &path.container,
                &path.name,
                None,
            )?;
            let data = match &source {
                None => None,
                Some(source) => {
                    let source_account = ctx
                        .headers
                        .non_empty("x-source-account")
                        .unwrap_or(ctx.user);
                    let (container, name) = split_path(source)
                        .ok_or_else(|| Fault::bad_request("Invalid source object"))?;
                    let (version, _) = find_version(
                        &store,
                        ctx.user,
                        source_account,
                        &container,
                        &name,
                        ctx.headers.get("x-source-version"),
                    )?;
                    Some((version.size, version.hashmap.clone()))
                }
            };
            (current, data)
        };
        let size = current.size;
        let offset = first.unwrap_or(size);
        if offset > size {
            return Err(Fault::new(416, "Supplied offset is beyond object limits"));
        }
        let (length, check_length, data) = match data {
            Some((source_size, source_hashmap)) => {
                let length = match range_length {
                    None => source_size,
                    Some(length) if length > source_size => {
                        return Err(Fault::bad_request(
                            "Object length is smaller than range length",
                        ));
                    }
                    Some(length) => length,
                };
                (length, Some(length), Data::Object(source_hashmap))
            }
            None => {
                let announced = required_length(ctx)?;
                let body_length = ctx.req.body.len() as u64;
                let check_length = if announced < 0 {
                    None
                } else {
                    if range_length.is_some_and(|length| length != body_length) {
                        return Err(Fault::bad_request(
                            "Content length does not match range length",
                        ));
                    }
                    Some(body_length)
                };
                (body_length, check_length, Data::Body(&ctx.req.body))
            }
        };
        if let Some(total) = total
            && (total != size
                || offset >= size
                || check_length.is_some_and(|length| length > 0 && offset + length > size))
        {
            return Err(Fault::new(
                416,
                "Supplied range will change provided object limits",
            ));
        }
        let block_size = ctx.pithos.block_size;
        let mut hashmap: Vec<BlockHash> = if size == 0 {
            Vec::new()
        } else {
            current.hashmap.to_vec()
        };
        write_range(ctx, &mut hashmap, offset, length, &data)?;
        let mut new_size = size.max(offset.saturating_add(length));
        if let Some(limit) = dest_bytes
            && limit < new_size
        {
            new_size = limit;
            hashmap.truncate(block_count(new_size, block_size) as usize);
        }
        let meta = merge_meta(&current.meta, object.meta.clone(), replace);
        let mut new = NewVersion::with_data(new_size, current.content_type.clone(), hashmap, meta);
        new.uuid = Uuid::Keep;
        if new_size == 0 {
            ctx.pithos
                .blocks
                .put(Bytes::new())
                .map_err(|e| Fault::new(500, format!("Cannot store block: {e}")))?;
        }
        let hash = new.hash.clone();
        let mut store = ctx.pithos.write();
        let unchanged = store
            .container(&path.account, &path.container)
            .and_then(|c| c.current(&path.name))
            .is_some_and(|v| v.serial == current.serial);
        if !unchanged {
            continue;
        }
        let serial = commit(ctx, &mut store, path, new, object.sharing.clone())?;
        apply_public(ctx, &mut store, path, object.public)?;
        let mut out = OutHeaders::default();
        out.set("ETag", &hash);
        out.set("X-Object-Version", &serial.to_string());
        let mut response = ApiResponse::empty(204);
        response.headers = out.into_map();
        return Ok(response);
    }
    Err(Fault::new(
        409,
        "The object kept changing during the update; try again",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        assert_eq!(parse_content_range("bytes */*"), Some((None, None, None)));
        assert_eq!(
            parse_content_range("bytes 0-9/*"),
            Some((Some(0), Some(10), None))
        );
        assert_eq!(
            parse_content_range("bytes 5-/*"),
            Some((Some(5), None, None))
        );
        assert_eq!(
            parse_content_range("bytes 0-4/10"),
            Some((Some(0), Some(5), Some(10)))
        );
        assert_eq!(parse_content_range("bytes 9-4/*"), None);
        assert_eq!(parse_content_range("bytes 0-10/10"), None);
        assert_eq!(parse_content_range("bytes 10-/10"), None);
        assert_eq!(parse_content_range("bytes=0-1/*"), None);
        assert_eq!(parse_content_range("bytes */10"), None);
    }
}
