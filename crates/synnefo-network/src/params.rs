//! The bodies of create and update calls, and the checks kamaki makes on
//! batch creates before any request (kamaki raised `ValueError`; here a
//! [`synnefo_core::Error::Config`]). Unlike kamaki, nothing here changes
//! the caller's values (reference §6.3 item 24).

use crate::models::{AllocationPool, NetworkType};
use serde_json::{Map, Value, json};
use synnefo_core::{Error, Result};

/// Inserts `value` under `key` when it is set.
fn put<T: Into<Value>>(object: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), value.into());
    }
}

/// Inserts a list of strings under `key` when it is set.
fn put_list(object: &mut Map<String, Value>, key: &str, list: Option<&Vec<String>>) {
    if let Some(list) = list {
        object.insert(key.to_owned(), json!(list));
    }
}

/// The body of a network create (kamaki `create_network`, both the
/// Neutron and the Cyclades form).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateNetwork {
    /// Synnefo's network type (`type`); Synnefo requires it.
    pub network_type: Option<NetworkType>,
    /// The name (at most 128 characters in Synnefo).
    pub name: Option<String>,
    /// Neutron's `admin_state_up` ([`CreateNetwork::new`] sets `true`, as
    /// kamaki's Cyclades client always sends).
    pub admin_state_up: Option<bool>,
    /// Neutron's `shared`.
    pub shared: Option<bool>,
    /// The project to charge (`project`).
    pub project: Option<String>,
    /// Whether the project's members see it (`shared_to_project`).
    pub shared_to_project: Option<bool>,
}

impl CreateNetwork {
    /// A network of type `network_type`, with `admin_state_up: true`.
    pub fn new(network_type: NetworkType) -> Self {
        CreateNetwork {
            network_type: Some(network_type),
            admin_state_up: Some(true),
            ..CreateNetwork::default()
        }
    }

    /// The `network` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        put(
            &mut object,
            "type",
            self.network_type.map(|t| t.as_str().to_owned()),
        );
        put(&mut object, "name", self.name.clone());
        put(&mut object, "admin_state_up", self.admin_state_up);
        put(&mut object, "shared", self.shared);
        put(&mut object, "project", self.project.clone());
        put(&mut object, "shared_to_project", self.shared_to_project);
        Value::Object(object)
    }
}

/// The body of a network update (kamaki `update_network`); Synnefo
/// changes only the name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdateNetwork {
    /// A new name.
    pub name: Option<String>,
    /// Neutron's `admin_state_up`.
    pub admin_state_up: Option<bool>,
    /// Neutron's `shared`.
    pub shared: Option<bool>,
}

impl UpdateNetwork {
    /// An update of the name only.
    pub fn name(name: impl Into<String>) -> Self {
        UpdateNetwork {
            name: Some(name.into()),
            ..UpdateNetwork::default()
        }
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self == &UpdateNetwork::default()
    }

    /// The `network` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        put(&mut object, "name", self.name.clone());
        put(&mut object, "admin_state_up", self.admin_state_up);
        put(&mut object, "shared", self.shared);
        Value::Object(object)
    }
}

/// The gateway of a subnet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Gateway {
    /// Not sent: the server's default (the first host of the CIDR).
    #[default]
    Default,
    /// `"gateway_ip": null`: no gateway (kamaki's `gateway_ip=''`).
    Disabled,
    /// This address.
    Address(String),
}

impl Gateway {
    fn put(&self, object: &mut Map<String, Value>) {
        match self {
            Gateway::Default => {}
            Gateway::Disabled => {
                object.insert("gateway_ip".into(), Value::Null);
            }
            Gateway::Address(ip) => {
                object.insert("gateway_ip".into(), json!(ip));
            }
        }
    }
}

/// The body of a subnet create (kamaki `create_subnet`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateSubnet {
    /// The network (required).
    pub network_id: String,
    /// The address range, e.g. `10.0.0.0/24` (required; Synnefo takes
    /// IPv4 prefixes from /22 to /29 and IPv6 /64 only).
    pub cidr: String,
    /// The name.
    pub name: Option<String>,
    /// IPv6 rather than IPv4 (`ip_version` 6 or 4, always sent).
    pub ipv6: bool,
    /// Address ranges to hand out (sent when not empty).
    pub allocation_pools: Vec<AllocationPool>,
    /// The gateway.
    pub gateway: Gateway,
    /// A chosen subnet id (`id`).
    pub subnet_id: Option<String>,
    /// Whether DHCP is on.
    pub enable_dhcp: Option<bool>,
}

impl CreateSubnet {
    /// An IPv4 subnet `cidr` of `network_id` with the server's defaults.
    pub fn new(network_id: impl Into<String>, cidr: impl Into<String>) -> Self {
        CreateSubnet {
            network_id: network_id.into(),
            cidr: cidr.into(),
            ..CreateSubnet::default()
        }
    }

    /// The `subnet` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        object.insert("network_id".into(), json!(self.network_id));
        object.insert("cidr".into(), json!(self.cidr));
        object.insert("ip_version".into(), json!(if self.ipv6 { 6 } else { 4 }));
        put(&mut object, "name", self.name.clone());
        if !self.allocation_pools.is_empty() {
            object.insert("allocation_pools".into(), pools(&self.allocation_pools));
        }
        self.gateway.put(&mut object);
        put(&mut object, "id", self.subnet_id.clone());
        put(&mut object, "enable_dhcp", self.enable_dhcp);
        Value::Object(object)
    }

    /// kamaki's batch checks: a network id and a CIDR.
    fn check(&self, index: usize) -> Result<()> {
        if self.network_id.trim().is_empty() || self.cidr.trim().is_empty() {
            return Err(Error::Config(format!(
                "subnet {index} of the batch needs a network id and a CIDR"
            )));
        }
        Ok(())
    }
}

/// `[{"start", "end"}, …]`.
fn pools(pools: &[AllocationPool]) -> Value {
    Value::Array(
        pools
            .iter()
            .map(|p| json!({"start": p.start, "end": p.end}))
            .collect(),
    )
}

/// The body of a subnet update (kamaki `update_subnet`); Synnefo accepts
/// exactly `{"subnet": {"name": …}}` and refuses anything else with `400`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdateSubnet {
    /// A new name.
    pub name: Option<String>,
    /// New address ranges.
    pub allocation_pools: Option<Vec<AllocationPool>>,
    /// A new gateway.
    pub gateway: Gateway,
    /// `Some(true)` sends `ip_version` 6, `Some(false)` 4.
    pub ipv6: Option<bool>,
    /// Whether DHCP is on.
    pub enable_dhcp: Option<bool>,
}

impl UpdateSubnet {
    /// An update of the name only.
    pub fn name(name: impl Into<String>) -> Self {
        UpdateSubnet {
            name: Some(name.into()),
            ..UpdateSubnet::default()
        }
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self == &UpdateSubnet::default()
    }

    /// The `subnet` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        put(&mut object, "name", self.name.clone());
        if let Some(list) = &self.allocation_pools {
            object.insert("allocation_pools".into(), pools(list));
        }
        self.gateway.put(&mut object);
        put(
            &mut object,
            "ip_version",
            self.ipv6.map(|v6| if v6 { 6 } else { 4 }),
        );
        put(&mut object, "enable_dhcp", self.enable_dhcp);
        Value::Object(object)
    }
}

/// An address asked for a new port.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortAddress {
    /// The address (for a port on a public network: one of the caller's
    /// floating IPs).
    pub ip_address: String,
    /// The subnet it belongs to.
    pub subnet_id: Option<String>,
}

impl PortAddress {
    /// The address `ip_address`.
    pub fn new(ip_address: impl Into<String>) -> Self {
        PortAddress {
            ip_address: ip_address.into(),
            subnet_id: None,
        }
    }

    fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("ip_address".into(), json!(self.ip_address));
        put(&mut object, "subnet_id", self.subnet_id.clone());
        Value::Object(object)
    }
}

/// The body of a port create (kamaki `create_port`, both forms).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreatePort {
    /// The network (required).
    pub network_id: String,
    /// The server to attach it to (`device_id`); without it the port is
    /// `DOWN`.
    pub device_id: Option<String>,
    /// The name (at most 128 characters in Synnefo).
    pub name: Option<String>,
    /// Its addresses (Synnefo takes at most one IPv4 address).
    pub fixed_ips: Vec<PortAddress>,
    /// Security group ids.
    pub security_groups: Option<Vec<String>>,
    /// Neutron's `status`.
    pub status: Option<String>,
    /// Neutron's `admin_state_up`.
    pub admin_state_up: Option<bool>,
    /// Neutron's `mac_address`.
    pub mac_address: Option<String>,
}

impl CreatePort {
    /// A port on `network_id`, attached to nothing.
    pub fn new(network_id: impl Into<String>) -> Self {
        CreatePort {
            network_id: network_id.into(),
            ..CreatePort::default()
        }
    }

    /// The `port` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        object.insert("network_id".into(), json!(self.network_id));
        put(&mut object, "device_id", self.device_id.clone());
        put(&mut object, "name", self.name.clone());
        put(&mut object, "status", self.status.clone());
        put(&mut object, "admin_state_up", self.admin_state_up);
        put(&mut object, "mac_address", self.mac_address.clone());
        if !self.fixed_ips.is_empty() {
            object.insert(
                "fixed_ips".into(),
                Value::Array(self.fixed_ips.iter().map(PortAddress::to_value).collect()),
            );
        }
        put_list(
            &mut object,
            "security_groups",
            self.security_groups.as_ref(),
        );
        Value::Object(object)
    }

    /// kamaki's checks: a network id, and an address in every fixed IP.
    fn check(&self, index: usize) -> Result<()> {
        if self.network_id.trim().is_empty() {
            return Err(Error::Config(format!(
                "port {index} of the batch needs a network id"
            )));
        }
        if self
            .fixed_ips
            .iter()
            .any(|ip| ip.ip_address.trim().is_empty())
        {
            return Err(Error::Config(format!(
                "port {index}: every fixed IP needs an ip_address"
            )));
        }
        Ok(())
    }
}

/// The body of a port update (kamaki `update_port`); Synnefo changes only
/// the name and the security groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdatePort {
    /// The network (kamaki always sends it; Synnefo ignores it).
    pub network_id: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// New security group ids.
    pub security_groups: Option<Vec<String>>,
    /// Neutron's `status`.
    pub status: Option<String>,
    /// Neutron's `admin_state_up`.
    pub admin_state_up: Option<bool>,
    /// Neutron's `mac_address`.
    pub mac_address: Option<String>,
    /// Neutron's `fixed_ips`.
    pub fixed_ips: Option<Vec<PortAddress>>,
}

impl UpdatePort {
    /// An update of the name only.
    pub fn name(name: impl Into<String>) -> Self {
        UpdatePort {
            name: Some(name.into()),
            ..UpdatePort::default()
        }
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self == &UpdatePort::default()
    }

    /// The `port` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        put(&mut object, "network_id", self.network_id.clone());
        put(&mut object, "name", self.name.clone());
        put(&mut object, "status", self.status.clone());
        put(&mut object, "admin_state_up", self.admin_state_up);
        put(&mut object, "mac_address", self.mac_address.clone());
        if let Some(list) = &self.fixed_ips {
            object.insert(
                "fixed_ips".into(),
                Value::Array(list.iter().map(PortAddress::to_value).collect()),
            );
        }
        put_list(
            &mut object,
            "security_groups",
            self.security_groups.as_ref(),
        );
        Value::Object(object)
    }
}

/// The body of a floating IP create (kamaki `create_floatingip`, both
/// forms). An empty one lets the server pick a public pool.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateFloatingIp {
    /// The network to allocate from.
    pub floating_network_id: Option<String>,
    /// A chosen address.
    pub floating_ip_address: Option<String>,
    /// The project to charge (`project`).
    pub project: Option<String>,
    /// Neutron's `port_id`.
    pub port_id: Option<String>,
    /// Neutron's `fixed_ip_address`.
    pub fixed_ip_address: Option<String>,
}

impl CreateFloatingIp {
    /// The `floatingip` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        put(
            &mut object,
            "floating_network_id",
            self.floating_network_id.clone(),
        );
        put(
            &mut object,
            "floating_ip_address",
            self.floating_ip_address.clone(),
        );
        put(&mut object, "port_id", self.port_id.clone());
        put(
            &mut object,
            "fixed_ip_address",
            self.fixed_ip_address.clone(),
        );
        put(&mut object, "project", self.project.clone());
        Value::Object(object)
    }
}

/// The body of a floating IP update (kamaki `update_floatingip`; Synnefo
/// answers `501`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdateFloatingIp {
    /// A new address.
    pub floating_ip_address: Option<String>,
    /// `Some(Some(id))` attaches to a port, `Some(None)` sends `null` to
    /// detach.
    pub port_id: Option<Option<String>>,
    /// A fixed address.
    pub fixed_ip_address: Option<String>,
}

impl UpdateFloatingIp {
    /// The `floatingip` object.
    pub fn to_object(&self) -> Value {
        let mut object = Map::new();
        put(
            &mut object,
            "floating_ip_address",
            self.floating_ip_address.clone(),
        );
        if let Some(port) = &self.port_id {
            object.insert("port_id".into(), json!(port));
        }
        put(
            &mut object,
            "fixed_ip_address",
            self.fixed_ip_address.clone(),
        );
        Value::Object(object)
    }
}

/// kamaki's checks on a batch of networks: at least one, each named.
pub(crate) fn check_networks(networks: &[CreateNetwork]) -> Result<()> {
    check_not_empty(networks.len(), "networks")?;
    for (index, network) in networks.iter().enumerate() {
        if network.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::Config(format!(
                "network {index} of the batch needs a name"
            )));
        }
    }
    Ok(())
}

/// kamaki's checks on a batch of subnets.
pub(crate) fn check_subnets(subnets: &[CreateSubnet]) -> Result<()> {
    check_not_empty(subnets.len(), "subnets")?;
    subnets
        .iter()
        .enumerate()
        .try_for_each(|(index, subnet)| subnet.check(index))
}

/// kamaki's checks on a batch of ports.
pub(crate) fn check_ports(ports: &[CreatePort]) -> Result<()> {
    check_not_empty(ports.len(), "ports")?;
    ports
        .iter()
        .enumerate()
        .try_for_each(|(index, port)| port.check(index))
}

fn check_not_empty(len: usize, what: &str) -> Result<()> {
    if len == 0 {
        return Err(Error::Config(format!(
            "a batch create needs at least one of the {what}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn gateway_forms() {
        let mut subnet = CreateSubnet::new("1", "10.0.0.0/24");
        assert_eq!(
            subnet.to_object(),
            json!({"network_id": "1", "cidr": "10.0.0.0/24", "ip_version": 4})
        );
        subnet.gateway = Gateway::Disabled;
        assert_eq!(subnet.to_object()["gateway_ip"], Value::Null);
        assert!(
            subnet
                .to_object()
                .as_object()
                .unwrap()
                .contains_key("gateway_ip")
        );
        subnet.gateway = Gateway::Address("10.0.0.9".into());
        assert_eq!(subnet.to_object()["gateway_ip"], "10.0.0.9");
    }

    #[test]
    fn batch_checks() {
        assert!(check_networks(&[]).is_err());
        let unnamed = CreateNetwork::new(NetworkType::MacFiltered);
        let error = check_networks(std::slice::from_ref(&unnamed)).unwrap_err();
        assert!(error.to_string().contains("network 0"), "{error}");
        let named = CreateNetwork {
            name: Some("n".into()),
            ..unnamed
        };
        check_networks(&[named]).unwrap();
        assert!(check_subnets(&[CreateSubnet::new("1", "")]).is_err());
        check_subnets(&[CreateSubnet::new("1", "10.0.0.0/24")]).unwrap();
        let mut port = CreatePort::new("1");
        check_ports(std::slice::from_ref(&port)).unwrap();
        port.fixed_ips.push(PortAddress::new(" "));
        assert!(check_ports(&[port]).is_err());
        assert!(check_ports(&[CreatePort::new("")]).is_err());
    }

    #[test]
    fn detach_sends_null() {
        let update = UpdateFloatingIp {
            port_id: Some(None),
            ..UpdateFloatingIp::default()
        };
        assert_eq!(update.to_object(), json!({"port_id": null}));
        assert_eq!(UpdateFloatingIp::default().to_object(), json!({}));
    }
}
