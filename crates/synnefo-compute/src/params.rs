//! What the caller sends: filters of listings and the bodies of create and
//! update calls.

use crate::base64;
use crate::models::{Metadata, ServerStatus};
use serde_json::{Map, Value, json};

/// Filters of [`ComputeClient::list_servers`](crate::ComputeClient::list_servers)
/// (kamaki `list_servers`). Unset filters are not sent.
///
/// Synnefo honours `changes-since` (deleted servers are then included, and
/// an unchanged listing answers `304`, which gives an empty list); the
/// other filters are OpenStack's and a Synnefo server may ignore them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListServers {
    /// Only servers changed since this ISO 8601 time (at most an hour ago
    /// in Synnefo).
    pub changes_since: Option<String>,
    /// Only servers of this image.
    pub image: Option<String>,
    /// Only servers of this flavor.
    pub flavor: Option<u64>,
    /// Only servers with this name.
    pub name: Option<String>,
    /// Only servers with this status.
    pub status: Option<ServerStatus>,
    /// Only servers on this host.
    pub host: Option<String>,
    /// Start after this server id.
    pub marker: Option<String>,
    /// At most this many servers.
    pub limit: Option<u32>,
}

/// Filters of [`ComputeClient::list_flavors`](crate::ComputeClient::list_flavors).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFlavors {
    /// Only flavors changed since this ISO 8601 time.
    pub changes_since: Option<String>,
    /// Only flavors with at least this much disk (GiB).
    pub min_disk: Option<u64>,
    /// Only flavors with at least this much memory (MiB).
    pub min_ram: Option<u64>,
    /// Start after this flavor id.
    pub marker: Option<String>,
    /// At most this many flavors.
    pub limit: Option<u32>,
    /// Only public (`true`) or private (`false`) flavors: OpenStack's
    /// `is_public`. Synnefo filters on `SNF:is_public` instead, which
    /// `synnefo-cyclades` sends.
    pub is_public: Option<bool>,
}

/// Filters of [`ComputeClient::list_images`](crate::ComputeClient::list_images).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListImages {
    /// Only images changed since this ISO 8601 time.
    pub changes_since: Option<String>,
    /// Only snapshots of this server (sent as `server`).
    pub server_name: Option<String>,
    /// Only images with this name.
    pub name: Option<String>,
    /// Only images with this status.
    pub status: Option<String>,
    /// Start after this image id.
    pub marker: Option<String>,
    /// At most this many images.
    pub limit: Option<u32>,
    /// Only images of this type (sent as `type`).
    pub image_type: Option<String>,
}

/// A file to place on a new server (OpenStack "personality"). The contents
/// are base64-encoded for the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Personality {
    /// The path on the server, e.g. `/root/.ssh/authorized_keys`.
    pub path: String,
    /// The raw contents (Synnefo accepts up to 10240 bytes).
    pub contents: Vec<u8>,
    /// The owner, e.g. `root`.
    pub owner: Option<String>,
    /// The group, e.g. `root`.
    pub group: Option<String>,
    /// The permission bits, e.g. `0o600` (sent as the decimal number
    /// kamaki sends, `384`).
    pub mode: Option<u32>,
}

impl Personality {
    /// A file with the given path and contents, owner, group and mode left
    /// to the server.
    pub fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        Personality {
            path: path.into(),
            contents: contents.into(),
            ..Personality::default()
        }
    }

    /// This file with an owner.
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// This file with a group.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// This file with permission bits.
    pub fn mode(mut self, mode: u32) -> Self {
        self.mode = Some(mode);
        self
    }

    /// The wire form: `{"path", "contents": <base64>[, "owner"][, "group"][, "mode"]}`.
    pub fn to_json(&self) -> Value {
        let mut item = Map::new();
        item.insert("path".into(), json!(self.path));
        item.insert("contents".into(), json!(base64::encode(&self.contents)));
        if let Some(owner) = &self.owner {
            item.insert("owner".into(), json!(owner));
        }
        if let Some(group) = &self.group {
            item.insert("group".into(), json!(group));
        }
        if let Some(mode) = self.mode {
            item.insert("mode".into(), json!(mode));
        }
        Value::Object(item)
    }
}

/// A network connection of a new server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerNetwork {
    /// A NIC on a network, with an address chosen by the server or the
    /// given one (for a public network: one of the caller's floating IPs).
    Network {
        /// The network id.
        uuid: String,
        /// The address to use.
        fixed_ip: Option<String>,
    },
    /// An existing port.
    Port {
        /// The port id.
        port: String,
    },
}

impl ServerNetwork {
    /// A NIC on `network_id`.
    pub fn network(network_id: impl Into<String>) -> Self {
        ServerNetwork::Network {
            uuid: network_id.into(),
            fixed_ip: None,
        }
    }

    /// A NIC on `network_id` with the address `ip`.
    pub fn network_with_ip(network_id: impl Into<String>, ip: impl Into<String>) -> Self {
        ServerNetwork::Network {
            uuid: network_id.into(),
            fixed_ip: Some(ip.into()),
        }
    }

    /// The existing port `port_id`.
    pub fn port(port_id: impl Into<String>) -> Self {
        ServerNetwork::Port {
            port: port_id.into(),
        }
    }

    /// The wire form: `{"uuid"}`, `{"uuid", "fixed_ip"}` or `{"port"}`.
    pub fn to_json(&self) -> Value {
        match self {
            ServerNetwork::Network {
                uuid,
                fixed_ip: None,
            } => json!({ "uuid": uuid }),
            ServerNetwork::Network {
                uuid,
                fixed_ip: Some(ip),
            } => json!({ "uuid": uuid, "fixed_ip": ip }),
            ServerNetwork::Port { port } => json!({ "port": port }),
        }
    }
}

/// The body of a server create (kamaki `create_server`).
///
/// ```
/// use synnefo_compute::{CreateServer, Personality, ServerNetwork};
/// let mut create = CreateServer::new("web-1", 3, "9e1b-image-uuid");
/// create.key_name = Some("laptop".into());
/// create.networks = Some(vec![ServerNetwork::network("12")]);
/// create.personality.push(Personality::new("/etc/motd", "hello\n").mode(0o644));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateServer {
    /// The name (at most 255 characters).
    pub name: String,
    /// The flavor id (`flavorRef`, an integer on the wire).
    pub flavor_id: u64,
    /// The image id (`imageRef`).
    pub image_id: String,
    /// User metadata (sent only when not empty).
    pub metadata: Metadata,
    /// Files to inject (sent only when not empty).
    pub personality: Vec<Personality>,
    /// The NICs: `None` leaves them to the cloud's default policy (the key
    /// is omitted), `Some(vec![])` asks for none.
    pub networks: Option<Vec<ServerNetwork>>,
    /// The SSH key pair to install.
    pub key_name: Option<String>,
    /// The project to charge (Synnefo; default: the user's default project).
    pub project: Option<String>,
    /// User data for cloud-init, raw (base64-encoded for the wire).
    pub user_data: Option<Vec<u8>>,
    /// The administrator password (Synnefo: at least 10 characters with
    /// upper case, lower case and a digit; generated when absent).
    pub admin_pass: Option<String>,
    /// The availability zone (OpenStack).
    pub availability_zone: Option<String>,
    /// Security group names (OpenStack; sent as `[{"name": …}]`).
    pub security_groups: Vec<String>,
    /// Any other fields of the `server` object, verbatim (e.g.
    /// `block_device_mapping_v2`, `shared_to_project`, `SNF:key_names`).
    pub extra: Map<String, Value>,
}

impl CreateServer {
    /// A create of `name` from `flavor_id` and `image_id`, nothing else set.
    pub fn new(name: impl Into<String>, flavor_id: u64, image_id: impl Into<String>) -> Self {
        CreateServer {
            name: name.into(),
            flavor_id,
            image_id: image_id.into(),
            ..CreateServer::default()
        }
    }

    /// The wire body: `{"server": {"name", "flavorRef", "imageRef", …}}`.
    pub fn to_json(&self) -> Value {
        let mut server = self.extra.clone();
        server.insert("name".into(), json!(self.name));
        server.insert("flavorRef".into(), json!(self.flavor_id));
        server.insert("imageRef".into(), json!(self.image_id));
        if !self.metadata.is_empty() {
            server.insert("metadata".into(), json!(self.metadata));
        }
        if !self.personality.is_empty() {
            let items: Vec<Value> = self.personality.iter().map(Personality::to_json).collect();
            server.insert("personality".into(), Value::Array(items));
        }
        if let Some(networks) = &self.networks {
            let items: Vec<Value> = networks.iter().map(ServerNetwork::to_json).collect();
            server.insert("networks".into(), Value::Array(items));
        }
        if let Some(key_name) = &self.key_name {
            server.insert("key_name".into(), json!(key_name));
        }
        if let Some(project) = &self.project {
            server.insert("project".into(), json!(project));
        }
        if let Some(user_data) = &self.user_data {
            server.insert("user_data".into(), json!(base64::encode(user_data)));
        }
        if let Some(admin_pass) = &self.admin_pass {
            server.insert("adminPass".into(), json!(admin_pass));
        }
        if let Some(zone) = &self.availability_zone {
            server.insert("availability_zone".into(), json!(zone));
        }
        if !self.security_groups.is_empty() {
            let groups: Vec<Value> = self
                .security_groups
                .iter()
                .map(|name| json!({ "name": name }))
                .collect();
            server.insert("security_groups".into(), Value::Array(groups));
        }
        json!({ "server": server })
    }
}

/// The body of a server update (`PUT /servers/<id>`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdateServer {
    /// A new name.
    pub name: Option<String>,
    /// Any other fields of the `server` object, verbatim.
    pub extra: Map<String, Value>,
}

impl UpdateServer {
    /// The wire body: `{"server": {…}}`.
    pub fn to_json(&self) -> Value {
        let mut server = self.extra.clone();
        if let Some(name) = &self.name {
            server.insert("name".into(), json!(name));
        }
        json!({ "server": server })
    }
}

/// How to reboot a server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RebootType {
    /// Ask the operating system to restart (`SOFT`).
    #[default]
    Soft,
    /// Power-cycle the machine (`HARD`).
    Hard,
}

impl RebootType {
    /// The wire text, `SOFT` or `HARD`.
    pub fn as_str(self) -> &'static str {
        match self {
            RebootType::Soft => "SOFT",
            RebootType::Hard => "HARD",
        }
    }
}

/// The arguments of a rebuild. With no image, the server's current image
/// is used (what kamaki's broken `rebuild_server` meant to do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rebuild {
    /// The image to rebuild from; `None` = the server's current image.
    pub image_id: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// A new administrator password.
    pub admin_pass: Option<String>,
    /// New metadata.
    pub metadata: Option<Metadata>,
    /// Files to inject.
    pub personality: Vec<Personality>,
}

impl Rebuild {
    /// The wire body for the given image: `{"rebuild": {"imageRef", …}}`.
    pub fn to_json(&self, image_id: &str) -> Value {
        let mut rebuild = Map::new();
        rebuild.insert("imageRef".into(), json!(image_id));
        if let Some(name) = &self.name {
            rebuild.insert("name".into(), json!(name));
        }
        if let Some(admin_pass) = &self.admin_pass {
            rebuild.insert("adminPass".into(), json!(admin_pass));
        }
        if let Some(metadata) = &self.metadata {
            rebuild.insert("metadata".into(), json!(metadata));
        }
        if !self.personality.is_empty() {
            let items: Vec<Value> = self.personality.iter().map(Personality::to_json).collect();
            rebuild.insert("personality".into(), Value::Array(items));
        }
        json!({ "rebuild": rebuild })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_matches_kamaki_minimal_form() {
        // §4.3 test_create_server: only name, flavorRef, imageRef.
        let body = CreateServer::new("my new VM", 42, "1m4g3-r3f3r3nc3").to_json();
        assert_eq!(
            body,
            json!({"server": {"flavorRef": 42, "name": "my new VM", "imageRef": "1m4g3-r3f3r3nc3"}})
        );
    }

    #[test]
    fn create_body_with_everything() {
        let mut create = CreateServer::new("vm", 3, "img");
        create.key_name = Some("k".into());
        create.project = Some("p1".into());
        create.metadata.insert("a".into(), "b".into());
        create.networks = Some(vec![
            ServerNetwork::network("n1"),
            ServerNetwork::network_with_ip("n2", "10.0.0.5"),
            ServerNetwork::port("p1"),
        ]);
        create.personality.push(
            Personality::new("/a", "hello")
                .owner("root")
                .group("root")
                .mode(0o600),
        );
        create.user_data = Some(b"#!/bin/sh\n".to_vec());
        create.admin_pass = Some("Passw0rdXy".into());
        create.availability_zone = Some("az".into());
        create.security_groups = vec!["default".into()];
        create.extra.insert("shared_to_project".into(), json!(true));
        assert_eq!(
            create.to_json(),
            json!({"server": {
                "name": "vm", "flavorRef": 3, "imageRef": "img", "key_name": "k",
                "project": "p1", "metadata": {"a": "b"},
                "networks": [{"uuid": "n1"}, {"uuid": "n2", "fixed_ip": "10.0.0.5"}, {"port": "p1"}],
                "personality": [{"path": "/a", "contents": "aGVsbG8=", "owner": "root",
                                 "group": "root", "mode": 384}],
                "user_data": "IyEvYmluL3NoCg==", "adminPass": "Passw0rdXy",
                "availability_zone": "az", "security_groups": [{"name": "default"}],
                "shared_to_project": true
            }})
        );
    }

    #[test]
    fn empty_networks_are_sent_and_absent_ones_are_not() {
        let mut create = CreateServer::new("vm", 1, "img");
        assert!(create.to_json()["server"].get("networks").is_none());
        create.networks = Some(vec![]);
        assert_eq!(create.to_json()["server"]["networks"], json!([]));
    }

    #[test]
    fn rebuild_and_update_bodies() {
        let rebuild = Rebuild {
            name: Some("n".into()),
            ..Rebuild::default()
        };
        assert_eq!(
            rebuild.to_json("img"),
            json!({"rebuild": {"imageRef": "img", "name": "n"}})
        );
        let update = UpdateServer {
            name: Some("new".into()),
            ..UpdateServer::default()
        };
        assert_eq!(update.to_json(), json!({"server": {"name": "new"}}));
    }
}
