//! Container `HEAD`, `PUT` (create) and `POST` (meta/policy update and block
//! upload) (wire §6.4). Listing is in `listing.rs`, `DELETE` in `delete.rs`.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

use super::Ctx;
use super::account::{MAX_METADATA, merge_meta, too_much_metadata};
use super::conditional::check_modified;
use super::format::{body_response, http_time, list_body};
use super::hashing::{HASH_ALGORITHM, to_hex};
use super::headers::{OutHeaders, meta_headers};
use super::policy::{apply, policy_headers, validate};
use super::sharing::container_shared_with;
use super::store::{Container, Micros, Policy, Store};

/// The container headers and the last modification, with the server's
/// access checks (`get_container_meta`, `list_container_meta`,
/// `get_container_policy`).
pub(crate) fn container_headers(
    ctx: &Ctx<'_>,
    store: &Store,
    account: &str,
    container: &str,
    until: Option<Micros>,
) -> Result<(OutHeaders, Micros), Fault> {
    let owner = ctx.is_owner(account);
    if !owner {
        if !container_shared_with(store, ctx.user, account, container) {
            return Err(Fault::new(
                403,
                "User does not have read access to the container",
            ));
        }
        if until.is_some() {
            return Err(Fault::new(
                403,
                "Accessing other account's historical information is not allowed",
            ));
        }
    }
    let c = store
        .container(account, container)
        .ok_or_else(|| Fault::item_not_found("Container does not exist"))?;
    if until.is_some_and(|until| c.created >= until) {
        return Err(Fault::item_not_found("Path does not exist"));
    }
    let mut out = OutHeaders::default();
    if owner {
        let (count, bytes) = match until {
            None => (c.count, c.bytes),
            Some(until) => {
                let (count, bytes, latest) = c.stats_until(until);
                out.set(
                    "X-Container-Until-Timestamp",
                    &http_time(latest.max(c.created)),
                );
                (count, bytes)
            }
        };
        out.set("X-Container-Object-Count", &count.to_string());
        out.set("X-Container-Bytes-Used", &bytes.to_string());
    }
    out.set("Last-Modified", &http_time(c.modified));
    if owner {
        for (key, value) in &c.meta {
            out.set_user(key, value);
        }
    }
    out.set("X-Container-Object-Meta", &object_meta_keys(c, until));
    out.set("X-Container-Block-Size", &ctx.pithos.block_size.to_string());
    out.set("X-Container-Block-Hash", HASH_ALGORITHM);
    if owner {
        out.set("X-Container-Policy-Quota", &c.policy.quota);
        out.set("X-Container-Policy-Versioning", &c.policy.versioning);
        out.set("X-Container-Policy-Project", &c.policy.project);
    }
    Ok((out, c.modified))
}

/// The object meta keys in use (`X-Object-Meta-` removed), comma-joined.
fn object_meta_keys(c: &Container, until: Option<Micros>) -> String {
    let keys: BTreeSet<&str> = c
        .objects
        .values()
        .filter_map(|node| node.as_of(until))
        .flat_map(|version| version.meta.keys())
        .filter_map(|key| key.strip_prefix("X-Object-Meta-"))
        .collect();
    keys.into_iter().collect::<Vec<_>>().join(",")
}

/// `HEAD /<account>/<container>` → 204.
pub(crate) fn head(ctx: &Ctx<'_>, account: &str, container: &str) -> ApiResult {
    let store = ctx.pithos.read();
    let until = super::format::until_param(ctx.req);
    let (out, modified) = container_headers(ctx, &store, account, container, until)?;
    check_modified(&ctx.headers, modified)?;
    let mut response = ApiResponse::empty(204);
    response.headers = out.into_map();
    Ok(response)
}

/// `PUT /<account>/<container>`: 201 created, 202 if it exists (then policy
/// and meta are merged).
pub(crate) fn put(ctx: &Ctx<'_>, account: &str, container: &str) -> ApiResult {
    let meta = meta_headers(&ctx.headers, "x-container-meta-")?;
    let policy = policy_headers(&ctx.headers);
    if !ctx.is_owner(account) {
        return Err(Fault::new(
            403,
            "User does not have write access to the container",
        ));
    }
    validate(&policy)?;
    let mut store = ctx.pithos.write();
    let now = store.tick();
    let exists = store.container(account, container).is_some();
    let acc = store.account_mut(account);
    let c = acc
        .containers
        .entry(container.to_owned())
        .or_insert_with(|| Container::new(now, Policy::default_for(account)));
    let merged = merge_meta(&c.meta, meta.clone(), false);
    if merged.len() > MAX_METADATA {
        if !exists {
            acc.containers.remove(container);
        }
        return Err(too_much_metadata());
    }
    c.policy = apply(&c.policy, &policy, false, account);
    if !meta.is_empty() {
        c.meta = merged;
        c.mtime = now;
    }
    c.modified = c.modified.max(now);
    acc.modified = acc.modified.max(now);
    if !exists {
        store.next_serial();
    }
    Ok(ApiResponse::empty(if exists { 202 } else { 201 }))
}

/// `POST /<account>/<container>`: meta/policy update (`?update` merges,
/// otherwise meta is replaced and unspecified policies revert to their
/// defaults) and, with `Content-Type: application/octet-stream`, block
/// upload: the body is cut into blocks, each stored, and their hashes are
/// returned.
pub(crate) fn post(ctx: &Ctx<'_>, account: &str, container: &str) -> ApiResult {
    let meta = meta_headers(&ctx.headers, "x-container-meta-")?;
    let policy = policy_headers(&ctx.headers);
    let replace = !ctx.flag("update");
    let not_writable = || Fault::new(403, "User does not have write access to the container");
    if !policy.is_empty() || !meta.is_empty() || replace {
        if !ctx.is_owner(account) {
            return Err(not_writable());
        }
        let mut store = ctx.pithos.write();
        let now = store.tick();
        let c = store
            .container_mut(account, container)
            .ok_or_else(|| Fault::item_not_found("Container does not exist"))?;
        let new_policy = if policy.is_empty() {
            None
        } else {
            let new = apply(&c.policy, &policy, replace, account);
            let mut all = std::collections::BTreeMap::new();
            for (key, value) in new.entries() {
                all.insert(key.to_owned(), value.to_owned());
            }
            validate(&all)?;
            Some(new)
        };
        let new_meta = if !meta.is_empty() || replace {
            let merged = merge_meta(&c.meta, meta, replace);
            if merged.len() > MAX_METADATA {
                return Err(too_much_metadata());
            }
            Some(merged)
        } else {
            None
        };
        if let Some(policy) = new_policy {
            c.policy = policy;
        }
        if let Some(meta) = new_meta {
            c.meta = meta;
            c.mtime = now;
            c.modified = c.modified.max(now);
            store.touch_account(account, now);
            store.next_serial();
        }
    }
    let content_type = ctx.req.content_type();
    let length = if ctx.headers.get("transfer-encoding") == Some("chunked") {
        -1
    } else {
        ctx.content_length().unwrap_or(0)
    };
    if content_type.as_deref() != Some("application/octet-stream") || length == 0 {
        return Ok(ApiResponse::empty(202));
    }
    if !ctx.is_owner(account) {
        return Err(not_writable());
    }
    let mut hashes = Vec::new();
    let block_size = ctx.pithos.block_size;
    let body = &ctx.req.body;
    let mut start = 0;
    while start < body.len() {
        let end = body.len().min(start + block_size);
        let hash = ctx
            .pithos
            .blocks
            .put(body.slice(start..end))
            .map_err(|e| Fault::new(500, format!("Cannot store block: {e}")))?;
        hashes.push(to_hex(&hash));
        start = end;
    }
    ctx.pithos
        .block_uploads
        .fetch_add(hashes.len() as u64, Ordering::Relaxed);
    if hashes.is_empty() {
        return Ok(ApiResponse::empty(202));
    }
    Ok(body_response(202, ctx.ser, list_body(ctx.ser, &hashes)))
}
