//! The compute API over real HTTP against synnefo-sim: one test per group
//! of methods (servers, metadata and addresses, actions, flavors, images,
//! key pairs, floating IPs).
//!
//! synnefo-sim does not emulate compute yet; every test here is ignored
//! until it does (`cargo test -- --ignored` runs them). They follow the
//! wire reference (§3): servers are created in `BUILD` and become `ACTIVE`
//! later, Synnefo answers `501` for the OpenStack actions it lacks.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::time::{Duration, Instant};
use synnefo_astakos::Cloud;
use synnefo_compute::{
    ComputeClient, CreateServer, ListFlavors, ListImages, ListServers, Metadata, Personality,
    RebootType, Rebuild, ServerDetails, ServerStatus, UpdateServer,
};
use synnefo_core::http::StatusCode;
use synnefo_core::{ClientConfig, Error, HttpClient, Token};
use synnefo_sim::{Sim, SimHandle};

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

/// A sim and the first user's compute client, from the catalog.
async fn setup() -> (SimHandle, ComputeClient) {
    let (sim, compute, _) = setup_with_user().await;
    (sim, compute)
}

/// As [`setup`], with the user's UUID.
async fn setup_with_user() -> (SimHandle, ComputeClient, String) {
    let sim = Sim::start().await.unwrap();
    let cloud = Cloud::connect(http(), &sim.identity_url(), Token::new(sim.token()))
        .await
        .unwrap();
    let compute: ComputeClient = cloud.client().unwrap();
    assert!(compute.endpoint().base_url().ends_with("/compute/v2.0"));
    (sim, compute, cloud.user().id.clone())
}

/// The first flavor that allows creating servers, and the first image.
async fn flavor_and_image(compute: &ComputeClient) -> (u64, String) {
    let flavors = compute
        .list_flavors_detail(&ListFlavors::default())
        .await
        .unwrap();
    let flavor = flavors
        .iter()
        .find(|f| f.allow_create != Some(false))
        .expect("a flavor that allows create");
    let images = compute.list_images(&ListImages::default()).await.unwrap();
    (flavor.id, images.first().expect("an image").id.clone())
}

/// Creates a server with no NICs and returns it as created.
async fn create(compute: &ComputeClient, name: &str) -> ServerDetails {
    let (flavor, image) = flavor_and_image(compute).await;
    let mut create = CreateServer::new(name, flavor, image);
    create.networks = Some(vec![]);
    compute.create_server(&create).await.unwrap()
}

/// Polls until the server has `status` (30 s at most).
async fn until(compute: &ComputeClient, id: u64, status: ServerStatus) -> ServerDetails {
    let started = Instant::now();
    loop {
        let server = compute.get_server_details(id).await.unwrap();
        if server.status == status {
            return server;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server {id} stuck in {}",
            server.status
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn status_of(error: &Error) -> StatusCode {
    error
        .status()
        .unwrap_or_else(|| panic!("not an HTTP error: {error}"))
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn server_lifecycle() {
    let (_sim, compute) = setup().await;
    let (flavor, image) = flavor_and_image(&compute).await;
    let mut create = CreateServer::new("vm one", flavor, image.clone());
    create.networks = Some(vec![]);
    create.metadata.insert("purpose".into(), "test".into());
    create
        .personality
        .push(Personality::new("/etc/motd", "hello\n").mode(0o644));
    let created = compute.create_server(&create).await.unwrap();
    assert_eq!(created.status, ServerStatus::Build);
    assert!(created.admin_pass.as_deref().is_some_and(|p| p.len() >= 10));
    assert_eq!(created.flavor.as_ref().unwrap().id, flavor);

    let listed = compute.list_servers(&ListServers::default()).await.unwrap();
    assert!(
        listed
            .iter()
            .any(|s| s.id == created.id && s.name == "vm one")
    );
    let detailed = compute
        .list_servers_detail(&ListServers::default())
        .await
        .unwrap();
    let mine = detailed.iter().find(|s| s.id == created.id).unwrap();
    assert_eq!(mine.image.as_ref().unwrap().id, image);
    assert_eq!(mine.metadata["purpose"], "test");

    let active = until(&compute, created.id, ServerStatus::Active).await;
    assert_eq!(active.progress, Some(100));

    compute
        .update_server_name(created.id, "vm renamed")
        .await
        .unwrap();
    assert_eq!(
        compute.get_server_details(created.id).await.unwrap().name,
        "vm renamed"
    );

    compute.delete_server(created.id).await.unwrap();
    let gone = until(&compute, created.id, ServerStatus::Deleted).await;
    assert_eq!(gone.id, created.id);
    let remaining = compute.list_servers(&ListServers::default()).await.unwrap();
    assert!(remaining.iter().all(|s| s.id != created.id));
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn changes_since_lists_deleted_servers() {
    let (_sim, compute) = setup().await;
    let server = create(&compute, "short-lived").await;
    compute.delete_server(server.id).await.unwrap();
    let since = ListServers {
        changes_since: Some("2000-01-01T00:00:00+00:00".into()),
        ..ListServers::default()
    };
    // Older than an hour: refused.
    let error = compute.list_servers_detail(&since).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn server_metadata_and_addresses() {
    let (_sim, compute) = setup().await;
    let server = create(&compute, "meta").await;
    let id = server.id;
    until(&compute, id, ServerStatus::Active).await;

    let set = compute
        .create_server_metadata(id, "k1", "v1")
        .await
        .unwrap();
    assert_eq!(set["k1"], "v1");
    assert_eq!(
        compute.get_server_metadata_item(id, "k1").await.unwrap(),
        "v1"
    );
    let mut more = Metadata::new();
    more.insert("k2".into(), "v2".into());
    let all = compute.update_server_metadata(id, &more).await.unwrap();
    assert_eq!((all["k1"].as_str(), all["k2"].as_str()), ("v1", "v2"));
    assert_eq!(compute.get_server_metadata(id).await.unwrap(), all);
    compute.delete_server_metadata(id, "k1").await.unwrap();
    let error = compute
        .get_server_metadata_item(id, "k1")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_server_metadata(id, "k1").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    // Replacing all metadata is OpenStack's; Synnefo answers 405.
    let error = compute
        .replace_server_metadata(id, &more)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::METHOD_NOT_ALLOWED);

    let update = UpdateServer {
        name: Some("meta renamed".into()),
        ..UpdateServer::default()
    };
    compute.update_server(id, &update).await.unwrap();
    assert_eq!(
        compute.get_server_details(id).await.unwrap().name,
        "meta renamed"
    );

    let nics = compute.get_server_nics(id).await.unwrap();
    assert!(nics.attachments.is_empty(), "created with no NICs");
    assert!(nics.addresses.is_empty());
    let error = compute
        .get_server_network_nics(id, "999999")
        .await
        .unwrap_err();
    assert!(error.status().is_some(), "{error}");
    // Nothing changed since the server's last update: 304, or the same NICs.
    let since = compute
        .get_server_details(id)
        .await
        .unwrap()
        .updated
        .expect("an update time");
    if let Some(again) = compute.get_server_nics_since(id, &since).await.unwrap() {
        assert_eq!(again, nics);
    }
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn actions() {
    let (_sim, compute) = setup().await;
    let server = create(&compute, "acts").await;
    let id = server.id;
    // Actions on a building server: 409 buildInProgress.
    let error = compute
        .reboot_server(id, RebootType::Soft)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);
    until(&compute, id, ServerStatus::Active).await;

    compute.reboot_server(id, RebootType::Hard).await.unwrap();
    until(&compute, id, ServerStatus::Active).await;
    // os-start on a running server: 400.
    let error = compute.start_server(id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    compute.shutdown_server(id).await.unwrap();
    until(&compute, id, ServerStatus::Stopped).await;

    // Resize to the same flavor: 400.
    let flavor = server.flavor.as_ref().unwrap().id;
    let error = compute.resize_server(id, flavor).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    // Rescue is off by default: 404 featureNotEnabled.
    let error = compute.rescue_server(id, None).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.unrescue_server(id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    // OpenStack actions Synnefo lacks: 501.
    for error in [
        compute
            .rebuild_server(id, &Rebuild::default())
            .await
            .unwrap_err(),
        compute.confirm_resize_server(id).await.unwrap_err(),
        compute.revert_resize_server(id).await.unwrap_err(),
        compute
            .change_admin_password(id, "Passw0rdXyz")
            .await
            .unwrap_err(),
    ] {
        assert_eq!(status_of(&error), StatusCode::NOT_IMPLEMENTED, "{error}");
    }

    // Actions Synnefo refuses: suspend (403), createImage (400, unknown).
    let error = compute
        .server_action(id, &serde_json::json!({"suspend": {}}))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::FORBIDDEN);
    let error = compute
        .create_server_image(id, "snap", &Metadata::new())
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    compute.start_server(id).await.unwrap();
    until(&compute, id, ServerStatus::Active).await;
    let console = compute.get_vnc_console(id, "novnc").await.unwrap();
    assert!(console.url.is_some());
    compute.delete_server(id).await.unwrap();
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn flavors_and_limits() {
    let (_sim, compute) = setup().await;
    let short = compute.list_flavors(&ListFlavors::default()).await.unwrap();
    assert!(!short.is_empty());
    assert!(short.iter().all(|f| f.ram.is_none()));
    let detail = compute
        .list_flavors_detail(&ListFlavors::default())
        .await
        .unwrap();
    assert_eq!(detail.len(), short.len());
    let first = &detail[0];
    assert!(first.ram.is_some() && first.disk.is_some() && first.vcpus.is_some());
    let one = compute.get_flavor_details(first.id).await.unwrap();
    assert_eq!(one.name, first.name);
    let error = compute.get_flavor_details(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    // Synnefo has no /limits: 400 "API endpoint not found".
    let error = compute.get_limits().await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn images_through_compute() {
    let (_sim, compute, user) = setup_with_user().await;
    let images = compute.list_images(&ListImages::default()).await.unwrap();
    assert!(!images.is_empty());
    let detail = compute
        .list_images_detail(&ListImages::default())
        .await
        .unwrap();
    let first = &detail[0];
    assert!(first.status.is_some());
    let one = compute.get_image_details(&first.id).await.unwrap();
    assert_eq!(one.id, first.id);
    assert_eq!(
        compute.get_image_metadata(&first.id).await.unwrap(),
        one.metadata
    );
    if let Some((key, value)) = one.metadata.iter().next() {
        assert_eq!(
            &compute
                .get_image_metadata_item(&first.id, key)
                .await
                .unwrap(),
            value
        );
    }
    let error = compute
        .get_image_details("no-such-image")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");

    // Metadata changes and deletion need an image the user owns.
    // Replacing all metadata is OpenStack's; Synnefo answers 405.
    let error = compute
        .replace_image_metadata(&first.id, &Metadata::new())
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::METHOD_NOT_ALLOWED);

    let Some(own) = detail
        .iter()
        .find(|image| image.user_id.as_deref() == Some(user.as_str()))
    else {
        return;
    };
    let set = compute
        .create_image_metadata(&own.id, "purpose", "tests")
        .await
        .unwrap();
    assert_eq!(set["purpose"], "tests");
    let mut more = Metadata::new();
    more.insert("other".into(), "x".into());
    let all = compute.update_image_metadata(&own.id, &more).await.unwrap();
    assert_eq!(all["purpose"], "tests");
    compute
        .delete_image_metadata(&own.id, "purpose")
        .await
        .unwrap();
    assert!(
        !compute
            .get_image_metadata(&own.id)
            .await
            .unwrap()
            .contains_key("purpose")
    );
    compute.delete_image(&own.id).await.unwrap();
    let error = compute.get_image_details(&own.id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn keypairs() {
    let (_sim, compute) = setup().await;
    let generated = compute.create_keypair("generated").await.unwrap();
    assert!(generated.private_key.is_some());
    assert!(generated.public_key.is_some());
    let public = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 test@example";
    let uploaded = compute.upload_keypair("uploaded", public).await.unwrap();
    assert_eq!(uploaded.public_key.as_deref(), Some(public));
    assert!(uploaded.private_key.is_none());
    let error = compute
        .upload_keypair("uploaded", public)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);

    let names: Vec<String> = compute
        .list_keypairs()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.name)
        .collect();
    assert_eq!(names, vec!["generated", "uploaded"]);
    let one = compute.get_keypair_details("uploaded").await.unwrap();
    assert_eq!(one.fingerprint, uploaded.fingerprint);

    compute.delete_keypair("generated").await.unwrap();
    let error = compute.get_keypair_details("generated").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_keypair("generated").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn floating_ips() {
    let (_sim, compute) = setup().await;
    let ip = compute.create_floating_ip(None).await.unwrap();
    let address = ip.ip.clone().expect("an address");
    let listed = compute.list_floating_ips().await.unwrap();
    assert!(listed.iter().any(|f| f.id == ip.id));
    let one = compute.get_floating_ip(&ip.id).await.unwrap();
    assert_eq!(one.ip.as_deref(), Some(address.as_str()));

    let server = create(&compute, "with ip").await;
    until(&compute, server.id, ServerStatus::Active).await;
    compute.add_floating_ip(server.id, &address).await.unwrap();
    let attached = compute.get_floating_ip(&ip.id).await.unwrap();
    assert_eq!(
        attached.instance_id.as_deref(),
        Some(server.id.to_string().as_str())
    );
    // Attached: cannot be released.
    let error = compute.delete_floating_ip(&ip.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);
    compute
        .remove_floating_ip(server.id, &address)
        .await
        .unwrap();
    let error = compute
        .remove_floating_ip(server.id, &address)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    compute.delete_floating_ip(&ip.id).await.unwrap();
    let error = compute.get_floating_ip(&ip.id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    // Synnefo has no floating IP pools endpoint.
    let error = compute.list_floating_ip_pools().await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}
