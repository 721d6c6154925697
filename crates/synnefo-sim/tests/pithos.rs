//! End-to-end tests of the Pithos+ emulation over real HTTP: accounts,
//! containers, objects, hashmaps and block uploads, ranges, conditionals,
//! versions, copy/move, sharing, public URLs, quotas, listings.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::collections::BTreeMap;

use bytes::Bytes;
use futures_util::StreamExt;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use synnefo_sim::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID, FaultAction, FaultRule, Sim, SimConfig,
    SimHandle, UserSpec, default_users,
};

const V1: &str = "/pithos/object-store/v1";
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A response read completely.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn code(&self) -> u16 {
        self.status.as_u16()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("header is text"))
    }

    fn h(&self, name: &str) -> &str {
        self.header(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }

    /// Asserts a cloudFault body `{key: {code, message, details: ""}}`.
    fn assert_fault(&self, status: u16, key: &str, message: &str) {
        assert_eq!(self.code(), status, "body: {:?}", self.text());
        assert_eq!(
            self.json(),
            json!({key: {"code": status, "message": message, "details": ""}})
        );
    }
}

/// A keep-alive HTTP client for one simulator, acting as one user.
struct Api<'a> {
    sim: &'a SimHandle,
    client: Client<HttpConnector, Full<Bytes>>,
    token: Option<String>,
    /// Send requests exactly as given (no automatic `Content-Length`).
    raw: bool,
}

impl<'a> Api<'a> {
    fn new(sim: &'a SimHandle, token: &str) -> Self {
        Self {
            sim,
            client: Client::builder(TokioExecutor::new()).build_http(),
            token: Some(token.to_owned()),
            raw: false,
        }
    }

    fn anonymous(sim: &'a SimHandle) -> Self {
        Self {
            token: None,
            ..Self::new(sim, "")
        }
    }

    /// Sends `method` to `{base}{target}` (target starts with `/`).
    async fn send(
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
        let body: Bytes = body.into();
        // Like real clients, announce the length of PUT/POST bodies (hyper
        // omits `Content-Length: 0`, which Pithos refuses with 411).
        let announced = headers.iter().any(|(name, _)| {
            name.eq_ignore_ascii_case("content-length")
                || name.eq_ignore_ascii_case("transfer-encoding")
        });
        if (method == "PUT" || method == "POST") && !announced && !self.raw {
            builder = builder.header("content-length", body.len());
        }
        let request = builder.body(Full::new(body)).unwrap();
        let response = self.client.request(request).await.expect("request failed");
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: body.collect().await.expect("body failed").to_bytes(),
        }
    }

    /// Sends to a path under `/pithos/object-store/v1`.
    async fn v1(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Reply {
        self.send(method, &format!("{V1}{path}"), headers, body)
            .await
    }

    async fn get(&self, path: &str) -> Reply {
        self.v1("GET", path, &[], Bytes::new()).await
    }

    async fn head(&self, path: &str) -> Reply {
        self.v1("HEAD", path, &[], Bytes::new()).await
    }

    async fn put_container(&self, path: &str) -> Reply {
        self.v1("PUT", path, &[], Bytes::new()).await
    }

    async fn put_object(&self, path: &str, body: impl Into<Bytes>) -> Reply {
        let reply = self
            .v1("PUT", path, &[("content-type", "text/plain")], body)
            .await;
        assert_eq!(reply.code(), 201, "PUT {path}: {}", reply.text());
        reply
    }
}

fn alice(rest: &str) -> String {
    format!("/{ALICE_UUID}{rest}")
}

fn bob(rest: &str) -> String {
    format!("/{BOB_UUID}{rest}")
}

fn sha256_hex(data: &[u8]) -> String {
    let end = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    hex::encode(Sha256::digest(&data[..end]))
}

/// A deterministic pseudo-random buffer.
fn data(len: usize, seed: u8) -> Vec<u8> {
    let mut state = u32::from(seed).wrapping_mul(2_654_435_761) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

/// A simulator with a small block size (16 bytes) for hashmap tests.
async fn small_blocks() -> SimHandle {
    Sim::start_with(SimConfig {
        block_size: 16,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn handle_accessors_and_stats() {
    let sim = Sim::start().await.unwrap();
    assert_eq!(sim.pithos_url(), format!("{}{V1}", sim.base_url()));
    assert_eq!(sim.pithos_block_size(), 4 * 1024 * 1024);
    let stats = sim.pithos_stats();
    assert_eq!(stats.blocks_stored, 0);
    assert_eq!(stats.block_uploads, 0);
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    api.put_object(&alice("/c/o"), "hello").await;
    let stats = sim.pithos_stats();
    assert_eq!(stats.blocks_stored, 1);
    assert_eq!(stats.bytes_stored, 5);
    assert!(stats.bytes_received >= 5);
    let sent = stats.bytes_sent;
    assert_eq!(api.get(&alice("/c/o")).await.body, "hello");
    assert_eq!(sim.pithos_stats().bytes_sent, sent + 5);
    assert!(
        Sim::start_with(SimConfig {
            block_size: 0,
            ..SimConfig::default()
        })
        .await
        .is_err()
    );
}

#[tokio::test]
async fn authentication() {
    let sim = Sim::start().await.unwrap();
    let anonymous = Api::anonymous(&sim);
    anonymous.get(&alice("")).await.assert_fault(
        401,
        "unauthorized",
        "Access denied. No authentication token",
    );
    // Invalid tokens: Pithos re-raises the Astakos error as a generic fault.
    let stranger = Api::new(&sim, "not-a-token");
    let reply = stranger.get(&alice("")).await;
    assert_eq!(reply.code(), 401);
    let body = reply.json();
    assert_eq!(body["fault"]["code"], 401);
    assert!(body.get("unauthorized").is_none(), "{body}");
    // HEAD faults have no body.
    let reply = stranger.head(&alice("")).await;
    assert_eq!(reply.code(), 401);
    assert!(reply.body.is_empty());
    // The token may come as a query parameter.
    let reply = anonymous
        .v1(
            "HEAD",
            &format!("{}?X-Auth-Token={ALICE_TOKEN}", alice("")),
            &[],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 204);
    // Inactive users are refused too.
    let mut users = default_users();
    users.push(UserSpec {
        uuid: "a1b2c3d4-0000-4000-8000-000000000003".into(),
        name: "carol@example.org".into(),
        realname: None,
        token: "carol-token".into(),
        active: false,
    });
    let sim = Sim::start_with(SimConfig {
        users,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let carol = Api::new(&sim, "carol-token");
    let reply = carol.get("/a1b2c3d4-0000-4000-8000-000000000003").await;
    assert_eq!(reply.code(), 401);
    assert_eq!(reply.json()["fault"]["code"], 401);
}

#[tokio::test]
async fn routing_and_methods() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    for method in ["HEAD", "PUT", "POST", "DELETE"] {
        let reply = api.v1(method, "/", &[], Bytes::new()).await;
        assert_eq!(reply.code(), 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET"));
    }
    let reply = api.v1("PUT", &alice(""), &[], Bytes::new()).await;
    assert_eq!(reply.header("allow"), Some("HEAD,POST,GET"));
    let reply = api.v1("COPY", &alice("/c"), &[], Bytes::new()).await;
    assert_eq!(reply.header("allow"), Some("HEAD,PUT,POST,DELETE,GET"));
    let reply = api.v1("PATCH", &alice("/c/o"), &[], Bytes::new()).await;
    assert_eq!(reply.h("allow"), "HEAD,GET,PUT,COPY,MOVE,POST,DELETE");
    reply.assert_fault(405, "notAllowed", "Method not allowed");
    api.send("GET", "/pithos/object-store/v2", &[], Bytes::new())
        .await
        .assert_fault(400, "badRequest", "API endpoint not found");
    // Name limits.
    let long = "c".repeat(257);
    api.get(&alice(&format!("/{long}"))).await.assert_fault(
        400,
        "badRequest",
        "Container name too large",
    );
    let long = "o".repeat(1025);
    api.get(&alice(&format!("/c/{long}"))).await.assert_fault(
        400,
        "badRequest",
        "Object name too large.",
    );
    // The Swift-style stub without a token.
    let anonymous = Api::anonymous(&sim);
    let reply = anonymous
        .v1(
            "GET",
            "/",
            &[("x-auth-user", "me"), ("x-auth-key", "k")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 204);
    assert_eq!(reply.h("x-auth-token"), "k");
    assert_eq!(
        reply.h("x-storage-url"),
        format!("{}{V1}/me", sim.base_url())
    );
    anonymous.get("/").await.assert_fault(
        400,
        "badRequest",
        "Missing X-Auth-User or X-Auth-Key header",
    );
}

#[tokio::test]
async fn account_meta_groups_and_listing() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    let reply = api.head(&alice("")).await;
    assert_eq!(reply.code(), 204);
    assert_eq!(reply.h("x-account-container-count"), "0");
    assert_eq!(reply.h("x-account-bytes-used"), "0");
    assert_eq!(reply.h("x-account-policy-quota"), (50u64 << 30).to_string());
    assert!(reply.h("last-modified").ends_with(" GMT"));
    // Meta: update merges, plain POST replaces (and wipes without headers).
    let post = |query: &'static str, headers: Vec<(&'static str, &'static str)>| {
        let api = &api;
        async move { api.v1("POST", &alice(query), &headers, Bytes::new()).await }
    };
    assert_eq!(
        post(
            "?update",
            vec![("x-account-meta-foo_bar", "1"), ("x-account-meta-a", "x")]
        )
        .await
        .code(),
        202
    );
    let reply = api.head(&alice("")).await;
    assert_eq!(reply.h("x-account-meta-foo-bar"), "1");
    assert_eq!(reply.h("x-account-meta-a"), "x");
    post("?update", vec![("x-account-meta-a", "")]).await;
    let reply = api.head(&alice("")).await;
    assert!(reply.header("x-account-meta-a").is_none());
    assert_eq!(reply.h("x-account-meta-foo-bar"), "1");
    post("", vec![("x-account-meta-b", "2")]).await;
    let reply = api.head(&alice("")).await;
    assert!(reply.header("x-account-meta-foo-bar").is_none());
    assert_eq!(reply.h("x-account-meta-b"), "2");
    post("", vec![]).await;
    assert!(
        api.head(&alice(""))
            .await
            .header("x-account-meta-b")
            .is_none()
    );
    // Non-ASCII meta travels percent-encoded.
    post("?update", vec![("x-account-meta-%CE%BA", "%CE%BD")]).await;
    assert_eq!(
        api.head(&alice("")).await.h("x-account-meta-%ce%9a"),
        "%CE%BD"
    );
    // Groups.
    let members = format!("{BOB_UUID}, {ALICE_UUID}");
    let reply = api
        .v1(
            "POST",
            &alice("?update"),
            &[("x-account-group-Friends", &members)],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 202);
    let mut sorted = [ALICE_UUID, BOB_UUID];
    sorted.sort_unstable();
    assert_eq!(
        api.head(&alice("")).await.h("x-account-group-friends"),
        sorted.join(",")
    );
    api.v1(
        "POST",
        &alice("?update"),
        &[("x-account-group-bad-name", "x")],
        Bytes::new(),
    )
    .await
    .assert_fault(400, "badRequest", "Bad characters in group name");
    api.v1(
        "POST",
        &alice("?update"),
        &[("x-account-group-g", "nobody")],
        Bytes::new(),
    )
    .await
    .assert_fault(400, "badRequest", "Unknown displaynames: nobody");
    api.v1(
        "POST",
        &alice("?update"),
        &[("x-account-group-friends", "")],
        Bytes::new(),
    )
    .await;
    assert!(
        api.head(&alice(""))
            .await
            .header("x-account-group-friends")
            .is_none()
    );
    // Container listing.
    let reply = api.get(&alice("")).await;
    assert_eq!(reply.code(), 204);
    assert_eq!(reply.h("content-type"), "text/plain; charset=UTF-8");
    let reply = api.get(&alice("?format=json")).await;
    assert_eq!(reply.code(), 200);
    assert_eq!(reply.json(), json!([]));
    for name in ["b", "a", "c"] {
        assert_eq!(
            api.put_container(&alice(&format!("/{name}"))).await.code(),
            201
        );
    }
    api.put_object(&alice("/a/x"), "12345").await;
    let reply = api.get(&alice("")).await;
    assert_eq!(reply.code(), 200);
    assert_eq!(reply.text(), "a\nb\nc\n");
    assert_eq!(
        api.head(&alice("")).await.h("x-account-container-count"),
        "3"
    );
    assert_eq!(api.head(&alice("")).await.h("x-account-bytes-used"), "5");
    let reply = api.get(&alice("?format=json&limit=2&marker=a")).await;
    let listing = reply.json();
    assert_eq!(listing.as_array().unwrap().len(), 2);
    assert_eq!(listing[0]["name"], "b");
    let reply = api.get(&alice("?format=json")).await;
    let a = &reply.json()[0];
    assert_eq!(a["count"], 1);
    assert_eq!(a["bytes"], 5);
    assert_eq!(
        a["x_container_policy"],
        json!({"quota": "0", "versioning": "auto", "project": ALICE_UUID})
    );
    assert!(a["last_modified"].as_str().unwrap().ends_with("+00:00"));
    let reply = api.get(&alice("?format=xml")).await;
    assert_eq!(reply.h("content-type"), "application/xml; charset=UTF-8");
    let xml = reply.text();
    assert!(
        xml.contains(&format!("<account name=\"{ALICE_UUID}\">")),
        "{xml}"
    );
    assert!(xml.contains("<name>a</name>"), "{xml}");
    assert!(xml.contains("<key>quota</key><value>0</value>"), "{xml}");
    // Bob may not read Alice's account.
    let bob_api = Api::new(&sim, BOB_TOKEN);
    assert_eq!(bob_api.get(&alice("")).await.code(), 403);
    assert_eq!(
        bob_api
            .v1("POST", &alice(""), &[], Bytes::new())
            .await
            .code(),
        403
    );
    // Public container listing is for owners only; shared lists containers with permissions.
    assert_eq!(bob_api.get(&alice("?public")).await.code(), 403);
    assert_eq!(api.get(&alice("?shared")).await.code(), 204);
}

#[tokio::test]
async fn account_conditionals_and_until() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let modified = api.head(&alice("")).await.h("last-modified").to_owned();
    let reply = api
        .v1(
            "HEAD",
            &alice(""),
            &[("if-modified-since", &modified)],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 304);
    let reply = api
        .v1(
            "GET",
            &alice(""),
            &[("if-unmodified-since", "Thu, 01 Jan 1970 00:00:00 GMT")],
            Bytes::new(),
        )
        .await;
    reply.assert_fault(412, "preconditionFailed", "Resource has been modified");
    // `until` in the past: no containers yet.
    let reply = api.head(&alice("?until=1")).await;
    assert_eq!(reply.h("x-account-container-count"), "0");
    assert!(reply.header("x-account-until-timestamp").is_some());
    assert_eq!(api.get(&alice("?until=1")).await.code(), 204);
    assert_eq!(api.get(&alice("?until=99999999999")).await.text(), "c\n");
}

#[tokio::test]
async fn containers() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    assert_eq!(api.head(&alice("/c")).await.code(), 404);
    api.get(&alice("/c"))
        .await
        .assert_fault(404, "itemNotFound", "Container does not exist");
    let reply = api
        .v1(
            "PUT",
            &alice("/c"),
            &[
                ("x-container-meta-color", "red"),
                ("x-container-policy-quota", "1000"),
                ("x-container-policy-versioning", "none"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201);
    assert_eq!(api.put_container(&alice("/c")).await.code(), 202);
    let reply = api.head(&alice("/c/")).await;
    assert_eq!(reply.code(), 204);
    assert_eq!(reply.h("x-container-object-count"), "0");
    assert_eq!(reply.h("x-container-bytes-used"), "0");
    assert_eq!(reply.h("x-container-block-size"), "4194304");
    assert_eq!(reply.h("x-container-block-hash"), "sha256");
    assert_eq!(reply.h("x-container-policy-quota"), "1000");
    assert_eq!(reply.h("x-container-policy-versioning"), "none");
    assert_eq!(reply.h("x-container-policy-project"), ALICE_UUID);
    assert_eq!(reply.h("x-container-meta-color"), "red");
    assert_eq!(reply.h("x-container-object-meta"), "");
    // Invalid policies.
    api.v1(
        "PUT",
        &alice("/d"),
        &[("x-container-policy-versioning", "manual")],
        Bytes::new(),
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "The versioning policy value should be either 'auto' or 'none'.",
    );
    api.v1(
        "PUT",
        &alice("/d"),
        &[("x-container-policy-quota", "-5")],
        Bytes::new(),
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "The quota policy value should be a positive integer.",
    );
    api.v1(
        "PUT",
        &alice("/d"),
        &[("x-container-policy-color", "x")],
        Bytes::new(),
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "The only allowed policies are 'quota' or 'versioning'.",
    );
    assert_eq!(api.head(&alice("/d")).await.code(), 404);
    // POST without ?update: meta replaced, unspecified policies back to defaults.
    let reply = api
        .v1(
            "POST",
            &alice("/c"),
            &[("x-container-policy-quota", "5")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 202);
    let reply = api.head(&alice("/c")).await;
    assert_eq!(reply.h("x-container-policy-quota"), "5");
    assert_eq!(reply.h("x-container-policy-versioning"), "auto");
    assert!(reply.header("x-container-meta-color").is_none());
    api.v1(
        "POST",
        &alice("/c?update"),
        &[("x-container-meta-a", "1")],
        Bytes::new(),
    )
    .await;
    api.v1(
        "POST",
        &alice("/c?update"),
        &[("x-container-meta-b", "2")],
        Bytes::new(),
    )
    .await;
    let reply = api.head(&alice("/c")).await;
    assert_eq!(reply.h("x-container-meta-a"), "1");
    assert_eq!(reply.h("x-container-policy-quota"), "5");
    assert_eq!(
        api.v1("POST", &alice("/nope"), &[], Bytes::new())
            .await
            .code(),
        404
    );
    // Object meta keys in use.
    api.v1(
        "PUT",
        &alice("/c/o"),
        &[("content-type", "text/plain"), ("x-object-meta-k1", "v")],
        "x",
    )
    .await;
    api.v1(
        "PUT",
        &alice("/c/p"),
        &[("content-type", "text/plain"), ("x-object-meta-k2", "v")],
        "y",
    )
    .await;
    let reply = api.head(&alice("/c")).await;
    assert_eq!(reply.h("x-container-object-meta"), "K1,K2");
    assert_eq!(reply.h("x-container-object-count"), "2");
    assert_eq!(reply.h("x-container-bytes-used"), "2");
    // Delete: 409 non-empty, ?delimiter=/ empties it, then 204 and 404.
    api.v1("DELETE", &alice("/c"), &[], Bytes::new())
        .await
        .assert_fault(409, "conflict", "Container is not empty");
    assert_eq!(
        api.v1("DELETE", &alice("/c?delimiter=/"), &[], Bytes::new())
            .await
            .code(),
        204
    );
    assert_eq!(
        api.head(&alice("/c")).await.h("x-container-object-count"),
        "0"
    );
    assert_eq!(
        api.v1("DELETE", &alice("/c"), &[], Bytes::new())
            .await
            .code(),
        204
    );
    assert_eq!(
        api.v1("DELETE", &alice("/c"), &[], Bytes::new())
            .await
            .code(),
        404
    );
    // Others may not create containers in Alice's account.
    let bob_api = Api::new(&sim, BOB_TOKEN);
    assert_eq!(bob_api.put_container(&alice("/x")).await.code(), 403);
    assert_eq!(
        bob_api
            .v1("DELETE", &alice("/x"), &[], Bytes::new())
            .await
            .code(),
        403
    );
}

#[tokio::test]
async fn plain_objects() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    api.v1("PUT", &alice("/c/o"), &[], "data")
        .await
        .assert_fault(411, "lengthRequired", "Missing Content-Type header");
    // Without Content-Length (hyper sends none for an empty body): 411.
    let raw = Api {
        raw: true,
        ..Api::new(&sim, ALICE_TOKEN)
    };
    raw.v1(
        "PUT",
        &alice("/c/o"),
        &[("content-type", "a/b")],
        Bytes::new(),
    )
    .await
    .assert_fault(
        411,
        "lengthRequired",
        "Missing or invalid Content-Length header",
    );
    // Chunked bodies need no Content-Length.
    let reply = raw
        .v1(
            "PUT",
            &alice("/c/chunked"),
            &[("content-type", "a/b"), ("transfer-encoding", "chunked")],
            "abc",
        )
        .await;
    assert_eq!(reply.code(), 201);
    assert_eq!(api.get(&alice("/c/chunked")).await.body, "abc");
    let reply = api
        .v1(
            "PUT",
            &alice("/c/dir/hello.txt"),
            &[
                ("content-type", "text/plain; charset=utf-8"),
                ("x-object-meta-color", "blue"),
                ("content-encoding", "identity"),
            ],
            "hello",
        )
        .await;
    assert_eq!(reply.code(), 201);
    let hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    assert_eq!(reply.h("etag"), hello);
    let version = reply.h("x-object-version").to_owned();
    let reply = api.head(&alice("/c/dir/hello.txt")).await;
    assert_eq!(reply.code(), 200);
    assert!(reply.body.is_empty());
    assert_eq!(reply.h("content-length"), "5");
    assert_eq!(reply.h("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.h("etag"), hello);
    assert_eq!(reply.h("x-object-hash"), hello);
    assert_eq!(reply.h("x-object-version"), version);
    assert_eq!(reply.h("x-object-modified-by"), ALICE_UUID);
    assert_eq!(reply.h("x-object-uuid").len(), 36);
    assert_eq!(reply.h("x-object-meta-color"), "blue");
    assert_eq!(reply.h("content-encoding"), "identity");
    assert_eq!(reply.h("available"), "1");
    assert!(reply.h("x-object-version-timestamp").ends_with(" GMT"));
    assert!(reply.header("x-object-public").is_none());
    assert!(reply.header("content-disposition").is_none());
    let reply = api.get(&alice("/c/dir/hello.txt")).await;
    assert_eq!(reply.code(), 200);
    assert_eq!(reply.body, "hello");
    assert_eq!(
        reply.h("content-disposition"),
        "inline; filename=\"dir/hello.txt\""
    );
    let reply = api
        .get(&alice("/c/dir/hello.txt?disposition-type=attachment"))
        .await;
    assert_eq!(
        reply.h("content-disposition"),
        "attachment; filename=\"dir/hello.txt\""
    );
    // Replacing keeps the UUID and replaces the metadata.
    let uuid = api
        .head(&alice("/c/dir/hello.txt"))
        .await
        .h("x-object-uuid")
        .to_owned();
    api.put_object(&alice("/c/dir/hello.txt"), "").await;
    let reply = api.head(&alice("/c/dir/hello.txt")).await;
    assert_eq!(reply.h("x-object-uuid"), uuid);
    assert!(reply.header("x-object-meta-color").is_none());
    assert_eq!(reply.h("content-length"), "0");
    assert_eq!(reply.h("etag"), EMPTY_HASH);
    let reply = api
        .get(&alice("/c/dir/hello.txt?hashmap&format=json"))
        .await;
    assert_eq!(
        reply.json(),
        json!({"block_size": 4194304, "block_hash": "sha256", "bytes": 0, "hashes": [EMPTY_HASH]})
    );
    assert_eq!(reply.h("content-type"), "text/plain");
    // Missing things.
    api.get(&alice("/c/nope"))
        .await
        .assert_fault(404, "itemNotFound", "Object does not exist");
    let reply = api.head(&alice("/c/nope")).await;
    assert_eq!(reply.code(), 404);
    assert!(reply.body.is_empty());
    api.v1("PUT", &alice("/nope/o"), &[("content-type", "a/b")], "x")
        .await
        .assert_fault(404, "itemNotFound", "Container does not exist");
    // Non-ASCII headers must be percent-encoded.
    let reply = api
        .v1(
            "PUT",
            &alice("/c/u"),
            &[
                ("content-type", "text/plain"),
                ("x-object-meta-%CE%BA", "%CE%BD%20~x"),
            ],
            "u",
        )
        .await;
    assert_eq!(reply.code(), 201);
    // (spaces stay as they are in quoted response values)
    assert_eq!(
        api.head(&alice("/c/u")).await.h("x-object-meta-%ce%9a"),
        "%CE%BD x"
    );
    // If-None-Match: * refuses to overwrite, If-Match needs the object.
    api.v1(
        "PUT",
        &alice("/c/u"),
        &[("content-type", "a/b"), ("if-none-match", "*")],
        "z",
    )
    .await
    .assert_fault(412, "preconditionFailed", "Resource exists or ETag matches");
    api.v1(
        "PUT",
        &alice("/c/new"),
        &[("content-type", "a/b"), ("if-match", "*")],
        "z",
    )
    .await
    .assert_fault(412, "preconditionFailed", "Resource does not exist");
    // Too much metadata.
    let many: Vec<(String, String)> = (0..33)
        .map(|i| (format!("x-object-meta-k{i}"), "v".to_owned()))
        .collect();
    let mut headers: Vec<(&str, &str)> =
        many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    headers.push(("content-type", "text/plain"));
    api.v1("PUT", &alice("/c/m"), &headers, "x")
        .await
        .assert_fault(
            400,
            "badRequest",
            "Pithos+ resources cannot have more than 32 metadata items per domain",
        );
}

#[tokio::test]
async fn hashmap_upload_and_block_posts() {
    let sim = small_blocks().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    assert_eq!(
        api.head(&alice("/c")).await.h("x-container-block-size"),
        "16"
    );
    // 56 bytes: blocks A, B, A, C + NULs (the kamaki transcript).
    let mut content = Vec::new();
    content.extend_from_slice(&[b'A'; 16]);
    content.extend_from_slice(&[b'B'; 16]);
    content.extend_from_slice(&[b'A'; 16]);
    content.extend_from_slice(b"CCCCC\0\0\0");
    let hashes: Vec<String> = content.chunks(16).map(sha256_hex).collect();
    let hashmap = json!({"bytes": 56, "hashes": hashes}).to_string();
    let put = |body: String| {
        let api = &api;
        async move {
            api.v1(
                "PUT",
                &alice("/c/dir/ob%20j%3F%23%CE%B1"),
                &[("content-type", "text/plain")],
                body,
            )
            .await
        }
    };
    let reply = api
        .v1(
            "PUT",
            &alice("/c/obj?hashmap=True&format=json"),
            &[("content-type", "text/plain")],
            hashmap.clone(),
        )
        .await;
    assert_eq!(reply.code(), 409);
    assert_eq!(reply.h("content-type"), "application/json; charset=UTF-8");
    assert_eq!(
        reply.json(),
        json!([hashes[0], hashes[1], hashes[2], hashes[3]])
    );
    // Upload the missing blocks: several per POST, cut at the block size.
    let reply = api
        .v1(
            "POST",
            &alice("/c?update&format=json"),
            &[("content-type", "application/octet-stream")],
            content[..32].to_vec(),
        )
        .await;
    assert_eq!(reply.code(), 202);
    assert_eq!(reply.json(), json!([hashes[0], hashes[1]]));
    let reply = api
        .v1(
            "PUT",
            &alice("/c/obj?hashmap"),
            &[("content-type", "text/plain")],
            hashmap.clone(),
        )
        .await;
    assert_eq!(reply.json(), json!([hashes[3]]));
    let reply = api
        .v1(
            "POST",
            &alice("/c?update&format=xml"),
            &[("content-type", "application/octet-stream")],
            content[48..].to_vec(),
        )
        .await;
    assert!(
        reply
            .text()
            .contains(&format!("<item>{}</item>", hashes[3])),
        "{}",
        reply.text()
    );
    let stats = sim.pithos_stats();
    assert_eq!(stats.block_uploads, 3);
    assert_eq!(stats.blocks_stored, 3);
    let reply = api
        .v1(
            "PUT",
            &alice("/c/obj?hashmap"),
            &[("content-type", "text/plain")],
            hashmap.clone(),
        )
        .await;
    assert_eq!(reply.code(), 201, "{}", reply.text());
    let etag = reply.h("etag").to_owned();
    let reply = api.get(&alice("/c/obj")).await;
    assert_eq!(reply.body, content);
    assert_eq!(reply.h("etag"), etag);
    let reply = api.get(&alice("/c/obj?hashmap&format=json")).await;
    assert_eq!(
        reply.json(),
        json!({"block_size": 16, "block_hash": "sha256", "bytes": 56, "hashes": hashes})
    );
    let reply = api.get(&alice("/c/obj?hashmap&format=xml")).await;
    assert!(
        reply.text().contains("block_size=\"16\""),
        "{}",
        reply.text()
    );
    // The same data uploaded plainly gives the same hash.
    assert_eq!(
        put(String::from_utf8(content.clone()).unwrap())
            .await
            .h("etag"),
        etag
    );
    // Consistency checks.
    for (body, message) in [
        (
            json!({"bytes": 65, "hashes": hashes}),
            "The object's size does not match with the object's hashmap length",
        ),
        (
            json!({"bytes": -1, "hashes": []}),
            "The object's size does not match with the object's hashmap length",
        ),
        (
            json!({"bytes": 0, "hashes": ["00"]}),
            "The object's size does not match with the object's hashmap length",
        ),
        (json!({"bytes": 16, "hashes": ["xyz"]}), "Invalid hash: xyz"),
        (json!({"hashes": []}), "Invalid data formatting"),
        (json!("nope"), "Invalid data formatting"),
    ] {
        api.v1(
            "PUT",
            &alice("/c/bad?hashmap"),
            &[("content-type", "a/b")],
            body.to_string(),
        )
        .await
        .assert_fault(400, "badRequest", message);
    }
    api.v1(
        "PUT",
        &alice("/c/bad?hashmap&format=xml"),
        &[("content-type", "a/b")],
        "<object/>",
    )
    .await
    .assert_fault(400, "badRequest", "Invalid data formatting");
    // Empty objects: [] and [sha256("")] are both fine.
    for hashes in [json!([]), json!([EMPTY_HASH])] {
        let reply = api
            .v1(
                "PUT",
                &alice("/c/empty?hashmap"),
                &[("content-type", "a/b")],
                json!({"bytes": 0, "hashes": hashes}).to_string(),
            )
            .await;
        assert_eq!(reply.code(), 201);
        assert_eq!(reply.h("etag"), EMPTY_HASH);
    }
    // Block uploads are for the container's owner only.
    let bob_api = Api::new(&sim, BOB_TOKEN);
    let reply = bob_api
        .v1(
            "POST",
            &alice("/c?update"),
            &[("content-type", "application/octet-stream")],
            "x",
        )
        .await;
    assert_eq!(reply.code(), 403);
    // A POST without octet-stream is a (no-op) update.
    let reply = api
        .v1(
            "POST",
            &alice("/c?update"),
            &[("content-type", "text/plain")],
            "x",
        )
        .await;
    assert_eq!(reply.code(), 202);
    assert!(reply.body.is_empty());
}

#[tokio::test]
async fn multi_block_objects_stream() {
    let sim = Sim::start_with(SimConfig {
        block_size: 1024,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let mut content = data(10_000, 3);
    content[2048..3072].fill(0); // an all-zero block
    content[9990..].fill(0); // trailing zeros in the last block
    api.put_object(&alice("/c/big"), content.clone()).await;
    let reply = api.get(&alice("/c/big")).await;
    assert_eq!(reply.h("content-length"), "10000");
    assert_eq!(reply.body, content);
    let reply = api
        .v1(
            "GET",
            &alice("/c/big"),
            &[("range", "bytes=1000-3100")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 206);
    assert_eq!(reply.h("content-range"), "bytes 1000-3100/10000");
    assert_eq!(reply.body, content[1000..=3100]);
    let reply = api
        .v1(
            "GET",
            &alice("/c/big"),
            &[("range", "bytes=-15")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.body, content[9985..]);
    let hashmap = api.get(&alice("/c/big?hashmap")).await.json();
    assert_eq!(hashmap["hashes"].as_array().unwrap().len(), 10);
    assert_eq!(hashmap["hashes"][2], EMPTY_HASH);
}

#[tokio::test]
async fn ranges() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let content = data(512, 9);
    api.put_object(&alice("/c/o"), content.clone()).await;
    let get = |range: &'static str| {
        let api = &api;
        async move {
            api.v1("GET", &alice("/c/o"), &[("range", range)], Bytes::new())
                .await
        }
    };
    get("bytes=0-513").await.assert_fault(
        416,
        "rangeNotSatisfiable",
        "Requested range exceeds object limits",
    );
    assert_eq!(get("bytes=512-").await.code(), 416);
    assert_eq!(get("bytes=-600").await.code(), 416);
    let reply = get("bytes=-500").await;
    assert_eq!(reply.code(), 206);
    assert_eq!(reply.h("content-range"), "bytes 12-511/512");
    assert_eq!(reply.h("content-length"), "500");
    assert_eq!(reply.body, content[12..]);
    // Ignored ranges give the whole object.
    for range in ["items=0-1", "bytes=5-1", "bytes=x-"] {
        let reply = get(range).await;
        assert_eq!(reply.code(), 200, "{range}");
        assert_eq!(reply.body.len(), 512);
    }
    // If-Range always falls back to the whole object.
    let reply = api
        .v1(
            "GET",
            &alice("/c/o"),
            &[("range", "bytes=0-1"), ("if-range", "anything")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 200);
    // Several ranges: multipart/byteranges with a 32-hex boundary.
    let reply = get("bytes=0-9,500-").await;
    assert_eq!(reply.code(), 206);
    let content_type = reply.h("content-type");
    let boundary = content_type
        .strip_prefix("multipart/byteranges; boundary=")
        .unwrap()
        .to_owned();
    assert_eq!(boundary.len(), 32);
    assert!(boundary.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(reply.header("content-length").is_none());
    let mut expected = Vec::new();
    expected.extend_from_slice(
        format!("--{boundary}\r\nContent-Range: bytes 0-9/512\r\nContent-Transfer-Encoding: binary\r\n\r\n").as_bytes(),
    );
    expected.extend_from_slice(&content[..10]);
    expected.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Range: bytes 500-511/512\r\nContent-Transfer-Encoding: binary\r\n\r\n").as_bytes(),
    );
    expected.extend_from_slice(&content[500..]);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(reply.body, expected);
}

#[tokio::test]
async fn object_conditionals() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let etag = api
        .put_object(&alice("/c/o"), "abc")
        .await
        .h("etag")
        .to_owned();
    let with = |name: &'static str, value: String| {
        let api = &api;
        async move {
            api.v1(
                "GET",
                &alice("/c/o"),
                &[(name, value.as_str())],
                Bytes::new(),
            )
            .await
        }
    };
    assert_eq!(with("if-match", etag.clone()).await.code(), 200);
    assert_eq!(
        with("if-match", format!("\"x\", \"{etag}\"")).await.code(),
        200
    );
    assert_eq!(with("if-match", "*".into()).await.code(), 200);
    with("if-match", "nope".into()).await.assert_fault(
        412,
        "preconditionFailed",
        "Resource ETag does not match",
    );
    let reply = with("if-none-match", etag.to_uppercase()).await;
    assert_eq!(reply.code(), 304);
    assert_eq!(reply.h("etag"), etag);
    assert!(reply.body.is_empty());
    assert!(reply.header("x-object-hash").is_none());
    assert_eq!(with("if-none-match", "*".into()).await.code(), 304);
    assert_eq!(with("if-none-match", "other".into()).await.code(), 200);
    let modified = api.head(&alice("/c/o")).await.h("last-modified").to_owned();
    assert_eq!(
        with("if-modified-since", modified.clone()).await.code(),
        304
    );
    assert_eq!(
        with("if-modified-since", "Thu, 01 Jan 1970 00:00:00 GMT".into())
            .await
            .code(),
        200
    );
    assert_eq!(
        with("if-modified-since", "garbage".into()).await.code(),
        200
    );
    assert_eq!(with("if-unmodified-since", modified).await.code(), 200);
    with(
        "if-unmodified-since",
        "Thu, 01 Jan 1970 00:00:00 GMT".into(),
    )
    .await
    .assert_fault(412, "preconditionFailed", "Resource has been modified");
    let reply = api
        .v1(
            "HEAD",
            &alice("/c/o"),
            &[("if-none-match", &etag)],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 304);
    // For writes a matching If-None-Match is a 412.
    api.v1(
        "POST",
        &alice("/c/o?update"),
        &[("if-none-match", &etag), ("x-object-meta-a", "b")],
        Bytes::new(),
    )
    .await
    .assert_fault(412, "preconditionFailed", "Resource exists or ETag matches");
}

#[tokio::test]
async fn versions() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let v1: u64 = api
        .put_object(&alice("/c/o"), "one")
        .await
        .h("x-object-version")
        .parse()
        .unwrap();
    let v2: u64 = api
        .put_object(&alice("/c/o"), "two!")
        .await
        .h("x-object-version")
        .parse()
        .unwrap();
    assert!(v2 > v1);
    let reply = api.get(&alice("/c/o?version=list&format=json")).await;
    let versions = reply.json()["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0][0], v1);
    let stamp = versions[0][1].as_str().unwrap();
    let (secs, micros) = stamp.split_once('.').unwrap();
    assert!(secs.parse::<u64>().unwrap() > 1_600_000_000);
    assert_eq!(micros.len(), 6);
    let reply = api.get(&alice(&format!("/c/o?version={v1}"))).await;
    assert_eq!(reply.body, "one");
    assert_eq!(reply.h("x-object-version"), v1.to_string());
    let reply = api.head(&alice(&format!("/c/o?version={v1}"))).await;
    assert_eq!(reply.h("content-length"), "3");
    for bad in ["999999", "x", ""] {
        api.get(&alice(&format!("/c/o?version={bad}")))
            .await
            .assert_fault(404, "itemNotFound", "Version does not exist");
    }
    let xml = api.get(&alice("/c/o?version=list&format=xml")).await.text();
    assert!(xml.contains(&format!(">{v2}</version>")), "{xml}");
    // Deleting keeps the history (versioning auto).
    assert_eq!(
        api.v1("DELETE", &alice("/c/o"), &[], Bytes::new())
            .await
            .code(),
        204
    );
    api.get(&alice("/c/o"))
        .await
        .assert_fault(404, "itemNotFound", "Object does not exist");
    api.v1("DELETE", &alice("/c/o"), &[], Bytes::new())
        .await
        .assert_fault(404, "itemNotFound", "Object is deleted.");
    assert_eq!(
        api.get(&alice(&format!("/c/o?version={v2}"))).await.body,
        "two!"
    );
    let versions = api.get(&alice("/c/o?version=list")).await.json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 2);
    // Purge everything up to now: the object is gone for good.
    assert_eq!(
        api.v1(
            "DELETE",
            &alice("/c/o?until=99999999999"),
            &[],
            Bytes::new()
        )
        .await
        .code(),
        204
    );
    assert_eq!(api.get(&alice("/c/o?version=list")).await.code(), 404);
    // Versioning none drops history.
    api.v1(
        "PUT",
        &alice("/n"),
        &[("x-container-policy-versioning", "none")],
        Bytes::new(),
    )
    .await;
    let first = api
        .put_object(&alice("/n/o"), "a")
        .await
        .h("x-object-version")
        .to_owned();
    api.put_object(&alice("/n/o"), "b").await;
    let versions = api.get(&alice("/n/o?version=list")).await.json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 1);
    assert_eq!(
        api.get(&alice(&format!("/n/o?version={first}")))
            .await
            .code(),
        404
    );
    // Container history purge keeps current objects.
    api.put_object(&alice("/c/k"), "1").await;
    api.put_object(&alice("/c/k"), "2").await;
    assert_eq!(
        api.v1("DELETE", &alice("/c?until=99999999999"), &[], Bytes::new())
            .await
            .code(),
        204
    );
    let versions = api.get(&alice("/c/k?version=list")).await.json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 1);
    assert_eq!(api.get(&alice("/c/k")).await.body, "2");
    // Listing as of a time before everything.
    assert_eq!(api.get(&alice("/c?until=1")).await.code(), 404);
}

#[tokio::test]
async fn copy_and_move() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/a")).await;
    api.put_container(&alice("/b")).await;
    api.v1(
        "PUT",
        &alice("/a/src"),
        &[
            ("content-type", "text/plain"),
            ("x-object-meta-k", "v"),
            ("x-object-meta-z", "z"),
        ],
        "data",
    )
    .await;
    let src_uuid = api
        .head(&alice("/a/src"))
        .await
        .h("x-object-uuid")
        .to_owned();
    // PUT with X-Copy-From: metadata copied and updated, new UUID.
    let reply = api
        .v1(
            "PUT",
            &alice("/b/copy"),
            &[
                ("x-copy-from", "/a/src"),
                ("content-length", "0"),
                ("x-object-meta-z", ""),
                ("x-object-meta-n", "1"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201, "{}", reply.text());
    assert!(reply.header("x-object-version").is_some());
    let reply = api.get(&alice("/b/copy")).await;
    assert_eq!(reply.body, "data");
    assert_eq!(reply.h("content-type"), "text/plain");
    assert_eq!(reply.h("x-object-meta-k"), "v");
    assert_eq!(reply.h("x-object-meta-n"), "1");
    assert!(reply.header("x-object-meta-z").is_none());
    assert_ne!(reply.h("x-object-uuid"), src_uuid);
    api.v1(
        "PUT",
        &alice("/b/x"),
        &[("x-copy-from", "a/src"), ("content-length", "0")],
        Bytes::new(),
    )
    .await
    .assert_fault(400, "badRequest", "Invalid X-Copy-From header");
    api.v1(
        "PUT",
        &alice("/b/x"),
        &[("x-copy-from", "/a/none"), ("content-length", "0")],
        Bytes::new(),
    )
    .await
    .assert_fault(404, "itemNotFound", "Object does not exist");
    api.v1(
        "PUT",
        &alice("/zz/x"),
        &[("x-copy-from", "/a/src"), ("content-length", "0")],
        Bytes::new(),
    )
    .await
    .assert_fault(404, "itemNotFound", "Container does not exist");
    // COPY with Destination, content type changed, from an older version.
    let old_version = api
        .head(&alice("/a/src"))
        .await
        .h("x-object-version")
        .to_owned();
    api.put_object(&alice("/a/src"), "newer").await;
    let reply = api
        .v1(
            "COPY",
            &alice("/a/src"),
            &[
                ("destination", "/b/old"),
                ("x-source-version", &old_version),
                ("content-type", "a/b"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201);
    let reply = api.get(&alice("/b/old")).await;
    assert_eq!(reply.body, "data");
    assert_eq!(reply.h("content-type"), "a/b");
    api.v1("COPY", &alice("/a/src"), &[], Bytes::new())
        .await
        .assert_fault(400, "badRequest", "Missing Destination header");
    api.v1(
        "COPY",
        &alice("/a/src"),
        &[("destination", "/b")],
        Bytes::new(),
    )
    .await
    .assert_fault(400, "badRequest", "Invalid Destination header");
    // MOVE keeps the UUID and deletes the source.
    let uuid = api
        .head(&alice("/a/src"))
        .await
        .h("x-object-uuid")
        .to_owned();
    let reply = api
        .v1(
            "MOVE",
            &alice("/a/src"),
            &[("destination", "/b/moved")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201);
    assert_eq!(api.head(&alice("/a/src")).await.code(), 404);
    let reply = api.head(&alice("/b/moved")).await;
    assert_eq!(reply.h("x-object-uuid"), uuid);
    // X-Move-From with a delimiter moves a whole folder.
    api.v1(
        "PUT",
        &alice("/a/dir"),
        &[("content-type", "application/directory")],
        Bytes::new(),
    )
    .await;
    api.put_object(&alice("/a/dir/one"), "1").await;
    api.put_object(&alice("/a/dir/sub/two"), "2").await;
    let reply = api
        .v1(
            "PUT",
            &alice("/b/folder?delimiter=/"),
            &[("x-move-from", "/a/dir"), ("content-length", "0")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201);
    assert_eq!(
        api.get(&alice("/b?prefix=folder")).await.text(),
        "folder\nfolder/one\nfolder/sub/two\n"
    );
    assert_eq!(api.get(&alice("/a?prefix=dir")).await.code(), 204);
    assert_eq!(api.get(&alice("/b/folder/sub/two")).await.body, "2");
    // Copy across accounts needs read access; moving others' objects is refused.
    let bob_api = Api::new(&sim, BOB_TOKEN);
    bob_api.put_container(&bob("/mine")).await;
    let reply = bob_api
        .v1(
            "PUT",
            &bob("/mine/x"),
            &[
                ("x-copy-from", "/b/copy"),
                ("x-source-account", ALICE_UUID),
                ("content-length", "0"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 403);
    api.v1(
        "POST",
        &alice("/b/copy"),
        &[("x-object-sharing", &format!("read={BOB_UUID}"))],
        Bytes::new(),
    )
    .await;
    let reply = bob_api
        .v1(
            "PUT",
            &bob("/mine/x"),
            &[
                ("x-copy-from", "/b/copy"),
                ("x-source-account", ALICE_UUID),
                ("content-length", "0"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201);
    assert_eq!(bob_api.get(&bob("/mine/x")).await.body, "data");
    let reply = bob_api
        .v1(
            "PUT",
            &bob("/mine/y"),
            &[
                ("x-move-from", "/b/copy"),
                ("x-source-account", ALICE_UUID),
                ("content-length", "0"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 403);
}

#[tokio::test]
async fn object_post_updates() {
    let sim = small_blocks().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    api.v1(
        "PUT",
        &alice("/c/o"),
        &[("content-type", "text/plain"), ("x-object-meta-a", "1")],
        "0123456789",
    )
    .await;
    // Metadata: ?update merges, otherwise replaces.
    let reply = api
        .v1(
            "POST",
            &alice("/c/o?update"),
            &[("x-object-meta-b", "2")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 202);
    assert!(reply.header("x-object-version").is_some());
    let reply = api.head(&alice("/c/o")).await;
    assert_eq!(reply.h("x-object-meta-a"), "1");
    assert_eq!(reply.h("x-object-meta-b"), "2");
    api.v1(
        "POST",
        &alice("/c/o"),
        &[("x-object-meta-c", "3")],
        Bytes::new(),
    )
    .await;
    let reply = api.head(&alice("/c/o")).await;
    assert!(reply.header("x-object-meta-a").is_none());
    assert_eq!(reply.h("x-object-meta-c"), "3");
    assert_eq!(api.get(&alice("/c/o")).await.body, "0123456789");
    api.v1("POST", &alice("/c/nope"), &[], Bytes::new())
        .await
        .assert_fault(404, "itemNotFound", "Object does not exist");
    api.v1(
        "POST",
        &alice("/c/o?update"),
        &[("x-object-public", "maybe")],
        Bytes::new(),
    )
    .await
    .assert_fault(400, "badRequest", "Bad X-Object-Public header value");
    api.v1(
        "POST",
        &alice("/c/o?update"),
        &[("x-object-sharing", "reed=x")],
        Bytes::new(),
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "Bad X-Object-Sharing header value: missing prefix",
    );
    let octet = ("content-type", "application/octet-stream");
    let post = |headers: Vec<(&'static str, String)>, body: &'static str| {
        let api = &api;
        async move {
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.v1("POST", &alice("/c/o?update"), &headers, body).await
        }
    };
    post(vec![(octet.0, octet.1.into())], "x")
        .await
        .assert_fault(400, "badRequest", "Missing Content-Range header");
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 5-1/*".into()),
        ],
        "x",
    )
    .await
    .assert_fault(416, "rangeNotSatisfiable", "Invalid Content-Range header");
    // Append.
    let reply = post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes */*".into()),
        ],
        "ABCDEFGHIJ",
    )
    .await;
    assert_eq!(reply.code(), 204);
    assert!(reply.header("etag").is_some());
    assert_eq!(api.get(&alice("/c/o")).await.body, "0123456789ABCDEFGHIJ");
    // Overwrite inside and across blocks.
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 14-17/*".into()),
        ],
        "wxyz",
    )
    .await;
    assert_eq!(api.get(&alice("/c/o")).await.body, "0123456789ABCDwxyzIJ");
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 2-3/20".into()),
        ],
        "..",
    )
    .await;
    assert_eq!(api.get(&alice("/c/o")).await.body, "01..456789ABCDwxyzIJ");
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 2-3/21".into()),
        ],
        "..",
    )
    .await
    .assert_fault(
        416,
        "rangeNotSatisfiable",
        "Supplied range will change provided object limits",
    );
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 30-31/*".into()),
        ],
        "..",
    )
    .await
    .assert_fault(
        416,
        "rangeNotSatisfiable",
        "Supplied offset is beyond object limits",
    );
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 0-3/*".into()),
        ],
        "..",
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "Content length does not match range length",
    );
    // Writing past the end grows the object.
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 18-/*".into()),
        ],
        "++++",
    )
    .await;
    assert_eq!(api.get(&alice("/c/o")).await.body, "01..456789ABCDwxyz++++");
    // Truncate with X-Object-Bytes and the object itself as the source.
    let reply = post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes 0-4/*".into()),
            ("x-object-bytes", "5".into()),
            ("x-source-object", "/c/o".into()),
        ],
        "",
    )
    .await;
    assert_eq!(reply.code(), 204, "{}", reply.text());
    assert_eq!(api.get(&alice("/c/o")).await.body, "01..4");
    // Data from another object, appended.
    api.put_object(&alice("/c/other"), "0123456789abcdefXYZ")
        .await;
    let reply = post(
        vec![
            ("content-range", "bytes */*".into()),
            ("x-source-object", "/c/other".into()),
        ],
        "",
    )
    .await;
    assert_eq!(reply.code(), 204, "{}", reply.text());
    assert_eq!(
        api.get(&alice("/c/o")).await.body,
        "01..40123456789abcdefXYZ"
    );
    post(
        vec![
            ("content-range", "bytes 0-99/*".into()),
            ("x-source-object", "/c/other".into()),
        ],
        "",
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "Object length is smaller than range length",
    );
    post(
        vec![
            (octet.0, octet.1.into()),
            ("content-range", "bytes */*".into()),
            ("x-object-bytes", "x".into()),
        ],
        "",
    )
    .await
    .assert_fault(400, "badRequest", "Invalid X-Object-Bytes header");
    // The content type is kept and the ETag matches a fresh upload.
    let reply = api.head(&alice("/c/o")).await;
    assert_eq!(reply.h("content-type"), "text/plain");
    let etag = reply.h("etag").to_owned();
    let fresh = api
        .put_object(&alice("/c/fresh"), "01..40123456789abcdefXYZ")
        .await;
    assert_eq!(fresh.h("etag"), etag);
}

#[tokio::test]
async fn html_form_upload() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let anonymous = Api::anonymous(&sim);
    let body = "--B\r\nContent-Disposition: form-data; name=\"X-Object-Data\"; filename=\"f.txt\"\r\n\
                Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--B--\r\n";
    // The token may travel in the query string, as browsers do.
    let reply = anonymous
        .v1(
            "POST",
            &format!("{}?X-Auth-Token={ALICE_TOKEN}", alice("/c/form.csv")),
            &[("content-type", "multipart/form-data; boundary=B")],
            body,
        )
        .await;
    assert_eq!(reply.code(), 201, "{}", reply.text());
    assert_eq!(reply.h("etag"), sha256_hex(b"a,b\r\n1,2"));
    let reply = api.get(&alice("/c/form.csv")).await;
    assert_eq!(reply.body, "a,b\r\n1,2");
    assert_eq!(reply.h("content-type"), "text/csv");
    api.v1(
        "POST",
        &alice("/c/form.csv"),
        &[("content-type", "multipart/form-data; boundary=B")],
        "--B--",
    )
    .await
    .assert_fault(400, "badRequest", "Missing X-Object-Data field");
}

#[tokio::test]
async fn object_listing() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    for (name, color) in [
        ("photos/animals/cats/x", "black"),
        ("photos/animals/dogs/y", "brown"),
        ("photos/me.jpg", "red"),
        ("photos/plants/z", "green"),
        ("readme", ""),
    ] {
        let mut headers = vec![("content-type", "text/plain")];
        if !color.is_empty() {
            headers.push(("x-object-meta-color", color));
        }
        api.v1("PUT", &alice(&format!("/c/{name}")), &headers, "x")
            .await;
    }
    let text = |query: &'static str| {
        let api = &api;
        async move { api.get(&alice(&format!("/c{query}"))).await.text() }
    };
    assert_eq!(
        text("?prefix=photos&delimiter=/").await,
        "photos/animals/\nphotos/me.jpg\nphotos/plants/\n"
    );
    assert_eq!(text("?path=photos").await, "photos/me.jpg\n");
    assert_eq!(text("?delimiter=/").await, "photos/\nreadme\n");
    assert_eq!(
        text("?prefix=/photos/animals").await,
        "photos/animals/cats/x\nphotos/animals/dogs/y\n"
    );
    assert_eq!(
        text("?limit=2").await,
        "photos/animals/cats/x\nphotos/animals/dogs/y\n"
    );
    assert_eq!(text("?marker=photos/plants/z").await, "readme\n");
    assert_eq!(text("?meta=color").await.lines().count(), 4);
    assert_eq!(text("?meta=!color").await, "readme\n");
    assert_eq!(text("?meta=color=red").await, "photos/me.jpg\n");
    assert_eq!(text("?meta=color!=red,color").await.lines().count(), 3);
    assert_eq!(
        text("?meta=COLOR%3E=c").await,
        "photos/me.jpg\nphotos/plants/z\n"
    );
    assert_eq!(
        text("?meta=color%3Cc").await,
        "photos/animals/cats/x\nphotos/animals/dogs/y\n"
    );
    let reply = api.get(&alice("/c?prefix=nothing")).await;
    assert_eq!(reply.code(), 204);
    assert_eq!(reply.h("x-container-object-count"), "5");
    let reply = api
        .get(&alice("/c?prefix=photos/&delimiter=/&format=json"))
        .await;
    let listing = reply.json();
    assert_eq!(listing[0], json!({"subdir": "photos/animals/"}));
    let object = &listing[1];
    assert_eq!(object["name"], "photos/me.jpg");
    assert_eq!(object["bytes"], 1);
    assert_eq!(object["content_type"], "text/plain");
    assert_eq!(object["hash"], "");
    assert_eq!(object["x_object_hash"], sha256_hex(b"x"));
    assert_eq!(object["x_object_modified_by"], ALICE_UUID);
    assert_eq!(object["available"], 1);
    assert_eq!(object["map_check_timestamp"], Value::Null);
    assert!(object["x_object_version"].is_u64());
    assert!(
        object["x_object_version_timestamp"]
            .as_str()
            .unwrap()
            .contains('.')
    );
    assert!(
        object["last_modified"]
            .as_str()
            .unwrap()
            .ends_with("+00:00")
    );
    assert!(object.get("x_object_meta_color").is_none());
    let xml = api.get(&alice("/c?delimiter=/&format=xml")).await.text();
    assert!(xml.contains("<subdir name=\"photos/\" />"), "{xml}");
    assert!(xml.contains("<name>readme</name>"), "{xml}");
    // Listing faults keep the listing's text type.
    let reply = api.get(&alice("/missing")).await;
    assert_eq!(reply.h("content-type"), "text/plain; charset=UTF-8");
    assert_eq!(reply.json()["itemNotFound"]["code"], 404);
    let reply = api.get(&alice("/missing?format=xml")).await;
    assert!(reply.text().contains("<itemNotFound code=\"404\">"));
}

#[tokio::test]
async fn paging_past_ten_thousand() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let names: Vec<String> = (0..10_005).map(|i| format!("o{i:05}")).collect();
    futures_util::stream::iter(names.iter())
        .map(|name| {
            let api = &api;
            async move {
                api.v1(
                    "PUT",
                    &alice(&format!("/c/{name}")),
                    &[("content-type", "a/b")],
                    Bytes::new(),
                )
                .await
                .code()
            }
        })
        .buffer_unordered(16)
        .for_each(|code| async move { assert_eq!(code, 201) })
        .await;
    let first = api.get(&alice("/c")).await.text();
    let first: Vec<&str> = first.lines().collect();
    assert_eq!(first.len(), 10_000);
    assert_eq!(first[9_999], "o09999");
    let next = api.get(&alice("/c?marker=o09999")).await.text();
    assert_eq!(next, "o10000\no10001\no10002\no10003\no10004\n");
    let limited = api
        .get(&alice("/c?limit=20000&marker=o00002&format=json"))
        .await
        .json();
    assert_eq!(limited.as_array().unwrap().len(), 10_000);
    assert_eq!(
        api.head(&alice("/c")).await.h("x-container-object-count"),
        "10005"
    );
}

#[tokio::test]
async fn sharing_between_users() {
    let sim = Sim::start().await.unwrap();
    let alice_api = Api::new(&sim, ALICE_TOKEN);
    let bob_api = Api::new(&sim, BOB_TOKEN);
    alice_api.put_container(&alice("/c")).await;
    alice_api.put_container(&alice("/private")).await;
    alice_api.put_object(&alice("/c/shared"), "s").await;
    alice_api.put_object(&alice("/c/secret"), "x").await;
    alice_api.put_object(&alice("/private/p"), "p").await;
    // Nothing shared yet.
    assert_eq!(bob_api.get("/").await.code(), 204);
    assert_eq!(bob_api.get(&alice("/c/shared")).await.code(), 403);
    assert_eq!(bob_api.head(&alice("")).await.code(), 403);
    // Share one object for reading.
    let reply = alice_api
        .v1(
            "POST",
            &alice("/c/shared?update"),
            &[("x-object-sharing", &format!("read={BOB_UUID}"))],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 202);
    let reply = alice_api.head(&alice("/c/shared")).await;
    assert_eq!(reply.h("x-object-sharing"), format!("read={BOB_UUID}"));
    assert!(reply.header("x-object-allowed-to").is_none());
    assert_eq!(bob_api.get("/").await.text(), format!("{ALICE_UUID}\n"));
    let accounts = bob_api.get("/?format=json").await.json();
    assert_eq!(accounts[0]["name"], ALICE_UUID);
    assert!(accounts[0]["last_modified"].is_string());
    assert_eq!(alice_api.get("/?format=json").await.json(), json!([]));
    let reply = bob_api.get(&alice("/c/shared")).await;
    assert_eq!(reply.body, "s");
    assert_eq!(reply.h("x-object-allowed-to"), "read");
    assert!(reply.header("x-object-public").is_none());
    assert_eq!(bob_api.get(&alice("/c/secret")).await.code(), 403);
    assert_eq!(bob_api.get(&alice("")).await.text(), "c\n");
    let reply = bob_api.head(&alice("")).await;
    assert_eq!(reply.code(), 204);
    assert!(reply.header("x-account-bytes-used").is_none());
    assert!(reply.header("last-modified").is_some());
    assert_eq!(bob_api.get(&alice("/c")).await.text(), "shared\n");
    let listing = bob_api.get(&alice("/c?format=json")).await.json();
    assert_eq!(listing[0]["x_object_allowed_to"], "read");
    assert_eq!(listing[0]["x_object_sharing"], format!("read={BOB_UUID}"));
    assert_eq!(bob_api.get(&alice("/private")).await.code(), 403);
    assert_eq!(bob_api.get(&alice("?until=5")).await.code(), 403);
    assert_eq!(bob_api.get(&alice("/c?public")).await.code(), 403);
    // Readers may not write, delete, move, change permissions.
    assert_eq!(
        bob_api
            .v1("PUT", &alice("/c/shared"), &[("content-type", "a/b")], "w")
            .await
            .code(),
        403
    );
    assert_eq!(
        bob_api
            .v1("DELETE", &alice("/c/shared"), &[], Bytes::new())
            .await
            .code(),
        403
    );
    assert_eq!(
        bob_api
            .v1(
                "POST",
                &alice("/c/shared?update"),
                &[("x-object-meta-a", "b")],
                Bytes::new()
            )
            .await
            .code(),
        403
    );
    // Owner's listing of shared objects.
    assert_eq!(alice_api.get(&alice("/c?shared")).await.text(), "shared\n");
    assert_eq!(alice_api.get(&alice("?shared")).await.text(), "c\n");
    // Write permission through a group.
    alice_api
        .v1(
            "POST",
            &alice("?update"),
            &[("x-account-group-team", BOB_UUID)],
            Bytes::new(),
        )
        .await;
    alice_api
        .v1(
            "POST",
            &alice("/c/shared?update"),
            &[("x-object-sharing", &format!("write={ALICE_UUID}:team"))],
            Bytes::new(),
        )
        .await;
    let reply = bob_api
        .v1(
            "PUT",
            &alice("/c/shared"),
            &[("content-type", "a/b")],
            "written",
        )
        .await;
    assert_eq!(reply.code(), 201);
    let reply = alice_api.head(&alice("/c/shared")).await;
    assert_eq!(reply.h("x-object-modified-by"), BOB_UUID);
    assert_eq!(
        reply.h("x-object-sharing"),
        format!("write={ALICE_UUID}:team")
    );
    assert_eq!(
        bob_api
            .head(&alice("/c/shared"))
            .await
            .h("x-object-allowed-to"),
        "write"
    );
    // Non-owners may not set permissions.
    let reply = bob_api
        .v1(
            "POST",
            &alice("/c/shared?update"),
            &[("x-object-sharing", "read=*")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 403);
    // A shared folder: everything under it is readable, new objects writable.
    alice_api
        .v1(
            "PUT",
            &alice("/c/folder"),
            &[
                ("content-type", "application/directory"),
                ("x-object-sharing", "write=*"),
            ],
            Bytes::new(),
        )
        .await;
    alice_api.put_object(&alice("/c/folder/inner"), "in").await;
    let reply = bob_api.get(&alice("/c/folder/inner")).await;
    assert_eq!(reply.body, "in");
    assert_eq!(
        reply.h("x-object-shared-by"),
        format!("{ALICE_UUID}/c/folder")
    );
    assert_eq!(reply.h("x-object-sharing"), "write=%2A");
    assert_eq!(
        bob_api
            .put_object(&alice("/c/folder/from-bob"), "b")
            .await
            .code(),
        201
    );
    assert_eq!(
        bob_api.get(&alice("/c?prefix=folder/")).await.text(),
        "folder/from-bob\nfolder/inner\n"
    );
    // Removing permissions.
    alice_api
        .v1(
            "POST",
            &alice("/c/shared?update"),
            &[("x-object-sharing", "")],
            Bytes::new(),
        )
        .await;
    assert_eq!(bob_api.get(&alice("/c/shared")).await.code(), 403);
    assert!(
        alice_api
            .head(&alice("/c/shared"))
            .await
            .header("x-object-sharing")
            .is_none()
    );
}

#[tokio::test]
async fn public_objects() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    let anonymous = Api::anonymous(&sim);
    api.put_container(&alice("/c")).await;
    api.v1(
        "PUT",
        &alice("/c/pub.txt"),
        &[
            ("content-type", "text/plain"),
            ("x-object-public", "true"),
            ("x-object-meta-secret", "s"),
        ],
        "public data",
    )
    .await;
    let reply = api.head(&alice("/c/pub.txt")).await;
    let url = reply.h("x-object-public").to_owned();
    let prefix = format!("{}/pithos/public/", sim.base_url());
    let token = url.strip_prefix(&prefix).unwrap().to_owned();
    assert_eq!(token.len(), 16);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
    let path = format!("/pithos/public/{token}");
    let reply = anonymous.send("GET", &path, &[], Bytes::new()).await;
    assert_eq!(reply.code(), 200);
    assert_eq!(reply.body, "public data");
    assert_eq!(reply.h("content-type"), "text/plain");
    assert_eq!(
        reply.h("content-disposition"),
        "inline; filename=\"pub.txt\""
    );
    assert!(reply.header("etag").is_some());
    assert!(reply.header("last-modified").is_some());
    for hidden in [
        "x-object-meta-secret",
        "x-object-uuid",
        "x-object-version",
        "x-object-public",
    ] {
        assert!(reply.header(hidden).is_none(), "{hidden}");
    }
    let reply = anonymous.send("HEAD", &path, &[], Bytes::new()).await;
    assert_eq!(reply.code(), 200);
    assert_eq!(reply.h("content-length"), "11");
    let reply = anonymous
        .send(
            "GET",
            &format!("{path}/"),
            &[("range", "bytes=7-")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 206);
    assert_eq!(reply.body, "data");
    let etag = reply.h("etag").to_owned();
    let reply = anonymous
        .send("GET", &path, &[("if-none-match", &etag)], Bytes::new())
        .await;
    assert_eq!(reply.code(), 304);
    assert_eq!(
        anonymous
            .send("GET", &path, &[("range", "bytes=50-")], Bytes::new())
            .await
            .code(),
        416
    );
    let reply = anonymous.send("PUT", &path, &[], Bytes::new()).await;
    assert_eq!(reply.code(), 405);
    assert_eq!(reply.h("allow"), "HEAD,GET");
    // The owner sees it in the public listing; others get nothing more.
    assert_eq!(api.get(&alice("/c?public")).await.text(), "pub.txt\n");
    assert_eq!(api.get(&alice("?public")).await.text(), "c\n");
    let listing = api.get(&alice("/c?format=json")).await.json();
    assert_eq!(listing[0]["x_object_public"], url);
    // Publishing again keeps the token; unpublishing removes it.
    api.v1(
        "POST",
        &alice("/c/pub.txt?update"),
        &[("x-object-public", "True")],
        Bytes::new(),
    )
    .await;
    assert_eq!(
        api.head(&alice("/c/pub.txt")).await.h("x-object-public"),
        url
    );
    api.v1(
        "POST",
        &alice("/c/pub.txt?update"),
        &[("x-object-public", "false")],
        Bytes::new(),
    )
    .await;
    assert!(
        api.head(&alice("/c/pub.txt"))
            .await
            .header("x-object-public")
            .is_none()
    );
    anonymous
        .send("GET", &path, &[], Bytes::new())
        .await
        .assert_fault(404, "itemNotFound", "Object does not exist");
    // Re-publishing gives a new token; deleting the object ends it.
    api.v1(
        "POST",
        &alice("/c/pub.txt?update"),
        &[("x-object-public", "true")],
        Bytes::new(),
    )
    .await;
    let new_url = api
        .head(&alice("/c/pub.txt"))
        .await
        .h("x-object-public")
        .to_owned();
    assert_ne!(new_url, url);
    let new_path = new_url.strip_prefix(&sim.base_url()).unwrap().to_owned();
    assert_eq!(
        anonymous
            .send("GET", &new_path, &[], Bytes::new())
            .await
            .code(),
        200
    );
    api.v1("DELETE", &alice("/c/pub.txt"), &[], Bytes::new())
        .await;
    assert_eq!(
        anonymous
            .send("GET", &new_path, &[], Bytes::new())
            .await
            .code(),
        404
    );
    assert_eq!(
        anonymous
            .send("GET", "/pithos/public/nope", &[], Bytes::new())
            .await
            .code(),
        404
    );
}

#[tokio::test]
async fn quotas() {
    let mut quotas = BTreeMap::new();
    quotas.insert(BOB_UUID.to_owned(), 10);
    let sim = Sim::start_with(SimConfig {
        account_quotas: quotas,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.v1(
        "PUT",
        &alice("/q"),
        &[("x-container-policy-quota", "100")],
        Bytes::new(),
    )
    .await;
    api.put_object(&alice("/q/a"), vec![b'a'; 100]).await;
    api.v1("PUT", &alice("/q/b"), &[("content-type", "a/b")], "x")
        .await
        .assert_fault(
            413,
            "requestEntityTooLarge",
            "Quota error: Container quota exceeded: limit: 100, usage: 101",
        );
    // Replacing with something smaller is fine; growing past it is not.
    api.put_object(&alice("/q/a"), vec![b'a'; 50]).await;
    api.v1(
        "PUT",
        &alice("/q/b"),
        &[("content-type", "a/b")],
        vec![b'b'; 51],
    )
    .await
    .assert_fault(
        413,
        "requestEntityTooLarge",
        "Quota error: Container quota exceeded: limit: 100, usage: 101",
    );
    // Account quota (per user).
    let bob_api = Api::new(&sim, BOB_TOKEN);
    assert_eq!(
        bob_api.head(&bob("")).await.h("x-account-policy-quota"),
        "10"
    );
    bob_api.put_container(&bob("/c")).await;
    bob_api.put_object(&bob("/c/a"), "0123456789").await;
    bob_api
        .v1("PUT", &bob("/c/b"), &[("content-type", "a/b")], "x")
        .await
        .assert_fault(
            413,
            "requestEntityTooLarge",
            "Quota error: Account quota exceeded: limit: 10, usage: 11",
        );
    // Copies count too.
    let reply = bob_api
        .v1(
            "COPY",
            &bob("/c/a"),
            &[("destination", "/c/copy")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 413);
    // Deleting frees space.
    bob_api.v1("DELETE", &bob("/c/a"), &[], Bytes::new()).await;
    bob_api.put_object(&bob("/c/b"), "x").await;
    assert_eq!(bob_api.head(&bob("")).await.h("x-account-bytes-used"), "1");
}

#[tokio::test]
async fn manifests() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    api.put_object(&alice("/c/big/part2"), "world").await;
    api.put_object(&alice("/c/big/part1"), "hello ").await;
    let reply = api
        .v1(
            "PUT",
            &alice("/c/big"),
            &[
                ("content-type", "text/plain"),
                ("x-object-manifest", "c/big/"),
                ("content-length", "0"),
            ],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.code(), 201);
    let reply = api.head(&alice("/c/big")).await;
    assert_eq!(reply.h("content-length"), "11");
    assert_eq!(reply.h("x-object-manifest"), "c/big/");
    let reply = api.get(&alice("/c/big")).await;
    assert_eq!(reply.body, "hello world");
    let reply = api
        .v1(
            "GET",
            &alice("/c/big"),
            &[("range", "bytes=4-7")],
            Bytes::new(),
        )
        .await;
    assert_eq!(reply.body, "o wo");
    let hashmap = api.get(&alice("/c/big?hashmap")).await.json();
    assert_eq!(hashmap["bytes"], 0);
}

#[tokio::test]
async fn blocks_on_disk_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = || SimConfig {
        data_dir: Some(dir.path().to_path_buf()),
        block_size: 8,
        ..SimConfig::default()
    };
    let content = b"0123456789abcdefXYZ".to_vec();
    let hashes: Vec<String> = content.chunks(8).map(sha256_hex).collect();
    let hashmap = json!({"bytes": content.len(), "hashes": hashes}).to_string();
    {
        let sim = Sim::start_with(config()).await.unwrap();
        let api = Api::new(&sim, ALICE_TOKEN);
        api.put_container(&alice("/c")).await;
        api.put_object(&alice("/c/o"), content.clone()).await;
        assert_eq!(api.get(&alice("/c/o")).await.body, content);
        let reply = api
            .v1(
                "GET",
                &alice("/c/o"),
                &[("range", "bytes=6-9")],
                Bytes::new(),
            )
            .await;
        assert_eq!(reply.body, "6789");
        sim.stop().await;
    }
    for hash in &hashes {
        assert!(dir.path().join("blocks").join(hash).is_file());
    }
    let sim = Sim::start_with(config()).await.unwrap();
    assert_eq!(sim.pithos_stats().blocks_stored, 3);
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    let reply = api
        .v1(
            "PUT",
            &alice("/c/again?hashmap"),
            &[("content-type", "a/b")],
            hashmap,
        )
        .await;
    assert_eq!(reply.code(), 201, "{}", reply.text());
    assert_eq!(api.get(&alice("/c/again")).await.body, content);
}

#[tokio::test]
async fn dropped_object_bodies_abort_the_connection() {
    let sim = Sim::start().await.unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    api.put_object(&alice("/c/o"), data(1000, 1)).await;
    sim.faults().push(
        FaultRule::new(FaultAction::DropMidBody)
            .path_prefix("/pithos/object-store")
            .method("GET")
            .times(1),
    );
    let request = Request::builder()
        .uri(format!("{}{V1}{}", sim.base_url(), alice("/c/o")))
        .header("x-auth-token", ALICE_TOKEN)
        .body(Full::new(Bytes::new()))
        .unwrap();
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.headers()["content-length"], "1000");
    assert!(response.into_body().collect().await.is_err());
    assert_eq!(api.get(&alice("/c/o")).await.body.len(), 1000);
}

#[tokio::test]
async fn hostile_inputs_get_client_errors() {
    let sim = small_blocks().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    api.put_container(&alice("/c")).await;
    api.put_object(&alice("/c/o"), "0123456789abcdefghij").await;
    let huge = "99999999999999999999999999999";
    type Case<'a> = (&'a str, String, Vec<(&'a str, String)>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "GET",
            alice("/c/o"),
            vec![("range", format!("bytes={huge}-"))],
            "",
        ),
        (
            "GET",
            alice("/c/o"),
            vec![("range", format!("bytes=-{huge}"))],
            "",
        ),
        (
            "GET",
            alice("/c/o"),
            vec![("range", format!("bytes=0-{huge}"))],
            "",
        ),
        (
            "GET",
            alice("/c/o"),
            vec![("if-modified-since", "Mon, 99 Foo 99999 99:99:99 GMT".into())],
            "",
        ),
        ("GET", alice(&format!("/c/o?version={huge}")), vec![], ""),
        (
            "GET",
            alice(&format!("/c?limit={huge}&until={huge}")),
            vec![],
            "",
        ),
        (
            "GET",
            alice("/c?meta=%21,%3D,%3D%3D,a%3D%3D,%20,!%3Db"),
            vec![],
            "",
        ),
        ("HEAD", alice(&format!("?until={huge}")), vec![], ""),
        (
            "POST",
            alice("/c/o?update"),
            vec![
                ("content-type", "application/octet-stream".into()),
                (
                    "content-range",
                    "bytes 18446744073709551615-18446744073709551615/*".to_owned(),
                ),
            ],
            "x",
        ),
        (
            "POST",
            alice("/c/o?update"),
            vec![
                ("content-type", "application/octet-stream".into()),
                ("content-range", format!("bytes 0-{huge}/*")),
            ],
            "x",
        ),
        (
            "POST",
            alice("/c/o?update"),
            vec![
                ("content-range", "bytes 0-/*".into()),
                ("x-source-object", "/c/o".into()),
                ("x-object-bytes", huge.into()),
            ],
            "",
        ),
        (
            "PUT",
            alice("/c/h?hashmap"),
            vec![("content-type", "a/b".into())],
            "{\"bytes\": 1e300, \"hashes\": []}",
        ),
        (
            "PUT",
            alice("/c/h?hashmap"),
            vec![("content-type", "a/b".into())],
            "{\"bytes\": \"99999999999999999999999999999999999999999\", \"hashes\": []}",
        ),
        (
            "PUT",
            alice("/c/h?hashmap"),
            vec![("content-type", "a/b".into())],
            "{\"bytes\": 16, \"hashes\": [\"abcd\"]}",
        ),
        (
            "PUT",
            alice("/c/h?hashmap"),
            vec![("content-type", "a/b".into())],
            "{\"bytes\": 16, \"hashes\": [5]}",
        ),
        (
            "PUT",
            alice("/c/h"),
            vec![
                ("content-type", "a/b".into()),
                ("x-object-sharing", "read=,".into()),
            ],
            "",
        ),
        (
            "PUT",
            alice("/c/h"),
            vec![
                ("content-type", "a/b".into()),
                ("x-object-manifest", "nowhere".into()),
            ],
            "",
        ),
        ("GET", alice("/c/h"), vec![], ""),
        (
            "PUT",
            alice(&format!("/c?x={huge}")),
            vec![("x-container-policy-quota", huge.into())],
            "",
        ),
        (
            "COPY",
            alice("/c/o"),
            vec![("destination", "//".into())],
            "",
        ),
        (
            "MOVE",
            alice("/c/o"),
            vec![("destination", "/c/o".into())],
            "",
        ),
        (
            "POST",
            alice("?update"),
            vec![("x-account-group-x", ",,,".into())],
            "",
        ),
        ("GET", alice("/c/o?version=list&format=xml"), vec![], ""),
        (
            "DELETE",
            alice(&format!("/c/nothing?until={huge}")),
            vec![],
            "",
        ),
    ];
    for (method, path, headers, body) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = api.v1(method, &path, &headers, body).await;
        assert!(
            reply.code() < 500,
            "{method} {path} {headers:?}: {} {}",
            reply.code(),
            reply.text()
        );
    }
    assert_eq!(api.get(&alice("/c/o")).await.code(), 200);
}
