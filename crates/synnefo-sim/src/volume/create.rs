//! The checks every new volume passes (`_create_volume`), shared by
//! `POST /volumes` and server creation, and the record it becomes.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::model::{Volume, VolumeSource, VolumeStatus, VolumeType};
use crate::compute::image::ImageStatus;
use crate::compute::world::{IdKind, World};
use crate::fault_body::Fault;

/// Largest volume in GiB (`CYCLADES_VOLUME_MAX_SIZE`).
pub(crate) const MAX_SIZE: i128 = 200;
/// Longest volume name and description.
pub(crate) const MAX_TEXT: usize = 255;

/// The source a new volume is asked to have.
#[derive(Clone, Debug)]
pub(crate) enum SourceRequest {
    /// Empty.
    Blank,
    /// An image id.
    Image(String),
    /// A snapshot id.
    Snapshot(String),
    /// Another volume (cloning: refused).
    Volume,
}

/// A volume ready to be recorded.
#[derive(Clone, Debug)]
pub(crate) struct NewVolume {
    /// Size in GiB.
    pub(crate) size: u64,
    /// Data source.
    pub(crate) source: VolumeSource,
    /// Volume type id.
    pub(crate) volume_type: u64,
    /// `display_name`.
    pub(crate) name: Option<String>,
    /// `display_description`.
    pub(crate) description: Option<String>,
    /// Deleted with its server.
    pub(crate) delete_on_termination: bool,
    /// Project charged.
    pub(crate) project: String,
    /// User metadata.
    pub(crate) metadata: BTreeMap<String, String>,
}

/// What the caller asks for.
pub(crate) struct VolumeRequest<'a> {
    /// Owner.
    pub(crate) user: &'a str,
    /// Project charged.
    pub(crate) project: &'a str,
    /// Size in GiB, if given.
    pub(crate) size: Option<i128>,
    /// Source.
    pub(crate) source: SourceRequest,
    /// Type.
    pub(crate) volume_type: &'a VolumeType,
    /// Disk index, when created for a server (0 = root).
    pub(crate) index: Option<u32>,
    /// Name.
    pub(crate) name: Option<&'a str>,
    /// Description.
    pub(crate) description: Option<&'a str>,
    /// Deleted with its server.
    pub(crate) delete_on_termination: bool,
}

/// `validate_volume_termination`: volumes must be deleted with their
/// server (501 for `false` on `ext_*` types, 400 on others).
pub(crate) fn check_termination(volume_type: &VolumeType, delete: bool) -> Result<(), Fault> {
    if delete {
        return Ok(());
    }
    if volume_type.template() != "ext" {
        return Err(Fault::bad_request(format!(
            "Volumes of '{}' disk template cannot have 'delete_on_termination' attribute set to 'False'",
            volume_type.disk_template
        )));
    }
    Err(Fault::new(
        501,
        "Volumes with the 'delete_on_termination' attribute set to False are not supported",
    ))
}

/// Checks a new volume like the server does, in its order.
pub(crate) fn check(world: &World, request: &VolumeRequest<'_>) -> Result<NewVolume, Fault> {
    if request.name.is_some_and(|n| n.chars().count() > MAX_TEXT) {
        return Err(Fault::bad_request("Volume name is too long"));
    }
    if request
        .description
        .is_some_and(|d| d.chars().count() > MAX_TEXT)
    {
        return Err(Fault::bad_request("Volume description is too long"));
    }
    check_termination(request.volume_type, request.delete_on_termination)?;
    if let Some(size) = request.size {
        if size < 1 {
            return Err(Fault::bad_request("Volume size must be a positive integer"));
        }
        if size > MAX_SIZE {
            return Err(Fault::bad_request(format!(
                "Maximum volume size is {MAX_SIZE}GB"
            )));
        }
    }
    let vt = request.volume_type;
    let can_have_source = request.index == Some(0) || vt.can_clone();
    if !can_have_source && !matches!(request.source, SourceRequest::Blank) {
        return Err(Fault::bad_request(format!(
            "Cannot specify a 'source' attribute for volume type '{}' with disk template '{}'",
            vt.id, vt.disk_template
        )));
    }
    let required = || Fault::bad_request("Volume size is required");
    let source = match &request.source {
        SourceRequest::Blank => {
            request.size.ok_or_else(required)?;
            VolumeSource::Blank
        }
        SourceRequest::Volume => {
            return Err(Fault::bad_request("Cloning a volume is not supported"));
        }
        SourceRequest::Snapshot(id) => {
            let snapshot = world.snapshot(request.user, id, Fault::bad_request)?;
            check_origin(
                "snapshot",
                snapshot.status,
                snapshot.size,
                request.size.ok_or_else(required),
            )?;
            VolumeSource::Snapshot(id.clone())
        }
        SourceRequest::Image(id) => {
            let image = world
                .visible_image(request.user, id)
                .map_err(|_| Fault::bad_request(format!("Image {id} not found")))?;
            check_origin(
                "image",
                image.status,
                image.size,
                request.size.ok_or_else(required),
            )?;
            VolumeSource::Image(id.clone())
        }
    };
    Ok(NewVolume {
        size: u64::try_from(request.size.unwrap_or(1)).unwrap_or(1),
        source,
        volume_type: vt.id,
        name: request.name.map(str::to_owned),
        description: request.description.map(str::to_owned),
        delete_on_termination: request.delete_on_termination,
        project: request.project.to_owned(),
        metadata: BTreeMap::new(),
    })
}

/// An image or snapshot must be available and fit in the volume.
fn check_origin(
    kind: &str,
    status: ImageStatus,
    origin_size: u64,
    size: Result<i128, Fault>,
) -> Result<(), Fault> {
    if status != ImageStatus::Available {
        return Err(Fault::bad_request(format!(
            "Cannot create volume from {kind}, while {kind} is in '{}' status",
            status.name()
        )));
    }
    let bytes = size? << 30;
    if bytes < i128::from(origin_size) {
        return Err(Fault::bad_request(format!(
            "Volume size '{bytes}' is smaller than {kind}'s size '{origin_size}'"
        )));
    }
    Ok(())
}

impl World {
    /// Records a checked volume owned by `user`, in status `creating`,
    /// attached to `machine` at `index` if given.
    pub(crate) fn insert_volume(
        &mut self,
        user: &str,
        new: NewVolume,
        machine: Option<(u64, u32)>,
        now: OffsetDateTime,
    ) -> u64 {
        let id = self.ids.next(IdKind::Volume);
        self.volumes.insert(
            id,
            Volume {
                id,
                name: new.name,
                description: new.description,
                size: new.size,
                user: user.to_owned(),
                project: new.project,
                shared_to_project: false,
                volume_type: new.volume_type,
                machine: machine.map(|(server, _)| server),
                index: machine.map(|(_, index)| index),
                status: VolumeStatus::Creating,
                deleted: false,
                delete_on_termination: new.delete_on_termination,
                source: new.source,
                metadata: new.metadata,
                created: now,
                updated: now,
                pending: None,
                charged: true,
                snapshot_counter: 0,
            },
        );
        id
    }
}
