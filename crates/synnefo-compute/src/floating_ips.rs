//! Floating IPs through the compute API (`/os-floating-ips`), and attaching
//! them to servers.
//!
//! kamaki's five helpers here were all broken (a tenant id passed as the
//! accepted status, a dict used as a URL segment); these implement the
//! OpenStack semantics they were meant to have. The tenant is implied by
//! the endpoint and the token, so no call takes one.

use crate::models::{FloatingIp, FloatingIpPool};
use crate::{ComputeClient, decode};
use serde_json::json;
use synnefo_core::{Request, Result};

impl ComputeClient {
    /// `GET /os-floating-ip-pools` (kamaki `floating_ip_pools_get`).
    pub fn list_floating_ip_pools_request(&self) -> Request {
        Request::get().segment("os-floating-ip-pools")
    }

    /// The pools floating IPs can be allocated from (kamaki
    /// `get_floating_ip_pools`). Synnefo has no such endpoint; its pools are
    /// the public networks of the network API.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] where the endpoint does not exist.
    #[doc(alias = "get_floating_ip_pools")]
    pub async fn list_floating_ip_pools(&self) -> Result<Vec<FloatingIpPool>> {
        self.endpoint()
            .send_field(self.list_floating_ip_pools_request(), "floating_ip_pools")
            .await
    }

    /// `GET /os-floating-ips[/<id>]` (kamaki `floating_ips_get`).
    pub fn get_floating_ips_request(&self, floating_ip_id: Option<&str>) -> Request {
        let request = Request::get().segment("os-floating-ips");
        match floating_ip_id {
            Some(id) => request.segment(id),
            None => request,
        }
    }

    /// The caller's floating IPs (kamaki `get_floating_ips`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `floating_ips`.
    #[doc(alias = "get_floating_ips")]
    pub async fn list_floating_ips(&self) -> Result<Vec<FloatingIp>> {
        self.endpoint()
            .send_field(self.get_floating_ips_request(None), "floating_ips")
            .await
    }

    /// One floating IP (kamaki `get_floating_ip`). Accepts both the compute
    /// shape (`floating_ip`) and the network-API shape (`floatingip`) that
    /// Synnefo actually returns here.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown id.
    pub async fn get_floating_ip(&self, floating_ip_id: &str) -> Result<FloatingIp> {
        let response = self
            .send(self.get_floating_ips_request(Some(floating_ip_id)))
            .await?;
        decode::field_of(&response, &["floating_ip", "floatingip"])
    }

    /// `POST /os-floating-ips` with `{"pool": <pool>}` or `{}` (kamaki
    /// `floating_ips_post`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_floating_ip_request(&self, pool: Option<&str>) -> Result<Request> {
        let body = match pool {
            Some(pool) => json!({ "pool": pool }),
            None => json!({}),
        };
        Request::post().segment("os-floating-ips").json(&body)
    }

    /// Allocates a floating IP, from `pool` or any public pool (kamaki
    /// `alloc_floating_ip`). Synnefo ignores the body and answers `200`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `409` when no pool has a free address,
    /// `413` over quota.
    #[doc(alias = "alloc_floating_ip")]
    pub async fn create_floating_ip(&self, pool: Option<&str>) -> Result<FloatingIp> {
        let response = self.send(self.create_floating_ip_request(pool)?).await?;
        decode::field_of(&response, &["floating_ip", "floatingip"])
    }

    /// `DELETE /os-floating-ips/<id>`.
    pub fn delete_floating_ip_request(&self, floating_ip_id: &str) -> Request {
        Request::delete()
            .segment("os-floating-ips")
            .segment(floating_ip_id)
    }

    /// Releases a floating IP (kamaki `delete_floating_ip`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `404` for an unknown id, `409` while
    /// it is attached, which includes the moment after
    /// [`ComputeClient::remove_floating_ip`] until the server's detach job
    /// has completed (poll, or retry the `409`).
    pub async fn delete_floating_ip(&self, floating_ip_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_floating_ip_request(floating_ip_id))
            .await
    }

    /// The `addFloatingIp` action: `{"addFloatingIp": {"address": <ip>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn add_floating_ip_request(&self, server_id: u64, address: &str) -> Result<Request> {
        self.server_action_request(server_id, &json!({"addFloatingIp": {"address": address}}))
    }

    /// Attaches one of the caller's floating IPs to a server (Synnefo
    /// creates a port with it; the address shows in the server's
    /// `attachments` once the connect job has completed).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `404` for an address that is not one
    /// of the caller's floating IPs, `409` for one already in use or while
    /// the server is building, `400` while another job of the server is
    /// pending.
    pub async fn add_floating_ip(&self, server_id: u64, address: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.add_floating_ip_request(server_id, address)?)
            .await
    }

    /// The `removeFloatingIp` action:
    /// `{"removeFloatingIp": {"address": <ip>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn remove_floating_ip_request(&self, server_id: u64, address: &str) -> Result<Request> {
        self.server_action_request(
            server_id,
            &json!({"removeFloatingIp": {"address": address}}),
        )
    }

    /// Detaches a floating IP from a server (its port is removed by a job
    /// of the server: until it completes, the address stays attached).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` when the address is not attached
    /// to the server or another job of the server is pending, `404` for an
    /// address that is not one of the caller's floating IPs.
    pub async fn remove_floating_ip(&self, server_id: u64, address: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.remove_floating_ip_request(server_id, address)?)
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
        assert_eq!(
            line(&c.list_floating_ip_pools_request()),
            "GET /os-floating-ip-pools"
        );
        assert_eq!(
            line(&c.get_floating_ips_request(None)),
            "GET /os-floating-ips"
        );
        assert_eq!(
            line(&c.get_floating_ips_request(Some("5"))),
            "GET /os-floating-ips/5"
        );
        // kamaki's alloc_floating_ip swapped its arguments and posted to
        // `os-floating-ips/<quoted dict>` with the body "tenant".
        let create = c.create_floating_ip_request(Some("public")).unwrap();
        assert_eq!(line(&create), "POST /os-floating-ips");
        assert_eq!(body(&create), json!({"pool": "public"}));
        assert_eq!(
            body(&c.create_floating_ip_request(None).unwrap()),
            json!({})
        );
        assert_eq!(
            line(&c.delete_floating_ip_request("5")),
            "DELETE /os-floating-ips/5"
        );
        let add = c.add_floating_ip_request(42, "83.212.1.5").unwrap();
        assert_eq!(line(&add), "POST /servers/42/action");
        assert_eq!(
            body(&add),
            json!({"addFloatingIp": {"address": "83.212.1.5"}})
        );
        let remove = c.remove_floating_ip_request(42, "83.212.1.5").unwrap();
        assert_eq!(
            body(&remove),
            json!({"removeFloatingIp": {"address": "83.212.1.5"}})
        );
    }

    #[tokio::test]
    async fn single_floating_ip_in_either_shape() {
        let fake = Scripted::new(&[
            (
                200,
                r#"{"floatingip": {"id": "5", "floating_ip_address": "1.2.3.4"}}"#,
            ),
            (
                200,
                r#"{"floating_ip": {"id": 6, "ip": "1.2.3.5", "pool": null}}"#,
            ),
            (200, r#"{"other": {}}"#),
        ]);
        let client = fake.client();
        let first = client.get_floating_ip("5").await.unwrap();
        assert_eq!(first.ip.as_deref(), Some("1.2.3.4"));
        let second = client.create_floating_ip(None).await.unwrap();
        assert_eq!(
            (second.id.as_str(), second.ip.as_deref()),
            ("6", Some("1.2.3.5"))
        );
        let error = client.get_floating_ip("7").await.unwrap_err();
        assert!(error.to_string().contains("none of the fields"), "{error}");
    }
}
