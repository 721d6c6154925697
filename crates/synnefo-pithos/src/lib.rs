//! Pithos+ object storage for Synnefo clouds.
//!
//! - [`PithosClient`]: accounts, containers and objects, with typed
//!   results for every operation of kamaki's storage and Pithos clients.
//! - Block hashing and the Merkle root ([`hash`]), as the server computes
//!   them.

mod account;
mod client;
mod container;
pub mod hash;
mod models;
mod object;
mod transfer;

pub use client::PithosClient;
pub use transfer::{
    DownloadOptions, DownloadOutcome, Progress, TransferEvent, UploadOptions, UploadOutcome,
};
