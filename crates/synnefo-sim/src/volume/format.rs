//! How volumes, snapshots and volume types read in API bodies (wire §5).

use serde_json::{Value, json};

use super::model::{Volume, VolumeSource, VolumeType};
use crate::compute::image::{Image, ImageStatus};
use crate::compute::{Urls, links};
use crate::dates::isoformat;

/// A volume: summary (`id` as a string, `display_name`, `links`) or detail.
pub(crate) fn volume_json(urls: &Urls, volume: &Volume, detail: bool) -> Value {
    let mut value = json!({
        "id": volume.id.to_string(),
        "display_name": volume.name,
        "links": links(&urls.volume_item("volumes", volume.id)),
    });
    if detail {
        let (snapshot, image) = match &volume.source {
            VolumeSource::Blank => (None, None),
            VolumeSource::Image(id) => (None, Some(id)),
            VolumeSource::Snapshot(id) => (Some(id), None),
        };
        let attachments = match (volume.machine, volume.index) {
            (Some(server), index) => json!([{
                "server_id": server,
                "volume_id": volume.id,
                "device_index": index,
            }]),
            (None, _) => json!([]),
        };
        let extra = json!({
            "status": volume.status.api(),
            "size": volume.size,
            "display_description": volume.description,
            "created_at": isoformat(volume.created),
            "metadata": volume.metadata,
            "snapshot_id": snapshot,
            "source_volid": null,
            "image_id": image,
            "attachments": attachments,
            "volume_type": volume.volume_type,
            "deleted": volume.deleted,
            "delete_on_termination": volume.delete_on_termination,
            "user_id": volume.user,
            "tenant_id": volume.project,
            "shared_to_project": volume.shared_to_project,
        });
        if let (Some(target), Value::Object(extra)) = (value.as_object_mut(), extra) {
            target.extend(extra);
        }
    }
    value
}

/// A snapshot (the same form for lists and details). Like the server, the
/// embedded `metadata` is always empty; the properties are served by
/// `/snapshots/<id>/metadata`.
pub(crate) fn snapshot_json(urls: &Urls, snapshot: &Image) -> Value {
    let status = match snapshot.status {
        ImageStatus::Available => "AVAILABLE",
        ImageStatus::Unavailable => "CREATING",
    };
    let progress = if status == "AVAILABLE" {
        json!("100%")
    } else {
        json!(0)
    };
    json!({
        "id": snapshot.id,
        "size": snapshot.size >> 30,
        "display_name": snapshot.name,
        "display_description": snapshot.description,
        "status": status,
        "user_id": snapshot.owner,
        "tenant_id": snapshot.owner,
        "os-extended-snapshot-attribute:progress": progress,
        "created_at": isoformat(snapshot.created),
        "metadata": {},
        "volume_id": snapshot.volume_id,
        "links": links(&urls.volume_item("snapshots", &snapshot.id)),
    })
}

/// A volume type.
pub(crate) fn type_json(volume_type: &VolumeType) -> Value {
    json!({
        "id": volume_type.id,
        "name": volume_type.name,
        "deleted": volume_type.deleted,
        "SNF:disk_template": volume_type.disk_template,
        "SNF:detachable": volume_type.api_detachable(),
    })
}
