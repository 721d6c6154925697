//! Server actions (wire §3.4): `POST /servers/<id>/action` with
//! `{"<action>": {<args>}}`.

use serde_json::{Map, Value, json};

use super::Ctx;
use super::quota::{GIB, MIB, Provision, Resource, qty};
use super::server::{JobKind, OperState};
use super::validate::{Action, validate};
use super::world::World;
use crate::fault_body::Fault;
use crate::json::{py_str, py_truthy};
use crate::response::{ApiResponse, ApiResult};

/// Firewall profiles a NIC may have.
const PROFILES: &[&str] = &["ENABLED", "DISABLED", "PROTECTED"];

/// The actions answered whatever their arguments: those Synnefo does not
/// implement (wire §3.4: 501).
const NOT_IMPLEMENTED: &[(&str, &str)] = &[
    ("os-getSPICEConsole", "Spice console not implemented"),
    ("os-getRDPConsole", "RDP console not implemented"),
    ("changePassword", "Changing password is not supported."),
    ("rebuild", "Rebuild not supported."),
    ("confirmResize", "Resize not supported."),
    ("revertResize", "Resize not supported."),
];

/// The other actions the server knows.
const ACTIONS: &[&str] = &[
    "start",
    "os-start",
    "shutdown",
    "os-stop",
    "reboot",
    "resize",
    "firewallProfile",
    "console",
    "os-getVNCConsole",
    "reassign",
    "addFloatingIp",
    "removeFloatingIp",
    "rescue",
    "unrescue",
    "suspend",
];

/// `POST /servers/<id>/action`.
pub(crate) fn action(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let Value::Object(map) = &body else {
        return Err(Fault::bad_request("Malformed request"));
    };
    let Some((name, args)) = map.iter().next() else {
        return Err(Fault::bad_request("Malformed Request."));
    };
    if let Some((_, message)) = NOT_IMPLEMENTED.iter().find(|(n, _)| n == name) {
        return Err(Fault::new(501, *message));
    }
    if !ACTIONS.contains(&name.as_str()) {
        return Err(Fault::bad_request(format!("Action {name} not supported")));
    }
    // `get_attribute(req, action, required=True, attr_type=dict)`: the
    // arguments are an object (wire §3.4, `{"<action>": {<args>}}`), so
    // `{"os-start": null}` is refused like a missing one.
    let args = match args {
        Value::Object(args) => args,
        Value::Null => {
            return Err(Fault::bad_request(format!(
                "Malformed request. Missing attribute '{name}'."
            )));
        }
        _ => {
            return Err(Fault::bad_request(format!(
                "Malformed request. Invalid '{name}' field"
            )));
        }
    };
    match name.as_str() {
        "start" | "os-start" => power(ctx, world, id, Action::Start),
        "shutdown" | "os-stop" => power(ctx, world, id, Action::Stop),
        "reboot" => {
            let kind = args.get("type").map_or("SOFT".to_owned(), py_str);
            if kind != "SOFT" && kind != "HARD" {
                return Err(Fault::bad_request("Invalid 'type' attribute."));
            }
            power(ctx, world, id, Action::Reboot)
        }
        "resize" => resize(ctx, world, id, args),
        "firewallProfile" => firewall(ctx, world, id, args),
        "console" => console(ctx, world, id, args),
        "os-getVNCConsole" => vnc_console(ctx, world, id, args),
        "reassign" => reassign(ctx, world, id, args),
        "addFloatingIp" => add_floating_ip(ctx, world, id, args),
        "removeFloatingIp" => remove_floating_ip(ctx, world, id, args),
        "rescue" | "unrescue" => Err(Fault {
            name: "featureNotEnabled",
            ..Fault::item_not_found("")
        }),
        "suspend" => Err(Fault::new(403, "User is not allowed to suspend his server")),
        other => Err(Fault::bad_request(format!("Action {other} not supported"))),
    }
}

/// Start, stop or reboot: checks, quota (`cpu`/`ram` follow the running
/// state), job.
fn power(ctx: &Ctx<'_>, world: &mut World, id: u64, action: Action) -> ApiResult {
    let server = world.live_server(ctx.user, id)?;
    validate(server, action)?;
    let (kind, sign) = match action {
        Action::Start => (
            JobKind::Start,
            (server.operstate == OperState::Stopped) as i128,
        ),
        Action::Stop => (JobKind::Stop, -(server.operstate.is_online() as i128)),
        _ => (
            JobKind::Reboot,
            (server.operstate == OperState::Stopped) as i128,
        ),
    };
    if sign != 0
        && let Some(flavor) = world.flavor(server.flavor)
    {
        let provisions: Vec<Provision> = vec![
            (
                server.project.clone(),
                Resource::Cpu,
                sign * qty(flavor.cpu),
            ),
            (
                server.project.clone(),
                Resource::Ram,
                sign * qty(flavor.ram) * MIB,
            ),
        ];
        world.quotas.issue(ctx.user, &provisions)?;
    }
    world.start_job(id, kind, ctx.now);
    Ok(ApiResponse::empty(202))
}

/// `resize` `{"flavorRef": id}`: only stopped servers, same disk size and
/// volume type.
fn resize(ctx: &Ctx<'_>, world: &mut World, id: u64, args: &Map<String, Value>) -> ApiResult {
    let flavor_ref = args
        .get("flavorRef")
        .filter(|v| !v.is_null())
        .ok_or_else(|| Fault::bad_request("Missing 'flavorRef' attribute."))?;
    let server = world.live_server(ctx.user, id)?;
    let flavor = world
        .get_flavor(flavor_ref, &ctx.projects, false, Some(&server.project))?
        .clone();
    validate(server, Action::Resize)?;
    let old = world
        .flavor(server.flavor)
        .cloned()
        .ok_or_else(Fault::unexpected)?;
    if old.id == flavor.id {
        return Err(Fault::bad_request(format!(
            "Server '{}' flavor is already '{}'.",
            server.repr(),
            world.flavor_repr(&flavor)
        )));
    }
    if old.disk != flavor.disk {
        return Err(Fault::bad_request("Cannot change instance's disk size."));
    }
    if old.volume_type != flavor.volume_type {
        return Err(Fault::bad_request("Cannot change instance's volume type."));
    }
    let project = server.project.clone();
    let cpu = qty(flavor.cpu) - qty(old.cpu);
    let ram = (qty(flavor.ram) - qty(old.ram)) * MIB;
    let mut provisions: Vec<Provision> = vec![
        (project.clone(), Resource::TotalCpu, cpu),
        (project.clone(), Resource::TotalRam, ram),
    ];
    if server.operstate.is_online() {
        provisions.push((project.clone(), Resource::Cpu, cpu));
        provisions.push((project, Resource::Ram, ram));
    }
    world.quotas.issue(ctx.user, &provisions)?;
    world.start_job(id, JobKind::Resize { flavor: flavor.id }, ctx.now);
    Ok(ApiResponse::empty(202))
}

/// `firewallProfile` `{"profile": …, "nic": <port id>}`.
fn firewall(ctx: &Ctx<'_>, world: &mut World, id: u64, args: &Map<String, Value>) -> ApiResult {
    let profile = args
        .get("profile")
        .filter(|v| !v.is_null())
        .ok_or_else(|| Fault::bad_request("Missing 'profile' attribute"))?;
    let nic = args
        .get("nic")
        .filter(|v| !v.is_null())
        .ok_or_else(|| Fault::bad_request("Missing 'nic' attribute"))?;
    let server = world.live_server(ctx.user, id)?;
    validate(server, Action::SetFirewallProfile)?;
    let nic = py_str(nic);
    let port: u64 = nic
        .trim()
        .parse()
        .map_err(|_| Fault::bad_request(format!("Invalid NIC ID '{nic}'")))?;
    if world.ports.get(&port).is_none_or(|p| p.machine != Some(id)) {
        return Err(Fault::item_not_found(format!("NIC '{port}' not found")));
    }
    let profile = py_str(profile);
    if !PROFILES.contains(&profile.as_str()) {
        return Err(Fault::bad_request("Unsupported firewall profile"));
    }
    if let Some(port) = world.ports.get_mut(&port) {
        port.firewall = Some(profile);
        port.updated = ctx.now;
    }
    Ok(ApiResponse::empty(202))
}

/// VNC connection details for an active server: (host, port, password).
fn console_info(ctx: &Ctx<'_>, world: &mut World, id: u64) -> Result<(String, u16, String), Fault> {
    let server = world.live_server(ctx.user, id)?;
    if server.operstate != OperState::Started {
        return Err(Fault::bad_request("Server not in ACTIVE state."));
    }
    let authority = ctx
        .urls
        .base
        .split_once("://")
        .map_or(ctx.urls.base.as_str(), |(_, rest)| rest);
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
        .to_owned();
    let port = world.random_u16(20000..=29999);
    let password = world.random_password();
    Ok((host, port, password))
}

/// `console` `{"type": "vnc|vnc-ws|vnc-wss"}` → 200 `{"console": …}`.
fn console(ctx: &Ctx<'_>, world: &mut World, id: u64, args: &Map<String, Value>) -> ApiResult {
    const TYPES: &[&str] = &["vnc", "vnc-ws", "vnc-wss"];
    let kind = args
        .get("type")
        .filter(|v| !v.is_null())
        .ok_or_else(|| Fault::bad_request("No console 'type' specified."))?;
    let kind = py_str(kind);
    if !TYPES.contains(&kind.as_str()) {
        return Err(Fault::bad_request(format!(
            "Supported types: {}",
            TYPES.join(", ")
        )));
    }
    let (host, port, password) = console_info(ctx, world, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({"console": {"type": kind, "host": host, "port": port, "password": password}}),
    ))
}

/// `os-getVNCConsole` `{"type": "novnc|xvpvnc"}` → 200 `{"console":
/// {"type", "url"}}`.
fn vnc_console(ctx: &Ctx<'_>, world: &mut World, id: u64, args: &Map<String, Value>) -> ApiResult {
    let kind = args
        .get("type")
        .filter(|v| !v.is_null())
        .ok_or_else(|| Fault::bad_request("No console 'type' specified."))?;
    let kind = py_str(kind);
    if kind != "novnc" && kind != "xvpvnc" {
        return Err(Fault::bad_request("Supported types: novnc, xvpvnc"));
    }
    let (host, port, password) = console_info(ctx, world, id)?;
    let url = if kind == "novnc" {
        format!(
            "{}/cyclades/ui/machines/console?host={host}&port={port}&password={password}",
            ctx.urls.base
        )
    } else {
        format!("{host}:{port}?password={password}")
    };
    Ok(ApiResponse::json(
        200,
        &json!({"console": {"type": kind, "url": url}}),
    ))
}

/// `reassign` `{"project": …, "shared_to_project": false}` → 200.
fn reassign(ctx: &Ctx<'_>, world: &mut World, id: u64, args: &Map<String, Value>) -> ApiResult {
    if args.get("shared_to_project").is_some_and(py_truthy) {
        return Err(Fault::new(
            403,
            "Sharing resource to the members of the project is not permitted",
        ));
    }
    let project = args
        .get("project")
        .filter(|v| !v.is_null())
        .map(py_str)
        .ok_or_else(|| Fault::bad_request("Missing 'project' attribute."))?;
    let server = world.live_server(ctx.user, id)?;
    validate(server, Action::Reassign)?;
    if server.project == project {
        return Ok(ApiResponse::empty(200));
    }
    let from = server.project.clone();
    let mut moves: Vec<(Resource, i128)> = Vec::new();
    if let Some(flavor) = world.flavor(server.flavor) {
        moves.push((Resource::Vm, 1));
        moves.push((Resource::TotalCpu, qty(flavor.cpu)));
        moves.push((Resource::TotalRam, qty(flavor.ram) * MIB));
        if server.operstate.is_online() {
            moves.push((Resource::Cpu, qty(flavor.cpu)));
            moves.push((Resource::Ram, qty(flavor.ram) * MIB));
        }
    }
    let root = world
        .volumes
        .values()
        .find(|v| v.machine == Some(id) && v.index == Some(0) && !v.deleted)
        .map(|v| (v.id, v.charged, v.size, v.project.clone()));
    let mut provisions: Vec<Provision> = moves
        .iter()
        .flat_map(|&(r, q)| [(from.clone(), r, -q), (project.clone(), r, q)])
        .collect();
    if let Some((_, true, size, volume_project)) = &root {
        provisions.push((volume_project.clone(), Resource::Disk, -qty(*size) * GIB));
        provisions.push((project.clone(), Resource::Disk, qty(*size) * GIB));
    }
    world.quotas.issue(ctx.user, &provisions)?;
    if let Some((volume, ..)) = root
        && let Some(volume) = world.volumes.get_mut(&volume)
    {
        volume.project = project.clone();
        volume.updated = ctx.now;
    }
    let server = world.server_mut(id)?;
    server.project = project;
    server.updated = ctx.now;
    Ok(ApiResponse::empty(200))
}

/// The `address` argument of the floating IP actions.
fn address_arg(args: &Map<String, Value>) -> Result<String, Fault> {
    args.get("address")
        .filter(|v| !v.is_null())
        .map(py_str)
        .ok_or_else(|| Fault::bad_request("Missing 'address' attribute"))
}

/// `addFloatingIp` `{"address": …}`: a new NIC with that floating IP.
fn add_floating_ip(
    ctx: &Ctx<'_>,
    world: &mut World,
    id: u64,
    args: &Map<String, Value>,
) -> ApiResult {
    let address = address_arg(args)?;
    world.live_server(ctx.user, id)?;
    let ip = world.floating_ip_by_address(ctx.user, &address)?;
    let (network, in_use) = {
        let record = &world.ips[&ip];
        (record.network, record.port.is_some())
    };
    if in_use {
        return Err(Fault::new(
            409,
            format!("IP address '{address}' is already in use"),
        ));
    }
    validate(world.server(ctx.user, id)?, Action::Connect)?;
    let port = world.new_port(ctx.user, network, Some(id), ctx.now);
    if let Some(record) = world.ips.get_mut(&ip) {
        record.port = Some(port);
        record.updated = ctx.now;
    }
    world.start_job(id, JobKind::Connect { port }, ctx.now);
    Ok(ApiResponse::empty(202))
}

/// `removeFloatingIp` `{"address": …}`: removes the NIC using it.
fn remove_floating_ip(
    ctx: &Ctx<'_>,
    world: &mut World,
    id: u64,
    args: &Map<String, Value>,
) -> ApiResult {
    let address = address_arg(args)?;
    let server = world.live_server(ctx.user, id)?;
    let ip = world.floating_ip_by_address(&server.user, &address)?;
    let port = world.ips[&ip]
        .port
        .filter(|p| world.ports.get(p).is_some_and(|p| p.machine == Some(id)))
        .ok_or_else(|| {
            Fault::bad_request(format!("Floating IP {address} not attached to instance"))
        })?;
    validate(server, Action::Disconnect)?;
    world.start_job(id, JobKind::Disconnect { port }, ctx.now);
    Ok(ApiResponse::empty(202))
}
