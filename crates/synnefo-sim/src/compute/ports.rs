//! Planning the NICs of a new server (`create_instance_ports`): every
//! check first, so that a refused request changes nothing.

use std::net::Ipv4Addr;

use serde_json::Value;
use time::OffsetDateTime;

use super::network::{PortState, mac_for};
use super::seed::PUBLIC_NETWORK;
use super::world::{IdKind, World};
use crate::fault_body::Fault;
use crate::json::py_str;

/// Most NICs per server (`GANETI_MAX_NICS_PER_INSTANCE`).
pub(crate) const MAX_NICS: usize = 8;

/// The address a planned port gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IpPlan {
    /// None (network without an IPv4 subnet).
    None,
    /// One of the user's floating IPs.
    Floating(u64),
    /// A new fixed address.
    Fixed(Ipv4Addr),
}

/// A port to create or reuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PortPlan {
    /// An existing, unattached port of the user.
    Existing(u64),
    /// A new port.
    New {
        /// Network id.
        network: u64,
        /// Its address.
        ip: IpPlan,
    },
}

/// What is already promised to earlier ports of the same request.
#[derive(Default)]
struct Taken {
    floating: Vec<u64>,
    fixed: Vec<Ipv4Addr>,
    ports: Vec<u64>,
}

impl World {
    /// Plans the ports of a new server: `None` = the default (one port on
    /// the public network with a fixed address), else the request's list.
    pub(crate) fn plan_ports(
        &self,
        user: &str,
        networks: Option<&Vec<Value>>,
    ) -> Result<Vec<PortPlan>, Fault> {
        let mut taken = Taken::default();
        let plans = match networks {
            None => {
                let address = self
                    .free_address(PUBLIC_NETWORK, &[])
                    .ok_or_else(|| Fault::new(409, "Cannot allocate a public IP address."))?;
                vec![PortPlan::New {
                    network: PUBLIC_NETWORK,
                    ip: IpPlan::Fixed(address),
                }]
            }
            Some(items) => items
                .iter()
                .map(|item| self.plan_port(user, item, &mut taken))
                .collect::<Result<Vec<_>, Fault>>()?,
        };
        if plans.len() > MAX_NICS {
            return Err(Fault::bad_request("Maximum ports per server limit reached"));
        }
        Ok(plans)
    }

    /// One item of `networks`: `{"port": id}` or `{"uuid": id[, "fixed_ip"]}`.
    fn plan_port(&self, user: &str, item: &Value, taken: &mut Taken) -> Result<PortPlan, Fault> {
        let Value::Object(item) = item else {
            return Err(Fault::bad_request(
                "Malformed request. Invalid 'networks' field",
            ));
        };
        if let Some(port) = item.get("port").filter(|v| !v.is_null()) {
            let text = py_str(port);
            let id: u64 = text
                .parse()
                .map_err(|_| Fault::bad_request(format!("Invalid port ID '{text}'")))?;
            let port = self
                .ports
                .get(&id)
                .filter(|p| p.user == user)
                .ok_or_else(|| Fault::item_not_found(format!("Port '{id}' not found.")))?;
            if port.machine.is_some() || taken.ports.contains(&id) {
                return Err(Fault::new(409, format!("Port {id} is already in use.")));
            }
            taken.ports.push(id);
            return Ok(PortPlan::Existing(id));
        }
        let Some(uuid) = item.get("uuid").filter(|v| !v.is_null()) else {
            return Err(Fault::bad_request(
                "Network 'uuid' or 'port' attribute is required.",
            ));
        };
        let network = self.get_network(user, &py_str(uuid))?;
        if network.deleted {
            return Err(Fault::bad_request("Network has been deleted."));
        }
        let id = network.id;
        if network.public {
            if network.subnet4.is_none() {
                return Err(Fault::new(
                    403,
                    format!("Cannot connect to IPv6 only public network '{id}'"),
                ));
            }
            let floating = match item.get("fixed_ip") {
                None => self
                    .ips
                    .values()
                    .find(|ip| {
                        ip.floating
                            && ip.user == user
                            && ip.network == id
                            && ip.port.is_none()
                            && !taken.floating.contains(&ip.id)
                    })
                    .map(|ip| ip.id)
                    .ok_or_else(|| {
                        Fault::new(
                            409,
                            format!(
                                "Cannot find an unused floating IP to connect server to network '{id}'. Please create a floating IP."
                            ),
                        )
                    })?,
                Some(Value::Null) => {
                    return Err(Fault::bad_request("Cannot connect to public network"));
                }
                Some(address) => {
                    let address = py_str(address);
                    let ip = self.floating_ip_by_address(user, &address)?;
                    let record = &self.ips[&ip];
                    if record.network != id {
                        return Err(Fault::new(
                            409,
                            format!("IP Address {address} does not belong to network {id}"),
                        ));
                    }
                    if record.port.is_some() || taken.floating.contains(&ip) {
                        return Err(Fault::new(
                            409,
                            format!("IP address '{address}' is already in use"),
                        ));
                    }
                    ip
                }
            };
            taken.floating.push(floating);
            return Ok(PortPlan::New {
                network: id,
                ip: IpPlan::Floating(floating),
            });
        }
        let wanted = item.get("fixed_ip").filter(|v| !v.is_null()).map(py_str);
        if network.subnet4.is_none() {
            if let Some(address) = wanted {
                return Err(Fault::bad_request(format!(
                    "Address {address} is not a valid IP for the defined network subnets"
                )));
            }
            return Ok(PortPlan::New {
                network: id,
                ip: IpPlan::None,
            });
        }
        let address = match wanted {
            None => self.free_address(id, &taken.fixed).ok_or_else(|| {
                Fault::new(
                    409,
                    format!("No more IP addresses available on network {id}"),
                )
            })?,
            Some(text) => {
                let invalid = || {
                    Fault::bad_request(format!("Address {text} does not belong to network {id}"))
                };
                let address: Ipv4Addr = text.parse().map_err(|_| invalid())?;
                let subnet = network.subnet4.as_ref().ok_or_else(invalid)?;
                if !subnet.in_pool(address) {
                    return Err(invalid());
                }
                let used = taken.fixed.contains(&address)
                    || self
                        .ips
                        .values()
                        .any(|ip| ip.network == id && ip.address == address);
                if used {
                    return Err(Fault::new(
                        409,
                        format!("IP address {address} is already used."),
                    ));
                }
                address
            }
        };
        taken.fixed.push(address);
        Ok(PortPlan::New {
            network: id,
            ip: IpPlan::Fixed(address),
        })
    }

    /// Creates (or attaches) the planned ports of server `machine`, in state
    /// `BUILD`.
    pub(crate) fn apply_ports(
        &mut self,
        user: &str,
        machine: u64,
        plans: Vec<PortPlan>,
        now: OffsetDateTime,
    ) {
        for plan in plans {
            match plan {
                PortPlan::Existing(id) => {
                    if let Some(port) = self.ports.get_mut(&id) {
                        port.machine = Some(machine);
                        port.state = PortState::Build;
                        port.updated = now;
                    }
                }
                PortPlan::New { network, ip } => {
                    let port = self.new_port(user, network, Some(machine), now);
                    let ip = match ip {
                        IpPlan::None => None,
                        IpPlan::Floating(ip) => Some(ip),
                        IpPlan::Fixed(address) => {
                            Some(self.add_ip(network, address, user, false, None, now))
                        }
                    };
                    if let Some(ip) = ip.and_then(|ip| self.ips.get_mut(&ip)) {
                        ip.port = Some(port);
                        ip.updated = now;
                    }
                }
            }
        }
    }

    /// A new port in state `BUILD`, attached to `machine`.
    pub(crate) fn new_port(
        &mut self,
        user: &str,
        network: u64,
        machine: Option<u64>,
        now: OffsetDateTime,
    ) -> u64 {
        let id = self.ids.next(IdKind::Port);
        self.ports.insert(
            id,
            super::network::Port {
                id,
                name: String::new(),
                network,
                machine,
                user: user.to_owned(),
                state: if machine.is_some() {
                    PortState::Build
                } else {
                    PortState::Down
                },
                mac: mac_for(id),
                firewall: None,
                security_groups: Vec::new(),
                created: now,
                updated: now,
            },
        );
        id
    }
}
