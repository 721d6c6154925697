//! Volumes, snapshots and volume types as the block storage API shows
//! them, and the bodies of their create and update calls.

use crate::de;
use crate::decode::id_value;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use synnefo_compute::{Link, Metadata};

/// A volume. Listings without `detail` (and the answer to a create) carry
/// only `id`, `display_name` and `links`; the other fields are then empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    /// The volume id (an integer rendered as a string).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub display_name: Option<String>,
    /// Links to the volume.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// The status, lower case in Synnefo: `creating`, `available`,
    /// `attaching`, `detaching`, `in_use`, `deleting`, `deleted`, `error`…
    #[serde(default)]
    pub status: Option<String>,
    /// The size in GiB.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub size: Option<u64>,
    /// The description.
    #[serde(default)]
    pub display_description: Option<String>,
    /// Creation time, ISO 8601.
    #[serde(default)]
    pub created_at: Option<String>,
    /// User metadata.
    #[serde(default, deserialize_with = "de::metadata")]
    pub metadata: Metadata,
    /// The snapshot it was made from.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub snapshot_id: Option<String>,
    /// The volume it was cloned from.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub source_volid: Option<String>,
    /// The image it was made from.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub image_id: Option<String>,
    /// The servers it is attached to (zero or one in Synnefo).
    #[serde(default, deserialize_with = "de::nullable")]
    pub attachments: Vec<AttachedServer>,
    /// The volume type id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub volume_type: Option<String>,
    /// Whether it is deleted.
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Whether it is deleted with its server.
    #[serde(default)]
    pub delete_on_termination: Option<bool>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The project it is charged to.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Whether it is shared with the members of its project.
    #[serde(default)]
    pub shared_to_project: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a volume is attached.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachedServer {
    /// The server id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub server_id: Option<u64>,
    /// The volume id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub volume_id: Option<String>,
    /// The disk's index on the server.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub device_index: Option<u64>,
    /// Fields not modelled above (Cinder's `device`, `attachment_id`…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A snapshot of a volume (in Synnefo, an image in the owner's
/// `snapshots` container).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The snapshot id (a UUID).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub display_name: Option<String>,
    /// The description.
    #[serde(default)]
    pub display_description: Option<String>,
    /// The size in GiB.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub size: Option<u64>,
    /// `AVAILABLE`, `CREATING`, `ERROR`, `UNKNOWN`.
    #[serde(default)]
    pub status: Option<String>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The owner's UUID, as a project.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Progress: `100%`, or `0`.
    #[serde(
        rename = "os-extended-snapshot-attribute:progress",
        default,
        deserialize_with = "de::opt_string"
    )]
    pub progress: Option<String>,
    /// Creation time, ISO 8601.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Metadata as embedded in the snapshot (always empty in Synnefo; read
    /// [`BlockStorageClient::get_snapshot_metadata`](crate::BlockStorageClient::get_snapshot_metadata)).
    #[serde(default, deserialize_with = "de::metadata")]
    pub metadata: Metadata,
    /// The volume it was taken from.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub volume_id: Option<String>,
    /// Links to the snapshot.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A volume type: a disk template volumes can be made of.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VolumeType {
    /// The type id (an integer in Synnefo).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether it is deleted.
    #[serde(default)]
    pub deleted: Option<bool>,
    /// The Ganeti disk template, e.g. `ext_archipelago`.
    #[serde(rename = "SNF:disk_template", default)]
    pub disk_template: Option<String>,
    /// Whether volumes of this type can be detached from their server.
    #[serde(rename = "SNF:detachable", default)]
    pub detachable: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The body of a volume create (kamaki `CycladesBlockStorageClient.create_volume`,
/// with Cinder's extra fields).
///
/// Ids that are integers in Synnefo (`volume_type`, `source_volid`) go out
/// as JSON numbers when they are made of digits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateVolume {
    /// The size in GiB (1 to 200 in Synnefo).
    pub size: u64,
    /// The name (required by Synnefo).
    pub display_name: String,
    /// The volume type id; required unless `server_id` is set.
    pub volume_type: Option<String>,
    /// The server to attach it to at once.
    pub server_id: Option<u64>,
    /// A description.
    pub display_description: Option<String>,
    /// The snapshot to make it from.
    pub snapshot_id: Option<String>,
    /// The image to make it from (`imageRef`).
    pub image_id: Option<String>,
    /// The volume to clone (Cinder; Synnefo refuses with `400`).
    pub source_volid: Option<String>,
    /// User metadata (sent when not empty).
    pub metadata: Metadata,
    /// The project to charge.
    pub project: Option<String>,
    /// The availability zone (Cinder).
    pub availability_zone: Option<String>,
    /// Whether it is bootable (Cinder).
    pub bootable: Option<bool>,
    /// Any other fields of the `volume` object, verbatim (e.g.
    /// `shared_to_project`).
    pub extra: Map<String, Value>,
}

impl CreateVolume {
    /// A volume of `size` GiB named `display_name`, nothing else set.
    pub fn new(size: u64, display_name: impl Into<String>) -> Self {
        CreateVolume {
            size,
            display_name: display_name.into(),
            ..CreateVolume::default()
        }
    }

    /// The wire body: `{"volume": {"size", "display_name", …}}`.
    pub fn to_json(&self) -> Value {
        let mut volume = self.extra.clone();
        volume.insert("size".into(), json!(self.size));
        volume.insert("display_name".into(), json!(self.display_name));
        if let Some(volume_type) = &self.volume_type {
            volume.insert("volume_type".into(), id_value(volume_type));
        }
        if let Some(server_id) = self.server_id {
            volume.insert("server_id".into(), json!(server_id));
        }
        if let Some(description) = &self.display_description {
            volume.insert("display_description".into(), json!(description));
        }
        if let Some(snapshot_id) = &self.snapshot_id {
            volume.insert("snapshot_id".into(), json!(snapshot_id));
        }
        if let Some(image_id) = &self.image_id {
            volume.insert("imageRef".into(), json!(image_id));
        }
        if let Some(source) = &self.source_volid {
            volume.insert("source_volid".into(), id_value(source));
        }
        if !self.metadata.is_empty() {
            volume.insert("metadata".into(), json!(self.metadata));
        }
        if let Some(project) = &self.project {
            volume.insert("project".into(), json!(project));
        }
        if let Some(zone) = &self.availability_zone {
            volume.insert("availability_zone".into(), json!(zone));
        }
        if let Some(bootable) = self.bootable {
            volume.insert("bootable".into(), json!(bootable));
        }
        json!({ "volume": volume })
    }
}

/// The body of a volume update; fields left `None` are not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateVolume {
    /// A new name.
    pub display_name: Option<String>,
    /// A new description.
    pub display_description: Option<String>,
    /// Whether to delete the volume with its server.
    pub delete_on_termination: Option<bool>,
    /// New metadata (Cinder; Synnefo has its own metadata calls).
    pub metadata: Option<Metadata>,
}

impl UpdateVolume {
    /// Whether nothing is to change.
    pub fn is_empty(&self) -> bool {
        self == &UpdateVolume::default()
    }

    /// The wire body: `{"volume": {…given fields…}}`.
    pub fn to_json(&self) -> Value {
        let mut volume = Map::new();
        if let Some(name) = &self.display_name {
            volume.insert("display_name".into(), json!(name));
        }
        if let Some(description) = &self.display_description {
            volume.insert("display_description".into(), json!(description));
        }
        if let Some(delete) = self.delete_on_termination {
            volume.insert("delete_on_termination".into(), json!(delete));
        }
        if let Some(metadata) = &self.metadata {
            volume.insert("metadata".into(), json!(metadata));
        }
        json!({ "volume": volume })
    }
}

/// The body of a snapshot create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateSnapshot {
    /// The volume to snapshot.
    pub volume_id: String,
    /// The name (Synnefo's default: `Snapshot of volume '<id>'`).
    pub display_name: Option<String>,
    /// A description.
    pub display_description: Option<String>,
    /// Cinder's `force` (snapshot an attached volume); Cyclades ignores it
    /// and kamaki's Cyclades client never sends it.
    pub force: Option<bool>,
    /// Metadata (sent when not empty).
    pub metadata: Metadata,
}

impl CreateSnapshot {
    /// A snapshot of `volume_id`, nothing else set.
    pub fn new(volume_id: impl Into<String>) -> Self {
        CreateSnapshot {
            volume_id: volume_id.into(),
            ..CreateSnapshot::default()
        }
    }

    /// The wire body: `{"snapshot": {"volume_id", …}}`.
    pub fn to_json(&self) -> Value {
        let mut snapshot = Map::new();
        snapshot.insert("volume_id".into(), id_value(&self.volume_id));
        if let Some(force) = self.force {
            snapshot.insert("force".into(), json!(force));
        }
        if let Some(name) = &self.display_name {
            snapshot.insert("display_name".into(), json!(name));
        }
        if let Some(description) = &self.display_description {
            snapshot.insert("display_description".into(), json!(description));
        }
        if !self.metadata.is_empty() {
            snapshot.insert("metadata".into(), json!(self.metadata));
        }
        json!({ "snapshot": snapshot })
    }
}

/// The body of a snapshot update; fields left `None` are not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateSnapshot {
    /// A new name.
    pub display_name: Option<String>,
    /// A new description.
    pub display_description: Option<String>,
}

impl UpdateSnapshot {
    /// Whether nothing is to change.
    pub fn is_empty(&self) -> bool {
        self.display_name.is_none() && self.display_description.is_none()
    }

    /// The wire body: `{"snapshot": {…given fields…}}`.
    pub fn to_json(&self) -> Value {
        let mut snapshot = Map::new();
        if let Some(name) = &self.display_name {
            snapshot.insert("display_name".into(), json!(name));
        }
        if let Some(description) = &self.display_description {
            snapshot.insert("display_description".into(), json!(description));
        }
        json!({ "snapshot": snapshot })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn decodes_volumes_in_both_forms() {
        // §5.1: a create answers the summary form only.
        let created: Volume = serde_json::from_value(json!({
            "id": "101", "display_name": "data", "links": [{"rel": "self", "href": "h"}]
        }))
        .unwrap();
        assert_eq!(created.id, "101");
        assert_eq!(created.status, None);
        let detail: Volume = serde_json::from_value(json!({
            "id": "101", "display_name": "data", "links": [], "status": "in_use", "size": 10,
            "display_description": "", "created_at": "2014-01-01T00:00:00+00:00",
            "metadata": {"k": "v"}, "snapshot_id": null, "source_volid": null, "image_id": null,
            "attachments": [{"server_id": 42, "volume_id": 101, "device_index": 1}],
            "volume_type": 1, "deleted": false, "delete_on_termination": true,
            "user_id": "u", "tenant_id": "p", "shared_to_project": false
        }))
        .unwrap();
        assert_eq!(detail.size, Some(10));
        assert_eq!(detail.volume_type.as_deref(), Some("1"));
        assert_eq!(detail.attachments[0].server_id, Some(42));
        assert_eq!(detail.attachments[0].volume_id.as_deref(), Some("101"));
        assert_eq!(detail.metadata["k"], "v");
        // Older Synnefo sent a null name.
        let nameless: Volume =
            serde_json::from_value(json!({"id": 7, "display_name": null})).unwrap();
        assert_eq!((nameless.id.as_str(), nameless.display_name), ("7", None));
    }

    #[test]
    fn decodes_snapshots_and_types() {
        let snapshot: Snapshot = serde_json::from_value(json!({
            "id": "snap-uuid", "size": 10, "display_name": "s", "display_description": "",
            "status": "AVAILABLE", "user_id": "u", "tenant_id": "u",
            "os-extended-snapshot-attribute:progress": "100%",
            "created_at": "2014-01-01T00:00:00+00:00", "metadata": {}, "volume_id": 101,
            "links": []
        }))
        .unwrap();
        assert_eq!(snapshot.progress.as_deref(), Some("100%"));
        assert_eq!(snapshot.volume_id.as_deref(), Some("101"));
        let creating: Snapshot = serde_json::from_value(json!({
            "id": "s2", "os-extended-snapshot-attribute:progress": 0
        }))
        .unwrap();
        assert_eq!(creating.progress.as_deref(), Some("0"));
        let kind: VolumeType = serde_json::from_value(json!({
            "id": 1, "name": "drbd", "deleted": false,
            "SNF:disk_template": "drbd", "SNF:detachable": false
        }))
        .unwrap();
        assert_eq!((kind.id.as_str(), kind.detachable), ("1", Some(false)));
    }

    #[test]
    fn create_volume_body() {
        // §4.4: size and display_name always, the truthy optional keys.
        assert_eq!(
            CreateVolume::new(42, "dn").to_json(),
            json!({"volume": {"size": 42, "display_name": "dn"}})
        );
        let mut create = CreateVolume::new(10, "dn");
        create.server_id = Some(42);
        create.display_description = Some("dd".into());
        create.snapshot_id = Some("snap".into());
        create.image_id = Some("img".into());
        create.volume_type = Some("1".into());
        create.metadata.insert("k".into(), "v".into());
        create.project = Some("p".into());
        create.availability_zone = Some("az".into());
        create.bootable = Some(true);
        create.source_volid = Some("sv".into());
        assert_eq!(
            create.to_json(),
            json!({"volume": {
                "size": 10, "display_name": "dn", "server_id": 42,
                "display_description": "dd", "snapshot_id": "snap", "imageRef": "img",
                "volume_type": 1, "metadata": {"k": "v"}, "project": "p",
                "availability_zone": "az", "bootable": true, "source_volid": "sv"
            }})
        );
    }

    #[test]
    fn update_and_snapshot_bodies() {
        assert!(UpdateVolume::default().is_empty());
        let update = UpdateVolume {
            display_name: Some("n".into()),
            delete_on_termination: Some(false),
            ..UpdateVolume::default()
        };
        assert!(!update.is_empty());
        assert_eq!(
            update.to_json(),
            json!({"volume": {"display_name": "n", "delete_on_termination": false}})
        );
        let mut snapshot = CreateSnapshot::new("101");
        snapshot.display_name = Some("s".into());
        assert_eq!(
            snapshot.to_json(),
            json!({"snapshot": {"volume_id": 101, "display_name": "s"}})
        );
        snapshot.force = Some(true);
        snapshot.display_description = Some("d".into());
        assert_eq!(
            snapshot.to_json(),
            json!({"snapshot": {"volume_id": 101, "display_name": "s",
                                "display_description": "d", "force": true}})
        );
        let update = UpdateSnapshot {
            display_description: Some("d".into()),
            ..UpdateSnapshot::default()
        };
        assert_eq!(
            update.to_json(),
            json!({"snapshot": {"display_description": "d"}})
        );
        assert!(UpdateSnapshot::default().is_empty());
    }
}
