//! Server-side copy and move (wire §6.8 `X-Copy-From`/`X-Move-From`, §6.9
//! `COPY`/`MOVE` with `Destination`): no data is moved, the new version
//! reuses the source's hashmap.

use crate::fault_body::Fault;
use crate::response::ApiResult;

use super::Ctx;
use super::account::merge_meta;
use super::conditional::check_matching;
use super::delete::delete_one;
use super::headers::object_headers;
use super::listing::{Entry, Query, Scope, list};
use super::object_read::find_version;
use super::object_write::{NewVersion, Uuid, apply_public, commit, created};
use super::sharing::granted_paths;
use super::store::{ObjectPath, Store};

/// `split_container_object_string`: `/<container>/<object>` (object not
/// empty).
pub(crate) fn split_path(value: &str) -> Option<(String, String)> {
    let rest = value.strip_prefix('/')?;
    let (container, object) = rest.split_once('/')?;
    if object.is_empty() {
        return None;
    }
    Some((container.to_owned(), object.to_owned()))
}

/// `COPY` / `MOVE /<account>/<container>/<object>` with `Destination`.
pub(crate) fn copy_or_move(
    ctx: &Ctx<'_>,
    account: &str,
    container: &str,
    name: &str,
    is_move: bool,
) -> ApiResult {
    let destination_account = ctx
        .headers
        .non_empty("destination-account")
        .unwrap_or(ctx.user)
        .to_owned();
    let destination = ctx
        .headers
        .non_empty("destination")
        .ok_or_else(|| Fault::bad_request("Missing Destination header"))?;
    let (dest_container, dest_name) =
        split_path(destination).ok_or_else(|| Fault::bad_request("Invalid Destination header"))?;
    if ctx.headers.non_empty("if-match").is_some()
        || ctx.headers.non_empty("if-none-match").is_some()
    {
        let version = if is_move {
            None
        } else {
            ctx.headers.get("x-source-version")
        };
        let store = ctx.pithos.read();
        let (found, _) = find_version(&store, ctx.user, account, container, name, version)?;
        check_matching(&ctx.headers, Some(&found.hash), false)?;
    }
    let source = ObjectPath {
        account: account.to_owned(),
        container: container.to_owned(),
        name: name.to_owned(),
    };
    let target = ObjectPath {
        account: destination_account,
        container: dest_container,
        name: dest_name,
    };
    let serial = transfer(
        ctx,
        &source,
        &target,
        is_move,
        ctx.req.query_param("delimiter"),
    )?;
    Ok(created(None, serial))
}

/// Copies or moves `source` to `target` (and, with a delimiter, everything
/// under `<source><delimiter>` to `<target><delimiter>…`). Returns the
/// serial of the first new version.
pub(crate) fn transfer(
    ctx: &Ctx<'_>,
    source: &ObjectPath,
    target: &ObjectPath,
    is_move: bool,
    delimiter: Option<&str>,
) -> Result<u64, Fault> {
    let mut object = object_headers(ctx.req, &ctx.headers)?;
    if ctx.flag("ignore_content_type") {
        object.content_type = None;
    }
    let version = if is_move {
        None
    } else {
        ctx.headers.get("x-source-version")
    };
    if is_move && ctx.user != source.account {
        return Err(Fault::new(403, ""));
    }
    let mut store = ctx.pithos.write();
    let serial = transfer_one(
        ctx,
        &mut store,
        source,
        target,
        is_move,
        version,
        object.content_type.clone(),
        Some(object.meta),
        object.sharing,
    )?;
    if let Some(delimiter) = delimiter.filter(|d| !d.is_empty()) {
        let with_delimiter = |name: &str| {
            if name.ends_with(delimiter) {
                name.to_owned()
            } else {
                format!("{name}{delimiter}")
            }
        };
        let prefix = with_delimiter(&source.name);
        let target_prefix = with_delimiter(&target.name);
        let children = children(ctx, &store, source, &prefix)?;
        for (child, content_type) in children {
            let child_target = ObjectPath {
                name: child.replacen(&prefix, &target_prefix, 1),
                ..target.clone()
            };
            let child_source = ObjectPath {
                name: child,
                ..source.clone()
            };
            transfer_one(
                ctx,
                &mut store,
                &child_source,
                &child_target,
                is_move,
                None,
                Some(content_type),
                None,
                None,
            )?;
        }
    }
    apply_public(ctx, &mut store, target, object.public)?;
    Ok(serial)
}

/// The current objects named `<prefix>…` the caller may see, with their
/// content types.
fn children(
    ctx: &Ctx<'_>,
    store: &Store,
    source: &ObjectPath,
    prefix: &str,
) -> Result<Vec<(String, String)>, Fault> {
    let Some(c) = store.container(&source.account, &source.container) else {
        return Ok(Vec::new());
    };
    let mut query = Query::prefixed(prefix);
    query.limit = usize::MAX;
    if !ctx.is_owner(&source.account) {
        let paths = granted_paths(store, ctx.user, &source.account, &source.container);
        if paths.is_empty() {
            return Err(Fault::new(
                403,
                "Browsing other account's history is not allowed",
            ));
        }
        query.scope = Scope::Paths(paths);
    }
    Ok(list(c, &query)
        .into_iter()
        .filter_map(|entry| match entry {
            Entry::Object(name, _, version) => {
                Some((name.to_owned(), version.content_type.clone()))
            }
            Entry::Subdir(_) => None,
        })
        .collect())
}

/// One copy or move (`_copy_object` without the delimiter part).
#[allow(clippy::too_many_arguments)]
fn transfer_one(
    ctx: &Ctx<'_>,
    store: &mut Store,
    source: &ObjectPath,
    target: &ObjectPath,
    is_move: bool,
    version: Option<&str>,
    content_type: Option<String>,
    meta: Option<super::store::Meta>,
    permissions: Option<super::sharing::Permissions>,
) -> Result<u64, Fault> {
    super::object_read::check_read(
        store,
        ctx.user,
        &source.account,
        &source.container,
        &source.name,
    )?;
    for (account, container) in [
        (&source.account, &source.container),
        (&target.account, &target.container),
    ] {
        if store.container(account, container).is_none() {
            return Err(Fault::item_not_found("Container does not exist"));
        }
    }
    let (found, _) = find_version(
        store,
        ctx.user,
        &source.account,
        &source.container,
        &source.name,
        version,
    )?;
    let same_path = source == target;
    let new = NewVersion {
        size: found.size,
        content_type: content_type.unwrap_or_else(|| found.content_type.clone()),
        hashmap: found.hashmap.clone(),
        hash: found.hash.clone(),
        meta: merge_meta(&found.meta, meta.unwrap_or_default(), false),
        uuid: if is_move || same_path {
            Uuid::Use(found.uuid.clone())
        } else {
            Uuid::New
        },
    };
    let serial = commit(ctx, store, target, new, permissions)?;
    if is_move && !same_path {
        delete_one(ctx, store, source)?;
    }
    Ok(serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(split_path("/c/o/p"), Some(("c".into(), "o/p".into())));
        assert_eq!(split_path("/c/"), None);
        assert_eq!(split_path("/c"), None);
        assert_eq!(split_path("c/o"), None);
    }
}
