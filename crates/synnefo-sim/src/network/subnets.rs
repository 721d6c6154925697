//! `/subnets`: list, create, show, rename; delete is refused (wire §4.2).

use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::cidr::{Cidr4, parse_ipv6};
use super::networks::visible_subnets;
use super::view::subnets_json;
use super::{bool_attr, name_attr, parse_id, required};
use crate::compute::network::{Subnet4, Subnet6};
use crate::compute::world::{IdKind, World};
use crate::compute::{Ctx, body_dict, over_limit};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// Shortest IPv4 prefix (`MAX_CIDR_BLOCK`).
const MIN_PREFIX: u8 = 22;
/// Longest IPv4 prefix.
const MAX_PREFIX: u8 = 29;

/// `GET /subnets[/detail]`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let subnets = visible_subnets(ctx, world);
    Ok(ApiResponse::json(200, &json!({ "subnets": subnets })))
}

/// The subnet object with this id among those `user` sees.
fn find(ctx: &Ctx<'_>, world: &World, id: &str) -> Result<(u64, Value), Fault> {
    let wanted = parse_id(id, "subnet")?.to_string();
    world
        .networks
        .values()
        .filter(|n| n.visible_to(ctx.user) && !n.deleted)
        .find_map(|n| {
            subnets_json(n, ctx.urls)
                .into_iter()
                .find(|s| s["id"] == wanted.as_str())
                .map(|s| (n.id, s))
        })
        .ok_or_else(|| Fault::item_not_found(format!("Subnet {wanted} not found.")))
}

/// `GET /subnets/<id>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let (_, subnet) = find(ctx, world, id)?;
    Ok(ApiResponse::json(200, &json!({ "subnet": subnet })))
}

/// `DELETE /subnets/<id>`: never supported.
pub(crate) fn delete() -> ApiResult {
    Err(Fault::bad_request("Deletion of a subnet is not supported"))
}

/// `PUT /subnets/<id>` with exactly `{"subnet": {"name": …}}` → 200.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "subnet")?;
    if info.len() != 1 || !info.contains_key("name") {
        return Err(Fault::bad_request(
            "Only the name of a subnet can be updated",
        ));
    }
    let name = name_attr(info)?.unwrap_or_default();
    let (network_id, subnet) = find(ctx, world, id)?;
    let network = world
        .networks
        .get_mut(&network_id)
        .filter(|n| n.user.as_deref() == Some(ctx.user))
        .ok_or_else(|| Fault::new(403, "Cannot update a subnet of another user's network"))?;
    let subnet_id = subnet["id"].as_str().unwrap_or_default();
    if let Some(s) = network
        .subnet4
        .as_mut()
        .filter(|s| s.id.to_string() == subnet_id)
    {
        s.name = name;
    } else if let Some(s) = network
        .subnet6
        .as_mut()
        .filter(|s| s.id.to_string() == subnet_id)
    {
        s.name = name;
    }
    network.updated = ctx.now;
    let (_, subnet) = find(ctx, world, id)?;
    Ok(ApiResponse::json(200, &json!({ "subnet": subnet })))
}

/// The `gateway_ip` of a request: absent → `Default`, `null` → none.
enum GatewayArg {
    Default,
    Disabled,
    Address(String),
}

fn gateway_arg(info: &Map<String, Value>) -> Result<GatewayArg, Fault> {
    match info.get("gateway_ip") {
        None => Ok(GatewayArg::Default),
        Some(Value::Null) => Ok(GatewayArg::Disabled),
        Some(Value::String(s)) => Ok(GatewayArg::Address(s.clone())),
        Some(_) => Err(Fault::bad_request(
            "Malformed request. Invalid 'gateway_ip' field",
        )),
    }
}

/// The `allocation_pools` of a request: (start, end) pairs.
fn pools_arg(info: &Map<String, Value>) -> Result<Option<Vec<(String, String)>>, Fault> {
    let Some(value) = info.get("allocation_pools").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let invalid = || Fault::bad_request("Malformed request. Invalid 'allocation_pools' field");
    let Value::Array(items) = value else {
        return Err(invalid());
    };
    items
        .iter()
        .map(|item| {
            let start = item
                .get("start")
                .and_then(Value::as_str)
                .ok_or_else(invalid)?;
            let end = item
                .get("end")
                .and_then(Value::as_str)
                .ok_or_else(invalid)?;
            Ok((start.to_owned(), end.to_owned()))
        })
        .collect::<Result<Vec<_>, Fault>>()
        .map(Some)
}

/// `POST /subnets` `{"subnet": {"network_id", "cidr", …}}` → 201.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "subnet")?;
    let network_text = required(info, "network_id")?;
    let cidr = required(info, "cidr")?;
    let name = name_attr(info)?.unwrap_or_default();
    let ip_version = match info.get("ip_version") {
        None | Some(Value::Null) => 4,
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .filter(|v| *v == 4 || *v == 6)
            .ok_or_else(|| Fault::bad_request("Malformed request. Invalid 'ip_version' field"))?,
    };
    let dhcp = bool_attr(info, "enable_dhcp")?.unwrap_or(true);
    let gateway = gateway_arg(info)?;
    let pools = pools_arg(info)?;
    let network = world.get_network(ctx.user, &network_text)?;
    if network.user.as_deref() != Some(ctx.user) {
        return Err(Fault::new(403, "Cannot create a subnet on this network"));
    }
    if network.deleted {
        return Err(Fault::bad_request("Network has been deleted"));
    }
    let network_id = network.id;
    let taken = if ip_version == 4 {
        network.subnet4.is_some()
    } else {
        network.subnet6.is_some()
    };
    if taken {
        return Err(Fault::bad_request(format!(
            "Only one subnet of IPv{ip_version} per network is allowed"
        )));
    }
    if world.ports.values().any(|p| p.network == network_id) {
        return Err(Fault::bad_request(
            "Cannot create a subnet on a network that already has ports",
        ));
    }
    let id = if ip_version == 4 {
        let subnet = plan_ipv4(&cidr, &gateway, pools, name, dhcp)?;
        let id = world.ids.next(IdKind::Subnet);
        let subnet = Subnet4 { id, ..subnet };
        if let Some(n) = world.networks.get_mut(&network_id) {
            n.subnet4 = Some(subnet);
        }
        id
    } else {
        let first_host = parse_ipv6(&cidr)?;
        if pools.is_some() {
            return Err(Fault::new(
                409,
                "Allocation pools are not supported on IPv6 subnets",
            ));
        }
        let gateway = match gateway {
            GatewayArg::Default => Some(first_host.to_string()),
            GatewayArg::Disabled => None,
            GatewayArg::Address(address) => Some(address),
        };
        let slaac = bool_attr(info, "enable_slaac")?.unwrap_or(true);
        let id = world.ids.next(IdKind::Subnet);
        if let Some(n) = world.networks.get_mut(&network_id) {
            n.subnet6 = Some(Subnet6 {
                id,
                name,
                cidr: cidr.trim().to_owned(),
                gateway,
                dhcp,
                slaac,
            });
        }
        id
    };
    if let Some(n) = world.networks.get_mut(&network_id) {
        n.updated = ctx.now;
    }
    let (_, subnet) = find(ctx, world, &id.to_string())?;
    Ok(ApiResponse::json(201, &json!({ "subnet": subnet })))
}

/// Checks an IPv4 subnet request and builds the subnet (id still 0).
fn plan_ipv4(
    cidr_text: &str,
    gateway: &GatewayArg,
    pools: Option<Vec<(String, String)>>,
    name: String,
    dhcp: bool,
) -> Result<Subnet4, Fault> {
    let cidr = Cidr4::parse(cidr_text)
        .ok_or_else(|| Fault::bad_request(format!("Malformed CIDR '{cidr_text}'")))?;
    if !(MIN_PREFIX..=MAX_PREFIX).contains(&cidr.prefix) {
        return Err(over_limit("Unsupported network size."));
    }
    let gateway = match gateway {
        GatewayArg::Default => Some(cidr.first_host()),
        GatewayArg::Disabled => None,
        GatewayArg::Address(text) => {
            let address: Ipv4Addr = text
                .trim()
                .parse()
                .map_err(|_| Fault::bad_request(format!("Malformed IP address '{text}'")))?;
            if !cidr.contains(address) {
                return Err(Fault::bad_request(format!(
                    "Gateway IP {address} is not in the subnet {cidr_text}"
                )));
            }
            Some(address)
        }
    };
    let pools = match pools {
        None => cidr.default_pools(gateway),
        Some(list) => {
            let parsed = list
                .iter()
                .map(|(start, end)| {
                    let parse = |text: &str| {
                        text.trim().parse::<Ipv4Addr>().map_err(|_| {
                            Fault::bad_request(format!("Malformed IP address '{text}'"))
                        })
                    };
                    Ok((parse(start)?, parse(end)?))
                })
                .collect::<Result<Vec<_>, Fault>>()?;
            cidr.check_pools(&parsed, gateway)?;
            parsed
        }
    };
    Ok(Subnet4 {
        id: 0,
        name,
        address: cidr.address,
        prefix: cidr.prefix,
        gateway,
        pools,
        dhcp,
    })
}
