//! HTTP helpers shared by the Cyclades tests (compute and block storage).

#![allow(dead_code, unreachable_pub)] // each test binary uses a subset

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use synnefo_sim::{Sim, SimConfig, SimHandle};

/// Compute API root path.
pub const COMPUTE: &str = "/cyclades/compute/v2.0";
/// Block storage API root path.
pub const VOLUME: &str = "/cyclades/volume/v2.0";
/// Network API root path.
pub const NETWORK: &str = "/cyclades/network/v2.0";
/// The first seeded image (Debian).
pub const DEBIAN: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000001";
/// The seeded Windows image (13 GiB).
pub const WINDOWS: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000004";

/// A response read completely.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn code(&self) -> u16 {
        self.status.as_u16()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("header is text"))
    }

    /// Asserts the status, printing the body otherwise.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(self.code(), status, "body: {}", self.text());
        self
    }

    /// Asserts a cloudFault body `{key: {code, message, details: ""}}`.
    #[track_caller]
    pub fn assert_fault(&self, status: u16, key: &str, message: &str) {
        assert_eq!(self.code(), status, "body: {}", self.text());
        assert_eq!(
            self.json(),
            json!({key: {"code": status, "message": message, "details": ""}})
        );
    }

    /// Asserts a 400 `badRequest` with `message`.
    #[track_caller]
    pub fn bad_request(&self, message: &str) {
        self.assert_fault(400, "badRequest", message);
    }
}

/// A keep-alive client acting as one user.
pub struct Api<'a> {
    pub sim: &'a SimHandle,
    client: Client<HttpConnector, Full<Bytes>>,
    pub token: Option<String>,
}

impl<'a> Api<'a> {
    pub fn new(sim: &'a SimHandle, token: &str) -> Self {
        Self {
            sim,
            client: Client::builder(TokioExecutor::new()).build_http(),
            token: Some(token.to_owned()),
        }
    }

    /// A client without a token.
    pub fn anonymous(sim: &'a SimHandle) -> Self {
        Self {
            token: None,
            ..Self::new(sim, "")
        }
    }

    /// Sends a request to `{base}{target}`.
    pub async fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(format!("{}{target}", self.sim.base_url()));
        if let Some(token) = &self.token {
            builder = builder.header("x-auth-token", token.as_str());
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(Full::new(body.into())).unwrap();
        let response = self.client.request(request).await.expect("request failed");
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: body.collect().await.expect("body failed").to_bytes(),
        }
    }

    /// Sends a JSON body (or none for `Value::Null`).
    pub async fn call(&self, method: &str, target: &str, body: Value) -> Reply {
        if body.is_null() {
            self.send(method, target, &[], Bytes::new()).await
        } else {
            self.send(
                method,
                target,
                &[("content-type", "application/json")],
                body.to_string(),
            )
            .await
        }
    }

    pub async fn get(&self, target: &str) -> Reply {
        self.call("GET", target, Value::Null).await
    }

    pub async fn post(&self, target: &str, body: Value) -> Reply {
        self.call("POST", target, body).await
    }

    pub async fn put(&self, target: &str, body: Value) -> Reply {
        self.call("PUT", target, body).await
    }

    pub async fn delete(&self, target: &str) -> Reply {
        self.call("DELETE", target, Value::Null).await
    }

    /// `GET {compute}{path}`.
    pub async fn c_get(&self, path: &str) -> Reply {
        self.get(&format!("{COMPUTE}{path}")).await
    }

    /// `POST {compute}{path}`.
    pub async fn c_post(&self, path: &str, body: Value) -> Reply {
        self.post(&format!("{COMPUTE}{path}"), body).await
    }

    /// `PUT {compute}{path}`.
    pub async fn c_put(&self, path: &str, body: Value) -> Reply {
        self.put(&format!("{COMPUTE}{path}"), body).await
    }

    /// `DELETE {compute}{path}`.
    pub async fn c_delete(&self, path: &str) -> Reply {
        self.delete(&format!("{COMPUTE}{path}")).await
    }

    /// `GET {volume}{path}`.
    pub async fn v_get(&self, path: &str) -> Reply {
        self.get(&format!("{VOLUME}{path}")).await
    }

    /// `POST {volume}{path}`.
    pub async fn v_post(&self, path: &str, body: Value) -> Reply {
        self.post(&format!("{VOLUME}{path}"), body).await
    }

    /// `PUT {volume}{path}`.
    pub async fn v_put(&self, path: &str, body: Value) -> Reply {
        self.put(&format!("{VOLUME}{path}"), body).await
    }

    /// `DELETE {volume}{path}`.
    pub async fn v_delete(&self, path: &str) -> Reply {
        self.delete(&format!("{VOLUME}{path}")).await
    }

    /// `GET {network}{path}`.
    pub async fn n_get(&self, path: &str) -> Reply {
        self.get(&format!("{NETWORK}{path}")).await
    }

    /// `POST {network}{path}`.
    pub async fn n_post(&self, path: &str, body: Value) -> Reply {
        self.post(&format!("{NETWORK}{path}"), body).await
    }

    /// `PUT {network}{path}`.
    pub async fn n_put(&self, path: &str, body: Value) -> Reply {
        self.put(&format!("{NETWORK}{path}"), body).await
    }

    /// `DELETE {network}{path}`.
    pub async fn n_delete(&self, path: &str) -> Reply {
        self.delete(&format!("{NETWORK}{path}")).await
    }

    /// `POST /servers/<id>/action`.
    pub async fn action(&self, id: u64, body: Value) -> Reply {
        self.c_post(&format!("/servers/{id}/action"), body).await
    }

    /// `GET /servers/<id>` → the server object.
    pub async fn server(&self, id: u64) -> Value {
        let reply = self.c_get(&format!("/servers/{id}")).await;
        reply.expect(200);
        reply.json()["server"].clone()
    }

    /// `GET /volumes/<id>` → the volume object.
    pub async fn volume(&self, id: &str) -> Value {
        let reply = self.v_get(&format!("/volumes/{id}")).await;
        reply.expect(200);
        reply.json()["volume"].clone()
    }

    /// Creates a server (flavor 1, Debian, plus `extra` members) and returns
    /// the 202 body's server.
    pub async fn create_server(&self, name: &str, extra: Value) -> Value {
        let mut server = json!({"name": name, "imageRef": DEBIAN, "flavorRef": 1});
        if let (Some(target), Value::Object(extra)) = (server.as_object_mut(), extra) {
            target.extend(extra);
        }
        let reply = self.c_post("/servers", json!({ "server": server })).await;
        reply.expect(202);
        reply.json()["server"].clone()
    }

    /// Polls a server until `status`.
    pub async fn wait_server(&self, id: u64, status: &str) -> Value {
        let started = Instant::now();
        loop {
            let server = self.server(id).await;
            if server["status"] == status {
                return server;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "server {id} stuck in {}",
                server["status"]
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Polls a volume until `status`.
    pub async fn wait_volume(&self, id: &str, status: &str) -> Value {
        let started = Instant::now();
        loop {
            let volume = self.volume(id).await;
            if volume["status"] == status {
                return volume;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "volume {id} stuck in {}",
                volume["status"]
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// An active server (no delays assumed, or waits).
    pub async fn active_server(&self, name: &str, extra: Value) -> u64 {
        let id = self.create_server(name, extra).await["id"]
            .as_u64()
            .unwrap();
        self.wait_server(id, "ACTIVE").await;
        id
    }
}

/// A simulator whose jobs complete at once.
pub async fn instant_sim() -> SimHandle {
    Sim::start_with(SimConfig {
        build_delay: Duration::ZERO,
        action_delay: Duration::ZERO,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// A simulator with short, observable delays.
pub async fn slow_sim(build_ms: u64, action_ms: u64) -> SimHandle {
    Sim::start_with(SimConfig {
        build_delay: Duration::from_millis(build_ms),
        action_delay: Duration::from_millis(action_ms),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}
