//! Synnefo's compute extensions and the block storage API over real HTTP
//! against synnefo-sim: server creation with image metadata, waits,
//! Synnefo actions, console, firewall, diagnostics, stats, reassignment,
//! flavor filters, volume attachments, volumes, snapshots, volume types and
//! quotas.
//!
//! They follow the wire reference (§3, §5). The sim's jobs are made short
//! (tens of milliseconds) so that the suite stays fast; every change a job
//! makes is awaited with the clients' own waits.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use synnefo_astakos::Cloud;
use synnefo_compute::{
    CreateServer, ListFlavors, ListImages, ListServers, Metadata, ServerDetails, ServerStatus,
};
use synnefo_core::http::StatusCode;
use synnefo_core::{ClientConfig, Error, HttpClient, Token, WaitOptions};
use synnefo_cyclades::{
    BlockStorageClient, ConsoleType, CreateSnapshot, CreateVolume, CycladesClient, FirewallProfile,
    FlavorFilter, UpdateSnapshot, UpdateVolume,
};
use synnefo_sim::{CycladesQuota, Sim, SimConfig, SimHandle};

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

/// A sim, the first user's Cyclades and block storage clients from the
/// catalog, and the user's UUID (also their system project).
struct Env {
    sim: SimHandle,
    cyclades: CycladesClient,
    volumes: BlockStorageClient,
    user: String,
}

/// The sim's configuration with short jobs: builds take 50 ms, everything
/// else 20 ms.
fn fast() -> SimConfig {
    SimConfig {
        build_delay: Duration::from_millis(50),
        action_delay: Duration::from_millis(20),
        ..SimConfig::default()
    }
}

async fn setup() -> Env {
    setup_with(fast()).await
}

async fn setup_with(config: SimConfig) -> Env {
    let sim = Sim::start_with(config).await.unwrap();
    let cloud = Cloud::connect(http(), &sim.identity_url(), Token::new(sim.token()))
        .await
        .unwrap();
    let cyclades: CycladesClient = cloud.client().unwrap();
    let volumes: BlockStorageClient = cloud.client().unwrap();
    assert!(cyclades.endpoint().base_url().ends_with("/compute/v2.0"));
    assert!(volumes.endpoint().base_url().ends_with("/volume/v2.0"));
    Env {
        sim,
        cyclades,
        volumes,
        user: cloud.user().id.clone(),
    }
}

/// Waits that poll often and give up after 10 s.
fn wait() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(10),
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        on_progress: None,
    }
}

/// Waits that give up after 300 ms, for changes that never come.
fn short_wait() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_millis(300),
        ..wait()
    }
}

fn status_of(error: &Error) -> StatusCode {
    error
        .status()
        .unwrap_or_else(|| panic!("not an HTTP error: {error}"))
}

/// The fault name and message of an HTTP error.
fn fault_of(error: &Error) -> (String, String) {
    let fault = error
        .fault()
        .unwrap_or_else(|| panic!("no cloudFault in {error}"));
    (
        fault.name.clone(),
        fault.message.clone().unwrap_or_default(),
    )
}

/// A flavor that allows creating servers, and an image with `os` and
/// `users` metadata.
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
        .find(|i| i.metadata.contains_key("os") && i.metadata.contains_key("users"))
        .expect("an image with os and users metadata");
    (flavor.id, image.id.clone())
}

/// An active server; with no NICs unless `nics`.
async fn active_server_with(cyclades: &CycladesClient, name: &str, nics: bool) -> ServerDetails {
    let (flavor, image) = flavor_and_image(cyclades).await;
    let mut create = CreateServer::new(name, flavor, image);
    if !nics {
        create.networks = Some(vec![]);
    }
    let server = cyclades.create_server(&create).await.unwrap();
    let server = cyclades.wait_server(server.id, &wait()).await.unwrap();
    assert_eq!(server.status, ServerStatus::Active);
    server
}

/// An active server with no NICs.
async fn active_server(cyclades: &CycladesClient, name: &str) -> ServerDetails {
    active_server_with(cyclades, name, false).await
}

/// Waits until the server has no task pending (a job of an action that
/// does not change the status, such as attaching a volume).
async fn settle(cyclades: &CycladesClient, id: u64) -> ServerDetails {
    cyclades
        .wait_server_with(id, "no pending task", &wait(), |s| {
            s.task_state.as_deref().unwrap_or_default().is_empty()
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn create_copies_image_metadata_and_waits() {
    let env = setup().await;
    let c = &env.cyclades;
    let (flavor, image_id) = flavor_and_image(c).await;
    let image = c.get_image_details(&image_id).await.unwrap();
    let (os, users) = (&image.metadata["os"], &image.metadata["users"]);
    let mut create = CreateServer::new("from image", flavor, image_id.clone());
    create.networks = Some(vec![]);
    create.metadata.insert("mine".into(), "yes".into());
    let created = c.create_server(&create).await.unwrap();
    assert_eq!(created.status, ServerStatus::Build);
    assert!(created.admin_pass.is_some());
    // The metadata is on the server from the start.
    let expected: Metadata = [("mine", "yes"), ("os", os), ("users", users)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(created.metadata, expected);
    let (status, _progress) = c.get_server_status(created.id).await.unwrap();
    assert!(matches!(status, ServerStatus::Build | ServerStatus::Active));

    let polls = Arc::new(AtomicU32::new(0));
    let counter = polls.clone();
    let options = wait().on_progress(move |p| {
        assert!(p.status.starts_with("BUILD"), "{}", p.status);
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let active = c
        .wait_server_while(created.id, ServerStatus::Build, &options)
        .await
        .unwrap();
    assert_eq!(active.status, ServerStatus::Active);
    assert_eq!(active.metadata, expected);
    assert_eq!(
        c.get_server_status(created.id).await.unwrap(),
        (ServerStatus::Active, None)
    );
    let again = c
        .wait_server_until(created.id, ServerStatus::Active, &wait())
        .await
        .unwrap();
    assert_eq!(again.id, created.id);

    // What the caller sets wins over the image's.
    let mut own = CreateServer::new("own users", flavor, image_id);
    own.networks = Some(vec![]);
    own.metadata.insert("users".into(), "admin".into());
    let created = c.create_server(&own).await.unwrap();
    let shown = c.get_server_metadata(created.id).await.unwrap();
    assert_eq!(shown["users"], "admin");
    assert_eq!(&shown["os"], os);

    // An unknown image: 404 from the image read, and no server.
    let before = c.list_servers(&ListServers::default()).await.unwrap().len();
    let error = c
        .create_server(&CreateServer::new("nope", flavor, "no-such-image"))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let after = c.list_servers(&ListServers::default()).await.unwrap().len();
    assert_eq!(after, before);
}

#[tokio::test]
async fn waits_reach_the_target_or_time_out() {
    let env = setup().await;
    let c = &env.cyclades;
    let (flavor, image) = flavor_and_image(c).await;
    let mut create = CreateServer::new("steady", flavor, image.clone());
    create.networks = Some(vec![]);
    let created = c.create_server(&create).await.unwrap();
    // Reaching the target: every poll before it is reported.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = wait().on_progress(move |p| log.lock().unwrap().push(p.status.clone()));
    let active = c
        .wait_server_until(created.id, ServerStatus::Active, &options)
        .await
        .unwrap();
    assert_eq!(active.status, ServerStatus::Active);
    assert!(
        seen.lock().unwrap().iter().all(|s| s.starts_with("BUILD")),
        "{seen:?}"
    );

    // Timing out: an error naming the server and its last status.
    let error = c
        .wait_server_until(created.id, ServerStatus::Stopped, &short_wait())
        .await
        .unwrap_err();
    match &error {
        Error::WaitTimeout {
            what,
            waited,
            last_status,
        } => {
            assert_eq!(what, &format!("server {} to become STOPPED", created.id));
            assert_eq!(last_status, "ACTIVE");
            assert!(*waited >= Duration::from_millis(300), "{waited:?}");
        }
        other => panic!("not a wait timeout: {other}"),
    }
    assert!(error.is_timeout());
    let error = c
        .wait_server_while(created.id, ServerStatus::Active, &short_wait())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WaitTimeout { .. }), "{error}");
    let mut progress = Vec::new();
    let error = c
        .wait_server_with(created.id, "never", &short_wait(), |s| {
            progress.push(s.progress);
            false
        })
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WaitTimeout { .. }), "{error}");
    assert!(progress.len() >= 2 && progress.iter().all(|p| *p == Some(100)));
    // An unknown server ends the wait at once.
    let started = Instant::now();
    let error = c.wait_server(999_999, &wait()).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // A failed build leaves BUILD for ERROR: `wait_server` returns it,
    // waiting for ACTIVE times out on ERROR.
    env.sim.fail_next_server_build();
    let doomed = c.create_server(&create).await.unwrap();
    let failed = c.wait_server(doomed.id, &wait()).await.unwrap();
    assert_eq!(failed.status, ServerStatus::Error);
    let error = c
        .wait_server_until(doomed.id, ServerStatus::Active, &short_wait())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("last status: ERROR"), "{error}");
    let diagnostics = c.get_server_diagnostics(doomed.id).await.unwrap();
    assert_eq!(diagnostics[0].level.as_deref(), Some("ERROR"));
}

#[tokio::test]
async fn volume_waits_reach_the_target_or_time_out() {
    let env = setup().await;
    let v = &env.volumes;
    let mut create = CreateVolume::new(1, "waited");
    create.volume_type = Some(detachable_type(v).await);
    let volume = v.create_volume(&create).await.unwrap();
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let log = statuses.clone();
    let options = wait().on_progress(move |p| log.lock().unwrap().push(p.status.clone()));
    let ready = v.wait_volume(&volume.id, &options).await.unwrap();
    assert_eq!(ready.status.as_deref(), Some("available"));
    assert!(
        statuses.lock().unwrap().iter().all(|s| s == "creating"),
        "{statuses:?}"
    );
    let same = v
        .wait_volume_until(&volume.id, "AVAILABLE", &wait())
        .await
        .unwrap();
    assert_eq!(same.id, volume.id);

    let error = v
        .wait_volume_until(&volume.id, "in_use", &short_wait())
        .await
        .unwrap_err();
    match &error {
        Error::WaitTimeout {
            what, last_status, ..
        } => {
            assert_eq!(what, &format!("volume {} to become in_use", volume.id));
            assert_eq!(last_status, "available");
        }
        other => panic!("not a wait timeout: {other}"),
    }
    let error = v
        .wait_volume_while(&volume.id, "available", &short_wait())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WaitTimeout { .. }), "{error}");
    let error = v
        .wait_volume_with(&volume.id, "never", &short_wait(), |_| false)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WaitTimeout { .. }), "{error}");
    let found = v
        .wait_volume_with(&volume.id, "a size", &wait(), |vol| vol.size == Some(1))
        .await
        .unwrap();
    assert_eq!(found.size, Some(1));
    let error = v.wait_volume("999999", &wait()).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn synnefo_start_shutdown_and_console() {
    let env = setup().await;
    let c = &env.cyclades;
    let server = active_server(c, "power").await;
    // `start` on a running server: 400 (the reference and server agree).
    let error = c.start_server(server.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert!(fault_of(&error).1.contains("'STARTED' state"), "{error}");
    for kind in [ConsoleType::Vnc, ConsoleType::VncWs, ConsoleType::VncWss] {
        let console = c.get_server_console(server.id, kind).await.unwrap();
        assert_eq!(console.console_type.as_deref(), Some(kind.as_str()));
        assert!(console.host.is_some() && console.port.is_some());
        assert!(console.password.is_some_and(|p| !p.is_empty()));
    }

    c.shutdown_server(server.id).await.unwrap();
    let stopped = c
        .wait_server_until(server.id, ServerStatus::Stopped, &wait())
        .await
        .unwrap();
    assert_eq!(stopped.status, ServerStatus::Stopped);
    // `shutdown` on a stopped server: 400.
    let error = c.shutdown_server(server.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
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
    // Synnefo's actions on a building server: 409 buildInProgress.
    let env = setup_with(SimConfig {
        build_delay: Duration::from_millis(500),
        ..fast()
    })
    .await;
    let (flavor, image) = flavor_and_image(&env.cyclades).await;
    let mut create = CreateServer::new("building", flavor, image);
    create.networks = Some(vec![]);
    let building = env.cyclades.create_server(&create).await.unwrap();
    let error = env.cyclades.shutdown_server(building.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);
    assert_eq!(fault_of(&error).0, "buildInProgress");
}

#[tokio::test]
async fn firewall_diagnostics_stats_and_reassign() {
    let env = setup().await;
    let c = &env.cyclades;
    // Without `networks`: one NIC on the public network.
    let server = active_server_with(c, "extras", true).await;
    let nic = server.attachments.first().expect("a NIC").clone();
    assert_ne!(nic.firewall_profile.as_deref(), Some("PROTECTED"));
    c.set_firewall_profile(server.id, FirewallProfile::Protected, &nic.id)
        .await
        .unwrap();
    let shown = c.get_server_details(server.id).await.unwrap();
    let after = shown.attachments.iter().find(|n| n.id == nic.id).unwrap();
    assert_eq!(after.firewall_profile.as_deref(), Some("PROTECTED"));
    // A NIC not on the server: 404; not a NIC id: 400.
    let error = c
        .set_firewall_profile(server.id, FirewallProfile::Enabled, "999999")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = c
        .set_firewall_profile(server.id, FirewallProfile::Enabled, "nic-x")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    let diagnostics = c.get_server_diagnostics(server.id).await.unwrap();
    assert!(!diagnostics.is_empty());
    assert_eq!(diagnostics[0].level.as_deref(), Some("INFO"));
    assert!(diagnostics[0].message.is_some() && diagnostics[0].created.is_some());
    let error = c.get_server_diagnostics(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    let stats = c.get_server_stats(server.id).await.unwrap();
    assert_eq!(stats.server_ref, Some(server.id));
    assert_eq!(stats.refresh, Some(60));
    for url in [
        &stats.cpu_bar,
        &stats.cpu_time_series,
        &stats.net_bar,
        &stats.net_time_series,
    ] {
        assert!(
            url.as_deref().is_some_and(|u| u.starts_with("http")),
            "{stats:?}"
        );
    }
    let error = c.get_server_stats(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    // The user's system project has the user's UUID.
    c.reassign_server(server.id, &env.user).await.unwrap();
    let tenant = |s: ServerDetails| s.tenant_id;
    assert_eq!(
        tenant(c.get_server_details(server.id).await.unwrap()).as_deref(),
        Some(env.user.as_str())
    );
    // A project the user is not a member of is refused, and nothing moves.
    let error = c
        .reassign_server(server.id, "not-a-project")
        .await
        .unwrap_err();
    assert!(status_of(&error).is_client_error(), "{error}");
    assert_eq!(
        tenant(c.get_server_details(server.id).await.unwrap()).as_deref(),
        Some(env.user.as_str())
    );
}

#[tokio::test]
async fn flavor_filters() {
    let env = setup().await;
    let c = &env.cyclades;
    let all = c.list_flavors(&FlavorFilter::default()).await.unwrap();
    assert!(!all.is_empty());
    assert!(all.iter().all(|f| f.ram.is_none()));
    let detail = c
        .list_flavors_detail(&FlavorFilter::default())
        .await
        .unwrap();
    assert_eq!(detail.len(), all.len());
    assert!(detail.iter().all(|f| f.ram.is_some()));
    // Every seeded flavor is public: `SNF:is_public=true` keeps them all,
    // `false` none.
    let public = c
        .list_flavors_detail(&FlavorFilter {
            is_public: Some(true),
            project: None,
        })
        .await
        .unwrap();
    assert_eq!(public.len(), all.len());
    assert!(public.iter().all(|f| f.is_public == Some(true)));
    let private = c
        .list_flavors(&FlavorFilter {
            is_public: Some(false),
            project: None,
        })
        .await
        .unwrap();
    assert!(private.is_empty(), "{private:?}");
    // `SNF:flavor-access` keeps flavors granted to the project: public
    // flavors are granted to nobody in particular.
    let granted = c
        .list_flavors_detail(&FlavorFilter {
            project: Some(env.user.clone()),
            is_public: None,
        })
        .await
        .unwrap();
    assert!(granted.is_empty(), "{granted:?}");
    // The plain compute filter `is_public` is OpenStack's: Synnefo ignores
    // it.
    let ignored = c
        .compute()
        .list_flavors(&ListFlavors {
            is_public: Some(false),
            ..ListFlavors::default()
        })
        .await
        .unwrap();
    assert_eq!(ignored.len(), all.len());
}

/// The id of a detachable volume type.
async fn detachable_type(volumes: &BlockStorageClient) -> String {
    volumes
        .list_volume_types()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.detachable == Some(true))
        .expect("a detachable volume type")
        .id
}

#[tokio::test]
async fn volume_attachments() {
    let env = setup().await;
    let c = &env.cyclades;
    let server = active_server(c, "disks").await;
    let initial = c.list_volume_attachments(server.id).await.unwrap();
    assert_eq!(initial.len(), 1, "the root volume");
    assert_eq!(initial[0].server_id, Some(server.id));
    assert_eq!(
        initial[0].volume_id.as_deref(),
        Some(server.volumes[0].as_str())
    );

    let mut create = CreateVolume::new(1, "extra disk");
    create.volume_type = Some(detachable_type(&env.volumes).await);
    let volume = env.volumes.create_volume(&create).await.unwrap();
    env.volumes.wait_volume(&volume.id, &wait()).await.unwrap();

    let attachment = c.attach_volume(server.id, &volume.id).await.unwrap();
    assert_eq!(attachment.volume_id.as_deref(), Some(volume.id.as_str()));
    assert_eq!(attachment.server_id, Some(server.id));
    let in_use = env
        .volumes
        .wait_volume_until(&volume.id, "in_use", &wait())
        .await
        .unwrap();
    assert_eq!(in_use.attachments[0].server_id, Some(server.id));
    settle(c, server.id).await;
    // Attached already: 400.
    let error = c.attach_volume(server.id, &volume.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let listed = c.list_volume_attachments(server.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    let one = c
        .get_volume_attachment(server.id, &attachment.id)
        .await
        .unwrap();
    assert_eq!(one.server_id, Some(server.id));
    assert_eq!(one.volume_id.as_deref(), Some(volume.id.as_str()));
    let server_detail = c.get_server_details(server.id).await.unwrap();
    assert!(server_detail.volumes.contains(&volume.id));

    let removed = c.detach_volume(server.id, &volume.id).await.unwrap();
    assert_eq!(removed.len(), 1);
    let available = env
        .volumes
        .wait_volume_until(&volume.id, "available", &wait())
        .await
        .unwrap();
    assert!(available.attachments.is_empty());
    settle(c, server.id).await;
    assert!(
        c.detach_volume(server.id, &volume.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Not attached to this server any more: 400.
    let error = c
        .get_volume_attachment(server.id, &volume.id)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert_eq!(c.list_volume_attachments(server.id).await.unwrap().len(), 1);

    // The root volume cannot be detached.
    let root = &initial[0];
    let error = c
        .delete_volume_attachment(server.id, &root.id)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let error = c.detach_volume(server.id, &root.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

#[tokio::test]
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
    // §5.1: the create answers the summary form only.
    assert_eq!(created.status, None);
    let ready = v.wait_volume(&created.id, &wait()).await.unwrap();
    assert_eq!(ready.status.as_deref(), Some("in_use"));
    assert_eq!(ready.size, Some(2));
    assert_eq!(ready.display_description.as_deref(), Some("for tests"));
    assert_eq!(ready.attachments[0].server_id, Some(server.id));
    assert_eq!(ready.tenant_id.as_deref(), Some(env.user.as_str()));
    settle(&env.cyclades, server.id).await;

    let listed = v.list_volumes().await.unwrap();
    assert!(listed.iter().any(|vol| vol.id == created.id));
    assert!(listed.iter().all(|vol| vol.status.is_none()));
    let detailed = v.list_volumes_detail().await.unwrap();
    assert_eq!(detailed.len(), listed.len());
    assert!(detailed.iter().all(|vol| vol.status.is_some()));
    let one = v.get_volume_details(&created.id).await.unwrap();
    // POST /volumes keeps the metadata given (§5.1 lists it).
    assert_eq!(one.metadata["k1"], "v1");
    assert_eq!(
        v.get_volume_status(&created.id).await.unwrap().as_deref(),
        Some("in_use")
    );

    let update = UpdateVolume {
        display_name: Some("renamed".into()),
        delete_on_termination: Some(true),
        ..UpdateVolume::default()
    };
    let updated = v.update_volume(&created.id, &update).await.unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("renamed"));
    assert_eq!(updated.delete_on_termination, Some(true));
    assert_eq!(
        v.get_volume_details(&created.id)
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("renamed")
    );
    let too_long = UpdateVolume {
        display_description: Some("d".repeat(256)),
        ..UpdateVolume::default()
    };
    let error = v.update_volume(&created.id, &too_long).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    // Nothing to update: refused before any request (Synnefo would answer
    // 400 "Nothing to update.").
    let sent = env.sim.requests().len();
    let error = v
        .update_volume(&created.id, &UpdateVolume::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
    assert!(error.to_string().contains("nothing to update"), "{error}");
    assert_eq!(env.sim.requests().len(), sent, "no request went out");

    let mut more = Metadata::new();
    more.insert("k2".into(), "v2".into());
    let merged = v.update_volume_metadata(&created.id, &more).await.unwrap();
    let expected: Metadata = [("k1", "v1"), ("k2", "v2")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(merged, expected);
    assert_eq!(v.get_volume_metadata(&created.id).await.unwrap(), expected);
    let replaced = v.replace_volume_metadata(&created.id, &more).await.unwrap();
    assert_eq!(replaced, more);
    v.delete_volume_metadata(&created.id, "k2").await.unwrap();
    assert!(v.get_volume_metadata(&created.id).await.unwrap().is_empty());
    let error = v
        .delete_volume_metadata(&created.id, "k2")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let error = v.get_volume_metadata("999999").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");

    v.reassign_volume(&created.id, &env.user).await.unwrap();
    let error = v
        .reassign_volume(&created.id, "not-a-project")
        .await
        .unwrap_err();
    assert!(status_of(&error).is_client_error(), "{error}");
    // A server's root volume goes with the server: 409.
    let error = v
        .reassign_volume(&server.volumes[0], &env.user)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);
    let error = v
        .volume_action(&created.id, &serde_json::json!({"no-such-action": {}}))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let answer = v
        .volume_action(
            &created.id,
            &serde_json::json!({"reassign": {"project": env.user}}),
        )
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);

    // Deleting an attached volume detaches and deletes it through the
    // server; the root volume cannot be deleted.
    let error = v.delete_volume(&server.volumes[0]).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    v.delete_volume(&created.id).await.unwrap();
    let deleted = v
        .wait_volume_until(&created.id, "deleted", &wait())
        .await
        .unwrap();
    assert_eq!(deleted.deleted, Some(true));
    assert!(
        v.list_volumes()
            .await
            .unwrap()
            .iter()
            .all(|vol| vol.id != created.id)
    );

    for size in [0, 201] {
        let mut bad = CreateVolume::new(size, "bad size");
        bad.volume_type = Some(detachable_type(v).await);
        let error = v.create_volume(&bad).await.unwrap_err();
        assert_eq!(status_of(&error), StatusCode::BAD_REQUEST, "{size}");
    }
    // Without a server the type is required.
    let error = v
        .create_volume(&CreateVolume::new(1, "typeless"))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let error = v.get_volume_details("999999").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

/// Polls a snapshot until it is `AVAILABLE`.
async fn until_available(volumes: &BlockStorageClient, id: &str) {
    let started = Instant::now();
    loop {
        let snapshot = volumes.get_snapshot_details(id).await.unwrap();
        if snapshot.status.as_deref() == Some("AVAILABLE") {
            assert_eq!(snapshot.progress.as_deref(), Some("100%"));
            return;
        }
        assert_eq!(snapshot.status.as_deref(), Some("CREATING"));
        assert!(started.elapsed() < Duration::from_secs(10), "stuck");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
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
    assert_eq!(snapshot.display_name.as_deref(), Some("snap"));
    until_available(v, &snapshot.id).await;
    let listed = v.list_snapshots().await.unwrap();
    assert!(listed.iter().any(|s| s.id == snapshot.id));
    let detailed = v.list_snapshots_detail().await.unwrap();
    assert_eq!(detailed.len(), listed.len());
    let one = v.get_snapshot_details(&snapshot.id).await.unwrap();
    assert_eq!(one.display_name.as_deref(), Some("snap"));
    assert_eq!(one.display_description.as_deref(), Some("before upgrade"));
    assert_eq!(one.user_id.as_deref(), Some(env.user.as_str()));
    // The properties: the description, `exclude_all_tasks`, and the
    // server's `users` (which the Cyclades create copied from the image).
    let properties = v.get_snapshot_metadata(&snapshot.id).await.unwrap();
    assert_eq!(properties["exclude_all_tasks"], "yes");
    assert_eq!(properties["description"], "before upgrade");
    assert_eq!(properties.get("users"), server.metadata.get("users"));
    assert!(properties.contains_key("users"));

    let update = UpdateSnapshot {
        display_name: Some("renamed".into()),
        ..UpdateSnapshot::default()
    };
    let updated = v.update_snapshot(&snapshot.id, &update).await.unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("renamed"));
    assert_eq!(
        updated.display_description.as_deref(),
        Some("before upgrade")
    );
    let error = v
        .update_snapshot(&snapshot.id, &UpdateSnapshot::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error}");
    let mut metadata = Metadata::new();
    metadata.insert("k".into(), "v".into());
    let merged = v
        .update_snapshot_metadata(&snapshot.id, &metadata)
        .await
        .unwrap();
    assert_eq!(merged["k"], "v");
    assert_eq!(merged["exclude_all_tasks"], "yes");
    let replaced = v
        .replace_snapshot_metadata(&snapshot.id, &metadata)
        .await
        .unwrap();
    assert_eq!(replaced, metadata);
    assert_eq!(
        v.get_snapshot_metadata(&snapshot.id).await.unwrap(),
        metadata
    );
    v.delete_snapshot_metadata(&snapshot.id, "k").await.unwrap();
    assert!(
        v.get_snapshot_metadata(&snapshot.id)
            .await
            .unwrap()
            .is_empty()
    );
    // A missing key is not an error for snapshots (it is for volumes).
    v.delete_snapshot_metadata(&snapshot.id, "k").await.unwrap();
    v.delete_snapshot(&snapshot.id).await.unwrap();
    let error = v.get_snapshot_details(&snapshot.id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert!(v.list_snapshots().await.unwrap().is_empty());
    // A detached volume cannot be snapshotted: 400.
    let mut detached = CreateVolume::new(1, "detached");
    detached.volume_type = Some(detachable_type(v).await);
    let detached = v.create_volume(&detached).await.unwrap();
    v.wait_volume(&detached.id, &wait()).await.unwrap();
    let error = v
        .create_snapshot(&CreateSnapshot::new(detached.id))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    let types = v.list_volume_types().await.unwrap();
    assert!(types.len() >= 2);
    // The escape hatch gives the same, raw.
    let response = v
        .send(synnefo_core::Request::get().segment("types"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let raw: serde_json::Value = response.json().unwrap();
    assert_eq!(raw["volume_types"].as_array().unwrap().len(), types.len());
    assert!(types.iter().any(|t| t.detachable == Some(true)));
    assert!(types.iter().any(|t| t.detachable == Some(false)));
    for kind in &types {
        let one = v.get_volume_type_details(&kind.id).await.unwrap();
        assert_eq!(&one, kind);
    }
    let error = v.get_volume_type_details("999999").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn over_quota_is_an_error_with_the_fault() {
    let user = synnefo_sim::default_users()[0].uuid.clone();
    let mut config = fast();
    config.cyclades_quotas.insert(
        user.clone(),
        CycladesQuota {
            vm: 1,
            disk: 25 << 30,
            ..CycladesQuota::default()
        },
    );
    let env = setup_with(config).await;
    assert_eq!(env.user, user);
    let c = &env.cyclades;
    // The first server takes the only VM (and 20 of the 25 GiB).
    active_server(c, "the only one").await;
    let before = env.sim.cyclades_usage(&user);
    let (flavor, image) = flavor_and_image(c).await;
    let mut create = CreateServer::new("one too many", flavor, image);
    create.networks = Some(vec![]);
    let error = c.create_server(&create).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::PAYLOAD_TOO_LARGE);
    let (name, message) = fault_of(&error);
    assert_eq!(name, "overLimit");
    assert!(message.contains("cyclades.vm"), "{message}");
    assert_eq!(
        c.list_servers(&ListServers::default()).await.unwrap().len(),
        1
    );

    // 10 GiB more disk than the 5 GiB left: 413, nothing charged.
    let mut create = CreateVolume::new(10, "too big");
    create.volume_type = Some(detachable_type(&env.volumes).await);
    let error = env.volumes.create_volume(&create).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::PAYLOAD_TOO_LARGE);
    let (name, message) = fault_of(&error);
    assert_eq!(name, "overLimit");
    assert!(message.contains("cyclades.disk"), "{message}");
    assert!(env.volumes.list_volumes().await.unwrap().len() == 1);
    assert_eq!(env.sim.cyclades_usage(&user), before);
    // Within the quota the same volume fits.
    create.size = 5;
    env.volumes.create_volume(&create).await.unwrap();
    let after = env.sim.cyclades_usage(&user);
    assert_eq!(after["cyclades.disk"], before["cyclades.disk"] + (5 << 30));
}
