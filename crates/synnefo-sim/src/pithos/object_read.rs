//! Object `HEAD` and `GET`: headers (wire §6.5), `version=list`, `hashmap`,
//! data with ranges and conditionals, manifest objects (wire §6.6).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::body::{ResponseBody, Segment, StreamedBody};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

use super::conditional::{Matching, check_matching, check_modified};
use super::format::{Ser, body_response, decimal_time, http_time, json_bytes, xml_escape};
use super::hashing::{HASH_ALGORITHM, to_hex};
use super::headers::{Headers, OutHeaders, py_quote};
use super::listing::{Entry, Query, Scope, list};
use super::ranges::{Parts, check_ranges, multipart, parse_range, push_range};
use super::sharing::{Access, effective, granted, granted_paths};
use super::store::{Micros, Store, Version};
use super::{Ctx, Pithos};

/// What a view knows about the object version it shows.
#[derive(Clone, Debug)]
pub(crate) struct ObjectState {
    /// The object name.
    pub(crate) name: String,
    /// The version shown.
    pub(crate) version: Version,
    /// The object's last modification (its current or deleted version).
    pub(crate) modified: Micros,
    /// Size reported in headers (a manifest's is the sum of its parts).
    pub(crate) size: u64,
    /// `(X-Object-Sharing, X-Object-Shared-By, X-Object-Allowed-To)`.
    pub(crate) sharing: Option<(String, Option<String>, Option<Access>)>,
    /// `X-Object-Public` (owner only).
    pub(crate) public_url: Option<String>,
}

/// `_can_read_object`: the owner, anyone for a public object, else
/// whoever the (inherited) permissions name.
pub(crate) fn check_read(
    store: &Store,
    user: &str,
    account: &str,
    container: &str,
    name: &str,
) -> Result<(), Fault> {
    if user == account
        || store
            .node(account, container, name)
            .is_some_and(|node| node.public.is_some())
    {
        return Ok(());
    }
    let Some((_, permissions)) = effective(store, account, container, name) else {
        return Err(Fault::new(403, "User does not have access to the object"));
    };
    if granted(store, permissions, user).is_none() {
        return Err(Fault::new(
            403,
            "User does not have read access to the object",
        ));
    }
    Ok(())
}

/// `_can_write_object`: the owner, or whoever the (inherited) permissions
/// let write.
pub(crate) fn check_write(
    store: &Store,
    user: &str,
    account: &str,
    container: &str,
    name: &str,
) -> Result<(), Fault> {
    if user == account {
        return Ok(());
    }
    let Some((_, permissions)) = effective(store, account, container, name) else {
        return Err(Fault::new(403, "User does not have access to the object"));
    };
    if granted(store, permissions, user) != Some(Access::Write) {
        return Err(Fault::new(
            403,
            "User does not have write access to the object",
        ));
    }
    Ok(())
}

/// A version of an object (`get_object_meta`) with its last modification.
pub(crate) fn find_version(
    store: &Store,
    user: &str,
    account: &str,
    container: &str,
    name: &str,
    version: Option<&str>,
) -> Result<(Version, Micros), Fault> {
    check_read(store, user, account, container, name)?;
    let node = store
        .node(account, container, name)
        .ok_or_else(|| Fault::item_not_found("Object does not exist"))?;
    match version {
        None => {
            let current = node
                .current()
                .ok_or_else(|| Fault::item_not_found("Object does not exist"))?;
            Ok((current.clone(), current.mtime))
        }
        Some(serial) => {
            let version = serial
                .parse::<u64>()
                .ok()
                .and_then(|serial| node.version(serial))
                .ok_or_else(|| Fault::item_not_found("Version does not exist"))?;
            let modified = node
                .current()
                .or_else(|| node.latest_deleted())
                .map(|v| v.mtime)
                .ok_or_else(|| Fault::item_not_found("Object does not exist"))?;
            Ok((version.clone(), modified))
        }
    }
}

/// The state shown by `HEAD`/`GET` of an object, with sharing and public
/// details for the latest version.
pub(crate) fn object_state(
    ctx: &Ctx<'_>,
    store: &Store,
    account: &str,
    container: &str,
    name: &str,
    version: Option<&str>,
) -> Result<ObjectState, Fault> {
    let (found, modified) = find_version(store, ctx.user, account, container, name, version)?;
    let mut state = ObjectState {
        name: name.to_owned(),
        size: found.size,
        version: found,
        modified,
        sharing: None,
        public_url: None,
    };
    if version.is_none() {
        let source = effective(store, account, container, name);
        let allowed = if ctx.is_owner(account) {
            None
        } else {
            let access = source
                .as_ref()
                .and_then(|(_, permissions)| granted(store, permissions, ctx.user));
            Some(access.ok_or_else(|| Fault::new(403, "User does not have access to the path"))?)
        };
        if let Some((path, permissions)) = source {
            let shared_by = (path != name).then(|| format!("{account}/{container}/{path}"));
            state.sharing = Some((permissions.header_value(), shared_by, allowed));
        }
        if ctx.is_owner(account)
            && let Some(token) = store
                .node(account, container, name)
                .and_then(|node| node.public.as_ref())
        {
            state.public_url = Some(ctx.public_url(token));
        }
    }
    if let Some(manifest) = state.version.meta.get("X-Object-Manifest")
        && let Ok(parts) = manifest_parts(store, ctx.user, account, manifest)
    {
        state.size = parts.iter().map(|(size, _)| size).sum();
    }
    Ok(state)
}

/// The parts of a manifest object: every object of `<container>` whose
/// name starts with `<prefix>` (`X-Object-Manifest: <container>/<prefix>`),
/// in name order.
pub(crate) fn manifest_parts(
    store: &Store,
    user: &str,
    account: &str,
    manifest: &str,
) -> Result<Parts, Fault> {
    let invalid = || Fault::bad_request("Invalid X-Object-Manifest header");
    let (container, prefix) = manifest.split_once('/').ok_or_else(invalid)?;
    if container.is_empty() || prefix.is_empty() {
        return Err(invalid());
    }
    let c = store
        .container(account, container)
        .ok_or_else(|| Fault::item_not_found("Container does not exist"))?;
    let mut query = Query::prefixed(prefix);
    if user != account {
        let paths = granted_paths(store, user, account, container);
        if paths.is_empty() {
            return Err(Fault::new(
                403,
                "Browsing other account's history is not allowed",
            ));
        }
        query.scope = Scope::Paths(paths);
    }
    let mut parts = Vec::new();
    for entry in list(c, &query) {
        if let Entry::Object(name, _, version) = entry {
            check_read(store, user, account, container, name)?;
            parts.push((version.size, version.hashmap.clone()));
        }
    }
    Ok(parts)
}

/// The object headers (`put_object_headers`); `restricted` keeps only the
/// public ones.
pub(crate) fn object_headers(state: &ObjectState, restricted: bool) -> OutHeaders {
    let version = &state.version;
    let mut out = OutHeaders::default();
    out.set("ETag", &version.hash);
    out.set("Last-Modified", &http_time(state.modified));
    out.set("Available", "1");
    let meta = &version.meta;
    if !restricted {
        out.set("X-Object-Hash", &version.hash);
        out.set("X-Object-UUID", &version.uuid);
        out.set("X-Object-Modified-By", &version.muser);
        out.set("X-Object-Version", &version.serial.to_string());
        out.set("X-Object-Version-Timestamp", &http_time(version.mtime));
        for (key, value) in meta.iter() {
            if key.starts_with("X-Object-Meta-") {
                out.set_user(key, value);
            }
        }
        for key in [
            "Content-Encoding",
            "Content-Disposition",
            "X-Object-Manifest",
        ] {
            if let Some(value) = meta.get(key) {
                out.set(key, value);
            }
        }
        if let Some((sharing, shared_by, allowed)) = &state.sharing {
            out.set("X-Object-Sharing", sharing);
            if let Some(shared_by) = shared_by {
                out.set("X-Object-Shared-By", shared_by);
            }
            if let Some(allowed) = allowed {
                out.set("X-Object-Allowed-To", allowed.as_str());
            }
        }
        if let Some(url) = &state.public_url {
            out.set("X-Object-Public", url);
        }
    } else {
        for key in ["Content-Encoding", "Content-Disposition"] {
            if let Some(value) = meta.get(key) {
                out.set(key, value);
            }
        }
    }
    out
}

/// The object's `Content-Type` as sent (percent-quoted like every
/// `Content-*` header).
pub(crate) fn content_type(state: &ObjectState) -> String {
    py_quote(&state.version.content_type, "/=,:@; \"")
}

/// A 304 carrying only the `ETag`.
pub(crate) fn not_modified(etag: &str) -> ApiResponse {
    let mut out = OutHeaders::default();
    out.set("ETag", etag);
    let mut response = ApiResponse::empty(304);
    response.headers = out.into_map();
    response
}

/// `HEAD /<account>/<container>/<object>` → 200 with the headers.
pub(crate) fn head(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    let state = {
        let store = ctx.pithos.read();
        object_state(
            ctx,
            &store,
            account,
            container,
            name,
            ctx.req.query_param("version"),
        )?
    };
    check_modified(&ctx.headers, state.modified)?;
    if check_matching(&ctx.headers, Some(&state.version.hash), true)? == Matching::NotModified {
        return Ok(not_modified(&state.version.hash));
    }
    let out = object_headers(&state, false);
    let mut response = ApiResponse::with_body(
        200,
        content_type(&state),
        ResponseBody::Streamed(StreamedBody {
            len: Some(state.size),
            segments: Vec::new(),
            source: None,
            sent: None,
        }),
    );
    response.headers = out.into_map();
    Ok(response)
}

/// `GET /<account>/<container>/<object>`.
pub(crate) fn get(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    let version = ctx.req.query_param("version");
    if version == Some("list") {
        return version_list(ctx, account, container, name);
    }
    let hashmap_reply = ctx.flag("hashmap");
    let (state, parts) = {
        let store = ctx.pithos.read();
        let state = object_state(ctx, &store, account, container, name, version)?;
        check_modified(&ctx.headers, state.modified)?;
        if check_matching(&ctx.headers, Some(&state.version.hash), true)? == Matching::NotModified {
            return Ok(not_modified(&state.version.hash));
        }
        let parts = match state.version.meta.get("X-Object-Manifest") {
            Some(manifest) if !hashmap_reply => {
                manifest_parts(&store, ctx.user, account, manifest)?
            }
            _ => vec![(state.version.size, state.version.hashmap.clone())],
        };
        (state, parts)
    };
    if hashmap_reply {
        return Ok(hashmap_response(ctx, &state));
    }
    Ok(data_response(
        ctx.pithos,
        &ctx.headers,
        ctx.req.query_param("disposition-type"),
        &state,
        &parts,
        false,
    ))
}

/// `?version=list`: `[[serial, "timestamp"], …]` of the non-deleted
/// versions.
fn version_list(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    let store = ctx.pithos.read();
    check_read(&store, ctx.user, account, container, name)?;
    let node = store
        .node(account, container, name)
        .ok_or_else(|| Fault::item_not_found("Object does not exist"))?;
    let versions: Vec<(u64, String)> = node
        .versions
        .iter()
        .filter(|v| v.cluster != super::store::Cluster::Deleted)
        .map(|v| (v.serial, decimal_time(v.mtime)))
        .collect();
    let body = match ctx.ser {
        Ser::Xml => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<object name=\"{}\">\n",
                xml_escape(name)
            );
            for (serial, timestamp) in &versions {
                out.push_str(&format!(
                    "  <version timestamp=\"{timestamp}\">{serial}</version>\n"
                ));
            }
            out.push_str("</object>\n");
            out.into()
        }
        _ => json_bytes(&json!({
            "versions": versions.iter().map(|(s, t)| json!([s, t])).collect::<Vec<Value>>()
        })),
    };
    Ok(body_response(200, ctx.ser, body))
}

/// `?hashmap`: block size, algorithm, size and block hashes, with the
/// object headers and the object's own `Content-Type`.
fn hashmap_response(ctx: &Ctx<'_>, state: &ObjectState) -> ApiResponse {
    let version = &state.version;
    let hashes: Vec<String> = version.hashmap.iter().map(|h| to_hex(h)).collect();
    let block_size = ctx.pithos.block_size;
    let body = match ctx.ser {
        Ser::Xml => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<object name=\"{}\" bytes=\"{}\" block_size=\"{block_size}\" block_hash=\"{HASH_ALGORITHM}\">\n",
                xml_escape(&state.name),
                version.size
            );
            for hash in &hashes {
                out.push_str(&format!("  <hash>{hash}</hash>\n"));
            }
            out.push_str("</object>\n");
            out.into()
        }
        _ => json_bytes(&json!({
            "block_size": block_size,
            "block_hash": HASH_ALGORITHM,
            "bytes": version.size,
            "hashes": hashes,
        })),
    };
    let mut response = ApiResponse::with_body(200, content_type(state), ResponseBody::Full(body));
    response.headers = object_headers(state, false).into_map();
    response
}

/// The data of an object (`object_data_response`): 200 in full, 206 for
/// one range or `multipart/byteranges` for several; strict 416.
pub(crate) fn data_response(
    pithos: &Pithos,
    headers: &Headers,
    disposition_type: Option<&str>,
    state: &ObjectState,
    parts: &Parts,
    restricted: bool,
) -> ApiResponse {
    let size: u64 = parts.iter().map(|(size, _)| size).sum();
    let block_size = pithos.block_size;
    let mut ranges = match parse_range(headers.get("range"), size) {
        None => None,
        Some(ranges) => match check_ranges(&ranges, size) {
            Ok(ranges) => Some(ranges),
            Err(fault) => {
                return super::format::render_fault(fault, Ser::Json);
            }
        },
    };
    // If-Range: only a date equal to the (micro-second) modification time
    // keeps the range; in practice it always disables it.
    if ranges.is_some()
        && let Some(if_range) = headers.non_empty("if-range")
    {
        let keep = match super::format::parse_http_time(if_range) {
            Some(seconds) => i128::from(seconds) * 1_000_000 == i128::from(state.modified),
            None => if_range == state.version.checksum,
        };
        if !keep {
            ranges = None;
        }
    }
    let mut out = object_headers(state, restricted);
    // Content-Disposition: the object's own, unless a valid
    // `disposition-type` is asked for; else `inline; filename="<name>"`.
    let valid_type = disposition_type.filter(|t| *t == "inline" || *t == "attachment");
    if !out.contains("content-disposition") || valid_type.is_some() {
        out.set(
            "Content-Disposition",
            &format!(
                "{}; filename=\"{}\"",
                valid_type.unwrap_or("inline"),
                state.name
            ),
        );
    }
    let source: Arc<dyn crate::body::BlockSource> = pithos.blocks.clone();
    let sent = Some(pithos.bytes_sent.clone());
    let mut segments: Vec<Segment> = Vec::new();
    let (status, content_type, len) = match ranges.as_deref() {
        None => {
            push_range(&mut segments, parts, block_size, 0, size);
            (200, content_type(state), Some(size))
        }
        Some([(offset, length)]) => {
            push_range(&mut segments, parts, block_size, *offset, *length);
            out.set(
                "Content-Range",
                &format!("bytes {offset}-{}/{size}", offset + length - 1),
            );
            (206, content_type(state), Some(*length))
        }
        Some(ranges) => {
            let boundary = pithos.new_boundary();
            let (body, _) = multipart(parts, block_size, ranges, &boundary, size);
            segments = body;
            (
                206,
                format!("multipart/byteranges; boundary={boundary}"),
                None,
            )
        }
    };
    let mut response = ApiResponse::with_body(
        status,
        content_type,
        ResponseBody::Streamed(StreamedBody {
            len,
            segments,
            source: Some(source),
            sent,
        }),
    );
    response.headers = out.into_map();
    response
}
