//! The server representation (wire §3.1).

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::links::{Urls, links};
use super::network::{PortState, addresses};
use super::server::{Diagnostic, Server};
use super::world::World;
use crate::dates::isoformat;

/// `{"id", "name", "links"}`.
pub(crate) fn summary(urls: &Urls, server: &Server) -> Value {
    json!({
        "id": server.id,
        "name": server.name,
        "links": links(&urls.compute_item("servers", server.id)),
    })
}

/// Diagnostics as the API lists them.
pub(crate) fn diagnostics_json<'a>(entries: impl Iterator<Item = &'a Diagnostic>) -> Value {
    Value::Array(
        entries
            .map(|d| {
                json!({
                    "source": d.source,
                    "created": isoformat(d.created),
                    "message": d.message,
                    "details": d.details,
                    "level": d.level,
                })
            })
            .collect(),
    )
}

impl World {
    /// The `attachments` of a server: its active ports by id.
    pub(crate) fn attachments(&self, server: u64) -> Vec<Value> {
        self.ports
            .values()
            .filter(|p| p.machine == Some(server) && p.state == PortState::Active)
            .map(|p| self.nic_json(p))
            .collect()
    }

    /// The full representation of a server at `now`.
    pub(crate) fn server_detail(&self, urls: &Urls, server: &Server, now: OffsetDateTime) -> Value {
        let mut value = summary(urls, server);
        let attachments = self.attachments(server.id);
        let volumes: Vec<u64> = self
            .volumes
            .values()
            .filter(|v| v.machine == Some(server.id) && !v.deleted)
            .map(|v| v.id)
            .collect();
        let port_forwarding = json!({});
        let detail = json!({
            "user_id": server.user,
            "tenant_id": server.project,
            "shared_to_project": server.shared_to_project,
            "status": server.status(),
            "SNF:task_state": server.task_state(),
            "progress": server.progress(now),
            "hostId": "",
            "updated": isoformat(server.updated),
            "created": isoformat(server.created),
            "flavor": {
                "id": server.flavor,
                "links": links(&urls.compute_item("flavors", server.flavor)),
            },
            "image": {"id": server.image, "links": urls.image_links(&server.image)},
            "suspended": false,
            "metadata": server.metadata,
            "tags": server.active_tags(now),
            "addresses": addresses(&attachments),
            "attachments": attachments,
            "volumes": volumes,
            "diagnostics": diagnostics_json(server.diagnostics.last().into_iter()),
            "security_groups": [{"name": "default"}],
            "key_name": server.key_names.first(),
            "SNF:key_names": server.key_names,
            "config_drive": "",
            "accessIPv4": "",
            "accessIPv6": "",
            "SNF:fqdn": format!("snf-{}.vm.example.synnefo.org", server.id),
            "SNF:port_forwarding": port_forwarding,
            "deleted": server.deleted,
            "SNF:rescue": false,
        });
        if let (Some(target), Value::Object(extra)) = (value.as_object_mut(), detail) {
            target.extend(extra);
        }
        value
    }
}
