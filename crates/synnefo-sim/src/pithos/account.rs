//! The top level (accounts sharing with the caller) and the account level:
//! `HEAD` (meta), `GET` (container listing), `POST` (meta and groups)
//! (wire §6.2, §6.3).

use std::collections::BTreeMap;

use http::header::{HeaderName, HeaderValue};
use serde_json::{Map, Value, json};

use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

use super::Ctx;
use super::conditional::check_modified;
use super::format::{
    Ser, body_response, http_time, int_param, iso_time, json_bytes, until_param, xml_entry,
    xml_escape,
};
use super::headers::{OutHeaders, format_header_key, meta_headers};
use super::sharing::{account_shared_with, container_shared_with};
use super::store::{Micros, Store};

/// Most groups per account, and members per group.
const MAX_GROUPS: usize = 32;
/// Most metadata items per resource.
pub(crate) const MAX_METADATA: usize = 32;
/// Default and largest listing page.
pub(crate) const LIST_LIMIT: usize = 10_000;

/// `GET /` without a token: the Swift-style auth stub (`X-Auth-User`,
/// `X-Auth-Key` → `204` with `X-Auth-Token` and `X-Storage-Url`).
pub(crate) fn auth_stub(state: &SimState, req: &ApiRequest) -> ApiResult {
    let user = req.header("x-auth-user").filter(|v| !v.is_empty());
    let key = req.header("x-auth-key").filter(|v| !v.is_empty());
    let (Some(user), Some(key)) = (user, key) else {
        return Err(Fault::bad_request(
            "Missing X-Auth-User or X-Auth-Key header",
        ));
    };
    let path = req.target.split('?').next().unwrap_or("");
    let mut url = format!("{}{path}", state.base_url);
    if !url.ends_with('/') {
        url.push('/');
    }
    url.push_str(&user);
    let mut response = ApiResponse::empty(204);
    for (name, value) in [("x-auth-token", key), ("x-storage-url", url)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers
                .insert(HeaderName::from_static(name), value);
        }
    }
    Ok(response)
}

/// The listing limit parameter: default and maximum 10 000.
pub(crate) fn limit_param(ctx: &Ctx<'_>) -> usize {
    match int_param(ctx.req.query_param("limit")) {
        Some(0) | None => LIST_LIMIT,
        Some(n) => usize::try_from(n).unwrap_or(LIST_LIMIT).min(LIST_LIMIT),
    }
}

/// `GET /`: the accounts that share something with the caller.
pub(crate) fn list_accounts(ctx: &Ctx<'_>) -> ApiResult {
    let store = ctx.pithos.read();
    let accounts: Vec<(&String, Micros)> = store
        .accounts
        .iter()
        .filter(|(uuid, _)| account_shared_with(&store, ctx.user, uuid))
        .map(|(uuid, account)| (uuid, account.modified))
        .collect();
    match ctx.ser {
        Ser::Text => {
            if accounts.is_empty() {
                return Ok(body_response(204, Ser::Text, ""));
            }
            let text: String = accounts
                .iter()
                .map(|(uuid, _)| format!("{uuid}\n"))
                .collect();
            Ok(body_response(200, Ser::Text, text))
        }
        ser => {
            let entries: Vec<Map<String, Value>> = accounts
                .iter()
                .filter(|(uuid, _)| uuid.as_str() != ctx.user)
                .map(|(uuid, modified)| {
                    let mut entry = Map::new();
                    entry.insert("name".into(), json!(uuid));
                    entry.insert("last_modified".into(), json!(iso_time(*modified)));
                    entry
                })
                .collect();
            let body = if ser == Ser::Xml {
                let mut out =
                    String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<accounts>\n");
                for entry in &entries {
                    out.push_str(&xml_entry("account", entry));
                }
                out.push_str("</accounts>\n");
                out.into()
            } else {
                json_bytes(&Value::Array(
                    entries.into_iter().map(Value::Object).collect(),
                ))
            };
            Ok(body_response(200, ser, body))
        }
    }
}

/// The account headers and the last modification (`get_account_meta`,
/// groups, policy), with the access checks of the server.
fn account_headers(
    ctx: &Ctx<'_>,
    store: &Store,
    account: &str,
    until: Option<Micros>,
) -> Result<(OutHeaders, Micros), Fault> {
    let mut out = OutHeaders::default();
    if !ctx.is_owner(account) {
        if !account_shared_with(store, ctx.user, account) {
            return Err(Fault::new(
                403,
                "User does not have read access to the account",
            ));
        }
        if until.is_some() {
            return Err(Fault::new(
                403,
                "Browsing other account's history is not allowed",
            ));
        }
    }
    let Some(acc) = store.accounts.get(account) else {
        return Err(Fault::new(403, "Account does not exist"));
    };
    let modified = acc.modified;
    out.set("Last-Modified", &http_time(modified));
    if !ctx.is_owner(account) {
        return Ok((out, modified));
    }
    let (count, bytes) = match until {
        None => (acc.containers.len() as u64, acc.usage()),
        Some(until) => {
            let mut count = 0;
            let mut bytes = 0;
            let mut latest = if acc.created < until {
                acc.created
            } else {
                until
            };
            for container in acc.containers.values().filter(|c| c.created < until) {
                let (_, b, t) = container.stats_until(until);
                count += 1;
                bytes += b;
                latest = latest.max(t).max(container.created);
            }
            out.set("X-Account-Until-Timestamp", &http_time(latest));
            (count, bytes)
        }
    };
    out.set("X-Account-Container-Count", &count.to_string());
    out.set("X-Account-Bytes-Used", &bytes.to_string());
    for (key, value) in &acc.meta {
        out.set_user(key, value);
    }
    for (group, members) in &acc.groups {
        if !members.is_empty() {
            out.set_user(
                &format_header_key(&format!("X-Account-Group-{group}")),
                &members.join(","),
            );
        }
    }
    out.set(
        "X-Account-Policy-Quota",
        &ctx.pithos.quota(account).to_string(),
    );
    Ok((out, modified))
}

/// `HEAD /<account>` → 204.
pub(crate) fn head(ctx: &Ctx<'_>, account: &str) -> ApiResult {
    ctx.ensure_own_account(account);
    let store = ctx.pithos.read();
    let (out, modified) = account_headers(ctx, &store, account, until_param(ctx.req))?;
    check_modified(&ctx.headers, modified)?;
    let mut response = ApiResponse::empty(204);
    response.headers = out.into_map();
    Ok(response)
}

/// `GET /<account>`: the container listing.
pub(crate) fn get(ctx: &Ctx<'_>, account: &str) -> ApiResult {
    ctx.ensure_own_account(account);
    let until = until_param(ctx.req);
    let store = ctx.pithos.read();
    let (out, modified) = account_headers(ctx, &store, account, until)?;
    check_modified(&ctx.headers, modified)?;
    let owner = ctx.is_owner(account);
    let shared = ctx.flag("shared");
    let public = ctx.flag("public");
    if public && !owner {
        return Err(Fault::new(
            403,
            "PUblic container listing is not allowed to non path owners",
        ));
    }
    let Some(acc) = store.accounts.get(account) else {
        return Err(Fault::new(403, "Account does not exist"));
    };
    let marker = ctx.req.query_param("marker").filter(|m| !m.is_empty());
    let names: Vec<&String> = acc
        .containers
        .iter()
        .filter(|(name, container)| {
            if !owner {
                return container_shared_with(&store, ctx.user, account, name);
            }
            if shared || public {
                let has_shared = shared
                    && container
                        .objects
                        .values()
                        .any(|n| n.permissions.as_ref().is_some_and(|p| !p.is_empty()));
                let has_public = public && container.objects.values().any(|n| n.public.is_some());
                return has_shared || has_public;
            }
            until.is_none_or(|until| container.created < until)
        })
        .map(|(name, _)| name)
        .filter(|name| marker.is_none_or(|m| name.as_str() > m))
        .take(limit_param(ctx))
        .collect();
    let mut response = match ctx.ser {
        Ser::Text if names.is_empty() => body_response(204, Ser::Text, ""),
        Ser::Text => body_response(
            200,
            Ser::Text,
            names.iter().map(|n| format!("{n}\n")).collect::<String>(),
        ),
        ser => {
            let entries: Vec<Map<String, Value>> = names
                .iter()
                .filter_map(|name| {
                    let container = acc.containers.get(name.as_str())?;
                    let mut entry = Map::new();
                    entry.insert("name".into(), json!(name));
                    entry.insert("last_modified".into(), json!(iso_time(container.modified)));
                    if owner {
                        let (count, bytes) = match until {
                            None => (container.count, container.bytes),
                            Some(until) => {
                                let (count, bytes, latest) = container.stats_until(until);
                                entry.insert(
                                    "x_container_until_timestamp".into(),
                                    json!(iso_time(latest.max(container.created))),
                                );
                                (count, bytes)
                            }
                        };
                        entry.insert("count".into(), json!(count));
                        entry.insert("bytes".into(), json!(bytes));
                        let policy: Map<String, Value> = container
                            .policy
                            .entries()
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), json!(v)))
                            .collect();
                        entry.insert("x_container_policy".into(), Value::Object(policy));
                    }
                    Some(entry)
                })
                .collect();
            let body = if ser == Ser::Xml {
                let mut out = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<account name=\"{}\">\n",
                    xml_escape(account)
                );
                for entry in &entries {
                    out.push_str(&xml_entry("container", entry));
                }
                out.push_str("</account>\n");
                out.into()
            } else {
                json_bytes(&Value::Array(
                    entries.into_iter().map(Value::Object).collect(),
                ))
            };
            body_response(200, ser, body)
        }
    };
    response.headers = out.into_map();
    Ok(response)
}

/// `POST /<account>`: metadata and groups (`?update` merges, otherwise the
/// metadata, and the groups if any group header is sent, are replaced).
pub(crate) fn post(ctx: &Ctx<'_>, account: &str) -> ApiResult {
    let meta = meta_headers(&ctx.headers, "x-account-meta-")?;
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in ctx.headers.with_prefix("x-account-group-") {
        let name = key
            .get("X-Account-Group-".len()..)
            .unwrap_or("")
            .to_lowercase();
        if name.contains('-') || name.contains('_') {
            return Err(Fault::bad_request("Bad characters in group name"));
        }
        let mut members: Vec<String> = value
            .replace(' ', "")
            .split(',')
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect();
        members.sort();
        members.dedup();
        groups.insert(name, members);
    }
    // Members must be known users (Astakos is asked for their names).
    let mut unknown: Vec<&str> = groups
        .values()
        .flatten()
        .filter(|m| ctx.state.users.by_uuid(m).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        unknown.sort_unstable();
        unknown.dedup();
        return Err(Fault::bad_request(format!(
            "Unknown displaynames: {}",
            unknown.join(", ")
        )));
    }
    let replace = !ctx.flag("update");
    let not_writable = || Fault::new(403, "User does not have write access to the account");
    if !groups.is_empty() {
        for (name, members) in &groups {
            if name.chars().count() > 256 {
                return Err(Fault::bad_request(
                    "Group names should be at most 256 characters long.",
                ));
            }
            if members.iter().any(|m| m.chars().count() > 256) {
                return Err(Fault::bad_request(
                    "Group members should be at most 256 characters long.",
                ));
            }
        }
        if !ctx.is_owner(account) {
            return Err(not_writable());
        }
    }
    if (!meta.is_empty() || replace) && !ctx.is_owner(account) {
        return Err(not_writable());
    }
    if groups.is_empty() && meta.is_empty() && !replace {
        return Ok(ApiResponse::empty(202));
    }
    let mut store = ctx.pithos.write();
    let now = store.tick();
    let acc = store.account_mut(account);
    let new_groups = if groups.is_empty() {
        None
    } else {
        let mut merged = if replace {
            BTreeMap::new()
        } else {
            acc.groups.clone()
        };
        merged.extend(groups);
        merged.retain(|_, members| !members.is_empty());
        if merged.len() > MAX_GROUPS {
            return Err(Fault::bad_request(format!(
                "Pithos+ accounts cannot have more than {MAX_GROUPS} groups"
            )));
        }
        if merged.values().any(|members| members.len() > MAX_GROUPS) {
            return Err(Fault::bad_request(format!(
                "Pithos+ groups cannot have more than {MAX_GROUPS} members"
            )));
        }
        Some(merged)
    };
    let new_meta = if !meta.is_empty() || replace {
        let merged = merge_meta(&acc.meta, meta, replace);
        if merged.len() > MAX_METADATA {
            return Err(too_much_metadata());
        }
        Some(merged)
    } else {
        None
    };
    if let Some(groups) = new_groups {
        acc.groups = groups;
    }
    if let Some(meta) = new_meta {
        acc.meta = meta;
    }
    acc.modified = acc.modified.max(now);
    Ok(ApiResponse::empty(202))
}

/// Metadata after an update: with `replace` exactly `changes`; otherwise
/// `current` with `changes` applied, empty values deleting keys.
pub(crate) fn merge_meta(
    current: &super::store::Meta,
    changes: super::store::Meta,
    replace: bool,
) -> super::store::Meta {
    if replace {
        return changes;
    }
    let mut merged = current.clone();
    for (key, value) in changes {
        if value.is_empty() {
            merged.remove(&key);
        } else {
            merged.insert(key, value);
        }
    }
    merged
}

/// The fault for more than 32 metadata items.
pub(crate) fn too_much_metadata() -> Fault {
    Fault::bad_request(format!(
        "Pithos+ resources cannot have more than {MAX_METADATA} metadata items per domain"
    ))
}
