//! Volume attachments of servers (`/servers/<id>/os-volume_attachments`).

use crate::CycladesClient;
use crate::client::server_path;
use crate::decode::id_value;
use crate::models::VolumeAttachment;
use serde_json::json;
use synnefo_core::{Request, Result};

/// `/servers/<id>/os-volume_attachments`.
fn attachments_path(request: Request, server_id: u64) -> Request {
    server_path(request, server_id).segment("os-volume_attachments")
}

impl CycladesClient {
    /// `GET /servers/<id>/os-volume_attachments[/<attachment>]` (kamaki
    /// `volume_attachment_get`).
    pub fn get_volume_attachments_request(
        &self,
        server_id: u64,
        attachment_id: Option<&str>,
    ) -> Request {
        let request = attachments_path(Request::get(), server_id);
        match attachment_id {
            Some(id) => request.segment(id),
            None => request,
        }
    }

    /// The volumes attached to a server (kamaki `list_volume_attachments`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    pub async fn list_volume_attachments(&self, server_id: u64) -> Result<Vec<VolumeAttachment>> {
        let request = self.get_volume_attachments_request(server_id, None);
        self.endpoint()
            .send_field(request, "volumeAttachments")
            .await
    }

    /// One attachment of a server (kamaki `get_volume_attachment`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` when the volume is not attached
    /// to this server, `404` for an unknown one.
    pub async fn get_volume_attachment(
        &self,
        server_id: u64,
        attachment_id: &str,
    ) -> Result<VolumeAttachment> {
        let request = self.get_volume_attachments_request(server_id, Some(attachment_id));
        self.endpoint()
            .send_field(request, "volumeAttachment")
            .await
    }

    /// `POST /servers/<id>/os-volume_attachments` with
    /// `{"volumeAttachment": {"volumeId": <id>}}` (kamaki
    /// `volume_attachment_post`). A numeric volume id goes out as a number.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn attach_volume_request(&self, server_id: u64, volume_id: &str) -> Result<Request> {
        attachments_path(Request::post(), server_id)
            .json(&json!({"volumeAttachment": {"volumeId": id_value(volume_id)}}))
    }

    /// Attaches a volume to a server (kamaki `attach_volume`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` for a volume that is not
    /// available, of another disk template than the server's flavor, or
    /// beyond 8 disks.
    pub async fn attach_volume(&self, server_id: u64, volume_id: &str) -> Result<VolumeAttachment> {
        let request = self.attach_volume_request(server_id, volume_id)?;
        self.endpoint()
            .send_field(request, "volumeAttachment")
            .await
    }

    /// `DELETE /servers/<id>/os-volume_attachments/<attachment>` (kamaki
    /// `volume_attachment_delete`).
    pub fn delete_volume_attachment_request(&self, server_id: u64, attachment_id: &str) -> Request {
        attachments_path(Request::delete(), server_id).segment(attachment_id)
    }

    /// Removes one attachment (kamaki `delete_volume_attachment`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` for the root volume.
    pub async fn delete_volume_attachment(
        &self,
        server_id: u64,
        attachment_id: &str,
    ) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_volume_attachment_request(server_id, attachment_id))
            .await
    }

    /// Detaches a volume from a server: lists the server's attachments and
    /// deletes each of `volume_id` (kamaki `detach_volume`). Returns the
    /// attachments removed; an empty list when the volume was not attached.
    /// Not atomic: an error part-way leaves the earlier ones removed.
    ///
    /// # Errors
    /// As [`CycladesClient::list_volume_attachments`] and
    /// [`CycladesClient::delete_volume_attachment`].
    pub async fn detach_volume(
        &self,
        server_id: u64,
        volume_id: &str,
    ) -> Result<Vec<VolumeAttachment>> {
        let attachments = self.list_volume_attachments(server_id).await?;
        let mut removed = Vec::new();
        for attachment in attachments {
            if attachment.volume_id.as_deref() == Some(volume_id) {
                self.delete_volume_attachment(server_id, &attachment.id)
                    .await?;
                removed.push(attachment);
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, client, line};

    #[test]
    fn attachment_requests() {
        let c = client();
        assert_eq!(
            line(&c.get_volume_attachments_request(42, None)),
            "GET /servers/42/os-volume_attachments"
        );
        assert_eq!(
            line(&c.get_volume_attachments_request(42, Some("att"))),
            "GET /servers/42/os-volume_attachments/att"
        );
        let post = c.attach_volume_request(42, "101").unwrap();
        assert_eq!(line(&post), "POST /servers/42/os-volume_attachments");
        assert_eq!(body(&post), json!({"volumeAttachment": {"volumeId": 101}}));
        assert_eq!(
            body(&c.attach_volume_request(42, "vol-uuid").unwrap()),
            json!({"volumeAttachment": {"volumeId": "vol-uuid"}})
        );
        assert_eq!(
            line(&c.delete_volume_attachment_request(42, "att")),
            "DELETE /servers/42/os-volume_attachments/att"
        );
    }

    #[tokio::test]
    async fn detach_deletes_only_the_volumes_attachments() {
        // §4.4 test_detach_volume.
        let fake = Scripted::new(&[
            (
                200,
                r#"{"volumeAttachments": [
                    {"id": "att-id-1", "volumeId": "other-id"},
                    {"id": "att-id-2", "volumeId": "volume-id"},
                    {"id": "att-id-3", "volumeId": "other-id"}]}"#,
            ),
            (202, ""),
        ]);
        let removed = fake.client().detach_volume(42, "volume-id").await.unwrap();
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].id, "att-id-2");
        assert_eq!(
            fake.lines(),
            vec![
                "GET /servers/42/os-volume_attachments",
                "DELETE /servers/42/os-volume_attachments/att-id-2"
            ]
        );
    }

    #[tokio::test]
    async fn numeric_volume_ids_match_as_text() {
        let fake = Scripted::new(&[
            (
                200,
                r#"{"volumeAttachments": [{"id": 101, "volumeId": 101, "serverId": 42, "device": ""}]}"#,
            ),
            (202, ""),
            (200, r#"{"volumeAttachments": []}"#),
        ]);
        let client = fake.client();
        assert_eq!(client.detach_volume(42, "101").await.unwrap().len(), 1);
        assert!(client.detach_volume(42, "101").await.unwrap().is_empty());
    }
}
