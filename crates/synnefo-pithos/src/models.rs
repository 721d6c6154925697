//! What the Pithos+ API answers, as types.
//!
//! Two kinds of models live here:
//! - header-based ones ([`AccountInfo`], [`ContainerInfo`], [`ObjectInfo`]),
//!   built from the headers of a `HEAD`; each keeps every decoded response
//!   header in `headers`, for what the server sends beyond the model;
//! - JSON ones (listings, hashmaps, versions), deserialised leniently
//!   (numbers may come as strings) and keeping unknown fields in `extra`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;
use synnefo_core::{Error, Result};

/// The outcome of a conditional request (`If-None-Match`,
/// `If-Modified-Since`): the value, or the server's "not modified" (`304`),
/// which is an answer, not an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conditional<T> {
    /// The server sent the value.
    Modified(T),
    /// The server answered `304 Not Modified`.
    NotModified {
        /// The `ETag` the server sent with its `304`, if any.
        etag: Option<String>,
    },
}

impl<T> Conditional<T> {
    /// The value, `None` when not modified.
    pub fn modified(self) -> Option<T> {
        match self {
            Conditional::Modified(value) => Some(value),
            Conditional::NotModified { .. } => None,
        }
    }

    /// Whether the server answered "not modified".
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Conditional::NotModified { .. })
    }

    /// Maps the value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Conditional<U> {
        match self {
            Conditional::Modified(value) => Conditional::Modified(f(value)),
            Conditional::NotModified { etag } => Conditional::NotModified { etag },
        }
    }

    /// The value, or an error naming `what` when the server said "not
    /// modified" (for callers that sent no condition and cannot get one).
    ///
    /// # Errors
    /// [`Error::Config`] when not modified.
    pub fn into_value(self, what: &str) -> Result<T> {
        match self {
            Conditional::Modified(value) => Ok(value),
            Conditional::NotModified { .. } => Err(Error::Config(format!(
                "{what} was not modified, so the server sent nothing"
            ))),
        }
    }
}

/// A container's versioning policy (`X-Container-Policy-Versioning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Versioning {
    /// `auto`: every change keeps the previous version (the default).
    Auto,
    /// `none`: every change drops the previous version.
    #[serde(rename = "none")]
    Disabled,
}

impl Versioning {
    /// The wire form: `auto` or `none`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Versioning::Auto => "auto",
            Versioning::Disabled => "none",
        }
    }
}

impl fmt::Display for Versioning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Versioning {
    type Err = Error;

    /// Parses `auto` or `none` (any case).
    fn from_str(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Versioning::Auto),
            "none" => Ok(Versioning::Disabled),
            _ => Err(Error::Config(format!(
                "invalid versioning policy {text:?}: expected auto or none"
            ))),
        }
    }
}

/// Who may read and write an object (`X-Object-Sharing`).
///
/// Entries are user UUIDs, `<owner uuid>:<group>` for a group of the
/// owner's, or `*` for everyone. Write implies read. An object with both
/// lists empty is not shared.
///
/// ```
/// use synnefo_pithos::Permissions;
/// let p = Permissions::parse("read=u1,owner:friends; write=u2").unwrap();
/// assert_eq!(p.read, ["u1", "owner:friends"]);
/// assert_eq!(p.to_header(), "read=u1,owner:friends;write=u2");
/// assert_eq!(Permissions::default().to_header(), "");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Who may read.
    #[serde(default)]
    pub read: Vec<String>,
    /// Who may write (and so read).
    #[serde(default)]
    pub write: Vec<String>,
}

impl Permissions {
    /// Whether nobody is granted anything.
    pub fn is_empty(&self) -> bool {
        self.read.is_empty() && self.write.is_empty()
    }

    /// The header value: `read=a,b;write=c`, omitting an empty list; empty
    /// when nothing is granted (which removes all sharing).
    pub fn to_header(&self) -> String {
        let mut parts = Vec::new();
        if !self.read.is_empty() {
            parts.push(format!("read={}", self.read.join(",")));
        }
        if !self.write.is_empty() {
            parts.push(format!("write={}", self.write.join(",")));
        }
        parts.join(";")
    }

    /// Parses the header value the server sends (`read=a,b; write=c`; either
    /// part optional, spaces ignored). An empty value means not shared.
    ///
    /// # Errors
    /// [`Error::Config`] naming the part that is neither `read=…` nor
    /// `write=…`.
    pub fn parse(text: &str) -> Result<Self> {
        let mut permissions = Permissions::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, list) = part.split_once('=').ok_or_else(|| {
                Error::Config(format!(
                    "invalid sharing {text:?}: {part:?} is not read=… or write=…"
                ))
            })?;
            let entries = list
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned);
            match kind.trim().to_ascii_lowercase().as_str() {
                "read" => permissions.read.extend(entries),
                "write" => permissions.write.extend(entries),
                other => {
                    return Err(Error::Config(format!(
                        "invalid sharing {text:?}: unknown permission {other:?}"
                    )));
                }
            }
        }
        Ok(permissions)
    }

    pub(crate) fn check(&self) -> Result<()> {
        for entry in self.read.iter().chain(&self.write) {
            if entry.trim().is_empty() || entry.contains([',', ';', '=']) {
                return Err(Error::Config(format!(
                    "invalid sharing entry {entry:?}: expected a user UUID, owner:group or *"
                )));
            }
        }
        Ok(())
    }
}

/// Account details from `HEAD` on the account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AccountInfo {
    /// How many containers the account has (absent when looking at another
    /// user's account).
    pub container_count: Option<u64>,
    /// Bytes stored (absent for another user's account).
    pub bytes_used: Option<u64>,
    /// The storage quota in bytes (`X-Account-Policy-Quota`).
    pub quota: Option<u64>,
    /// Per-project quotas (`X-Account-Policy-Quota-<project>`), keyed by
    /// project UUID in lower case.
    pub project_quotas: BTreeMap<String, u64>,
    /// Every account policy (`X-Account-Policy-*`), raw, keys in lower case.
    pub policies: BTreeMap<String, String>,
    /// User groups (`X-Account-Group-*`): name (lower case) to members.
    pub groups: BTreeMap<String, Vec<String>>,
    /// User metadata (`X-Account-Meta-*`), keys in lower case.
    pub meta: BTreeMap<String, String>,
    /// When the account last changed.
    #[serde(with = "http_date_opt")]
    pub last_modified: Option<SystemTime>,
    /// The `until` moment the answer describes, when one was asked.
    #[serde(with = "http_date_opt")]
    pub until_timestamp: Option<SystemTime>,
    /// Every response header, names in lower case, values decoded.
    pub headers: BTreeMap<String, String>,
}

/// An account's storage quota and use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AccountQuota {
    /// The limit in bytes, when the server says.
    pub limit: Option<u64>,
    /// Bytes used, when the server says.
    pub used: Option<u64>,
    /// Per-project limits, keyed by project UUID in lower case.
    pub per_project: BTreeMap<String, u64>,
}

/// Container details from `HEAD` on a container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ContainerInfo {
    /// The container's name.
    pub name: String,
    /// How many objects it holds.
    pub object_count: Option<u64>,
    /// Bytes stored in it.
    pub bytes_used: Option<u64>,
    /// The block size objects are cut into (e.g. 4194304).
    pub block_size: u64,
    /// The block hash algorithm (e.g. `sha256`).
    pub block_hash: String,
    /// The quota in bytes; `Some(0)` means unlimited.
    pub quota: Option<u64>,
    /// The versioning policy.
    pub versioning: Option<Versioning>,
    /// The project charged for the container's space.
    pub project: Option<String>,
    /// Every container policy (`X-Container-Policy-*`), raw, keys in lower
    /// case.
    pub policies: BTreeMap<String, String>,
    /// User metadata (`X-Container-Meta-*`), keys in lower case.
    pub meta: BTreeMap<String, String>,
    /// The object metadata keys in use in the container
    /// (`X-Container-Object-Meta`), in lower case.
    pub object_meta: Vec<String>,
    /// When the container last changed.
    #[serde(with = "http_date_opt")]
    pub last_modified: Option<SystemTime>,
    /// The `until` moment the answer describes, when one was asked.
    #[serde(with = "http_date_opt")]
    pub until_timestamp: Option<SystemTime>,
    /// Every response header, names in lower case, values decoded.
    pub headers: BTreeMap<String, String>,
}

/// Whether [`PithosClient::create_container`](crate::PithosClient::create_container)
/// made a new container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerCreation {
    /// `201`: the container is new.
    Created,
    /// `202`: it existed already; the given policies and metadata were
    /// merged into it.
    AlreadyExists,
}

/// A container's use and limit (kamaki `get_container_limit` and friends).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ContainerUsage {
    /// Bytes stored.
    pub bytes_used: Option<u64>,
    /// How many objects.
    pub object_count: Option<u64>,
    /// The limit in bytes; `None` when unlimited.
    pub limit: Option<u64>,
    /// The project charged.
    pub project: Option<String>,
}

/// One container in an account listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContainerEntry {
    /// The name.
    pub name: String,
    /// How many objects it holds.
    #[serde(rename = "count", default, deserialize_with = "lenient_u64_opt")]
    pub object_count: Option<u64>,
    /// Bytes stored in it.
    #[serde(rename = "bytes", default, deserialize_with = "lenient_u64_opt")]
    pub bytes_used: Option<u64>,
    /// When it last changed (ISO 8601).
    #[serde(default)]
    pub last_modified: Option<String>,
    /// Its policies.
    #[serde(rename = "x_container_policy", default)]
    pub policy: ContainerPolicy,
    /// Fields this model does not name.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A container's policies as listings show them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContainerPolicy {
    /// The quota in bytes; 0 means unlimited.
    #[serde(default, deserialize_with = "lenient_u64_opt")]
    pub quota: Option<u64>,
    /// `auto` or `none`.
    #[serde(default)]
    pub versioning: Option<String>,
    /// The project charged.
    #[serde(default)]
    pub project: Option<String>,
    /// Other policies.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One object in a container listing (JSON format).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObjectEntry {
    /// The full name.
    pub name: String,
    /// The size in bytes.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes: u64,
    /// The content type (`application/directory` for directory markers).
    #[serde(default)]
    pub content_type: Option<String>,
    /// An MD5 checksum, usually empty (servers fill it only when asked);
    /// use [`ObjectEntry::object_hash`].
    #[serde(default)]
    pub hash: Option<String>,
    /// The object's Merkle hash (hex).
    #[serde(rename = "x_object_hash", default)]
    pub object_hash: Option<String>,
    /// The object's UUID, stable across updates and renames.
    #[serde(rename = "x_object_uuid", default)]
    pub uuid: Option<String>,
    /// The current version.
    #[serde(
        rename = "x_object_version",
        default,
        deserialize_with = "lenient_u64_opt"
    )]
    pub version: Option<u64>,
    /// When the current version was made (UNIX seconds, as text).
    #[serde(
        rename = "x_object_version_timestamp",
        default,
        deserialize_with = "lenient_string_opt"
    )]
    pub version_timestamp: Option<String>,
    /// When the object last changed (ISO 8601).
    #[serde(default)]
    pub last_modified: Option<String>,
    /// Who made the current version.
    #[serde(rename = "x_object_modified_by", default)]
    pub modified_by: Option<String>,
    /// The object's own permissions, raw (`read=…; write=…`); see
    /// [`ObjectEntry::permissions`].
    #[serde(rename = "x_object_sharing", default)]
    pub sharing: Option<String>,
    /// What the caller may do, for another user's object (`read`/`write`).
    #[serde(rename = "x_object_allowed_to", default)]
    pub allowed_to: Option<String>,
    /// The path the permissions are inherited from.
    #[serde(rename = "x_object_shared_by", default)]
    pub shared_by: Option<String>,
    /// The public URL, when published (owner only).
    #[serde(rename = "x_object_public", default)]
    pub public_url: Option<String>,
    /// Fields this model does not name (`available`, `map_check_timestamp`…).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ObjectEntry {
    /// The object's permissions; `None` when it has none of its own.
    ///
    /// # Errors
    /// As [`Permissions::parse`].
    pub fn permissions(&self) -> Result<Option<Permissions>> {
        match self.sharing.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => Permissions::parse(text).map(Some),
        }
    }

    /// Whether this is a directory marker (`application/directory` or
    /// `application/folder`).
    pub fn is_directory(&self) -> bool {
        self.content_type.as_deref().is_some_and(|t| {
            let t = t.split(';').next().unwrap_or("").trim();
            t.eq_ignore_ascii_case("application/directory")
                || t.eq_ignore_ascii_case("application/folder")
        })
    }
}

/// One entry of a container listing: an object, or a "virtual directory"
/// that a delimiter collapsed many names into.
#[derive(Clone, Debug, PartialEq, Serialize)]
// Objects outnumber subdirs by far: boxing them would cost an allocation
// per entry to save space only on the rare subdir.
#[allow(clippy::large_enum_variant)]
pub enum ListingEntry {
    /// An object.
    Object(ObjectEntry),
    /// A common prefix ending with the delimiter, e.g. `photos/animals/`.
    Subdir(String),
}

impl ListingEntry {
    /// The entry's name: the object name or the subdir prefix (the marker
    /// to continue after it).
    pub fn name(&self) -> &str {
        match self {
            ListingEntry::Object(object) => &object.name,
            ListingEntry::Subdir(prefix) => prefix,
        }
    }
}

/// One page of a container listing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ObjectList {
    /// The objects, in name order.
    pub objects: Vec<ObjectEntry>,
    /// The virtual directories a delimiter produced, in name order.
    pub subdirs: Vec<String>,
    /// The marker to ask for the next page with, when this page is full.
    pub next_marker: Option<String>,
    /// Whether the server answered `304 Not Modified` (to
    /// `If-Modified-Since`); the lists are then empty.
    pub not_modified: bool,
}

/// Object details from `HEAD` on an object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ObjectInfo {
    /// The size in bytes (the sum of the parts for a manifest).
    pub size: u64,
    /// The content type.
    pub content_type: Option<String>,
    /// The ETag (the Merkle hash, or an MD5 on servers set up for it),
    /// unquoted.
    pub etag: Option<String>,
    /// The Merkle hash (`X-Object-Hash`).
    pub object_hash: Option<String>,
    /// The UUID, stable across updates and renames.
    pub uuid: Option<String>,
    /// The version.
    pub version: Option<u64>,
    /// When this version was made.
    #[serde(with = "http_date_opt")]
    pub version_timestamp: Option<SystemTime>,
    /// Who made this version.
    pub modified_by: Option<String>,
    /// The permissions, the object's own or inherited from a directory.
    pub sharing: Option<Permissions>,
    /// The directory the permissions come from, when inherited.
    pub shared_by: Option<String>,
    /// What the caller may do, for another user's object (`read`/`write`).
    pub allowed_to: Option<String>,
    /// The public URL, when published (owner only).
    pub public_url: Option<String>,
    /// `<container>/<prefix>` for a manifest object.
    pub manifest: Option<String>,
    /// User metadata (`X-Object-Meta-*`), keys in lower case.
    pub meta: BTreeMap<String, String>,
    /// The content encoding.
    pub content_encoding: Option<String>,
    /// The content disposition.
    pub content_disposition: Option<String>,
    /// When the object last changed.
    #[serde(with = "http_date_opt")]
    pub last_modified: Option<SystemTime>,
    /// Whether the data is available (1), being prepared (0) or failed (-1).
    pub available: Option<i64>,
    /// Every response header, names in lower case, values decoded.
    pub headers: BTreeMap<String, String>,
}

/// An object's hashmap: its block hashes, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Hashmap {
    /// The block size.
    #[serde(deserialize_with = "lenient_u64")]
    pub block_size: u64,
    /// The block hash algorithm (e.g. `sha256`).
    #[serde(default)]
    pub block_hash: String,
    /// The object's size.
    #[serde(deserialize_with = "lenient_u64")]
    pub bytes: u64,
    /// The block hashes (hex), one per block.
    pub hashes: Vec<String>,
    /// The object's ETag from the response headers, unquoted.
    #[serde(default)]
    pub etag: Option<String>,
    /// The object's version from the response headers.
    #[serde(default)]
    pub version: Option<u64>,
    /// The object's content type from the response headers.
    #[serde(default)]
    pub content_type: Option<String>,
}

/// Part of an object's data, as [`PithosClient::get_object_range`](crate::PithosClient::get_object_range)
/// read it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectRange {
    /// The bytes.
    pub data: bytes::Bytes,
    /// The offset of the first byte.
    pub start: u64,
    /// The offset of the last byte (included).
    pub end: u64,
    /// The object's size, when the server said.
    pub total_size: Option<u64>,
    /// The object's ETag, unquoted, when the server said.
    pub etag: Option<String>,
}

/// What a write (`PUT`, copy, move, partial update) answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WriteOutcome {
    /// The object's new ETag, when sent.
    pub etag: Option<String>,
    /// The new version, when sent.
    pub version: Option<u64>,
}

/// What a hashmap `PUT` answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutHashmapOutcome {
    /// `201`: the object exists now.
    Created {
        /// Its ETag (Merkle hash).
        etag: Option<String>,
        /// Its version.
        version: Option<u64>,
    },
    /// `409`: the server lacks these blocks (hex, in hashmap order); send
    /// them with [`PithosClient::post_blocks`](crate::PithosClient::post_blocks)
    /// and `PUT` again.
    Missing(Vec<String>),
}

/// One version of an object.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ObjectVersion {
    /// The version id (use with `version` options and `X-Source-Version`).
    pub version: u64,
    /// When it was made, in UNIX seconds.
    pub timestamp: f64,
}

impl ObjectVersion {
    /// When it was made; `None` for a nonsensical timestamp.
    pub fn time(&self) -> Option<SystemTime> {
        crate::headers::unix_time(self.timestamp)
    }
}

/// An account that shares something with the caller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SharingAccount {
    /// The account (user UUID).
    pub name: String,
    /// When it last changed (ISO 8601).
    #[serde(default)]
    pub last_modified: Option<String>,
    /// Fields this model does not name.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// A listing filter on object metadata (`?meta=`).
///
/// ```
/// use synnefo_pithos::MetaFilter;
/// assert_eq!(MetaFilter::exists("color").to_string(), "color");
/// assert_eq!(MetaFilter::absent("color").to_string(), "!color");
/// assert_eq!(MetaFilter::eq("color", "red").to_string(), "color=red");
/// let parsed: MetaFilter = "size>=10".parse().unwrap();
/// assert_eq!(parsed, MetaFilter::compare("size", ">=", "10").unwrap());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MetaFilter {
    /// Objects that have the key.
    Exists(String),
    /// Objects that lack the key.
    Absent(String),
    /// Objects whose value compares so (string comparison on the server).
    Compare {
        /// The key.
        key: String,
        /// One of `=`, `!=`, `<=`, `>=`, `<`, `>`.
        op: &'static str,
        /// The value.
        value: String,
    },
}

/// The comparison operators, longest first so parsing finds `<=` before `<`.
const META_OPS: [&str; 6] = ["!=", "<=", ">=", "=", "<", ">"];

impl MetaFilter {
    /// Objects that have `key`.
    pub fn exists(key: impl Into<String>) -> Self {
        MetaFilter::Exists(key.into())
    }

    /// Objects that lack `key`.
    pub fn absent(key: impl Into<String>) -> Self {
        MetaFilter::Absent(key.into())
    }

    /// Objects whose `key` equals `value`.
    pub fn eq(key: impl Into<String>, value: impl Into<String>) -> Self {
        MetaFilter::Compare {
            key: key.into(),
            op: "=",
            value: value.into(),
        }
    }

    /// Objects whose `key` compares to `value` with `op` (`=`, `!=`, `<=`,
    /// `>=`, `<`, `>`).
    ///
    /// # Errors
    /// [`Error::Config`] for another operator.
    pub fn compare(key: impl Into<String>, op: &str, value: impl Into<String>) -> Result<Self> {
        let op = META_OPS
            .iter()
            .find(|known| **known == op)
            .ok_or_else(|| Error::Config(format!("unknown metadata comparison {op:?}")))?;
        Ok(MetaFilter::Compare {
            key: key.into(),
            op,
            value: value.into(),
        })
    }

    /// The key filtered on.
    pub fn key(&self) -> &str {
        match self {
            MetaFilter::Exists(key) | MetaFilter::Absent(key) => key,
            MetaFilter::Compare { key, .. } => key,
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        let text = self.to_string();
        if self.key().trim().is_empty() || text.contains(',') {
            return Err(Error::Config(format!(
                "invalid metadata filter {text:?}: the key must not be empty and nothing may contain a comma"
            )));
        }
        Ok(())
    }
}

impl fmt::Display for MetaFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetaFilter::Exists(key) => f.write_str(key),
            MetaFilter::Absent(key) => write!(f, "!{key}"),
            MetaFilter::Compare { key, op, value } => write!(f, "{key}{op}{value}"),
        }
    }
}

impl FromStr for MetaFilter {
    type Err = Error;

    /// Parses `key`, `!key` or `key<op>value`.
    fn from_str(text: &str) -> Result<Self> {
        let filter = if let Some(key) = text.strip_prefix('!')
            && !key.contains(['=', '<', '>'])
        {
            MetaFilter::Absent(key.to_owned())
        } else {
            let found = text.char_indices().find_map(|(i, _)| {
                META_OPS
                    .iter()
                    .find(|op| text[i..].starts_with(**op))
                    .map(|op| (i, *op))
            });
            match found {
                Some((i, op)) => MetaFilter::Compare {
                    key: text[..i].to_owned(),
                    op,
                    value: text[i + op.len()..].to_owned(),
                },
                None => MetaFilter::Exists(text.to_owned()),
            }
        };
        filter.check()?;
        Ok(filter)
    }
}

/// A number that may come as a JSON number or as text.
fn lenient_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    lenient_u64_opt(deserializer).map(Option::unwrap_or_default)
}

/// As [`lenient_u64`], `null` allowed.
fn lenient_u64_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    synnefo_core::lenient::opt_integer(deserializer)
}

/// Text that may come as a JSON string or number.
fn lenient_string_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    synnefo_core::lenient::opt_string(deserializer)
}

/// `Option<SystemTime>` as an HTTP date string.
mod http_date_opt {
    use super::*;

    pub(super) fn serialize<S: Serializer>(
        time: &Option<SystemTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => serializer.serialize_some(&httpdate::fmt_http_date(*time)),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_round_trip_and_errors() {
        let p = Permissions::parse("read=u1,g1,u2; write=u1").unwrap();
        assert_eq!(p.read, ["u1", "g1", "u2"]);
        assert_eq!(p.write, ["u1"]);
        assert_eq!(Permissions::parse(&p.to_header()).unwrap(), p);
        assert_eq!(Permissions::parse("READ = a ,b").unwrap().read, ["a", "b"]);
        assert!(Permissions::parse("").unwrap().is_empty());
        assert!(Permissions::parse("read:u1").is_err());
        assert!(Permissions::parse("admin=u1").is_err());
        let only_write = Permissions {
            read: vec![],
            write: vec!["u2".into()],
        };
        assert_eq!(only_write.to_header(), "write=u2");
        assert!(
            Permissions {
                read: vec!["a,b".into()],
                write: vec![]
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn versioning_wire_names() {
        assert_eq!("AUTO".parse::<Versioning>().unwrap(), Versioning::Auto);
        assert_eq!("none".parse::<Versioning>().unwrap(), Versioning::Disabled);
        assert_eq!(Versioning::Disabled.to_string(), "none");
        assert!("sometimes".parse::<Versioning>().is_err());
        assert_eq!(
            serde_json::to_string(&Versioning::Disabled).unwrap(),
            "\"none\""
        );
    }

    #[test]
    fn meta_filters_parse_every_operator() {
        for text in [
            "k", "!k", "k=v", "k!=v", "k<=v", "k>=v", "k<v", "k>v", "k=", "κ=ν",
        ] {
            let filter: MetaFilter = text.parse().unwrap();
            assert_eq!(filter.to_string(), text);
        }
        assert_eq!(
            "a!=b".parse::<MetaFilter>().unwrap(),
            MetaFilter::compare("a", "!=", "b").unwrap()
        );
        assert!("".parse::<MetaFilter>().is_err());
        assert!("=v".parse::<MetaFilter>().is_err());
        assert!("a,b".parse::<MetaFilter>().is_err());
        assert!(MetaFilter::compare("a", "~", "b").is_err());
    }

    #[test]
    fn listing_entries_are_lenient() {
        let entry: ObjectEntry = serde_json::from_value(serde_json::json!({
            "name": "o", "bytes": "12", "content_type": "application/directory",
            "hash": "", "x_object_hash": "ab", "x_object_version": 98,
            "x_object_version_timestamp": 1322813441.565891,
            "x_object_sharing": "read=*", "available": 1, "map_check_timestamp": null
        }))
        .unwrap();
        assert_eq!(entry.bytes, 12);
        assert_eq!(entry.version, Some(98));
        assert_eq!(
            entry.version_timestamp.as_deref(),
            Some("1322813441.565891")
        );
        assert!(entry.is_directory());
        assert_eq!(entry.permissions().unwrap().unwrap().read, ["*"]);
        assert_eq!(entry.extra["available"], 1);
        let bad =
            serde_json::from_value::<ObjectEntry>(serde_json::json!({"name": "o", "bytes": -1}));
        assert!(bad.is_err());
        let container: ContainerEntry = serde_json::from_value(serde_json::json!({
            "name": "c", "count": 2, "bytes": 10, "last_modified": "2013-06-19T15:23:59.975572+00:00",
            "x_container_policy": {"quota": "0", "versioning": "auto", "project": "p"}
        }))
        .unwrap();
        assert_eq!(container.policy.quota, Some(0));
        assert_eq!(container.object_count, Some(2));
    }

    #[test]
    fn conditional_helpers() {
        let c: Conditional<u8> = Conditional::NotModified { etag: None };
        assert!(c.is_not_modified());
        assert!(c.clone().into_value("x").is_err());
        assert_eq!(c.map(|v| v + 1).modified(), None);
        assert_eq!(Conditional::Modified(1).map(|v| v + 1).modified(), Some(2));
    }
}
