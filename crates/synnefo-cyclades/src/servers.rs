//! Synnefo's server extensions: creation with the image's metadata,
//! `start`/`shutdown`, console, firewall profile, diagnostics, statistics,
//! project reassignment, and Synnefo's flavor filters.

use crate::CycladesClient;
use crate::client::server_path;
use crate::models::{ConsoleType, FirewallProfile, FlavorFilter, ServerStats};
use serde_json::json;
use synnefo_compute::{Console, CreateServer, Diagnostic, Flavor, Image, Metadata, ServerDetails};
use synnefo_core::{Request, Result};

/// The image metadata keys a new server inherits (kamaki copies exactly
/// these two).
const INHERITED_KEYS: [&str; 2] = ["os", "users"];

/// `create` with the image's `os` and `users` metadata added where the
/// caller did not set them (kamaki's `metadata.setdefault`).
fn with_image_metadata(create: &CreateServer, image_metadata: &Metadata) -> CreateServer {
    let mut create = create.clone();
    for key in INHERITED_KEYS {
        if let Some(value) = image_metadata.get(key) {
            create
                .metadata
                .entry(key.to_owned())
                .or_insert_with(|| value.clone());
        }
    }
    create
}

impl CycladesClient {
    /// `POST /servers` for `create`, with `image`'s `os` and `users`
    /// metadata added where `create` does not set them: the second request
    /// of [`CycladesClient::create_server`], after it has read the image.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_server_request_with_image(
        &self,
        create: &CreateServer,
        image: &Image,
    ) -> Result<Request> {
        self.compute()
            .create_server_request(&with_image_metadata(create, &image.metadata))
    }

    /// Creates a server the way kamaki's Cyclades client does: first reads
    /// the image through the compute API (`GET /images/<id>`) and copies its
    /// `os` and `users` metadata onto the server (keeping values the caller
    /// set), then posts the server. The answer is the new server in `BUILD`
    /// with its administrator password, shown this once.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown image (from the
    /// first request); otherwise as
    /// [`ComputeClient::create_server`](synnefo_compute::ComputeClient::create_server).
    pub async fn create_server(&self, create: &CreateServer) -> Result<ServerDetails> {
        let image = self.get_image_details(&create.image_id).await?;
        let request = self.create_server_request_with_image(create, &image)?;
        self.endpoint().send_field(request, "server").await
    }

    /// Synnefo's start action: `{"start": {}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn start_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"start": {}}))
    }

    /// Starts a stopped server (kamaki `CycladesComputeClient.start_server`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` unless the server is `STOPPED`,
    /// `409` while it builds.
    pub async fn start_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.start_server_request(server_id)?)
            .await
    }

    /// Synnefo's shutdown action: `{"shutdown": {}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn shutdown_server_request(&self, server_id: u64) -> Result<Request> {
        self.server_action_request(server_id, &json!({"shutdown": {}}))
    }

    /// Shuts a running server down (kamaki
    /// `CycladesComputeClient.shutdown_server`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` unless the server is `ACTIVE`,
    /// `409` while it builds.
    pub async fn shutdown_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.shutdown_server_request(server_id)?)
            .await
    }

    /// The console action: `{"console": {"type": <type>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn get_server_console_request(
        &self,
        server_id: u64,
        console_type: ConsoleType,
    ) -> Result<Request> {
        self.server_action_request(
            server_id,
            &json!({"console": {"type": console_type.as_str()}}),
        )
    }

    /// Connection details of a server's console: host, port and one-time
    /// password (kamaki `get_server_console`). The type is checked by the
    /// compiler where kamaki asserted it at run time.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` unless the server is `ACTIVE`.
    pub async fn get_server_console(
        &self,
        server_id: u64,
        console_type: ConsoleType,
    ) -> Result<Console> {
        let request = self.get_server_console_request(server_id, console_type)?;
        self.endpoint().send_field(request, "console").await
    }

    /// The firewall action:
    /// `{"firewallProfile": {"profile": <profile>, "nic": <port id>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn set_firewall_profile_request(
        &self,
        server_id: u64,
        profile: FirewallProfile,
        nic_id: &str,
    ) -> Result<Request> {
        self.server_action_request(
            server_id,
            &json!({"firewallProfile": {"profile": profile.as_str(), "nic": nic_id}}),
        )
    }

    /// Sets the firewall profile of one of a server's NICs (kamaki
    /// `set_firewall_profile`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a malformed NIC id, `404`
    /// for a NIC not on the server.
    pub async fn set_firewall_profile(
        &self,
        server_id: u64,
        profile: FirewallProfile,
        nic_id: &str,
    ) -> Result<()> {
        self.endpoint()
            .send_empty(self.set_firewall_profile_request(server_id, profile, nic_id)?)
            .await
    }

    /// The reassign action: `{"reassign": {"project": <project>}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn reassign_server_request(&self, server_id: u64, project: &str) -> Result<Request> {
        self.server_action_request(server_id, &json!({"reassign": {"project": project}}))
    }

    /// Charges a server to another project (kamaki `reassign_server`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` while another task is pending,
    /// a `4xx` when the quota commission is refused for a project the user
    /// is not a member of, `413` when the project's quota is exceeded.
    pub async fn reassign_server(&self, server_id: u64, project: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.reassign_server_request(server_id, project)?)
            .await
    }

    /// `GET /servers/<id>/diagnostics` (kamaki `servers_diagnostics_get`).
    pub fn get_server_diagnostics_request(&self, server_id: u64) -> Request {
        server_path(Request::get(), server_id).segment("diagnostics")
    }

    /// A server's diagnostic messages, newest first (kamaki
    /// `get_server_diagnostics`; the answer is a bare list).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    pub async fn get_server_diagnostics(&self, server_id: u64) -> Result<Vec<Diagnostic>> {
        let request = self.get_server_diagnostics_request(server_id);
        self.endpoint().send_json(request).await
    }

    /// `GET /servers/<id>/stats` (kamaki `servers_stats_get`).
    pub fn get_server_stats_request(&self, server_id: u64) -> Request {
        server_path(Request::get(), server_id).segment("stats")
    }

    /// Where a server's usage graphs are (kamaki `get_server_stats`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    pub async fn get_server_stats(&self, server_id: u64) -> Result<ServerStats> {
        self.endpoint()
            .send_field(self.get_server_stats_request(server_id), "stats")
            .await
    }

    /// `GET /flavors[/detail]?SNF:is_public=…&SNF:flavor-access=…` (kamaki
    /// `CycladesComputeRestClient.flavors_get`; kamaki sent OpenStack's
    /// `is_public`, which Synnefo ignores).
    pub fn list_flavors_request(&self, detail: bool, filter: &FlavorFilter) -> Request {
        let mut request = Request::get().segment("flavors");
        if detail {
            request = request.segment("detail");
        }
        request
            .query("SNF:flavor-access", filter.project.as_deref())
            .query("SNF:is_public", filter.is_public)
    }

    /// Lists flavors with Synnefo's filters (kamaki
    /// `CycladesComputeClient.list_flavors`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `flavors`.
    pub async fn list_flavors(&self, filter: &FlavorFilter) -> Result<Vec<Flavor>> {
        self.endpoint()
            .send_field(self.list_flavors_request(false, filter), "flavors")
            .await
    }

    /// As [`CycladesClient::list_flavors`], with RAM, disk, CPUs and
    /// Synnefo's flavor fields.
    ///
    /// # Errors
    /// As [`CycladesClient::list_flavors`].
    pub async fn list_flavors_detail(&self, filter: &FlavorFilter) -> Result<Vec<Flavor>> {
        self.endpoint()
            .send_field(self.list_flavors_request(true, filter), "flavors")
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, client, line};
    use serde_json::Value;
    use synnefo_compute::{Personality, ServerNetwork};

    fn action(request: Result<Request>) -> Value {
        let request = request.unwrap();
        assert_eq!(line(&request), "POST /servers/42/action");
        body(&request)
    }

    #[test]
    fn synnefo_action_bodies() {
        let c = client();
        // §4.4: start/shutdown are Synnefo's, not os-start/os-stop.
        assert_eq!(action(c.start_server_request(42)), json!({"start": {}}));
        assert_eq!(
            action(c.shutdown_server_request(42)),
            json!({"shutdown": {}})
        );
        // The plain compute client underneath still speaks OpenStack.
        assert_eq!(
            action(c.compute().start_server_request(42)),
            json!({"os-start": {}})
        );
        for (kind, text) in [
            (ConsoleType::Vnc, "vnc"),
            (ConsoleType::VncWs, "vnc-ws"),
            (ConsoleType::VncWss, "vnc-wss"),
        ] {
            assert_eq!(
                action(c.get_server_console_request(42, kind)),
                json!({"console": {"type": text}})
            );
        }
        assert_eq!(
            action(c.set_firewall_profile_request(42, FirewallProfile::Protected, "port-7")),
            json!({"firewallProfile": {"profile": "PROTECTED", "nic": "port-7"}})
        );
        assert_eq!(
            action(c.reassign_server_request(42, "p1")),
            json!({"reassign": {"project": "p1"}})
        );
    }

    #[test]
    fn stats_diagnostics_and_flavors() {
        let c = client();
        assert_eq!(
            line(&c.get_server_stats_request(42)),
            "GET /servers/42/stats"
        );
        assert_eq!(
            line(&c.get_server_diagnostics_request(42)),
            "GET /servers/42/diagnostics"
        );
        assert_eq!(
            line(&c.list_flavors_request(false, &FlavorFilter::default())),
            "GET /flavors"
        );
        let filter = FlavorFilter {
            is_public: Some(true),
            project: Some("pid".into()),
        };
        let request = c.list_flavors_request(true, &filter);
        // §4.4: the first parameter is SNF:flavor-access=<project>.
        assert_eq!(
            request.query_pairs()[0],
            ("SNF:flavor-access".to_owned(), Some("pid".to_owned()))
        );
        assert_eq!(
            line(&request),
            "GET /flavors/detail?SNF%3Aflavor-access=pid&SNF%3Ais_public=true"
        );
    }

    #[test]
    fn image_metadata_fills_only_missing_keys() {
        let mut create = CreateServer::new("vm", 3, "img");
        create.metadata.insert("a".into(), "b".into());
        create.metadata.insert("users".into(), "admin".into());
        let mut image_metadata = Metadata::new();
        image_metadata.insert("os".into(), "debian".into());
        image_metadata.insert("users".into(), "root".into());
        image_metadata.insert("osfamily".into(), "linux".into());
        let merged = with_image_metadata(&create, &image_metadata);
        let expected: Metadata = [("a", "b"), ("os", "debian"), ("users", "admin")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(merged.metadata, expected);
    }

    #[tokio::test]
    async fn create_reads_the_image_then_posts_the_server() {
        let fake = Scripted::new(&[
            (
                200,
                r#"{"image": {"id": "img", "name": "Debian", "metadata": {"os": "debian", "users": "root", "osfamily": "linux"}}}"#,
            ),
            (
                202,
                r#"{"server": {"id": 42, "name": "vm", "status": "BUILD", "adminPass": "Xy12345678"}}"#,
            ),
        ]);
        // The example of §2.6.
        let mut create = CreateServer::new("vm", 3, "img");
        create.key_name = Some("k".into());
        create.project = Some("p1".into());
        create.metadata.insert("a".into(), "b".into());
        create.networks = Some(vec![
            ServerNetwork::network("n1"),
            ServerNetwork::port("p1"),
        ]);
        create.personality.push(
            Personality::new("/a", "x")
                .owner("root")
                .group("root")
                .mode(0o600),
        );
        let server = fake.client().create_server(&create).await.unwrap();
        assert_eq!(server.id, 42);
        assert_eq!(server.admin_pass.as_deref(), Some("Xy12345678"));
        let seen = fake.seen();
        assert_eq!(fake.lines(), vec!["GET /images/img", "POST /servers"]);
        assert_eq!(
            seen[1].body,
            json!({"server": {
                "name": "vm", "imageRef": "img", "key_name": "k", "flavorRef": 3,
                "project": "p1", "metadata": {"a": "b", "os": "debian", "users": "root"},
                "networks": [{"uuid": "n1"}, {"port": "p1"}],
                "personality": [{"path": "/a", "contents": "eA==", "owner": "root",
                                 "group": "root", "mode": 384}]
            }})
        );
    }

    #[tokio::test]
    async fn create_with_an_unknown_image_posts_nothing() {
        let fake = Scripted::new(&[(
            404,
            r#"{"itemNotFound": {"code": 404, "message": "Image not found"}}"#,
        )]);
        let error = fake
            .client()
            .create_server(&CreateServer::new("vm", 3, "nope"))
            .await
            .unwrap_err();
        assert!(error.is_not_found(), "{error}");
        assert_eq!(fake.lines(), vec!["GET /images/nope"]);
    }

    #[tokio::test]
    async fn console_diagnostics_and_stats_decode() {
        let fake = Scripted::new(&[
            (
                200,
                r#"{"console": {"type": "vnc", "host": "h", "port": 5901, "password": "pw"}}"#,
            ),
            (
                200,
                r#"[{"level": "INFO", "created": "2013-01-01T00:00:00+00:00", "source": "s", "message": "m", "details": "d"}]"#,
            ),
            (
                200,
                r#"{"stats": {"serverRef": 42, "refresh": 60, "cpuBar": "u"}}"#,
            ),
        ]);
        let c = fake.client();
        let console = c.get_server_console(42, ConsoleType::Vnc).await.unwrap();
        assert_eq!(
            (console.host.as_deref(), console.port),
            (Some("h"), Some(5901))
        );
        let diagnostics = c.get_server_diagnostics(42).await.unwrap();
        assert_eq!(diagnostics[0].message.as_deref(), Some("m"));
        let stats = c.get_server_stats(42).await.unwrap();
        assert_eq!(stats.cpu_bar.as_deref(), Some("u"));
    }
}
