//! Pithos+ object storage for Synnefo clouds.
//!
//! - [`PithosClient`]: accounts, containers and objects, with typed
//!   results for every operation of kamaki's storage and Pithos clients.
//! - Block hashing and the Merkle root ([`hash`]), as the server computes
//!   them.
//! - Plain OpenStack Swift ([`swift`]): tempauth login, detection of the
//!   missing Pithos extension, MD5-checked streaming transfers and large
//!   objects by segments and manifest.

mod account;
mod client;
mod container;
mod directories;
pub mod hash;
mod headers;
mod models;
mod object;
mod range;
pub mod swift;
#[cfg(test)]
mod testing;
mod transfer;

pub use account::ListOptions;
pub use client::PithosClient;
pub use container::{ContainerOptions, DeleteContainer, ListObjectsOptions};
pub use directories::{DirectoryCheck, check_directories};
pub use models::{
    AccountInfo, AccountQuota, Conditional, ContainerCreation, ContainerEntry, ContainerInfo,
    ContainerPolicy, ContainerUsage, Hashmap, ListingEntry, MetaFilter, ObjectEntry, ObjectInfo,
    ObjectList, ObjectRange, ObjectVersion, Permissions, PutHashmapOutcome, SharingAccount,
    Versioning, WriteOutcome,
};
pub use object::{CopyOptions, DeleteObject, ObjectInfoOptions, PutOptions};
pub use range::ByteRange;
pub use transfer::{
    DownloadOptions, DownloadOutcome, Progress, TransferEvent, UploadOptions, UploadOutcome,
};
