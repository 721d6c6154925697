//! synnefo-pithos against a real OpenStack Swift (Debian's packages, one
//! node, tempauth): the Swift-compatible operations, and the detection of
//! what Swift lacks.
//!
//! Start the server with `cargo xtask swift up` (CI does). Without one every
//! test prints `SKIPPED` and passes, unless `SNF_SWIFT_REQUIRED=1` (set by
//! `cargo xtask swift test` and `.ci/run`), which makes a missing server a
//! failure. `SNF_SWIFT_AUTH` overrides the auth URL
//! (default `http://127.0.0.1:18080/auth/v1.0`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use bytes::Bytes;
use futures_util::TryStreamExt;
use http::StatusCode;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use synnefo_core::{ClientConfig, Error, HttpClient};
use synnefo_pithos::swift::{ServerFlavor, md5_hex, tempauth};
use synnefo_pithos::{
    ByteRange, Conditional, ContainerCreation, ContainerOptions, CopyOptions, DeleteContainer,
    DeleteObject, DownloadOptions, DownloadOutcome, ListObjectsOptions, ListOptions, ListingEntry,
    ObjectInfoOptions, Permissions, PithosClient, Progress, PutOptions, TransferEvent,
    UploadOptions,
};

fn auth_url() -> String {
    std::env::var("SNF_SWIFT_AUTH").unwrap_or_else(|_| "http://127.0.0.1:18080/auth/v1.0".into())
}

/// A client logged in as test:tester, or `None` (with a visible message)
/// when no Swift runs and none is required.
async fn swift(test: &str) -> Option<PithosClient> {
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    match tempauth(&http, &auth_url(), "test:tester", "testing").await {
        Ok(client) => Some(client),
        Err(error) if matches!(error, Error::Transport(_)) => {
            if std::env::var("SNF_SWIFT_REQUIRED").as_deref() == Ok("1") {
                panic!(
                    "SNF_SWIFT_REQUIRED=1 but no Swift answers at {}: {error}",
                    auth_url()
                );
            }
            eprintln!(
                "SKIPPED {test}: no Swift server at {} ({error}); start one with \
                 `cargo xtask swift up`",
                auth_url()
            );
            None
        }
        Err(error) => panic!("tempauth failed: {error}"),
    }
}

/// A fresh container, unique to this test run.
async fn container(client: &PithosClient, test: &str) -> String {
    let name = format!("snf-{test}-{}", fastrand::u64(..));
    let created = client
        .create_container(&name, &ContainerOptions::default())
        .await
        .unwrap();
    assert_eq!(created, ContainerCreation::Created);
    name
}

async fn empty_and_delete(client: &PithosClient, container: &str) {
    let names: Vec<ListingEntry> = client
        .list_objects_stream(container, &ListObjectsOptions::default())
        .try_collect()
        .await
        .unwrap();
    for entry in names {
        client
            .delete_object(container, entry.name(), &DeleteObject::default())
            .await
            .unwrap();
    }
    client
        .delete_container(container, &DeleteContainer::default())
        .await
        .unwrap();
}

fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut data = vec![0u8; len];
    fastrand::Rng::with_seed(seed).fill(&mut data);
    data
}

#[tokio::test]
async fn tempauth_gives_a_client_of_the_account_and_wrong_keys_fail() {
    let Some(client) = swift("tempauth").await else {
        return;
    };
    assert_eq!(client.account(), "AUTH_test");
    assert!(client.endpoint().base_url().ends_with("/v1"));
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    let error = tempauth(&http, &auth_url(), "test:tester", "wrong")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED), "{error}");
    assert!(
        !error.to_string().contains("wrong"),
        "the key leaks: {error}"
    );
    // Swift's capabilities are there, and so is large-object support.
    let info = client.swift_info().await.unwrap().expect("GET /info");
    assert!(
        info.get("swift").is_some() && info.get("slo").is_some(),
        "{info}"
    );
    // A token the server does not know is refused.
    let stale = PithosClient::new(
        client
            .endpoint()
            .with_token(Some(synnefo_core::Token::new("AUTH_tkbogus"))),
        client.account(),
    );
    let error = stale
        .list_containers(&ListOptions::default())
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
}

#[tokio::test]
async fn containers_are_created_listed_described_and_deleted() {
    let Some(client) = swift("containers").await else {
        return;
    };
    let name = container(&client, "containers").await;
    let again = client
        .create_container(&name, &ContainerOptions::default())
        .await
        .unwrap();
    assert_eq!(again, ContainerCreation::AlreadyExists);
    // Swift has no block headers: detected, and the Pithos description
    // says what is missing instead of guessing.
    assert_eq!(
        client.container_flavor(&name).await.unwrap(),
        ServerFlavor::Swift
    );
    let error = client.container_info(&name, None).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("X-Container-Block-Size"), "{error}");
    assert!(message.contains("Pithos+ extension"), "{error}");
    client
        .set_container_meta(&name, [("owner", "rust"), ("colour", "blue")])
        .await
        .unwrap();
    client
        .set_container_meta(&name, [("colour", "red")])
        .await
        .unwrap();
    let info = client.swift_container_info(&name).await.unwrap();
    assert_eq!(info.meta.get("owner").map(String::as_str), Some("rust"));
    assert_eq!(info.meta.get("colour").map(String::as_str), Some("red"));
    assert_eq!(info.object_count, Some(0));
    let listed = client
        .list_containers(&ListOptions {
            marker: Some(name.trim_end_matches(char::is_numeric).to_owned()),
            ..ListOptions::default()
        })
        .await
        .unwrap();
    assert!(listed.iter().any(|c| c.name == name), "{listed:?}");
    client
        .put_object_bytes(&name, "x", Bytes::from_static(b"x"), &PutOptions::default())
        .await
        .unwrap();
    let error = client
        .delete_container(&name, &DeleteContainer::default())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT), "{error}");
    empty_and_delete(&client, &name).await;
    let error = client.swift_container_info(&name).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn objects_go_up_and_down_verified_by_md5() {
    let Some(client) = swift("objects").await else {
        return;
    };
    let name = container(&client, "objects").await;
    let dir = tempfile::tempdir().unwrap();
    let options = UploadOptions::default();
    for (object, len) in [("tiny", 10usize), ("small", 200 * 1024), ("big", 5 << 20)] {
        let data = random(len, len as u64);
        let outcome = client
            .upload_bytes(&name, object, Bytes::from(data.clone()), &options)
            .await
            .unwrap();
        assert_eq!(outcome.etag, md5_hex(&data), "{object}");
        assert_eq!(outcome.size, len as u64);
        // One GET, checked against the MD5 ETag.
        let back = client.get_object_verified(&name, object).await.unwrap();
        assert_eq!(&back[..], &data[..], "{object}");
        // Into a file: streamed, checked.
        let target = dir.path().join(object);
        let outcome = client
            .download_file(&name, object, &target, &DownloadOptions::default())
            .await
            .unwrap();
        let DownloadOutcome::Downloaded { size, etag, .. } = outcome else {
            panic!("not modified?");
        };
        assert_eq!(size, len as u64);
        assert_eq!(etag, Some(md5_hex(&data)));
        assert_eq!(std::fs::read(&target).unwrap(), data, "{object}");
        // As a stream.
        let stream = client
            .download_stream(&name, object, &DownloadOptions::default())
            .await
            .unwrap()
            .expect("modified");
        let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
        assert_eq!(chunks.concat(), data, "{object}");
    }
    // A file upload: one streaming PUT.
    let source = dir.path().join("source");
    let data = random(3 << 20, 7);
    std::fs::write(&source, &data).unwrap();
    let outcome = client
        .upload_file(&name, "from-file", &source, &options)
        .await
        .unwrap();
    assert_eq!(outcome.etag, md5_hex(&data));
    assert_eq!(
        client
            .get_object_verified(&name, "from-file")
            .await
            .unwrap(),
        data
    );
    // Without the MD5 check (python-swiftclient's --ignore-checksum): the
    // same bytes, only sizes checked.
    let unchecked_up = UploadOptions {
        check_md5: false,
        ..UploadOptions::default()
    };
    let outcome = client
        .upload_file(&name, "unchecked", &source, &unchecked_up)
        .await
        .unwrap();
    assert_eq!(
        outcome.etag,
        md5_hex(&data),
        "the server's ETag is passed on"
    );
    let target = dir.path().join("unchecked");
    let outcome = client
        .download_file(
            &name,
            "unchecked",
            &target,
            &DownloadOptions {
                check_md5: false,
                ..DownloadOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(outcome, DownloadOutcome::Downloaded { size, .. } if size == data.len() as u64)
    );
    assert_eq!(std::fs::read(&target).unwrap(), data);
    // A reader of unknown size: one chunked PUT.
    let reader = std::io::Cursor::new(data[..1_500_000].to_vec());
    let outcome = client
        .upload_reader(&name, "from-reader", reader, &options)
        .await
        .unwrap();
    assert_eq!(outcome.size, 1_500_000);
    assert_eq!(outcome.etag, md5_hex(&data[..1_500_000]));
    // An empty object.
    let outcome = client
        .upload_bytes(&name, "empty", Bytes::new(), &options)
        .await
        .unwrap();
    assert_eq!(outcome.etag, md5_hex(b""));
    assert!(
        client
            .get_object_verified(&name, "empty")
            .await
            .unwrap()
            .is_empty()
    );
    empty_and_delete(&client, &name).await;
}

#[tokio::test]
async fn ranges_conditionals_metadata_and_copies() {
    let Some(client) = swift("ranges").await else {
        return;
    };
    let name = container(&client, "ranges").await;
    let data = random(100_000, 1);
    let etag = md5_hex(&data);
    let put = PutOptions {
        content_type: Some("application/x-test".into()),
        meta: BTreeMap::from([("colour".to_owned(), "blue".to_owned())]),
        ..PutOptions::default()
    };
    let written = client
        .put_object_bytes(&name, "dir1/a.bin", Bytes::from(data.clone()), &put)
        .await
        .unwrap();
    assert_eq!(written.etag.as_deref(), Some(etag.as_str()));
    // A wrong ETag on upload is refused by the server (422).
    let error = client
        .put_object_bytes(
            &name,
            "bad",
            Bytes::from_static(b"abc"),
            &PutOptions {
                etag: Some("0".repeat(32)),
                ..PutOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));

    let none = ObjectInfoOptions::default();
    for (range, expected) in [
        (ByteRange::Span { start: 10, end: 19 }, &data[10..20]),
        (ByteRange::From(99_990), &data[99_990..]),
        (ByteRange::Last(5), &data[99_995..]),
    ] {
        let Conditional::Modified(part) = client
            .get_object_range(&name, "dir1/a.bin", range, &none)
            .await
            .unwrap()
        else {
            panic!("not modified?");
        };
        assert_eq!(&part.data[..], expected, "{range}");
        assert_eq!(part.total_size, Some(100_000));
    }
    let error = client
        .get_object_range(&name, "dir1/a.bin", ByteRange::From(200_000), &none)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::RANGE_NOT_SATISFIABLE));

    // HEAD: size, type, MD5 ETag, metadata.
    let Conditional::Modified(info) = client
        .object_info(&name, "dir1/a.bin", &none)
        .await
        .unwrap()
    else {
        panic!("not modified?");
    };
    assert_eq!(info.size, 100_000);
    assert_eq!(info.etag.as_deref(), Some(etag.as_str()));
    assert_eq!(info.content_type.as_deref(), Some("application/x-test"));
    assert_eq!(info.meta.get("colour").map(String::as_str), Some("blue"));
    assert_eq!(info.object_hash, None, "Swift has no Merkle hash");
    // Merging metadata: Swift's POST replaces all of it, so set and delete
    // must keep the keys they do not name.
    client
        .set_object_meta(&name, "dir1/a.bin", [("shape", "round")])
        .await
        .unwrap();
    client
        .set_object_meta(&name, "dir1/a.bin", [("size", "xl")])
        .await
        .unwrap();
    client
        .delete_object_meta(&name, "dir1/a.bin", ["size"])
        .await
        .unwrap();
    let Conditional::Modified(info) = client
        .object_info(&name, "dir1/a.bin", &none)
        .await
        .unwrap()
    else {
        panic!("not modified?");
    };
    assert_eq!(info.meta.get("colour").map(String::as_str), Some("blue"));
    assert_eq!(info.meta.get("shape").map(String::as_str), Some("round"));
    assert_eq!(info.meta.get("size"), None);
    // Conditionals.
    let matching = ObjectInfoOptions {
        if_none_match: Some(etag.clone()),
        ..ObjectInfoOptions::default()
    };
    assert!(
        client
            .object_info(&name, "dir1/a.bin", &matching)
            .await
            .unwrap()
            .is_not_modified()
    );
    let outcome = client
        .download_file(
            &name,
            "dir1/a.bin",
            &std::env::temp_dir().join(format!("snf-swift-unused-{}", fastrand::u64(..))),
            &DownloadOptions {
                conditions: matching.clone(),
                ..DownloadOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(outcome, DownloadOutcome::NotModified));
    let failing = ObjectInfoOptions {
        if_match: Some("0".repeat(32)),
        ..ObjectInfoOptions::default()
    };
    let error = client
        .object_info(&name, "dir1/a.bin", &failing)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::PRECONDITION_FAILED));
    let since = ObjectInfoOptions {
        if_modified_since: Some(std::time::SystemTime::now() + std::time::Duration::from_secs(5)),
        ..ObjectInfoOptions::default()
    };
    assert!(
        client
            .object_info(&name, "dir1/a.bin", &since)
            .await
            .unwrap()
            .is_not_modified()
    );

    // Metadata: a POST on Swift replaces the whole set.
    client
        .replace_object_meta(&name, "dir1/a.bin", [("shape", "round")])
        .await
        .unwrap();
    let meta = client.object_meta(&name, "dir1/a.bin").await.unwrap();
    assert_eq!(
        meta,
        BTreeMap::from([("shape".to_owned(), "round".to_owned())])
    );

    // Copy (X-Copy-From): same bytes, metadata carried over plus the new.
    client
        .copy_object(
            &name,
            "dir1/a.bin",
            &name,
            "dir2/copy.bin",
            &CopyOptions {
                meta: BTreeMap::from([("copied".to_owned(), "yes".to_owned())]),
                ..CopyOptions::default()
            },
        )
        .await
        .unwrap();
    let copy = client
        .get_object_verified(&name, "dir2/copy.bin")
        .await
        .unwrap();
    assert_eq!(copy, data);
    let meta = client.object_meta(&name, "dir2/copy.bin").await.unwrap();
    assert_eq!(meta.get("copied").map(String::as_str), Some("yes"));
    assert_eq!(meta.get("shape").map(String::as_str), Some("round"));
    // Delete, then 404.
    client
        .delete_object(&name, "dir2/copy.bin", &DeleteObject::default())
        .await
        .unwrap();
    let error = client
        .get_object_verified(&name, "dir2/copy.bin")
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    empty_and_delete(&client, &name).await;
}

#[tokio::test]
async fn listings_with_prefix_delimiter_marker_and_json_fields() {
    let Some(client) = swift("listings").await else {
        return;
    };
    let name = container(&client, "listings").await;
    let names = [
        "c.txt",
        "dir1/a.txt",
        "dir1/b.txt",
        "dir2/x/y.txt",
        "dir2/z.txt",
    ];
    for object in names {
        client
            .put_object_bytes(
                &name,
                object,
                Bytes::from(object.as_bytes().to_vec()),
                &PutOptions::default(),
            )
            .await
            .unwrap();
    }
    let all = client
        .list_objects(&name, &ListObjectsOptions::default())
        .await
        .unwrap();
    let listed: Vec<&str> = all.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(listed, names);
    // Swift's JSON fields: bytes, MD5 hash, content type, last modified.
    let first = &all.objects[0];
    assert_eq!(first.bytes, 5);
    assert_eq!(first.hash.as_deref(), Some(md5_hex(b"c.txt").as_str()));
    assert!(first.content_type.is_some() && first.last_modified.is_some());
    assert_eq!(first.object_hash, None);
    let prefixed = client
        .list_objects(
            &name,
            &ListObjectsOptions {
                prefix: Some("dir1/".into()),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(prefixed.objects.len(), 2);
    let top = client
        .list_objects(
            &name,
            &ListObjectsOptions {
                delimiter: Some('/'),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        top.objects
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["c.txt"]
    );
    assert_eq!(top.subdirs, ["dir1/", "dir2/"]);
    let nested = client
        .list_objects(
            &name,
            &ListObjectsOptions {
                prefix: Some("dir2/".into()),
                delimiter: Some('/'),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(nested.subdirs, ["dir2/x/"]);
    assert_eq!(nested.objects[0].name, "dir2/z.txt");
    // Paging: marker + limit, and the stream walking pages of two.
    let page = client
        .list_objects(
            &name,
            &ListObjectsOptions {
                marker: Some("dir1/a.txt".into()),
                limit: Some(2),
                ..ListObjectsOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        page.objects
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>(),
        ["dir1/b.txt", "dir2/x/y.txt"]
    );
    assert_eq!(page.next_marker.as_deref(), Some("dir2/x/y.txt"));
    let streamed: Vec<ListingEntry> = client
        .list_objects_stream(
            &name,
            &ListObjectsOptions {
                limit: Some(2),
                ..ListObjectsOptions::default()
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        streamed.iter().map(ListingEntry::name).collect::<Vec<_>>(),
        names
    );
    empty_and_delete(&client, &name).await;
}

/// Downloads `object` to `target` resuming, and returns the outcome and
/// how many bytes actually came over the network.
async fn download_counting(
    client: &PithosClient,
    container: &str,
    object: &str,
    target: &std::path::Path,
) -> (DownloadOutcome, u64) {
    let received = Arc::new(AtomicU64::new(0));
    let counter = received.clone();
    let options = DownloadOptions {
        overwrite: true,
        progress: Some(Progress::new(move |event| {
            if let TransferEvent::Received(n) = event {
                counter.fetch_add(n, Ordering::Relaxed);
            }
        })),
        ..DownloadOptions::default()
    };
    let outcome = client
        .download_file(container, object, target, &options)
        .await
        .unwrap();
    (outcome, received.load(Ordering::Relaxed))
}

#[tokio::test]
async fn interrupted_downloads_resume_and_stale_partials_start_over() {
    let Some(client) = swift("resume").await else {
        return;
    };
    let name = container(&client, "resume").await;
    let dir = tempfile::tempdir().unwrap();
    let data = random(3 << 20, 11);
    client
        .upload_bytes(
            &name,
            "o",
            Bytes::from(data.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    let target = dir.path().join("o");
    let partial = dir.path().join(".o.snf-partial");

    // A partial file with the first MiB: only the rest travels.
    std::fs::write(&partial, &data[..1 << 20]).unwrap();
    let (outcome, received) = download_counting(&client, &name, "o", &target).await;
    assert_eq!(received, (2 << 20) as u64);
    assert!(
        matches!(outcome, DownloadOutcome::Downloaded { size, bytes_fetched, .. }
            if size == data.len() as u64 && bytes_fetched == (2 << 20) as u64),
        "{outcome:?}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), data);
    assert!(!partial.exists());

    // A partial file from another version: MD5 tells only at the end, and
    // the download starts over once, whole, and is right.
    let mut stale = data[..1 << 20].to_vec();
    stale[1000] ^= 0xff;
    std::fs::write(&partial, &stale).unwrap();
    let (outcome, received) = download_counting(&client, &name, "o", &target).await;
    assert_eq!(received, (2 << 20) as u64 + data.len() as u64);
    assert!(
        matches!(outcome, DownloadOutcome::Downloaded { bytes_fetched, .. }
            if bytes_fetched == data.len() as u64),
        "{outcome:?}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), data);
    assert!(!partial.exists());

    // Large objects resume too, and a bad kept segment is caught before
    // anything more is fetched.
    let source = dir.path().join("source");
    std::fs::write(&source, &data).unwrap();
    client
        .upload_file_segmented(&name, "large", &source, 1 << 20, &UploadOptions::default())
        .await
        .unwrap();
    let target = dir.path().join("large");
    let partial = dir.path().join(".large.snf-partial");
    std::fs::write(&partial, &data[..(1 << 20) + 5]).unwrap();
    let (_, received) = download_counting(&client, &name, "large", &target).await;
    assert_eq!(received, data.len() as u64 - (1 << 20) - 5);
    assert_eq!(std::fs::read(&target).unwrap(), data);
    let mut stale = data[..(1 << 20) + 5].to_vec();
    stale[10] ^= 0xff;
    std::fs::write(&partial, &stale).unwrap();
    let (_, received) = download_counting(&client, &name, "large", &target).await;
    assert_eq!(received, data.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), data);

    // Without resume the partial file is ignored.
    std::fs::write(dir.path().join(".o.snf-partial"), &stale).unwrap();
    let outcome = client
        .download_file(
            &name,
            "o",
            &dir.path().join("o"),
            &DownloadOptions {
                overwrite: true,
                resume: false,
                ..DownloadOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(outcome, DownloadOutcome::Downloaded { bytes_fetched, .. }
        if bytes_fetched == data.len() as u64)
    );
    assert_eq!(std::fs::read(dir.path().join("o")).unwrap(), data);
    empty_and_delete(&client, &name).await;
}

#[tokio::test]
async fn large_objects_by_segments_and_manifest() {
    let Some(client) = swift("large").await else {
        return;
    };
    let name = container(&client, "large").await;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source");
    let data = random((3 << 20) + 12_345, 3);
    std::fs::write(&source, &data).unwrap();
    let outcome = client
        .upload_file_segmented(
            &name,
            "large.bin",
            &source,
            1 << 20,
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(outcome.blocks, 4);
    assert_eq!(outcome.size, data.len() as u64);
    let Conditional::Modified(info) = client
        .object_info(&name, "large.bin", &ObjectInfoOptions::default())
        .await
        .unwrap()
    else {
        panic!("not modified?");
    };
    assert_eq!(info.size, data.len() as u64);
    assert!(info.manifest.is_some(), "{info:?}");
    // Downloads check each segment against its ETag.
    let target = dir.path().join("back");
    client
        .download_file(&name, "large.bin", &target, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), data);
    assert_eq!(
        client
            .get_object_verified(&name, "large.bin")
            .await
            .unwrap(),
        data
    );
    // A range across a segment boundary.
    let Conditional::Modified(part) = client
        .get_object_range(
            &name,
            "large.bin",
            ByteRange::Span {
                start: (1 << 20) - 10,
                end: (1 << 20) + 9,
            },
            &ObjectInfoOptions::default(),
        )
        .await
        .unwrap()
    else {
        panic!("not modified?");
    };
    assert_eq!(&part.data[..], &data[(1 << 20) - 10..(1 << 20) + 10]);
    // A segment removed behind the manifest's back is caught, not served
    // as a shorter object.
    let segments = format!("{name}_segments");
    let listed = client
        .list_objects(&segments, &ListObjectsOptions::default())
        .await
        .unwrap();
    assert_eq!(listed.objects.len(), 4);
    client
        .delete_object(&segments, &listed.objects[1].name, &DeleteObject::default())
        .await
        .unwrap();
    // Swift serves the remaining segments as a shorter object, with a
    // consistent ETag; the size in the segment names gives it away.
    let error = client
        .download_file(
            &name,
            "large.bin",
            &dir.path().join("cut"),
            &DownloadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Integrity { .. }), "{error}");
    assert!(!dir.path().join("cut").exists());
    empty_and_delete(&client, &name).await;
    empty_and_delete(&client, &segments).await;
}

#[tokio::test]
async fn pithos_only_features_fail_with_a_clear_error() {
    let Some(client) = swift("pithos-only").await else {
        return;
    };
    let name = container(&client, "pithos-only").await;
    client
        .put_object_bytes(
            &name,
            "o",
            Bytes::from_static(b"data"),
            &PutOptions::default(),
        )
        .await
        .unwrap();
    // A version: Swift would ignore ?version= and send the current data.
    let error = client
        .download_file(
            &name,
            "o",
            &std::env::temp_dir().join(format!("snf-swift-unused-{}", fastrand::u64(..))),
            &DownloadOptions {
                conditions: ObjectInfoOptions {
                    version: Some(1),
                    ..ObjectInfoOptions::default()
                },
                ..DownloadOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Pithos+ extension"), "{error}");
    // A hashmap: Swift would send the object's bytes instead.
    let error = client
        .object_hashmap(&name, "o", &ObjectInfoOptions::default())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Pithos+ extension"), "{error}");
    // Sharing on upload: Swift would drop it silently.
    let error = client
        .upload_bytes(
            &name,
            "shared",
            Bytes::from(vec![1u8; 100_000]),
            &UploadOptions {
                put: PutOptions {
                    sharing: Some(Permissions {
                        read: vec!["someone".into()],
                        write: vec![],
                    }),
                    ..PutOptions::default()
                },
                ..UploadOptions::default()
            },
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Pithos+ extension"), "{error}");
    empty_and_delete(&client, &name).await;
}
