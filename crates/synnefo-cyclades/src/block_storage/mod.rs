//! The block storage service (`volume`): volumes, snapshots, volume types.

mod client;
mod metadata;
mod models;
mod snapshots;
mod volumes;

pub use client::BlockStorageClient;
pub use models::{
    AttachedServer, CreateSnapshot, CreateVolume, Snapshot, UpdateSnapshot, UpdateVolume, Volume,
    VolumeType,
};
