//! End-to-end tests of the Cyclades block storage emulation over real HTTP:
//! routing, volume types, volumes and their status machine, metadata,
//! reassignment, snapshots, quotas (wire reference §5, §0, §12).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Api, DEBIAN, VOLUME, instant_sim, slow_sim};
use synnefo_sim::{ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, CycladesQuota, Sim, SimConfig};

const GIB: u64 = 1 << 30;

/// Creates a detached volume of type 1 and returns its id.
async fn detached(api: &Api<'_>, name: &str, size: u64) -> String {
    let reply = api
        .v_post(
            "/volumes",
            json!({"volume": {"display_name": name, "size": size, "volume_type": 1}}),
        )
        .await;
    reply.expect(202).json()["volume"]["id"]
        .as_str()
        .expect("string volume id")
        .to_owned()
}

#[tokio::test]
async fn routing_methods_and_auth() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let anonymous = Api::anonymous(&sim);
    let versions = anonymous.get("/cyclades/volume").await.expect(200).json();
    assert_eq!(versions["versions"][0]["id"], "v2.0");
    anonymous.v_get("/volumes").await.assert_fault(
        401,
        "unauthorized",
        "Access denied. No authentication token",
    );
    let stranger = Api::new(&sim, "bogus");
    assert_eq!(stranger.v_get("/types").await.json()["fault"]["code"], 401);
    // `/v2` is the same API.
    let v2 = api
        .get("/cyclades/volume/v2/volumes")
        .await
        .expect(200)
        .json();
    assert_eq!(v2, json!({"volumes": []}));
    for path in ["/backups", "/volumes/abc", "/volumes/1/", "/", "/types/x"] {
        api.v_get(path).await.bad_request("API endpoint not found");
    }
    api.get("/cyclades/volume/v3/volumes")
        .await
        .bad_request("API endpoint not found");
    // Demultiplexed URLs: Django's bare 405, even without a token.
    for (method, path, allow) in [
        ("PUT", "/volumes", "GET, POST"),
        ("POST", "/volumes/1", "GET, PUT, DELETE"),
        ("DELETE", "/volumes/1/metadata", "GET, POST, PUT"),
        ("GET", "/volumes/1/metadata/k", "DELETE"),
        ("DELETE", "/snapshots", "GET, POST"),
    ] {
        let reply = anonymous
            .call(method, &format!("{VOLUME}{path}"), Value::Null)
            .await;
        assert_eq!(reply.code(), 405, "{method} {path}");
        assert_eq!(reply.header("allow"), Some(allow));
        assert!(reply.body.is_empty(), "{method} {path}: {}", reply.text());
    }
    // Single-method views: a JSON `notAllowed`.
    for (method, path, allow) in [
        ("POST", "/volumes/detail", "GET"),
        ("POST", "/types", "GET"),
        ("DELETE", "/types/1", "GET"),
        ("GET", "/volumes/1/action", "POST"),
    ] {
        let reply = api
            .call(method, &format!("{VOLUME}{path}"), Value::Null)
            .await;
        reply.assert_fault(405, "notAllowed", "Method not allowed");
        assert_eq!(reply.header("allow"), Some(allow));
    }
}

#[tokio::test]
async fn volume_types() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let types = api.v_get("/types").await.expect(200).json();
    assert_eq!(
        types,
        json!({"volume_types": [
            {"id": 1, "name": "ext_archipelago", "deleted": false,
             "SNF:disk_template": "ext_archipelago", "SNF:detachable": true},
            {"id": 2, "name": "drbd", "deleted": false,
             "SNF:disk_template": "drbd", "SNF:detachable": false},
        ]})
    );
    let one = api.v_get("/types/2").await.expect(200).json();
    assert_eq!(one["volume_type"]["name"], "drbd");
    api.v_get("/types/99")
        .await
        .assert_fault(404, "itemNotFound", "Volume type 99 not found");
}

#[tokio::test]
async fn detached_volumes_lifecycle() {
    let sim = slow_sim(0, 150).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let reply = api
        .v_post(
            "/volumes",
            json!({"volume": {"display_name": "data", "size": 2, "volume_type": "1",
                              "display_description": "for tests", "metadata": {"k1": "v1"}}}),
        )
        .await;
    let body = reply.expect(202).json();
    let id = body["volume"]["id"].as_str().unwrap().to_owned();
    // Only the summary form.
    assert_eq!(
        body,
        json!({"volume": {"id": id, "display_name": "data", "links": [
            {"rel": "self", "href": format!("{}/volumes/{id}", sim.volume_url())},
            {"rel": "bookmark", "href": format!("{}/volumes/{id}", sim.volume_url())},
        ]}})
    );
    let creating = api.volume(&id).await;
    assert_eq!(creating["status"], "creating");
    let volume = api.wait_volume(&id, "available").await;
    assert_eq!(volume["size"], 2);
    assert_eq!(volume["display_description"], "for tests");
    assert_eq!(volume["metadata"], json!({"k1": "v1"}));
    assert_eq!(volume["attachments"], json!([]));
    assert_eq!(volume["volume_type"], 1);
    assert_eq!(volume["snapshot_id"], Value::Null);
    assert_eq!(volume["image_id"], Value::Null);
    assert_eq!(volume["source_volid"], Value::Null);
    assert_eq!(volume["user_id"], ALICE_UUID);
    assert_eq!(volume["tenant_id"], ALICE_UUID);
    assert_eq!(volume["deleted"], false);
    assert_eq!(volume["delete_on_termination"], true);
    assert!(volume["created_at"].as_str().unwrap().ends_with("+00:00"));
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 2 * GIB);

    let list = api.v_get("/volumes").await.expect(200).json();
    assert_eq!(list["volumes"][0]["id"], id);
    assert!(list["volumes"][0].get("status").is_none());
    let detail = api.v_get("/volumes/detail").await.json();
    assert_eq!(detail["volumes"][0]["status"], "available");

    // Update.
    let updated = api
        .v_put(
            &format!("/volumes/{id}"),
            json!({"volume": {"display_name": "renamed", "delete_on_termination": true}}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(updated["volume"]["display_name"], "renamed");
    api.v_put(&format!("/volumes/{id}"), json!({"volume": {}}))
        .await
        .bad_request("Nothing to update.");
    api.v_put(
        &format!("/volumes/{id}"),
        json!({"volume": {"display_description": "d".repeat(256)}}),
    )
    .await
    .bad_request("Volume description is too long");
    api.v_put(
        &format!("/volumes/{id}"),
        json!({"volume": {"delete_on_termination": false}}),
    )
    .await
    .assert_fault(
        501,
        "notImplemented",
        "Volumes with the 'delete_on_termination' attribute set to False are not supported",
    );
    api.v_put(
        &format!("/volumes/{id}"),
        json!({"volume": {"delete_on_termination": "no"}}),
    )
    .await
    .bad_request("Malformed request. Invalid 'delete_on_termination' field");

    // Metadata: merge, replace, delete.
    let meta = format!("/volumes/{id}/metadata");
    let merged = api.v_post(&meta, json!({"metadata": {"k2": "v2"}})).await;
    assert_eq!(
        merged.expect(200).json(),
        json!({"metadata": {"k1": "v1", "k2": "v2"}})
    );
    let replaced = api.v_put(&meta, json!({"metadata": {"k3": "v3"}})).await;
    assert_eq!(
        replaced.expect(200).json(),
        json!({"metadata": {"k3": "v3"}})
    );
    let reply = api.v_delete(&format!("{meta}/k3")).await;
    assert_eq!(reply.code(), 200);
    api.v_delete(&format!("{meta}/k3"))
        .await
        .bad_request("Metadata key not found");
    assert_eq!(api.v_get(&meta).await.json(), json!({"metadata": {}}));
    let many: BTreeMap<String, String> =
        (0..11).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    api.v_post(&meta, json!({ "metadata": many }))
        .await
        .bad_request("Volumes cannot have more than 10 metadata items");
    api.v_post(&meta, json!({"metadata": {"k".repeat(65): "v"}}))
        .await
        .bad_request("Metadata key is too long.");

    // Reassign.
    let action = format!("/volumes/{id}/action");
    api.v_post(&action, json!({"reassign": {"project": ALICE_UUID}}))
        .await
        .expect(200);
    api.v_post(&action, json!({"reassign": {}}))
        .await
        .bad_request("Missing 'project' attribute.");
    api.v_post(&action, json!({"reassign": {"project": "other"}}))
        .await
        .bad_request(&format!("User {ALICE_UUID} not in project other"));
    api.v_post(&action, json!({"extend": {"new_size": 3}}))
        .await
        .bad_request("Action extend not supported");

    // Delete: deleting, then deleted (still readable, gone from lists).
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(api.v_delete(&format!("/volumes/{id}")).await.code(), 202);
    assert_eq!(api.volume(&id).await["status"], "deleting");
    api.v_delete(&format!("/volumes/{id}"))
        .await
        .bad_request("Volume is in invalid state: DELETING");
    let gone = api.wait_volume(&id, "deleted").await;
    assert_eq!(gone["deleted"], true);
    assert_eq!(api.v_get("/volumes").await.json(), json!({"volumes": []}));
    let since = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
        .replace('+', "%2B");
    let changed = api
        .v_get(&format!("/volumes/detail?changes-since={since}"))
        .await
        .json();
    assert_eq!(changed["volumes"][0]["status"], "deleted");
    api.v_delete(&format!("/volumes/{id}"))
        .await
        .bad_request(&format!("Volume '{id}' has been deleted."));
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 0);
    api.v_get("/volumes/999999")
        .await
        .assert_fault(404, "itemNotFound", "Volume 999999 not found");
    // Other users see nothing.
    let bob = Api::new(&sim, BOB_TOKEN);
    assert_eq!(bob.v_get(&format!("/volumes/{id}")).await.code(), 404);
}

#[tokio::test]
async fn create_validation() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let post = |volume: Value| {
        let api = &api;
        async move { api.v_post("/volumes", json!({ "volume": volume })).await }
    };
    api.v_post("/volumes", json!({}))
        .await
        .bad_request("Malformed request. Missing attribute 'volume'.");
    post(json!({"size": 1}))
        .await
        .bad_request("Malformed request. Missing attribute 'display_name'.");
    post(json!({"display_name": 5, "size": 1}))
        .await
        .bad_request("Malformed request. Invalid 'display_name' field");
    post(json!({"display_name": "v"}))
        .await
        .bad_request("Malformed request. Missing attribute 'size'.");
    for size in [json!(0), json!(-3), json!("ten")] {
        let shown = match &size {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        post(json!({"display_name": "v", "size": size, "volume_type": 1}))
            .await
            .bad_request(&format!(
                "Volume 'size' needs to be a positive integer value. '{shown}' cannot be accepted."
            ));
    }
    post(json!({"display_name": "v", "size": 1.5}))
        .await
        .bad_request("Malformed request. Invalid 'size' field");
    post(json!({"display_name": "v", "size": 201, "volume_type": 1}))
        .await
        .bad_request("Maximum volume size is 200GB");
    post(json!({"display_name": "v", "size": 1}))
        .await
        .bad_request("Invalid volume type id: None");
    post(json!({"display_name": "v", "size": 1, "volume_type": 9}))
        .await
        .bad_request("Volume type 9 not found");
    post(json!({"display_name": "v", "size": 1, "volume_type": 2}))
        .await
        .bad_request("Volume type 'drbd' is not detachable");
    post(json!({"display_name": "v", "size": 1, "volume_type": 1, "source_volid": "3"}))
        .await
        .bad_request("Cloning a volume is not supported");
    post(json!({"display_name": "v", "size": 1, "volume_type": 1, "imageRef": DEBIAN, "snapshot_id": "x"}))
        .await
        .bad_request("Volume can not have more than one source!");
    post(json!({"display_name": "v", "size": 1, "volume_type": 1, "imageRef": DEBIAN}))
        .await
        .bad_request(&format!(
            "Volume size '{GIB}' is smaller than image's size '1610612736'"
        ));
    post(json!({"display_name": "v", "size": 2, "volume_type": 1, "imageRef": "nope"}))
        .await
        .bad_request("Image nope not found");
    post(json!({"display_name": "v", "size": 2, "volume_type": 1, "snapshot_id": "nope"}))
        .await
        .bad_request("Snapshot nope not found");
    post(json!({"display_name": "v", "size": 2, "server_id": 77}))
        .await
        .bad_request("Server 77 not found");
    post(json!({"display_name": "n".repeat(256), "size": 2, "volume_type": 1}))
        .await
        .bad_request("Volume name is too long");
    // Nothing was created or charged.
    assert_eq!(api.v_get("/volumes").await.json(), json!({"volumes": []}));
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 0);
    // From an image: the image id shows.
    let id = {
        let reply =
            post(json!({"display_name": "os", "size": 2, "volume_type": 1, "imageRef": DEBIAN}))
                .await;
        reply.expect(202).json()["volume"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(api.volume(&id).await["image_id"], DEBIAN);
}

#[tokio::test]
async fn volumes_created_on_servers() {
    let sim = slow_sim(0, 100).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let server = api.active_server("host", json!({"networks": []})).await;
    let reply = api
        .v_post(
            "/volumes",
            json!({"volume": {"display_name": "data", "size": 3, "server_id": server}}),
        )
        .await;
    let id = reply.expect(202).json()["volume"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let vid: u64 = id.parse().unwrap();
    // Attached at once, in use once the server's job completes.
    let creating = api.volume(&id).await;
    assert_eq!(creating["status"], "creating");
    assert_eq!(creating["attachments"][0]["server_id"], server);
    assert_eq!(
        api.server(server).await["SNF:task_state"],
        "ATTACHING_VOLUME"
    );
    let in_use = api.wait_volume(&id, "in_use").await;
    assert_eq!(in_use["volume_type"], 1, "the server's type");
    assert_eq!(in_use["attachments"][0]["device_index"], 1);
    assert!(
        api.server(server).await["volumes"]
            .as_array()
            .unwrap()
            .contains(&json!(vid))
    );
    // Wrong template for this server; unknown and deleted servers.
    api.v_post(
        "/volumes",
        json!({"volume": {"display_name": "x", "size": 1, "server_id": server, "volume_type": 2}}),
    )
    .await
    .bad_request(
        "Cannot create a volume with template 'drbd' to a server with volume template 'ext'.",
    );
    api.v_post(
        "/volumes",
        json!({"volume": {"display_name": "x", "size": 1, "server_id": "abc"}}),
    )
    .await
    .bad_request("Invalid server ID.");
    // The root volume: not deletable, not reassignable.
    let root = api.server(server).await["volumes"][0].as_u64().unwrap();
    api.v_delete(&format!("/volumes/{root}"))
        .await
        .bad_request(&format!(
            "Cannot delete the root volume of server <vm:{server}@backend:1>."
        ));
    api.v_post(
        &format!("/volumes/{root}/action"),
        json!({"reassign": {"project": ALICE_UUID}}),
    )
    .await
    .assert_fault(
        409,
        "conflict",
        &format!("Cannot reassign: {root} is a system volume"),
    );
    // Deleting an attached volume: a job on its server.
    assert_eq!(api.v_delete(&format!("/volumes/{id}")).await.code(), 202);
    assert_eq!(api.volume(&id).await["status"], "deleting");
    let gone = api.wait_volume(&id, "deleted").await;
    assert_eq!(gone["attachments"], json!([]));
    assert_eq!(api.server(server).await["volumes"], json!([root]));
    // Deleting the server deletes its root volume.
    api.c_delete(&format!("/servers/{server}"))
        .await
        .expect(204);
    api.wait_server(server, "DELETED").await;
    assert_eq!(api.volume(&root.to_string()).await["status"], "deleted");
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 0);
}

#[tokio::test]
async fn snapshots() {
    let sim = slow_sim(0, 100).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let server = api
        .active_server(
            "snap source",
            json!({"networks": [], "metadata": {"OS": "debian", "users": "root", "other": "x"}}),
        )
        .await;
    let root = api.server(server).await["volumes"][0].as_u64().unwrap();
    let reply = api
        .v_post(
            "/snapshots",
            json!({"snapshot": {"volume_id": root.to_string(), "display_name": "snap",
                                "display_description": "before upgrade", "metadata": {"k": "v"}}}),
        )
        .await;
    let snapshot = reply.expect(202).json()["snapshot"].clone();
    let id = snapshot["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(snapshot["status"], "CREATING");
    assert_eq!(snapshot["os-extended-snapshot-attribute:progress"], 0);
    assert_eq!(snapshot["size"], 20);
    assert_eq!(snapshot["volume_id"], root.to_string());
    assert_eq!(snapshot["display_description"], "before upgrade");
    assert_eq!(snapshot["metadata"], json!({}));
    assert_eq!(snapshot["user_id"], ALICE_UUID);
    // Available after the job.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let one = api
        .v_get(&format!("/snapshots/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(one["snapshot"]["status"], "AVAILABLE");
    assert_eq!(
        one["snapshot"]["os-extended-snapshot-attribute:progress"],
        "100%"
    );
    let listed = api.v_get("/snapshots").await.json();
    assert_eq!(listed["snapshots"][0]["id"], id);
    assert_eq!(api.v_get("/snapshots/detail").await.json(), listed);
    // The properties: given metadata, server OS/users, Plankton extras.
    let meta = api
        .v_get(&format!("/snapshots/{id}/metadata"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        meta,
        json!({"metadata": {"k": "v", "OS": "debian", "users": "root",
                            "exclude_all_tasks": "yes", "description": "before upgrade"}})
    );
    // A snapshot is an image of its owner.
    let image = api.c_get(&format!("/images/{id}")).await.expect(200).json();
    assert_eq!(image["image"]["is_snapshot"], true);
    assert_eq!(image["image"]["public"], false);
    assert_eq!(image["image"]["user_id"], ALICE_UUID);
    let bob = Api::new(&sim, BOB_TOKEN);
    assert_eq!(bob.v_get(&format!("/snapshots/{id}")).await.code(), 404);
    // Update.
    let updated = api
        .v_put(
            &format!("/snapshots/{id}"),
            json!({"snapshot": {"display_name": "renamed"}}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(updated["snapshot"]["display_name"], "renamed");
    api.v_put(&format!("/snapshots/{id}"), json!({"snapshot": {}}))
        .await
        .bad_request("Nothing to update.");
    // Metadata changes.
    let merged = api
        .v_post(
            &format!("/snapshots/{id}/metadata"),
            json!({"metadata": {"k2": "v2"}}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(merged["metadata"]["k2"], "v2");
    let replaced = api
        .v_put(
            &format!("/snapshots/{id}/metadata"),
            json!({"metadata": {"only": "this"}}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(replaced, json!({"metadata": {"only": "this"}}));
    for _ in 0..2 {
        let reply = api
            .v_delete(&format!("/snapshots/{id}/metadata/only"))
            .await;
        assert_eq!(reply.code(), 200);
    }
    // Volumes and servers from the snapshot.
    let from_snapshot = api
        .v_post(
            "/volumes",
            json!({"volume": {"display_name": "copy", "size": 20, "volume_type": 1, "snapshot_id": id}}),
        )
        .await
        .expect(202)
        .json()["volume"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(api.volume(&from_snapshot).await["snapshot_id"], id);
    api.v_post(
        "/volumes",
        json!({"volume": {"display_name": "small", "size": 19, "volume_type": 1, "snapshot_id": id}}),
    )
    .await
    .bad_request(&format!(
        "Volume size '{}' is smaller than snapshot's size '{}'",
        19 * GIB,
        20 * GIB
    ));
    let restored = api
        .create_server("restored", json!({"imageRef": id, "networks": []}))
        .await;
    assert_eq!(restored["image"]["id"], id);
    // Refusals: detached volumes, non-ext templates, missing volume.
    let loose = {
        let reply = api
            .v_post(
                "/volumes",
                json!({"volume": {"display_name": "loose", "size": 1, "volume_type": 1}}),
            )
            .await;
        reply.json()["volume"]["id"].as_str().unwrap().to_owned()
    };
    api.v_post("/snapshots", json!({"snapshot": {"volume_id": loose}}))
        .await
        .bad_request("Cannot snapshot a detached volume!");
    let drbd = api
        .active_server("drbd", json!({"flavorRef": 5, "networks": []}))
        .await;
    let drbd_root = api.server(drbd).await["volumes"][0].as_u64().unwrap();
    api.v_post("/snapshots", json!({"snapshot": {"volume_id": drbd_root}}))
        .await
        .bad_request(
            "Cannot take a snapshot from a volume with volume type '2' and 'drbd' disk template",
        );
    api.v_post("/snapshots", json!({"snapshot": {}}))
        .await
        .bad_request("Malformed request. Missing attribute 'volume_id'.");
    api.v_post("/snapshots", json!({"snapshot": {"volume_id": "9999"}}))
        .await
        .bad_request("Volume 9999 not found");
    // Default name.
    let named = api
        .v_post("/snapshots", json!({"snapshot": {"volume_id": root}}))
        .await
        .expect(202)
        .json();
    assert_eq!(
        named["snapshot"]["display_name"],
        format!("Snapshot of volume '{root}'")
    );
    // Delete.
    assert_eq!(api.v_delete(&format!("/snapshots/{id}")).await.code(), 202);
    api.v_get(&format!("/snapshots/{id}")).await.assert_fault(
        404,
        "itemNotFound",
        &format!("Snapshot {id} not found"),
    );
}

#[tokio::test]
async fn disk_quota() {
    let mut quotas = BTreeMap::new();
    quotas.insert(
        ALICE_UUID.to_owned(),
        CycladesQuota {
            disk: 25 * GIB,
            ..CycladesQuota::default()
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
    let server = api.active_server("vm", json!({"networks": []})).await;
    let small = detached(&api, "small", 5).await;
    api.v_post(
        "/volumes",
        json!({"volume": {"display_name": "big", "size": 1, "volume_type": 1}}),
    )
    .await
    .assert_fault(
        413,
        "overLimit",
        &format!("user:{ALICE_UUID} has not enough capacity of cyclades.disk."),
    );
    api.v_post(
        "/volumes",
        json!({"volume": {"display_name": "big", "size": 1, "server_id": server}}),
    )
    .await
    .assert_fault(
        413,
        "overLimit",
        &format!("user:{ALICE_UUID} has not enough capacity of cyclades.disk."),
    );
    // Nothing half-created.
    assert_eq!(
        api.v_get("/volumes").await.json()["volumes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Attaching an existing volume costs nothing more.
    api.c_post(
        &format!("/servers/{server}/os-volume_attachments"),
        json!({"volumeAttachment": {"volumeId": small}}),
    )
    .await
    .expect(202);
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 25 * GIB);
    api.v_delete(&format!("/volumes/{small}")).await.expect(202);
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.disk"], 20 * GIB);
    detached(&api, "again", 5).await;
}

#[tokio::test]
async fn hostile_inputs_get_client_errors() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let id = detached(&api, "target", 1).await;
    for (method, path, body) in [
        ("POST", "/volumes".to_owned(), json!([])),
        ("POST", "/volumes".to_owned(), json!({"volume": "x"})),
        (
            "POST",
            "/volumes".to_owned(),
            json!({"volume": {"display_name": "v", "size": true, "volume_type": [1]}}),
        ),
        (
            "POST",
            "/volumes".to_owned(),
            json!({"volume": {"display_name": "v", "size": "99999999999999999999999999999999999999999999", "volume_type": 1}}),
        ),
        (
            "PUT",
            format!("/volumes/{id}"),
            json!({"volume": {"display_name": 7}}),
        ),
        ("PUT", format!("/volumes/{id}"), json!(null)),
        (
            "POST",
            format!("/volumes/{id}/metadata"),
            json!({"metadata": {"k": 1}}),
        ),
        (
            "PUT",
            format!("/volumes/{id}/metadata"),
            json!({"metadata": "k"}),
        ),
        (
            "POST",
            format!("/volumes/{id}/action"),
            json!({"reassign": "me"}),
        ),
        ("POST", format!("/volumes/{id}/action"), json!({})),
        (
            "POST",
            "/snapshots".to_owned(),
            json!({"snapshot": {"volume_id": {"a": 1}}}),
        ),
        (
            "POST",
            "/snapshots".to_owned(),
            json!({"snapshot": {"volume_id": id, "display_name": 5}}),
        ),
    ] {
        let reply = api
            .call(method, &format!("{VOLUME}{path}"), body.clone())
            .await;
        assert!(
            (400..500).contains(&reply.code()),
            "{method} {path} {body}: {} {}",
            reply.code(),
            reply.text()
        );
    }
    assert_eq!(api.volume(&id).await["status"], "available");
    assert_eq!(
        api.v_get("/volumes/99999999999999999999999").await.code(),
        404
    );
}
