//! Synnefo's compute extensions and the block storage API over real HTTP
//! against synnefo-sim: server creation with image metadata, waits,
//! Synnefo actions, console, firewall, diagnostics, stats, reassignment,
//! flavor filters, volume attachments, volumes, snapshots and volume
//! types.
//!
//! synnefo-sim does not emulate compute or block storage yet; every test
//! here is ignored until it does (`cargo test -- --ignored` runs them).
//! They follow the wire reference (§3, §5).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::time::Duration;
use synnefo_astakos::Cloud;
use synnefo_compute::{
    CreateServer, ListFlavors, ListImages, Metadata, ServerDetails, ServerStatus,
};
use synnefo_core::http::StatusCode;
use synnefo_core::{ClientConfig, Error, HttpClient, Token, WaitOptions};
use synnefo_cyclades::{
    BlockStorageClient, ConsoleType, CreateSnapshot, CreateVolume, CycladesClient, FirewallProfile,
    FlavorFilter, UpdateSnapshot, UpdateVolume,
};
use synnefo_sim::{Sim, SimHandle};

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

/// A sim, the first user's Cyclades and block storage clients from the
/// catalog, and the user's UUID (also their system project).
struct Env {
    _sim: SimHandle,
    cyclades: CycladesClient,
    volumes: BlockStorageClient,
    user: String,
}

async fn setup() -> Env {
    let sim = Sim::start().await.unwrap();
    let cloud = Cloud::connect(http(), &sim.identity_url(), Token::new(sim.token()))
        .await
        .unwrap();
    let cyclades: CycladesClient = cloud.client().unwrap();
    let volumes: BlockStorageClient = cloud.client().unwrap();
    assert!(cyclades.endpoint().base_url().ends_with("/compute/v2.0"));
    assert!(volumes.endpoint().base_url().ends_with("/volume/v2.0"));
    Env {
        _sim: sim,
        cyclades,
        volumes,
        user: cloud.user().id.clone(),
    }
}

fn wait() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(30),
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        on_progress: None,
    }
}

fn status_of(error: &Error) -> StatusCode {
    error
        .status()
        .unwrap_or_else(|| panic!("not an HTTP error: {error}"))
}

/// A flavor that allows creating servers, and an image with `os` metadata
/// when there is one.
async fn flavor_and_image(cyclades: &CycladesClient) -> (u64, String) {
    let flavors = cyclades
        .compute()
        .list_flavors_detail(&ListFlavors::default())
        .await
        .unwrap();
    let flavor = flavors
        .iter()
        .find(|f| f.allow_create != Some(false))
        .expect("a flavor that allows create");
    let images = cyclades
        .list_images_detail(&ListImages::default())
        .await
        .unwrap();
    let image = images
        .iter()
        .find(|i| i.metadata.contains_key("os"))
        .or_else(|| images.first())
        .expect("an image");
    (flavor.id, image.id.clone())
}

/// An active server with no NICs.
async fn active_server(cyclades: &CycladesClient, name: &str) -> ServerDetails {
    let (flavor, image) = flavor_and_image(cyclades).await;
    let mut create = CreateServer::new(name, flavor, image);
    create.networks = Some(vec![]);
    let server = cyclades.create_server(&create).await.unwrap();
    cyclades.wait_server(server.id, &wait()).await.unwrap()
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn create_copies_image_metadata_and_waits() {
    let env = setup().await;
    let c = &env.cyclades;
    let (flavor, image_id) = flavor_and_image(c).await;
    let image = c.get_image_details(&image_id).await.unwrap();
    let mut create = CreateServer::new("from image", flavor, image_id);
    create.networks = Some(vec![]);
    create.metadata.insert("mine".into(), "yes".into());
    let created = c.create_server(&create).await.unwrap();
    assert_eq!(created.status, ServerStatus::Build);
    assert!(created.admin_pass.is_some());
    let (status, _progress) = c.get_server_status(created.id).await.unwrap();
    assert!(matches!(status, ServerStatus::Build | ServerStatus::Active));

    let polls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = polls.clone();
    let options = wait().on_progress(move |p| {
        assert!(p.status.starts_with("BUILD"), "{}", p.status);
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    let active = c
        .wait_server_while(created.id, ServerStatus::Build, &options)
        .await
        .unwrap();
    assert_eq!(active.status, ServerStatus::Active);
    assert_eq!(active.metadata["mine"], "yes");
    for key in ["os", "users"] {
        assert_eq!(
            active.metadata.get(key),
            image.metadata.get(key),
            "{key} copied from the image"
        );
    }
    let again = c
        .wait_server_until(created.id, ServerStatus::Active, &wait())
        .await
        .unwrap();
    assert_eq!(again.id, created.id);
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn waits_time_out_with_an_error() {
    let env = setup().await;
    let c = &env.cyclades;
    let server = active_server(c, "steady").await;
    let options = WaitOptions {
        timeout: Duration::from_millis(300),
        ..wait()
    };
    let error = c
        .wait_server_until(server.id, ServerStatus::Stopped, &options)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(error.to_string().contains("last status: ACTIVE"), "{error}");
    let error = c
        .wait_server_with(server.id, "never", &options, |_| false)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WaitTimeout { .. }), "{error}");
    // An unknown server ends the wait at once.
    let error = c.wait_server(999_999, &wait()).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn synnefo_start_shutdown_and_console() {
    let env = setup().await;
    let c = &env.cyclades;
    let server = active_server(c, "power").await;
    // `start` on a running server: 400.
    let error = c.start_server(server.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let console = c
        .get_server_console(server.id, ConsoleType::Vnc)
        .await
        .unwrap();
    assert_eq!(console.console_type.as_deref(), Some("vnc"));
    assert!(console.host.is_some() && console.port.is_some() && console.password.is_some());

    c.shutdown_server(server.id).await.unwrap();
    c.wait_server_until(server.id, ServerStatus::Stopped, &wait())
        .await
        .unwrap();
    // No console for a stopped server.
    let error = c
        .get_server_console(server.id, ConsoleType::VncWss)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    c.start_server(server.id).await.unwrap();
    c.wait_server_until(server.id, ServerStatus::Active, &wait())
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn firewall_diagnostics_stats_and_reassign() {
    let env = setup().await;
    let c = &env.cyclades;
    let server = active_server(c, "extras").await;
    // The server has no NICs: an unknown NIC is refused.
    let error = c
        .set_firewall_profile(server.id, FirewallProfile::Protected, "999999")
        .await
        .unwrap_err();
    assert!(matches!(status_of(&error).as_u16(), 400 | 404), "{error}");
    let diagnostics = c.get_server_diagnostics(server.id).await.unwrap();
    assert!(diagnostics.len() <= 50);
    let stats = c.get_server_stats(server.id).await.unwrap();
    assert_eq!(stats.server_ref, Some(server.id));
    // The user's system project has the user's UUID.
    c.reassign_server(server.id, &env.user).await.unwrap();
    assert_eq!(
        c.get_server_details(server.id)
            .await
            .unwrap()
            .tenant_id
            .as_deref(),
        Some(env.user.as_str())
    );
    let error = c
        .reassign_server(server.id, "not-a-project")
        .await
        .unwrap_err();
    assert!(status_of(&error).is_client_error(), "{error}");
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn flavor_filters() {
    let env = setup().await;
    let c = &env.cyclades;
    let all = c.list_flavors(&FlavorFilter::default()).await.unwrap();
    assert!(!all.is_empty());
    let detail = c
        .list_flavors_detail(&FlavorFilter {
            project: Some(env.user.clone()),
            is_public: None,
        })
        .await
        .unwrap();
    assert!(detail.iter().all(|f| f.ram.is_some()));
    let public = c
        .list_flavors_detail(&FlavorFilter {
            is_public: Some(true),
            project: None,
        })
        .await
        .unwrap();
    assert!(public.iter().all(|f| f.is_public == Some(true)));
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn volume_attachments() {
    let env = setup().await;
    let c = &env.cyclades;
    let server = active_server(c, "disks").await;
    let initial = c.list_volume_attachments(server.id).await.unwrap();
    assert_eq!(initial.len(), 1, "the root volume");

    let detachable = env
        .volumes
        .list_volume_types()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.detachable == Some(true))
        .expect("a detachable volume type");
    let mut create = CreateVolume::new(1, "extra disk");
    create.volume_type = Some(detachable.id.clone());
    let volume = env.volumes.create_volume(&create).await.unwrap();
    env.volumes.wait_volume(&volume.id, &wait()).await.unwrap();

    let attachment = c.attach_volume(server.id, &volume.id).await.unwrap();
    assert_eq!(attachment.volume_id.as_deref(), Some(volume.id.as_str()));
    env.volumes
        .wait_volume_until(&volume.id, "in_use", &wait())
        .await
        .unwrap();
    let listed = c.list_volume_attachments(server.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    let one = c
        .get_volume_attachment(server.id, &attachment.id)
        .await
        .unwrap();
    assert_eq!(one.server_id, Some(server.id));

    let removed = c.detach_volume(server.id, &volume.id).await.unwrap();
    assert_eq!(removed.len(), 1);
    env.volumes
        .wait_volume_until(&volume.id, "available", &wait())
        .await
        .unwrap();
    assert!(
        c.detach_volume(server.id, &volume.id)
            .await
            .unwrap()
            .is_empty()
    );

    // The root volume cannot be detached.
    let root = &initial[0];
    let error = c
        .delete_volume_attachment(server.id, &root.id)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn volumes() {
    let env = setup().await;
    let v = &env.volumes;
    let server = active_server(&env.cyclades, "volume host").await;

    let mut create = CreateVolume::new(2, "data");
    create.server_id = Some(server.id);
    create.display_description = Some("for tests".into());
    create.metadata.insert("k1".into(), "v1".into());
    let created = v.create_volume(&create).await.unwrap();
    assert_eq!(created.display_name.as_deref(), Some("data"));
    let ready = v.wait_volume(&created.id, &wait()).await.unwrap();
    assert_eq!(ready.size, Some(2));
    assert_eq!(ready.attachments[0].server_id, Some(server.id));

    let listed = v.list_volumes().await.unwrap();
    assert!(listed.iter().any(|vol| vol.id == created.id));
    let detailed = v.list_volumes_detail().await.unwrap();
    assert!(detailed.iter().all(|vol| vol.status.is_some()));
    let one = v.get_volume_details(&created.id).await.unwrap();
    assert_eq!(one.metadata["k1"], "v1");

    let update = UpdateVolume {
        display_name: Some("renamed".into()),
        delete_on_termination: Some(true),
        ..UpdateVolume::default()
    };
    let updated = v.update_volume(&created.id, &update).await.unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("renamed"));
    let unchanged = v
        .update_volume(&created.id, &UpdateVolume::default())
        .await
        .unwrap();
    assert_eq!(unchanged.display_name.as_deref(), Some("renamed"));

    let mut more = Metadata::new();
    more.insert("k2".into(), "v2".into());
    let merged = v.update_volume_metadata(&created.id, &more).await.unwrap();
    assert_eq!(merged.len(), 2);
    let replaced = v.replace_volume_metadata(&created.id, &more).await.unwrap();
    assert_eq!(replaced, more);
    v.delete_volume_metadata(&created.id, "k2").await.unwrap();
    assert!(v.get_volume_metadata(&created.id).await.unwrap().is_empty());
    let error = v
        .delete_volume_metadata(&created.id, "k2")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    v.reassign_volume(&created.id, &env.user).await.unwrap();
    let error = v
        .volume_action(&created.id, &serde_json::json!({"no-such-action": {}}))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert!(v.get_volume_status(&created.id).await.unwrap().is_some());
    v.delete_volume(&created.id).await.unwrap();
    let error = v
        .create_volume(&CreateVolume::new(0, "too small"))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let error = v.get_volume_details("999999").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
#[ignore = "synnefo-sim has no compute service yet"]
async fn snapshots_and_types() {
    let env = setup().await;
    let v = &env.volumes;
    let server = active_server(&env.cyclades, "snapshot source").await;
    let root = env
        .cyclades
        .list_volume_attachments(server.id)
        .await
        .unwrap()
        .remove(0);
    let root_volume = root.volume_id.unwrap_or(root.id);

    let mut create = CreateSnapshot::new(root_volume.clone());
    create.display_name = Some("snap".into());
    create.display_description = Some("before upgrade".into());
    let snapshot = v.create_snapshot(&create).await.unwrap();
    assert_eq!(snapshot.volume_id.as_deref(), Some(root_volume.as_str()));
    let listed = v.list_snapshots().await.unwrap();
    assert!(listed.iter().any(|s| s.id == snapshot.id));
    assert!(!v.list_snapshots_detail().await.unwrap().is_empty());
    let one = v.get_snapshot_details(&snapshot.id).await.unwrap();
    assert_eq!(one.display_name.as_deref(), Some("snap"));

    let update = UpdateSnapshot {
        display_name: Some("renamed".into()),
        ..UpdateSnapshot::default()
    };
    let updated = v.update_snapshot(&snapshot.id, &update).await.unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("renamed"));
    let mut metadata = Metadata::new();
    metadata.insert("k".into(), "v".into());
    let merged = v
        .update_snapshot_metadata(&snapshot.id, &metadata)
        .await
        .unwrap();
    assert_eq!(merged["k"], "v");
    v.replace_snapshot_metadata(&snapshot.id, &metadata)
        .await
        .unwrap();
    v.delete_snapshot_metadata(&snapshot.id, "k").await.unwrap();
    assert!(
        !v.get_snapshot_metadata(&snapshot.id)
            .await
            .unwrap()
            .contains_key("k")
    );
    v.delete_snapshot(&snapshot.id).await.unwrap();

    let types = v.list_volume_types().await.unwrap();
    assert!(!types.is_empty());
    let first = v.get_volume_type_details(&types[0].id).await.unwrap();
    assert_eq!(first.name, types[0].name);
    let error = v.get_volume_type_details("999999").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}
