//! The Pithos+ REST API over real HTTP against synnefo-sim: one test per
//! group of methods (account, containers, listings, objects, hashmaps and
//! ranges, copy/move, partial updates, versions, sharing and publishing).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use bytes::Bytes;
use futures_util::TryStreamExt;
use http::StatusCode;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};
use synnefo_astakos::Cloud;
use synnefo_core::{ClientConfig, HttpClient, Request, Token};
use synnefo_pithos::hash::{hashmap_of, merkle_root, to_hex};
use synnefo_pithos::{
    ByteRange, Conditional, ContainerCreation, ContainerOptions, CopyOptions, DeleteContainer,
    DeleteObject, ListObjectsOptions, ListOptions, ListingEntry, MetaFilter, ObjectInfoOptions,
    Permissions, PithosClient, PutHashmapOutcome, PutOptions, Versioning,
};
use synnefo_sim::{Sim, SimConfig, SimHandle, UserSpec};

/// A small block size, so that multi-block objects stay small.
const BLOCK: usize = 16;

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

async fn sim() -> SimHandle {
    Sim::start_with(SimConfig {
        block_size: BLOCK,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn user(sim: &SimHandle, name: &str) -> UserSpec {
    sim.user(name).unwrap().clone()
}

/// The Pithos client of `user`, from the catalog.
async fn pithos(sim: &SimHandle, user: &UserSpec) -> PithosClient {
    let cloud = Cloud::connect(http(), &sim.identity_url(), Token::new(&user.token))
        .await
        .unwrap();
    let client: PithosClient = cloud.client().unwrap();
    assert_eq!(client.account(), user.uuid);
    client
}

/// A sim, alice's client, and a container `c` of hers.
async fn setup() -> (SimHandle, PithosClient) {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let client = pithos(&sim, &alice).await;
    client
        .create_container("c", &ContainerOptions::default())
        .await
        .unwrap();
    (sim, client)
}

fn bytes(data: &[u8]) -> Bytes {
    Bytes::copy_from_slice(data)
}

fn put_type(content_type: &str) -> PutOptions {
    PutOptions {
        content_type: Some(content_type.into()),
        ..PutOptions::default()
    }
}

async fn put(client: &PithosClient, container: &str, object: &str, data: &[u8]) {
    client
        .put_object_bytes(container, object, bytes(data), &PutOptions::default())
        .await
        .unwrap();
}

/// The whole object, read as one range.
async fn read(client: &PithosClient, container: &str, object: &str) -> Vec<u8> {
    let size = client
        .object_info(container, object, &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap()
        .size;
    if size == 0 {
        return Vec::new();
    }
    client
        .get_object_range(
            container,
            object,
            ByteRange::From(0),
            &ObjectInfoOptions::default(),
        )
        .await
        .unwrap()
        .modified()
        .unwrap()
        .data
        .to_vec()
}

fn top_hash(data: &[u8]) -> String {
    to_hex(&merkle_root(&hashmap_of(data, BLOCK)))
}

#[tokio::test]
async fn account_info_meta_groups_and_quota() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let bob = user(&sim, "bob@example.org");
    let client = pithos(&sim, &alice).await;

    let info = client.account_info(None).await.unwrap();
    assert_eq!(info.container_count, Some(0), "fresh accounts exist empty");
    assert_eq!(info.bytes_used, Some(0));
    assert!(info.quota.unwrap() > 0);

    client
        .set_account_meta([("color", "blue"), ("κλειδί", "τιμή 100%")])
        .await
        .unwrap();
    client.set_account_meta([("Shape", "round")]).await.unwrap();
    let meta = client.account_info(None).await.unwrap().meta;
    assert_eq!(
        meta.get("color").map(String::as_str),
        Some("blue"),
        "{meta:?}"
    );
    assert_eq!(meta.get("κλειδί").map(String::as_str), Some("τιμή 100%"));
    assert_eq!(meta.get("shape").map(String::as_str), Some("round"));
    client.delete_account_meta(["COLOR"]).await.unwrap();
    let meta = client.account_info(None).await.unwrap().meta;
    assert!(!meta.contains_key("color"), "{meta:?}");
    assert_eq!(meta.len(), 2, "the other keys stay: {meta:?}");
    // Replacing wipes what is not named.
    client
        .replace_account_meta([("only", "this")])
        .await
        .unwrap();
    let meta = client.account_info(None).await.unwrap().meta;
    assert_eq!(
        meta,
        BTreeMap::from([("only".to_owned(), "this".to_owned())])
    );

    client
        .set_account_group("friends", [bob.uuid.as_str(), alice.uuid.as_str()])
        .await
        .unwrap();
    client.set_account_group("solo", [&bob.uuid]).await.unwrap();
    let groups = client.account_groups().await.unwrap();
    let mut friends = groups["friends"].clone();
    friends.sort();
    let mut expected = vec![alice.uuid.clone(), bob.uuid.clone()];
    expected.sort();
    assert_eq!(friends, expected);
    client.delete_account_group("friends").await.unwrap();
    let groups = client.account_groups().await.unwrap();
    assert_eq!(groups.keys().collect::<Vec<_>>(), ["solo"]);

    let quota = client.account_quota().await.unwrap();
    assert_eq!(quota.used, Some(0));
    assert!(quota.limit.unwrap() > 0);
}

#[tokio::test]
async fn containers_create_info_policies_delete() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let client = pithos(&sim, &alice).await;

    let options = ContainerOptions {
        quota: Some(1000),
        versioning: Some(Versioning::Disabled),
        project: None,
        meta: BTreeMap::from([("shelf".to_owned(), "τοπ".to_owned())]),
    };
    assert_eq!(
        client.create_container("box", &options).await.unwrap(),
        ContainerCreation::Created
    );
    assert_eq!(
        client
            .create_container("box", &ContainerOptions::default())
            .await
            .unwrap(),
        ContainerCreation::AlreadyExists
    );
    let info = client.container_info("box", None).await.unwrap();
    assert_eq!(info.block_size, BLOCK as u64);
    assert_eq!(info.block_hash, "sha256");
    assert_eq!(info.object_count, Some(0));
    assert_eq!(info.quota, Some(1000));
    assert_eq!(info.versioning, Some(Versioning::Disabled));
    assert_eq!(info.meta["shelf"], "τοπ");
    assert_eq!(info.project.as_deref(), Some(alice.uuid.as_str()));

    client
        .set_container_meta("box", [("label", "x")])
        .await
        .unwrap();
    client
        .delete_container_meta("box", ["shelf"])
        .await
        .unwrap();
    let meta = client.container_meta("box").await.unwrap();
    assert_eq!(meta, BTreeMap::from([("label".to_owned(), "x".to_owned())]));

    client.set_container_quota("box", 0).await.unwrap();
    assert_eq!(client.container_limit("box").await.unwrap(), None);
    client.set_container_quota("box", 64).await.unwrap();
    assert_eq!(client.container_limit("box").await.unwrap(), Some(64));
    client
        .set_container_versioning("box", Versioning::Auto)
        .await
        .unwrap();
    assert_eq!(
        client.container_versioning("box").await.unwrap(),
        Some(Versioning::Auto)
    );
    client
        .set_container_project("box", &alice.uuid)
        .await
        .unwrap();

    // The quota is enforced: 65 bytes do not fit in 64.
    let error = client
        .put_object_bytes("box", "big", bytes(&[1u8; 65]), &PutOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(StatusCode::PAYLOAD_TOO_LARGE),
        "{error}"
    );
    put(&client, "box", "small", b"hello").await;
    let usage = client.container_usage("box").await.unwrap();
    assert_eq!((usage.bytes_used, usage.object_count), (Some(5), Some(1)));

    let names: Vec<String> = client
        .list_containers(&ListOptions::default())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["box"]);
    let listed = &client
        .list_containers(&ListOptions::default())
        .await
        .unwrap()[0];
    assert_eq!(listed.object_count, Some(1));
    assert_eq!(listed.policy.quota, Some(64));

    // Not empty: a 409 that says so.
    let error = client
        .delete_container("box", &DeleteContainer::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert!(error.to_string().contains("not empty"), "{error}");
    client
        .delete_container(
            "box",
            &DeleteContainer {
                delimiter: Some('/'),
                ..DeleteContainer::default()
            },
        )
        .await
        .unwrap();
    client.purge_container("box").await.unwrap();
    client
        .delete_container("box", &DeleteContainer::default())
        .await
        .unwrap();
    let error = client.container_info("box", None).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn container_listing_streams_and_sharing_accounts() {
    let sim = sim().await;
    let client = pithos(&sim, &user(&sim, "alice@example.org")).await;
    for name in ["a", "b", "c", "d", "e"] {
        client
            .create_container(name, &ContainerOptions::default())
            .await
            .unwrap();
    }
    let page = client
        .list_containers(&ListOptions {
            limit: Some(2),
            marker: Some("a".into()),
            ..ListOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["b", "c"]
    );
    let all: Vec<String> = client
        .list_containers_stream(&ListOptions {
            limit: Some(2),
            ..ListOptions::default()
        })
        .map_ok(|c| c.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
    // Nobody shares anything with alice yet.
    assert!(client.sharing_accounts().await.unwrap().is_empty());
}

#[tokio::test]
async fn object_listing_pages_subdirs_and_filters() {
    let (_sim, client) = setup().await;
    for name in [
        "photos/animals/cats/x",
        "photos/animals/dogs/y",
        "photos/me.jpg",
        "photos/plants/z",
        "top",
    ] {
        put(&client, "c", name, name.as_bytes()).await;
    }
    client
        .set_object_meta("c", "photos/me.jpg", [("who", "me")])
        .await
        .unwrap();

    let all = client
        .list_objects("c", &ListObjectsOptions::default())
        .await
        .unwrap();
    assert_eq!(all.objects.len(), 5);
    assert!(all.subdirs.is_empty());
    assert_eq!(all.next_marker, None);
    let me = all
        .objects
        .iter()
        .find(|o| o.name == "photos/me.jpg")
        .unwrap();
    assert_eq!(me.bytes, 13);
    assert_eq!(
        me.object_hash.as_deref(),
        Some(top_hash(b"photos/me.jpg").as_str())
    );
    assert!(me.uuid.is_some() && me.version.is_some());

    let tree = client
        .list_objects(
            "c",
            &ListObjectsOptions {
                prefix: Some("photos/".into()),
                delimiter: Some('/'),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(tree.subdirs, ["photos/animals/", "photos/plants/"]);
    assert_eq!(
        tree.objects
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["photos/me.jpg"]
    );
    let path = client
        .list_objects(
            "c",
            &ListObjectsOptions {
                path: Some("photos".into()),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        path.objects
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["photos/me.jpg"]
    );
    assert!(path.subdirs.is_empty());

    let filtered = client
        .list_objects(
            "c",
            &ListObjectsOptions {
                meta: vec![MetaFilter::eq("who", "me")],
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(filtered.objects.len(), 1);
    let absent = client
        .list_objects(
            "c",
            &ListObjectsOptions {
                meta: vec![MetaFilter::absent("WHO")],
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(absent.objects.len(), 4);

    let page = client
        .list_objects(
            "c",
            &ListObjectsOptions {
                limit: Some(2),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.objects.len(), 2);
    assert_eq!(page.next_marker.as_deref(), Some("photos/animals/dogs/y"));

    // Pages of two, through subdirs: every entry exactly once.
    let entries: Vec<String> = client
        .list_objects_stream(
            "c",
            &ListObjectsOptions {
                delimiter: Some('/'),
                prefix: Some("photos/".into()),
                limit: Some(2),
                ..ListObjectsOptions::default()
            },
        )
        .map_ok(|e| match e {
            ListingEntry::Object(o) => o.name,
            ListingEntry::Subdir(s) => format!("{s} (dir)"),
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        entries,
        [
            "photos/animals/ (dir)",
            "photos/me.jpg",
            "photos/plants/ (dir)"
        ]
    );
    let flat: Vec<ListingEntry> = client
        .list_objects_stream(
            "c",
            &ListObjectsOptions {
                limit: Some(2),
                ..ListObjectsOptions::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(flat.len(), 5);
    // A page that ends on a subdir: the next one starts after it (the
    // server repeats it, the stream drops the repeat).
    client
        .create_container("d", &ContainerOptions::default())
        .await
        .unwrap();
    for name in ["a", "b/1", "b/2", "c"] {
        put(&client, "d", name, b"x").await;
    }
    let names: Vec<String> = client
        .list_objects_stream(
            "d",
            &ListObjectsOptions {
                delimiter: Some('/'),
                limit: Some(2),
                ..ListObjectsOptions::default()
            },
        )
        .map_ok(|e| e.name().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b/", "c"]);

    // Unchanged since a moment in the future: "not modified", not an error.
    let later = SystemTime::now() + Duration::from_secs(3600);
    let unchanged = client
        .list_objects(
            "c",
            &ListObjectsOptions {
                if_modified_since: Some(later),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(unchanged.not_modified);
    assert!(unchanged.objects.is_empty());
}

#[tokio::test]
async fn objects_put_info_meta_and_conditions() {
    let (sim, client) = setup().await;
    let data = b"hello world, this is more than one block";
    let options = PutOptions {
        content_type: Some("text/plain".into()),
        content_disposition: Some("attachment; filename=\"ω.txt\"".into()),
        meta: BTreeMap::from([
            ("color".to_owned(), "red".to_owned()),
            ("κ".to_owned(), "ν%".to_owned()),
        ]),
        ..PutOptions::default()
    };
    let name = "dir/ob j?#α";
    let written = client
        .put_object_bytes("c", name, bytes(data), &options)
        .await
        .unwrap();
    assert_eq!(written.etag.as_deref(), Some(top_hash(data).as_str()));
    assert!(written.version.is_some());

    let info = client
        .object_info("c", name, &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(info.size, data.len() as u64);
    assert_eq!(info.content_type.as_deref(), Some("text/plain"));
    assert_eq!(info.etag.as_deref(), Some(top_hash(data).as_str()));
    assert_eq!(info.object_hash, info.etag);
    assert_eq!(info.version, written.version);
    assert!(info.uuid.is_some());
    assert!(info.version_timestamp.is_some() && info.last_modified.is_some());
    assert_eq!(info.meta["color"], "red");
    assert_eq!(info.meta["κ"], "ν%");
    assert_eq!(
        info.content_disposition.as_deref(),
        Some("attachment; filename=\"ω.txt\"")
    );
    assert_eq!(read(&client, "c", name).await, data);

    // Conditions: a matching If-None-Match is "not modified", not an error.
    let etag = info.etag.clone().unwrap();
    let outcome = client
        .object_info(
            "c",
            name,
            &ObjectInfoOptions {
                if_none_match: Some(etag.clone()),
                ..ObjectInfoOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Conditional::NotModified {
            etag: Some(etag.clone())
        }
    );
    let outcome = client
        .object_info(
            "c",
            name,
            &ObjectInfoOptions {
                if_modified_since: Some(SystemTime::now() + Duration::from_secs(3600)),
                ..ObjectInfoOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(outcome.is_not_modified());
    let error = client
        .object_info(
            "c",
            name,
            &ObjectInfoOptions {
                if_match: Some("0000".into()),
                ..ObjectInfoOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::PRECONDITION_FAILED));

    // Metadata updates merge, each in one POST: the server is known to
    // be Pithos+ (it merges by itself), so no HEAD comes first.
    sim.clear_requests();
    client
        .set_object_meta("c", name, [("shape", "round")])
        .await
        .unwrap();
    client
        .delete_object_meta("c", name, ["Color"])
        .await
        .unwrap();
    let methods: Vec<String> = sim.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["POST", "POST"]);
    let meta = client.object_meta("c", name).await.unwrap();
    assert_eq!(
        meta,
        BTreeMap::from([
            ("shape".to_owned(), "round".to_owned()),
            ("κ".to_owned(), "ν%".to_owned())
        ])
    );

    client
        .replace_object_meta("c", name, [("fresh", "1")])
        .await
        .unwrap();
    let meta = client.object_meta("c", name).await.unwrap();
    assert_eq!(meta, BTreeMap::from([("fresh".to_owned(), "1".to_owned())]));

    // Create-only PUT.
    let error = client
        .put_object_bytes(
            "c",
            name,
            bytes(b"x"),
            &PutOptions {
                if_none_match: Some("*".into()),
                ..PutOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::PRECONDITION_FAILED));

    // Empty objects and directories.
    client
        .create_object("c", "empty", "application/json")
        .await
        .unwrap();
    client.create_directory("c", "folder").await.unwrap();
    let folder = client
        .object_info("c", "folder", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(folder.size, 0);
    assert_eq!(
        folder.content_type.as_deref(),
        Some("application/directory")
    );
    let listed = client
        .list_objects("c", &ListObjectsOptions::default())
        .await
        .unwrap();
    assert!(
        listed
            .objects
            .iter()
            .any(|o| o.name == "folder" && o.is_directory())
    );

    let missing = client
        .object_info("c", "nope", &ObjectInfoOptions::default())
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
}

#[tokio::test]
async fn hashmap_upload_blocks_and_ranges() {
    let (_sim, client) = setup().await;
    // Blocks A, B, A, C+NULs: the upload transcript of the kamaki reference.
    let mut data = Vec::new();
    data.extend_from_slice(&[b'A'; BLOCK]);
    data.extend_from_slice(&[b'B'; BLOCK]);
    data.extend_from_slice(&[b'A'; BLOCK]);
    data.extend_from_slice(b"CCCCC\0\0\0");
    let hashes: Vec<String> = hashmap_of(&data, BLOCK).iter().map(to_hex).collect();
    let size = data.len() as u64;
    let options = put_type("text/plain");

    let outcome = client
        .put_hashmap("c", "big", size, &hashes, &options)
        .await
        .unwrap();
    let PutHashmapOutcome::Missing(missing) = outcome else {
        panic!("the server has no blocks yet: {outcome:?}");
    };
    let mut distinct = vec![hashes[0].clone(), hashes[1].clone(), hashes[3].clone()];
    let mut sorted_missing = missing.clone();
    sorted_missing.sort();
    sorted_missing.dedup();
    distinct.sort();
    assert_eq!(sorted_missing, distinct);

    // Upload the distinct blocks in one POST: the server cuts them.
    let mut blocks = Vec::new();
    blocks.extend_from_slice(&data[..2 * BLOCK]);
    blocks.extend_from_slice(&data[3 * BLOCK..]);
    let answered = client.post_blocks("c", Bytes::from(blocks)).await.unwrap();
    assert_eq!(
        answered,
        [hashes[0].clone(), hashes[1].clone(), hashes[3].clone()]
    );

    let outcome = client
        .put_hashmap("c", "big", size, &hashes, &options)
        .await
        .unwrap();
    let expected_etag = top_hash(&data);
    match &outcome {
        PutHashmapOutcome::Created { etag, version } => {
            assert_eq!(etag.as_deref(), Some(expected_etag.as_str()));
            assert!(version.is_some());
        }
        other => panic!("expected Created, got {other:?}"),
    }

    let hashmap = client
        .object_hashmap("c", "big", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(hashmap.block_size, BLOCK as u64);
    assert_eq!(hashmap.block_hash, "sha256");
    assert_eq!(hashmap.bytes, size);
    assert_eq!(hashmap.hashes, hashes);
    assert_eq!(hashmap.etag.as_deref(), Some(expected_etag.as_str()));
    assert_eq!(hashmap.content_type.as_deref(), Some("text/plain"));
    let unchanged = client
        .object_hashmap(
            "c",
            "big",
            &ObjectInfoOptions {
                if_none_match: Some(expected_etag.clone()),
                ..ObjectInfoOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(unchanged.is_not_modified(), "kamaki crashed here (bug #14)");

    let get = |range: ByteRange| {
        let client = client.clone();
        async move {
            client
                .get_object_range("c", "big", range, &ObjectInfoOptions::default())
                .await
        }
    };
    let part = get(ByteRange::Span { start: 3, end: 20 })
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(part.data, &data[3..=20]);
    assert_eq!((part.start, part.end, part.total_size), (3, 20, Some(size)));
    assert_eq!(part.etag.as_deref(), Some(expected_etag.as_str()));
    let tail = get(ByteRange::Last(5)).await.unwrap().modified().unwrap();
    assert_eq!(tail.data, &data[data.len() - 5..]);
    let from = get(ByteRange::From(40)).await.unwrap().modified().unwrap();
    assert_eq!(from.data, &data[40..]);
    // Strict bounds: 416, not a clamp.
    for bad in [
        ByteRange::Span {
            start: 0,
            end: size,
        },
        ByteRange::From(size),
        ByteRange::Last(size + 1),
    ] {
        let error = get(bad).await.unwrap_err();
        assert_eq!(
            error.status(),
            Some(StatusCode::RANGE_NOT_SATISFIABLE),
            "{bad}: {error}"
        );
    }

    // A whole object again from the same blocks: nothing missing.
    let again = client
        .put_hashmap("c", "copy-by-hash", size, &hashes, &PutOptions::default())
        .await
        .unwrap();
    assert!(matches!(again, PutHashmapOutcome::Created { .. }));
    // An empty object by hashmap.
    let empty = client
        .put_hashmap("c", "empty", 0, &[] as &[&str], &PutOptions::default())
        .await
        .unwrap();
    assert!(matches!(empty, PutHashmapOutcome::Created { .. }));
}

#[tokio::test]
async fn copy_move_and_manifest() {
    let (_sim, client) = setup().await;
    client
        .create_container("other", &ContainerOptions::default())
        .await
        .unwrap();
    client
        .put_object_bytes(
            "c",
            "dir/a b",
            bytes(b"payload"),
            &PutOptions {
                content_type: Some("text/plain".into()),
                meta: BTreeMap::from([("k".to_owned(), "v".to_owned())]),
                ..PutOptions::default()
            },
        )
        .await
        .unwrap();
    let source = client
        .object_info("c", "dir/a b", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();

    let copied = client
        .copy_object(
            "c",
            "dir/a b",
            "other",
            "copy ω",
            &CopyOptions {
                meta: BTreeMap::from([("extra".to_owned(), "1".to_owned())]),
                ..CopyOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(copied.version.is_some());
    let copy = client
        .object_info("other", "copy ω", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(copy.etag, source.etag);
    assert_eq!(copy.content_type.as_deref(), Some("text/plain"));
    assert_ne!(copy.uuid, source.uuid, "a copy is a new object");
    assert_eq!(copy.meta["k"], "v");
    assert_eq!(copy.meta["extra"], "1");

    client
        .move_object("c", "dir/a b", "c", "moved", &CopyOptions::default())
        .await
        .unwrap();
    let moved = client
        .object_info("c", "moved", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(moved.uuid, source.uuid, "a move keeps the UUID");
    let gone = client
        .object_info("c", "dir/a b", &ObjectInfoOptions::default())
        .await
        .unwrap_err();
    assert!(gone.is_not_found());

    // Copy a whole "directory" with the delimiter.
    put(&client, "c", "tree/x", b"x").await;
    put(&client, "c", "tree/y/z", b"z").await;
    client.create_directory("c", "tree").await.unwrap();
    client
        .copy_object(
            "c",
            "tree",
            "other",
            "tree2",
            &CopyOptions {
                delimiter: Some('/'),
                ..CopyOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(read(&client, "other", "tree2/y/z").await, b"z");

    // A manifest concatenates its parts in name order.
    put(&client, "c", "parts/2", b"world").await;
    put(&client, "c", "parts/1", b"hello ").await;
    client
        .create_manifest("c", "joined", "c/parts/", &put_type("text/plain"))
        .await
        .unwrap();
    let joined = client
        .object_info("c", "joined", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(joined.manifest.as_deref(), Some("c/parts/"));
    assert_eq!(joined.size, 11);
    assert_eq!(read(&client, "c", "joined").await, b"hello world");
}

#[tokio::test]
async fn partial_updates_and_delete() {
    let (_sim, client) = setup().await;
    put(&client, "c", "o", b"0123456789").await;

    client
        .append_object_bytes("c", "o", bytes(b"abc"))
        .await
        .unwrap();
    assert_eq!(read(&client, "c", "o").await, b"0123456789abc");
    let outcome = client
        .overwrite_object_range("c", "o", 2, 4, bytes(b"XYZ"))
        .await
        .unwrap();
    assert!(outcome.version.is_some());
    assert_eq!(read(&client, "c", "o").await, b"01XYZ56789abc");
    // Growing past the end is allowed; starting past it is not.
    client
        .overwrite_object_range("c", "o", 12, 14, bytes(b"!!!"))
        .await
        .unwrap();
    assert_eq!(read(&client, "c", "o").await, b"01XYZ56789ab!!!");
    let error = client
        .overwrite_object_range("c", "o", 20, 20, bytes(b"?"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::RANGE_NOT_SATISFIABLE));

    client.truncate_object("c", "o", 4).await.unwrap();
    assert_eq!(read(&client, "c", "o").await, b"01XY");
    client.truncate_object("c", "o", 100).await.unwrap();
    assert_eq!(
        read(&client, "c", "o").await,
        b"01XY",
        "truncating up is a no-op"
    );
    client.truncate_object("c", "o", 0).await.unwrap();
    assert_eq!(read(&client, "c", "o").await, b"");

    // Delete, and delete a tree with the delimiter.
    client
        .delete_object("c", "o", &DeleteObject::default())
        .await
        .unwrap();
    let error = client
        .delete_object("c", "o", &DeleteObject::default())
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    put(&client, "c", "d/1", b"1").await;
    put(&client, "c", "d/2/3", b"3").await;
    client.create_directory("c", "d").await.unwrap();
    client
        .delete_object(
            "c",
            "d",
            &DeleteObject {
                delimiter: Some('/'),
                ..DeleteObject::default()
            },
        )
        .await
        .unwrap();
    let left = client
        .list_objects("c", &ListObjectsOptions::default())
        .await
        .unwrap();
    assert!(left.objects.is_empty(), "{:?}", left.objects);
}

#[tokio::test]
async fn versions_history_and_purge() {
    let (_sim, client) = setup().await;
    put(&client, "c", "v", b"first").await;
    put(&client, "c", "v", b"second!").await;
    let versions = client.object_versions("c", "v").await.unwrap();
    assert!(versions.len() >= 2, "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0].version < w[1].version));
    assert!(versions.iter().all(|v| v.time().is_some()));
    let first = versions[0].version;
    let old = client
        .object_info(
            "c",
            "v",
            &ObjectInfoOptions {
                version: Some(first),
                ..ObjectInfoOptions::default()
            },
        )
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(old.size, 5);
    assert_eq!(old.version, Some(first));
    let old_bytes = client
        .get_object_range(
            "c",
            "v",
            ByteRange::From(0),
            &ObjectInfoOptions {
                version: Some(first),
                ..ObjectInfoOptions::default()
            },
        )
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(old_bytes.data, &b"first"[..]);
    // Copy an old version.
    client
        .copy_object(
            "c",
            "v",
            "c",
            "restored",
            &CopyOptions {
                source_version: Some(first),
                ..CopyOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(read(&client, "c", "restored").await, b"first");

    // Purging the history up to now leaves only the current version.
    client
        .delete_object(
            "c",
            "v",
            &DeleteObject {
                until: Some(SystemTime::now() - Duration::from_secs(3600)),
                ..DeleteObject::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(read(&client, "c", "v").await, b"second!");
    client.purge_container("c").await.unwrap();
    let versions = client.object_versions("c", "v").await.unwrap();
    assert_eq!(versions.len(), 1, "{versions:?}");
}

#[tokio::test]
async fn sharing_and_publishing() {
    let sim = sim().await;
    let alice_user = user(&sim, "alice@example.org");
    let bob_user = user(&sim, "bob@example.org");
    let alice = pithos(&sim, &alice_user).await;
    let bob = pithos(&sim, &bob_user).await;
    alice
        .create_container("c", &ContainerOptions::default())
        .await
        .unwrap();
    put(&alice, "c", "doc", b"shared text").await;
    put(&alice, "c", "private", b"secret").await;

    assert!(alice.object_sharing("c", "doc").await.unwrap().is_empty());
    let permissions = Permissions {
        read: vec![bob_user.uuid.clone()],
        write: vec![],
    };
    alice
        .set_object_sharing("c", "doc", &permissions)
        .await
        .unwrap();
    assert_eq!(alice.object_sharing("c", "doc").await.unwrap(), permissions);

    // Bob sees alice among the sharers, and reads the object.
    let sharers = bob.sharing_accounts().await.unwrap();
    assert_eq!(
        sharers.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        [alice_user.uuid.as_str()]
    );
    let at_alice = bob.with_account(&alice_user.uuid);
    let info = at_alice
        .object_info("c", "doc", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(info.allowed_to.as_deref(), Some("read"));
    assert_eq!(read(&at_alice, "c", "doc").await, b"shared text");
    let listed = at_alice
        .list_objects("c", &ListObjectsOptions::default())
        .await
        .unwrap();
    assert_eq!(
        listed
            .objects
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["doc"]
    );
    let error = at_alice
        .object_info("c", "private", &ObjectInfoOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    // Read is not write.
    let error = at_alice
        .set_object_meta("c", "doc", [("k", "v")])
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    // Bob copies the shared object into his own account.
    bob.create_container("mine", &ContainerOptions::default())
        .await
        .unwrap();
    bob.copy_object(
        "c",
        "doc",
        "mine",
        "doc",
        &CopyOptions {
            source_account: Some(alice_user.uuid.clone()),
            ..CopyOptions::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(read(&bob, "mine", "doc").await, b"shared text");

    // Groups: share with alice's group holding bob.
    alice
        .set_account_group("team", [&bob_user.uuid])
        .await
        .unwrap();
    let group_share = Permissions {
        read: vec![],
        write: vec![format!("{}:team", alice_user.uuid)],
    };
    alice
        .set_object_sharing("c", "private", &group_share)
        .await
        .unwrap();
    at_alice
        .set_object_meta("c", "private", [("edited", "by bob")])
        .await
        .unwrap();
    alice.del_object_sharing("c", "private").await.unwrap();
    assert!(
        alice
            .object_sharing("c", "private")
            .await
            .unwrap()
            .is_empty()
    );

    // Publishing gives a URL anyone can read; unpublishing removes it.
    let url = alice.publish_object("c", "doc").await.unwrap();
    assert!(url.contains("/public/"), "{url}");
    assert_eq!(
        alice.publish_object("c", "doc").await.unwrap(),
        url,
        "stable"
    );
    let anonymous = http().endpoint(&url, None).unwrap();
    let body = anonymous.send(Request::get()).await.unwrap();
    assert_eq!(body.body(), &b"shared text"[..]);
    alice.unpublish_object("c", "doc").await.unwrap();
    let info = alice
        .object_info("c", "doc", &ObjectInfoOptions::default())
        .await
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(info.public_url, None);
    let error = anonymous.send(Request::get()).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn object_stream_pages_past_the_server_limit() {
    use futures_util::StreamExt;
    let (_sim, client) = setup().await;
    // One more than a full server page (10,000).
    let count = 10_001;
    futures_util::stream::iter(0..count)
        .map(|i| {
            let client = client.clone();
            async move {
                client
                    .create_object("c", &format!("o{i:05}"), "text/plain")
                    .await
            }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let first = client
        .list_objects("c", &ListObjectsOptions::default())
        .await
        .unwrap();
    assert_eq!(first.objects.len(), 10_000, "the server caps a page");
    assert_eq!(first.next_marker.as_deref(), Some("o09999"));
    let names: Vec<String> = client
        .list_objects_stream("c", &ListObjectsOptions::default())
        .map_ok(|e| e.name().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names.len(), count);
    assert_eq!(names.last().map(String::as_str), Some("o10000"));
    assert!(names.windows(2).all(|w| w[0] < w[1]));
}
