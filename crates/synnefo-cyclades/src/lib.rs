//! Synnefo's Cyclades extensions on top of OpenStack compute, and the
//! block storage service.
//!
//! - [`CycladesClient`] wraps a [`synnefo_compute::ComputeClient`] (and
//!   dereferences to it) with what kamaki's `CycladesComputeClient` adds:
//!   consoles ([`ConsoleType`]), firewall profiles ([`FirewallProfile`]),
//!   diagnostics and statistics ([`ServerStats`]), project reassignment,
//!   volume attachments ([`VolumeAttachment`]), Synnefo's flavor filters
//!   ([`FlavorFilter`]), server creation that copies the image's `os` and
//!   `users` metadata, Synnefo's `start`/`shutdown` actions, and waits on
//!   server status.
//! - [`BlockStorageClient`] (catalog type `volume`): volumes
//!   ([`Volume`]), their metadata and project, snapshots ([`Snapshot`]),
//!   volume types ([`VolumeType`]), and waits on volume status.
//!
//! Every wait is built on [`synnefo_core::wait_for`]: it polls with backoff,
//! reports each poll to [`synnefo_core::WaitOptions::on_progress`], and
//! ends with [`synnefo_core::Error::WaitTimeout`] at its deadline (kamaki
//! returned the last state instead, so a timeout looked like success).
//!
//! As everywhere in synnefo-rs, each operation comes in two halves:
//! `<operation>_request` builds the request as data, `<operation>` sends
//! it.
//!
//! ```no_run
//! # async fn example() -> synnefo_core::Result<()> {
//! use synnefo_astakos::Cloud;
//! use synnefo_core::{ClientConfig, HttpClient, Token, WaitOptions};
//! use synnefo_cyclades::{BlockStorageClient, CreateVolume, CycladesClient};
//!
//! let http = HttpClient::new(ClientConfig::default())?;
//! let cloud = Cloud::connect(http, "https://accounts.example.org/identity/v2.0", Token::new("t")).await?;
//! let cyclades: CycladesClient = cloud.client()?;
//! let volumes: BlockStorageClient = cloud.client()?;
//!
//! let server_id = 42;
//! let mut create = CreateVolume::new(10, "data");
//! create.volume_type = Some("1".into());
//! let volume = volumes.create_volume(&create).await?;
//! volumes.wait_volume(&volume.id, &WaitOptions::default()).await?;
//! cyclades.attach_volume(server_id, &volume.id).await?;
//! volumes
//!     .wait_volume_until(&volume.id, "in_use", &WaitOptions::default())
//!     .await?;
//! # Ok(()) }
//! ```

mod attachments;
mod block_storage;
mod client;
mod de;
mod decode;
mod models;
mod servers;
#[cfg(test)]
mod testing;
mod wait;

pub use block_storage::{
    AttachedServer, BlockStorageClient, CreateSnapshot, CreateVolume, Snapshot, UpdateSnapshot,
    UpdateVolume, Volume, VolumeType,
};
pub use client::CycladesClient;
pub use models::{ConsoleType, FirewallProfile, FlavorFilter, ServerStats, VolumeAttachment};
