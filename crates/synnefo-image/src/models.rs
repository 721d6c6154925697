//! What Plankton answers, and what operations take, as typed values.

use crate::location::ImageLocation;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use synnefo_core::lenient;

/// Image properties (`X-Image-Meta-Property-*`): `osfamily`, `users`,
/// `root_partition`…
pub type Properties = BTreeMap<String, String>;

/// A flag sent as a JSON boolean or as text (`"True"`, `"false"`).
fn opt_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" | "" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!("{s:?} is not a boolean"))),
        },
        Some(Value::Number(n)) => Ok(Some(n.as_u64() != Some(0))),
        Some(other) => Err(de::Error::custom(format!("{other} is not a boolean"))),
    }
}

/// An image as `GET /images` (summary) or `GET /images/detail` lists it.
///
/// The summary carries `id`, `name`, `status`, `disk_format`,
/// `container_format` and `size`; the detail adds the rest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The image id (the UUID of its Pithos file).
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient::nullable")]
    pub name: String,
    /// `AVAILABLE`, `UNAVAILABLE`, `ERROR`… as Plankton lists it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `diskdump`, `extdump`, `ntfsdump`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_format: Option<String>,
    /// `bare`, `aki`, `ari`, `ami`, `ovf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_format: Option<String>,
    /// Bytes.
    #[serde(
        default,
        deserialize_with = "lenient::opt_integer",
        skip_serializing_if = "Option::is_none"
    )]
    pub size: Option<u64>,
    /// The Pithos hash of the file (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// `pithos://<account>/<container>/<path>` (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS` (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS` (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Empty unless deleted (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// Readable by everybody (detail).
    #[serde(
        default,
        deserialize_with = "opt_flag",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_public: Option<bool>,
    /// The owner's UUID (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Properties (detail).
    #[serde(default, deserialize_with = "lenient::metadata")]
    pub properties: Properties,
    /// A volume snapshot rather than a registered image (detail).
    #[serde(
        default,
        deserialize_with = "opt_flag",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_snapshot: Option<bool>,
    /// The description, when there is one (detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An image as `HEAD /images/<id>`, registration and update describe it in
/// `X-Image-Meta-*` headers, decoded (kamaki's image dict).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageMeta {
    /// The image id.
    pub id: String,
    /// The name, decoded.
    pub name: String,
    /// `diskdump`, `extdump`, `ntfsdump`.
    pub disk_format: Option<String>,
    /// `bare`, `aki`, `ari`, `ami`, `ovf`.
    pub container_format: Option<String>,
    /// Bytes.
    pub size: Option<u64>,
    /// The Pithos hash of the file.
    pub checksum: Option<String>,
    /// `pithos://<account>/<container>/<path>`, decoded (see
    /// [`ImageLocation::parse`]).
    pub location: Option<String>,
    /// Registration time.
    pub created_at: Option<String>,
    /// Last change.
    pub updated_at: Option<String>,
    /// Empty unless deleted.
    pub deleted_at: Option<String>,
    /// `AVAILABLE`, `SAVING`, `ERROR` or `UNKNOWN`.
    pub status: Option<String>,
    /// Readable by everybody.
    pub is_public: Option<bool>,
    /// The owner's UUID.
    pub owner: Option<String>,
    /// A volume snapshot.
    pub is_snapshot: Option<bool>,
    /// The description, decoded.
    pub description: Option<String>,
    /// Properties: keys lower-case with `_`, values decoded.
    pub properties: Properties,
    /// Other `x-image-meta-*` headers, by the name after the prefix.
    pub extra: BTreeMap<String, String>,
}

/// A user an image is shared with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The member's UUID.
    #[serde(deserialize_with = "lenient::string")]
    pub member_id: String,
    /// Whether the member may share it on (always `false` in Plankton).
    #[serde(default)]
    pub can_share: bool,
}

/// An image shared by a user (`GET /shared-images/<member>`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedImage {
    /// The image id.
    #[serde(deserialize_with = "lenient::string")]
    pub image_id: String,
    /// Always `false` in Plankton.
    #[serde(default)]
    pub can_share: bool,
}

/// Sort direction of an image list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortDir {
    /// Smallest first.
    Asc,
    /// Largest first (Plankton's default).
    #[default]
    Desc,
}

impl SortDir {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }
}

/// Filters and order of an image list (kamaki `list_public(detail,
/// filters, order)`).
///
/// Note: Plankton checks but does not apply the filters (its backend
/// ignores them); they are sent as given so a server that honours them
/// can. The order is honoured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListImages {
    /// `name`.
    pub name: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `size_min` (bytes).
    pub size_min: Option<u64>,
    /// `size_max` (bytes).
    pub size_max: Option<u64>,
    /// `disk_format`.
    pub disk_format: Option<String>,
    /// `container_format`.
    pub container_format: Option<String>,
    /// `sort_key`: `id`, `name`, `status`, `size`, `disk_format`,
    /// `container_format`, `created_at`, `updated_at`.
    pub sort_key: Option<String>,
    /// `sort_dir`.
    pub sort_dir: Option<SortDir>,
}

impl ListImages {
    /// Sets the order from kamaki's `order` text: a sort key, descending
    /// when it starts with `-` (`"-name"`), ascending otherwise.
    pub fn order(mut self, order: &str) -> Self {
        match order.strip_prefix('-') {
            Some(key) => {
                self.sort_key = Some(key.to_owned());
                self.sort_dir = Some(SortDir::Desc);
            }
            None if !order.is_empty() => {
                self.sort_key = Some(order.to_owned());
                self.sort_dir = Some(SortDir::Asc);
            }
            None => {}
        }
        self
    }
}

/// What `register` sends (kamaki `register(name, location, params,
/// properties)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterImage {
    /// The name (required).
    pub name: String,
    /// The Pithos file.
    pub location: ImageLocation,
    /// `diskdump` (the server's default), `extdump`, `ntfsdump`.
    pub disk_format: Option<String>,
    /// `bare` (the server's default), `aki`, `ari`, `ami`, `ovf`.
    pub container_format: Option<String>,
    /// Must equal the file's size. Synnefo refuses any value with `400`
    /// (it compares the header text with a number): leave it `None`.
    pub size: Option<u64>,
    /// Must equal the file's Pithos hash (`400` otherwise).
    pub checksum: Option<String>,
    /// Readable by everybody.
    pub is_public: Option<bool>,
    /// The owner (only the caller is accepted).
    pub owner: Option<String>,
    /// `pithos`, the only store.
    pub store: Option<String>,
    /// Properties; keys are lower-cased by the server.
    pub properties: Properties,
}

impl RegisterImage {
    /// A registration of `location` as `name`, everything else defaulted.
    pub fn new(name: impl Into<String>, location: ImageLocation) -> Self {
        RegisterImage {
            name: name.into(),
            location,
            disk_format: None,
            container_format: None,
            size: None,
            checksum: None,
            is_public: None,
            owner: None,
            store: None,
            properties: Properties::new(),
        }
    }
}

/// What `update_image` changes (kamaki `update_image(image_id, name,
/// disk_format, container_format, status, public, owner_id,
/// **properties)`); fields left `None` stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateImage {
    /// New name.
    pub name: Option<String>,
    /// New disk format.
    pub disk_format: Option<String>,
    /// New container format.
    pub container_format: Option<String>,
    /// New status (`AVAILABLE`, `UNAVAILABLE`, `ERROR`).
    pub status: Option<String>,
    /// Public or private.
    pub is_public: Option<bool>,
    /// New owner (only the caller is accepted).
    pub owner: Option<String>,
    /// Properties to set; an empty value deletes the property (see
    /// [`UpdateImage::delete_property`]). Others stay.
    pub properties: Properties,
}

impl UpdateImage {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.disk_format.is_none()
            && self.container_format.is_none()
            && self.status.is_none()
            && self.is_public.is_none()
            && self.owner.is_none()
            && self.properties.is_empty()
    }

    /// Marks a property for deletion (Plankton deletes properties set to
    /// an empty value; kamaki's `--property-del` sent nothing).
    pub fn delete_property(&mut self, key: impl Into<String>) -> &mut Self {
        self.properties.insert(key.into(), String::new());
        self
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn detail_decodes_leniently() {
        let image: Image = serde_json::from_value(json!({
            "id": "i1", "name": "n", "size": "12", "is_public": "True",
            "properties": {"n": 1, "x": null}, "is_snapshot": false, "new": 7
        }))
        .unwrap();
        assert_eq!(image.size, Some(12));
        assert_eq!(image.is_public, Some(true));
        assert_eq!(image.properties["n"], "1");
        assert_eq!(image.properties["x"], "");
        assert_eq!(image.extra["new"], 7);
        let summary: Image = serde_json::from_value(json!({"id": 5, "name": null})).unwrap();
        assert_eq!(summary.id, "5");
        assert!(serde_json::from_value::<Image>(json!({"id": "i", "is_public": "maybe"})).is_err());
    }

    #[test]
    fn order_text_as_kamaki() {
        let desc = ListImages::default().order("-name");
        assert_eq!(desc.sort_key.as_deref(), Some("name"));
        assert_eq!(desc.sort_dir, Some(SortDir::Desc));
        let asc = ListImages::default().order("size");
        assert_eq!(asc.sort_dir, Some(SortDir::Asc));
        assert_eq!(ListImages::default().order(""), ListImages::default());
    }
}
