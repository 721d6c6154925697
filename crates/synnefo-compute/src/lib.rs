//! OpenStack Compute v2 for Synnefo clouds: servers, actions, metadata,
//! addresses, flavors, images through compute, key pairs and floating IPs.
//!
//! [`ComputeClient`] has a counterpart for every method of kamaki's
//! `ComputeRestClient` and `ComputeClient`, with typed answers
//! ([`ServerDetails`], [`Flavor`], [`Image`], [`Keypair`], [`FloatingIp`]…)
//! that keep whatever else the server sends in an `extra` map. Each
//! operation is split in two: `<operation>_request` builds the
//! [`synnefo_core::Request`] as plain data (no I/O, so tests can check its
//! method, path, query and JSON body), and `<operation>` sends it and
//! decodes the answer.
//!
//! Server and flavor ids are integers on the Synnefo wire and `u64` here;
//! answers that carry them as strings decode too. Synnefo's extensions
//! (console, firewall, volume attachments, waits, block storage) live in
//! `synnefo-cyclades`, whose client wraps this one.
//!
//! ```no_run
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_compute::{ComputeClient, ListServers, RebootType};
//! use synnefo_core::{ClientConfig, HttpClient, Token};
//!
//! let http = HttpClient::new(ClientConfig::default())?;
//! let endpoint = http.endpoint(
//!     "https://cyclades.example.org/compute/v2.0",
//!     Some(Token::new("my-token")),
//! )?;
//! let compute = ComputeClient::new(endpoint);
//! for server in compute.list_servers(&ListServers::default()).await? {
//!     println!("{} {}", server.id, server.name);
//! }
//! compute.reboot_server(42, RebootType::Hard).await?;
//! # Ok(()) }
//! ```
//!
//! kamaki bugs not carried over: the five floating-IP helpers (arguments
//! in the wrong positions) implement the OpenStack calls they were meant
//! to; `rebuild_server` works (and reuses the current image when none is
//! given); `rescue_image_ref` goes inside `rescue`; the image metadata
//! `PUT` names its key in the path; query values are encoded once;
//! `os-start`, `os-stop`, `confirmResize` and `revertResize` carry `{}`
//! (kamaki's `null` arguments are refused by Synnefo).

mod actions;
mod base64;
mod client;
mod de;
mod decode;
mod flavors;
mod floating_ips;
mod images;
mod keypairs;
mod models;
mod params;
mod servers;
#[cfg(test)]
mod testing;

pub use client::ComputeClient;
pub use models::{
    Address, Console, Diagnostic, Flavor, FlavorRef, FloatingIp, FloatingIpPool, Image, ImageRef,
    Keypair, Limits, Link, Metadata, Nic, PortForwarding, SecurityGroup, Server, ServerDetails,
    ServerNics, ServerStatus,
};
pub use params::{
    CreateServer, ListFlavors, ListImages, ListServers, Personality, RebootType, Rebuild,
    ServerNetwork, UpdateServer,
};
