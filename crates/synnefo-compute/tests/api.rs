//! The compute API over real HTTP against synnefo-sim: one test per group
//! of methods (servers, metadata and addresses, actions, flavors, images,
//! key pairs, floating IPs, quotas).
//!
//! They follow the wire reference (§3): servers are created in `BUILD` and
//! become `ACTIVE` later, actions are checked against the status machine of
//! §3.3, Synnefo answers `501` for the OpenStack actions it lacks. The
//! sim's jobs are made short (tens of milliseconds) so that the suite stays
//! fast; the tests poll for every change a job makes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use serde_json::{Value, json};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use synnefo_astakos::Cloud;
use synnefo_compute::{
    ComputeClient, CreateServer, Flavor, ListFlavors, ListImages, ListServers, Metadata,
    Personality, RebootType, Rebuild, ServerDetails, ServerStatus, UpdateServer,
};
use synnefo_core::http::StatusCode;
use synnefo_core::{ClientConfig, Endpoint, Error, HttpClient, Request, Token};
use synnefo_sim::{CycladesQuota, Sim, SimConfig, SimHandle};

/// How long the sim's server builds take: short, so the suite stays fast.
const BUILD_DELAY: Duration = Duration::from_millis(50);
/// How long the sim's other jobs take.
const ACTION_DELAY: Duration = Duration::from_millis(20);
/// The longest any poll below waits for a change.
const PATIENCE: Duration = Duration::from_secs(10);

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

/// The sim's configuration with short jobs.
fn fast() -> SimConfig {
    SimConfig {
        build_delay: BUILD_DELAY,
        action_delay: ACTION_DELAY,
        ..SimConfig::default()
    }
}

/// A sim and the first user's compute client, from the catalog.
async fn setup() -> (SimHandle, ComputeClient) {
    let (sim, compute, _) = setup_with(fast()).await;
    (sim, compute)
}

/// A sim started with `config`, the first user's compute client from the
/// catalog, and the user's UUID.
async fn setup_with(config: SimConfig) -> (SimHandle, ComputeClient, String) {
    let sim = Sim::start_with(config).await.unwrap();
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

/// Polls the server until `done` accepts it.
async fn until_server(
    compute: &ComputeClient,
    id: u64,
    what: &str,
    done: impl Fn(&ServerDetails) -> bool,
) -> ServerDetails {
    let started = Instant::now();
    loop {
        let server = compute.get_server_details(id).await.unwrap();
        if done(&server) {
            return server;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "server {id} never got {what}: {} {:?}",
            server.status,
            server.task_state
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Polls until the server has `status` and no task pending.
async fn until(compute: &ComputeClient, id: u64, status: ServerStatus) -> ServerDetails {
    let what = format!("to {status}");
    until_server(compute, id, &what, |s| {
        s.status == status && s.task_state.as_deref().unwrap_or_default().is_empty()
    })
    .await
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

/// Now, as the ISO 8601 text `changes-since` takes (microseconds, UTC).
fn iso_now() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let secs = now.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01.
    let z = i64::try_from(days).unwrap() + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        now.subsec_micros()
    )
}

#[tokio::test]
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
    assert_eq!(created.name, "vm one");

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
    // The plain compute client sends the metadata as given: nothing of the
    // image's is added (synnefo-cyclades' create does that).
    let expected: Metadata = [("purpose".to_owned(), "test".to_owned())].into();
    assert_eq!(mine.metadata, expected);
    assert!(mine.admin_pass.is_none(), "the password is shown once");

    let active = until(&compute, created.id, ServerStatus::Active).await;
    assert_eq!(active.progress, Some(100));
    assert_eq!(active.volumes.len(), 1, "the root volume");
    // No NICs were asked for: no addresses, on any network.
    let nics = compute.get_server_nics(created.id).await.unwrap();
    assert!(nics.attachments.is_empty() && nics.addresses.is_empty());
    let public = compute
        .get_server_network_nics(created.id, "1")
        .await
        .unwrap();
    assert!(public.is_empty(), "{public:?}");

    compute
        .update_server_name(created.id, "vm renamed")
        .await
        .unwrap();
    assert_eq!(
        compute.get_server_details(created.id).await.unwrap().name,
        "vm renamed"
    );
    let error = compute
        .update_server_name(created.id, &"x".repeat(256))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    compute.delete_server(created.id).await.unwrap();
    let gone = until(&compute, created.id, ServerStatus::Deleted).await;
    assert_eq!(gone.deleted, Some(true));
    let remaining = compute.list_servers(&ListServers::default()).await.unwrap();
    assert!(remaining.iter().all(|s| s.id != created.id));
    // A deleted server cannot be renamed.
    let error = compute
        .update_server_name(created.id, "again")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

    let error = compute.get_server_details(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_server(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn create_errors() {
    let (_sim, compute) = setup().await;
    let (flavor, image) = flavor_and_image(&compute).await;
    let no_nics = |mut create: CreateServer| {
        create.networks = Some(vec![]);
        create
    };
    let error = compute
        .create_server(&no_nics(CreateServer::new("x", flavor, "no-such-image")))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute
        .create_server(&no_nics(CreateServer::new("x", 999_999, image.clone())))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let closed = compute
        .list_flavors_detail(&ListFlavors::default())
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.allow_create == Some(false))
        .expect("a flavor that does not allow create");
    let error = compute
        .create_server(&no_nics(CreateServer::new("x", closed.id, image.clone())))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::FORBIDDEN);
    let mut weak = no_nics(CreateServer::new("x", flavor, image.clone()));
    weak.admin_pass = Some("short".into());
    let error = compute.create_server(&weak).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let mut unknown_key = no_nics(CreateServer::new("x", flavor, image.clone()));
    unknown_key.key_name = Some("no-such-key".into());
    let error = compute.create_server(&unknown_key).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    // Personality beyond 10240 bytes: 413 overLimit.
    let mut big = no_nics(CreateServer::new("x", flavor, image.clone()));
    big.personality
        .push(Personality::new("/big", vec![b'x'; 10_241]));
    let error = compute.create_server(&big).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(fault_of(&error).0, "overLimit");
    assert!(
        compute
            .list_servers(&ListServers::default())
            .await
            .unwrap()
            .is_empty(),
        "no refused create left a server"
    );

    // What a create sets is what the server shows.
    let key = compute.create_keypair("laptop").await.unwrap();
    let mut full = CreateServer::new("full", flavor, image);
    full.key_name = Some(key.name.clone());
    full.admin_pass = Some("Passw0rdXyz".into());
    full.user_data = Some(b"#!/bin/sh\necho hi\n".to_vec());
    let created = compute.create_server(&full).await.unwrap();
    assert_eq!(created.admin_pass.as_deref(), Some("Passw0rdXyz"));
    assert_eq!(created.key_name.as_deref(), Some("laptop"));
    assert_eq!(created.key_names, vec!["laptop"]);
    // Without `networks` the server gets the deployment's default NIC.
    let active = until(&compute, created.id, ServerStatus::Active).await;
    assert_eq!(active.attachments.len(), 1, "{:?}", active.attachments);
}

#[tokio::test]
async fn changes_since_lists_deleted_servers() {
    let (_sim, compute) = setup().await;
    let server = create(&compute, "short-lived").await;
    let created_at = server.created.clone().expect("a creation time");
    until(&compute, server.id, ServerStatus::Active).await;
    compute.delete_server(server.id).await.unwrap();
    until(&compute, server.id, ServerStatus::Deleted).await;

    // Older than an hour, in the future, or not a date: refused.
    for bad in [
        "2000-01-01T00:00:00+00:00",
        "2999-01-01T00:00:00+00:00",
        "yesterday",
    ] {
        let since = ListServers {
            changes_since: Some(bad.into()),
            ..ListServers::default()
        };
        let error = compute.list_servers_detail(&since).await.unwrap_err();
        assert_eq!(status_of(&error), StatusCode::BAD_REQUEST, "{bad}");
    }

    // Since the creation: the deleted server is listed, as DELETED.
    let since = ListServers {
        changes_since: Some(created_at),
        ..ListServers::default()
    };
    let changed = compute.list_servers_detail(&since).await.unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].id, server.id);
    assert_eq!(changed[0].status, ServerStatus::Deleted);
    assert_eq!(compute.list_servers(&since).await.unwrap().len(), 1);
    assert!(
        compute
            .list_servers(&ListServers::default())
            .await
            .unwrap()
            .is_empty()
    );

    // Since now: nothing changed, the server answers 304, an empty list.
    let now = ListServers {
        changes_since: Some(iso_now()),
        ..ListServers::default()
    };
    assert!(compute.list_servers(&now).await.unwrap().is_empty());
    assert!(compute.list_servers_detail(&now).await.unwrap().is_empty());
    let next = create(&compute, "next").await;
    let changed = compute.list_servers(&now).await.unwrap();
    let ids: Vec<u64> = changed.iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![next.id]);
}

#[tokio::test]
async fn server_metadata_and_addresses() {
    let (_sim, compute) = setup().await;
    let (flavor, image) = flavor_and_image(&compute).await;
    // Without `networks`: one NIC on the public network.
    let server = compute
        .create_server(&CreateServer::new("meta", flavor, image))
        .await
        .unwrap();
    let id = server.id;
    let active = until(&compute, id, ServerStatus::Active).await;

    let set = compute
        .create_server_metadata(id, "k1", "v1")
        .await
        .unwrap();
    assert_eq!(set, Metadata::from([("k1".to_owned(), "v1".to_owned())]));
    assert_eq!(
        compute.get_server_metadata_item(id, "k1").await.unwrap(),
        "v1"
    );
    let mut more = Metadata::new();
    more.insert("k2".into(), "v2".into());
    let all = compute.update_server_metadata(id, &more).await.unwrap();
    assert_eq!((all["k1"].as_str(), all["k2"].as_str()), ("v1", "v2"));
    assert_eq!(compute.get_server_metadata(id).await.unwrap(), all);
    assert_eq!(compute.get_server_details(id).await.unwrap().metadata, all);
    compute.delete_server_metadata(id, "k1").await.unwrap();
    let error = compute
        .get_server_metadata_item(id, "k1")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_server_metadata(id, "k1").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert_eq!(compute.get_server_metadata(id).await.unwrap(), more);
    // Keys are at most 50 characters.
    let error = compute
        .create_server_metadata(id, &"k".repeat(51), "v")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);

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
    assert_eq!(nics.attachments.len(), 1);
    assert_eq!(nics.attachments, active.attachments);
    assert_eq!(nics.addresses, active.addresses);
    let nic = &nics.attachments[0];
    let network = nic.network_id.clone().expect("a network id");
    let ipv4 = nic.ipv4.clone().expect("an IPv4 address");
    assert!(!ipv4.is_empty());
    let on_network = compute.get_server_network_nics(id, &network).await.unwrap();
    assert_eq!(on_network.len(), 1);
    assert_eq!(
        (on_network[0].version, on_network[0].addr.as_str()),
        (Some(4), ipv4.as_str())
    );
    let error = compute
        .get_server_network_nics(id, "999999")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    // `/ips` takes no `changes-since` (§3.5): the server answers in full.
    let since = compute
        .get_server_details(id)
        .await
        .unwrap()
        .updated
        .expect("an update time");
    let again = compute.get_server_nics_since(id, &since).await.unwrap();
    assert_eq!(again, Some(nics));

    let error = compute.get_server_nics(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn actions() {
    // A longer build, so that the server is surely still building when
    // the first action arrives.
    let (_sim, compute, _) = setup_with(SimConfig {
        build_delay: Duration::from_millis(500),
        ..fast()
    })
    .await;
    let server = create(&compute, "acts").await;
    let id = server.id;
    // Actions on a building server: 409 buildInProgress.
    let error = compute
        .reboot_server(id, RebootType::Soft)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);
    assert_eq!(fault_of(&error).0, "buildInProgress");
    until(&compute, id, ServerStatus::Active).await;

    compute.reboot_server(id, RebootType::Hard).await.unwrap();
    until(&compute, id, ServerStatus::Active).await;
    // os-start on a running server: 400 (not 409).
    let error = compute.start_server(id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert!(fault_of(&error).1.contains("'STARTED' state"), "{error}");
    // The arguments are an object: kamaki's `{"os-stop": null}` is refused.
    let error = compute
        .server_action(id, &json!({"os-stop": null}))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert!(fault_of(&error).1.contains("Missing attribute"), "{error}");
    compute.shutdown_server(id).await.unwrap();
    until(&compute, id, ServerStatus::Stopped).await;
    // os-stop on a stopped server: 400.
    let error = compute.shutdown_server(id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    // No console for a stopped server.
    let error = compute.get_vnc_console(id, "novnc").await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    // A reboot starts a stopped server.
    compute.reboot_server(id, RebootType::Soft).await.unwrap();
    until(&compute, id, ServerStatus::Active).await;
    compute.shutdown_server(id).await.unwrap();
    until(&compute, id, ServerStatus::Stopped).await;

    // Resize to the same flavor: 400; to another flavor with the same disk
    // and template: the stopped server gets it.
    let flavor = server.flavor.as_ref().unwrap().id;
    let error = compute.resize_server(id, flavor).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    let flavors = compute
        .list_flavors_detail(&ListFlavors::default())
        .await
        .unwrap();
    let current = flavors.iter().find(|f| f.id == flavor).unwrap();
    let same_disk = |f: &&Flavor| {
        f.id != flavor && f.disk == current.disk && f.disk_template == current.disk_template
    };
    let bigger = flavors.iter().find(same_disk).expect("a resize target");
    let other_disk = flavors
        .iter()
        .find(|f| f.disk != current.disk && f.disk_template == current.disk_template)
        .expect("a flavor of another disk size");
    let error = compute.resize_server(id, other_disk.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    compute.resize_server(id, bigger.id).await.unwrap();
    let resized = until_server(&compute, id, "the new flavor", |s| {
        s.flavor.as_ref().is_some_and(|f| f.id == bigger.id) && s.status == ServerStatus::Stopped
    })
    .await;
    assert_eq!(resized.flavor.unwrap().id, bigger.id);

    // Rescue is off by default: 404 featureNotEnabled.
    let error = compute.rescue_server(id, None).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert_eq!(fault_of(&error).0, "featureNotEnabled");
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
        assert!(fault_of(&error).1.contains("not supported"), "{error}");
    }

    // Actions Synnefo refuses: suspend (403), createImage (400, unknown).
    let error = compute
        .server_action(id, &json!({"suspend": {}}))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::FORBIDDEN);
    let error = compute
        .create_server_image(id, "snap", &Metadata::new())
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert!(fault_of(&error).1.contains("createImage"), "{error}");

    compute.start_server(id).await.unwrap();
    until(&compute, id, ServerStatus::Active).await;
    let console = compute.get_vnc_console(id, "novnc").await.unwrap();
    assert_eq!(console.console_type.as_deref(), Some("novnc"));
    assert!(console.url.is_some_and(|url| url.starts_with("http")));
    let error = compute.get_vnc_console(id, "spice").await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    compute.delete_server(id).await.unwrap();
    until(&compute, id, ServerStatus::Deleted).await;
    // Actions on a deleted server: 400.
    let error = compute
        .reboot_server(id, RebootType::Soft)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

#[tokio::test]
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
    for flavor in &detail {
        let (ram, disk, vcpus) = (
            flavor.ram.unwrap(),
            flavor.disk.unwrap(),
            flavor.vcpus.unwrap(),
        );
        let template = flavor.disk_template.as_deref().unwrap();
        // §3.7: the name is generated from the rest.
        assert_eq!(flavor.name, format!("C{vcpus}R{ram}D{disk}{template}"));
    }
    let first = &detail[0];
    let one = compute.get_flavor_details(first.id).await.unwrap();
    assert_eq!(&one, first);
    let error = compute.get_flavor_details(999_999).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    // Synnefo has no /limits: 400 "API endpoint not found".
    let error = compute.get_limits().await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    assert!(fault_of(&error).1.contains("API endpoint not found"));

    // The escape hatch: any request, the raw answer.
    let response = compute
        .send(Request::get().segment("extensions"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().unwrap(), json!({"extensions": []}));
    let error = compute
        .send(Request::get().segment("no-such-thing"))
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

/// The block storage API of the sim, for what the compute API cannot do.
fn volume_api(sim: &SimHandle) -> Endpoint {
    http()
        .endpoint(&sim.volume_url(), Some(Token::new(sim.token())))
        .unwrap()
}

#[tokio::test]
async fn images_through_compute() {
    let (sim, compute, user) = setup_with(fast()).await;
    let images = compute.list_images(&ListImages::default()).await.unwrap();
    assert!(!images.is_empty());
    assert!(images.iter().all(|i| i.status.is_none()));
    let detail = compute
        .list_images_detail(&ListImages::default())
        .await
        .unwrap();
    assert_eq!(detail.len(), images.len());
    let first = &detail[0];
    assert_eq!(first.status.as_deref(), Some("ACTIVE"));
    assert!(first.metadata.contains_key("os"), "{:?}", first.metadata);
    let one = compute.get_image_details(&first.id).await.unwrap();
    assert_eq!(one.id, first.id);
    assert_eq!(
        compute.get_image_metadata(&first.id).await.unwrap(),
        one.metadata
    );
    assert_eq!(
        compute
            .get_image_metadata_item(&first.id, "os")
            .await
            .unwrap(),
        one.metadata["os"]
    );
    let error = compute
        .get_image_metadata_item(&first.id, "no-such-key")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute
        .get_image_details("no-such-image")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");

    // The public images belong to somebody else: 403 for every change.
    assert_ne!(first.user_id.as_deref(), Some(user.as_str()));
    let error = compute
        .create_image_metadata(&first.id, "purpose", "tests")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::FORBIDDEN);
    let error = compute.delete_image(&first.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::FORBIDDEN);
    // Replacing all metadata is OpenStack's; Synnefo answers 405.
    let error = compute
        .replace_image_metadata(&first.id, &Metadata::new())
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::METHOD_NOT_ALLOWED);

    // An image of the user's own: a snapshot of a server's root volume,
    // taken through the block storage API.
    let server = create(&compute, "snapshot source").await;
    let server = until(&compute, server.id, ServerStatus::Active).await;
    let root: u64 = server.volumes[0].parse().unwrap();
    let request = Request::post()
        .segment("snapshots")
        .json(&json!({"snapshot": {"volume_id": root, "display_name": "mine"}}))
        .unwrap();
    let answer: Value = volume_api(&sim).send_json(request).await.unwrap();
    let own_id = answer["snapshot"]["id"].as_str().unwrap().to_owned();
    let own = compute.get_image_details(&own_id).await.unwrap();
    assert_eq!(own.name, "mine");
    assert_eq!(own.user_id.as_deref(), Some(user.as_str()));
    assert_eq!(own.is_snapshot, Some(true));
    let listed = compute
        .list_images_detail(&ListImages::default())
        .await
        .unwrap();
    assert!(listed.iter().any(|i| i.id == own_id));

    let set = compute
        .create_image_metadata(&own_id, "purpose", "tests")
        .await
        .unwrap();
    assert_eq!(
        set,
        Metadata::from([("purpose".to_owned(), "tests".to_owned())])
    );
    let mut more = Metadata::new();
    more.insert("other".into(), "x".into());
    let all = compute.update_image_metadata(&own_id, &more).await.unwrap();
    assert_eq!(
        (all["purpose"].as_str(), all["other"].as_str()),
        ("tests", "x")
    );
    assert_eq!(compute.get_image_metadata(&own_id).await.unwrap(), all);
    assert_eq!(
        compute
            .get_image_metadata_item(&own_id, "purpose")
            .await
            .unwrap(),
        "tests"
    );
    compute
        .delete_image_metadata(&own_id, "purpose")
        .await
        .unwrap();
    let left = compute.get_image_metadata(&own_id).await.unwrap();
    assert!(!left.contains_key("purpose") && left.contains_key("other"));
    compute.delete_image(&own_id).await.unwrap();
    let error = compute.get_image_details(&own_id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_image(&own_id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn keypairs() {
    let (_sim, compute) = setup().await;
    assert!(compute.list_keypairs().await.unwrap().is_empty());
    let generated = compute.create_keypair("generated").await.unwrap();
    assert_eq!(generated.name, "generated");
    assert!(
        generated
            .private_key
            .as_deref()
            .is_some_and(|k| k.contains("PRIVATE KEY"))
    );
    assert!(generated.public_key.is_some());
    let public = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 test@example";
    let uploaded = compute.upload_keypair("uploaded", public).await.unwrap();
    assert_eq!(uploaded.public_key.as_deref(), Some(public));
    assert!(uploaded.private_key.is_none());
    assert!(uploaded.fingerprint.is_some());
    let error = compute
        .upload_keypair("uploaded", public)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);

    let listed = compute.list_keypairs().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, vec!["generated", "uploaded"]);
    assert!(listed.iter().all(|k| k.private_key.is_none()));
    let one = compute.get_keypair_details("uploaded").await.unwrap();
    assert_eq!(one.fingerprint, uploaded.fingerprint);
    assert_eq!(one.public_key.as_deref(), Some(public));
    assert_eq!(one.deleted, Some(false));
    assert!(one.created_at.is_some());

    compute.delete_keypair("generated").await.unwrap();
    let error = compute.get_keypair_details("generated").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_keypair("generated").await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let names: Vec<String> = compute
        .list_keypairs()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.name)
        .collect();
    assert_eq!(names, vec!["uploaded"]);
}

/// Releases a floating IP, retrying while the server answers 409 because
/// a detach job is still running (wire §4.4: attached → 409).
async fn release_when_detached(compute: &ComputeClient, id: &str) {
    let started = Instant::now();
    loop {
        match compute.delete_floating_ip(id).await {
            Ok(()) => return,
            Err(error) if status_of(&error) == StatusCode::CONFLICT => {
                assert!(started.elapsed() < PATIENCE, "still attached: {error}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(error) => panic!("{error}"),
        }
    }
}

#[tokio::test]
async fn floating_ips() {
    let (_sim, compute) = setup().await;
    let ip = compute.create_floating_ip(None).await.unwrap();
    let address = ip.ip.clone().expect("an address");
    assert_eq!(ip.instance_id, None);
    let listed = compute.list_floating_ips().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, ip.id);
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
    // Once the NIC is up, the server shows the address as floating.
    let shown = until_server(&compute, server.id, "the floating IP", |s| {
        s.attachments
            .iter()
            .any(|nic| nic.ipv4.as_deref() == Some(address.as_str()))
            && s.task_state.as_deref().unwrap_or_default().is_empty()
    })
    .await;
    let nic = &shown.attachments[0];
    assert_eq!(nic.ip_type.as_deref(), Some("floating"));
    // In use: cannot be attached twice, nor released.
    let error = compute
        .add_floating_ip(server.id, &address)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);
    let error = compute.delete_floating_ip(&ip.id).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::CONFLICT);

    compute
        .remove_floating_ip(server.id, &address)
        .await
        .unwrap();
    // Right after the remove the detach job still runs: the release waits
    // for it.
    release_when_detached(&compute, &ip.id).await;
    let error = compute.get_floating_ip(&ip.id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert!(compute.list_floating_ips().await.unwrap().is_empty());
    let detached = until(&compute, server.id, ServerStatus::Active).await;
    assert!(
        detached.attachments.is_empty(),
        "{:?}",
        detached.attachments
    );
    // Released: no longer the user's (404), for every call.
    let error = compute
        .remove_floating_ip(server.id, &address)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let error = compute.delete_floating_ip(&ip.id).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    // The user's, but not attached to the server: 400.
    let spare = compute.create_floating_ip(None).await.unwrap();
    let error = compute
        .remove_floating_ip(server.id, spare.ip.as_deref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
    compute.delete_floating_ip(&spare.id).await.unwrap();

    // Synnefo has no floating IP pools endpoint.
    let error = compute.list_floating_ip_pools().await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn over_quota_is_an_error_with_the_fault() {
    let user = synnefo_sim::default_users()[0].uuid.clone();
    let mut config = fast();
    config.cyclades_quotas.insert(
        user.clone(),
        CycladesQuota {
            cpu: 1,
            floating_ip: 0,
            ..CycladesQuota::default()
        },
    );
    let (sim, compute, uuid) = setup_with(config).await;
    assert_eq!(uuid, user);
    let before = sim.cyclades_usage(&user);

    let flavors = compute
        .list_flavors_detail(&ListFlavors::default())
        .await
        .unwrap();
    let two_cpus = flavors
        .iter()
        .find(|f| f.vcpus == Some(2) && f.allow_create != Some(false))
        .expect("a flavor with 2 CPUs");
    let (_, image) = flavor_and_image(&compute).await;
    let mut create = CreateServer::new("too big", two_cpus.id, image);
    create.networks = Some(vec![]);
    let error = compute.create_server(&create).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::PAYLOAD_TOO_LARGE);
    let (name, message) = fault_of(&error);
    assert_eq!(name, "overLimit");
    assert!(message.contains("cyclades.cpu"), "{message}");
    assert!(error.hint().is_some_and(|h| h.contains("quota")));
    // Nothing was created or charged.
    assert!(
        compute
            .list_servers(&ListServers::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(sim.cyclades_usage(&user), before);

    let error = compute.create_floating_ip(None).await.unwrap_err();
    assert_eq!(status_of(&error), StatusCode::PAYLOAD_TOO_LARGE);
    let (name, message) = fault_of(&error);
    assert_eq!(name, "overLimit");
    assert!(message.contains("cyclades.floating_ip"), "{message}");

    // Within the quota the same create succeeds and is charged.
    let one_cpu = flavors
        .iter()
        .find(|f| f.vcpus == Some(1) && f.allow_create != Some(false))
        .expect("a flavor with 1 CPU");
    create.flavor_id = one_cpu.id;
    compute.create_server(&create).await.unwrap();
    let after = sim.cyclades_usage(&user);
    assert_eq!(after["cyclades.vm"], before["cyclades.vm"] + 1);
    assert_eq!(after["cyclades.cpu"], before["cyclades.cpu"] + 1);
}
