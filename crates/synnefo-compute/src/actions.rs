//! Server actions: `POST /servers/<id>/action` with a one-key JSON body.

use crate::ComputeClient;
use crate::client::server_path;
use crate::models::{Console, Metadata, ServerDetails};
use crate::params::{RebootType, Rebuild};
use serde_json::{Value, json};
use synnefo_core::{Request, Response, Result};

impl ComputeClient {
    /// `POST /servers/<id>/action` with `action` as the body (kamaki
    /// `servers_action_post`): the building block of every action, and the
    /// escape hatch for actions this crate does not model.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn server_action_request(&self, server_id: u64, action: &Value) -> Result<Request> {
        server_path(Request::post(), server_id)
            .segment("action")
            .json(action)
    }

    /// Performs any action on a server and returns the raw answer.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for an unknown action or one the
    /// server's state does not allow, `409` while the server is building,
    /// `501` for an action the cloud does not implement.
    pub async fn server_action(&self, server_id: u64, action: &Value) -> Result<Response> {
        self.send(self.server_action_request(server_id, action)?)
            .await
    }

    /// The `reboot` action: `{"reboot": {"type": "SOFT"|"HARD"}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn reboot_server_request(&self, server_id: u64, kind: RebootType) -> Result<Request> {
        self.server_action_request(server_id, &json!({"reboot": {"type": kind.as_str()}}))
    }

    /// Reboots a server (kamaki `reboot_server`); it shows `REBOOT`, then
    /// `ACTIVE`.
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn reboot_server(&self, server_id: u64, kind: RebootType) -> Result<()> {
        self.endpoint()
            .send_empty(self.reboot_server_request(server_id, kind)?)
            .await
    }

    /// OpenStack's start action: `{"os-start": {}}`. kamaki sent
    /// `{"os-start": null}`, which Synnefo refuses (`400`, the arguments
    /// must be an object, wire reference §3.4).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn start_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"os-start": {}}))
    }

    /// Starts a stopped server (kamaki `ComputeClient.start_server`;
    /// `synnefo-cyclades` sends Synnefo's `start` instead).
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`]; `400` unless the server is
    /// `STOPPED`.
    pub async fn start_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.start_server_request(server_id)?)
            .await
    }

    /// OpenStack's stop action: `{"os-stop": {}}` (kamaki's `null`
    /// arguments are refused by Synnefo).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn shutdown_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"os-stop": {}}))
    }

    /// Shuts a running server down (kamaki `ComputeClient.shutdown_server`;
    /// `synnefo-cyclades` sends Synnefo's `shutdown` instead).
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`]; `400` unless the server is
    /// `ACTIVE`.
    pub async fn shutdown_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.shutdown_server_request(server_id)?)
            .await
    }

    /// The `resize` action: `{"resize": {"flavorRef": <id>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn resize_server_request(&self, server_id: u64, flavor_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"resize": {"flavorRef": flavor_id}}))
    }

    /// Resizes a server to another flavor (kamaki `resize_server`). Synnefo
    /// requires the server to be `STOPPED` and the new flavor to keep the
    /// disk size and template.
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn resize_server(&self, server_id: u64, flavor_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.resize_server_request(server_id, flavor_id)?)
            .await
    }

    /// `{"confirmResize": {}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn confirm_resize_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"confirmResize": {}}))
    }

    /// Confirms a resize (kamaki `confirm_resize_server`; Synnefo answers
    /// `501`).
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn confirm_resize_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.confirm_resize_server_request(server_id)?)
            .await
    }

    /// `{"revertResize": {}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn revert_resize_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"revertResize": {}}))
    }

    /// Reverts a resize (kamaki `revert_resize_server`; Synnefo answers
    /// `501`).
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn revert_resize_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.revert_resize_server_request(server_id)?)
            .await
    }

    /// The `rebuild` action from `image_id`:
    /// `{"rebuild": {"imageRef", [name], [adminPass], [metadata], [personality]}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn rebuild_server_request(
        &self,
        server_id: u64,
        image_id: &str,
        rebuild: &Rebuild,
    ) -> Result<Request> {
        self.server_action_request(server_id, &rebuild.to_json(image_id))
    }

    /// Rebuilds a server (kamaki `rebuild_server`, which crashed on every
    /// call). Without `rebuild.image_id` the server's current image is read
    /// first and reused, as kamaki meant to. Returns the server when the
    /// cloud sends it back (OpenStack does; Synnefo answers `501`).
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`];
    /// [`synnefo_core::Error::InvalidResponse`] when no image was given and
    /// the server shows none.
    pub async fn rebuild_server(
        &self,
        server_id: u64,
        rebuild: &Rebuild,
    ) -> Result<Option<ServerDetails>> {
        let image_id = match &rebuild.image_id {
            Some(image_id) => image_id.clone(),
            None => {
                let request = self.get_server_details_request(server_id);
                let response = self.send(request).await?;
                let server: ServerDetails = response.json_field("server")?;
                match server.image {
                    Some(image) => image.id,
                    None => {
                        return Err(response.invalid(format!(
                            "server {server_id} shows no image to rebuild from; name one"
                        )));
                    }
                }
            }
        };
        let response = self
            .send(self.rebuild_server_request(server_id, &image_id, rebuild)?)
            .await?;
        if response.body().iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        response.json_field("server").map(Some)
    }

    /// `{"changePassword": {"adminPass": <password>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn change_admin_password_request(
        &self,
        server_id: u64,
        new_password: &str,
    ) -> Result<Request> {
        self.server_action_request(
            server_id,
            &json!({"changePassword": {"adminPass": new_password}}),
        )
    }

    /// Changes the administrator password (kamaki `change_admin_password`;
    /// Synnefo answers `501`).
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn change_admin_password(&self, server_id: u64, new_password: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.change_admin_password_request(server_id, new_password)?)
            .await
    }

    /// `{"createImage": {"name", "metadata"}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_server_image_request(
        &self,
        server_id: u64,
        image_name: &str,
        metadata: &Metadata,
    ) -> Result<Request> {
        self.server_action_request(
            server_id,
            &json!({"createImage": {"name": image_name, "metadata": metadata}}),
        )
    }

    /// Snapshots a server into an image (kamaki `create_server_image`);
    /// returns the new image's URL from the `Location` header, if given.
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn create_server_image(
        &self,
        server_id: u64,
        image_name: &str,
        metadata: &Metadata,
    ) -> Result<Option<String>> {
        let request = self.create_server_image_request(server_id, image_name, metadata)?;
        let response = self.send(request).await?;
        Ok(response.header("location").map(str::to_owned))
    }

    /// `{"rescue": {["rescue_image_ref": <ref>]}}` (kamaki put the reference
    /// beside `rescue` instead of inside it). A reference made only of
    /// digits goes out as a JSON number (Synnefo's rescue images have
    /// integer ids), any other as a string (an OpenStack image UUID).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn rescue_server_request(
        &self,
        server_id: u64,
        rescue_image_ref: Option<&str>,
    ) -> Result<Request> {
        let rescue = match rescue_image_ref {
            None => json!({}),
            Some(image) => match image.parse::<u64>() {
                Ok(number) => json!({ "rescue_image_ref": number }),
                Err(_) => json!({ "rescue_image_ref": image }),
            },
        };
        self.server_action_request(server_id, &json!({ "rescue": rescue }))
    }

    /// Boots a server into rescue mode (kamaki `rescue_server`). Synnefo
    /// needs the feature enabled (else `404 featureNotEnabled`) and the
    /// server `STOPPED`.
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn rescue_server(
        &self,
        server_id: u64,
        rescue_image_ref: Option<&str>,
    ) -> Result<()> {
        self.endpoint()
            .send_empty(self.rescue_server_request(server_id, rescue_image_ref)?)
            .await
    }

    /// `{"unrescue": {}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn unrescue_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"unrescue": {}}))
    }

    /// Leaves rescue mode (kamaki `unrescue_server`).
    ///
    /// # Errors
    /// As [`ComputeClient::rescue_server`].
    pub async fn unrescue_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.unrescue_server_request(server_id)?)
            .await
    }

    /// OpenStack's `{"os-getVNCConsole": {"type": <type>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn get_vnc_console_request(&self, server_id: u64, console_type: &str) -> Result<Request> {
        self.server_action_request(
            server_id,
            &json!({"os-getVNCConsole": {"type": console_type}}),
        )
    }

    /// A VNC console URL through OpenStack's action (`novnc` or `xvpvnc`);
    /// `synnefo-cyclades` offers Synnefo's own `console` action.
    ///
    /// # Errors
    /// As [`ComputeClient::server_action`].
    pub async fn get_vnc_console(&self, server_id: u64, console_type: &str) -> Result<Console> {
        let request = self.get_vnc_console_request(server_id, console_type)?;
        self.endpoint().send_field(request, "console").await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, client, line};

    fn action(request: Result<Request>) -> Value {
        let request = request.unwrap();
        assert_eq!(line(&request), "POST /servers/42/action");
        body(&request)
    }

    #[test]
    fn action_bodies() {
        let c = client();
        assert_eq!(
            action(c.reboot_server_request(42, RebootType::Hard)),
            json!({"reboot": {"type": "HARD"}})
        );
        assert_eq!(
            action(c.reboot_server_request(42, RebootType::Soft)),
            json!({"reboot": {"type": "SOFT"}})
        );
        assert_eq!(
            action(c.resize_server_request(42, 3)),
            json!({"resize": {"flavorRef": 3}})
        );
        assert_eq!(action(c.start_server_request(42)), json!({"os-start": {}}));
        assert_eq!(
            action(c.shutdown_server_request(42)),
            json!({"os-stop": {}})
        );
        assert_eq!(
            action(c.confirm_resize_server_request(42)),
            json!({"confirmResize": {}})
        );
        assert_eq!(
            action(c.revert_resize_server_request(42)),
            json!({"revertResize": {}})
        );
        assert_eq!(
            action(c.change_admin_password_request(42, "pw")),
            json!({"changePassword": {"adminPass": "pw"}})
        );
        let mut metadata = Metadata::new();
        metadata.insert("k".into(), "v".into());
        assert_eq!(
            action(c.create_server_image_request(42, "snap", &metadata)),
            json!({"createImage": {"name": "snap", "metadata": {"k": "v"}}})
        );
        assert_eq!(
            action(c.unrescue_server_request(42)),
            json!({"unrescue": {}})
        );
        assert_eq!(
            action(c.get_vnc_console_request(42, "novnc")),
            json!({"os-getVNCConsole": {"type": "novnc"}})
        );
    }

    #[test]
    fn rescue_reference_goes_inside_rescue() {
        let c = client();
        assert_eq!(
            action(c.rescue_server_request(42, None)),
            json!({"rescue": {}})
        );
        assert_eq!(
            action(c.rescue_server_request(42, Some("7"))),
            json!({"rescue": {"rescue_image_ref": 7}})
        );
        assert_eq!(
            action(c.rescue_server_request(42, Some("img-uuid"))),
            json!({"rescue": {"rescue_image_ref": "img-uuid"}})
        );
    }

    #[tokio::test]
    async fn rebuild_without_image_reuses_the_current_one() {
        let server = json!({"server": {"id": 42, "image": {"id": "img-1", "links": []}}});
        let fake = Scripted::new(&[
            (200, &server.to_string()),
            (202, r#"{"server": {"id": 42, "status": "REBUILD"}}"#),
        ]);
        let rebuilt = fake
            .client()
            .rebuild_server(42, &Rebuild::default())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rebuilt.status.as_str(), "REBUILD");
        let seen = fake.seen();
        assert_eq!(
            fake.lines(),
            vec!["GET /servers/42", "POST /servers/42/action"]
        );
        assert_eq!(seen[1].body, json!({"rebuild": {"imageRef": "img-1"}}));
    }

    #[tokio::test]
    async fn rebuild_with_an_image_and_an_empty_answer() {
        let fake = Scripted::new(&[(202, "")]);
        let rebuild = Rebuild {
            image_id: Some("img-2".into()),
            ..Rebuild::default()
        };
        let answer = fake.client().rebuild_server(42, &rebuild).await.unwrap();
        assert_eq!(answer, None);
        assert_eq!(fake.lines(), vec!["POST /servers/42/action"]);
    }

    #[tokio::test]
    async fn rebuild_of_a_server_without_image_is_an_error() {
        let fake = Scripted::new(&[(200, r#"{"server": {"id": 42, "image": ""}}"#)]);
        let error = fake
            .client()
            .rebuild_server(42, &Rebuild::default())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("shows no image"), "{error}");
    }
}
