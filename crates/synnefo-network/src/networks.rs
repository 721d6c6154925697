//! Networks: list, details, create (one or a batch), update, delete, and
//! Synnefo's project reassignment.

use crate::client::NetworkClient;
use crate::models::Network;
use crate::params::{CreateNetwork, UpdateNetwork, check_networks};
use serde_json::{Value, json};
use synnefo_core::{Error, Request, Result};

/// `/networks/<id>`.
fn network_path(request: Request, network_id: &str) -> Request {
    request.segment("networks").segment(network_id)
}

impl NetworkClient {
    /// `GET /networks[/detail]`.
    pub fn list_networks_request(&self, detail: bool) -> Request {
        let request = Request::get().segment("networks");
        if detail {
            request.segment("detail")
        } else {
            request
        }
    }

    /// Lists the networks the user sees: their own, and public ones
    /// (kamaki `list_networks`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `networks`.
    pub async fn list_networks(&self) -> Result<Vec<Network>> {
        self.endpoint()
            .send_field(self.list_networks_request(false), "networks")
            .await
    }

    /// Lists networks through `networks/detail` (kamaki
    /// `CycladesNetworkClient.list_networks(detail=True)`; Synnefo answers
    /// full details on both paths).
    ///
    /// # Errors
    /// As [`NetworkClient::list_networks`].
    pub async fn list_networks_detail(&self) -> Result<Vec<Network>> {
        self.endpoint()
            .send_field(self.list_networks_request(true), "networks")
            .await
    }

    /// `GET /networks/<id>`.
    pub fn get_network_details_request(&self, network_id: &str) -> Request {
        network_path(Request::get(), network_id)
    }

    /// A network's details (kamaki `get_network_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown network, `400`
    /// for a malformed id.
    #[doc(alias = "get_network")]
    pub async fn get_network_details(&self, network_id: &str) -> Result<Network> {
        self.endpoint()
            .send_field(self.get_network_details_request(network_id), "network")
            .await
    }

    /// `POST /networks` with `{"network": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_network_request(&self, create: &CreateNetwork) -> Result<Request> {
        Request::post()
            .segment("networks")
            .json(&json!({"network": create.to_object()}))
    }

    /// Creates a network (kamaki `create_network`); Synnefo makes it
    /// `ACTIVE` at once, without subnets.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` without a type or with an
    /// unknown one, `403` for a type the cloud does not let users create,
    /// `413` over the `cyclades.network.private` quota.
    pub async fn create_network(&self, create: &CreateNetwork) -> Result<Network> {
        self.endpoint()
            .send_field(self.create_network_request(create)?, "network")
            .await
    }

    /// `POST /networks` with `{"networks": [{…}, …]}`, after kamaki's
    /// checks (at least one network, each named).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when a check fails.
    pub fn create_networks_request(&self, networks: &[CreateNetwork]) -> Result<Request> {
        check_networks(networks)?;
        let list: Vec<Value> = networks.iter().map(CreateNetwork::to_object).collect();
        Request::post()
            .segment("networks")
            .json(&json!({ "networks": list }))
    }

    /// Creates several networks in one request, all or none (kamaki
    /// `create_networks`; the atomicity is the server's). Synnefo itself
    /// does not take batches and answers `400`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] before any request when a check
    /// fails; [`synnefo_core::Error::Http`] as the server answers.
    pub async fn create_networks(&self, networks: &[CreateNetwork]) -> Result<Vec<Network>> {
        self.endpoint()
            .send_field(self.create_networks_request(networks)?, "networks")
            .await
    }

    /// `PUT /networks/<id>` with `{"network": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_network_request(
        &self,
        network_id: &str,
        update: &UpdateNetwork,
    ) -> Result<Request> {
        network_path(Request::put(), network_id).json(&json!({"network": update.to_object()}))
    }

    /// Updates a network and returns it (kamaki `update_network`; Synnefo
    /// changes only the name). An empty update is refused before any
    /// request.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when `update` sets nothing;
    /// [`synnefo_core::Error::Http`]: `403` for a public network, `404`
    /// for an unknown one.
    pub async fn update_network(
        &self,
        network_id: &str,
        update: &UpdateNetwork,
    ) -> Result<Network> {
        if update.is_empty() {
            return Err(Error::Config(format!(
                "nothing to update on network {network_id}: set a name"
            )));
        }
        self.endpoint()
            .send_field(self.update_network_request(network_id, update)?, "network")
            .await
    }

    /// `DELETE /networks/<id>`.
    pub fn delete_network_request(&self, network_id: &str) -> Request {
        network_path(Request::delete(), network_id)
    }

    /// Deletes a network and its subnets (kamaki `delete_network`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `409` while ports are on it or
    /// floating IPs are allocated from it, `403` for a public network.
    pub async fn delete_network(&self, network_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_network_request(network_id))
            .await
    }

    /// `POST /networks/<id>/action` with `{"reassign": {"project": P}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn reassign_network_request(&self, network_id: &str, project: &str) -> Result<Request> {
        network_path(Request::post(), network_id)
            .segment("action")
            .json(&json!({"reassign": {"project": project}}))
    }

    /// Charges a network to another project (kamaki `reassign_network`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `403` for a public network or one
    /// of another user, a `4xx` for a project the user is not a member of.
    pub async fn reassign_network(&self, network_id: &str, project: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.reassign_network_request(network_id, project)?)
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::NetworkType;
    use crate::testing::{Scripted, body, client, line};

    #[test]
    fn network_requests() {
        let c = client();
        assert_eq!(line(&c.list_networks_request(false)), "GET /networks");
        assert_eq!(line(&c.list_networks_request(true)), "GET /networks/detail");
        assert_eq!(line(&c.get_network_details_request("3")), "GET /networks/3");
        let mut create = CreateNetwork::new(NetworkType::MacFiltered);
        create.name = Some("n".into());
        create.shared = Some(false);
        create.project = Some("p".into());
        let post = c.create_network_request(&create).unwrap();
        assert_eq!(line(&post), "POST /networks");
        assert_eq!(
            body(&post),
            json!({"network": {"type": "MAC_FILTERED", "admin_state_up": true,
                "name": "n", "shared": false, "project": "p"}})
        );
        let put = c
            .update_network_request("3", &UpdateNetwork::name("m"))
            .unwrap();
        assert_eq!(line(&put), "PUT /networks/3");
        assert_eq!(body(&put), json!({"network": {"name": "m"}}));
        assert_eq!(line(&c.delete_network_request("3")), "DELETE /networks/3");
        let reassign = c.reassign_network_request("3", "p").unwrap();
        assert_eq!(line(&reassign), "POST /networks/3/action");
        assert_eq!(body(&reassign), json!({"reassign": {"project": "p"}}));
    }

    #[test]
    fn batch_request_is_one_post_and_checked_first() {
        let c = client();
        let networks = [
            CreateNetwork {
                name: Some("a".into()),
                ..CreateNetwork::default()
            },
            CreateNetwork {
                name: Some("b".into()),
                admin_state_up: Some(true),
                ..CreateNetwork::default()
            },
        ];
        let post = c.create_networks_request(&networks).unwrap();
        assert_eq!(line(&post), "POST /networks");
        assert_eq!(
            body(&post),
            json!({"networks": [{"name": "a"}, {"name": "b", "admin_state_up": true}]})
        );
        assert!(matches!(
            c.create_networks_request(&[]).unwrap_err(),
            Error::Config(_)
        ));
        // The caller's values are unchanged (kamaki added admin_state_up).
        assert_eq!(networks[0].admin_state_up, None);
    }

    #[tokio::test]
    async fn calls_decode_and_empty_update_sends_nothing() {
        let fake = Scripted::new(&[
            (200, r#"{"networks": [{"id": "1", "public": true}]}"#),
            (201, r#"{"network": {"id": 5, "status": "ACTIVE"}}"#),
            (204, ""),
            (200, ""),
        ]);
        let c = fake.client();
        let list = c.list_networks().await.unwrap();
        assert_eq!(list[0].public, Some(true));
        let created = c
            .create_network(&CreateNetwork::new(NetworkType::MacFiltered))
            .await
            .unwrap();
        assert_eq!(
            (created.id.as_str(), created.status.as_deref()),
            ("5", Some("ACTIVE"))
        );
        let error = c
            .update_network("5", &UpdateNetwork::default())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("nothing to update"), "{error}");
        c.delete_network("5").await.unwrap();
        c.reassign_network("5", "p").await.unwrap();
        assert_eq!(
            fake.lines(),
            [
                "GET /networks",
                "POST /networks",
                "DELETE /networks/5",
                "POST /networks/5/action"
            ]
        );
    }
}
