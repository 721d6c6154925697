//! Identity and account calls over real HTTP against synnefo-sim, each
//! branch of `POST tokens` included.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use bytes::Bytes;
use http::StatusCode;
use synnefo_astakos::{AccountClient, Cloud, IdentityClient};
use synnefo_core::{Body, ClientConfig, Error, HttpClient, Request, Service, Token};
use synnefo_sim::{Sim, SimConfig, SimHandle, UserSpec};

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

fn identity(sim: &SimHandle, token: &str) -> IdentityClient {
    IdentityClient::new(&http(), &sim.identity_url(), Token::new(token)).unwrap()
}

fn fault_of(error: &Error) -> (StatusCode, String, String) {
    let fault = error
        .fault()
        .unwrap_or_else(|| panic!("no fault in {error}"));
    (
        error.status().unwrap(),
        fault.name.clone(),
        fault.message.clone().unwrap_or_default(),
    )
}

#[tokio::test]
async fn authenticate_returns_user_token_and_catalog() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    let access = identity(&sim, &alice.token)
        .authenticate(None)
        .await
        .unwrap();
    let user = access.user.unwrap();
    assert_eq!(user.id, alice.uuid);
    assert_eq!(user.name.as_deref(), Some(alice.display_realname()));
    assert!(user.projects.contains(&alice.uuid));
    let token = access.token.unwrap();
    assert_eq!(token.id.expose(), alice.token);
    assert_eq!(
        token.tenant.unwrap().id,
        alice.uuid,
        "default project = system project"
    );
    assert!(token.expires.unwrap().ends_with("+00:00"));
    let types: Vec<&str> = access
        .service_catalog
        .iter()
        .map(|s| s.service_type.as_str())
        .collect();
    for wanted in [
        "identity",
        "account",
        "compute",
        "network",
        "image",
        "volume",
        "object-store",
    ] {
        assert!(types.contains(&wanted), "{wanted} missing from {types:?}");
    }
}

#[tokio::test]
async fn authenticate_with_tenant_name() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    let client = identity(&sim, &alice.token);
    assert!(client.authenticate(Some(&alice.uuid)).await.is_ok());
    let error = client.authenticate(Some("someone-else")).await.unwrap_err();
    assert_eq!(
        fault_of(&error),
        (
            StatusCode::BAD_REQUEST,
            "badRequest".into(),
            "Not conforming tenantName".into()
        )
    );
}

#[tokio::test]
async fn wrong_token_is_unauthorized() {
    let sim = Sim::start().await.unwrap();
    let error = identity(&sim, "no-such-token")
        .authenticate(None)
        .await
        .unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(
        fault_of(&error),
        (
            StatusCode::UNAUTHORIZED,
            "unauthorized".into(),
            "Invalid token".into()
        )
    );
    assert!(error.hint().unwrap().contains("token"));
}

#[tokio::test]
async fn inactive_user_is_refused() {
    let mut config = SimConfig::default();
    config.users.push(UserSpec {
        uuid: "c0ffee00-0000-4000-8000-000000000003".into(),
        name: "carol@example.org".into(),
        realname: None,
        token: "carol-token-0000000000000000000000000000000".into(),
        active: false,
    });
    let sim = Sim::start_with(config).await.unwrap();
    let error = identity(&sim, "carol-token-0000000000000000000000000000000")
        .authenticate(None)
        .await
        .unwrap_err();
    assert_eq!(fault_of(&error).2, "User inactive");
}

#[tokio::test]
async fn public_catalog_needs_no_credentials() {
    let sim = Sim::start().await.unwrap();
    let catalog = identity(&sim, "").public_catalog().await.unwrap();
    let compute = catalog.endpoint("compute", None).unwrap();
    assert_eq!(
        compute.public_url,
        format!("{}/cyclades/compute/v2.0", sim.base_url())
    );
    assert_eq!(compute.version_id, "v2.0");
    // Network, image and volume URLs come without a version, as in real
    // deployments.
    assert_eq!(
        catalog.endpoint_url("network", None).unwrap(),
        format!("{}/cyclades/network", sim.base_url())
    );
}

/// The branches a well-behaved client never triggers, sent raw.
#[tokio::test]
async fn malformed_token_requests_get_the_servers_exact_errors() {
    let sim = Sim::start().await.unwrap();
    let endpoint = identity(&sim, sim.token()).endpoint().clone();
    let raw = |content_type: &str, body: &'static str| {
        Request::post()
            .segment("tokens")
            .header("Content-Type", content_type)
            .unwrap()
            .body(Body::Bytes(Bytes::from_static(body.as_bytes())))
    };
    let cases = [
        (
            raw("application/json", "{not json"),
            StatusCode::BAD_REQUEST,
            "Could not decode request body as JSON",
        ),
        (
            raw("application/xml", "<auth/>"),
            StatusCode::BAD_REQUEST,
            "Unsupported Content-type: 'application/xml'",
        ),
        (
            raw("application/json", r#"{"auth": {}}"#),
            StatusCode::BAD_REQUEST,
            "Malformed request: missing credentials",
        ),
        (
            raw(
                "application/json",
                r#"{"auth": {"passwordCredentials": {"username": "a1b2c3d4-0000-4000-8000-000000000002", "password": "alice-token-7ydamZ9KrDxKuV3U5SIBu0hJ6vs7U9U"}}}"#,
            ),
            StatusCode::UNAUTHORIZED,
            "Invalid credentials",
        ),
    ];
    for (request, status, message) in cases {
        let error = endpoint.send(request).await.unwrap_err();
        let (got_status, _, got_message) = fault_of(&error);
        assert_eq!((got_status, got_message.as_str()), (status, message));
    }
    // The password form with the right owner authenticates.
    let alice = sim.user("alice@example.org").unwrap();
    let body = serde_json::json!({"auth": {"passwordCredentials": {"username": alice.uuid, "password": alice.token}}});
    let response = endpoint
        .send(Request::post().segment("tokens").json(&body).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Any other method: 405 with Allow.
    let error = endpoint
        .send(Request::put().segment("tokens"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::METHOD_NOT_ALLOWED));
    let seen = sim.requests();
    assert_eq!(seen.last().unwrap().method, "PUT");
}

#[tokio::test]
async fn validate_token() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    let client = identity(&sim, &alice.token);
    let access = client
        .validate_token(&Token::new(&alice.token), None)
        .await
        .unwrap();
    assert_eq!(access.user.unwrap().id, alice.uuid);
    assert!(access.service_catalog.is_empty());
    let error = client
        .validate_token(&Token::new("unknown-token"), None)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn cloud_hands_out_clients_from_the_catalog() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    // An identity URL without its version gets /v2.0 appended.
    let base = sim.identity_url().trim_end_matches("/v2.0").to_owned();
    let cloud = Cloud::connect(http(), &base, Token::new(&alice.token))
        .await
        .unwrap();
    assert_eq!(cloud.user().id, alice.uuid);
    assert_eq!(
        cloud.endpoint_url("network", None, "2.0").unwrap(),
        format!("{}/cyclades/network/v2.0", sim.base_url())
    );
    let account: AccountClient = cloud.client().unwrap();
    assert_eq!(account.endpoint().base_url(), sim.account_url());
    let error = cloud.endpoint_url("no-such-type", None, "1").unwrap_err();
    assert!(matches!(error, Error::Catalog(_)), "{error}");
}

#[tokio::test]
async fn uuid_and_name_lookups_are_cached() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    let bob = sim.user("bob@example.org").unwrap().clone();
    let cloud = Cloud::connect(http(), &sim.identity_url(), Token::new(&alice.token))
        .await
        .unwrap();
    sim.clear_requests();
    let names = cloud
        .uuids_to_names(&[alice.uuid.as_str(), bob.uuid.as_str(), "unknown-uuid"])
        .await
        .unwrap();
    assert_eq!(names.get(&bob.uuid), Some(&bob.name));
    assert_eq!(names.len(), 2, "unknown UUIDs are absent");
    assert_eq!(sim.requests().len(), 1);
    // Known now, in both directions: no more requests.
    let again = cloud.uuids_to_names(&[bob.uuid.as_str()]).await.unwrap();
    assert_eq!(again.get(&bob.uuid), Some(&bob.name));
    let uuids = cloud.names_to_uuids(&[bob.name.as_str()]).await.unwrap();
    assert_eq!(uuids.get(&bob.name), Some(&bob.uuid));
    assert_eq!(sim.requests().len(), 1);
    // Name lookup is case-insensitive and keyed as asked.
    let upper = bob.name.to_uppercase();
    let uuids = cloud.names_to_uuids(&[upper.as_str()]).await.unwrap();
    assert_eq!(uuids.get(&upper), Some(&bob.uuid));
}

#[tokio::test]
async fn account_user_catalogs_and_feedback() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    let cloud = Cloud::connect(http(), &sim.identity_url(), Token::new(&alice.token))
        .await
        .unwrap();
    let account: AccountClient = cloud.client().unwrap();
    assert_eq!(
        account.username(&alice.uuid).await.unwrap(),
        Some(alice.name.clone())
    );
    assert_eq!(account.uuid("nobody@example.org").await.unwrap(), None);
    account
        .send_feedback("The tour was nice & quick: 100%", Some("ctx=demo"))
        .await
        .unwrap();
    let error = account.send_feedback("", None).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    // A refused token on the account service.
    let stranger =
        AccountClient::from_endpoint(account.endpoint().with_token(Some(Token::new("bad-token"))));
    let error = stranger.username(&alice.uuid).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
}

#[tokio::test]
async fn several_users_are_kept_listed_selected_and_removed() {
    let sim = Sim::start().await.unwrap();
    let alice = sim.user("alice@example.org").unwrap().clone();
    let bob = sim.user("bob@example.org").unwrap().clone();
    let mut users = synnefo_astakos::CloudUsers::new(http(), sim.identity_url());
    assert!(users.current().is_none());
    users.authenticate(Token::new(&bob.token)).await.unwrap();
    users.authenticate(Token::new(&alice.token)).await.unwrap();
    // A refused token is not kept.
    let error = users
        .authenticate(Token::new("not-a-token"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    let mut listed: Vec<&str> = users.list_users().iter().map(|u| u.id.as_str()).collect();
    listed.sort_unstable();
    let mut expected = vec![alice.uuid.as_str(), bob.uuid.as_str()];
    expected.sort_unstable();
    assert_eq!(listed, expected);
    // The first one authenticated is current; each keeps its own token.
    assert_eq!(users.current().unwrap().user().id, bob.uuid);
    assert_eq!(users.token(&alice.uuid).unwrap().expose(), alice.token);
    assert!(users.select(&alice.uuid));
    assert!(!users.select("no-such-uuid"));
    assert_eq!(users.current().unwrap().user().id, alice.uuid);
    // Each session works as that user.
    let names = users
        .user(&bob.uuid)
        .unwrap()
        .uuids_to_names(&[alice.uuid.as_str()])
        .await
        .unwrap();
    assert_eq!(names.get(&alice.uuid), Some(&alice.name));
    // Removing the current user makes the one left current.
    let removed = users.remove_user(&alice.uuid).unwrap();
    assert_eq!(removed.user().id, alice.uuid);
    assert!(users.remove_user(&alice.uuid).is_none());
    assert_eq!(users.current().unwrap().user().id, bob.uuid);
    assert_eq!(users.list_users().len(), 1);
}
