//! Ports: list, details, create (one or a batch), update, delete, and
//! waits on their status.

use crate::client::NetworkClient;
use crate::models::Port;
use crate::params::{CreatePort, UpdatePort, check_ports};
use serde_json::{Value, json};
use std::sync::{Mutex, PoisonError};
use synnefo_core::{Error, Poll, Request, Result, WaitOptions, wait_for};

/// `/ports/<id>`.
fn port_path(request: Request, port_id: &str) -> Request {
    request.segment("ports").segment(port_id)
}

/// Whether a port's status is `status`, without regard to case.
fn has_status(port: &Port, status: &str) -> bool {
    port.status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(status))
}

impl NetworkClient {
    /// `GET /ports[/detail]`.
    pub fn list_ports_request(&self, detail: bool) -> Request {
        let request = Request::get().segment("ports");
        if detail {
            request.segment("detail")
        } else {
            request
        }
    }

    /// Lists the user's ports (kamaki `list_ports`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `ports`.
    pub async fn list_ports(&self) -> Result<Vec<Port>> {
        self.endpoint()
            .send_field(self.list_ports_request(false), "ports")
            .await
    }

    /// Lists ports through `ports/detail` (kamaki
    /// `CycladesNetworkClient.list_ports(detail=True)`).
    ///
    /// # Errors
    /// As [`NetworkClient::list_ports`].
    pub async fn list_ports_detail(&self) -> Result<Vec<Port>> {
        self.endpoint()
            .send_field(self.list_ports_request(true), "ports")
            .await
    }

    /// `GET /ports/<id>`.
    pub fn get_port_details_request(&self, port_id: &str) -> Request {
        port_path(Request::get(), port_id)
    }

    /// A port's details (kamaki `get_port_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown port.
    #[doc(alias = "get_port")]
    pub async fn get_port_details(&self, port_id: &str) -> Result<Port> {
        self.endpoint()
            .send_field(self.get_port_details_request(port_id), "port")
            .await
    }

    /// `POST /ports` with `{"port": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_port_request(&self, create: &CreatePort) -> Result<Request> {
        Request::post()
            .segment("ports")
            .json(&json!({"port": create.to_object()}))
    }

    /// Creates a port (kamaki `create_port`). With a `device_id` the port
    /// attaches to that server: `BUILD`, then `ACTIVE` (wait with
    /// [`NetworkClient::wait_port_until`]); without one it is `DOWN`.
    /// Every fixed IP must name its address (checked before any request,
    /// as kamaki's Cyclades client does).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] for a fixed IP without address;
    /// [`synnefo_core::Error::Http`]: `400` for a port on a public network
    /// without one of the user's floating IPs, `409` for an address in
    /// use or a network that is not active.
    pub async fn create_port(&self, create: &CreatePort) -> Result<Port> {
        if create
            .fixed_ips
            .iter()
            .any(|ip| ip.ip_address.trim().is_empty())
        {
            return Err(Error::Config(
                "every fixed IP of a port needs an ip_address".into(),
            ));
        }
        self.endpoint()
            .send_field(self.create_port_request(create)?, "port")
            .await
    }

    /// `POST /ports` with `{"ports": [{…}, …]}`, after kamaki's checks.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when a check fails.
    pub fn create_ports_request(&self, ports: &[CreatePort]) -> Result<Request> {
        check_ports(ports)?;
        let list: Vec<Value> = ports.iter().map(CreatePort::to_object).collect();
        Request::post()
            .segment("ports")
            .json(&json!({ "ports": list }))
    }

    /// Creates several ports in one request, all or none (kamaki
    /// `create_ports`). Synnefo itself does not take batches and answers
    /// `400`.
    ///
    /// # Errors
    /// As [`NetworkClient::create_networks`].
    pub async fn create_ports(&self, ports: &[CreatePort]) -> Result<Vec<Port>> {
        self.endpoint()
            .send_field(self.create_ports_request(ports)?, "ports")
            .await
    }

    /// `PUT /ports/<id>` with `{"port": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_port_request(&self, port_id: &str, update: &UpdatePort) -> Result<Request> {
        port_path(Request::put(), port_id).json(&json!({"port": update.to_object()}))
    }

    /// Updates a port and returns it (kamaki `update_port`; Synnefo
    /// changes the name and security groups). An empty update is refused
    /// before any request.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when `update` sets nothing;
    /// [`synnefo_core::Error::Http`] `404` for an unknown port.
    pub async fn update_port(&self, port_id: &str, update: &UpdatePort) -> Result<Port> {
        if update.is_empty() {
            return Err(Error::Config(format!(
                "nothing to update on port {port_id}: set a name"
            )));
        }
        self.endpoint()
            .send_field(self.update_port_request(port_id, update)?, "port")
            .await
    }

    /// `DELETE /ports/<id>`.
    pub fn delete_port_request(&self, port_id: &str) -> Request {
        port_path(Request::delete(), port_id)
    }

    /// Deletes a port (kamaki `delete_port`). A port of a server goes
    /// when the server has let it go: wait for `404` or use
    /// [`NetworkClient::wait_port_while`].
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `403` for a server's port on a
    /// public network without a floating IP, `404` for an unknown port.
    pub async fn delete_port(&self, port_id: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_port_request(port_id))
            .await
    }

    /// A port's status (kamaki's deprecated `get_port_status`); `None`
    /// when the server shows none.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown port.
    pub async fn get_port_status(&self, port_id: &str) -> Result<Option<String>> {
        Ok(self.get_port_details(port_id).await?.status)
    }

    /// Polls `GET /ports/<id>` until `done` accepts the port, and returns
    /// it. `what` names the wait in the timeout error.
    ///
    /// # Errors
    /// [`synnefo_core::Error::WaitTimeout`] at `options.timeout`; any error
    /// of a poll (a `404` once the port is gone) ends the wait at once.
    pub async fn wait_port_with<F>(
        &self,
        port_id: &str,
        what: &str,
        options: &WaitOptions,
        done: F,
    ) -> Result<Port>
    where
        F: FnMut(&Port) -> bool + Send,
    {
        let done = Mutex::new(done);
        let done = &done;
        wait_for(what, options, || async move {
            let port = self.get_port_details(port_id).await?;
            let finished = {
                let mut done = done.lock().unwrap_or_else(PoisonError::into_inner);
                (*done)(&port)
            };
            Ok(if finished {
                Poll::Ready(port)
            } else {
                Poll::Pending(port.status.clone().unwrap_or_default())
            })
        })
        .await
    }

    /// Waits while a port has status `current` (kamaki `wait_port_while`,
    /// e.g. `BUILD`).
    ///
    /// # Errors
    /// As [`NetworkClient::wait_port_with`].
    pub async fn wait_port_while(
        &self,
        port_id: &str,
        current: &str,
        options: &WaitOptions,
    ) -> Result<Port> {
        let what = format!("port {port_id} to leave {current}");
        self.wait_port_with(port_id, &what, options, |port| !has_status(port, current))
            .await
    }

    /// Waits until a port has status `target` (kamaki `wait_port_until`,
    /// e.g. `ACTIVE`).
    ///
    /// # Errors
    /// As [`NetworkClient::wait_port_with`].
    pub async fn wait_port_until(
        &self,
        port_id: &str,
        target: &str,
        options: &WaitOptions,
    ) -> Result<Port> {
        let what = format!("port {port_id} to become {target}");
        self.wait_port_with(port_id, &what, options, |port| has_status(port, target))
            .await
    }

    /// Waits for a new port to leave `BUILD` (kamaki `wait_port`).
    ///
    /// # Errors
    /// As [`NetworkClient::wait_port_with`].
    pub async fn wait_port(&self, port_id: &str, options: &WaitOptions) -> Result<Port> {
        self.wait_port_while(port_id, "BUILD", options).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::params::PortAddress;
    use crate::testing::{Scripted, body, client, line};
    use std::time::Duration;

    #[test]
    fn port_requests() {
        let c = client();
        assert_eq!(line(&c.list_ports_request(false)), "GET /ports");
        assert_eq!(line(&c.list_ports_request(true)), "GET /ports/detail");
        assert_eq!(line(&c.get_port_details_request("8")), "GET /ports/8");
        let create = CreatePort {
            device_id: Some("42".into()),
            name: Some("p".into()),
            fixed_ips: vec![PortAddress {
                ip_address: "10.0.0.5".into(),
                subnet_id: Some("3".into()),
            }],
            security_groups: Some(vec!["sg".into()]),
            ..CreatePort::new("1")
        };
        let post = c.create_port_request(&create).unwrap();
        assert_eq!(line(&post), "POST /ports");
        assert_eq!(
            body(&post),
            json!({"port": {"network_id": "1", "device_id": "42", "name": "p",
                "fixed_ips": [{"ip_address": "10.0.0.5", "subnet_id": "3"}],
                "security_groups": ["sg"]}})
        );
        let update = UpdatePort {
            network_id: Some("1".into()),
            ..UpdatePort::name("q")
        };
        let put = c.update_port_request("8", &update).unwrap();
        assert_eq!(line(&put), "PUT /ports/8");
        assert_eq!(
            body(&put),
            json!({"port": {"network_id": "1", "name": "q"}})
        );
        assert_eq!(line(&c.delete_port_request("8")), "DELETE /ports/8");
        let batch = c
            .create_ports_request(&[CreatePort::new("1"), CreatePort::new("2")])
            .unwrap();
        assert_eq!(
            body(&batch),
            json!({"ports": [{"network_id": "1"}, {"network_id": "2"}]})
        );
    }

    #[tokio::test]
    async fn fixed_ip_without_address_is_refused_before_any_request() {
        let fake = Scripted::new(&[]);
        let mut create = CreatePort::new("1");
        create.fixed_ips.push(PortAddress::new(""));
        let error = fake.client().create_port(&create).await.unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error}");
        assert!(fake.lines().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn port_waits() {
        let fake = Scripted::new(&[
            (200, r#"{"port": {"id": "8", "status": "BUILD"}}"#),
            (200, r#"{"port": {"id": "8", "status": "ACTIVE"}}"#),
            (200, r#"{"port": {"id": "8", "status": "BUILD"}}"#),
            (200, r#"{"port": {"id": "8", "status": "down"}}"#),
        ]);
        let c = fake.client();
        let options = WaitOptions::default();
        let active = c.wait_port("8", &options).await.unwrap();
        assert_eq!(active.status.as_deref(), Some("ACTIVE"));
        let down = c.wait_port_until("8", "DOWN", &options).await.unwrap();
        assert_eq!(down.status.as_deref(), Some("down"));
        assert_eq!(fake.lines().len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn port_wait_times_out() {
        let build = r#"{"port": {"id": "8", "status": "BUILD"}}"#;
        let answers: Vec<(u16, &str)> = (0..50).map(|_| (200, build)).collect();
        let fake = Scripted::new(&answers);
        let error = fake
            .client()
            .wait_port_while(
                "8",
                "BUILD",
                &WaitOptions::with_timeout(Duration::from_secs(3)),
            )
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error}");
        assert!(
            error.to_string().contains("port 8 to leave BUILD"),
            "{error}"
        );
        assert_eq!(
            fake.client().get_port_status("8").await.unwrap().as_deref(),
            Some("BUILD")
        );
    }
}
