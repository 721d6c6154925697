//! `/ports`: list, create (attached to a server or not), show, update,
//! delete (wire §4.3). Attaching and detaching are jobs on the server.

use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::view::port_json;
use super::{name_attr, parse_id, required};
use crate::compute::network::PortState;
use crate::compute::ports::MAX_NICS;
use crate::compute::server::JobKind;
use crate::compute::validate::{Action, validate};
use crate::compute::world::World;
use crate::compute::{Ctx, body_dict};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// The address a new port gets.
enum Address {
    None,
    Floating(u64),
    Fixed(Ipv4Addr),
}

impl World {
    /// A port of `user` by the id in a URL (400 malformed, 404 unknown).
    fn own_port(&self, user: &str, id: &str) -> Result<u64, Fault> {
        let parsed = parse_id(id, "port")?;
        self.ports
            .get(&parsed)
            .filter(|p| p.user == user)
            .map(|p| p.id)
            .ok_or_else(|| Fault::item_not_found(format!("Port {parsed} not found.")))
    }
}

/// `GET /ports[/detail]`: the caller's ports.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let ports: Vec<Value> = world
        .ports
        .values()
        .filter(|p| p.user == ctx.user)
        .map(|p| port_json(world, p, ctx.urls))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "ports": ports })))
}

/// `GET /ports/<id>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let id = world.own_port(ctx.user, id)?;
    let port = &world.ports[&id];
    Ok(ApiResponse::json(
        200,
        &json!({ "port": port_json(world, port, ctx.urls) }),
    ))
}

/// The `security_groups` of a request.
fn security_groups(info: &Map<String, Value>) -> Result<Option<Vec<String>>, Fault> {
    match info.get("security_groups") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items.iter().map(crate::json::py_str).collect())),
        Some(_) => Err(Fault::bad_request(
            "Malformed request. Invalid 'security_groups' field",
        )),
    }
}

/// The one address asked in `fixed_ips`, if any.
fn wanted_address(info: &Map<String, Value>) -> Result<Option<String>, Fault> {
    let Some(value) = info.get("fixed_ips").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Value::Array(items) = value else {
        return Err(Fault::bad_request(
            "Malformed request. Invalid 'fixed_ips' field",
        ));
    };
    match items.as_slice() {
        [] => Ok(None),
        [item] => {
            let address = item
                .get("ip_address")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    Fault::bad_request("Invalid 'fixed_ips' field: 'ip_address' is required")
                })?;
            if address.parse::<Ipv4Addr>().is_err() {
                return Err(Fault::bad_request(format!(
                    "Invalid IPv4 address '{address}'"
                )));
            }
            Ok(Some(address.to_owned()))
        }
        _ => Err(Fault::bad_request(
            "Only one IPv4 address per port is allowed",
        )),
    }
}

/// The address of a new port on `network`: a floating IP of the user on
/// a public network (required there), else a fixed one from the subnet.
fn plan_address(
    world: &World,
    user: &str,
    network: u64,
    wanted: Option<String>,
) -> Result<Address, Fault> {
    let record = world
        .networks
        .get(&network)
        .ok_or_else(|| Fault::item_not_found(format!("Network {network} not found.")))?;
    if record.public {
        let address = wanted.ok_or_else(|| {
            Fault::bad_request("A floating IP address is required to connect to a public network")
        })?;
        let ip = world.floating_ip_by_address(user, &address).map_err(|_| {
            Fault::bad_request(format!("{address} is not one of your floating IPs"))
        })?;
        let ip_record = &world.ips[&ip];
        if ip_record.network != network {
            return Err(Fault::bad_request(format!(
                "IP address {address} does not belong to network {network}"
            )));
        }
        if ip_record.port.is_some() {
            return Err(Fault::new(
                409,
                format!("IP address '{address}' is already in use"),
            ));
        }
        return Ok(Address::Floating(ip));
    }
    let Some(subnet) = &record.subnet4 else {
        return match wanted {
            Some(address) => Err(Fault::bad_request(format!(
                "Address {address} is not a valid IP for the defined network subnets"
            ))),
            None => Ok(Address::None),
        };
    };
    match wanted {
        None => world
            .free_address(network, &[])
            .map(Address::Fixed)
            .ok_or_else(|| {
                Fault::new(
                    409,
                    format!("No more IP addresses available on network {network}"),
                )
            }),
        Some(text) => {
            let address: Ipv4Addr = text
                .parse()
                .map_err(|_| Fault::bad_request(format!("Invalid IPv4 address '{text}'")))?;
            if !subnet.in_pool(address) {
                return Err(Fault::bad_request(format!(
                    "Address {address} does not belong to network {network}"
                )));
            }
            if world
                .ips
                .values()
                .any(|ip| ip.network == network && ip.address == address)
            {
                return Err(Fault::new(
                    409,
                    format!("IP address {address} is already used."),
                ));
            }
            Ok(Address::Fixed(address))
        }
    }
}

/// `POST /ports` `{"port": {"network_id", "device_id", "fixed_ips",
/// "name", "security_groups"}}` → 201. With `device_id` the port is
/// `BUILD` until the server's connect job completes, else `DOWN`.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "port")?;
    let network_text = required(info, "network_id")?;
    let name = name_attr(info)?.unwrap_or_default();
    let groups = security_groups(info)?.unwrap_or_default();
    let wanted = wanted_address(info)?;
    let network = world.get_network(ctx.user, &network_text)?;
    if network.deleted {
        return Err(Fault::new(
            409,
            format!("Network {} is being deleted.", network.id),
        ));
    }
    let network = network.id;
    let machine = match info.get("device_id").filter(|v| !v.is_null()) {
        None => None,
        Some(device) => {
            let text = crate::json::py_str(device);
            let server_id = parse_id(&text, "server")?;
            let server = world.live_server(ctx.user, server_id)?;
            validate(server, Action::Connect)?;
            let nics = world
                .ports
                .values()
                .filter(|p| p.machine == Some(server_id))
                .count();
            if nics >= MAX_NICS {
                return Err(Fault::bad_request("Maximum ports per server limit reached"));
            }
            Some(server_id)
        }
    };
    let address = plan_address(world, ctx.user, network, wanted)?;
    let port = world.new_port(ctx.user, network, machine, ctx.now);
    if let Some(record) = world.ports.get_mut(&port) {
        record.name = name;
        record.security_groups = groups;
    }
    let ip = match address {
        Address::None => None,
        Address::Floating(ip) => Some(ip),
        Address::Fixed(address) => {
            Some(world.add_ip(network, address, ctx.user, false, None, ctx.now))
        }
    };
    if let Some(ip) = ip.and_then(|ip| world.ips.get_mut(&ip)) {
        ip.port = Some(port);
        ip.updated = ctx.now;
    }
    if let Some(server) = machine {
        world.start_job(server, JobKind::Connect { port }, ctx.now);
    }
    let record = &world.ports[&port];
    Ok(ApiResponse::json(
        201,
        &json!({ "port": port_json(world, record, ctx.urls) }),
    ))
}

/// `PUT /ports/<id>` `{"port": {"name", "security_groups"}}` → 200.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "port")?;
    let name = name_attr(info)?;
    let groups = security_groups(info)?;
    let id = world.own_port(ctx.user, id)?;
    if let Some(port) = world.ports.get_mut(&id) {
        if let Some(name) = name {
            port.name = name;
        }
        if let Some(groups) = groups {
            port.security_groups = groups;
        }
        port.updated = ctx.now;
    }
    let port = &world.ports[&id];
    Ok(ApiResponse::json(
        200,
        &json!({ "port": port_json(world, port, ctx.urls) }),
    ))
}

/// `DELETE /ports/<id>` → 204. A server's port leaves with a disconnect
/// job (gone once it completes); a server's port on a public network
/// without a floating IP → 403.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let id = world.own_port(ctx.user, id)?;
    let (network, machine) = {
        let port = &world.ports[&id];
        (port.network, port.machine)
    };
    let Some(server) = machine else {
        world.remove_port(id, ctx.now);
        return Ok(ApiResponse::empty(204));
    };
    let public = world.networks.get(&network).is_some_and(|n| n.public);
    let floating = world.port_ip(id).is_some_and(|ip| ip.floating);
    if public && !floating {
        return Err(Fault::new(403, "Cannot disconnect from public network."));
    }
    validate(world.server(ctx.user, server)?, Action::Disconnect)?;
    if let Some(port) = world.ports.get_mut(&id) {
        port.state = PortState::Down;
        port.updated = ctx.now;
    }
    world.start_job(server, JobKind::Disconnect { port: id }, ctx.now);
    Ok(ApiResponse::empty(204))
}
