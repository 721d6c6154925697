//! Floating IPs through compute (wire §3.10): `/os-floating-ips[/<id>]`.

use serde_json::{Value, json};

use super::Ctx;
use super::changes_since::{changes_since, not_modified};
use super::network::IpAddress;
use super::quota::Resource;
use super::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

impl World {
    /// Charges `user`'s `project` one floating IP and records `address` of
    /// `network` as theirs; the new IP's id.
    pub(crate) fn allocate_floating_ip(
        &mut self,
        user: &str,
        network: u64,
        address: std::net::Ipv4Addr,
        project: String,
        now: time::OffsetDateTime,
    ) -> Result<u64, Fault> {
        self.quotas
            .issue(user, &[(project.clone(), Resource::FloatingIp, 1)])?;
        Ok(self.add_ip(network, address, user, true, Some(project), now))
    }

    /// The server using a floating IP, if any.
    fn instance_of(&self, ip: &IpAddress) -> Option<u64> {
        ip.port
            .and_then(|port| self.ports.get(&port))
            .and_then(|port| port.machine)
    }

    /// The compute shape: `{"fixed_ip", "id", "instance_id", "ip", "pool"}`.
    fn compute_ip_json(&self, ip: &IpAddress) -> Value {
        json!({
            "fixed_ip": null,
            "id": ip.id,
            "instance_id": self.instance_of(ip).map(|id| id.to_string()),
            "ip": ip.address.to_string(),
            "pool": null,
        })
    }

    /// The network API shape (`{"floatingip": …}` body member).
    pub(crate) fn network_ip_json(&self, ip: &IpAddress) -> Value {
        json!({
            "fixed_ip_address": null,
            "id": ip.id.to_string(),
            "instance_id": self.instance_of(ip).map(|id| id.to_string()),
            "floating_ip_address": ip.address.to_string(),
            "port_id": ip.port.map(|port| port.to_string()),
            "floating_network_id": ip.network.to_string(),
            "user_id": ip.user,
            "tenant_id": ip.project,
            "shared_to_project": false,
            "deleted": false,
        })
    }

    /// A floating IP of `user` by the id in a URL.
    pub(crate) fn floating_ip(&self, user: &str, id: &str) -> Result<&IpAddress, Fault> {
        let parsed: u64 = id
            .parse()
            .map_err(|_| Fault::bad_request(format!("Invalid Floating IP ID {id}")))?;
        self.ips
            .get(&parsed)
            .filter(|ip| ip.floating && ip.user == user)
            .ok_or_else(|| {
                Fault::item_not_found(format!("Floating IP with ID {parsed} does not exist."))
            })
    }
}

/// `GET /os-floating-ips` (with `changes-since`).
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let ips: Vec<Value> = world
        .ips
        .values()
        .filter(|ip| ip.floating && ip.user == ctx.user)
        .filter(|ip| since.is_none_or(|t| ip.updated >= t))
        .map(|ip| world.compute_ip_json(ip))
        .collect();
    if since.is_some() && ips.is_empty() {
        return Err(not_modified());
    }
    Ok(ApiResponse::json(200, &json!({ "floating_ips": ips })))
}

/// `POST /os-floating-ips` (body ignored): an address from any public
/// floating IP pool → 200; 409 when none is left; charges
/// `cyclades.floating_ip`.
pub(crate) fn allocate(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let pools: Vec<u64> = world
        .networks
        .values()
        .filter(|n| n.public && n.floating_ip_pool && !n.deleted)
        .map(|n| n.id)
        .collect();
    let (network, address) = pools
        .iter()
        .find_map(|&n| world.free_address(n, &[]).map(|a| (n, a)))
        .ok_or_else(|| Fault::new(409, "Cannot allocate a floating IP address."))?;
    let id =
        world.allocate_floating_ip(ctx.user, network, address, ctx.user.to_owned(), ctx.now)?;
    let ip = &world.ips[&id];
    Ok(ApiResponse::json(
        200,
        &json!({ "floating_ip": world.compute_ip_json(ip) }),
    ))
}

/// `GET /os-floating-ips/<id>`: the network API shape (`floatingip`).
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let ip = world.floating_ip(ctx.user, id)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "floatingip": world.network_ip_json(ip) }),
    ))
}

/// `DELETE /os-floating-ips/<id>` → 204; 409 while attached.
pub(crate) fn release(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let ip = world.floating_ip(ctx.user, id)?;
    if let Some(port) = ip.port {
        let message = match world.instance_of(ip) {
            Some(server) => format!("IP '{}' is used by server '{server}'", ip.id),
            None => format!("IP '{}' is used by port '{port}'", ip.id),
        };
        return Err(Fault::new(409, message));
    }
    let (ip, project) = (ip.id, ip.project.clone().unwrap_or_default());
    world
        .quotas
        .issue(ctx.user, &[(project, Resource::FloatingIp, -1)])?;
    world.ips.remove(&ip);
    Ok(ApiResponse::empty(204))
}
