//! Networks, subnets, ports and floating IPs as the network API shows
//! them. Ids are strings on the wire (wire reference §4); every field but
//! the id is optional so that a cloud sending less still decodes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;
use synnefo_core::lenient;

/// A link to a resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The relation: `self`, `bookmark`.
    #[serde(default)]
    pub rel: Option<String>,
    /// The URL.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub href: String,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// The network id (an integer rendered as a string).
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// `ACTIVE`, `PENDING`, `ERROR`, `DELETED` or `SNF:DRAINED`.
    #[serde(default)]
    pub status: Option<String>,
    /// Synnefo's network type (`MAC_FILTERED`, …).
    #[serde(rename = "type", default)]
    pub network_type: Option<String>,
    /// The owner's UUID (`null` for public networks).
    #[serde(default)]
    pub user_id: Option<String>,
    /// The project it is charged to.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub tenant_id: Option<String>,
    /// Whether it is shared with the members of its project.
    #[serde(default)]
    pub shared_to_project: Option<bool>,
    /// Whether it is public (the Internet).
    #[serde(default)]
    pub public: Option<bool>,
    /// Neutron's `shared` (the same as `public` in Synnefo).
    #[serde(default)]
    pub shared: Option<bool>,
    /// Neutron's `router:external`.
    #[serde(rename = "router:external", default)]
    pub router_external: Option<bool>,
    /// Always `true` in Synnefo.
    #[serde(default)]
    pub admin_state_up: Option<bool>,
    /// The ids of its subnets.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub subnets: Vec<String>,
    /// Whether floating IPs are allocated from it.
    #[serde(rename = "SNF:floating_ip_pool", default)]
    pub floating_ip_pool: Option<bool>,
    /// Whether it is deleted.
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Creation time, ISO 8601.
    #[serde(default)]
    pub created: Option<String>,
    /// Last change, ISO 8601.
    #[serde(default)]
    pub updated: Option<String>,
    /// Links to the network.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A range of addresses a subnet hands out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationPool {
    /// The first address.
    #[serde(deserialize_with = "lenient::string")]
    pub start: String,
    /// The last address.
    #[serde(deserialize_with = "lenient::string")]
    pub end: String,
}

impl AllocationPool {
    /// The pool from `start` to `end`.
    pub fn new(start: impl Into<String>, end: impl Into<String>) -> Self {
        AllocationPool {
            start: start.into(),
            end: end.into(),
        }
    }
}

/// A subnet of a network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Subnet {
    /// The subnet id.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The network it belongs to.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub network_id: Option<String>,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The address range, e.g. `10.0.0.0/24`.
    #[serde(default)]
    pub cidr: Option<String>,
    /// 4 or 6.
    #[serde(default, deserialize_with = "lenient::opt_integer")]
    pub ip_version: Option<u64>,
    /// The gateway (`None` for none).
    #[serde(default)]
    pub gateway_ip: Option<String>,
    /// Whether DHCP is on.
    #[serde(default)]
    pub enable_dhcp: Option<bool>,
    /// The address ranges handed out.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub allocation_pools: Vec<AllocationPool>,
    /// DNS servers.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub dns_nameservers: Vec<Value>,
    /// Static routes.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub host_routes: Vec<Value>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The owner, as a project.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Whether it belongs to a public network.
    #[serde(default)]
    pub public: Option<bool>,
    /// Whether it is deleted.
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Links to the subnet.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above (`enable_slaac` of IPv6 subnets…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An address of a port.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FixedIp {
    /// The address.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// The subnet it belongs to (Synnefo's `subnet`, Neutron's `subnet_id`).
    #[serde(default, alias = "subnet_id", deserialize_with = "lenient::opt_string")]
    pub subnet: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A port: a network interface on a network, maybe of a server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Port {
    /// The port id.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// The network it is on.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub network_id: Option<String>,
    /// `ACTIVE`, `BUILD`, `DOWN` or `ERROR`.
    #[serde(default)]
    pub status: Option<String>,
    /// The server it belongs to.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub device_id: Option<String>,
    /// What owns it (`vm`…).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub device_owner: Option<String>,
    /// The MAC address.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// Its addresses.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub fixed_ips: Vec<FixedIp>,
    /// Security group ids.
    #[serde(default, deserialize_with = "lenient::string_list")]
    pub security_groups: Vec<String>,
    /// Always `true` in Synnefo.
    #[serde(default)]
    pub admin_state_up: Option<bool>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The owner, as a project.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Creation time, ISO 8601.
    #[serde(default)]
    pub created: Option<String>,
    /// Last change, ISO 8601.
    #[serde(default)]
    pub updated: Option<String>,
    /// Links to the port.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A floating IP: a public address the user holds and may attach to a
/// server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloatingIp {
    /// The floating IP id.
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The address.
    #[serde(default)]
    pub floating_ip_address: Option<String>,
    /// The network it was allocated from.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub floating_network_id: Option<String>,
    /// The fixed address it maps to (`null` in Synnefo).
    #[serde(default)]
    pub fixed_ip_address: Option<String>,
    /// The port using it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub port_id: Option<String>,
    /// The server using it.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub instance_id: Option<String>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The project it is charged to.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub tenant_id: Option<String>,
    /// Whether it is shared with the members of its project.
    #[serde(default)]
    pub shared_to_project: Option<bool>,
    /// Whether it is deleted.
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Synnefo's network types (kamaki `CycladesNetworkClient.network_types`).
/// Synnefo lets users create only the types its administrator enabled
/// (`MAC_FILTERED` by default; the others are refused with `403`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NetworkType {
    /// `CUSTOM`.
    Custom,
    /// `MAC_FILTERED`: a private network isolated by MAC prefix.
    MacFiltered,
    /// `IP_LESS_ROUTED`.
    IpLessRouted,
    /// `PHYSICAL_VLAN`.
    PhysicalVlan,
}

impl NetworkType {
    /// Every type, in kamaki's order.
    pub const ALL: [NetworkType; 4] = [
        NetworkType::Custom,
        NetworkType::MacFiltered,
        NetworkType::IpLessRouted,
        NetworkType::PhysicalVlan,
    ];

    /// The wire name, e.g. `MAC_FILTERED`.
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkType::Custom => "CUSTOM",
            NetworkType::MacFiltered => "MAC_FILTERED",
            NetworkType::IpLessRouted => "IP_LESS_ROUTED",
            NetworkType::PhysicalVlan => "PHYSICAL_VLAN",
        }
    }
}

impl fmt::Display for NetworkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NetworkType {
    type Err = String;

    /// Parses a wire name, without regard to case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NetworkType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown network type {s:?}: use CUSTOM, MAC_FILTERED, IP_LESS_ROUTED or PHYSICAL_VLAN")
            })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_what_synnefo_sends() {
        let network: Network = serde_json::from_value(json!({
            "id": 7, "name": null, "type": "MAC_FILTERED", "subnets": [3],
            "SNF:floating_ip_pool": false, "router:external": false, "color": "blue"
        }))
        .unwrap();
        assert_eq!(network.id, "7");
        assert_eq!(network.name, None);
        assert_eq!(network.subnets, vec!["3".to_owned()]);
        assert_eq!(network.network_type.as_deref(), Some("MAC_FILTERED"));
        assert_eq!(network.extra["color"], "blue");
        let port: Port = serde_json::from_value(json!({
            "id": "9", "device_id": 12, "fixed_ips": [{"ip_address": "10.0.0.2", "subnet": 3}],
            "security_groups": null
        }))
        .unwrap();
        assert_eq!(port.device_id.as_deref(), Some("12"));
        assert_eq!(port.fixed_ips[0].subnet.as_deref(), Some("3"));
        assert!(port.security_groups.is_empty());
        let ip: FloatingIp =
            serde_json::from_value(json!({"id": 4, "port_id": null, "instance_id": "12"})).unwrap();
        assert_eq!((ip.id.as_str(), ip.port_id), ("4", None));
    }

    #[test]
    fn network_types_round_trip() {
        for t in NetworkType::ALL {
            assert_eq!(t.as_str().parse::<NetworkType>().unwrap(), t);
        }
        assert_eq!(
            "mac_filtered".parse::<NetworkType>().unwrap(),
            NetworkType::MacFiltered
        );
        assert!(
            "VLAN"
                .parse::<NetworkType>()
                .unwrap_err()
                .contains("CUSTOM")
        );
    }
}
