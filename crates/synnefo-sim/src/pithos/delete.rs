//! Object and container `DELETE` (wire §6.4, §6.11): deletion markers,
//! `?until` purges of history, `?delimiter` recursive deletes.

use std::sync::Arc;

use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

use super::Ctx;
use super::format::until_param;
use super::listing::{Entry, Query, list};
use super::store::{Cluster, Meta, ObjectPath, Store, Version};

/// Marks one current object deleted (a deletion-marker version) and drops
/// its permissions and public URL.
pub(crate) fn delete_one(ctx: &Ctx<'_>, store: &mut Store, path: &ObjectPath) -> Result<(), Fault> {
    let uuid = store
        .container(&path.account, &path.container)
        .and_then(|c| c.current(&path.name))
        .map(|v| v.uuid.clone())
        .ok_or_else(|| Fault::item_not_found("Object is deleted."))?;
    let serial = store.next_serial();
    let mtime = store.tick();
    let marker = Version {
        serial,
        mtime,
        size: 0,
        content_type: String::new(),
        hash: String::new(),
        hashmap: Arc::new(Vec::new()),
        checksum: String::new(),
        muser: ctx.user.to_owned(),
        uuid,
        cluster: Cluster::Deleted,
        meta: Arc::new(Meta::new()),
    };
    if let Some(c) = store.container_mut(&path.account, &path.container) {
        c.push_version(&path.name, marker);
    }
    store.clear_access(&path.account, &path.container, &path.name);
    store.touch_account(&path.account, mtime);
    Ok(())
}

/// The names of the current objects of a container starting with `prefix`.
fn current_names(store: &Store, account: &str, container: &str, prefix: &str) -> Vec<String> {
    let Some(c) = store.container(account, container) else {
        return Vec::new();
    };
    let mut query = Query::prefixed(prefix);
    query.limit = usize::MAX;
    list(c, &query)
        .into_iter()
        .filter_map(|entry| match entry {
            Entry::Object(name, ..) => Some(name.to_owned()),
            Entry::Subdir(_) => None,
        })
        .collect()
}

/// `DELETE /<account>/<container>/<object>` → 204.
pub(crate) fn object(ctx: &Ctx<'_>, account: &str, container: &str, name: &str) -> ApiResult {
    if !ctx.is_owner(account) {
        return Err(Fault::new(403, ""));
    }
    let until = until_param(ctx.req);
    let delimiter = ctx.req.query_param("delimiter").filter(|d| !d.is_empty());
    let mut store = ctx.pithos.write();
    if store.container(account, container).is_none() {
        return Err(Fault::item_not_found("Container does not exist"));
    }
    if store.node(account, container, name).is_none() {
        return Err(Fault::item_not_found("Object does not exist"));
    }
    if let Some(until) = until {
        store.purge_object(
            account,
            container,
            name,
            until,
            &[Cluster::Normal, Cluster::History, Cluster::Deleted],
        );
        let now = store.tick();
        store.touch_account(account, now);
        return Ok(ApiResponse::empty(204));
    }
    let path = ObjectPath {
        account: account.to_owned(),
        container: container.to_owned(),
        name: name.to_owned(),
    };
    delete_one(ctx, &mut store, &path)?;
    if let Some(delimiter) = delimiter {
        let prefix = if name.ends_with(delimiter) {
            name.to_owned()
        } else {
            format!("{name}{delimiter}")
        };
        for child in current_names(&store, account, container, &prefix) {
            let path = ObjectPath {
                name: child,
                ..path.clone()
            };
            delete_one(ctx, &mut store, &path)?;
        }
    }
    Ok(ApiResponse::empty(204))
}

/// `DELETE /<account>/<container>` → 204: removes an empty container (409
/// otherwise); with `?delimiter` deletes all its objects instead; with
/// `?until` purges the history up to that time.
pub(crate) fn container(ctx: &Ctx<'_>, account: &str, container: &str) -> ApiResult {
    if !ctx.is_owner(account) {
        return Err(Fault::new(
            403,
            "User does not have write access to the container",
        ));
    }
    let until = until_param(ctx.req);
    let delimiter = ctx.req.query_param("delimiter").filter(|d| !d.is_empty());
    let mut store = ctx.pithos.write();
    let Some(c) = store.container(account, container) else {
        return Err(Fault::item_not_found("Container does not exist"));
    };
    if let Some(until) = until {
        let names: Vec<String> = c.objects.keys().cloned().collect();
        for name in names {
            store.purge_object(
                account,
                container,
                &name,
                until,
                &[Cluster::History, Cluster::Deleted],
            );
        }
        return Ok(ApiResponse::empty(204));
    }
    if delimiter.is_none() {
        if c.count > 0 {
            return Err(Fault::new(409, "Container is not empty"));
        }
        let tokens: Vec<String> = c
            .objects
            .values()
            .filter_map(|n| n.public.clone())
            .collect();
        let now = store.tick();
        for token in tokens {
            store.public.remove(&token);
        }
        if let Some(acc) = store.accounts.get_mut(account) {
            acc.containers.remove(container);
            acc.modified = acc.modified.max(now);
        }
        return Ok(ApiResponse::empty(204));
    }
    for name in current_names(&store, account, container, "") {
        let path = ObjectPath {
            account: account.to_owned(),
            container: container.to_owned(),
            name,
        };
        delete_one(ctx, &mut store, &path)?;
    }
    Ok(ApiResponse::empty(204))
}
