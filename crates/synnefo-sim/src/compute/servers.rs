//! Server views other than create and actions (wire §3.1–§3.5): list,
//! detail, rename, delete, password, stats, diagnostics.

use serde_json::{Value, json};

use super::changes_since::{changes_since, not_modified};
use super::quota::{GIB, MIB, Provision, Resource, qty};
use super::server::{JobKind, Server};
use super::server_view::{diagnostics_json, summary};
use super::validate::{Action, validate};
use super::world::World;
use super::{Ctx, body_dict};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// Longest server name.
pub(crate) const MAX_NAME: usize = 255;

/// `GET /servers[/detail]`, with `changes-since` (deleted servers included,
/// 304 when nothing changed).
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, detail: bool) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let servers: Vec<&Server> = world
        .servers
        .values()
        .filter(|s| s.user == ctx.user)
        .filter(|s| since.map_or(!s.deleted, |t| s.updated >= t))
        .collect();
    if since.is_some() && servers.is_empty() {
        return Err(not_modified());
    }
    let servers: Vec<Value> = servers
        .into_iter()
        .map(|s| {
            if detail {
                world.server_detail(ctx.urls, s, ctx.now)
            } else {
                summary(ctx.urls, s)
            }
        })
        .collect();
    Ok(ApiResponse::json(200, &json!({ "servers": servers })))
}

/// `GET /servers/<id>` (deleted servers too).
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "server": world.server_detail(ctx.urls, server, ctx.now) }),
    ))
}

/// `PUT /servers/<id>` `{"server": {"name": …}}` → 204.
pub(crate) fn rename(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let server = body_dict(&body, "server")?;
    let name = match server.get("name") {
        None | Some(Value::Null) => {
            return Err(Fault::bad_request(
                "Malformed request. Missing attribute 'name'.",
            ));
        }
        Some(Value::String(name)) => name.clone(),
        Some(_) => {
            return Err(Fault::bad_request(
                "Malformed request. Invalid 'name' field",
            ));
        }
    };
    world.live_server(ctx.user, id)?;
    if name.chars().count() > MAX_NAME {
        return Err(Fault::bad_request("Server name is too long"));
    }
    let server = world.server_mut(id)?;
    server.name = name;
    server.updated = ctx.now;
    Ok(ApiResponse::empty(204))
}

/// `DELETE /servers/<id>` → 204; the server shows `DELETED` once the
/// destroy job completes. Quotas are released at once.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let server = world.live_server(ctx.user, id)?;
    validate(server, Action::Destroy)?;
    if server
        .task
        .as_ref()
        .is_some_and(|job| job.kind == JobKind::Destroy)
    {
        return Ok(ApiResponse::empty(204));
    }
    // Settle a pending start, stop, resize… so that the release matches
    // what is charged.
    world.finish_pending(id, ctx.now);
    let server = world.server(ctx.user, id)?;
    let mut provisions: Vec<Provision> = Vec::new();
    if let Some(flavor) = world.flavor(server.flavor) {
        let p = &server.project;
        provisions.push((p.clone(), Resource::Vm, -1));
        provisions.push((p.clone(), Resource::TotalCpu, -qty(flavor.cpu)));
        provisions.push((p.clone(), Resource::TotalRam, -qty(flavor.ram) * MIB));
        if server.operstate.is_online() {
            provisions.push((p.clone(), Resource::Cpu, -qty(flavor.cpu)));
            provisions.push((p.clone(), Resource::Ram, -qty(flavor.ram) * MIB));
        }
    }
    let released: Vec<u64> = world
        .volumes
        .values()
        .filter(|v| v.machine == Some(id) && !v.deleted && v.delete_on_termination && v.charged)
        .map(|v| {
            provisions.push((v.project.clone(), Resource::Disk, -qty(v.size) * GIB));
            v.id
        })
        .collect();
    world.quotas.issue(ctx.user, &provisions)?;
    for volume in released {
        if let Some(volume) = world.volumes.get_mut(&volume) {
            volume.charged = false;
        }
    }
    world.start_job(id, JobKind::Destroy, ctx.now);
    Ok(ApiResponse::empty(204))
}

/// `GET /servers/<id>/password`: the cached admin password (404 once
/// forgotten).
pub(crate) fn get_password(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    world.server(ctx.user, id)?;
    let password = world
        .passwords
        .get(&id)
        .ok_or_else(|| Fault::item_not_found(""))?;
    Ok(ApiResponse::json(200, &json!({ "password": password })))
}

/// `DELETE /servers/<id>/password` → 204.
pub(crate) fn delete_password(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    world.server(ctx.user, id)?;
    world.passwords.remove(&id);
    Ok(ApiResponse::empty(204))
}

/// `GET /servers/<id>/stats`: graph URLs.
pub(crate) fn stats(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    world.server(ctx.user, id)?;
    let secret = hex::encode(format!("snf-{id}"));
    let graph = |kind: &str| format!("{}/stats/v1.0/{kind}/{secret}", ctx.urls.base);
    Ok(ApiResponse::json(
        200,
        &json!({"stats": {
            "serverRef": id,
            "refresh": 60,
            "cpuBar": graph("cpu-bar"),
            "cpuTimeSeries": graph("cpu-ts"),
            "netBar": graph("net-bar"),
            "netTimeSeries": graph("net-ts"),
        }}),
    ))
}

/// `GET /servers/<id>/diagnostics`: a bare list, newest first.
pub(crate) fn diagnostics(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &diagnostics_json(server.diagnostics.iter().rev()),
    ))
}
