//! Volumes: list, details, create, update, delete, metadata, project
//! reassignment, and waits on their status.

use super::client::BlockStorageClient;
use super::metadata;
use super::models::{CreateVolume, UpdateVolume, Volume};
use serde_json::{Value, json};
use std::sync::{Mutex, PoisonError};
use synnefo_compute::Metadata;
use synnefo_core::{Error, Poll, Request, Response, Result, WaitOptions, wait_for};

/// `/volumes/<id>`.
fn volume_path(request: Request, volume_id: &str) -> Request {
    request.segment("volumes").segment(volume_id)
}

/// Whether a volume's status is `status` (Synnefo sends lower case, its
/// documentation upper case).
fn has_status(volume: &Volume, status: &str) -> bool {
    volume
        .status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(status))
}

impl BlockStorageClient {
    /// `GET /volumes[/detail]` (kamaki `volumes_get`).
    pub fn list_volumes_request(&self, detail: bool) -> Request {
        let request = Request::get().segment("volumes");
        if detail {
            request.segment("detail")
        } else {
            request
        }
    }

    /// Lists volumes: ids, names and links (kamaki `list_volumes`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `volumes`.
    pub async fn list_volumes(&self) -> Result<Vec<Volume>> {
        self.endpoint()
            .send_field(self.list_volumes_request(false), "volumes")
            .await
    }

    /// Lists volumes with every detail (kamaki `list_volumes(detail=True)`).
    ///
    /// # Errors
    /// As [`BlockStorageClient::list_volumes`].
    pub async fn list_volumes_detail(&self) -> Result<Vec<Volume>> {
        self.endpoint()
            .send_field(self.list_volumes_request(true), "volumes")
            .await
    }

    /// `GET /volumes/<id>`.
    pub fn get_volume_details_request(&self, volume_id: &str) -> Request {
        volume_path(Request::get(), volume_id)
    }

    /// A volume's details (kamaki `get_volume_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown volume (`400` for
    /// a malformed id).
    #[doc(alias = "get_volume")]
    pub async fn get_volume_details(&self, volume_id: &str) -> Result<Volume> {
        self.endpoint()
            .send_field(self.get_volume_details_request(volume_id), "volume")
            .await
    }

    /// `POST /volumes` with `{"volume": {…}}` (kamaki `volumes_post`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_volume_request(&self, create: &CreateVolume) -> Result<Request> {
        Request::post().segment("volumes").json(&create.to_json())
    }

    /// Creates a volume (kamaki `create_volume`). Synnefo answers only `id`,
    /// `display_name` and `links`: read the rest with
    /// [`BlockStorageClient::get_volume_details`] or wait with
    /// [`BlockStorageClient::wait_volume_while`].
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a size outside 1–200, a
    /// missing volume type, a clone, or a source that is not available;
    /// `413` over quota.
    pub async fn create_volume(&self, create: &CreateVolume) -> Result<Volume> {
        self.endpoint()
            .send_field(self.create_volume_request(create)?, "volume")
            .await
    }

    /// `PUT /volumes/<id>` with `{"volume": {…}}` (kamaki `volumes_put`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_volume_request(&self, volume_id: &str, update: &UpdateVolume) -> Result<Request> {
        volume_path(Request::put(), volume_id).json(&update.to_json())
    }

    /// Updates a volume's name, description or deletion policy and returns
    /// it (kamaki `update_volume`).
    ///
    /// An update with nothing to change is refused here, before any
    /// request: Synnefo answers it with `400 "Nothing to update."` (wire
    /// reference §5.1: at least one field), and kamaki's habit of reading
    /// the volume instead made a forgotten option look like a success.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when `update` sets nothing;
    /// [`synnefo_core::Error::Http`]: `404` for an unknown volume, `400`
    /// for a name or description over 255 characters.
    pub async fn update_volume(&self, volume_id: &str, update: &UpdateVolume) -> Result<Volume> {
        if update.is_empty() {
            return Err(Error::Config(format!(
                "nothing to update on volume {volume_id}: set a name, a description or \
                 delete_on_termination"
            )));
        }
        let request = self.update_volume_request(volume_id, update)?;
        self.endpoint().send_field(request, "volume").await
    }

    /// `DELETE /volumes/<id>`.
    pub fn delete_volume_request(&self, volume_id: &str) -> Request {
        volume_path(Request::delete(), volume_id)
    }

    /// Deletes a volume (kamaki `delete_volume`; Synnefo answers `202` and
    /// the volume goes through `deleting`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a server's root volume,
    /// `404` for an unknown one.
    pub async fn delete_volume(&self, volume_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_volume_request(volume_id))
            .await
    }

    /// `GET /volumes/<id>/metadata`.
    pub fn get_volume_metadata_request(&self, volume_id: &str) -> Request {
        metadata::get("volumes", volume_id)
    }

    /// A volume's metadata.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown volume.
    pub async fn get_volume_metadata(&self, volume_id: &str) -> Result<Metadata> {
        self.send_metadata(self.get_volume_metadata_request(volume_id))
            .await
    }

    /// `POST /volumes/<id>/metadata` (merge) or `PUT` (replace) with
    /// `{"metadata": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn set_volume_metadata_request(
        &self,
        volume_id: &str,
        metadata: &Metadata,
        replace: bool,
    ) -> Result<Request> {
        metadata::set("volumes", volume_id, metadata, replace)
    }

    /// Merges `metadata` into a volume's; returns all of it.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` beyond 10 keys, a key over 64 or
    /// a value over 255 characters.
    pub async fn update_volume_metadata(
        &self,
        volume_id: &str,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.set_volume_metadata_request(volume_id, metadata, false)?;
        self.send_metadata(request).await
    }

    /// Replaces a volume's metadata with `metadata`; returns it.
    ///
    /// # Errors
    /// As [`BlockStorageClient::update_volume_metadata`].
    pub async fn replace_volume_metadata(
        &self,
        volume_id: &str,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.set_volume_metadata_request(volume_id, metadata, true)?;
        self.send_metadata(request).await
    }

    /// `DELETE /volumes/<id>/metadata/<key>`.
    pub fn delete_volume_metadata_request(&self, volume_id: &str, key: &str) -> Request {
        metadata::delete_key("volumes", volume_id, key)
    }

    /// Deletes one metadata key of a volume (Synnefo answers `200`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` for a missing key.
    pub async fn delete_volume_metadata(&self, volume_id: &str, key: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_volume_metadata_request(volume_id, key))
            .await
    }

    /// `POST /volumes/<id>/action` with `action` as the body (kamaki
    /// `volumes_action_post`): the escape hatch for volume actions this
    /// crate does not model.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn volume_action_request(&self, volume_id: &str, action: &Value) -> Result<Request> {
        volume_path(Request::post(), volume_id)
            .segment("action")
            .json(action)
    }

    /// Performs any action on a volume and returns the raw answer.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` for an unknown action.
    pub async fn volume_action(&self, volume_id: &str, action: &Value) -> Result<Response> {
        self.send(self.volume_action_request(volume_id, action)?)
            .await
    }

    /// `POST /volumes/<id>/action` with `{"reassign": {"project": P}}`
    /// (kamaki `volumes_action_post`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn reassign_volume_request(&self, volume_id: &str, project: &str) -> Result<Request> {
        self.volume_action_request(volume_id, &json!({"reassign": {"project": project}}))
    }

    /// Charges a volume to another project (kamaki `reassign_volume`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: a `4xx` when the quota commission is
    /// refused for a project the user is not a member of, `409` for a
    /// server's root volume (it follows its server), `413` over the
    /// project's quota.
    pub async fn reassign_volume(&self, volume_id: &str, project: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.reassign_volume_request(volume_id, project)?)
            .await
    }

    /// A volume's status (kamaki's deprecated `get_volume_status`); `None`
    /// when the server shows none.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown volume.
    pub async fn get_volume_status(&self, volume_id: &str) -> Result<Option<String>> {
        Ok(self.get_volume_details(volume_id).await?.status)
    }

    /// Polls `GET /volumes/<id>` until `done` accepts the volume, and
    /// returns it. `what` names the wait in the timeout error.
    ///
    /// # Errors
    /// [`synnefo_core::Error::WaitTimeout`] at `options.timeout`; any error
    /// of a poll ends the wait at once.
    pub async fn wait_volume_with<F>(
        &self,
        volume_id: &str,
        what: &str,
        options: &WaitOptions,
        done: F,
    ) -> Result<Volume>
    where
        F: FnMut(&Volume) -> bool + Send,
    {
        let done = Mutex::new(done);
        let done = &done;
        wait_for(what, options, || async move {
            let volume = self.get_volume_details(volume_id).await?;
            let finished = {
                let mut done = done.lock().unwrap_or_else(PoisonError::into_inner);
                (*done)(&volume)
            };
            Ok(if finished {
                Poll::Ready(volume)
            } else {
                Poll::Pending(volume.status.clone().unwrap_or_default())
            })
        })
        .await
    }

    /// Waits while a volume has status `current` (kamaki
    /// `wait_volume_while`, e.g. `creating`); statuses compare without
    /// regard to case.
    ///
    /// # Errors
    /// As [`BlockStorageClient::wait_volume_with`].
    pub async fn wait_volume_while(
        &self,
        volume_id: &str,
        current: &str,
        options: &WaitOptions,
    ) -> Result<Volume> {
        let what = format!("volume {volume_id} to leave {current}");
        self.wait_volume_with(volume_id, &what, options, |volume| {
            !has_status(volume, current)
        })
        .await
    }

    /// Waits until a volume has status `target` (kamaki
    /// `wait_volume_until`, e.g. `in_use` after an attach).
    ///
    /// # Errors
    /// As [`BlockStorageClient::wait_volume_with`].
    pub async fn wait_volume_until(
        &self,
        volume_id: &str,
        target: &str,
        options: &WaitOptions,
    ) -> Result<Volume> {
        let what = format!("volume {volume_id} to become {target}");
        self.wait_volume_with(volume_id, &what, options, |volume| {
            has_status(volume, target)
        })
        .await
    }

    /// Waits for a new volume to leave `creating` (kamaki `wait_volume`).
    ///
    /// # Errors
    /// As [`BlockStorageClient::wait_volume_with`].
    pub async fn wait_volume(&self, volume_id: &str, options: &WaitOptions) -> Result<Volume> {
        self.wait_volume_while(volume_id, "creating", options).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, line, volume_client};
    use std::time::Duration;

    #[test]
    fn volume_requests() {
        let c = volume_client();
        assert_eq!(line(&c.list_volumes_request(false)), "GET /volumes");
        assert_eq!(line(&c.list_volumes_request(true)), "GET /volumes/detail");
        assert_eq!(
            line(&c.get_volume_details_request("vid")),
            "GET /volumes/vid"
        );
        let create = c
            .create_volume_request(&CreateVolume::new(42, "dn"))
            .unwrap();
        assert_eq!(line(&create), "POST /volumes");
        assert_eq!(
            body(&create),
            json!({"volume": {"size": 42, "display_name": "dn"}})
        );
        let update = UpdateVolume {
            display_description: Some("dd".into()),
            ..UpdateVolume::default()
        };
        let put = c.update_volume_request("vid", &update).unwrap();
        assert_eq!(line(&put), "PUT /volumes/vid");
        assert_eq!(body(&put), json!({"volume": {"display_description": "dd"}}));
        assert_eq!(line(&c.delete_volume_request("vid")), "DELETE /volumes/vid");
        let reassign = c.reassign_volume_request("vid", "pid").unwrap();
        assert_eq!(line(&reassign), "POST /volumes/vid/action");
        assert_eq!(body(&reassign), json!({"reassign": {"project": "pid"}}));
    }

    #[test]
    fn volume_metadata_requests() {
        let c = volume_client();
        assert_eq!(
            line(&c.get_volume_metadata_request("v")),
            "GET /volumes/v/metadata"
        );
        let mut metadata = Metadata::new();
        metadata.insert("k".into(), "v".into());
        let merge = c
            .set_volume_metadata_request("v", &metadata, false)
            .unwrap();
        assert_eq!(line(&merge), "POST /volumes/v/metadata");
        assert_eq!(body(&merge), json!({"metadata": {"k": "v"}}));
        let replace = c.set_volume_metadata_request("v", &metadata, true).unwrap();
        assert_eq!(line(&replace), "PUT /volumes/v/metadata");
        assert_eq!(
            line(&c.delete_volume_metadata_request("v", "k")),
            "DELETE /volumes/v/metadata/k"
        );
    }

    #[tokio::test]
    async fn empty_update_is_refused_before_any_request() {
        let fake = Scripted::new(&[(200, r#"{"volume": {"id": "vid"}}"#)]);
        let error = fake
            .volume_client()
            .update_volume("vid", &UpdateVolume::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error}");
        assert!(error.to_string().contains("nothing to update"), "{error}");
        assert!(fake.lines().is_empty());
        assert_eq!(
            fake.volume_client().get_volume_status("vid").await.unwrap(),
            None
        );
    }

    #[tokio::test(start_paused = true)]
    async fn volume_waits() {
        let fake = Scripted::new(&[
            (200, r#"{"volume": {"id": "1", "status": "creating"}}"#),
            (200, r#"{"volume": {"id": "1", "status": "AVAILABLE"}}"#),
            (200, r#"{"volume": {"id": "1", "status": "attaching"}}"#),
            (200, r#"{"volume": {"id": "1", "status": "in_use"}}"#),
        ]);
        let c = fake.volume_client();
        let options = WaitOptions::default();
        let available = c.wait_volume("1", &options).await.unwrap();
        assert_eq!(available.status.as_deref(), Some("AVAILABLE"));
        let in_use = c.wait_volume_until("1", "in_use", &options).await.unwrap();
        assert_eq!(in_use.status.as_deref(), Some("in_use"));
        assert_eq!(fake.lines().len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn volume_wait_times_out() {
        let creating = r#"{"volume": {"id": "1", "status": "creating"}}"#;
        let answers: Vec<(u16, &str)> = (0..50).map(|_| (200, creating)).collect();
        let fake = Scripted::new(&answers);
        let error = fake
            .volume_client()
            .wait_volume_while(
                "1",
                "creating",
                &WaitOptions::with_timeout(Duration::from_secs(3)),
            )
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert!(
            error.to_string().contains("volume 1 to leave creating"),
            "{error}"
        );
    }
}
