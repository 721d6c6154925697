//! End-to-end tests of the Cyclades compute emulation over real HTTP:
//! routing and auth, flavors, images, servers and their status machine,
//! actions, metadata, tags, addresses, keypairs, floating IPs, volume
//! attachments, quotas (wire reference §3, §8, §11, §12).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Api, COMPUTE, DEBIAN, WINDOWS, instant_sim, slow_sim};
use synnefo_sim::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, CycladesQuota, DEFAULT_ACTION_DELAY, DEFAULT_BUILD_DELAY,
    Sim, SimConfig,
};

const GIB: u64 = 1 << 30;

fn id_of(server: &Value) -> u64 {
    server["id"].as_u64().expect("integer server id")
}

#[tokio::test]
async fn urls_catalog_and_defaults() {
    assert_eq!(SimConfig::default().build_delay, DEFAULT_BUILD_DELAY);
    assert_eq!(SimConfig::default().action_delay, DEFAULT_ACTION_DELAY);
    let sim = Sim::start().await.unwrap();
    let base = sim.base_url();
    assert_eq!(sim.compute_url(), format!("{base}/cyclades/compute/v2.0"));
    assert_eq!(sim.volume_url(), format!("{base}/cyclades/volume/v2.0"));
    let api = Api::new(&sim, ALICE_TOKEN);
    let reply = api
        .post(
            "/astakos/identity/v2.0/tokens",
            json!({"auth": {"token": {"id": ALICE_TOKEN}}}),
        )
        .await;
    let catalog = reply.json()["access"]["serviceCatalog"].clone();
    let url = |kind: &str| {
        catalog
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["type"] == kind)
            .unwrap()["endpoints"][0]["publicURL"]
            .clone()
    };
    assert_eq!(url("compute"), json!(sim.compute_url()));
    assert_eq!(url("volume"), json!(format!("{base}/cyclades/volume")));
    // Version documents are still served without a token.
    let anonymous = Api::anonymous(&sim);
    anonymous.get("/cyclades/compute").await.expect(200);
    let version = anonymous.get("/cyclades/compute/v2.0/").await;
    assert_eq!(version.expect(200).json()["version"]["id"], "v2.0");
    // A server with the default delays is still building right after create.
    let server = api.create_server("slow", json!({})).await;
    assert_eq!(api.server(id_of(&server)).await["status"], "BUILD");
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.vm"], 1);
}

#[tokio::test]
async fn authentication_routing_and_methods() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let anonymous = Api::anonymous(&sim);
    anonymous.c_get("/servers").await.assert_fault(
        401,
        "unauthorized",
        "Access denied. No authentication token",
    );
    let stranger = Api::new(&sim, "not-a-token");
    let reply = stranger.c_get("/flavors").await;
    assert_eq!(reply.code(), 401);
    assert_eq!(reply.json()["fault"]["message"], "UNAUTHORIZED");
    for path in [
        "/limits",
        "/os-floating-ip-pools",
        "/servers/abc",
        "/servers/1/",
        "/servers/1/nothing",
        "/flavors/x",
        "/images/a.b",
        "/os-availability-zone",
    ] {
        api.c_get(path).await.bad_request("API endpoint not found");
    }
    // Known URLs with a wrong method: 405 before authentication.
    let reply = anonymous.c_put("/servers", json!({})).await;
    reply.assert_fault(405, "notAllowed", "Method not allowed");
    assert_eq!(reply.header("allow"), Some("GET,POST"));
    let reply = api.c_post("/servers/detail", json!({})).await;
    assert_eq!((reply.code(), reply.header("allow")), (405, Some("GET")));
    let reply = api.c_get("/servers/1/action").await;
    assert_eq!((reply.code(), reply.header("allow")), (405, Some("POST")));
    let reply = api.c_put("/servers/1/metadata", json!({})).await;
    assert_eq!(reply.header("allow"), Some("GET,POST"));
    // Bodies must be JSON with a JSON Content-Type.
    let reply = api
        .send("POST", &format!("{COMPUTE}/servers"), &[], "{}")
        .await;
    reply.bad_request("Missing Content-Type header field");
    let reply = api
        .send(
            "POST",
            &format!("{COMPUTE}/servers"),
            &[("content-type", "text/plain")],
            "{}",
        )
        .await;
    reply.bad_request("Unsupported Content-type: 'text/plain'");
    let reply = api
        .send(
            "POST",
            &format!("{COMPUTE}/servers"),
            &[("content-type", "application/json")],
            "{nope",
        )
        .await;
    reply.bad_request("Could not decode request body as JSON");
    assert_eq!(
        api.c_get("/extensions").await.expect(200).json(),
        json!({"extensions": []})
    );
    let reply = api.c_get("/servers.json").await;
    assert_eq!(reply.expect(200).json(), json!({"servers": []}));
    assert_eq!(
        reply.header("content-type"),
        Some("application/json; charset=UTF-8")
    );
    api.c_get("/servers/42")
        .await
        .assert_fault(404, "itemNotFound", "Server not found.");
}

#[tokio::test]
async fn flavors() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let short = api.c_get("/flavors").await.expect(200).json()["flavors"].clone();
    let short = short.as_array().unwrap();
    assert!(short.len() >= 5);
    assert_eq!(short[0]["id"], 1);
    assert_eq!(short[0]["name"], "C1R1024D20ext_archipelago");
    assert!(short[0].get("ram").is_none());
    assert_eq!(
        short[0]["links"][0]["href"],
        format!("{}/flavors/1", sim.compute_url())
    );
    let detail = api.c_get("/flavors/detail").await.expect(200).json()["flavors"].clone();
    let detail = detail.as_array().unwrap();
    assert_eq!(detail.len(), short.len());
    let first = &detail[0];
    assert_eq!(
        (
            &first["vcpus"],
            &first["ram"],
            &first["disk"],
            &first["SNF:disk_template"]
        ),
        (
            &json!(1),
            &json!(1024),
            &json!(20),
            &json!("ext_archipelago")
        )
    );
    assert_eq!(first["SNF:volume_type"], 1);
    assert_eq!(first["os-flavor-access:is_public"], true);
    assert_eq!(first["SNF:flavor-access"], json!([]));
    assert!(detail.iter().any(|f| f["SNF:allow_create"] == false));
    assert!(detail.iter().any(|f| f["SNF:disk_template"] == "drbd"));
    let one = api.c_get("/flavors/3").await.expect(200).json();
    assert_eq!(one["flavor"]["name"], "C2R4096D40ext_archipelago");
    api.c_get("/flavors/999")
        .await
        .assert_fault(404, "itemNotFound", "Flavor not found.");
    assert_eq!(
        api.c_get("/flavors/3/os-extra_specs")
            .await
            .expect(200)
            .json(),
        json!({"extra_specs": {}})
    );
    let public = api.c_get("/flavors/detail?SNF:is_public=true").await.json();
    assert_eq!(public["flavors"].as_array().unwrap().len(), detail.len());
    let private = api.c_get("/flavors?SNF:is_public=false").await.json();
    assert_eq!(private, json!({"flavors": []}));
    // Public flavors grant no per-project access.
    let by_project = api
        .c_get(&format!("/flavors?SNF:flavor-access={ALICE_UUID}"))
        .await
        .json();
    assert_eq!(by_project, json!({"flavors": []}));
    // A flavor that does not allow creation.
    let locked = detail
        .iter()
        .find(|f| f["SNF:allow_create"] == false)
        .unwrap()["id"]
        .clone();
    let reply = api
        .c_post(
            "/servers",
            json!({"server": {"name": "x", "imageRef": DEBIAN, "flavorRef": locked}}),
        )
        .await;
    reply.assert_fault(
        403,
        "forbidden",
        &format!(
            "It is not allowed to create a server from flavor with id '{locked}', see 'allow_create' flavor attribute"
        ),
    );
}

#[tokio::test]
async fn images_through_compute() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let images = api.c_get("/images").await.expect(200).json()["images"].clone();
    let images = images.as_array().unwrap();
    assert!(images.len() >= 2);
    assert_eq!(images[0], json!({"id": DEBIAN, "name": "Debian Base"}));
    let detail = api.c_get("/images/detail").await.json()["images"][0].clone();
    assert_eq!(detail["status"], "ACTIVE");
    assert_eq!(detail["progress"], 100);
    assert_eq!(detail["public"], true);
    assert_eq!(detail["is_snapshot"], false);
    assert_eq!(detail["metadata"]["os"], "debian");
    assert_eq!(detail["metadata"]["osfamily"], "linux");
    assert_eq!(detail["metadata"]["users"], "root");
    assert_eq!(
        detail["links"][2],
        json!({"rel": "alternate", "href": format!("{}/cyclades/image/v1.0/images/{DEBIAN}", sim.base_url())})
    );
    let all = api.c_get("/images/detail").await.json();
    let systems: Vec<&Value> = all["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["metadata"]["os"])
        .collect();
    assert!(systems.contains(&&json!("ubuntu")), "{systems:?}");
    let one = api
        .c_get(&format!("/images/{DEBIAN}"))
        .await
        .expect(200)
        .json();
    assert_eq!(one["image"]["id"], DEBIAN);
    assert_eq!(
        api.c_get(&format!("/images/{DEBIAN}/metadata"))
            .await
            .json()["metadata"],
        one["image"]["metadata"]
    );
    assert_eq!(
        api.c_get(&format!("/images/{DEBIAN}/metadata/os"))
            .await
            .json(),
        json!({"meta": {"os": "debian"}})
    );
    api.c_get(&format!("/images/{DEBIAN}/metadata/nope"))
        .await
        .assert_fault(404, "itemNotFound", "Metadata key not found.");
    assert_eq!(api.c_get("/images/no-such-image").await.code(), 404);
    // Public images belong to the system: no changes by users.
    let reply = api
        .c_post(
            &format!("/images/{DEBIAN}/metadata"),
            json!({"metadata": {"a": "b"}}),
        )
        .await;
    assert_eq!(reply.code(), 403, "{}", reply.text());
    assert_eq!(api.c_delete(&format!("/images/{DEBIAN}")).await.code(), 403);
    api.c_post("/images", json!({"image": {}}))
        .await
        .assert_fault(501, "notImplemented", "Not supported.");
    // changes-since filters by update time (nothing recent here).
    let since = api
        .c_get("/images?changes-since=2000-01-01T00:00:00Z")
        .await;
    since.bad_request("Too old changes-since value.");
}

#[tokio::test]
async fn server_build_progress_and_lifecycle() {
    let sim = slow_sim(600, 100).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let created = api
        .create_server(
            "vm one",
            json!({"metadata": {"purpose": "test"}, "personality": [
                {"path": "/etc/motd", "contents": "aGVsbG8K", "mode": 420}
            ]}),
        )
        .await;
    let id = id_of(&created);
    assert_eq!(created["status"], "BUILD");
    assert_eq!(created["SNF:task_state"], "BUILDING");
    assert_eq!(created["progress"], 0);
    let password = created["adminPass"].as_str().unwrap();
    assert_eq!(password.len(), 10);
    assert!(password.chars().any(|c| c.is_ascii_uppercase()));
    assert!(password.chars().any(|c| c.is_ascii_lowercase()));
    assert!(password.chars().any(|c| c.is_ascii_digit()));
    assert_eq!(created["flavor"]["id"], 1);
    assert_eq!(created["image"]["id"], DEBIAN);
    assert_eq!(created["user_id"], ALICE_UUID);
    assert_eq!(created["tenant_id"], ALICE_UUID);
    assert_eq!(created["metadata"], json!({"purpose": "test"}));
    assert_eq!(
        created["attachments"],
        json!([]),
        "ports are still building"
    );
    assert_eq!(created["security_groups"], json!([{"name": "default"}]));
    assert_eq!(created["key_name"], Value::Null);
    assert_eq!(
        created["SNF:fqdn"],
        format!("snf-{id}.vm.example.synnefo.org")
    );
    assert_eq!(created["volumes"].as_array().unwrap().len(), 1);
    assert_eq!(
        created["links"][0]["href"],
        format!("{}/servers/{id}", sim.compute_url())
    );
    // The password is cached.
    let reply = api.c_get(&format!("/servers/{id}/password")).await;
    assert_eq!(reply.expect(200).json(), json!({"password": password}));

    // Building: progress grows, actions conflict.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let building = api.server(id).await;
    assert_eq!(building["status"], "BUILD");
    let progress = building["progress"].as_u64().unwrap();
    assert!((20..100).contains(&progress), "progress {progress}");
    api.action(id, json!({"reboot": {"type": "SOFT"}}))
        .await
        .assert_fault(
            409,
            "buildInProgress",
            &format!("Server '{id}' is being built."),
        );
    api.action(id, json!({"shutdown": {}})).await.assert_fault(
        409,
        "buildInProgress",
        &format!("Server '{id}' is being built."),
    );

    let active = api.wait_server(id, "ACTIVE").await;
    assert_eq!(active["progress"], 100);
    assert_eq!(active["SNF:task_state"], "");
    // One port on the public network with a fixed address.
    let nic = &active["attachments"][0];
    assert_eq!(nic["network_id"], "1");
    assert_eq!(nic["OS-EXT-IPS:type"], "fixed");
    assert!(nic["ipv4"].as_str().unwrap().starts_with("203.0.113."));
    assert!(
        nic["mac_address"]
            .as_str()
            .unwrap()
            .starts_with("aa:00:00:")
    );
    assert_eq!(
        active["addresses"]["1"],
        json!([{"version": 4, "addr": nic["ipv4"], "OS-EXT-IPS:type": "fixed"}])
    );
    assert_eq!(active["diagnostics"][0]["level"], "INFO");

    let listed = api.c_get("/servers").await.json();
    assert_eq!(
        listed["servers"][0],
        json!({"id": id, "name": "vm one", "links": created["links"]})
    );
    let detailed = api.c_get("/servers/detail").await.json();
    assert_eq!(detailed["servers"][0]["status"], "ACTIVE");

    // Rename.
    api.c_put(
        &format!("/servers/{id}"),
        json!({"server": {"name": "renamed"}}),
    )
    .await
    .expect(204);
    assert_eq!(api.server(id).await["name"], "renamed");
    api.c_put(
        &format!("/servers/{id}"),
        json!({"server": {"name": "x".repeat(256)}}),
    )
    .await
    .bad_request("Server name is too long");
    api.c_put(&format!("/servers/{id}"), json!({"server": {}}))
        .await
        .bad_request("Malformed request. Missing attribute 'name'.");

    // Delete: 204, DELETED once the job completes, then gone from lists.
    let reply = api.c_delete(&format!("/servers/{id}")).await;
    assert_eq!(reply.code(), 204);
    assert!(reply.body.is_empty());
    let deleting = api.server(id).await;
    assert_eq!(deleting["SNF:task_state"], "DESTROYING");
    let gone = api.wait_server(id, "DELETED").await;
    assert_eq!(gone["deleted"], true);
    assert_eq!(gone["attachments"], json!([]));
    assert_eq!(api.c_get("/servers").await.json(), json!({"servers": []}));
    api.c_delete(&format!("/servers/{id}"))
        .await
        .bad_request("Server has been deleted.");
    api.action(id, json!({"start": {}}))
        .await
        .bad_request("Server has been deleted.");
    // Another user sees nothing.
    let bob = Api::new(&sim, BOB_TOKEN);
    bob.c_get(&format!("/servers/{id}")).await.assert_fault(
        404,
        "itemNotFound",
        "Server not found.",
    );
}

#[tokio::test]
async fn changes_since() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let keep = api.active_server("keep", json!({})).await;
    let doomed = api.active_server("doomed", json!({})).await;
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
            .replace('+', "%2B")
    };
    api.c_delete(&format!("/servers/{doomed}"))
        .await
        .expect(204);
    api.wait_server(doomed, "DELETED").await;
    let since = fmt(now);
    let changed = api
        .c_get(&format!("/servers/detail?changes-since={since}"))
        .await
        .json();
    let servers = changed["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 1, "{changed}");
    assert_eq!(servers[0]["id"], doomed);
    assert_eq!(servers[0]["status"], "DELETED");
    assert!(
        !api.c_get("/servers")
            .await
            .text()
            .contains(&format!("\"id\": {doomed}"))
    );
    // Nothing changed since now: 304 without a body.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let later = fmt(time::OffsetDateTime::now_utc());
    let reply = api.c_get(&format!("/servers?changes-since={later}")).await;
    assert_eq!(reply.code(), 304);
    assert!(reply.body.is_empty());
    // A change shows up again.
    api.c_post(
        &format!("/servers/{keep}/metadata"),
        json!({"metadata": {"k": "v"}}),
    )
    .await
    .expect(201);
    let reply = api.c_get(&format!("/servers?changes-since={later}")).await;
    assert_eq!(reply.expect(200).json()["servers"][0]["id"], keep);
    for (value, message) in [
        (
            "2000-01-01T00:00:00%2B00:00",
            "Too old changes-since value.",
        ),
        (
            "2999-01-01T00:00:00Z",
            "changes-since value set in the future.",
        ),
        ("yesterday", "Invalid changes-since parameter."),
        ("2024-01-01T00:00:00", "Invalid changes-since parameter."),
    ] {
        api.c_get(&format!("/servers/detail?changes-since={value}"))
            .await
            .bad_request(message);
    }
}

#[tokio::test]
async fn create_validation() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let post = |server: Value| {
        let api = &api;
        async move { api.c_post("/servers", json!({ "server": server })).await }
    };
    for server in [
        json!({"imageRef": DEBIAN, "flavorRef": 1}),
        json!({"name": "x", "flavorRef": 1}),
        json!({"name": "x", "imageRef": DEBIAN}),
        json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "metadata": []}),
        json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "personality": {}}),
    ] {
        post(server).await.bad_request("Malformed request");
    }
    api.c_post("/servers", json!([1, 2]))
        .await
        .bad_request("Malformed request");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 999}))
        .await
        .assert_fault(404, "itemNotFound", "Flavor not found.");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": "one"}))
        .await
        .bad_request("Invalid flavor ID 'one'");
    post(json!({"name": "x", "imageRef": "nope", "flavorRef": "1"}))
        .await
        .assert_fault(404, "itemNotFound", "Image 'nope' not found");
    post(json!({"name": "x", "imageRef": "", "flavorRef": 1}))
        .await
        .bad_request("You need to specify either an image or a block device mapping.");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "adminPass": "weak"}))
        .await
        .bad_request(
            "Password not strong (must contain upper case, lower case, digits and be at least 10 characters!",
        );
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "key_name": "missing"}))
        .await
        .assert_fault(404, "itemNotFound", "Keypair missing not found.");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "key_name": "a", "SNF:key_names": ["b"]}))
        .await
        .bad_request("Only one of the SNF:key_names andkey_name can be set");
    let metadata: BTreeMap<String, String> =
        (0..11).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "metadata": metadata}))
        .await
        .bad_request("Virtual Machines cannot have more than 10 metadata items");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "metadata": {"k": "v".repeat(501)}}))
        .await
        .bad_request("Metadata value is too long");
    let file = json!({"path": "/f", "contents": "aGk="});
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "personality": vec![file.clone(); 6]}))
        .await
        .assert_fault(413, "overLimit", "Maximum number of personalities exceeded");
    let big = json!({"path": "/f", "contents": "A".repeat(10244)});
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "personality": [big]}))
        .await
        .assert_fault(413, "overLimit", "Maximum size of personality exceeded");
    for bad in [
        json!({"path": "/f", "contents": "%%%"}),
        json!({"path": "/f", "contents": "aGk=", "color": "red"}),
        json!("file"),
    ] {
        post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "personality": [bad]}))
            .await
            .bad_request("Malformed personality in request");
    }
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "user_data": "not base64!"}))
        .await
        .bad_request("Marformed user_data request");
    post(json!({"name": "x".repeat(256), "imageRef": DEBIAN, "flavorRef": 1}))
        .await
        .bad_request("Server name is too long");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "tags": ["a/b"]}))
        .await
        .bad_request("Tag cannot contain '/' or ','");
    // Networks.
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [{"uuid": "1"}]}))
        .await
        .assert_fault(
            409,
            "conflict",
            "Cannot find an unused floating IP to connect server to network '1'. Please create a floating IP.",
        );
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [{"uuid": "1", "fixed_ip": null}]}))
        .await
        .bad_request("Cannot connect to public network");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [{"uuid": "abc"}]}))
        .await
        .bad_request("Invalid network ID 'abc'");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [{"uuid": "77"}]}))
        .await
        .assert_fault(404, "itemNotFound", "Network 77 not found.");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [{}]}))
        .await
        .bad_request("Network 'uuid' or 'port' attribute is required.");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [{"port": "5"}]}))
        .await
        .assert_fault(404, "itemNotFound", "Port '5' not found.");
    // Block device mappings.
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "block_device_mapping_v2": [{"source_type": "blank", "volume_size": 2}]}))
        .await
        .bad_request("Root volume cannot be blank");
    post(json!({"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "block_device_mapping_v2": [{"source_type": "tape"}]}))
        .await
        .bad_request("Block Device Mapping is Invalid: source_type must be on of image, volume, blank, snapshot");
    post(json!({"name": "x", "imageRef": WINDOWS, "flavorRef": 1, "block_device_mapping_v2": [{"source_type": "image", "uuid": WINDOWS, "volume_size": 10}]}))
        .await
        .bad_request(&format!(
            "Volume size '{}' is smaller than image's size '13958643712'",
            10 * GIB
        ));
    // Nothing above was created or charged.
    assert_eq!(api.c_get("/servers").await.json(), json!({"servers": []}));
    assert!(sim.cyclades_usage(ALICE_UUID).values().all(|v| *v == 0));

    // `networks: []` means no NICs; a BDM may add a blank data disk.
    let server = api
        .create_server(
            "bare",
            json!({"networks": [], "imageRef": "", "block_device_mapping_v2": [
                {"source_type": "image", "uuid": DEBIAN, "volume_size": 20},
                {"source_type": "blank", "volume_size": 3}
            ], "tags": ["web"], "user_data": "aGk=", "adminPass": "Str0ngPassw0rd"}),
        )
        .await;
    assert_eq!(server["adminPass"], "Str0ngPassw0rd");
    assert_eq!(server["image"]["id"], DEBIAN);
    let active = api.wait_server(id_of(&server), "ACTIVE").await;
    assert_eq!(active["attachments"], json!([]));
    assert_eq!(active["addresses"], json!({}));
    assert_eq!(active["volumes"].as_array().unwrap().len(), 2);
    assert_eq!(active["tags"], json!(["web"]));
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 23 * GIB);
}

#[tokio::test]
async fn status_machine_and_actions() {
    let sim = slow_sim(0, 150).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let id = api.active_server("acts", json!({})).await;
    let nic = api.server(id).await["attachments"][0]["id"]
        .as_u64()
        .unwrap();

    // Unknown and unsupported actions.
    api.action(id, json!({"fly": {}}))
        .await
        .bad_request("Action fly not supported");
    api.action(id, json!({}))
        .await
        .bad_request("Malformed Request.");
    api.action(id, json!({"rebuild": {}})).await.assert_fault(
        501,
        "notImplemented",
        "Rebuild not supported.",
    );
    api.action(id, json!({"changePassword": {"adminPass": "x"}}))
        .await
        .assert_fault(501, "notImplemented", "Changing password is not supported.");
    api.action(id, json!({"os-getSPICEConsole": {}}))
        .await
        .assert_fault(501, "notImplemented", "Spice console not implemented");
    api.action(id, json!({"rescue": {}}))
        .await
        .assert_fault(404, "featureNotEnabled", "");
    api.action(id, json!({"suspend": {}})).await.assert_fault(
        403,
        "forbidden",
        "User is not allowed to suspend his server",
    );
    api.action(id, json!({"reboot": {"type": "WARM"}}))
        .await
        .bad_request("Invalid 'type' attribute.");
    // Wrong source states.
    api.action(id, json!({"start": {}}))
        .await
        .bad_request("Cannot perform 'START' action while server is in 'STARTED' state.");
    api.action(id, json!({"resize": {"flavorRef": 2}}))
        .await
        .bad_request("Cannot perform 'RESIZE' action while server is in 'STARTED' state.");

    // Console of a running server.
    let console = api
        .action(id, json!({"console": {"type": "vnc"}}))
        .await
        .expect(200)
        .json();
    assert_eq!(console["console"]["type"], "vnc");
    assert!(console["console"]["port"].is_u64());
    assert_eq!(console["console"]["password"].as_str().unwrap().len(), 10);
    api.action(id, json!({"console": {"type": "rdp"}}))
        .await
        .bad_request("Supported types: vnc, vnc-ws, vnc-wss");
    let novnc = api
        .action(id, json!({"os-getVNCConsole": {"type": "novnc"}}))
        .await
        .expect(200)
        .json();
    assert!(
        novnc["console"]["url"]
            .as_str()
            .unwrap()
            .contains("password=")
    );

    // Firewall profiles.
    api.action(id, json!({"firewallProfile": {"nic": nic}}))
        .await
        .bad_request("Missing 'profile' attribute");
    api.action(
        id,
        json!({"firewallProfile": {"profile": "ENABLED", "nic": "x"}}),
    )
    .await
    .bad_request("Invalid NIC ID 'x'");
    api.action(
        id,
        json!({"firewallProfile": {"profile": "ENABLED", "nic": 999_999}}),
    )
    .await
    .assert_fault(404, "itemNotFound", "NIC '999999' not found");
    api.action(
        id,
        json!({"firewallProfile": {"profile": "OPEN", "nic": nic}}),
    )
    .await
    .bad_request("Unsupported firewall profile");
    api.action(
        id,
        json!({"firewallProfile": {"profile": "PROTECTED", "nic": nic}}),
    )
    .await
    .expect(202);
    assert_eq!(
        api.server(id).await["attachments"][0]["firewallProfile"],
        "PROTECTED"
    );

    // Hard reboot: REBOOT, then ACTIVE.
    api.action(id, json!({"reboot": {"type": "HARD"}}))
        .await
        .expect(202);
    let rebooting = api.server(id).await;
    assert_eq!(rebooting["status"], "REBOOT");
    assert_eq!(rebooting["SNF:task_state"], "REBOOTING");
    api.action(id, json!({"shutdown": {}}))
        .await
        .bad_request("Cannot perform 'STOP' action while there is a pending 'REBOOT'.");
    api.wait_server(id, "ACTIVE").await;

    // Shutdown: still ACTIVE while stopping, then STOPPED.
    api.action(id, json!({"shutdown": {}})).await.expect(202);
    let stopping = api.server(id).await;
    assert_eq!(
        (&stopping["status"], &stopping["SNF:task_state"]),
        (&json!("ACTIVE"), &json!("STOPPING"))
    );
    api.wait_server(id, "STOPPED").await;
    api.action(id, json!({"os-stop": {}}))
        .await
        .bad_request("Cannot perform 'STOP' action while server is in 'STOPPED' state.");
    api.action(id, json!({"console": {"type": "vnc"}}))
        .await
        .bad_request("Server not in ACTIVE state.");

    // Resize rules.
    api.action(id, json!({"resize": {}}))
        .await
        .bad_request("Missing 'flavorRef' attribute.");
    api.action(id, json!({"resize": {"flavorRef": 1}}))
        .await
        .bad_request(&format!(
            "Server '<vm:{id}@backend:1>' flavor is already '<1:C1R1024D20ext_archipelago>'."
        ));
    api.action(id, json!({"resize": {"flavorRef": 3}}))
        .await
        .bad_request("Cannot change instance's disk size.");
    api.action(id, json!({"resize": {"flavorRef": 5}}))
        .await
        .bad_request("Cannot change instance's volume type.");
    api.action(id, json!({"resize": {"flavorRef": 2}}))
        .await
        .expect(202);
    assert_eq!(api.server(id).await["status"], "RESIZE");
    let resized = api.wait_server(id, "STOPPED").await;
    assert_eq!(resized["flavor"]["id"], 2);

    // Start again.
    api.action(id, json!({"os-start": {}})).await.expect(202);
    assert_eq!(api.server(id).await["SNF:task_state"], "STARTING");
    api.wait_server(id, "ACTIVE").await;

    // Reassign: to the user's own project (no-op), elsewhere refused.
    api.action(id, json!({"reassign": {"project": ALICE_UUID}}))
        .await
        .expect(200);
    api.action(id, json!({"reassign": {}}))
        .await
        .bad_request("Missing 'project' attribute.");
    api.action(id, json!({"reassign": {"project": "elsewhere"}}))
        .await
        .bad_request(&format!("User {ALICE_UUID} not in project elsewhere"));
    api.action(
        id,
        json!({"reassign": {"project": ALICE_UUID, "shared_to_project": true}}),
    )
    .await
    .assert_fault(
        403,
        "forbidden",
        "Sharing resource to the members of the project is not permitted",
    );

    // Stats and diagnostics.
    let stats = api
        .c_get(&format!("/servers/{id}/stats"))
        .await
        .expect(200)
        .json();
    assert_eq!(stats["stats"]["serverRef"], id);
    assert_eq!(stats["stats"]["refresh"], 60);
    let diagnostics = api
        .c_get(&format!("/servers/{id}/diagnostics"))
        .await
        .expect(200)
        .json();
    assert_eq!(diagnostics[0]["source"], "image-info");
}

#[tokio::test]
async fn failed_builds() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    sim.fail_next_server_build();
    let broken = id_of(&api.create_server("broken", json!({})).await);
    let fine = id_of(&api.create_server("fine", json!({})).await);
    let server = api.wait_server(broken, "ERROR").await;
    assert_eq!(server["attachments"], json!([]), "ports went to ERROR");
    assert_eq!(server["diagnostics"][0]["level"], "ERROR");
    api.wait_server(fine, "ACTIVE").await;
    let volume = server["volumes"][0].as_u64().unwrap().to_string();
    assert_eq!(api.volume(&volume).await["status"], "error");
    api.action(broken, json!({"start": {}}))
        .await
        .bad_request("Cannot perform 'START' action while server is in 'ERROR' state.");
    api.c_delete(&format!("/servers/{broken}"))
        .await
        .expect(204);
    api.wait_server(broken, "DELETED").await;
    let usage = sim.cyclades_usage(ALICE_UUID);
    assert_eq!(usage["cyclades.vm"], 1);
    assert_eq!(usage["cyclades.cpu"], 1);
}

#[tokio::test]
async fn metadata_tags_and_addresses() {
    let sim = slow_sim(0, 100).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let id = api
        .active_server("meta", json!({"metadata": {"a": "1"}}))
        .await;
    let meta = |rest: &str| format!("/servers/{id}/metadata{rest}");

    let all = api.c_post(&meta(""), json!({"metadata": {"b": "2"}})).await;
    assert_eq!(
        all.expect(201).json(),
        json!({"metadata": {"a": "1", "b": "2"}})
    );
    assert_eq!(
        api.c_get(&meta("/a")).await.json(),
        json!({"meta": {"a": "1"}})
    );
    let put = api.c_put(&meta("/c"), json!({"meta": {"c": "3"}})).await;
    assert_eq!(put.expect(201).json(), json!({"meta": {"c": "3"}}));
    api.c_put(&meta("/c"), json!({"meta": {"d": "3"}}))
        .await
        .bad_request("Malformed request");
    api.c_put(&meta("/c"), json!({"meta": {"c": "3", "d": "4"}}))
        .await
        .bad_request("Malformed request");
    let long_key = "k".repeat(51);
    api.c_put(
        &meta(&format!("/{long_key}")),
        json!({"meta": {long_key.clone(): "v"}}),
    )
    .await
    .bad_request("Malformed Request. Metadata key is too long");
    let more: BTreeMap<String, String> =
        (0..8).map(|i| (format!("m{i}"), "v".to_owned())).collect();
    api.c_post(&meta(""), json!({ "metadata": more }))
        .await
        .bad_request("Virtual Machines cannot have more than 10 metadata items");
    api.c_delete(&meta("/a")).await.expect(204);
    api.c_delete(&meta("/a"))
        .await
        .assert_fault(404, "itemNotFound", "Metadata key not found.");
    api.c_get(&meta("/a"))
        .await
        .assert_fault(404, "itemNotFound", "Metadata key not found.");
    assert_eq!(
        api.c_get(&meta("")).await.json(),
        json!({"metadata": {"b": "2", "c": "3"}})
    );

    // Tags: PENDADD until the backend confirms them.
    let tags = format!("/servers/{id}/tags");
    let reply = api.c_put(&tags, json!({"tags": ["web", "prod"]})).await;
    assert_eq!(
        reply.expect(200).json(),
        json!({"tags": ["web", "prod"], "statuses": ["PENDADD", "PENDADD"]})
    );
    assert_eq!(api.server(id).await["tags"], json!([]));
    let check = api.c_get(&format!("{tags}/web")).await;
    assert_eq!(
        (check.code(), check.header("tag-status")),
        (204, Some("PENDADD"))
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(api.server(id).await["tags"], json!(["web", "prod"]));
    let check = api.c_get(&format!("{tags}/web")).await;
    assert_eq!(check.header("tag-status"), Some("ACTIVE"));
    assert_eq!(api.c_get(&format!("{tags}/nope")).await.code(), 404);
    let added = api.c_put(&format!("{tags}/db"), Value::Null).await;
    assert_eq!(added.code(), 201);
    assert!(
        added
            .header("location")
            .unwrap()
            .ends_with(&format!("{tags}/db"))
    );
    assert_eq!(
        api.c_put(&format!("{tags}/db"), Value::Null).await.code(),
        204
    );
    api.c_put(&format!("{tags}/{}", "t".repeat(61)), Value::Null)
        .await
        .bad_request("Malformed Request. Tag is too long");
    assert_eq!(api.c_delete(&format!("{tags}/web")).await.code(), 204);
    assert_eq!(api.c_delete(&format!("{tags}/web")).await.code(), 404);
    assert_eq!(api.c_delete(&tags).await.code(), 204);
    let listed = api.c_get(&tags).await.json();
    assert_eq!(listed, json!({"tags": ["db"], "statuses": ["PENDADD"]}));

    // Addresses.
    let ips = api
        .c_get(&format!("/servers/{id}/ips"))
        .await
        .expect(200)
        .json();
    let addr = ips["attachments"][0]["ipv4"].clone();
    assert_eq!(ips["addresses"]["1"][0]["addr"], addr);
    let by_net = api
        .c_get(&format!("/servers/{id}/ips/1"))
        .await
        .expect(200)
        .json();
    assert_eq!(by_net["network"]["1"][0]["addr"], addr);
    api.c_get(&format!("/servers/{id}/ips/abc"))
        .await
        .bad_request("Invalid network ID 'abc'");
    api.c_get(&format!("/servers/{id}/ips/99"))
        .await
        .assert_fault(404, "itemNotFound", "Network 99 not found.");
}

#[tokio::test]
async fn keypairs() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let generated = api
        .c_post("/os-keypairs", json!({"keypair": {"name": "generated"}}))
        .await
        .expect(201)
        .json()["keypair"]
        .clone();
    assert!(
        generated["private_key"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN RSA PRIVATE KEY-----\n")
    );
    assert!(
        generated["public_key"]
            .as_str()
            .unwrap()
            .starts_with("ssh-rsa AAAAB3NzaC1yc2E")
    );
    let fingerprint = generated["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 47, "{fingerprint}");
    let public = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 test@example";
    let uploaded = api
        .c_post(
            "/os-keypairs",
            json!({"keypair": {"name": "uploaded", "public_key": public}}),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(
        uploaded,
        json!({"keypair": {"name": "uploaded", "public_key": public, "fingerprint": "unknown fingerprint"}})
    );
    api.c_post(
        "/os-keypairs",
        json!({"keypair": {"name": "uploaded", "public_key": public}}),
    )
    .await
    .assert_fault(409, "conflict", "A keypair with that name already exists");
    api.c_post("/os-keypairs", json!({"keypair": {}}))
        .await
        .bad_request("Malformed request.");
    api.c_post("/os-keypairs", json!({"keypair": {"name": "   "}}))
        .await
        .bad_request("Invalid name format");
    let names: Vec<Value> = api.c_get("/os-keypairs").await.json()["keypairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["keypair"]["name"].clone())
        .collect();
    assert_eq!(names, [json!("generated"), json!("uploaded")]);
    let one = api.c_get("/os-keypairs/uploaded").await.expect(200).json()["keypair"].clone();
    assert_eq!(one["id"], 2);
    assert_eq!(one["deleted"], false);
    assert_eq!(one["deleted_at"], Value::Null);
    let created = one["created_at"].as_str().unwrap();
    assert!(!created.contains('+') && created.contains('T'), "{created}");
    // Used by a server.
    let server = api
        .create_server("keyed", json!({"key_name": "uploaded", "networks": []}))
        .await;
    assert_eq!(server["key_name"], "uploaded");
    assert_eq!(server["SNF:key_names"], json!(["uploaded"]));
    api.c_delete("/os-keypairs/generated").await.expect(204);
    api.c_get("/os-keypairs/generated").await.assert_fault(
        404,
        "itemNotFound",
        "Keypair generated not found.",
    );
    api.c_delete("/os-keypairs/generated").await.assert_fault(
        404,
        "itemNotFound",
        "Keypair generated not found.",
    );
    // Bob has his own namespace.
    let bob = Api::new(&sim, BOB_TOKEN);
    assert_eq!(
        bob.c_get("/os-keypairs").await.json(),
        json!({"keypairs": []})
    );
    // Ten keys at most: the eleventh is a plain-text 500.
    for i in 0..9 {
        api.c_post(
            "/os-keypairs",
            json!({"keypair": {"name": format!("k{i}"), "public_key": public}}),
        )
        .await
        .expect(201);
    }
    let refused = api
        .c_post("/os-keypairs", json!({"keypair": {"name": "eleventh"}}))
        .await;
    assert_eq!(refused.code(), 500);
    assert_eq!(refused.text(), "SSH keys limit exceeded");
}

#[tokio::test]
async fn floating_ips() {
    let sim = slow_sim(0, 100).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let allocated = api.c_post("/os-floating-ips", Value::Null).await;
    let ip = allocated.expect(200).json()["floating_ip"].clone();
    let address = ip["ip"].as_str().unwrap().to_owned();
    assert_eq!(
        ip,
        json!({"fixed_ip": null, "id": ip["id"], "instance_id": null, "ip": address, "pool": null})
    );
    let ip_id = ip["id"].as_u64().unwrap();
    let listed = api.c_get("/os-floating-ips").await.json();
    assert_eq!(listed["floating_ips"][0]["id"], ip_id);
    // The single-IP view has the network API's shape.
    let one = api
        .c_get(&format!("/os-floating-ips/{ip_id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(one["floatingip"]["id"], ip_id.to_string());
    assert_eq!(one["floatingip"]["floating_ip_address"], address);
    assert_eq!(one["floatingip"]["floating_network_id"], "1");
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.floating_ip"], 1);

    // A server created on the public network takes the free floating IP.
    let server = api
        .create_server("public", json!({"networks": [{"uuid": "1"}]}))
        .await;
    let id = id_of(&server);
    let active = api.wait_server(id, "ACTIVE").await;
    assert_eq!(active["attachments"][0]["OS-EXT-IPS:type"], "floating");
    assert_eq!(active["attachments"][0]["ipv4"], address);
    let one = api.c_get(&format!("/os-floating-ips/{ip_id}")).await.json();
    assert_eq!(one["floatingip"]["instance_id"], id.to_string());
    api.c_delete(&format!("/os-floating-ips/{ip_id}"))
        .await
        .assert_fault(
            409,
            "conflict",
            &format!("IP '{ip_id}' is used by server '{id}'"),
        );

    // Move it with removeFloatingIp / addFloatingIp.
    api.action(id, json!({"removeFloatingIp": {"address": address}}))
        .await
        .expect(202);
    assert_eq!(api.server(id).await["SNF:task_state"], "DISCONNECTING");
    api.wait_server(id, "ACTIVE").await;
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(api.server(id).await["attachments"], json!([]));
    api.action(id, json!({"removeFloatingIp": {"address": address}}))
        .await
        .bad_request(&format!("Floating IP {address} not attached to instance"));
    api.action(id, json!({"addFloatingIp": {"address": "10.9.9.9"}}))
        .await
        .assert_fault(404, "itemNotFound", "Floating IP does not exist.");
    api.action(id, json!({"addFloatingIp": {}}))
        .await
        .bad_request("Missing 'address' attribute");
    api.action(id, json!({"addFloatingIp": {"address": address}}))
        .await
        .expect(202);
    assert_eq!(api.server(id).await["SNF:task_state"], "CONNECTING");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let attached = api.server(id).await;
    assert_eq!(attached["attachments"][0]["ipv4"], address);
    api.action(id, json!({"removeFloatingIp": {"address": address}}))
        .await
        .expect(202);
    // Released only once detached.
    api.c_delete(&format!("/os-floating-ips/{ip_id}"))
        .await
        .assert_fault(
            409,
            "conflict",
            &format!("IP '{ip_id}' is used by server '{id}'"),
        );
    tokio::time::sleep(Duration::from_millis(120)).await;
    api.c_delete(&format!("/os-floating-ips/{ip_id}"))
        .await
        .expect(204);
    api.c_get(&format!("/os-floating-ips/{ip_id}"))
        .await
        .assert_fault(
            404,
            "itemNotFound",
            &format!("Floating IP with ID {ip_id} does not exist."),
        );
    api.c_get("/os-floating-ips/abc")
        .await
        .bad_request("Invalid Floating IP ID abc");
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.floating_ip"], 0);
}

#[tokio::test]
async fn quotas_are_charged_and_released() {
    const GIB_RAM: u64 = 1 << 30;
    let mut quotas = BTreeMap::new();
    quotas.insert(
        ALICE_UUID.to_owned(),
        CycladesQuota {
            vm: 2,
            cpu: 2,
            total_cpu: 4,
            ram: 2 * GIB_RAM,
            total_ram: 8 * GIB_RAM,
            disk: 60 * GIB,
            floating_ip: 1,
            network_private: 1,
        },
    );
    let sim = Sim::start_with(SimConfig {
        build_delay: Duration::ZERO,
        action_delay: Duration::ZERO,
        cyclades_quotas: quotas,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    let first = api.active_server("one", json!({"flavorRef": 2})).await;
    let usage = sim.cyclades_usage(ALICE_UUID);
    assert_eq!(
        (
            usage["cyclades.vm"],
            usage["cyclades.cpu"],
            usage["cyclades.total_cpu"],
            usage["cyclades.ram"],
            usage["cyclades.disk"]
        ),
        (1, 2, 2, 2 * GIB_RAM, 20 * GIB)
    );
    // No running CPUs left.
    api.c_post(
        "/servers",
        json!({"server": {"name": "two", "imageRef": DEBIAN, "flavorRef": 1}}),
    )
    .await
    .assert_fault(
        413,
        "overLimit",
        &format!("user:{ALICE_UUID} has not enough capacity of cyclades.cpu."),
    );
    // Stopping releases cpu and ram, not the totals.
    api.action(first, json!({"shutdown": {}})).await.expect(202);
    api.wait_server(first, "STOPPED").await;
    let usage = sim.cyclades_usage(ALICE_UUID);
    assert_eq!((usage["cyclades.cpu"], usage["cyclades.total_cpu"]), (0, 2));
    let second = api.active_server("two", json!({"flavorRef": 2})).await;
    // Starting charges again: over the running limit now.
    api.action(first, json!({"start": {}})).await.assert_fault(
        413,
        "overLimit",
        &format!("user:{ALICE_UUID} has not enough capacity of cyclades.cpu."),
    );
    assert_eq!(api.server(first).await["status"], "STOPPED");
    // Third server: over the VM limit.
    api.c_post(
        "/servers",
        json!({"server": {"name": "three", "imageRef": DEBIAN, "flavorRef": 1}}),
    )
    .await
    .assert_fault(
        413,
        "overLimit",
        &format!("user:{ALICE_UUID} has not enough capacity of cyclades.vm."),
    );
    // Floating IP limit.
    api.c_post("/os-floating-ips", Value::Null)
        .await
        .expect(200);
    api.c_post("/os-floating-ips", Value::Null)
        .await
        .assert_fault(
            413,
            "overLimit",
            &format!("user:{ALICE_UUID} has not enough capacity of cyclades.floating_ip."),
        );
    // Deleting releases everything.
    api.c_delete(&format!("/servers/{second}"))
        .await
        .expect(204);
    api.action(first, json!({"start": {}})).await.expect(202);
    api.c_delete(&format!("/servers/{first}")).await.expect(204);
    api.wait_server(first, "DELETED").await;
    let usage = sim.cyclades_usage(ALICE_UUID);
    for resource in [
        "cyclades.vm",
        "cyclades.cpu",
        "cyclades.total_cpu",
        "cyclades.ram",
        "cyclades.total_ram",
        "cyclades.disk",
    ] {
        assert_eq!(usage[resource], 0, "{resource}");
    }
    // Bob's quota is the default one and untouched.
    assert_eq!(sim.cyclades_usage(synnefo_sim::BOB_UUID)["cyclades.vm"], 0);
}

#[tokio::test]
async fn volume_attachments_through_compute() {
    let sim = slow_sim(200, 100).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let server = api.create_server("disks", json!({"networks": []})).await;
    let id = id_of(&server);
    let root = server["volumes"][0].as_u64().unwrap();
    // A detachable volume, created detached.
    let created = api
        .v_post(
            "/volumes",
            json!({"volume": {"display_name": "extra", "size": 2, "volume_type": 1}}),
        )
        .await
        .expect(202)
        .json();
    let volume = created["volume"]["id"].as_str().unwrap().to_owned();
    api.wait_volume(&volume, "available").await;
    // Attaching while the server builds: 409.
    api.c_post(
        &format!("/servers/{id}/os-volume_attachments"),
        json!({"volumeAttachment": {"volumeId": volume}}),
    )
    .await
    .assert_fault(
        409,
        "buildInProgress",
        &format!("Server '{id}' is being built."),
    );
    api.wait_server(id, "ACTIVE").await;
    let list = api
        .c_get(&format!("/servers/{id}/os-volume_attachments"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        list,
        json!({"volumeAttachments": [{"id": root, "volumeId": root, "serverId": id, "device": ""}]})
    );
    let vid: u64 = volume.parse().unwrap();
    let attached = api
        .c_post(
            &format!("/servers/{id}/os-volume_attachments"),
            json!({"volumeAttachment": {"volumeId": volume}}),
        )
        .await;
    assert_eq!(
        attached.expect(202).json(),
        json!({"volumeAttachment": {"id": vid, "volumeId": vid, "serverId": id, "device": ""}})
    );
    assert_eq!(api.volume(&volume).await["status"], "attaching");
    let in_use = api.wait_volume(&volume, "in_use").await;
    assert_eq!(
        in_use["attachments"],
        json!([{"server_id": id, "volume_id": vid, "device_index": 1}])
    );
    assert_eq!(api.server(id).await["volumes"], json!([root, vid]));
    let one = api
        .c_get(&format!("/servers/{id}/os-volume_attachments/{vid}"))
        .await
        .expect(200)
        .json();
    assert_eq!(one["volumeAttachment"]["serverId"], id);
    // Attaching an attached volume again.
    api.c_post(
        &format!("/servers/{id}/os-volume_attachments"),
        json!({"volumeAttachment": {"volumeId": vid}}),
    )
    .await
    .bad_request("Cannot attach volume while volume is in 'IN_USE' status.");
    api.c_post(
        &format!("/servers/{id}/os-volume_attachments"),
        json!({"volumeAttachment": {}}),
    )
    .await
    .bad_request("Malformed request. Missing attribute 'volumeId'.");
    api.c_post(
        &format!("/servers/{id}/os-volume_attachments"),
        json!({"volumeAttachment": {"volumeId": 4242}}),
    )
    .await
    .bad_request("Volume 4242 not found");
    // The root volume stays.
    api.c_delete(&format!("/servers/{id}/os-volume_attachments/{root}"))
        .await
        .bad_request(&format!(
            "Cannot detach the root volume of server <vm:{id}@backend:1>."
        ));
    // Detach: 202, detaching, then available and gone from the server.
    let reply = api
        .c_delete(&format!("/servers/{id}/os-volume_attachments/{vid}"))
        .await;
    assert_eq!(reply.code(), 202);
    assert_eq!(api.volume(&volume).await["status"], "detaching");
    let available = api.wait_volume(&volume, "available").await;
    assert_eq!(available["attachments"], json!([]));
    api.c_get(&format!("/servers/{id}/os-volume_attachments/{vid}"))
        .await
        .bad_request(&format!(
            "Volume '{vid}' is not attached to server '<vm:{id}@backend:1>'"
        ));
    // A drbd volume cannot go on an archipelago server (and cannot exist
    // detached in the first place).
    let drbd_server = api
        .active_server("drbd", json!({"flavorRef": 5, "networks": []}))
        .await;
    api.c_post(
        &format!("/servers/{drbd_server}/os-volume_attachments"),
        json!({"volumeAttachment": {"volumeId": vid}}),
    )
    .await
    .bad_request(
        "Volume and server must have the same volume template. Volume has volume template'ext' while server has 'drbd'",
    );
}

#[tokio::test]
async fn hostile_inputs_get_client_errors() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let id = api.active_server("target", json!({})).await;
    let bodies = [
        json!(null),
        json!([]),
        json!("text"),
        json!(17),
        json!({"server": null}),
        json!({"server": {"name": 5, "imageRef": 5, "flavorRef": [1]}}),
        json!({"server": {"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "networks": [5]}}),
        json!({"server": {"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "block_device_mapping_v2": [{"source_type": "image", "uuid": DEBIAN, "volume_size": "huge"}]}}),
        json!({"server": {"name": "x", "imageRef": DEBIAN, "flavorRef": 1, "block_device_mapping_v2": [{"source_type": "image", "uuid": DEBIAN, "volume_size": 99999999999999999u64}]}}),
    ];
    for body in bodies {
        let reply = api
            .send(
                "POST",
                &format!("{COMPUTE}/servers"),
                &[("content-type", "application/json")],
                body.to_string(),
            )
            .await;
        assert!(
            (400..500).contains(&reply.code()),
            "{body}: {} {}",
            reply.code(),
            reply.text()
        );
    }
    for body in [
        json!([]),
        json!({"reboot": "now"}),
        json!({"firewallProfile": {"profile": [1], "nic": {"x": 1}}}),
        json!({"resize": {"flavorRef": -1}}),
        json!({"console": {"type": 7}}),
        json!({"reassign": {"project": 12}}),
    ] {
        let reply = api.action(id, body.clone()).await;
        assert!(
            (400..500).contains(&reply.code()),
            "{body}: {}",
            reply.text()
        );
    }
    for (path, body) in [
        (
            format!("/servers/{id}/metadata"),
            json!({"metadata": {"k": 1}}),
        ),
        (format!("/servers/{id}/metadata"), json!({"metadata": []})),
        (format!("/servers/{id}/tags"), json!({"tags": [1]})),
        (
            format!("/servers/{id}/os-volume_attachments"),
            json!({"volumeAttachment": {"volumeId": "x"}}),
        ),
        (
            "/os-keypairs".to_owned(),
            json!({"keypair": {"name": "k", "public_key": 5}}),
        ),
    ] {
        let method = if path.ends_with("tags") {
            "PUT"
        } else {
            "POST"
        };
        let reply = api
            .call(method, &format!("{COMPUTE}{path}"), body.clone())
            .await;
        assert!(
            (400..500).contains(&reply.code()),
            "{path} {body}: {}",
            reply.text()
        );
    }
    // Huge and odd ids.
    assert_eq!(
        api.c_get("/servers/99999999999999999999999").await.code(),
        404
    );
    assert_eq!(
        api.c_get("/servers/99999999999999999999999/metadata")
            .await
            .code(),
        404
    );
    // The server is unharmed.
    assert_eq!(api.server(id).await["status"], "ACTIVE");
}

#[tokio::test]
async fn deleting_during_jobs_settles_quotas() {
    let sim = slow_sim(0, 300).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let stopping = api.active_server("stopping", json!({"networks": []})).await;
    let starting = api.active_server("starting", json!({"networks": []})).await;
    api.action(starting, json!({"shutdown": {}}))
        .await
        .expect(202);
    api.wait_server(starting, "STOPPED").await;
    api.action(stopping, json!({"shutdown": {}}))
        .await
        .expect(202);
    api.action(starting, json!({"start": {}})).await.expect(202);
    // Destroys issued over pending jobs.
    api.c_delete(&format!("/servers/{stopping}"))
        .await
        .expect(204);
    api.c_delete(&format!("/servers/{starting}"))
        .await
        .expect(204);
    // A second delete while destroying is accepted too.
    api.c_delete(&format!("/servers/{starting}"))
        .await
        .expect(204);
    api.wait_server(stopping, "DELETED").await;
    api.wait_server(starting, "DELETED").await;
    assert!(
        sim.cyclades_usage(ALICE_UUID).values().all(|v| *v == 0),
        "{:?}",
        sim.cyclades_usage(ALICE_UUID)
    );
}
