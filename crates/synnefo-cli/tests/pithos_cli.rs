//! The object-storage commands (`snf file|container|sharer|group …`) as a
//! user runs them: the real binary against synnefo-sim, with throw-away
//! config files for alice and bob.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::Env;
use synnefo_astakos::Cloud;
use synnefo_core::{ClientConfig, HttpClient, Token};
use synnefo_pithos::{ContainerOptions, PithosClient, UploadOptions};
use synnefo_sim::{Sim, SimConfig, SimHandle, UserSpec};

/// A small block size, so that small files have many blocks.
const BLOCK: usize = 64;

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

/// `user`'s Pithos client, to set up what the CLI must meet.
async fn pithos(sim: &SimHandle, user: &UserSpec) -> PithosClient {
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    let cloud = Cloud::connect(http, &sim.identity_url(), Token::new(&user.token))
        .await
        .unwrap();
    cloud.client().unwrap()
}

/// Deterministic bytes that do not repeat block by block.
fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| {
            (i as u32)
                .wrapping_mul(2_654_435_761)
                .rotate_left(seed as u32) as u8
                ^ seed
        })
        .collect()
}

/// Every file under `root`, relative path → contents, and every folder.
fn tree(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let mut files = BTreeMap::new();
    let mut dirs = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                dirs.push(relative);
                pending.push(path);
            } else {
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    dirs.sort();
    (files, dirs)
}

fn names(listing: &serde_json::Value) -> Vec<String> {
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["name"]
                .as_str()
                .or_else(|| e["subdir"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_create_list_info_modify_delete() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&[
        "container",
        "create",
        "photos",
        "--limit",
        "1MiB",
        "--meta",
        "shelf=top",
        "--versioning",
        "none",
    ]);
    let err = env.fails(&["container", "create", "photos"]);
    assert!(err.contains("already exists"), "{err}");

    let table = env.ok(&["container", "list"]);
    assert!(table.starts_with("NAME"), "{table}");
    assert!(table.contains("photos"), "{table}");
    let listing = env.json(&["container", "list", "-l"]);
    assert_eq!(names(&listing), ["photos"]);

    let info = env.ok(&["container", "info", "photos"]);
    assert!(info.contains("1MiB"), "{info}");
    assert!(info.contains("meta shelf:"), "{info}");
    let info = env.json(&["container", "info", "photos"]);
    assert_eq!(info["quota"], 1_048_576);
    assert_eq!(info["versioning"], "none");
    assert_eq!(info["meta"]["shelf"], "top");

    env.ok(&[
        "container",
        "modify",
        "photos",
        "--size-limit",
        "2KB",
        "--metadata-add",
        "color=blue",
        "--metadata-del",
        "shelf",
        "--versioning",
        "auto",
    ]);
    let meta = env.json(&["container", "info", "photos", "--metadata"]);
    assert_eq!(meta, serde_json::json!({"color": "blue"}));
    assert_eq!(
        env.ok(&["container", "info", "photos", "--size-limit", "-b"])
            .trim(),
        "2000"
    );
    // Charged to another project.
    let project = "5c0b1d7e-0000-4000-8000-00000000cafe";
    env.ok(&["container", "reassign", "photos", "--project-id", project]);
    assert_eq!(
        env.json(&["container", "info", "photos"])["project"],
        project
    );
    let bad = env.snf(&["container", "modify", "photos", "--size-limit", "2XB"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid size"));

    // Not empty: deleting needs -r; never a question without a terminal.
    let local = env.path("a.txt");
    std::fs::write(&local, b"hello").unwrap();
    env.ok(&["file", "upload", local.to_str().unwrap(), "/photos/a.txt"]);
    let err = env.fails(&["container", "delete", "photos"]);
    assert!(err.contains("--yes"), "{err}");
    let err = env.fails(&["container", "delete", "photos", "--yes"]);
    assert!(err.contains("not empty") && err.contains("-r"), "{err}");
    env.ok(&["container", "empty", "photos", "--yes"]);
    assert_eq!(
        env.json(&["file", "list", "/photos"]),
        serde_json::json!([])
    );
    env.ok(&["file", "upload", local.to_str().unwrap(), "/photos/b.txt"]);
    env.ok(&["container", "delete", "photos", "--yes", "-r"]);
    assert_eq!(env.json(&["container", "list"]), serde_json::json!([]));
    let err = env.fails(&["container", "info", "photos"]);
    assert!(
        err.contains("cannot show container photos") && err.contains("404"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_and_download_round_trip() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    // The default container is `pithos`.
    env.ok(&["container", "create", "pithos"]);
    let content = data(BLOCK * 20 + 7, 3);
    let local = env.path("data.bin");
    std::fs::write(&local, &content).unwrap();
    let local_arg = local.to_str().unwrap();
    env.ok(&["file", "upload", local_arg, "dir/", "-N"]);
    let err = env.fails(&["file", "upload", local_arg, "dir/data.bin"]);
    assert!(
        err.contains("pithos/dir/data.bin") && err.contains("already exists") && err.contains("-f"),
        "{err}"
    );
    env.ok(&["file", "upload", local_arg, "dir/data.bin", "-f"]);

    let info = env.json(&["file", "info", "dir/data.bin"]);
    assert_eq!(info["size"], content.len());
    assert_eq!(info["content_type"], "application/octet-stream");
    let listing = env.json(&["file", "list", "dir"]);
    assert_eq!(names(&listing), ["dir/data.bin"]);
    let listing = env.json(&["file", "list"]);
    assert_eq!(names(&listing), ["dir/"]);

    let target = env.path("copy.bin");
    let target_arg = target.to_str().unwrap();
    env.ok(&["file", "download", "/pithos/dir/data.bin", target_arg]);
    assert_eq!(std::fs::read(&target).unwrap(), content);
    let err = env.fails(&["file", "download", "dir/data.bin", target_arg]);
    assert!(
        err.contains("already exists") && err.contains("-f"),
        "{err}"
    );
    std::fs::write(&target, b"stale").unwrap();
    env.ok(&["file", "download", "dir/data.bin", target_arg, "-f"]);
    assert_eq!(std::fs::read(&target).unwrap(), content);
    // --resume keeps what is right and fetches the rest.
    let mut damaged = content.clone();
    damaged[BLOCK * 3] ^= 0xff;
    damaged.truncate(BLOCK * 10);
    std::fs::write(&target, &damaged).unwrap();
    env.ok(&["file", "download", "dir/data.bin", target_arg, "--resume"]);
    assert_eq!(std::fs::read(&target).unwrap(), content);
    // Default local name: the object's, in the current folder.
    std::fs::remove_file(&local).unwrap();
    env.ok(&["file", "download", "dir/data.bin"]);
    assert_eq!(std::fs::read(env.path("data.bin")).unwrap(), content);

    // A text file gets its type from its name; a range download.
    let text = env.path("notes.txt");
    std::fs::write(&text, b"0123456789").unwrap();
    env.ok(&["file", "upload", text.to_str().unwrap()]);
    assert_eq!(
        env.json(&["file", "info", "notes.txt"])["content_type"],
        "text/plain"
    );
    let part = env.path("part.txt");
    env.ok(&[
        "file",
        "download",
        "notes.txt",
        part.to_str().unwrap(),
        "--range",
        "2-4,-2",
    ]);
    assert_eq!(std::fs::read(&part).unwrap(), b"23489");

    let err = env.fails(&["file", "download", "missing.txt", "x"]);
    assert!(
        err.starts_with("snf: cannot download pithos/missing.txt: ") && err.contains("404"),
        "{err}"
    );
    assert!(!env.path("x").exists());
    let err = env.fails(&["file", "upload", "/no/such/file"]);
    assert!(err.contains("cannot upload /no/such/file"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recursive_upload_and_download_of_a_tree() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&["container", "create", "backup"]);
    let source = env.path("project");
    std::fs::create_dir_all(source.join("src/deep")).unwrap();
    std::fs::create_dir_all(source.join("empty")).unwrap();
    std::fs::write(source.join("README.md"), b"# project\n").unwrap();
    std::fs::write(source.join("src/main.rs"), data(BLOCK * 5 + 1, 1)).unwrap();
    std::fs::write(source.join("src/deep/blob.bin"), data(BLOCK * 9, 2)).unwrap();
    std::fs::write(source.join("src/deep/zero"), b"").unwrap();
    let source_arg = source.to_str().unwrap();

    let err = env.fails(&["file", "upload", source_arg, "-C", "backup"]);
    assert!(err.contains("folder") && err.contains("-r"), "{err}");
    env.ok(&["file", "upload", "-r", source_arg, "-C", "backup"]);
    let listing = env.json(&["file", "list", "-r", "/backup/project"]);
    assert_eq!(
        names(&listing),
        [
            "project/README.md",
            "project/empty",
            "project/src",
            "project/src/deep",
            "project/src/deep/blob.bin",
            "project/src/deep/zero",
            "project/src/main.rs",
        ]
    );
    let types: BTreeMap<String, String> = listing
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["content_type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(types["project/src/deep"], "application/directory");
    assert_eq!(types["project/README.md"], "text/markdown");
    // One level by default, with the subdirectories.
    let level = env.ok(&["file", "list", "/backup/project/src"]);
    assert!(level.contains("project/src/main.rs"), "{level}");
    assert!(!level.contains("blob.bin"), "{level}");

    let err = env.fails(&["file", "upload", "-r", source_arg, "-C", "backup"]);
    assert!(err.contains("already exist") && err.contains("-f"), "{err}");
    env.ok(&["file", "upload", "-r", source_arg, "-C", "backup", "-f"]);

    let copy = env.path("restored");
    env.ok(&[
        "file",
        "download",
        "-r",
        "/backup/project",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(tree(&copy), tree(&source));
    let err = env.fails(&[
        "file",
        "download",
        "-r",
        "/backup/project",
        copy.to_str().unwrap(),
    ]);
    assert!(
        err.contains("already exist") && err.contains("nothing was downloaded"),
        "{err}"
    );
    env.ok(&[
        "file",
        "download",
        "-r",
        "/backup/project",
        copy.to_str().unwrap(),
        "-f",
    ]);
    assert_eq!(tree(&copy), tree(&source));
    // Without a local name: the directory's name, here.
    env.ok(&["file", "download", "-r", "/backup/project/src"]);
    assert_eq!(tree(&env.path("src")), tree(&source.join("src")));

    // Recursive delete.
    let err = env.fails(&["file", "delete", "/backup/project", "-r"]);
    assert!(err.contains("--yes"), "{err}");
    env.ok(&["file", "delete", "/backup/project", "-r", "--yes"]);
    assert_eq!(
        env.json(&["file", "list", "-r", "/backup"]),
        serde_json::json!([])
    );
}

/// Objects the server accepts but no file system should get.
async fn hostile_download(name: &str) {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    let client = pithos(&sim, &alice).await;
    client
        .create_container("evil", &ContainerOptions::default())
        .await
        .unwrap();
    for object in ["a/ok.txt", name] {
        client
            .upload_bytes(
                "evil",
                object,
                bytes::Bytes::from_static(b"payload"),
                &UploadOptions::default(),
            )
            .await
            .unwrap();
    }
    let listed = env.json(&["file", "list", "-r", "/evil"]);
    assert!(names(&listed).contains(&name.to_owned()), "{listed}");

    let target = env.path("inbox/target");
    std::fs::create_dir_all(env.path("inbox")).unwrap();
    let err = env.fails(&["file", "download", "-r", "/evil", target.to_str().unwrap()]);
    assert!(
        err.contains("refusing to download object")
            && err.contains(&format!("{name:?}"))
            && err.contains("nothing was downloaded"),
        "{err}"
    );
    // Nothing written anywhere: not in the target, not next to it.
    assert!(!target.exists());
    let (files, dirs) = tree(env.dir.path());
    // The folder is also the test's home: the config and snf's history.
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [".kamaki.history", "kamakirc"],
        "{files:?}"
    );
    assert_eq!(dirs, ["inbox"]);
    assert!(!Path::new("/abs").exists() || name != "/abs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recursive_download_refuses_a_parent_escape() {
    hostile_download("../escape").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recursive_download_refuses_an_absolute_name() {
    hostile_download("/abs").await;
}

/// A plain HTTP GET of a public URL: status and body.
async fn fetch(url: &str) -> (u16, Vec<u8>) {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let body = response[split + 4..].to_vec();
        (status, body)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_and_unpublish() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&["container", "create", "pithos"]);
    let local = env.path("page.html");
    std::fs::write(&local, b"<p>hi</p>").unwrap();
    let url = env.ok(&["file", "upload", local.to_str().unwrap(), "--public"]);
    let url = url.trim();
    assert!(url.starts_with("http://"), "{url}");
    assert_eq!(env.json(&["file", "info", "page.html"])["public_url"], url);
    let (status, body) = fetch(url).await;
    assert_eq!((status, body.as_slice()), (200, b"<p>hi</p>".as_slice()));

    env.ok(&["file", "unpublish", "page.html"]);
    assert!(env.json(&["file", "info", "page.html"])["public_url"].is_null());
    assert_eq!(fetch(url).await.0, 404);

    let again = env.ok(&["file", "publish", "page.html"]);
    assert!(again.trim().starts_with("http://"), "{again}");
    let listing = env.json(&["file", "list", "--public"]);
    assert_eq!(names(&listing), ["page.html"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_with_bob() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let bob = user(&sim, "bob@example.org");
    let env = Env::new(&sim, &alice.token);
    let bob_env = Env::new(&sim, &bob.token);
    env.ok(&["container", "create", "docs"]);
    let local = env.path("report.txt");
    std::fs::write(&local, b"quarterly numbers").unwrap();
    env.ok(&[
        "file",
        "upload",
        local.to_str().unwrap(),
        "/docs/report.txt",
    ]);
    env.ok(&[
        "file",
        "upload",
        local.to_str().unwrap(),
        "/docs/private.txt",
    ]);

    assert_eq!(bob_env.json(&["sharer", "list"]), serde_json::json!([]));
    env.ok(&[
        "file",
        "modify",
        "/docs/report.txt",
        "--read-permission",
        "bob@example.org",
        "--metadata-add",
        "quarter=Q3",
    ]);
    let sharing = env.json(&["file", "info", "/docs/report.txt", "--sharing"]);
    assert_eq!(sharing["read"], serde_json::json!([bob.uuid]));
    let meta = env.json(&["file", "info", "/docs/report.txt", "--metadata"]);
    assert_eq!(meta["quarter"], "Q3");
    let table = env.ok(&["file", "info", "/docs/report.txt"]);
    assert!(table.contains(&format!("read={}", bob.uuid)), "{table}");

    let sharers = bob_env.json(&["sharer", "list"]);
    assert_eq!(sharers[0]["uuid"], alice.uuid.as_str());
    assert_eq!(sharers[0]["name"], "alice@example.org");
    let table = bob_env.ok(&["sharer", "list"]);
    assert!(
        table.contains(&alice.uuid) && table.contains("alice@example.org"),
        "{table}"
    );

    // Bob sees alice's account as far as it is shared with him: when it
    // changed, not what it holds (the server keeps counts to the owner).
    let info = bob_env.json(&["sharer", "info", "alice@example.org"]);
    assert!(info["last_modified"].is_string(), "{info}");
    assert!(info["container_count"].is_null(), "{info}");
    assert_eq!(
        env.json(&["sharer", "info"])["container_count"],
        1,
        "the owner sees the counts"
    );
    let table = bob_env.ok(&["sharer", "info", &alice.uuid]);
    assert!(
        table.contains(&alice.uuid) && table.contains("alice@example.org"),
        "{table}"
    );
    let err = bob_env.fails(&["sharer", "info", "nobody@example.org"]);
    assert!(err.contains("nobody@example.org"), "{err}");

    // Bob reads it by URL and with -A (a display name).
    let url = format!("pithos://{}/docs/report.txt", alice.uuid);
    assert_eq!(bob_env.ok(&["file", "cat", &url]), "quarterly numbers");
    let listing = bob_env.json(&["file", "list", "/docs", "-A", "alice@example.org"]);
    assert_eq!(names(&listing), ["report.txt"]);
    let got = bob_env.path("got.txt");
    bob_env.ok(&[
        "file",
        "download",
        "/docs/report.txt",
        got.to_str().unwrap(),
        "-A",
        "alice@example.org",
    ]);
    assert_eq!(std::fs::read(&got).unwrap(), b"quarterly numbers");
    let err = bob_env.fails(&[
        "file",
        "cat",
        &format!("pithos://{}/docs/private.txt", alice.uuid),
    ]);
    assert!(err.contains("cannot read docs/private.txt"), "{err}");

    // Taking it back.
    env.ok(&["file", "modify", "/docs/report.txt", "--no-permissions"]);
    let sharing = env.json(&["file", "info", "/docs/report.txt", "--sharing"]);
    assert_eq!(sharing["read"], serde_json::json!([]));
    let err = bob_env.fails(&["file", "cat", &url]);
    assert!(err.contains("403") || err.contains("404"), "{err}");
    let err = env.fails(&[
        "file",
        "modify",
        "/docs/report.txt",
        "--read-permission",
        "nobody@example.org",
    ]);
    assert!(err.contains("nobody@example.org"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_create_list_delete() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let bob = user(&sim, "bob@example.org");
    let env = Env::new(&sim, &alice.token);
    assert_eq!(env.json(&["group", "list"]), serde_json::json!({}));
    env.ok(&[
        "group",
        "create",
        "friends",
        "--username",
        "bob@example.org",
    ]);
    env.ok(&[
        "group",
        "create",
        "team",
        "--uuid",
        &bob.uuid,
        "--uuid",
        &alice.uuid,
    ]);
    let groups = env.json(&["group", "list"]);
    assert_eq!(groups["friends"], serde_json::json!([bob.uuid]));
    assert_eq!(groups["team"].as_array().unwrap().len(), 2);
    let table = env.ok(&["group", "list"]);
    assert!(
        table.contains("friends") && table.contains("bob@example.org"),
        "{table}"
    );

    // A group grants access to its members.
    env.ok(&["container", "create", "pithos"]);
    let local = env.path("g.txt");
    std::fs::write(&local, b"for friends").unwrap();
    env.ok(&["file", "upload", local.to_str().unwrap()]);
    env.ok(&[
        "file",
        "modify",
        "g.txt",
        "--read-permission",
        &format!("{}:friends", alice.uuid),
    ]);
    let bob_env = Env::new(&sim, &bob.token);
    assert_eq!(
        bob_env.ok(&[
            "file",
            "cat",
            &format!("pithos://{}/pithos/g.txt", alice.uuid)
        ]),
        "for friends"
    );

    env.ok(&["group", "delete", "friends"]);
    let groups = env.json(&["group", "list"]);
    assert!(groups.get("friends").is_none(), "{groups}");
    let err = env.fails(&["group", "delete", "friends"]);
    assert!(err.contains("no such group"), "{err}");
    let err = env.fails(&["group", "create", "x", "--username", "nobody@example.org"]);
    assert!(err.contains("nobody@example.org"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cat_whole_and_ranges() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&["container", "create", "pithos"]);
    let content: Vec<u8> = (0..BLOCK * 4 + 10).map(|i| b'a' + (i % 26) as u8).collect();
    let local = env.path("alpha.txt");
    std::fs::write(&local, &content).unwrap();
    env.ok(&["file", "upload", local.to_str().unwrap()]);

    let whole = env.snf(&["file", "cat", "alpha.txt"]);
    assert!(whole.status.success());
    assert_eq!(whole.stdout, content);
    assert_eq!(
        env.ok(&["file", "cat", "alpha.txt", "--range", "2-5"]),
        "cdef"
    );
    let tail = env.ok(&["file", "cat", "alpha.txt", "--range", "-3"]);
    assert_eq!(tail.as_bytes(), &content[content.len() - 3..]);
    let several = env.ok(&["file", "cat", "alpha.txt", "--range", "0-1,60-70,3"]);
    let mut expected = content[0..2].to_vec();
    expected.extend_from_slice(&content[60..=70]);
    expected.extend_from_slice(&content[0..=3]);
    assert_eq!(several.as_bytes(), expected.as_slice());
    let err = env.fails(&["file", "cat", "alpha.txt", "--range", "9999-"]);
    assert!(err.contains("past the end"), "{err}");
    let err = env.fails(&["file", "cat", "alpha.txt", "--range", "5-2"]);
    assert!(err.contains("range"), "{err}");
    let err = env.fails(&["file", "cat", "nothing.txt"]);
    assert!(
        err.starts_with("snf: cannot read pithos/nothing.txt: "),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn object_edits_copy_move_and_delete() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&["container", "create", "pithos"]);
    env.ok(&["container", "create", "other"]);
    let local = env.path("log.txt");
    std::fs::write(&local, b"line 1\n").unwrap();
    env.ok(&["file", "upload", local.to_str().unwrap()]);
    let more = env.path("more.txt");
    std::fs::write(&more, data(BLOCK * 2 + 3, 9)).unwrap();
    env.ok(&["file", "append", more.to_str().unwrap(), "log.txt"]);
    let mut expected = b"line 1\n".to_vec();
    expected.extend(data(BLOCK * 2 + 3, 9));
    assert_eq!(env.snf(&["file", "cat", "log.txt"]).stdout, expected);
    std::fs::write(&local, b"LINE").unwrap();
    env.ok(&[
        "file",
        "overwrite",
        local.to_str().unwrap(),
        "log.txt",
        "--from",
        "0",
        "--to",
        "3",
    ]);
    expected[..4].copy_from_slice(b"LINE");
    assert_eq!(env.snf(&["file", "cat", "log.txt"]).stdout, expected);
    env.ok(&["file", "mkdir", "folder"]);
    env.ok(&["file", "create", "folder/empty.json"]);
    let info = env.json(&["file", "info", "folder/empty.json"]);
    assert_eq!(
        (info["size"].as_u64(), info["content_type"].as_str()),
        (Some(0), Some("application/json"))
    );

    env.ok(&["file", "copy", "log.txt", "folder/log.txt"]);
    let err = env.fails(&["file", "copy", "log.txt", "folder/log.txt"]);
    assert!(
        err.contains("already exists") && err.contains("-f"),
        "{err}"
    );
    env.ok(&[
        "file",
        "copy",
        "/pithos/folder",
        "--to-container",
        "other",
        "-r",
    ]);
    let listing = env.json(&["file", "list", "-r", "/other"]);
    assert_eq!(
        names(&listing),
        ["folder", "folder/empty.json", "folder/log.txt"]
    );
    env.ok(&["file", "move", "log.txt", "/other/moved.txt"]);
    assert_eq!(
        env.snf(&["file", "cat", "/other/moved.txt"]).stdout,
        expected
    );
    let err = env.fails(&["file", "cat", "log.txt"]);
    assert!(err.contains("404"), "{err}");

    let err = env.fails(&["file", "delete", "/other/moved.txt"]);
    assert!(err.contains("--yes"), "{err}");
    env.ok(&["file", "delete", "/other/moved.txt", "--yes"]);
    env.ok(&["file", "delete", "-C", "other", "--yes"]);
    assert_eq!(env.json(&["file", "list", "/other"]), serde_json::json!([]));
    let versions = env.json(&["file", "info", "folder/log.txt", "--object-versions"]);
    assert!(!versions.as_array().unwrap().is_empty(), "{versions}");
    let hashmap = env.json(&["file", "info", "folder/log.txt", "--hashmap"]);
    assert_eq!(hashmap["block_size"], BLOCK);

    // Truncation (read back by range: a verified read of a truncated
    // object fails, see `truncated_objects_read_back_whole`).
    env.ok(&["file", "truncate", "folder/log.txt", "--size", "6"]);
    assert_eq!(env.json(&["file", "info", "folder/log.txt"])["size"], 6);
    assert_eq!(
        env.ok(&["file", "cat", "folder/log.txt", "--range", "0-5"]),
        "LINE 1"
    );
}

/// The server keeps the last block whole when it truncates an object, so
/// its hashmap names a block longer than what is left of it; the verifying
/// download engine then refuses the object.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_objects_read_back_whole() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&["container", "create", "pithos"]);
    let local = env.path("t.txt");
    std::fs::write(&local, b"LINE 1 and more").unwrap();
    env.ok(&["file", "upload", local.to_str().unwrap()]);
    env.ok(&["file", "truncate", "t.txt", "--size", "6"]);
    assert_eq!(env.ok(&["file", "cat", "t.txt"]), "LINE 1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_default_container_pithos_url_and_locations() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    env.ok(&["config", "set", "cloud.test.pithos_container", "box"]);
    env.ok(&["config", "set", "cloud.test.pithos_url", &sim.pithos_url()]);
    env.ok(&["container", "create", "box"]);
    env.ok(&["container", "create", "other"]);
    let local = env.path("n.txt");
    std::fs::write(&local, b"n").unwrap();
    env.ok(&["file", "upload", local.to_str().unwrap()]);
    env.ok(&["file", "upload", local.to_str().unwrap(), "-C", "other"]);
    env.ok(&[
        "file",
        "upload",
        local.to_str().unwrap(),
        &format!("pithos://{}/other/m.txt", alice.uuid),
    ]);
    assert_eq!(names(&env.json(&["file", "list"])), ["n.txt"]);
    assert_eq!(
        names(&env.json(&["file", "list", "/other"])),
        ["m.txt", "n.txt"]
    );
    assert_eq!(
        names(&env.json(&["file", "list", "-C", "other", "-A", &alice.uuid])),
        ["m.txt", "n.txt"]
    );
    let err = env.fails(&["file", "list", "/box", "-C", "other"]);
    assert!(err.contains("give only one"), "{err}");
    let err = env.fails(&["file", "info", "/box"]);
    assert!(err.contains("no object"), "{err}");
    let err = env.fails(&["file", "cat", "pithos:///box/x"]);
    assert!(err.contains("invalid location"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifyfs_reports_and_fixes_directory_markers() {
    let sim = sim().await;
    let alice = user(&sim, "alice@example.org");
    let env = Env::new(&sim, &alice.token);
    let client = pithos(&sim, &alice).await;
    client
        .create_container("tree", &ContainerOptions::default())
        .await
        .unwrap();
    let put = |name: &'static str| {
        let client = client.clone();
        async move {
            client
                .upload_bytes(
                    "tree",
                    name,
                    bytes::Bytes::from_static(b"x"),
                    &UploadOptions::default(),
                )
                .await
                .unwrap();
        }
    };
    put("docs/a/b.txt").await;
    put("notes").await;
    put("notes/x.txt").await;
    client.create_directory("tree", "docs").await.unwrap();
    client.create_directory("tree", r"win\dir").await.unwrap();

    // Only a report, and a failure that names what to fix and how.
    let err = env.fails(&["scripts", "verifyfs", "tree"]);
    assert!(
        err.contains("notes (--fix-conflicts")
            && err.contains(r"win\dir (--fix-dir-names)")
            && err.contains("docs/a"),
        "{err}"
    );
    // Fixing needs a confirmation; without a terminal, --yes.
    let err = env.fails(&["scripts", "verifyfs", "tree", "--fix-conflicts"]);
    assert!(err.contains("--yes"), "{err}");

    let report = env.json(&[
        "scripts",
        "verifyfs",
        "tree",
        "--fix-conflicts",
        "--fix-dir-names",
        "--fix-missing-dirs",
        "--yes",
    ]);
    assert_eq!(report["conflicts"], serde_json::json!([]), "{report}");
    assert_eq!(report["missing"], serde_json::json!([]), "{report}");
    let fixed: Vec<String> = report["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    assert!(
        fixed
            .iter()
            .any(|f| f.starts_with("renamed notes to notes_orig_")),
        "{fixed:?}"
    );
    assert!(
        fixed.contains(&r"renamed win\dir to win/dir".to_owned()),
        "{fixed:?}"
    );
    assert!(fixed.contains(&"created docs/a".to_owned()), "{fixed:?}");
    assert!(fixed.contains(&"created notes".to_owned()), "{fixed:?}");
    assert!(fixed.contains(&"created win".to_owned()), "{fixed:?}");
    // The renamed object kept its bytes; the tree is whole now.
    let backup = fixed[0].trim_start_matches("renamed notes to ").to_owned();
    assert_eq!(env.ok(&["file", "cat", &format!("/tree/{backup}")]), "x");
    let table = env.ok(&["scripts", "verifyfs", "tree"]);
    assert!(table.contains("consistent"), "{table}");
}
