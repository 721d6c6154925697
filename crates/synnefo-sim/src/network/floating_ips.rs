//! `/floatingips`: list, allocate, show, release, reassign (wire §4.4);
//! updates answer `501` as on the server.

use std::net::Ipv4Addr;

use serde_json::{Value, json};

use super::{parse_id, project_attr, reassign_args, text_attr};
use crate::compute::quota::Resource;
use crate::compute::world::World;
use crate::compute::{Ctx, body_dict, changes_since, floating_ips, not_modified};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// `GET /floatingips[/detail]` (with `changes-since`).
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let ips: Vec<Value> = world
        .ips
        .values()
        .filter(|ip| ip.floating && ip.user == ctx.user)
        .filter(|ip| since.is_none_or(|t| ip.updated >= t))
        .map(|ip| world.network_ip_json(ip))
        .collect();
    if since.is_some() && ips.is_empty() {
        return Err(not_modified());
    }
    Ok(ApiResponse::json(200, &json!({ "floatingips": ips })))
}

/// `GET /floatingips/<id>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    floating_ips::get(ctx, world, id)
}

/// `DELETE /floatingips/<id>` → 204; attached → 409; releases the quota.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    floating_ips::release(ctx, world, id)
}

/// `PUT /floatingips/<id>`: not implemented by Synnefo.
pub(crate) fn update() -> ApiResult {
    Err(Fault::new(501, "Updating floating IPs is not supported."))
}

/// Picks the network and address of a new floating IP.
fn plan(
    world: &World,
    user: &str,
    network: Option<String>,
    address: Option<String>,
) -> Result<(u64, Ipv4Addr), Fault> {
    let address = address
        .map(|text| {
            text.trim()
                .parse::<Ipv4Addr>()
                .map_err(|_| Fault::bad_request(format!("Invalid IPv4 address '{text}'")))
        })
        .transpose()?;
    let pools: Vec<u64> = match network {
        Some(text) => {
            let network = world.get_network(user, &text)?;
            if network.deleted {
                return Err(Fault::new(
                    409,
                    format!("Network {} is being deleted.", network.id),
                ));
            }
            if !network.floating_ip_pool {
                return Err(Fault::new(
                    409,
                    format!("Network {} is not a floating IP pool.", network.id),
                ));
            }
            vec![network.id]
        }
        None => world
            .networks
            .values()
            .filter(|n| n.public && n.floating_ip_pool && !n.deleted)
            .map(|n| n.id)
            .collect(),
    };
    let Some(address) = address else {
        return pools
            .iter()
            .find_map(|&n| world.free_address(n, &[]).map(|a| (n, a)))
            .ok_or_else(|| Fault::new(409, "No more IP addresses available."));
    };
    let network = pools
        .iter()
        .copied()
        .find(|n| {
            world
                .networks
                .get(n)
                .and_then(|n| n.subnet4.as_ref())
                .is_some_and(|s| s.in_pool(address))
        })
        .ok_or_else(|| {
            Fault::bad_request(format!(
                "IP address {address} does not belong to the network"
            ))
        })?;
    if world
        .ips
        .values()
        .any(|ip| ip.network == network && ip.address == address)
    {
        return Err(Fault::new(
            409,
            format!("IP address {address} is already in use"),
        ));
    }
    Ok((network, address))
}

/// `POST /floatingips` `{"floatingip": {"floating_network_id",
/// "floating_ip_address", "project"}}` → 200 (not 201); charges
/// `cyclades.floating_ip`.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let info = body_dict(&body, "floatingip")?;
    let network = info
        .get("floating_network_id")
        .filter(|v| !v.is_null())
        .map(crate::json::py_str);
    let address = text_attr(info, "floating_ip_address")?.filter(|a| !a.is_empty());
    let project = project_attr(ctx, info)?;
    let (network, address) = plan(world, ctx.user, network, address)?;
    let id = world.allocate_floating_ip(ctx.user, network, address, project, ctx.now)?;
    let ip = &world.ips[&id];
    Ok(ApiResponse::json(
        200,
        &json!({ "floatingip": world.network_ip_json(ip) }),
    ))
}

/// `POST /floatingips/<id>/action` `{"reassign": {"project"}}` → 200;
/// moves the quota to the new project.
pub(crate) fn action(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let (project, _) = reassign_args(ctx)?;
    parse_id(id, "floating IP")?;
    let ip = world.floating_ip(ctx.user, id)?;
    let (ip, old) = (
        ip.id,
        ip.project.clone().unwrap_or_else(|| ctx.user.to_owned()),
    );
    world.quotas.issue(
        ctx.user,
        &[
            (old, Resource::FloatingIp, -1),
            (project.clone(), Resource::FloatingIp, 1),
        ],
    )?;
    if let Some(record) = world.ips.get_mut(&ip) {
        record.project = Some(project);
        record.updated = ctx.now;
    }
    Ok(ApiResponse::empty(200))
}
