//! Subnets: list, details, create (one or a batch), update, delete.

use crate::client::NetworkClient;
use crate::models::Subnet;
use crate::params::{CreateSubnet, UpdateSubnet, check_subnets};
use serde_json::{Value, json};
use synnefo_core::{Error, Request, Result};

/// `/subnets/<id>`.
fn subnet_path(request: Request, subnet_id: &str) -> Request {
    request.segment("subnets").segment(subnet_id)
}

impl NetworkClient {
    /// `GET /subnets`.
    pub fn list_subnets_request(&self) -> Request {
        Request::get().segment("subnets")
    }

    /// Lists the subnets the user sees (kamaki `list_subnets`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `subnets`.
    pub async fn list_subnets(&self) -> Result<Vec<Subnet>> {
        self.endpoint()
            .send_field(self.list_subnets_request(), "subnets")
            .await
    }

    /// `GET /subnets/<id>`.
    pub fn get_subnet_details_request(&self, subnet_id: &str) -> Request {
        subnet_path(Request::get(), subnet_id)
    }

    /// A subnet's details (kamaki `get_subnet_details`, which returned the
    /// whole body; this unwraps `subnet` like every other call, reference
    /// §6.3 item 24).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown subnet.
    #[doc(alias = "get_subnet")]
    pub async fn get_subnet_details(&self, subnet_id: &str) -> Result<Subnet> {
        self.endpoint()
            .send_field(self.get_subnet_details_request(subnet_id), "subnet")
            .await
    }

    /// `POST /subnets` with `{"subnet": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_subnet_request(&self, create: &CreateSubnet) -> Result<Request> {
        Request::post()
            .segment("subnets")
            .json(&json!({"subnet": create.to_object()}))
    }

    /// Creates a subnet (kamaki `create_subnet`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `403` on another user's network,
    /// `400` for a second subnet of the same IP version, a gateway outside
    /// the CIDR or an IPv6 prefix other than /64, `413` for an IPv4 prefix
    /// outside /22–/29, `409` for bad allocation pools.
    pub async fn create_subnet(&self, create: &CreateSubnet) -> Result<Subnet> {
        self.endpoint()
            .send_field(self.create_subnet_request(create)?, "subnet")
            .await
    }

    /// `POST /subnets` with `{"subnets": [{…}, …]}`, after kamaki's checks
    /// (at least one; each with a network id and a CIDR).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when a check fails.
    pub fn create_subnets_request(&self, subnets: &[CreateSubnet]) -> Result<Request> {
        check_subnets(subnets)?;
        let list: Vec<Value> = subnets.iter().map(CreateSubnet::to_object).collect();
        Request::post()
            .segment("subnets")
            .json(&json!({ "subnets": list }))
    }

    /// Creates several subnets in one request, all or none (kamaki
    /// `create_subnets`). Synnefo itself does not take batches and answers
    /// `400`.
    ///
    /// # Errors
    /// As [`NetworkClient::create_networks`].
    pub async fn create_subnets(&self, subnets: &[CreateSubnet]) -> Result<Vec<Subnet>> {
        self.endpoint()
            .send_field(self.create_subnets_request(subnets)?, "subnets")
            .await
    }

    /// `PUT /subnets/<id>` with `{"subnet": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_subnet_request(&self, subnet_id: &str, update: &UpdateSubnet) -> Result<Request> {
        subnet_path(Request::put(), subnet_id).json(&json!({"subnet": update.to_object()}))
    }

    /// Updates a subnet and returns it (kamaki `update_subnet`; Synnefo
    /// changes only the name). An empty update is refused before any
    /// request.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when `update` sets nothing;
    /// [`synnefo_core::Error::Http`] `400` when it sets more than a name
    /// on Synnefo.
    pub async fn update_subnet(&self, subnet_id: &str, update: &UpdateSubnet) -> Result<Subnet> {
        if update.is_empty() {
            return Err(Error::Config(format!(
                "nothing to update on subnet {subnet_id}: set a name"
            )));
        }
        self.endpoint()
            .send_field(self.update_subnet_request(subnet_id, update)?, "subnet")
            .await
    }

    /// `DELETE /subnets/<id>`.
    pub fn delete_subnet_request(&self, subnet_id: &str) -> Request {
        subnet_path(Request::delete(), subnet_id)
    }

    /// Deletes a subnet (kamaki `delete_subnet`). Synnefo refuses it
    /// (`400`): a subnet goes with its network.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` on Synnefo.
    pub async fn delete_subnet(&self, subnet_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_subnet_request(subnet_id))
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::models::AllocationPool;
    use crate::params::Gateway;
    use crate::testing::{Scripted, body, client, line};

    #[test]
    fn subnet_requests() {
        let c = client();
        assert_eq!(line(&c.list_subnets_request()), "GET /subnets");
        assert_eq!(line(&c.get_subnet_details_request("4")), "GET /subnets/4");
        let create = CreateSubnet {
            name: Some("s".into()),
            ipv6: true,
            allocation_pools: vec![AllocationPool::new("a", "b")],
            gateway: Gateway::Disabled,
            subnet_id: Some("9".into()),
            enable_dhcp: Some(true),
            ..CreateSubnet::new("1", "2001:db8::/64")
        };
        let post = c.create_subnet_request(&create).unwrap();
        assert_eq!(line(&post), "POST /subnets");
        assert_eq!(
            body(&post),
            json!({"subnet": {"network_id": "1", "cidr": "2001:db8::/64", "ip_version": 6,
                "name": "s", "allocation_pools": [{"start": "a", "end": "b"}],
                "gateway_ip": null, "id": "9", "enable_dhcp": true}})
        );
        let update = UpdateSubnet {
            ipv6: Some(false),
            ..UpdateSubnet::name("t")
        };
        let put = c.update_subnet_request("4", &update).unwrap();
        assert_eq!(line(&put), "PUT /subnets/4");
        assert_eq!(
            body(&put),
            json!({"subnet": {"name": "t", "ip_version": 4}})
        );
        assert_eq!(line(&c.delete_subnet_request("4")), "DELETE /subnets/4");
        let batch = c
            .create_subnets_request(&[CreateSubnet::new("1", "10.0.0.0/24")])
            .unwrap();
        assert_eq!(line(&batch), "POST /subnets");
        assert_eq!(
            body(&batch),
            json!({"subnets": [{"network_id": "1", "cidr": "10.0.0.0/24", "ip_version": 4}]})
        );
        assert!(c.create_subnets_request(&[]).is_err());
    }

    #[tokio::test]
    async fn details_are_unwrapped() {
        let fake = Scripted::new(&[(
            200,
            r#"{"subnet": {"id": "4", "cidr": "10.0.0.0/24", "ip_version": 4, "gateway_ip": null}}"#,
        )]);
        let subnet = fake.client().get_subnet_details("4").await.unwrap();
        assert_eq!(subnet.cidr.as_deref(), Some("10.0.0.0/24"));
        assert_eq!((subnet.ip_version, subnet.gateway_ip), (Some(4), None));
        let error = fake
            .client()
            .update_subnet("4", &UpdateSubnet::default())
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)));
        assert_eq!(fake.lines(), ["GET /subnets/4"]);
    }
}
