//! kamaki's raw `NetworkRestClient` calls (`networks_get`,
//! `subnets_post`, `ports_put`, `floatingips_delete`…) as one request
//! builder over the four collections.

use crate::client::NetworkClient;
use serde_json::Value;
use std::fmt;
use synnefo_core::http::Method;
use synnefo_core::{Request, Result};

/// A collection of the network API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Collection {
    /// `networks`.
    Networks,
    /// `subnets`.
    Subnets,
    /// `ports`.
    Ports,
    /// `floatingips`.
    FloatingIps,
}

impl Collection {
    /// The path segment, e.g. `floatingips`.
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Networks => "networks",
            Collection::Subnets => "subnets",
            Collection::Ports => "ports",
            Collection::FloatingIps => "floatingips",
        }
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `/<collection>[/<id>]`.
pub(crate) fn path(method: Method, collection: Collection, id: Option<&str>) -> Request {
    let request = Request::new(method).segment(collection.as_str());
    match id {
        Some(id) => request.segment(id),
        None => request,
    }
}

impl NetworkClient {
    /// `METHOD /<collection>[/<id>]` with an optional JSON body: kamaki's
    /// sixteen `NetworkRestClient` calls (`networks_get(id)` is
    /// `raw_request(Method::GET, Collection::Networks, Some(id), None)`).
    /// Send it with [`NetworkClient::send`].
    ///
    /// # Errors
    /// [`synnefo_core::Error::Config`] when the body cannot be serialised.
    pub fn raw_request(
        &self,
        method: Method,
        collection: Collection,
        id: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Request> {
        let request = path(method, collection, id);
        match body {
            Some(body) => request.json(body),
            None => Ok(request),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::{Scripted, body, client, line};
    use serde_json::json;

    #[test]
    fn the_sixteen_rest_calls() {
        let c = client();
        let data = json!({"network": {"name": "n"}});
        for collection in [
            Collection::Networks,
            Collection::Subnets,
            Collection::Ports,
            Collection::FloatingIps,
        ] {
            let name = collection.as_str();
            let get = c.raw_request(Method::GET, collection, None, None).unwrap();
            assert_eq!(line(&get), format!("GET /{name}"));
            assert_eq!(body(&get), Value::Null);
            let one = c
                .raw_request(Method::GET, collection, Some("7"), None)
                .unwrap();
            assert_eq!(line(&one), format!("GET /{name}/7"));
            let post = c
                .raw_request(Method::POST, collection, None, Some(&data))
                .unwrap();
            assert_eq!(
                (line(&post), body(&post)),
                (format!("POST /{name}"), data.clone())
            );
            let put = c
                .raw_request(Method::PUT, collection, Some("7"), Some(&data))
                .unwrap();
            assert_eq!(
                (line(&put), body(&put)),
                (format!("PUT /{name}/7"), data.clone())
            );
            let delete = c
                .raw_request(Method::DELETE, collection, Some("7"), None)
                .unwrap();
            assert_eq!(line(&delete), format!("DELETE /{name}/7"));
        }
        // kamaki's `ports_post()` without data sends no body.
        let bare = c
            .raw_request(Method::POST, Collection::Ports, None, None)
            .unwrap();
        assert_eq!(body(&bare), Value::Null);
    }

    #[tokio::test]
    async fn raw_answers_come_back_whole() {
        let fake = Scripted::new(&[(200, r#"{"networks": [], "extra": 1}"#)]);
        let c = fake.client();
        let request = c
            .raw_request(Method::GET, Collection::Networks, None, None)
            .unwrap();
        let response = c.send(request).await.unwrap();
        assert_eq!(response.json::<Value>().unwrap()["extra"], 1);
        assert_eq!(fake.lines(), ["GET /networks"]);
    }
}
