//! Snapshots and volume types.

use super::client::BlockStorageClient;
use super::metadata;
use super::models::{CreateSnapshot, Snapshot, UpdateSnapshot, VolumeType};
use synnefo_compute::Metadata;
use synnefo_core::{Error, Request, Result};

/// `/snapshots/<id>`.
fn snapshot_path(request: Request, snapshot_id: &str) -> Request {
    request.segment("snapshots").segment(snapshot_id)
}

impl BlockStorageClient {
    /// `GET /snapshots[/detail]` (kamaki `snapshots_get`).
    pub fn list_snapshots_request(&self, detail: bool) -> Request {
        let request = Request::get().segment("snapshots");
        if detail {
            request.segment("detail")
        } else {
            request
        }
    }

    /// Lists snapshots (kamaki `list_snapshots`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` (or `501`) where snapshots are
    /// disabled.
    pub async fn list_snapshots(&self) -> Result<Vec<Snapshot>> {
        self.endpoint()
            .send_field(self.list_snapshots_request(false), "snapshots")
            .await
    }

    /// Lists snapshots with every detail (kamaki
    /// `list_snapshots(detail=True)`).
    ///
    /// # Errors
    /// As [`BlockStorageClient::list_snapshots`].
    pub async fn list_snapshots_detail(&self) -> Result<Vec<Snapshot>> {
        self.endpoint()
            .send_field(self.list_snapshots_request(true), "snapshots")
            .await
    }

    /// `GET /snapshots/<id>`.
    pub fn get_snapshot_details_request(&self, snapshot_id: &str) -> Request {
        snapshot_path(Request::get(), snapshot_id)
    }

    /// A snapshot's details (kamaki `get_snapshot_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown snapshot.
    #[doc(alias = "get_snapshot")]
    pub async fn get_snapshot_details(&self, snapshot_id: &str) -> Result<Snapshot> {
        self.endpoint()
            .send_field(self.get_snapshot_details_request(snapshot_id), "snapshot")
            .await
    }

    /// `POST /snapshots` with `{"snapshot": {"volume_id", …}}` (kamaki
    /// `snapshots_post`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_snapshot_request(&self, create: &CreateSnapshot) -> Result<Request> {
        Request::post().segment("snapshots").json(&create.to_json())
    }

    /// Snapshots a volume (kamaki `create_snapshot`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a volume not attached to a
    /// server, not available or in use, or not of an `ext_*` template;
    /// `413` over the storage quota.
    pub async fn create_snapshot(&self, create: &CreateSnapshot) -> Result<Snapshot> {
        self.endpoint()
            .send_field(self.create_snapshot_request(create)?, "snapshot")
            .await
    }

    /// `PUT /snapshots/<id>` with `{"snapshot": {…}}` (kamaki
    /// `snapshots_put`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_snapshot_request(
        &self,
        snapshot_id: &str,
        update: &UpdateSnapshot,
    ) -> Result<Request> {
        snapshot_path(Request::put(), snapshot_id).json(&update.to_json())
    }

    /// Renames or redescribes a snapshot and returns it (kamaki
    /// `update_snapshot`).
    ///
    /// As with [`BlockStorageClient::update_volume`], an update with
    /// nothing to change is refused here, before any request (Synnefo
    /// answers it with `400 "Nothing to update."`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when `update` sets nothing;
    /// [`synnefo_core::Error::Http`] `404` for an unknown snapshot.
    pub async fn update_snapshot(
        &self,
        snapshot_id: &str,
        update: &UpdateSnapshot,
    ) -> Result<Snapshot> {
        if update.is_empty() {
            return Err(Error::Config(format!(
                "nothing to update on snapshot {snapshot_id}: set a name or a description"
            )));
        }
        let request = self.update_snapshot_request(snapshot_id, update)?;
        self.endpoint().send_field(request, "snapshot").await
    }

    /// `DELETE /snapshots/<id>`.
    pub fn delete_snapshot_request(&self, snapshot_id: &str) -> Request {
        snapshot_path(Request::delete(), snapshot_id)
    }

    /// Deletes a snapshot (kamaki `delete_snapshot`; Synnefo answers `202`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown snapshot.
    pub async fn delete_snapshot(&self, snapshot_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_snapshot_request(snapshot_id))
            .await
    }

    /// `GET /snapshots/<id>/metadata`.
    pub fn get_snapshot_metadata_request(&self, snapshot_id: &str) -> Request {
        metadata::get("snapshots", snapshot_id)
    }

    /// A snapshot's metadata: the image properties behind it (the
    /// `metadata` embedded in [`Snapshot`] is always empty in Synnefo).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown snapshot.
    pub async fn get_snapshot_metadata(&self, snapshot_id: &str) -> Result<Metadata> {
        self.send_metadata(self.get_snapshot_metadata_request(snapshot_id))
            .await
    }

    /// `POST /snapshots/<id>/metadata` (merge) or `PUT` (replace) with
    /// `{"metadata": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn set_snapshot_metadata_request(
        &self,
        snapshot_id: &str,
        metadata: &Metadata,
        replace: bool,
    ) -> Result<Request> {
        metadata::set("snapshots", snapshot_id, metadata, replace)
    }

    /// Merges `metadata` into a snapshot's; returns all of it.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` for keys or values over the
    /// limits.
    pub async fn update_snapshot_metadata(
        &self,
        snapshot_id: &str,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.set_snapshot_metadata_request(snapshot_id, metadata, false)?;
        self.send_metadata(request).await
    }

    /// Replaces a snapshot's metadata; returns it.
    ///
    /// # Errors
    /// As [`BlockStorageClient::update_snapshot_metadata`].
    pub async fn replace_snapshot_metadata(
        &self,
        snapshot_id: &str,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.set_snapshot_metadata_request(snapshot_id, metadata, true)?;
        self.send_metadata(request).await
    }

    /// `DELETE /snapshots/<id>/metadata/<key>`.
    pub fn delete_snapshot_metadata_request(&self, snapshot_id: &str, key: &str) -> Request {
        metadata::delete_key("snapshots", snapshot_id, key)
    }

    /// Deletes one metadata key of a snapshot (a missing key is not an
    /// error in Synnefo).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown snapshot.
    pub async fn delete_snapshot_metadata(&self, snapshot_id: &str, key: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_snapshot_metadata_request(snapshot_id, key))
            .await
    }

    /// `GET /types[/<id>]` (kamaki `types_get`).
    pub fn get_volume_types_request(&self, type_id: Option<&str>) -> Request {
        let request = Request::get().segment("types");
        match type_id {
            Some(id) => request.segment(id),
            None => request,
        }
    }

    /// The volume types (kamaki `list_volume_types`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `volume_types`.
    pub async fn list_volume_types(&self) -> Result<Vec<VolumeType>> {
        self.endpoint()
            .send_field(self.get_volume_types_request(None), "volume_types")
            .await
    }

    /// One volume type (kamaki `get_volume_type_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown type.
    #[doc(alias = "get_volume_type")]
    pub async fn get_volume_type_details(&self, type_id: &str) -> Result<VolumeType> {
        self.endpoint()
            .send_field(self.get_volume_types_request(Some(type_id)), "volume_type")
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, line, volume_client};
    use serde_json::json;

    #[test]
    fn snapshot_and_type_requests() {
        let c = volume_client();
        assert_eq!(line(&c.list_snapshots_request(false)), "GET /snapshots");
        assert_eq!(
            line(&c.list_snapshots_request(true)),
            "GET /snapshots/detail"
        );
        assert_eq!(
            line(&c.get_snapshot_details_request("s")),
            "GET /snapshots/s"
        );
        let mut create = CreateSnapshot::new("vid");
        create.display_name = Some("dn".into());
        create.display_description = Some("dd".into());
        let post = c.create_snapshot_request(&create).unwrap();
        assert_eq!(line(&post), "POST /snapshots");
        // §4.4: the Cyclades create omits `force`.
        assert_eq!(
            body(&post),
            json!({"snapshot": {"volume_id": "vid", "display_name": "dn", "display_description": "dd"}})
        );
        let update = UpdateSnapshot {
            display_name: Some("new".into()),
            ..UpdateSnapshot::default()
        };
        let put = c.update_snapshot_request("s", &update).unwrap();
        assert_eq!(line(&put), "PUT /snapshots/s");
        assert_eq!(body(&put), json!({"snapshot": {"display_name": "new"}}));
        assert_eq!(line(&c.delete_snapshot_request("s")), "DELETE /snapshots/s");
        assert_eq!(
            line(&c.get_snapshot_metadata_request("s")),
            "GET /snapshots/s/metadata"
        );
        let merge = c
            .set_snapshot_metadata_request("s", &Metadata::new(), false)
            .unwrap();
        assert_eq!(line(&merge), "POST /snapshots/s/metadata");
        assert_eq!(
            line(&c.delete_snapshot_metadata_request("s", "k")),
            "DELETE /snapshots/s/metadata/k"
        );
        assert_eq!(line(&c.get_volume_types_request(None)), "GET /types");
        assert_eq!(
            line(&c.get_volume_types_request(Some("vtid"))),
            "GET /types/vtid"
        );
    }

    #[tokio::test]
    async fn empty_snapshot_update_is_refused_and_types_decode() {
        let fake = Scripted::new(&[(
            200,
            r#"{"volume_types": [{"id": 1, "name": "ext_archipelago", "SNF:detachable": true}]}"#,
        )]);
        let c = fake.volume_client();
        let error = c
            .update_snapshot("s", &UpdateSnapshot::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error}");
        assert!(error.to_string().contains("nothing to update"), "{error}");
        let types = c.list_volume_types().await.unwrap();
        assert_eq!(types[0].detachable, Some(true));
        assert_eq!(fake.lines(), vec!["GET /types"]);
    }
}
