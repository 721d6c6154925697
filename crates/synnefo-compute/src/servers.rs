//! Servers: list, details, create, update, delete; their metadata and
//! addresses.

use crate::ComputeClient;
use crate::client::{allow_not_modified, server_path};
use crate::decode;
use crate::models::{Address, Metadata, Server, ServerDetails, ServerNics};
use crate::params::{CreateServer, ListServers, UpdateServer};
use serde_json::json;
use std::collections::BTreeMap;
use synnefo_core::http::StatusCode;
use synnefo_core::{Request, Result};

impl ComputeClient {
    /// `GET /servers[/detail]` with the filters that are set
    /// (kamaki `servers_get`).
    pub fn list_servers_request(&self, detail: bool, filters: &ListServers) -> Request {
        let mut request = Request::get().segment("servers");
        if detail {
            request = request.segment("detail");
        }
        let request = request
            .query("changes-since", filters.changes_since.as_deref())
            .query("image", filters.image.as_deref())
            .query("flavor", filters.flavor)
            .query("name", filters.name.as_deref())
            .query("marker", filters.marker.as_deref())
            .query("limit", filters.limit)
            .query("status", filters.status.as_ref().map(|s| s.as_str()))
            .query("host", filters.host.as_deref());
        allow_not_modified(request, filters.changes_since.as_deref())
    }

    /// Lists servers: ids, names and links (kamaki `list_servers`).
    /// With `changes_since`, deleted servers are included, and an unchanged
    /// listing (`304`) gives an empty list.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] (`400` for a `changes-since` older than
    /// an hour or in the future), [`synnefo_core::Error::InvalidResponse`]
    /// for an answer without `servers`.
    pub async fn list_servers(&self, filters: &ListServers) -> Result<Vec<Server>> {
        let request = self.list_servers_request(false, filters);
        Ok(self
            .send_field_unless_unchanged(request, "servers")
            .await?
            .unwrap_or_default())
    }

    /// Lists servers with every detail (kamaki `list_servers(detail=True)`).
    ///
    /// # Errors
    /// As [`ComputeClient::list_servers`].
    pub async fn list_servers_detail(&self, filters: &ListServers) -> Result<Vec<ServerDetails>> {
        let request = self.list_servers_request(true, filters);
        Ok(self
            .send_field_unless_unchanged(request, "servers")
            .await?
            .unwrap_or_default())
    }

    /// `GET /servers/<id>`.
    pub fn get_server_details_request(&self, server_id: u64) -> Request {
        server_path(Request::get(), server_id)
    }

    /// A server's details (kamaki `get_server_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    #[doc(alias = "get_server")]
    pub async fn get_server_details(&self, server_id: u64) -> Result<ServerDetails> {
        self.endpoint()
            .send_field(self.get_server_details_request(server_id), "server")
            .await
    }

    /// `POST /servers` with `{"server": {…}}` (kamaki `servers_post`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_server_request(&self, create: &CreateServer) -> Result<Request> {
        Request::post().segment("servers").json(&create.to_json())
    }

    /// Creates a server (kamaki `ComputeClient.create_server`). The answer
    /// is the new server in status `BUILD`, with its administrator password
    /// (`admin_pass`), shown this once.
    ///
    /// `synnefo-cyclades`' `create_server` also copies the image's `os` and
    /// `users` metadata onto the server, as kamaki's Cyclades client does.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a malformed request, `404`
    /// for an unknown flavor, image or key, `403` for a flavor not allowed,
    /// `409` when no floating IP is free on a requested public network,
    /// `413` over quota.
    pub async fn create_server(&self, create: &CreateServer) -> Result<ServerDetails> {
        self.endpoint()
            .send_field(self.create_server_request(create)?, "server")
            .await
    }

    /// `PUT /servers/<id>` with `{"server": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_server_request(&self, server_id: u64, update: &UpdateServer) -> Result<Request> {
        server_path(Request::put(), server_id).json(&update.to_json())
    }

    /// Updates a server's fields (Synnefo answers `204`; other clouds
    /// return the server, which is ignored).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `400` for a name over 255 characters
    /// or a deleted server, `404` for an unknown one.
    pub async fn update_server(&self, server_id: u64, update: &UpdateServer) -> Result<()> {
        self.endpoint()
            .send_empty(self.update_server_request(server_id, update)?)
            .await
    }

    /// Renames a server (kamaki `update_server_name`).
    ///
    /// # Errors
    /// As [`ComputeClient::update_server`].
    #[doc(alias = "rename_server")]
    pub async fn update_server_name(&self, server_id: u64, new_name: &str) -> Result<()> {
        let update = UpdateServer {
            name: Some(new_name.to_owned()),
            ..UpdateServer::default()
        };
        self.update_server(server_id, &update).await
    }

    /// `DELETE /servers/<id>`.
    pub fn delete_server_request(&self, server_id: u64) -> Request {
        server_path(Request::delete(), server_id)
    }

    /// Deletes a server (kamaki `delete_server`). The server goes to
    /// `DELETED`; Synnefo answers `204`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    pub async fn delete_server(&self, server_id: u64) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_server_request(server_id))
            .await
    }

    /// `GET /servers/<id>/metadata[/<key>]` (kamaki `servers_metadata_get`).
    pub fn get_server_metadata_request(&self, server_id: u64, key: Option<&str>) -> Request {
        let request = server_path(Request::get(), server_id).segment("metadata");
        match key {
            Some(key) => request.segment(key),
            None => request,
        }
    }

    /// All metadata of a server (kamaki `get_server_metadata`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    pub async fn get_server_metadata(&self, server_id: u64) -> Result<Metadata> {
        let request = self.get_server_metadata_request(server_id, None);
        let response = self.endpoint().send(request).await?;
        decode::metadata_field(&response, "metadata")
    }

    /// The value of one metadata key of a server (kamaki
    /// `get_server_metadata(server_id, key)`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` when the key (or the server) does
    /// not exist.
    pub async fn get_server_metadata_item(&self, server_id: u64, key: &str) -> Result<String> {
        let request = self.get_server_metadata_request(server_id, Some(key));
        let response = self.endpoint().send(request).await?;
        decode::meta_value(&response, key)
    }

    /// `PUT /servers/<id>/metadata/<key>` with `{"meta": {key: value}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_server_metadata_request(
        &self,
        server_id: u64,
        key: &str,
        value: &str,
    ) -> Result<Request> {
        server_path(Request::put(), server_id)
            .segment("metadata")
            .segment(key)
            .json(&json!({ "meta": { key: value } }))
    }

    /// Sets one metadata key of a server (kamaki `create_server_metadata`);
    /// returns the `meta` the server echoes.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `400` beyond 10 keys or for a key over
    /// 50 or a value over 500 characters.
    #[doc(alias = "set_server_metadata")]
    pub async fn create_server_metadata(
        &self,
        server_id: u64,
        key: &str,
        value: &str,
    ) -> Result<Metadata> {
        let request = self.create_server_metadata_request(server_id, key, value)?;
        let response = self.endpoint().send(request).await?;
        decode::metadata_field(&response, "meta")
    }

    /// `POST /servers/<id>/metadata` with `{"metadata": {…}}`.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn update_server_metadata_request(
        &self,
        server_id: u64,
        metadata: &Metadata,
    ) -> Result<Request> {
        server_path(Request::post(), server_id)
            .segment("metadata")
            .json(&json!({ "metadata": metadata }))
    }

    /// Merges `metadata` into a server's metadata (kamaki
    /// `update_server_metadata`); returns all the server's metadata.
    ///
    /// # Errors
    /// As [`ComputeClient::create_server_metadata`].
    pub async fn update_server_metadata(
        &self,
        server_id: u64,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.update_server_metadata_request(server_id, metadata)?;
        let response = self.endpoint().send(request).await?;
        decode::metadata_field(&response, "metadata")
    }

    /// `PUT /servers/<id>/metadata` with `{"metadata": {…}}` (kamaki
    /// `servers_metadata_put` without a key).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn replace_server_metadata_request(
        &self,
        server_id: u64,
        metadata: &Metadata,
    ) -> Result<Request> {
        server_path(Request::put(), server_id)
            .segment("metadata")
            .json(&json!({ "metadata": metadata }))
    }

    /// Replaces all metadata of a server (OpenStack; Synnefo answers `405`,
    /// use [`ComputeClient::update_server_metadata`] there).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] where the cloud does not support it.
    pub async fn replace_server_metadata(
        &self,
        server_id: u64,
        metadata: &Metadata,
    ) -> Result<Metadata> {
        let request = self.replace_server_metadata_request(server_id, metadata)?;
        let response = self.endpoint().send(request).await?;
        decode::metadata_field(&response, "metadata")
    }

    /// `DELETE /servers/<id>/metadata/<key>`.
    pub fn delete_server_metadata_request(&self, server_id: u64, key: &str) -> Request {
        server_path(Request::delete(), server_id)
            .segment("metadata")
            .segment(key)
    }

    /// Deletes one metadata key of a server (kamaki
    /// `delete_server_metadata`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for a missing key.
    pub async fn delete_server_metadata(&self, server_id: u64, key: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_server_metadata_request(server_id, key))
            .await
    }

    /// `GET /servers/<id>/ips[/<network_id>][?changes-since=]` (kamaki
    /// `servers_ips_get`).
    pub fn get_server_nics_request(
        &self,
        server_id: u64,
        network_id: Option<&str>,
        changes_since: Option<&str>,
    ) -> Request {
        let mut request = server_path(Request::get(), server_id).segment("ips");
        if let Some(network_id) = network_id {
            request = request.segment(network_id);
        }
        allow_not_modified(request.query("changes-since", changes_since), changes_since)
    }

    /// A server's addresses by network, and its NICs (kamaki
    /// `get_server_nics`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server.
    #[doc(alias = "get_server_addresses")]
    pub async fn get_server_nics(&self, server_id: u64) -> Result<ServerNics> {
        let request = self.get_server_nics_request(server_id, None, None);
        self.endpoint().send_json(request).await
    }

    /// As [`ComputeClient::get_server_nics`], only if they changed since
    /// `changes_since` (ISO 8601): `None` when the server answers `304`.
    /// Synnefo's `/ips` takes no `changes-since` (wire reference §3.5) and
    /// always answers in full.
    ///
    /// # Errors
    /// As [`ComputeClient::get_server_nics`].
    pub async fn get_server_nics_since(
        &self,
        server_id: u64,
        changes_since: &str,
    ) -> Result<Option<ServerNics>> {
        let request = self.get_server_nics_request(server_id, None, Some(changes_since));
        let response = self.endpoint().send(request).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        response.json().map(Some)
    }

    /// A server's addresses on one network (kamaki
    /// `get_server_network_nics`).
    ///
    /// An empty list for a network the server has no NIC on.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown server or
    /// network.
    pub async fn get_server_network_nics(
        &self,
        server_id: u64,
        network_id: &str,
    ) -> Result<Vec<Address>> {
        let request = self.get_server_nics_request(server_id, Some(network_id), None);
        let mut networks: BTreeMap<String, Vec<Address>> =
            self.endpoint().send_field(request, "network").await?;
        // `{"network": {"<network_id>": [...]}}`; take the one list there is.
        Ok(networks
            .remove(network_id)
            .or_else(|| networks.into_values().next())
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ServerStatus;
    use crate::testing::{Scripted, body, client, line};

    #[test]
    fn list_paths_and_filters() {
        let c = client();
        assert_eq!(
            line(&c.list_servers_request(false, &ListServers::default())),
            "GET /servers"
        );
        assert_eq!(
            line(&c.list_servers_request(true, &ListServers::default())),
            "GET /servers/detail"
        );
        // kamaki [wire]: servers/detail?status=ACTIVE&name=n%20m&image=img&
        // changes-since=2013-01-01&host=h&limit=10&marker=mk&flavor=1
        let filters = ListServers {
            changes_since: Some("2013-01-01".into()),
            image: Some("img".into()),
            flavor: Some(1),
            name: Some("n m".into()),
            status: Some(ServerStatus::Active),
            host: Some("h".into()),
            marker: Some("mk".into()),
            limit: Some(10),
        };
        let request = c.list_servers_request(true, &filters);
        let mut pairs: Vec<(String, String)> = request
            .query_pairs()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().unwrap()))
            .collect();
        pairs.sort();
        let mut expected: Vec<(String, String)> = [
            ("status", "ACTIVE"),
            ("name", "n m"),
            ("image", "img"),
            ("changes-since", "2013-01-01"),
            ("host", "h"),
            ("limit", "10"),
            ("marker", "mk"),
            ("flavor", "1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        expected.sort();
        assert_eq!(pairs, expected);
        assert!(request.path_and_query().contains("name=n%20m"));
        // With changes-since an unchanged listing (304) is accepted.
        assert!(request.expected().accepts(StatusCode::NOT_MODIFIED));
        assert!(
            !c.list_servers_request(true, &ListServers::default())
                .expected()
                .accepts(StatusCode::NOT_MODIFIED)
        );
    }

    #[test]
    fn changes_since_is_encoded_once() {
        let filters = ListServers {
            changes_since: Some("2013-06-19T15:23:59+00:00".into()),
            ..ListServers::default()
        };
        assert_eq!(
            client()
                .list_servers_request(false, &filters)
                .path_and_query(),
            "/servers?changes-since=2013-06-19T15%3A23%3A59%2B00%3A00"
        );
    }

    #[test]
    fn get_update_delete() {
        let c = client();
        assert_eq!(line(&c.get_server_details_request(42)), "GET /servers/42");
        assert_eq!(line(&c.delete_server_request(42)), "DELETE /servers/42");
        let update = UpdateServer {
            name: Some("new name".into()),
            ..UpdateServer::default()
        };
        let request = c.update_server_request(42, &update).unwrap();
        assert_eq!(line(&request), "PUT /servers/42");
        assert_eq!(body(&request), json!({"server": {"name": "new name"}}));
        assert_eq!(request.headers()["content-type"], "application/json");
    }

    #[test]
    fn create_posts_the_server_body() {
        let request = client()
            .create_server_request(&CreateServer::new("my new VM", 42, "1m4g3-r3f3r3nc3"))
            .unwrap();
        assert_eq!(line(&request), "POST /servers");
        assert_eq!(
            body(&request),
            json!({"server": {"flavorRef": 42, "name": "my new VM", "imageRef": "1m4g3-r3f3r3nc3"}})
        );
        assert!(!request.is_idempotent());
    }

    #[test]
    fn metadata_requests() {
        let c = client();
        assert_eq!(
            line(&c.get_server_metadata_request(42, None)),
            "GET /servers/42/metadata"
        );
        assert_eq!(
            line(&c.get_server_metadata_request(42, Some("k 1"))),
            "GET /servers/42/metadata/k%201"
        );
        let put = c.create_server_metadata_request(42, "k", "v").unwrap();
        assert_eq!(line(&put), "PUT /servers/42/metadata/k");
        assert_eq!(body(&put), json!({"meta": {"k": "v"}}));
        let mut metadata = Metadata::new();
        metadata.insert("m1".into(), "v1".into());
        metadata.insert("m2".into(), "v2".into());
        let post = c.update_server_metadata_request(42, &metadata).unwrap();
        assert_eq!(line(&post), "POST /servers/42/metadata");
        assert_eq!(body(&post), json!({"metadata": {"m1": "v1", "m2": "v2"}}));
        let put_all = c.replace_server_metadata_request(42, &metadata).unwrap();
        assert_eq!(line(&put_all), "PUT /servers/42/metadata");
        assert_eq!(body(&put_all), body(&post));
        assert_eq!(
            line(&c.delete_server_metadata_request(42, "k")),
            "DELETE /servers/42/metadata/k"
        );
    }

    #[test]
    fn nics_requests() {
        let c = client();
        assert_eq!(
            line(&c.get_server_nics_request(42, None, None)),
            "GET /servers/42/ips"
        );
        let request = c.get_server_nics_request(42, Some("n1"), Some("2013-01-01"));
        assert_eq!(
            line(&request),
            "GET /servers/42/ips/n1?changes-since=2013-01-01"
        );
        assert!(request.expected().accepts(StatusCode::NOT_MODIFIED));
    }

    #[tokio::test]
    async fn unchanged_listing_is_empty_and_answers_decode() {
        let since = ListServers {
            changes_since: Some("2013-01-01T00:00:00+00:00".into()),
            ..ListServers::default()
        };
        let fake = Scripted::new(&[
            (304, ""),
            (
                200,
                r#"{"servers": [{"id": 1, "name": "a", "links": []}, {"id": "2", "name": "b"}]}"#,
            ),
            (200, r#"{"meta": {"k": "v"}}"#),
            (200, r#"{"metadata": {"k": "v", "n": 3}}"#),
            (
                200,
                r#"{"network": {"n1": [{"version": 4, "addr": "10.0.0.2"}]}}"#,
            ),
            (304, ""),
            (200, r#"{"servers": "not a list"}"#),
        ]);
        let c = fake.client();
        assert!(c.list_servers_detail(&since).await.unwrap().is_empty());
        let ids: Vec<u64> = c
            .list_servers(&ListServers::default())
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, vec![1, 2]);
        assert_eq!(c.get_server_metadata_item(42, "k").await.unwrap(), "v");
        assert_eq!(c.get_server_metadata(42).await.unwrap()["n"], "3");
        let addresses = c.get_server_network_nics(42, "n1").await.unwrap();
        assert_eq!(addresses[0].addr, "10.0.0.2");
        assert_eq!(
            c.get_server_nics_since(42, "2013-01-01T00:00:00+00:00")
                .await
                .unwrap(),
            None
        );
        let error = c.list_servers(&ListServers::default()).await.unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("GET http://fake/compute/v2.0/servers") && text.contains("\"servers\""),
            "{text}"
        );
    }
}
