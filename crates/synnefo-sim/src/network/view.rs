//! The network API's JSON shapes of networks, subnets and ports (wire
//! §4.1–§4.3); floating IPs use compute's `network_ip_json`.

use serde_json::{Value, json};

use crate::compute::Urls;
use crate::compute::links;
use crate::compute::network::{Network, Port, PortState};
use crate::compute::world::World;
use crate::dates::isoformat;

/// The status name of a port.
pub(crate) fn port_status(state: PortState) -> &'static str {
    match state {
        PortState::Build => "BUILD",
        PortState::Active => "ACTIVE",
        PortState::Down => "DOWN",
        PortState::Error => "ERROR",
    }
}

/// The ids of a network's subnets, as strings.
fn subnet_ids(network: &Network) -> Vec<String> {
    let v4 = network.subnet4.as_ref().map(|s| s.id);
    let v6 = network.subnet6.as_ref().map(|s| s.id);
    v4.into_iter().chain(v6).map(|id| id.to_string()).collect()
}

/// A network object.
pub(crate) fn network_json(network: &Network, urls: &Urls) -> Value {
    json!({
        "id": network.id.to_string(),
        "name": network.name,
        "links": links(&urls.network_item("networks", network.id)),
        "user_id": network.user,
        "tenant_id": network.project,
        "shared_to_project": network.shared_to_project,
        "type": network.flavor,
        "created": isoformat(network.created),
        "updated": isoformat(network.updated),
        "status": if network.deleted { "DELETED" } else { "ACTIVE" },
        "public": network.public,
        "shared": network.public,
        "router:external": network.public,
        "admin_state_up": true,
        "subnets": subnet_ids(network),
        "SNF:floating_ip_pool": network.floating_ip_pool,
        "deleted": network.deleted,
    })
}

/// The subnet objects of a network (IPv4 first).
pub(crate) fn subnets_json(network: &Network, urls: &Urls) -> Vec<Value> {
    let mut list = Vec::new();
    let owner = &network.user;
    if let Some(subnet) = &network.subnet4 {
        let pools: Vec<Value> = subnet
            .pools
            .iter()
            .map(|(start, end)| json!({"start": start.to_string(), "end": end.to_string()}))
            .collect();
        list.push(json!({
            "id": subnet.id.to_string(),
            "network_id": network.id.to_string(),
            "name": subnet.name,
            "tenant_id": owner,
            "user_id": owner,
            "public": network.public,
            "gateway_ip": subnet.gateway.map(|g| g.to_string()),
            "ip_version": 4,
            "cidr": format!("{}/{}", subnet.address, subnet.prefix),
            "enable_dhcp": subnet.dhcp,
            "dns_nameservers": [],
            "host_routes": [],
            "allocation_pools": pools,
            "deleted": network.deleted,
            "links": links(&urls.network_item("subnets", subnet.id)),
        }));
    }
    if let Some(subnet) = &network.subnet6 {
        list.push(json!({
            "id": subnet.id.to_string(),
            "network_id": network.id.to_string(),
            "name": subnet.name,
            "tenant_id": owner,
            "user_id": owner,
            "public": network.public,
            "gateway_ip": subnet.gateway,
            "ip_version": 6,
            "cidr": subnet.cidr,
            "enable_dhcp": subnet.dhcp,
            "enable_slaac": subnet.slaac,
            "dns_nameservers": [],
            "host_routes": [],
            "allocation_pools": [],
            "deleted": network.deleted,
            "links": links(&urls.network_item("subnets", subnet.id)),
        }));
    }
    list
}

/// A port object.
pub(crate) fn port_json(world: &World, port: &Port, urls: &Urls) -> Value {
    let subnet = world
        .networks
        .get(&port.network)
        .and_then(|n| n.subnet4.as_ref())
        .map(|s| s.id.to_string());
    let fixed_ips: Vec<Value> = world
        .port_ip(port.id)
        .map(|ip| json!({"ip_address": ip.address.to_string(), "subnet": subnet}))
        .into_iter()
        .collect();
    json!({
        "id": port.id.to_string(),
        "name": port.name,
        "links": links(&urls.network_item("ports", port.id)),
        "user_id": port.user,
        "tenant_id": port.user,
        "device_id": port.machine.map(|m| m.to_string()),
        "admin_state_up": true,
        "mac_address": port.mac,
        "status": port_status(port.state),
        "device_owner": port.machine.map(|_| "vm"),
        "network_id": port.network.to_string(),
        "created": isoformat(port.created),
        "updated": isoformat(port.updated),
        "fixed_ips": fixed_ips,
        "security_groups": port.security_groups,
    })
}
