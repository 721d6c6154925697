//! Volume and volume type records (wire §5.1, §5.3).

use std::collections::BTreeMap;

use time::OffsetDateTime;

/// Disk templates whose volumes can be detached
/// (`CYCLADES_DETACHABLE_DISK_TEMPLATES`).
pub(crate) const DETACHABLE_TEMPLATES: &[&str] = &["ext_archipelago", "ext_vlmc"];

/// A volume type: a disk template offered to users.
#[derive(Clone, Debug)]
pub(crate) struct VolumeType {
    /// Integer id.
    pub(crate) id: u64,
    /// Name.
    pub(crate) name: String,
    /// Ganeti disk template (`drbd`, `ext_archipelago`…).
    pub(crate) disk_template: String,
    /// Deleted flag.
    pub(crate) deleted: bool,
}

impl VolumeType {
    /// The template family: `ext` for every `ext_*` template.
    pub(crate) fn template(&self) -> &str {
        self.disk_template
            .split_once('_')
            .map_or(self.disk_template.as_str(), |(family, _)| family)
    }

    /// Whether volumes of this type can be detached (compares the disk
    /// template; the API field compares the name, see [`Self::api_detachable`]).
    pub(crate) fn detachable(&self) -> bool {
        DETACHABLE_TEMPLATES.contains(&self.disk_template.as_str())
    }

    /// `SNF:detachable` as the server computes it: from the type's *name*.
    pub(crate) fn api_detachable(&self) -> bool {
        DETACHABLE_TEMPLATES.contains(&self.name.as_str())
    }

    /// Whether volumes of this type can be filled from an image or snapshot
    /// other than as a root disk (`GANETI_CLONE_PROVIDERS`: Archipelago).
    pub(crate) fn can_clone(&self) -> bool {
        self.disk_template == "ext_archipelago"
    }
}

/// Status of a volume (lower-cased in the API).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VolumeStatus {
    /// Being created.
    Creating,
    /// Detached and usable.
    Available,
    /// Being attached.
    Attaching,
    /// Being detached.
    Detaching,
    /// Attached to a server.
    InUse,
    /// Being deleted.
    Deleting,
    /// Deleted.
    Deleted,
    /// Failed.
    Error,
}

impl VolumeStatus {
    /// The database value (`IN_USE`…), used in error messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Creating => "CREATING",
            Self::Available => "AVAILABLE",
            Self::Attaching => "ATTACHING",
            Self::Detaching => "DETACHING",
            Self::InUse => "IN_USE",
            Self::Deleting => "DELETING",
            Self::Deleted => "DELETED",
            Self::Error => "ERROR",
        }
    }

    /// The API value (`in_use`…).
    pub(crate) fn api(self) -> String {
        self.name().to_lowercase()
    }
}

/// Where a volume's data came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VolumeSource {
    /// Empty.
    Blank,
    /// Filled from an image.
    Image(String),
    /// Filled from a snapshot.
    Snapshot(String),
}

/// A change of a detached volume that completes later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VolumeChange {
    /// `creating` → `available`.
    BecomeAvailable,
    /// `deleting` → deleted.
    Delete,
}

/// A block storage volume.
#[derive(Clone, Debug)]
pub(crate) struct Volume {
    /// Integer id (rendered as a string by the volume API).
    pub(crate) id: u64,
    /// `display_name`.
    pub(crate) name: Option<String>,
    /// `display_description`.
    pub(crate) description: Option<String>,
    /// Size in GiB.
    pub(crate) size: u64,
    /// Owner UUID.
    pub(crate) user: String,
    /// Project charged.
    pub(crate) project: String,
    /// Shared with the project's members.
    pub(crate) shared_to_project: bool,
    /// Volume type id.
    pub(crate) volume_type: u64,
    /// Server it is attached to.
    pub(crate) machine: Option<u64>,
    /// Disk index on that server (0 = root).
    pub(crate) index: Option<u32>,
    /// Status.
    pub(crate) status: VolumeStatus,
    /// Deleted flag.
    pub(crate) deleted: bool,
    /// Deleted together with its server.
    pub(crate) delete_on_termination: bool,
    /// Data source.
    pub(crate) source: VolumeSource,
    /// User metadata.
    pub(crate) metadata: BTreeMap<String, String>,
    /// Creation time.
    pub(crate) created: OffsetDateTime,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
    /// A pending change of a detached volume.
    pub(crate) pending: Option<(VolumeChange, OffsetDateTime)>,
    /// Whether `cyclades.disk` is charged for it.
    pub(crate) charged: bool,
    /// Snapshots taken so far (names the snapshot map files).
    pub(crate) snapshot_counter: u32,
}
