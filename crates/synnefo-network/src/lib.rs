//! OpenStack Network v2 client for Synnefo clouds: networks, subnets, ports
//! and floating IPs.
//!
//! [`NetworkClient`] (catalog type `network`) covers kamaki's
//! `NetworkRestClient`, `NetworkClient` and `CycladesNetworkClient`:
//!
//! - networks ([`Network`]) with Synnefo's types ([`NetworkType`]) and
//!   project reassignment;
//! - subnets ([`Subnet`]) with their allocation pools and gateway
//!   ([`Gateway`]);
//! - ports ([`Port`]) and waits on their status, built on
//!   [`synnefo_core::wait_for`] (a timeout is an
//!   [`synnefo_core::Error::WaitTimeout`], not the last state);
//! - floating IPs ([`FloatingIp`]) and their reassignment;
//! - batch creates of networks, subnets and ports, checked before any
//!   request as kamaki does (without changing the caller's values);
//! - the raw calls of every collection ([`NetworkClient::raw_request`]).
//!
//! As everywhere in synnefo-rs, each operation comes in two halves:
//! `<operation>_request` builds the request as data, `<operation>` sends
//! it.
//!
//! ```no_run
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_astakos::Cloud;
//! use synnefo_core::{ClientConfig, HttpClient, Token, WaitOptions};
//! use synnefo_network::{CreateFloatingIp, CreatePort, NetworkClient, PortAddress};
//!
//! let http = HttpClient::new(ClientConfig::default())?;
//! let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
//! let network: NetworkClient = cloud.client()?;
//! // A floating IP, attached to server 42 through a port.
//! let ip = network.create_floatingip(&CreateFloatingIp::default()).await?;
//! let mut port = CreatePort::new(ip.floating_network_id.clone().unwrap_or_default());
//! port.device_id = Some("42".into());
//! port.fixed_ips.push(PortAddress::new(ip.floating_ip_address.clone().unwrap_or_default()));
//! let port = network.create_port(&port).await?;
//! network.wait_port_until(&port.id, "ACTIVE", &WaitOptions::default()).await?;
//! # Ok(()) }
//! ```

mod client;
mod floating_ips;
mod models;
mod networks;
mod params;
mod ports;
mod raw;
mod subnets;
#[cfg(test)]
mod testing;

pub use client::NetworkClient;
pub use models::{AllocationPool, FixedIp, FloatingIp, Link, Network, NetworkType, Port, Subnet};
pub use params::{
    CreateFloatingIp, CreateNetwork, CreatePort, CreateSubnet, Gateway, PortAddress,
    UpdateFloatingIp, UpdateNetwork, UpdatePort, UpdateSubnet,
};
pub use raw::Collection;
