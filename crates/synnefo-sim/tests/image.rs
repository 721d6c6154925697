//! End-to-end tests of the Plankton image emulation over real HTTP:
//! registration from a Pithos file, listing and sorting, metadata in
//! headers, updates, members and sharing, unregistering, and the images
//! being the ones compute shows (wire reference §7, §3.8).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use serde_json::{Value, json};
use support::{Api, DEBIAN, Reply, instant_sim};
use synnefo_sim::{ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID};

/// Plankton API root path.
const IMAGE: &str = "/cyclades/image/v1.0";

/// Uploads `data` as `container/object` of the caller's account `account`.
async fn upload(api: &Api<'_>, account: &str, container: &str, object: &str, data: &[u8]) {
    let base = format!("/pithos/object-store/v1/{account}/{container}");
    let reply = api.send("PUT", &base, &[], Vec::new()).await;
    assert!(matches!(reply.code(), 201 | 202), "{}", reply.text());
    let reply = api
        .send(
            "PUT",
            &format!("{base}/{}", object.replace(' ', "%20")),
            &[("content-type", "application/octet-stream")],
            data.to_vec(),
        )
        .await;
    reply.expect(201);
}

/// `POST /images` with these headers.
async fn register(api: &Api<'_>, headers: &[(&str, &str)]) -> Reply {
    api.send("POST", &format!("{IMAGE}/images"), headers, Vec::new())
        .await
}

/// Uploads a file for alice and registers it; returns the image id.
async fn alice_image(api: &Api<'_>, object: &str, extra: &[(&str, &str)]) -> String {
    upload(api, ALICE_UUID, "images", object, b"disk image bytes").await;
    let location = format!(
        "pithos://{ALICE_UUID}/images/{}",
        object.replace(' ', "%20")
    );
    let mut headers = vec![
        ("x-image-meta-name", "my%20image"),
        ("x-image-meta-location", location.as_str()),
    ];
    headers.extend_from_slice(extra);
    let reply = register(api, &headers).await;
    reply.expect(200);
    reply.header("x-image-meta-id").unwrap().to_owned()
}

/// The ids of a listing (a bare JSON list, as Plankton answers).
fn ids(listing: &Value) -> Vec<String> {
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn routing_methods_and_auth() {
    let sim = instant_sim().await;
    let anonymous = Api::anonymous(&sim);
    let versions = anonymous.get("/cyclades/image").await.expect(200).json();
    assert_eq!(versions["versions"][0]["id"], "v1.0");
    anonymous
        .get(&format!("{IMAGE}/images"))
        .await
        .assert_fault(
            401,
            "unauthorized",
            "Access denied. No authentication token",
        );
    let api = Api::new(&sim, ALICE_TOKEN);
    // `/v1` is the same API; the trailing slash is optional.
    let v1 = api
        .get("/cyclades/image/v1/images/")
        .await
        .expect(200)
        .json();
    assert_eq!(ids(&v1).len(), 4);
    api.get(&format!("{IMAGE}/nothing"))
        .await
        .bad_request("API endpoint not found");
    for (method, path, allow) in [
        ("DELETE", "/images", "GET, POST"),
        ("POST", "/images/x", "GET, HEAD, PUT, DELETE"),
        ("POST", "/images/x/members", "GET, PUT"),
        ("GET", "/images/x/members/u", "PUT, DELETE"),
    ] {
        let reply = api
            .call(method, &format!("{IMAGE}{path}"), Value::Null)
            .await;
        assert_eq!(reply.code(), 405, "{method} {path}");
        assert_eq!(reply.header("allow"), Some(allow));
        assert!(reply.body.is_empty());
    }
    // The image data is not served.
    assert_eq!(
        api.get(&format!("{IMAGE}/images/{DEBIAN}")).await.code(),
        501
    );
}

#[tokio::test]
async fn register_takes_size_checksum_and_id_from_pithos() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let id = alice_image(
        &api,
        "dir/disk one.img",
        &[
            ("x-image-meta-disk-format", "diskdump"),
            ("x-image-meta-property-OS-Family", "linux%20%CE%B1"),
        ],
    )
    .await;
    let object = api
        .send(
            "HEAD",
            &format!("/pithos/object-store/v1/{ALICE_UUID}/images/dir/disk%20one.img"),
            &[],
            Vec::new(),
        )
        .await;
    assert_eq!(object.header("x-object-uuid"), Some(id.as_str()));
    let head = api
        .send("HEAD", &format!("{IMAGE}/images/{id}"), &[], Vec::new())
        .await;
    head.expect(200);
    assert_eq!(head.header("x-image-meta-name"), Some("my%20image"));
    assert_eq!(head.header("x-image-meta-size"), Some("16"));
    assert_eq!(
        head.header("x-image-meta-checksum"),
        object.header("x-object-hash")
    );
    assert_eq!(
        head.header("x-image-meta-location").unwrap(),
        format!("pithos://{ALICE_UUID}/images/dir/disk%20one.img")
    );
    assert_eq!(head.header("x-image-meta-owner"), Some(ALICE_UUID));
    assert_eq!(head.header("x-image-meta-is-public"), Some("False"));
    assert_eq!(head.header("x-image-meta-status"), Some("AVAILABLE"));
    assert_eq!(head.header("x-image-meta-container-format"), Some("bare"));
    assert_eq!(
        head.header("x-image-meta-property-os-family"),
        Some("linux%20%CE%B1")
    );
    // Re-registering the same file keeps the id and merges properties.
    let location = format!("pithos://{ALICE_UUID}/images/dir/disk%20one.img");
    let again = register(
        &api,
        &[
            ("x-image-meta-name", "renamed"),
            ("x-image-meta-location", &location),
            ("x-image-meta-property-users", "root"),
        ],
    )
    .await;
    again.expect(200);
    assert_eq!(again.header("x-image-meta-id"), Some(id.as_str()));
    assert_eq!(
        again.header("x-image-meta-property-os-family"),
        Some("linux%20%CE%B1")
    );
    assert_eq!(again.header("x-image-meta-property-users"), Some("root"));
}

#[tokio::test]
async fn register_errors_are_the_servers() {
    let sim = instant_sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    upload(&alice, ALICE_UUID, "images", "a.img", b"abc").await;
    let location = format!("pithos://{ALICE_UUID}/images/a.img");
    register(&alice, &[("x-image-meta-location", &location)])
        .await
        .bad_request("Image 'name' parameter is required");
    register(
        &alice,
        &[
            ("x-image-meta-name", ""),
            ("x-image-meta-location", &location),
        ],
    )
    .await
    .bad_request("Invalid image name");
    register(&alice, &[("x-image-meta-name", "x")])
        .await
        .bad_request("'location' parameter is required");
    register(
        &alice,
        &[
            ("x-image-meta-name", "x"),
            ("x-image-meta-location", "/images/a.img"),
        ],
    )
    .await
    .bad_request("Invalid location '/images/a.img'");
    let missing = format!("pithos://{ALICE_UUID}/images/none.img");
    let reply = register(
        &alice,
        &[
            ("x-image-meta-name", "x"),
            ("x-image-meta-location", &missing),
        ],
    )
    .await;
    assert_eq!(reply.code(), 404);
    assert_eq!(reply.json()["itemNotFound"]["code"], 404);
    for (header, value, message) in [
        (
            "x-image-meta-id",
            "abc",
            "Setting the image ID is not supported",
        ),
        ("x-image-meta-status", "ACTIVE", "Invalid parameters"),
        (
            "x-image-meta-disk-format",
            "qcow2",
            "Invalid disk format 'qcow2'",
        ),
        (
            "x-image-meta-container_format",
            "zip",
            "Invalid container format 'zip'",
        ),
        ("x-image-meta-store", "s3", "Invalid store type 's3'"),
        ("x-image-meta-size", "3", "Invalid size"),
        ("x-image-meta-checksum", "0000", "Invalid checksum"),
    ] {
        let reply = register(
            &alice,
            &[
                ("x-image-meta-name", "x"),
                ("x-image-meta-location", &location),
                (header, value),
            ],
        )
        .await;
        assert_eq!(reply.code(), 400, "{header}: {}", reply.text());
        assert_eq!(reply.json()["badRequest"]["message"], message);
    }
    // Unknown image headers are ignored; `is-public` is true only for
    // `true`.
    let reply = register(
        &alice,
        &[
            ("x-image-meta-name", "x"),
            ("x-image-meta-location", &location),
            ("x-image-meta-colour", "blue"),
            ("x-image-meta-is-public", "yes"),
        ],
    )
    .await;
    reply.expect(200);
    assert_eq!(reply.header("x-image-meta-is-public"), Some("False"));
    // Bob cannot register alice's file: not readable by him, or shared
    // with him but not his (403 both).
    let reply = register(
        &bob,
        &[
            ("x-image-meta-name", "x"),
            ("x-image-meta-location", &location),
        ],
    )
    .await;
    assert_eq!(reply.code(), 403);
    assert_eq!(
        reply.json()["forbidden"]["message"],
        "User does not have access to the object"
    );
    alice
        .send(
            "POST",
            &format!("/pithos/object-store/v1/{ALICE_UUID}/images/a.img"),
            &[("x-object-sharing", &format!("read={BOB_UUID}"))],
            Vec::new(),
        )
        .await
        .expect(202);
    let reply = register(
        &bob,
        &[
            ("x-image-meta-name", "x"),
            ("x-image-meta-location", &location),
        ],
    )
    .await;
    assert_eq!(reply.code(), 403);
    assert_eq!(reply.json()["forbidden"]["code"], 403);
}

#[tokio::test]
async fn list_sorts_and_shows_visible_images() {
    let sim = instant_sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    let private = alice_image(&alice, "p.img", &[]).await;
    let listing = alice
        .get(&format!("{IMAGE}/images"))
        .await
        .expect(200)
        .json();
    // Newest first by default.
    assert_eq!(ids(&listing)[0], private);
    let summary = &listing[0];
    assert_eq!(summary["status"], "AVAILABLE");
    assert_eq!(summary["size"], 16);
    assert!(summary.get("location").is_none());
    let detail = alice
        .get(&format!("{IMAGE}/images/detail?sort_key=name&sort_dir=asc"))
        .await
        .expect(200)
        .json();
    let names: Vec<&str> = detail
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    let mine = detail
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == private.as_str())
        .unwrap();
    assert_eq!(mine["owner"], ALICE_UUID);
    assert_eq!(mine["is_public"], false);
    assert_eq!(mine["deleted_at"], "");
    assert_eq!(mine["properties"], json!({}));
    assert_eq!(mine["name"], "my image");
    // Bob does not see alice's private image.
    let bobs = bob.get(&format!("{IMAGE}/images")).await.expect(200).json();
    assert!(!ids(&bobs).contains(&private));
    for (query, message) in [
        ("sort_key=color", "Invalid 'sort_key'"),
        ("sort_dir=up", "Invalid 'sort_dir'"),
        ("size_min=big", "Malformed request."),
    ] {
        alice
            .get(&format!("{IMAGE}/images?{query}"))
            .await
            .bad_request(message);
    }
}

#[tokio::test]
async fn members_share_an_image() {
    let sim = instant_sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    let id = alice_image(&alice, "s.img", &[]).await;
    let member = format!("{IMAGE}/images/{id}/members/{BOB_UUID}");
    // Only the owner shares; bob cannot even see it yet.
    assert_eq!(bob.put(&member, Value::Null).await.code(), 404);
    alice.put(&member, Value::Null).await.expect(204);
    let members = alice
        .get(&format!("{IMAGE}/images/{id}/members"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        members,
        json!({"members": [{"member_id": BOB_UUID, "can_share": false}]})
    );
    // Bob now sees it, in Plankton and through compute.
    let head = bob
        .send("HEAD", &format!("{IMAGE}/images/{id}"), &[], Vec::new())
        .await;
    head.expect(200);
    bob.get(&format!("/cyclades/compute/v2.0/images/{id}"))
        .await
        .expect(200);
    // Alice's images bob can read (and none of bob's for alice).
    let shared = alice
        .get(&format!("{IMAGE}/shared-images/{BOB_UUID}"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        shared,
        json!({"shared_images": [{"image_id": id, "can_share": false}]})
    );
    let none = bob
        .get(&format!("{IMAGE}/shared-images/{ALICE_UUID}"))
        .await
        .json();
    assert_eq!(none, json!({"shared_images": []}));
    // A member cannot change it.
    let reply = bob
        .send(
            "PUT",
            &format!("{IMAGE}/images/{id}"),
            &[("x-image-meta-name", "mine")],
            Vec::new(),
        )
        .await;
    assert_eq!(reply.code(), 403);
    // The new list is a JSON body with the server's attribute checks.
    alice
        .put(
            &format!("{IMAGE}/images/{id}/members"),
            json!({"members": []}),
        )
        .await
        .bad_request("Malformed request. Missing attribute 'memberships'.");
    // Replacing the members drops bob.
    alice
        .put(
            &format!("{IMAGE}/images/{id}/members"),
            json!({"memberships": [{"member_id": "someone-else"}]}),
        )
        .await
        .expect(204);
    let reply = bob
        .send("HEAD", &format!("{IMAGE}/images/{id}"), &[], Vec::new())
        .await;
    assert_eq!(reply.code(), 404);
    alice
        .delete(&format!("{IMAGE}/images/{id}/members/someone-else"))
        .await
        .expect(204);
    let members = alice
        .get(&format!("{IMAGE}/images/{id}/members"))
        .await
        .json();
    assert_eq!(members, json!({"members": []}));
}

#[tokio::test]
async fn update_public_and_unregister() {
    let sim = instant_sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    let id = alice_image(&alice, "u.img", &[("x-image-meta-property-gone", "x")]).await;
    let reply = alice
        .send(
            "PUT",
            &format!("{IMAGE}/images/{id}"),
            &[
                ("x-image-meta-name", "%CE%B5%CE%B9%CE%BA%CF%8C%CE%BD%CE%B1"),
                ("x-image-meta-is-public", "true"),
                ("x-image-meta-property-gone", ""),
                ("x-image-meta-property-kept", "yes"),
            ],
            Vec::new(),
        )
        .await;
    reply.expect(200);
    assert_eq!(reply.header("x-image-meta-is-public"), Some("True"));
    assert_eq!(reply.header("x-image-meta-property-gone"), None);
    assert_eq!(reply.header("x-image-meta-property-kept"), Some("yes"));
    // Public: bob lists it; compute shows the new name and properties.
    let bobs = bob.get(&format!("{IMAGE}/images")).await.json();
    assert!(ids(&bobs).contains(&id));
    let compute = bob
        .get(&format!("/cyclades/compute/v2.0/images/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(compute["image"]["name"], "εικόνα");
    assert_eq!(compute["image"]["metadata"], json!({"kept": "yes"}));
    // Invalid updates.
    for (header, value, message) in [
        (
            "x-image-meta-location",
            "pithos://a/b/c",
            "Invalid metadata",
        ),
        (
            "x-image-meta-container-format",
            "zip",
            "Invalid container format 'zip'",
        ),
    ] {
        alice
            .send(
                "PUT",
                &format!("{IMAGE}/images/{id}"),
                &[(header, value)],
                Vec::new(),
            )
            .await
            .bad_request(message);
    }
    // Any status is taken; HEAD shows the ones Plankton knows.
    alice
        .send(
            "PUT",
            &format!("{IMAGE}/images/{id}"),
            &[("x-image-meta-status", "melted")],
            Vec::new(),
        )
        .await
        .expect(200);
    let head = alice
        .send("HEAD", &format!("{IMAGE}/images/{id}"), &[], Vec::new())
        .await;
    assert_eq!(head.header("x-image-meta-status"), Some("UNKNOWN"));
    let listed = alice.get(&format!("{IMAGE}/images")).await.json();
    let status = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .map(|i| i["status"].clone());
    assert_eq!(status, Some(json!("melted")));
    // Only the owner unregisters; then it is gone everywhere, the file stays.
    assert_eq!(
        bob.delete(&format!("{IMAGE}/images/{id}")).await.code(),
        403
    );
    alice
        .delete(&format!("{IMAGE}/images/{id}"))
        .await
        .expect(204);
    let reply = alice
        .send("HEAD", &format!("{IMAGE}/images/{id}"), &[], Vec::new())
        .await;
    assert_eq!(reply.code(), 404);
    alice
        .get(&format!("/cyclades/compute/v2.0/images/{id}"))
        .await
        .expect(404);
    alice
        .get(&format!(
            "/pithos/object-store/v1/{ALICE_UUID}/images/u.img"
        ))
        .await
        .expect(200);
}

#[tokio::test]
async fn seeded_and_compute_deleted_images_are_plankton_images() {
    let sim = instant_sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let head = alice
        .send("HEAD", &format!("{IMAGE}/images/{DEBIAN}"), &[], Vec::new())
        .await;
    head.expect(200);
    assert_eq!(head.header("x-image-meta-name"), Some("Debian%20Base"));
    assert_eq!(head.header("x-image-meta-is-public"), Some("True"));
    assert_eq!(head.header("x-image-meta-property-os"), Some("debian"));
    // Unregistered through compute: gone from Plankton.
    let id = alice_image(&alice, "c.img", &[]).await;
    alice
        .delete(&format!("/cyclades/compute/v2.0/images/{id}"))
        .await
        .expect(204);
    let reply = alice
        .send("HEAD", &format!("{IMAGE}/images/{id}"), &[], Vec::new())
        .await;
    assert_eq!(reply.code(), 404);
}
