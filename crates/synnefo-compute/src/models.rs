//! What the compute API answers, as typed values.
//!
//! Every model keeps the fields the server sends beyond those modelled in
//! an `extra` map, so nothing is lost (and `-o json` front ends can print
//! it). Decoding is lenient where clouds differ: server and flavor ids may
//! come as numbers or strings, `null` collections are empty, metadata
//! values that are not text are rendered as text.

use crate::de;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Key/value metadata of a server or an image.
pub type Metadata = BTreeMap<String, String>;

/// A hyperlink of an OpenStack resource (`self`, `bookmark`, `alternate`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The relation: `self`, `bookmark`, `alternate`.
    #[serde(default)]
    pub rel: Option<String>,
    /// The URL.
    #[serde(default, deserialize_with = "de::nullable")]
    pub href: String,
    /// The media type, when given.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The status of a server (wire reference §3.3).
///
/// Decoding never fails: a status this crate does not know is kept as
/// [`ServerStatus::Other`]. Statuses compare by their wire text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum ServerStatus {
    /// Being built (`BUILD`).
    Build,
    /// Running (`ACTIVE`).
    Active,
    /// Shut down (`STOPPED`).
    Stopped,
    /// Rebooting (`REBOOT`).
    Reboot,
    /// Being resized (`RESIZE`).
    Resize,
    /// Failed (`ERROR`).
    Error,
    /// Deleted (`DELETED`).
    Deleted,
    /// Unknown to the server (`UNKNOWN`), or not given at all.
    #[default]
    Unknown,
    /// Any other status, verbatim (OpenStack's `SHUTOFF`, `RESCUE`…).
    Other(String),
}

impl ServerStatus {
    /// The wire text, e.g. `ACTIVE`.
    pub fn as_str(&self) -> &str {
        match self {
            ServerStatus::Build => "BUILD",
            ServerStatus::Active => "ACTIVE",
            ServerStatus::Stopped => "STOPPED",
            ServerStatus::Reboot => "REBOOT",
            ServerStatus::Resize => "RESIZE",
            ServerStatus::Error => "ERROR",
            ServerStatus::Deleted => "DELETED",
            ServerStatus::Unknown => "UNKNOWN",
            ServerStatus::Other(other) => other,
        }
    }
}

impl fmt::Display for ServerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ServerStatus {
    fn from(text: &str) -> Self {
        match text.trim().to_ascii_uppercase().as_str() {
            "BUILD" => ServerStatus::Build,
            "ACTIVE" => ServerStatus::Active,
            "STOPPED" => ServerStatus::Stopped,
            "REBOOT" => ServerStatus::Reboot,
            "RESIZE" => ServerStatus::Resize,
            "ERROR" => ServerStatus::Error,
            "DELETED" => ServerStatus::Deleted,
            "UNKNOWN" | "" => ServerStatus::Unknown,
            _ => ServerStatus::Other(text.to_owned()),
        }
    }
}

impl FromStr for ServerStatus {
    type Err = std::convert::Infallible;

    /// Parses case-insensitively; unknown text becomes
    /// [`ServerStatus::Other`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(ServerStatus::from(text))
    }
}

impl Serialize for ServerStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServerStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text: Option<String> = de::opt_string(deserializer)?;
        Ok(text.map_or(ServerStatus::Unknown, |t| ServerStatus::from(t.as_str())))
    }
}

/// A server as listed by `GET /servers`: id, name and links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Server {
    /// The server id (an integer in Synnefo).
    #[serde(deserialize_with = "de::id")]
    pub id: u64,
    /// The name.
    #[serde(default, deserialize_with = "de::nullable")]
    pub name: String,
    /// Links to the server.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The full representation of a server (`GET /servers/detail`,
/// `GET /servers/<id>`, and the answer to a create, wire reference §3.1).
///
/// Only `id` is required; everything else defaults when absent, so the
/// smaller answers of other OpenStack clouds decode too.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerDetails {
    /// The server id.
    #[serde(deserialize_with = "de::id")]
    pub id: u64,
    /// The name.
    #[serde(default, deserialize_with = "de::nullable")]
    pub name: String,
    /// Links to the server.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The project the server is charged to.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Whether the server is shared with the members of its project.
    #[serde(default)]
    pub shared_to_project: Option<bool>,
    /// The status; [`ServerStatus::Unknown`] when not given.
    #[serde(default)]
    pub status: ServerStatus,
    /// Synnefo's task in progress (`BUILDING`, `STARTING`, … or empty).
    #[serde(rename = "SNF:task_state", default)]
    pub task_state: Option<String>,
    /// Build progress in percent (100 once active).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub progress: Option<u64>,
    /// The backend host id (often empty).
    #[serde(rename = "hostId", default)]
    pub host_id: Option<String>,
    /// Creation time, ISO 8601.
    #[serde(default)]
    pub created: Option<String>,
    /// Last update time, ISO 8601.
    #[serde(default)]
    pub updated: Option<String>,
    /// The flavor.
    #[serde(default, deserialize_with = "de::object_or_none")]
    pub flavor: Option<FlavorRef>,
    /// The image (absent, or `""` on the wire, for a server booted from a
    /// volume on some clouds).
    #[serde(default, deserialize_with = "de::object_or_none")]
    pub image: Option<ImageRef>,
    /// Whether an administrator suspended the server.
    #[serde(default)]
    pub suspended: Option<bool>,
    /// User metadata.
    #[serde(default, deserialize_with = "de::metadata")]
    pub metadata: Metadata,
    /// User tags.
    #[serde(default, deserialize_with = "de::nullable")]
    pub tags: Vec<String>,
    /// The network interfaces (Synnefo `attachments`).
    #[serde(default, deserialize_with = "de::nullable")]
    pub attachments: Vec<Nic>,
    /// Addresses by network id.
    #[serde(default, deserialize_with = "de::nullable")]
    pub addresses: BTreeMap<String, Vec<Address>>,
    /// Ids of the attached volumes.
    #[serde(default, deserialize_with = "de::string_list")]
    pub volumes: Vec<String>,
    /// The latest diagnostic (zero or one entries).
    #[serde(default, deserialize_with = "de::nullable")]
    pub diagnostics: Vec<Diagnostic>,
    /// Security groups (always `default` in Synnefo).
    #[serde(default, deserialize_with = "de::nullable")]
    pub security_groups: Vec<SecurityGroup>,
    /// The first SSH key name, if any.
    #[serde(default)]
    pub key_name: Option<String>,
    /// Every SSH key name.
    #[serde(rename = "SNF:key_names", default, deserialize_with = "de::nullable")]
    pub key_names: Vec<String>,
    /// `config_drive` (always empty in Synnefo).
    #[serde(default)]
    pub config_drive: Option<String>,
    /// `accessIPv4` (always empty in Synnefo).
    #[serde(rename = "accessIPv4", default)]
    pub access_ipv4: Option<String>,
    /// `accessIPv6` (always empty in Synnefo).
    #[serde(rename = "accessIPv6", default)]
    pub access_ipv6: Option<String>,
    /// The host name the deployment gives the server.
    #[serde(rename = "SNF:fqdn", default)]
    pub fqdn: Option<String>,
    /// Port forwarding, by local port.
    #[serde(
        rename = "SNF:port_forwarding",
        default,
        deserialize_with = "de::nullable"
    )]
    pub port_forwarding: BTreeMap<String, PortForwarding>,
    /// Whether the server is deleted (seen with `changes-since`).
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Whether the server is in rescue mode.
    #[serde(rename = "SNF:rescue", default)]
    pub rescue: Option<bool>,
    /// The administrator password: only in the answer to a create, the one
    /// time it is shown.
    #[serde(rename = "adminPass", default, skip_serializing_if = "Option::is_none")]
    pub admin_pass: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference to a flavor inside a server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FlavorRef {
    /// The flavor id.
    #[serde(deserialize_with = "de::id")]
    pub id: u64,
    /// Links to the flavor.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference to an image inside a server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageRef {
    /// The image id (a UUID).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// Links to the image (self, bookmark, and the Plankton `alternate`).
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A network interface of a server (an entry of Synnefo's `attachments`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Nic {
    /// The NIC (port) id.
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The network it is on.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub network_id: Option<String>,
    /// The MAC address.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// The IPv4 address, or empty.
    #[serde(default)]
    pub ipv4: Option<String>,
    /// The IPv6 address, or empty.
    #[serde(default)]
    pub ipv6: Option<String>,
    /// `ENABLED`, `DISABLED` or `PROTECTED`, when set.
    #[serde(rename = "firewallProfile", default)]
    pub firewall_profile: Option<String>,
    /// `fixed` or `floating`, when the NIC has an IP.
    #[serde(rename = "OS-EXT-IPS:type", default)]
    pub ip_type: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An IP address of a server on one network.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// 4 or 6.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub version: Option<u64>,
    /// The address.
    #[serde(default, deserialize_with = "de::nullable")]
    pub addr: String,
    /// `fixed` or `floating`.
    #[serde(rename = "OS-EXT-IPS:type", default)]
    pub ip_type: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of `GET /servers/<id>/ips`: addresses by network, and the
/// NICs they come from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerNics {
    /// Addresses by network id.
    #[serde(default, deserialize_with = "de::nullable")]
    pub addresses: BTreeMap<String, Vec<Address>>,
    /// The NICs.
    #[serde(default, deserialize_with = "de::nullable")]
    pub attachments: Vec<Nic>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A diagnostic message about a server (build progress, errors).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `DEBUG`, `INFO`, `WARNING`, `ERROR`.
    #[serde(default)]
    pub level: Option<String>,
    /// When it was recorded.
    #[serde(default)]
    pub created: Option<String>,
    /// What reported it.
    #[serde(default)]
    pub source: Option<String>,
    /// When the source produced it.
    #[serde(default)]
    pub source_date: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// Details (text, or a structure).
    #[serde(default)]
    pub details: Option<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A security group reference.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a forwarded port leads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PortForwarding {
    /// The host to connect to.
    #[serde(default)]
    pub host: Option<String>,
    /// The port on that host.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub port: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A flavor: the hardware of a server. Listings without `detail` carry
/// only `id`, `name` and `links`; the other fields are then `None`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Flavor {
    /// The flavor id (an integer in Synnefo).
    #[serde(deserialize_with = "de::id")]
    pub id: u64,
    /// The name, e.g. `C2R2048D40ext_archipelago`.
    #[serde(default, deserialize_with = "de::nullable")]
    pub name: String,
    /// Links to the flavor.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// Memory in MiB.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub ram: Option<u64>,
    /// Disk in GiB.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub disk: Option<u64>,
    /// Virtual CPUs.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub vcpus: Option<u64>,
    /// Whether every project may use it.
    #[serde(rename = "os-flavor-access:is_public", default)]
    pub is_public: Option<bool>,
    /// The Ganeti disk template, e.g. `ext_archipelago`.
    #[serde(rename = "SNF:disk_template", default)]
    pub disk_template: Option<String>,
    /// The volume type id of its disks.
    #[serde(
        rename = "SNF:volume_type",
        default,
        deserialize_with = "de::opt_string"
    )]
    pub volume_type: Option<String>,
    /// Whether servers may be created with it.
    #[serde(rename = "SNF:allow_create", default)]
    pub allow_create: Option<bool>,
    /// The caller's projects that grant access to it.
    #[serde(
        rename = "SNF:flavor-access",
        default,
        deserialize_with = "de::string_list"
    )]
    pub flavor_access: Vec<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An image as the compute API shows it (a view of a Plankton image).
/// Listings without `detail` carry only `id` and `name`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The image id (a UUID).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "de::nullable")]
    pub name: String,
    /// Links to the image.
    #[serde(default, deserialize_with = "de::nullable")]
    pub links: Vec<Link>,
    /// Creation time.
    #[serde(default)]
    pub created: Option<String>,
    /// Last update time.
    #[serde(default)]
    pub updated: Option<String>,
    /// `ACTIVE`, `SAVING`, `ERROR`, `UNKNOWN`.
    #[serde(default)]
    pub status: Option<String>,
    /// Progress in percent.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub progress: Option<u64>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The owner's UUID, as a project.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Whether the image is public.
    #[serde(default)]
    pub public: Option<bool>,
    /// The image properties (`os`, `users`, `osfamily`…).
    #[serde(default, deserialize_with = "de::metadata")]
    pub metadata: Metadata,
    /// Whether the image is a snapshot of a volume.
    #[serde(default)]
    pub is_snapshot: Option<bool>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An SSH key pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Keypair {
    /// The name.
    #[serde(default, deserialize_with = "de::nullable")]
    pub name: String,
    /// The MD5 fingerprint, colon-separated hex.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// The public key.
    #[serde(default)]
    pub public_key: Option<String>,
    /// The private key: only in the answer to a create that asked the
    /// server to generate the pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// The owner's UUID.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The internal id (single-key answers only).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub id: Option<String>,
    /// Creation time (single-key answers only).
    #[serde(default)]
    pub created_at: Option<String>,
    /// Update time (single-key answers only).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Whether it is deleted (single-key answers only).
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Deletion time (single-key answers only).
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A floating IP through the compute API (`/os-floating-ips`).
///
/// Also decodes the network-API shape that Synnefo returns for a single
/// floating IP (`floating_ip_address`, `fixed_ip_address`,
/// `floating_network_id`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloatingIp {
    /// The floating IP id.
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    /// The address.
    #[serde(default, alias = "floating_ip_address")]
    pub ip: Option<String>,
    /// The fixed address it maps to, if any.
    #[serde(default, alias = "fixed_ip_address")]
    pub fixed_ip: Option<String>,
    /// The server it is attached to, if any.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub instance_id: Option<String>,
    /// The pool (in Synnefo, the network) it comes from.
    #[serde(
        default,
        alias = "floating_network_id",
        deserialize_with = "de::opt_string"
    )]
    pub pool: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A floating IP pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FloatingIpPool {
    /// Its name.
    #[serde(default, deserialize_with = "de::nullable")]
    pub name: String,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Console connection details (`console` or `os-getVNCConsole` actions).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Console {
    /// The console type, e.g. `vnc` or `novnc`.
    #[serde(rename = "type", default)]
    pub console_type: Option<String>,
    /// The host to connect to (Synnefo `console`).
    #[serde(default)]
    pub host: Option<String>,
    /// The port to connect to (Synnefo `console`).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub port: Option<u64>,
    /// The one-time password (Synnefo `console`).
    #[serde(default)]
    pub password: Option<String>,
    /// The URL to open (`os-getVNCConsole`).
    #[serde(default)]
    pub url: Option<String>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Rate and absolute limits (`GET /limits`; Synnefo has no such endpoint).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Absolute limits by name (`maxTotalInstances`…).
    #[serde(default, deserialize_with = "de::nullable")]
    pub absolute: Map<String, Value>,
    /// Rate limits.
    #[serde(default, deserialize_with = "de::nullable")]
    pub rate: Vec<Value>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    /// The full server of wire reference §3.1, as Synnefo renders it.
    pub(crate) fn wire_server() -> Value {
        json!({
            "id": 42,
            "name": "my vm",
            "links": [
                {"rel": "self", "href": "https://c/compute/v2.0/servers/42"},
                {"rel": "bookmark", "href": "https://c/compute/v2.0/servers/42"}
            ],
            "user_id": "u-1",
            "tenant_id": "p-1",
            "shared_to_project": false,
            "status": "ACTIVE",
            "SNF:task_state": "",
            "progress": 100,
            "hostId": "",
            "created": "2013-06-19T15:23:59.975572+00:00",
            "updated": "2013-06-19T15:25:01.000000+00:00",
            "flavor": {"id": 3, "links": [{"rel": "self", "href": "https://c/compute/v2.0/flavors/3"}]},
            "image": {"id": "9e1b-uuid", "links": [
                {"rel": "self", "href": "https://c/compute/v2.0/images/9e1b-uuid"},
                {"rel": "alternate", "href": "https://c/image/v1.0/images/9e1b-uuid"}
            ]},
            "suspended": false,
            "metadata": {"os": "debian", "users": "root"},
            "tags": [],
            "attachments": [{
                "id": 7, "network_id": "12", "mac_address": "aa:00:00:11:22:33",
                "ipv4": "192.168.1.2", "ipv6": "", "firewallProfile": "DISABLED",
                "OS-EXT-IPS:type": "fixed"
            }],
            "addresses": {"12": [{"version": 4, "addr": "192.168.1.2", "OS-EXT-IPS:type": "fixed"}]},
            "volumes": [101, 102],
            "diagnostics": [{
                "level": "INFO", "created": "2013-06-19T15:24:00+00:00", "source": "image-helper",
                "message": "Image customisation finished", "details": null
            }],
            "security_groups": [{"name": "default"}],
            "key_name": null,
            "SNF:key_names": [],
            "config_drive": "",
            "accessIPv4": "",
            "accessIPv6": "",
            "SNF:fqdn": "snf-42.vm.example.synnefo.org",
            "SNF:port_forwarding": {"22": {"host": "gw.example.org", "port": "10022"}},
            "deleted": false,
            "SNF:rescue": false,
            "SNF:future_field": {"kept": true}
        })
    }

    #[test]
    fn decodes_the_wire_server() {
        let server: ServerDetails = serde_json::from_value(wire_server()).unwrap();
        assert_eq!(server.id, 42);
        assert_eq!(server.name, "my vm");
        assert_eq!(server.status, ServerStatus::Active);
        assert_eq!(server.progress, Some(100));
        assert_eq!(server.flavor.as_ref().unwrap().id, 3);
        assert_eq!(server.image.as_ref().unwrap().id, "9e1b-uuid");
        assert_eq!(server.metadata["os"], "debian");
        assert_eq!(server.attachments[0].id, "7");
        assert_eq!(server.attachments[0].network_id.as_deref(), Some("12"));
        assert_eq!(
            server.attachments[0].firewall_profile.as_deref(),
            Some("DISABLED")
        );
        assert_eq!(server.addresses["12"][0].addr, "192.168.1.2");
        assert_eq!(server.addresses["12"][0].version, Some(4));
        assert_eq!(server.volumes, vec!["101", "102"]);
        assert_eq!(server.diagnostics[0].level.as_deref(), Some("INFO"));
        assert_eq!(server.security_groups[0].name.as_deref(), Some("default"));
        assert_eq!(server.key_name, None);
        assert_eq!(
            server.fqdn.as_deref(),
            Some("snf-42.vm.example.synnefo.org")
        );
        assert_eq!(server.port_forwarding["22"].port.as_deref(), Some("10022"));
        assert_eq!(server.rescue, Some(false));
        assert_eq!(server.admin_pass, None);
        assert_eq!(server.extra["SNF:future_field"], json!({"kept": true}));
        assert!(!server.extra.contains_key("status"));
    }

    #[test]
    fn string_ids_and_sparse_servers_decode() {
        // The compute guide shows string ids; other clouds omit most fields
        // in a create answer and send "" for the image of a volume-booted
        // server.
        let server: ServerDetails = serde_json::from_value(json!({
            "id": "42", "image": "", "flavor": {"id": "3"}, "adminPass": "Secret123x",
            "metadata": null, "addresses": null
        }))
        .unwrap();
        assert_eq!(server.id, 42);
        assert_eq!(server.image, None);
        assert_eq!(server.flavor.unwrap().id, 3);
        assert_eq!(server.status, ServerStatus::Unknown);
        assert_eq!(server.admin_pass.as_deref(), Some("Secret123x"));
        assert!(server.metadata.is_empty() && server.addresses.is_empty());
        let listed: Server = serde_json::from_value(json!({"id": 1, "name": null})).unwrap();
        assert_eq!((listed.id, listed.name.as_str()), (1, ""));
    }

    #[test]
    fn a_bad_server_id_is_an_error() {
        assert!(serde_json::from_value::<ServerDetails>(json!({"id": "abc"})).is_err());
        assert!(serde_json::from_value::<ServerDetails>(json!({"name": "x"})).is_err());
    }

    #[test]
    fn statuses_round_trip_and_keep_unknown_text() {
        for text in [
            "BUILD", "ACTIVE", "STOPPED", "REBOOT", "RESIZE", "ERROR", "DELETED", "UNKNOWN",
        ] {
            let status: ServerStatus = text.parse().unwrap();
            assert!(!matches!(status, ServerStatus::Other(_)), "{text}");
            assert_eq!(status.to_string(), text);
        }
        assert_eq!(ServerStatus::from("active"), ServerStatus::Active);
        let other: ServerStatus = serde_json::from_value(json!("SHUTOFF")).unwrap();
        assert_eq!(other, ServerStatus::Other("SHUTOFF".into()));
        assert_eq!(serde_json::to_value(&other).unwrap(), json!("SHUTOFF"));
        let null: ServerStatus = serde_json::from_value(Value::Null).unwrap();
        assert_eq!(null, ServerStatus::Unknown);
    }

    #[test]
    fn decodes_flavors_in_both_forms() {
        let flavor: Flavor = serde_json::from_value(json!({
            "id": 1, "name": "C2R2048D40ext_archipelago", "links": [],
            "ram": 2048, "disk": 40, "vcpus": 2,
            "os-flavor-access:is_public": true,
            "SNF:disk_template": "ext_archipelago", "SNF:volume_type": 1,
            "SNF:allow_create": true, "SNF:flavor-access": ["p-1"]
        }))
        .unwrap();
        assert_eq!(
            (flavor.id, flavor.ram, flavor.disk, flavor.vcpus),
            (1, Some(2048), Some(40), Some(2))
        );
        assert_eq!(flavor.volume_type.as_deref(), Some("1"));
        assert_eq!(flavor.flavor_access, vec!["p-1"]);
        assert_eq!(flavor.is_public, Some(true));
        let short: Flavor = serde_json::from_value(json!({"id": "2", "name": "small"})).unwrap();
        assert_eq!((short.id, short.ram), (2, None));
    }

    #[test]
    fn decodes_images_keypairs_and_floating_ips() {
        let image: Image = serde_json::from_value(json!({
            "id": "img-1", "name": "Debian", "status": "ACTIVE", "progress": 100,
            "updated": "2013-01-01T00:00:00+00:00", "created": "2013-01-01T00:00:00+00:00",
            "user_id": "u", "tenant_id": "u", "public": true, "is_snapshot": false,
            "metadata": {"os": "debian", "users": "root user", "size": 2048},
            "links": []
        }))
        .unwrap();
        assert_eq!(image.metadata["users"], "root user");
        assert_eq!(image.metadata["size"], "2048");
        assert_eq!(image.is_snapshot, Some(false));

        let key: Keypair = serde_json::from_value(json!({
            "name": "k", "fingerprint": "aa:bb", "public_key": "ssh-rsa AAA",
            "id": 3, "created_at": "2014-01-01T00:00:00", "deleted": false, "deleted_at": null
        }))
        .unwrap();
        assert_eq!(key.id.as_deref(), Some("3"));
        assert_eq!(key.private_key, None);

        let compute: FloatingIp = serde_json::from_value(json!({
            "fixed_ip": null, "id": 5, "instance_id": "42", "ip": "83.212.1.5", "pool": null
        }))
        .unwrap();
        assert_eq!(compute.id, "5");
        assert_eq!(compute.ip.as_deref(), Some("83.212.1.5"));
        let network: FloatingIp = serde_json::from_value(json!({
            "id": "5", "floating_ip_address": "83.212.1.5", "fixed_ip_address": null,
            "floating_network_id": 9, "port_id": "77", "instance_id": 42
        }))
        .unwrap();
        assert_eq!(network.ip.as_deref(), Some("83.212.1.5"));
        assert_eq!(network.pool.as_deref(), Some("9"));
        assert_eq!(network.instance_id.as_deref(), Some("42"));
        assert_eq!(network.extra["port_id"], json!("77"));
    }

    #[test]
    fn decodes_consoles_and_nics() {
        let console: Console = serde_json::from_value(json!({
            "type": "vnc", "host": "h.example.org", "port": "5901", "password": "pw"
        }))
        .unwrap();
        assert_eq!(console.port, Some(5901));
        assert_eq!(console.console_type.as_deref(), Some("vnc"));
        let nics: ServerNics = serde_json::from_value(json!({
            "addresses": {"1": [{"version": 6, "addr": "2001:db8::1"}]},
            "attachments": [{"id": "nic-1", "network_id": 1}]
        }))
        .unwrap();
        assert_eq!(nics.addresses["1"][0].version, Some(6));
        assert_eq!(nics.attachments[0].network_id.as_deref(), Some("1"));
    }

    #[test]
    fn models_serialise_with_wire_names() {
        let server: ServerDetails = serde_json::from_value(wire_server()).unwrap();
        let back = serde_json::to_value(&server).unwrap();
        assert_eq!(back["SNF:fqdn"], json!("snf-42.vm.example.synnefo.org"));
        assert_eq!(back["status"], json!("ACTIVE"));
        assert_eq!(back["SNF:future_field"], json!({"kept": true}));
        assert!(back.get("adminPass").is_none());
    }
}
