//! End-to-end tests of the simulator over real HTTP: identity, account,
//! routing, fault injection and request recording.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use synnefo_sim::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID, FaultAction, FaultRule, Sim, SimConfig,
    SimHandle, UserSpec, default_users, load_users,
};

const JSON: &str = "application/json";

/// A response read completely.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("header is text"))
    }

    /// Asserts a cloudFault body `{key: {code, message, details: ""}}`.
    fn assert_fault(&self, status: u16, key: &str, message: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {:?}", self.body);
        assert_eq!(
            self.json(),
            json!({key: {"code": status, "message": message, "details": ""}})
        );
    }
}

fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(0)
        .build_http()
}

fn request(
    sim: &SimHandle,
    method: Method,
    target: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("{}{target}", sim.base_url()));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Full::new(body.into())).expect("valid request")
}

async fn send(
    sim: &SimHandle,
    method: Method,
    target: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Reply {
    let response = client()
        .request(request(sim, method, target, headers, body))
        .await
        .expect("request failed");
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.expect("body failed").to_bytes(),
    }
}

async fn get(sim: &SimHandle, target: &str) -> Reply {
    send(sim, Method::GET, target, &[], Bytes::new()).await
}

const TOKENS: &str = "/astakos/identity/v2.0/tokens";

async fn post_tokens(sim: &SimHandle, body: Value) -> Reply {
    send(
        sim,
        Method::POST,
        TOKENS,
        &[("content-type", JSON)],
        body.to_string(),
    )
    .await
}

fn with_inactive_user() -> SimConfig {
    let mut users = default_users();
    users.push(UserSpec {
        uuid: "a1b2c3d4-0000-4000-8000-000000000003".into(),
        name: "carol@example.org".into(),
        realname: None,
        token: "carol-token-0123456789abcdefghijklmnopqrstu".into(),
        active: false,
    });
    SimConfig {
        users,
        ..SimConfig::default()
    }
}

fn catalog_url(body: &Value, kind: &str) -> String {
    body["access"]["serviceCatalog"]
        .as_array()
        .expect("catalog is a list")
        .iter()
        .find(|s| s["type"] == kind)
        .and_then(|s| s["endpoints"][0]["publicURL"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no {kind} in catalog"))
}

#[tokio::test]
async fn handle_accessors() {
    let sim = Sim::start().await.unwrap();
    let base = sim.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(sim.identity_url(), format!("{base}/astakos/identity/v2.0"));
    assert_eq!(sim.account_url(), format!("{base}/astakos/account/v1.0"));
    assert_eq!(sim.token(), ALICE_TOKEN);
    assert_eq!(sim.users().len(), 2);
    assert_eq!(sim.user("BOB@example.org").unwrap().uuid, BOB_UUID);
    assert_eq!(sim.user(ALICE_UUID).unwrap().name, "alice@example.org");
    assert!(sim.user("nobody").is_none());
    for user in sim.users() {
        assert_eq!(user.token.len(), 43);
        assert!(
            user.token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
    let addr = sim.local_addr();
    sim.stop().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn public_mode_returns_only_the_catalog() {
    let sim = Sim::start().await.unwrap();
    let reply = send(&sim, Method::POST, TOKENS, &[], Bytes::new()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=UTF-8")
    );
    assert_eq!(reply.header("vary"), Some("X-Auth-Token"));
    assert_eq!(
        reply.header("cache-control"),
        Some("no-cache, no-store, must-revalidate, max-age=0")
    );
    assert_eq!(
        reply.header("content-length"),
        Some(reply.body.len().to_string().as_str())
    );
    let body = reply.json();
    let access = body["access"].as_object().unwrap();
    assert_eq!(access.len(), 1, "{access:?}");
    let base = sim.base_url();
    let names: Vec<&str> = body["access"]["serviceCatalog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "astakos_identity",
            "astakos_account",
            "astakos_weblogin",
            "cyclades_compute",
            "cyclades_network",
            "cyclades_plankton",
            "cyclades_volume",
            "pithos_object-store"
        ]
    );
    assert_eq!(catalog_url(&body, "identity"), sim.identity_url());
    assert_eq!(catalog_url(&body, "account"), sim.account_url());
    assert_eq!(
        catalog_url(&body, "compute"),
        format!("{base}/cyclades/compute/v2.0")
    );
    assert_eq!(
        catalog_url(&body, "network"),
        format!("{base}/cyclades/network")
    );
    assert_eq!(
        catalog_url(&body, "image"),
        format!("{base}/cyclades/image")
    );
    assert_eq!(
        catalog_url(&body, "volume"),
        format!("{base}/cyclades/volume")
    );
    assert_eq!(
        catalog_url(&body, "object-store"),
        format!("{base}/pithos/object-store/v1")
    );
    let weblogin = &body["access"]["serviceCatalog"][2];
    assert_eq!(weblogin["endpoints_links"], json!([]));
    let endpoint = &weblogin["endpoints"][0];
    assert_eq!(endpoint["versionId"], "");
    assert_eq!(endpoint["region"], "default");
    assert_eq!(endpoint["SNF:uiURL"], format!("{base}/astakos/ui"));
    assert_eq!(
        endpoint["SNF:webloginURL"],
        format!("{base}/astakos/weblogin")
    );
    let image = &body["access"]["serviceCatalog"][5]["endpoints"][0];
    assert_eq!(image["versionId"], "v1.0");
    assert_eq!(image["SNF:uiURL"], format!("{base}/cyclades/ui"));
}

#[tokio::test]
async fn token_authentication_succeeds() {
    let sim = Sim::start().await.unwrap();
    let reply = post_tokens(
        &sim,
        json!({"auth": {"token": {"id": ALICE_TOKEN}, "tenantName": ALICE_UUID}}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    let access = &body["access"];
    assert_eq!(access["token"]["id"], ALICE_TOKEN);
    assert_eq!(
        access["token"]["tenant"],
        json!({"id": ALICE_UUID, "name": "Alice Example"})
    );
    assert_eq!(
        access["user"],
        json!({"id": ALICE_UUID, "name": "Alice Example", "roles": [], "roles_links": [], "projects": [ALICE_UUID]})
    );
    assert_eq!(access["serviceCatalog"].as_array().unwrap().len(), 8);
    let expires = access["token"]["expires"].as_str().unwrap();
    assert!(expires.ends_with("+00:00"), "{expires}");
    let parsed =
        time::OffsetDateTime::parse(expires, &time::format_description::well_known::Rfc3339)
            .unwrap();
    let ahead = parsed - time::OffsetDateTime::now_utc();
    assert!(
        ahead > time::Duration::days(29) && ahead <= time::Duration::days(30),
        "{ahead}"
    );
}

#[tokio::test]
async fn password_credentials_and_tenant_name_rules() {
    let sim = Sim::start().await.unwrap();
    let credentials = |tenant: Value| json!({"auth": {"passwordCredentials": {"username": BOB_UUID, "password": BOB_TOKEN}, "tenantName": tenant}});
    let reply = post_tokens(&sim, credentials(json!(BOB_UUID))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["access"]["user"]["id"], BOB_UUID);
    assert_eq!(reply.json()["access"]["user"]["name"], "Bob Example");
    // Empty (or absent) tenantName is fine.
    assert_eq!(
        post_tokens(&sim, credentials(json!(""))).await.status,
        StatusCode::OK
    );
    assert_eq!(
        post_tokens(&sim, json!({"auth": {"token": {"id": BOB_TOKEN}}}))
            .await
            .status,
        StatusCode::OK
    );
    post_tokens(&sim, credentials(json!(ALICE_UUID)))
        .await
        .assert_fault(400, "badRequest", "Not conforming tenantName");
    post_tokens(
        &sim,
        json!({"auth": {"token": {"id": BOB_TOKEN}, "tenantName": "someone-else"}}),
    )
    .await
    .assert_fault(400, "badRequest", "Not conforming tenantName");
}

#[tokio::test]
async fn token_error_branches() {
    let sim = Sim::start_with(with_inactive_user()).await.unwrap();
    // Wrong content type.
    send(
        &sim,
        Method::POST,
        TOKENS,
        &[("content-type", "application/xml")],
        "<auth/>",
    )
    .await
    .assert_fault(
        400,
        "badRequest",
        "Unsupported Content-type: 'application/xml'",
    );
    // No content type at all.
    send(&sim, Method::POST, TOKENS, &[], "{}")
        .await
        .assert_fault(400, "badRequest", "Missing Content-Type header field");
    // Invalid JSON.
    send(
        &sim,
        Method::POST,
        TOKENS,
        &[("content-type", JSON)],
        "not json",
    )
    .await
    .assert_fault(400, "badRequest", "Could not decode request body as JSON");
    // Missing credentials in several shapes.
    for body in [
        json!({}),
        json!({"auth": {}}),
        json!({"auth": {"auth_token": {"id": ALICE_TOKEN}}}),
        json!({"auth": {"passwordCredentials": {"username": ALICE_UUID}}}),
        json!({"auth": {"passwordCredentials": {"password": ALICE_TOKEN}}}),
        json!({"auth": {"token": {}}}),
    ] {
        post_tokens(&sim, body).await.assert_fault(
            400,
            "badRequest",
            "Malformed request: missing credentials",
        );
    }
    post_tokens(&sim, json!({"auth": {"token": {"id": null}}}))
        .await
        .assert_fault(400, "badRequest", "Malformed request: missing token");
    // Unknown token, in both forms.
    post_tokens(&sim, json!({"auth": {"token": {"id": "nope"}}}))
        .await
        .assert_fault(401, "unauthorized", "Invalid token");
    post_tokens(
        &sim,
        json!({"auth": {"passwordCredentials": {"username": ALICE_UUID, "password": ""}}}),
    )
    .await
    .assert_fault(401, "unauthorized", "Invalid token");
    // Username is not the token's owner.
    post_tokens(
        &sim,
        json!({"auth": {"passwordCredentials": {"username": ALICE_UUID, "password": BOB_TOKEN}, "tenantName": BOB_UUID}}),
    )
    .await
    .assert_fault(401, "unauthorized", "Invalid credentials");
    // Inactive user.
    post_tokens(
        &sim,
        json!({"auth": {"token": {"id": "carol-token-0123456789abcdefghijklmnopqrstu"}}}),
    )
    .await
    .assert_fault(401, "unauthorized", "User inactive");
    // A body the server cannot index at all: its views raise → 500.
    post_tokens(&sim, json!(["auth"])).await.assert_fault(
        500,
        "internalServerError",
        "Unexpected error",
    );
}

#[tokio::test]
async fn tokens_only_allows_post() {
    let sim = Sim::start().await.unwrap();
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let reply = send(&sim, method, TOKENS, &[], Bytes::new()).await;
        assert_eq!(reply.header("allow"), Some("POST"));
        reply.assert_fault(405, "notAllowed", "Method not allowed");
    }
    let reply = send(&sim, Method::HEAD, TOKENS, &[], Bytes::new()).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("allow"), Some("POST"));
    assert!(reply.body.is_empty());
    // The trailing-slash form is the same endpoint.
    let reply = send(&sim, Method::POST, &format!("{TOKENS}/"), &[], Bytes::new()).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn validate_token() {
    let sim = Sim::start().await.unwrap();
    let reply = get(&sim, &format!("{TOKENS}/{BOB_TOKEN}?belongsTo=/whatever")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    let access = body["access"].as_object().unwrap();
    assert!(!access.contains_key("serviceCatalog"));
    assert_eq!(
        body["access"]["user"],
        json!({"id": BOB_UUID, "name": "Bob Example", "roles": [], "roles_links": []})
    );
    assert_eq!(body["access"]["token"]["id"], BOB_TOKEN);
    assert_eq!(body["access"]["token"]["tenant"]["id"], BOB_UUID);
    assert_eq!(
        get(&sim, &format!("{TOKENS}/{BOB_TOKEN}/")).await.status,
        StatusCode::OK
    );
    get(&sim, &format!("{TOKENS}/unknown")).await.assert_fault(
        404,
        "itemNotFound",
        "No such token",
    );
    let reply = send(
        &sim,
        Method::POST,
        &format!("{TOKENS}/{BOB_TOKEN}"),
        &[],
        Bytes::new(),
    )
    .await;
    assert_eq!(reply.header("allow"), Some("GET"));
    reply.assert_fault(405, "notAllowed", "Method not allowed");
}

#[tokio::test]
async fn version_documents() {
    let sim = Sim::start().await.unwrap();
    let base = sim.base_url();
    for path in ["/astakos/identity", "/astakos/identity/"] {
        let reply = get(&sim, path).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.json(),
            json!({"versions": {"values": [{
                "id": "v2.0", "status": "CURRENT", "updated": "2014-04-17T00:00:00Z",
                "links": [{"rel": "self", "href": format!("{base}/astakos/identity/v2.0/")}],
            }]}})
        );
    }
    for path in ["/astakos/identity/v2.0", "/astakos/identity/v2.0/"] {
        let body = get(&sim, path).await.json();
        assert_eq!(body["version"]["id"], "v2.0");
        assert_eq!(body["version"]["status"], "CURRENT");
        assert_eq!(
            body["version"]["links"][0]["href"],
            format!("{base}/astakos/identity/v2.0/")
        );
        assert_eq!(body["version"]["links"][1]["rel"], "describedby");
    }
    let reply = send(&sim, Method::POST, "/astakos/identity", &[], Bytes::new()).await;
    assert_eq!(reply.header("allow"), Some("GET"));
    reply.assert_fault(405, "notAllowed", "Method not allowed");

    let compute = get(&sim, "/cyclades/compute").await.json();
    assert_eq!(compute["versions"][0]["id"], "v2.0");
    assert_eq!(
        compute["versions"][0]["links"][0]["href"],
        format!("{base}/cyclades/compute/v2.0/")
    );
    let network = get(&sim, "/cyclades/network/").await.json();
    assert_eq!(
        network["versions"][0]["links"][0]["href"],
        format!("{base}/cyclades/network/v2.0/")
    );
    let image = get(&sim, "/cyclades/image").await.json();
    let ids: Vec<&str> = image["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["v1.0", "v1"]);
    let volume = get(&sim, "/cyclades/volume").await.json();
    assert_eq!(volume["versions"][0]["id"], "v2.0");
    assert_eq!(volume["versions"][1]["id"], "v2");
}

#[tokio::test]
async fn unknown_urls_are_bad_requests() {
    let sim = Sim::start().await.unwrap();
    for path in [
        "/",
        "/nothing/here",
        "/astakos",
        "/astakos/identity/v3",
        "/astakos/identity/v2.0/users",
        "/astakos/account/v1.0/nothing",
        "/astakos/accountx",
        "/cyclades/compute/v2.0/limits",
        "/cyclades/network/v2.0/routers",
        "/cyclades/image/v1.0/snapshots",
        "/cyclades/volume/v2.0/backups",
        "/pithos/object-store/v2",
        "/pithos/object-storex",
        "/pithos/nothing",
    ] {
        get(&sim, path)
            .await
            .assert_fault(400, "badRequest", "API endpoint not found");
    }
    let reply = send(&sim, Method::HEAD, "/nothing", &[], Bytes::new()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.is_empty());
    assert_ne!(reply.header("content-length"), Some("0"));
}

#[tokio::test]
async fn astakos_is_proxied_under_components() {
    let sim = Sim::start().await.unwrap();
    let reply = send(
        &sim,
        Method::POST,
        "/cyclades/_astakos/identity/v2.0/tokens",
        &[],
        Bytes::new(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = send(
        &sim,
        Method::POST,
        "/pithos/_astakos/account/v1.0/user_catalogs",
        &[("x-auth-token", ALICE_TOKEN)],
        r#"{"uuids": []}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

const CATALOGS: &str = "/astakos/account/v1.0/user_catalogs";

#[tokio::test]
async fn user_catalogs() {
    let sim = Sim::start_with(with_inactive_user()).await.unwrap();
    let auth = [("x-auth-token", ALICE_TOKEN)];
    let body = json!({"uuids": [BOB_UUID, "unknown-uuid"], "displaynames": ["Alice@Example.org", "nobody@example.org"]});
    let reply = send(&sim, Method::POST, CATALOGS, &auth, body.to_string()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json(),
        json!({
            "uuid_catalog": {BOB_UUID: "bob@example.org"},
            "displayname_catalog": {"Alice@Example.org": ALICE_UUID},
        })
    );
    // Either list may be omitted; null uuids means none.
    let reply = send(&sim, Method::POST, CATALOGS, &auth, r#"{"uuids": null}"#).await;
    assert_eq!(
        reply.json(),
        json!({"uuid_catalog": {}, "displayname_catalog": {}})
    );
    // The token may also come as a query parameter.
    let reply = send(
        &sim,
        Method::POST,
        &format!("{CATALOGS}?X-Auth-Token={BOB_TOKEN}"),
        &[],
        r#"{"uuids": []}"#,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);

    send(&sim, Method::POST, CATALOGS, &[], "{}")
        .await
        .assert_fault(
            401,
            "unauthorized",
            "Access denied. No authentication token",
        );
    send(
        &sim,
        Method::POST,
        CATALOGS,
        &[("x-auth-token", "bogus")],
        "{}",
    )
    .await
    .assert_fault(401, "unauthorized", "Invalid X-Auth-Token");
    send(
        &sim,
        Method::POST,
        CATALOGS,
        &[(
            "x-auth-token",
            "carol-token-0123456789abcdefghijklmnopqrstu",
        )],
        "{}",
    )
    .await
    .assert_fault(401, "unauthorized", "User inactive");
    send(&sim, Method::POST, CATALOGS, &auth, "nope")
        .await
        .assert_fault(400, "badRequest", "Request body should be json formatted.");
    send(&sim, Method::POST, CATALOGS, &auth, "[]")
        .await
        .assert_fault(
            400,
            "badRequest",
            "Request body should be a json formatted dictionary",
        );
    send(
        &sim,
        Method::POST,
        CATALOGS,
        &auth,
        r#"{"displaynames": "alice"}"#,
    )
    .await
    .assert_fault(400, "badRequest", "Invalid displaynames: alice");
    send(
        &sim,
        Method::POST,
        CATALOGS,
        &auth,
        r#"{"displaynames": ["alice", 3]}"#,
    )
    .await
    .assert_fault(400, "badRequest", "Items in 'displaynames' must be strings");
    let reply = send(&sim, Method::GET, CATALOGS, &auth, Bytes::new()).await;
    assert_eq!(reply.header("allow"), Some("POST"));
    reply.assert_fault(405, "notAllowed", "Method not allowed");
}

const FEEDBACK: &str = "/astakos/account/v1.0/feedback";
const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn feedback() {
    let sim = Sim::start().await.unwrap();
    let reply = send(
        &sim,
        Method::POST,
        FEEDBACK,
        &[("x-auth-token", ALICE_TOKEN), ("content-type", FORM)],
        "feedback_msg=Hello%20there&feedback_data=%7B%7D",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("content-length"), Some("0"));
    for (content_type, body) in [
        (FORM, "feedback_data=x"),
        (FORM, "feedback_msg="),
        // Not a form: Django sees no fields at all.
        ("application/octet-stream", "feedback_msg=hello"),
    ] {
        send(
            &sim,
            Method::POST,
            FEEDBACK,
            &[
                ("x-auth-token", ALICE_TOKEN),
                ("content-type", content_type),
            ],
            body,
        )
        .await
        .assert_fault(400, "badRequest", "Invalid data");
    }
    send(
        &sim,
        Method::POST,
        FEEDBACK,
        &[("content-type", FORM)],
        "feedback_msg=hi",
    )
    .await
    .assert_fault(
        401,
        "unauthorized",
        "Access denied. No authentication token",
    );
}

#[tokio::test]
async fn fault_status_with_retry_after() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(
        FaultRule::new(FaultAction::Status {
            status: 503,
            retry_after: Some("2".into()),
        })
        .path_prefix("/astakos/identity")
        .method("POST"),
    );
    let reply = post_tokens(&sim, json!({"auth": {"token": {"id": ALICE_TOKEN}}})).await;
    assert_eq!(reply.header("retry-after"), Some("2"));
    assert_eq!(reply.header("vary"), Some("X-Auth-Token"));
    reply.assert_fault(503, "serviceUnavailable", "Service Unavailable");
    // Other methods and paths are not affected.
    assert_eq!(get(&sim, "/astakos/identity").await.status, StatusCode::OK);
    let requests = sim.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].fault.as_deref(), Some("status 503"));
    assert_eq!(requests[1].fault, None);
    sim.faults().clear();
    assert_eq!(
        post_tokens(&sim, json!({"auth": {"token": {"id": ALICE_TOKEN}}}))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn fault_drop_before_response() {
    let sim = Sim::start().await.unwrap();
    sim.faults()
        .push(FaultRule::new(FaultAction::DropBeforeResponse).times(1));
    let result = client()
        .request(request(
            &sim,
            Method::GET,
            "/astakos/identity",
            &[],
            Bytes::new(),
        ))
        .await;
    assert!(result.is_err(), "{result:?}");
    // Only once.
    assert_eq!(get(&sim, "/astakos/identity").await.status, StatusCode::OK);
    let requests = sim.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].fault.as_deref(), Some("drop before response"));
}

#[tokio::test]
async fn fault_drop_mid_body() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(FaultRule::drop_rate(1.0).times(1));
    let response = client()
        .request(request(&sim, Method::POST, TOKENS, &[], Bytes::new()))
        .await
        .expect("status and headers arrive");
    assert_eq!(response.status(), StatusCode::OK);
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(announced > 1000);
    let body = response.into_body().collect().await;
    assert!(body.is_err(), "the body must be cut");
    // The next response is whole and as long as announced before.
    let reply = send(&sim, Method::POST, TOKENS, &[], Bytes::new()).await;
    assert_eq!(reply.body.len(), announced);
    assert_eq!(sim.requests()[0].fault.as_deref(), Some("drop mid body"));
}

#[tokio::test]
async fn fault_delay() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(
        FaultRule::new(FaultAction::Delay(Duration::from_millis(150)))
            .path_prefix("/cyclades")
            .times(1),
    );
    let started = Instant::now();
    let reply = get(&sim, "/cyclades/compute").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    get(&sim, "/cyclades/compute").await;
    assert!(started.elapsed() < Duration::from_millis(150));
    assert_eq!(sim.requests()[0].fault.as_deref(), Some("delay 150ms"));
}

#[tokio::test]
async fn fault_times_and_probability() {
    let sim = Sim::start().await.unwrap();
    sim.faults().push(FaultRule::error_rate(503, 0.0));
    sim.faults().push(FaultRule::error_rate(500, 1.0).times(2));
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(get(&sim, "/astakos/identity").await.status.as_u16());
    }
    assert_eq!(statuses, [500, 500, 200, 200]);
    sim.faults().clear();
    sim.faults().push(FaultRule::drop_rate(0.0));
    for _ in 0..10 {
        assert_eq!(get(&sim, "/astakos/identity").await.status, StatusCode::OK);
    }
    assert!(sim.requests()[2..].iter().all(|r| r.fault.is_none()));
}

#[tokio::test]
async fn seeded_fault_dice_are_deterministic() {
    async fn run(seed: u64) -> Vec<u16> {
        let sim = Sim::start_with(SimConfig {
            seed: Some(seed),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        sim.faults().push(FaultRule::error_rate(503, 0.5));
        let mut statuses = Vec::new();
        for _ in 0..16 {
            statuses.push(get(&sim, "/astakos/identity").await.status.as_u16());
        }
        statuses
    }
    let first = run(42).await;
    assert_eq!(first, run(42).await);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
}

#[tokio::test]
async fn requests_are_recorded_raw_and_decoded() {
    let sim = Sim::start().await.unwrap();
    let target = "/astakos/identity/v2.0/a%2Fb%20c?update&x=a%20b&X-Auth-Token=secret";
    let reply = send(
        &sim,
        Method::PUT,
        target,
        &[("x-auth-token", ALICE_TOKEN), ("x-custom", "yes")],
        "12345",
    )
    .await;
    reply.assert_fault(400, "badRequest", "API endpoint not found");
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    let recorded = &requests[0];
    assert_eq!(recorded.method, "PUT");
    assert_eq!(recorded.target, target);
    assert_eq!(recorded.path, "/astakos/identity/v2.0/a/b c");
    assert_eq!(
        recorded.query,
        vec![
            ("update".to_owned(), None),
            ("x".to_owned(), Some("a b".to_owned())),
            ("X-Auth-Token".to_owned(), Some("secret".to_owned())),
        ]
    );
    assert_eq!(recorded.header("X-Auth-Token"), Some("***"));
    assert_eq!(recorded.header("x-custom"), Some("yes"));
    assert!(
        recorded
            .headers
            .iter()
            .all(|(_, v)| !v.contains(ALICE_TOKEN))
    );
    assert_eq!(recorded.body_len, 5);
    assert_eq!(recorded.fault, None);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn users_file_loading() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("users.json");
    std::fs::write(
        &good,
        r#"[{"uuid": "u-1", "name": "dave@example.org", "token": "dave-token"}]"#,
    )
    .unwrap();
    let users = load_users(&good).unwrap();
    assert_eq!(users[0].name, "dave@example.org");
    assert!(users[0].active);
    assert_eq!(users[0].realname, None);
    let sim = Sim::start_with(SimConfig {
        users,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let reply = post_tokens(&sim, json!({"auth": {"token": {"id": "dave-token"}}})).await;
    // Without a real name Astakos shows the display name.
    assert_eq!(reply.json()["access"]["user"]["name"], "dave@example.org");

    let cases = [
        ("missing.json", None, "cannot read"),
        ("syntax.json", Some("[{"), "invalid JSON"),
        ("object.json", Some("{}"), "expected a JSON array"),
        (
            "field.json",
            Some(r#"[{"uuid": "u", "name": "n"}]"#),
            "user #1: missing field `token`",
        ),
        (
            "dup.json",
            Some(
                r#"[{"uuid": "u", "name": "n", "token": "t"}, {"uuid": "v", "name": "m", "token": "t"}]"#,
            ),
            "user #2 (m): duplicate token",
        ),
        ("empty.json", Some("[]"), "no users configured"),
    ];
    for (file, content, expected) in cases {
        let path = dir.path().join(file);
        if let Some(content) = content {
            std::fs::write(&path, content).unwrap();
        }
        let message = load_users(&path).unwrap_err().to_string();
        assert!(message.contains(file), "{message}");
        assert!(message.contains(expected), "{message}");
    }
    // The default users round-trip through the file format.
    let text = serde_json::to_string(&default_users()).unwrap();
    std::fs::write(&good, text).unwrap();
    assert_eq!(load_users(&good).unwrap(), default_users());
}

/// Sends a raw HTTP/1.1 request and reads everything until the server
/// closes the connection (a reset after data counts as the end).
async fn raw_exchange(sim: &SimHandle, request: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(sim.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write request");
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the server kept the connection open"),
        }
    }
    received
}

#[tokio::test]
async fn raw_wire_view_of_dropped_connections() {
    let sim = Sim::start().await.unwrap();
    let public_catalog =
        "POST /astakos/identity/v2.0/tokens HTTP/1.1\r\nHost: sim\r\nContent-Length: 0\r\n\r\n";

    sim.faults()
        .push(FaultRule::new(FaultAction::DropBeforeResponse).times(1));
    assert!(raw_exchange(&sim, public_catalog).await.is_empty());

    sim.faults().push(FaultRule::drop_rate(1.0).times(1));
    let received = raw_exchange(&sim, public_catalog).await;
    let split = received
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers arrive");
    let head = String::from_utf8_lossy(&received[..split]).to_lowercase();
    assert!(head.starts_with("http/1.1 200 ok"), "{head}");
    let announced: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .expect("content-length")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(received.len() - (split + 4), announced / 2);
}

#[tokio::test]
async fn stop_lets_requests_in_progress_finish_and_drop_closes() {
    let sim = Sim::start().await.unwrap();
    sim.faults()
        .push(FaultRule::new(FaultAction::Delay(Duration::from_millis(
            200,
        ))));
    let pending = client().request(request(
        &sim,
        Method::GET,
        "/astakos/identity",
        &[],
        Bytes::new(),
    ));
    let in_flight = tokio::spawn(pending);
    // Wait until the server has the request.
    while sim.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let addr = sim.local_addr();
    sim.stop().await;
    let response = in_flight.await.unwrap().expect("answered before stopping");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let sim = Sim::start().await.unwrap();
    let addr = sim.local_addr();
    drop(sim);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
