//! Networks, their subnets, ports (server NICs) and IP addresses: the
//! records compute and the network API (`crate::network`) share.

use std::net::Ipv4Addr;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::world::{IdKind, World};
use crate::fault_body::Fault;

/// An IPv4 subnet with its allocation pools.
#[derive(Clone, Debug)]
pub(crate) struct Subnet4 {
    /// Integer id (a string in API bodies).
    pub(crate) id: u64,
    /// Name.
    pub(crate) name: String,
    /// The network address.
    pub(crate) address: Ipv4Addr,
    /// The prefix length.
    pub(crate) prefix: u8,
    /// Gateway.
    pub(crate) gateway: Option<Ipv4Addr>,
    /// Allocation pools: (first, last) address.
    pub(crate) pools: Vec<(Ipv4Addr, Ipv4Addr)>,
    /// DHCP enabled.
    pub(crate) dhcp: bool,
}

impl Subnet4 {
    /// Whether `address` lies in one of the pools.
    pub(crate) fn in_pool(&self, address: Ipv4Addr) -> bool {
        let a = u32::from(address);
        self.pools
            .iter()
            .any(|(start, end)| (u32::from(*start)..=u32::from(*end)).contains(&a))
    }

    /// Every pool address, in order.
    pub(crate) fn pool_addresses(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.pools
            .iter()
            .flat_map(|(start, end)| (u32::from(*start)..=u32::from(*end)).map(Ipv4Addr::from))
    }
}

/// An IPv6 subnet (addresses are not handed out from it).
#[derive(Clone, Debug)]
pub(crate) struct Subnet6 {
    /// Integer id.
    pub(crate) id: u64,
    /// Name.
    pub(crate) name: String,
    /// The CIDR as given (a /64).
    pub(crate) cidr: String,
    /// Gateway.
    pub(crate) gateway: Option<String>,
    /// DHCP enabled.
    pub(crate) dhcp: bool,
    /// SLAAC enabled.
    pub(crate) slaac: bool,
}

/// A network.
#[derive(Clone, Debug)]
pub(crate) struct Network {
    /// Integer id (a string in API bodies).
    pub(crate) id: u64,
    /// Name.
    pub(crate) name: String,
    /// Synnefo's network type (`MAC_FILTERED`…).
    pub(crate) flavor: String,
    /// Owner (`None` for public networks).
    pub(crate) user: Option<String>,
    /// Project charged (`None` for public networks).
    pub(crate) project: Option<String>,
    /// Shared with the members of its project.
    pub(crate) shared_to_project: bool,
    /// Public (Internet) network.
    pub(crate) public: bool,
    /// Floating IPs may be allocated from it.
    pub(crate) floating_ip_pool: bool,
    /// Its IPv4 subnet.
    pub(crate) subnet4: Option<Subnet4>,
    /// Its IPv6 subnet.
    pub(crate) subnet6: Option<Subnet6>,
    /// Deleted flag.
    pub(crate) deleted: bool,
    /// Creation time.
    pub(crate) created: OffsetDateTime,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
}

impl Network {
    /// Whether `user` can see it.
    pub(crate) fn visible_to(&self, user: &str) -> bool {
        self.public || self.user.as_deref() == Some(user)
    }
}

/// State of a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PortState {
    /// Being attached.
    Build,
    /// Attached.
    Active,
    /// Not attached.
    Down,
    /// Failed.
    Error,
}

/// A port: a NIC of a server on a network.
#[derive(Clone, Debug)]
pub(crate) struct Port {
    /// Integer id.
    pub(crate) id: u64,
    /// Name.
    pub(crate) name: String,
    /// Network id.
    pub(crate) network: u64,
    /// The server it is attached to.
    pub(crate) machine: Option<u64>,
    /// Owner UUID.
    pub(crate) user: String,
    /// State.
    pub(crate) state: PortState,
    /// MAC address.
    pub(crate) mac: String,
    /// Firewall profile, once set.
    pub(crate) firewall: Option<String>,
    /// Security group ids.
    pub(crate) security_groups: Vec<String>,
    /// Creation time.
    pub(crate) created: OffsetDateTime,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
}

/// An IPv4 address taken from a network's pool.
#[derive(Clone, Debug)]
pub(crate) struct IpAddress {
    /// Integer id.
    pub(crate) id: u64,
    /// Network id.
    pub(crate) network: u64,
    /// The address.
    pub(crate) address: Ipv4Addr,
    /// Owner UUID.
    pub(crate) user: String,
    /// Project charged (floating IPs only).
    pub(crate) project: Option<String>,
    /// A floating IP (allocated by the user) rather than a fixed one.
    pub(crate) floating: bool,
    /// The port using it.
    pub(crate) port: Option<u64>,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
}

/// The MAC address of a port: `aa:00:00` and 24 bits of the port id.
pub(crate) fn mac_for(port: u64) -> String {
    let b = port.to_be_bytes();
    format!("aa:00:00:{:02x}:{:02x}:{:02x}", b[5], b[6], b[7])
}

impl World {
    /// `util.get_network`: an integer id (400), visible to `user` (404).
    pub(crate) fn get_network(&self, user: &str, id: &str) -> Result<&Network, Fault> {
        let parsed: u64 = id
            .trim()
            .parse()
            .map_err(|_| Fault::bad_request(format!("Invalid network ID '{id}'")))?;
        self.networks
            .get(&parsed)
            .filter(|n| n.visible_to(user))
            .ok_or_else(|| Fault::item_not_found(format!("Network {parsed} not found.")))
    }

    /// A free address of a network's pool, skipping `taken` as well.
    pub(crate) fn free_address(&self, network: u64, taken: &[Ipv4Addr]) -> Option<Ipv4Addr> {
        let subnet = self.networks.get(&network)?.subnet4.as_ref()?;
        let used: Vec<Ipv4Addr> = self
            .ips
            .values()
            .filter(|ip| ip.network == network)
            .map(|ip| ip.address)
            .collect();
        subnet
            .pool_addresses()
            .find(|a| Some(*a) != subnet.gateway && !used.contains(a) && !taken.contains(a))
    }

    /// Records a new address.
    pub(crate) fn add_ip(
        &mut self,
        network: u64,
        address: Ipv4Addr,
        user: &str,
        floating: bool,
        project: Option<String>,
        now: OffsetDateTime,
    ) -> u64 {
        let id = self.ids.next(IdKind::Ip);
        self.ips.insert(
            id,
            IpAddress {
                id,
                network,
                address,
                user: user.to_owned(),
                project,
                floating,
                port: None,
                updated: now,
            },
        );
        id
    }

    /// A floating IP of `user` by address (404 otherwise).
    pub(crate) fn floating_ip_by_address(&self, user: &str, address: &str) -> Result<u64, Fault> {
        self.ips
            .values()
            .find(|ip| ip.floating && ip.user == user && ip.address.to_string() == address)
            .map(|ip| ip.id)
            .ok_or_else(|| Fault::item_not_found("Floating IP does not exist."))
    }

    /// Removes a port, releasing its fixed address and detaching its
    /// floating one.
    pub(crate) fn remove_port(&mut self, port: u64, now: OffsetDateTime) {
        self.ports.remove(&port);
        self.ips
            .retain(|_, ip| ip.port != Some(port) || ip.floating);
        for ip in self.ips.values_mut().filter(|ip| ip.port == Some(port)) {
            ip.port = None;
            ip.updated = now;
        }
    }

    /// The IPv4 address of a port, if any.
    pub(crate) fn port_ip(&self, port: u64) -> Option<&IpAddress> {
        self.ips.values().find(|ip| ip.port == Some(port))
    }

    /// A port as the server's `attachments` list shows it.
    pub(crate) fn nic_json(&self, port: &Port) -> Value {
        let mut nic = json!({
            "id": port.id,
            "network_id": port.network.to_string(),
            "mac_address": port.mac,
            "ipv4": "",
            "ipv6": "",
        });
        if let Some(profile) = &port.firewall {
            nic["firewallProfile"] = json!(profile);
        }
        if let Some(ip) = self.port_ip(port.id) {
            nic["ipv4"] = json!(ip.address.to_string());
            nic["OS-EXT-IPS:type"] = json!(if ip.floating { "floating" } else { "fixed" });
        }
        nic
    }
}

/// `addresses` derived from `attachments`: per network, its addresses.
pub(crate) fn addresses(attachments: &[Value]) -> Value {
    let mut map = serde_json::Map::new();
    for nic in attachments {
        let mut list = Vec::new();
        for (key, version) in [("ipv4", 4), ("ipv6", 6)] {
            if let Some(addr) = nic[key].as_str().filter(|a| !a.is_empty()) {
                list.push(json!({
                    "version": version,
                    "addr": addr,
                    "OS-EXT-IPS:type": nic["OS-EXT-IPS:type"],
                }));
            }
        }
        if let Some(network) = nic["network_id"].as_str() {
            map.insert(network.to_owned(), Value::Array(list));
        }
    }
    Value::Object(map)
}
