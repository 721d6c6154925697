//! Floating IPs: list, details, create, update, delete, and Synnefo's
//! project reassignment.

use crate::client::NetworkClient;
use crate::models::FloatingIp;
use crate::params::{CreateFloatingIp, UpdateFloatingIp};
use serde_json::json;
use synnefo_core::{Request, Result};

/// `/floatingips/<id>`.
fn floating_ip_path(request: Request, floating_ip_id: &str) -> Request {
    request.segment("floatingips").segment(floating_ip_id)
}

impl NetworkClient {
    /// `GET /floatingips`.
    pub fn list_floatingips_request(&self) -> Request {
        Request::get().segment("floatingips")
    }

    /// Lists the user's floating IPs (kamaki `list_floatingips`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `floatingips`.
    pub async fn list_floatingips(&self) -> Result<Vec<FloatingIp>> {
        self.endpoint()
            .send_field(self.list_floatingips_request(), "floatingips")
            .await
    }

    /// `GET /floatingips/<id>`.
    pub fn get_floatingip_details_request(&self, floating_ip_id: &str) -> Request {
        floating_ip_path(Request::get(), floating_ip_id)
    }

    /// A floating IP's details (kamaki `get_floatingip_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown floating IP.
    #[doc(alias = "get_floatingip")]
    pub async fn get_floatingip_details(&self, floating_ip_id: &str) -> Result<FloatingIp> {
        self.endpoint()
            .send_field(
                self.get_floatingip_details_request(floating_ip_id),
                "floatingip",
            )
            .await
    }

    /// `POST /floatingips` with `{"floatingip": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_floatingip_request(&self, create: &CreateFloatingIp) -> Result<Request> {
        Request::post()
            .segment("floatingips")
            .json(&json!({"floatingip": create.to_object()}))
    }

    /// Allocates a floating IP (kamaki `create_floatingip`; Synnefo
    /// answers `200`). Without a network the server picks a public pool.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `409` when no pool has a free
    /// address, the network is no pool or the address is in use; `400`
    /// for an address outside the network; `413` over the
    /// `cyclades.floating_ip` quota.
    pub async fn create_floatingip(&self, create: &CreateFloatingIp) -> Result<FloatingIp> {
        self.endpoint()
            .send_field(self.create_floatingip_request(create)?, "floatingip")
            .await
    }

    /// `PUT /floatingips/<id>` with `{"floatingip": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_floatingip_request(
        &self,
        floating_ip_id: &str,
        update: &UpdateFloatingIp,
    ) -> Result<Request> {
        floating_ip_path(Request::put(), floating_ip_id)
            .json(&json!({"floatingip": update.to_object()}))
    }

    /// Updates a floating IP (kamaki `update_floatingip`). Synnefo does not
    /// implement it (`501`): attach and detach with ports instead.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `501` on Synnefo.
    pub async fn update_floatingip(
        &self,
        floating_ip_id: &str,
        update: &UpdateFloatingIp,
    ) -> Result<FloatingIp> {
        self.endpoint()
            .send_field(
                self.update_floatingip_request(floating_ip_id, update)?,
                "floatingip",
            )
            .await
    }

    /// `DELETE /floatingips/<id>`.
    pub fn delete_floatingip_request(&self, floating_ip_id: &str) -> Request {
        floating_ip_path(Request::delete(), floating_ip_id)
    }

    /// Releases a floating IP (kamaki `delete_floatingip`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `409` while it is attached, `404`
    /// for an unknown one.
    pub async fn delete_floatingip(&self, floating_ip_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_floatingip_request(floating_ip_id))
            .await
    }

    /// `POST /floatingips/<id>/action` with `{"reassign": {"project": P}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn reassign_floating_ip_request(
        &self,
        floating_ip_id: &str,
        project: &str,
    ) -> Result<Request> {
        floating_ip_path(Request::post(), floating_ip_id)
            .segment("action")
            .json(&json!({"reassign": {"project": project}}))
    }

    /// Charges a floating IP to another project (kamaki
    /// `reassign_floating_ip`, whose first parameter was misnamed,
    /// reference §6.3 item 24).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `404` for an unknown floating IP, a
    /// `4xx` for a project the user is not a member of.
    pub async fn reassign_floating_ip(&self, floating_ip_id: &str, project: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.reassign_floating_ip_request(floating_ip_id, project)?)
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, client, line};

    #[test]
    fn floating_ip_requests() {
        let c = client();
        assert_eq!(line(&c.list_floatingips_request()), "GET /floatingips");
        assert_eq!(
            line(&c.get_floatingip_details_request("6")),
            "GET /floatingips/6"
        );
        let empty = c
            .create_floatingip_request(&CreateFloatingIp::default())
            .unwrap();
        assert_eq!(line(&empty), "POST /floatingips");
        assert_eq!(body(&empty), json!({"floatingip": {}}));
        let create = CreateFloatingIp {
            floating_network_id: Some("1".into()),
            floating_ip_address: Some("203.0.113.9".into()),
            project: Some("p".into()),
            ..CreateFloatingIp::default()
        };
        assert_eq!(
            body(&c.create_floatingip_request(&create).unwrap()),
            json!({"floatingip": {"floating_network_id": "1",
                "floating_ip_address": "203.0.113.9", "project": "p"}})
        );
        let update = UpdateFloatingIp {
            port_id: Some(None),
            ..UpdateFloatingIp::default()
        };
        let put = c.update_floatingip_request("6", &update).unwrap();
        assert_eq!(line(&put), "PUT /floatingips/6");
        assert_eq!(body(&put), json!({"floatingip": {"port_id": null}}));
        assert_eq!(
            line(&c.delete_floatingip_request("6")),
            "DELETE /floatingips/6"
        );
        let reassign = c.reassign_floating_ip_request("6", "p").unwrap();
        assert_eq!(line(&reassign), "POST /floatingips/6/action");
        assert_eq!(body(&reassign), json!({"reassign": {"project": "p"}}));
    }

    #[tokio::test]
    async fn create_answer_is_decoded() {
        let fake = Scripted::new(&[(
            200,
            r#"{"floatingip": {"id": "6", "floating_ip_address": "203.0.113.2", "floating_network_id": 1}}"#,
        )]);
        let ip = fake
            .client()
            .create_floatingip(&CreateFloatingIp::default())
            .await
            .unwrap();
        assert_eq!(ip.floating_network_id.as_deref(), Some("1"));
        assert_eq!(fake.seen()[0].1, json!({"floatingip": {}}));
    }
}
