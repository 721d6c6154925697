//! SSH key pairs (`/os-keypairs`).

use crate::ComputeClient;
use crate::models::Keypair;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use synnefo_core::{Request, Result};

/// An entry of the key pair listing: `{"keypair": {...}}` as OpenStack
/// wraps it, or the bare object.
#[derive(Deserialize)]
#[serde(untagged)]
enum ListedKeypair {
    Wrapped { keypair: Keypair },
    Bare(Keypair),
}

impl ListedKeypair {
    fn into_keypair(self) -> Keypair {
        match self {
            ListedKeypair::Wrapped { keypair } | ListedKeypair::Bare(keypair) => keypair,
        }
    }
}

impl ComputeClient {
    /// `GET /os-keypairs[/<name>]` (kamaki `keypairs_get`).
    pub fn get_keypairs_request(&self, key_name: Option<&str>) -> Request {
        let request = Request::get().segment("os-keypairs");
        match key_name {
            Some(name) => request.segment(name),
            None => request,
        }
    }

    /// Lists the caller's key pairs, by name (kamaki `list_keypairs`, the
    /// `{"keypair": …}` wrapper of each entry removed).
    ///
    /// # Errors
    /// [`synnefo_core::Error::InvalidResponse`] for an answer without
    /// `keypairs`.
    pub async fn list_keypairs(&self) -> Result<Vec<Keypair>> {
        let listed: Vec<ListedKeypair> = self
            .endpoint()
            .send_field(self.get_keypairs_request(None), "keypairs")
            .await?;
        Ok(listed
            .into_iter()
            .map(ListedKeypair::into_keypair)
            .collect())
    }

    /// One key pair (kamaki `get_keypair_details`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown name.
    #[doc(alias = "get_keypair")]
    pub async fn get_keypair_details(&self, key_name: &str) -> Result<Keypair> {
        self.endpoint()
            .send_field(self.get_keypairs_request(Some(key_name)), "keypair")
            .await
    }

    /// `POST /os-keypairs` with `{"keypair": {"name"[, "public_key"]}}`
    /// (kamaki `keypairs_post`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn create_keypair_request(
        &self,
        key_name: &str,
        public_key: Option<&str>,
    ) -> Result<Request> {
        let mut keypair = Map::new();
        keypair.insert("name".into(), json!(key_name));
        if let Some(public_key) = public_key {
            keypair.insert("public_key".into(), json!(public_key));
        }
        Request::post()
            .segment("os-keypairs")
            .json(&json!({ "keypair": Value::Object(keypair) }))
    }

    /// Has the server generate a key pair (kamaki `create_key` without a
    /// public key). The answer carries the `private_key`, shown this once.
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`]: `409` for a name in use, `403` where
    /// the cloud cannot generate keys, `500` (with a plain-text body) past
    /// Synnefo's 10 keys per user.
    #[doc(alias = "create_key")]
    pub async fn create_keypair(&self, key_name: &str) -> Result<Keypair> {
        self.endpoint()
            .send_field(self.create_keypair_request(key_name, None)?, "keypair")
            .await
    }

    /// Uploads an existing public key under `key_name` (kamaki `create_key`
    /// with a public key).
    ///
    /// # Errors
    /// As [`ComputeClient::create_keypair`]; `400` for a key over 30000
    /// characters.
    #[doc(alias = "import_keypair")]
    pub async fn upload_keypair(&self, key_name: &str, public_key: &str) -> Result<Keypair> {
        let request = self.create_keypair_request(key_name, Some(public_key))?;
        self.endpoint().send_field(request, "keypair").await
    }

    /// `DELETE /os-keypairs/<name>`.
    pub fn delete_keypair_request(&self, key_name: &str) -> Request {
        Request::delete().segment("os-keypairs").segment(key_name)
    }

    /// Deletes a key pair (kamaki `delete_keypair`).
    ///
    /// # Errors
    /// [`synnefo_core::Error::Http`] `404` for an unknown name.
    pub async fn delete_keypair(&self, key_name: &str) -> Result<()> {
        self.endpoint()
            .send_empty(self.delete_keypair_request(key_name))
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, client, line};

    #[test]
    fn keypair_requests() {
        let c = client();
        assert_eq!(line(&c.get_keypairs_request(None)), "GET /os-keypairs");
        assert_eq!(
            line(&c.get_keypairs_request(Some("my key"))),
            "GET /os-keypairs/my%20key"
        );
        let create = c.create_keypair_request("k", None).unwrap();
        assert_eq!(line(&create), "POST /os-keypairs");
        assert_eq!(body(&create), json!({"keypair": {"name": "k"}}));
        let upload = c.create_keypair_request("k", Some("ssh-rsa AAA")).unwrap();
        assert_eq!(
            body(&upload),
            json!({"keypair": {"name": "k", "public_key": "ssh-rsa AAA"}})
        );
        assert_eq!(
            line(&c.delete_keypair_request("k")),
            "DELETE /os-keypairs/k"
        );
    }

    #[tokio::test]
    async fn listing_unwraps_each_keypair() {
        let fake = Scripted::new(&[(
            200,
            r#"{"keypairs": [{"keypair": {"name": "a", "fingerprint": "f", "public_key": "ssh-rsa A"}},
                             {"name": "b", "public_key": "ssh-rsa B"}]}"#,
        )]);
        let keys = fake.client().list_keypairs().await.unwrap();
        let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b"]);
        assert_eq!(keys[0].fingerprint.as_deref(), Some("f"));
    }
}
