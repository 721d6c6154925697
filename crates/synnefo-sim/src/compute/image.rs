//! Images and snapshots as Plankton keeps them (wire §3.8, §5.2, §7):
//! one store, snapshots being the owner's images with `is_snapshot`.

use std::collections::{BTreeMap, BTreeSet};

use time::OffsetDateTime;

use super::world::World;
use crate::fault_body::Fault;

/// Plankton status of an image file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImageStatus {
    /// Usable (`AVAILABLE`).
    Available,
    /// Being written, e.g. a snapshot in progress (`UNAVAILABLE`).
    Unavailable,
}

impl ImageStatus {
    /// Plankton's value.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Available => "AVAILABLE",
            Self::Unavailable => "UNAVAILABLE",
        }
    }
}

/// A registered image (or snapshot).
#[derive(Clone, Debug)]
pub(crate) struct Image {
    /// UUID.
    pub(crate) id: String,
    /// Name.
    pub(crate) name: String,
    /// Owner UUID.
    pub(crate) owner: String,
    /// Readable by everybody.
    pub(crate) public: bool,
    /// A volume snapshot.
    pub(crate) is_snapshot: bool,
    /// Status.
    pub(crate) status: ImageStatus,
    /// A status set explicitly through Plankton (`plankton:status`), shown
    /// by Plankton instead of [`Image::status`].
    pub(crate) status_override: Option<String>,
    /// `pithos://<owner>/<container>/<path>` (parts percent-encoded).
    pub(crate) location: String,
    /// The Pithos Merkle hash of the file.
    pub(crate) checksum: String,
    /// `diskdump`, `extdump` or `ntfsdump`.
    pub(crate) disk_format: String,
    /// `bare`, `aki`, `ari`, `ami` or `ovf`.
    pub(crate) container_format: String,
    /// Users it is shared with (Pithos read permission).
    pub(crate) members: BTreeSet<String>,
    /// Size in bytes.
    pub(crate) size: u64,
    /// Properties (the compute API's image metadata).
    pub(crate) properties: BTreeMap<String, String>,
    /// Description.
    pub(crate) description: String,
    /// For snapshots: the volume id as given when taken.
    pub(crate) volume_id: Option<String>,
    /// Registration time.
    pub(crate) created: OffsetDateTime,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
    /// When an unavailable image becomes available.
    pub(crate) ready_at: Option<OffsetDateTime>,
}

impl Image {
    /// Whether `user` can read it.
    pub(crate) fn visible_to(&self, user: &str) -> bool {
        self.public || self.owner == user || self.members.contains(user)
    }
}

/// Longest property key (Plankton prefixes keys; the prefixed key must stay
/// within Pithos' 128 characters).
const MAX_PROPERTY_KEY: usize = 93;
/// Longest property value.
const MAX_PROPERTY_VALUE: usize = 256;

/// Plankton's length checks on properties.
pub(crate) fn check_properties<'a>(
    properties: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Result<(), Fault> {
    for (key, value) in properties {
        if key.chars().count() > MAX_PROPERTY_KEY {
            return Err(Fault::bad_request(
                "Metadata keys should be less than 111 characters",
            ));
        }
        if value.chars().count() > MAX_PROPERTY_VALUE {
            return Err(Fault::bad_request(
                "Metadata values should be less than 256 characters.",
            ));
        }
    }
    Ok(())
}

impl World {
    /// An image `user` can read: 404 (Plankton's empty message) otherwise.
    pub(crate) fn visible_image(&self, user: &str, id: &str) -> Result<&Image, Fault> {
        self.images
            .get(id)
            .filter(|image| image.visible_to(user))
            .ok_or_else(|| Fault::item_not_found(""))
    }

    /// An image `user` may change: 404 if invisible, 403 if not theirs.
    pub(crate) fn own_image(&mut self, user: &str, id: &str) -> Result<&mut Image, Fault> {
        self.visible_image(user, id)?;
        match self.images.get_mut(id) {
            Some(image) if image.owner == user => Ok(image),
            _ => Err(Fault::new(403, "")),
        }
    }

    /// A snapshot of `user` (404 `Snapshot <id> not found` otherwise, or
    /// `fault` when given).
    pub(crate) fn snapshot(
        &self,
        user: &str,
        id: &str,
        fault: impl Fn(String) -> Fault,
    ) -> Result<&Image, Fault> {
        self.images
            .get(id)
            .filter(|image| image.is_snapshot && image.visible_to(user))
            .ok_or_else(|| fault(format!("Snapshot {id} not found")))
    }
}
