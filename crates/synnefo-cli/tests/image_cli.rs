//! The image commands (`snf image list|info|modify|register|unregister`)
//! as a user runs them: the real binary against synnefo-sim, with
//! throw-away config files for alice and bob.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use serde_json::Value;
use std::ops::Deref;
use support::Env;
use synnefo_sim::{Sim, SimHandle};

/// The public Debian image of the simulator.
const DEBIAN: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000001";

/// A user's [`Env`], with the user's uuid at hand.
struct User {
    env: Env,
    uuid: String,
}

impl User {
    /// A config for the user `name` on `sim` (cloud "test").
    fn new(sim: &SimHandle, name: &str) -> User {
        let user = sim.user(name).unwrap();
        User {
            env: Env::new(sim, &user.token),
            uuid: user.uuid.clone(),
        }
    }
}

impl Deref for User {
    type Target = Env;

    fn deref(&self) -> &Env {
        &self.env
    }
}

impl Env {
    /// Writes a local file in the test directory; gives its path.
    fn local(&self, name: &str, data: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, data).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_uploads_writes_the_metafile_and_lists() {
    let sim = Sim::start().await.unwrap();
    let alice = User::new(&sim, "alice@example.org");
    alice.ok(&["container", "create", "images"]);
    let local = alice.local("disk.img", b"a tiny disk image");
    let image = alice.json(&[
        "image",
        "register",
        "--name",
        "Tiny Linux",
        "--location",
        "/images/disk.img",
        "--upload-image-file",
        &local,
        "-p",
        "OS=linux",
        "--disk-format",
        "diskdump",
        "-N",
    ]);
    let id = image["id"].as_str().unwrap().to_owned();
    assert_eq!(image["name"], "Tiny Linux");
    assert_eq!(image["size"], 17);
    assert_eq!(image["properties"]["os"], "linux");
    assert_eq!(
        image["location"],
        format!("pithos://{}/images/disk.img", alice.uuid)
    );
    // The metafile sits next to the image file and holds the image.
    let metafile = alice.local("fetched.meta", b"");
    alice.ok(&["file", "download", "/images/disk.img.meta", &metafile, "-f"]);
    let meta: Value = serde_json::from_slice(&std::fs::read(&metafile).unwrap()).unwrap();
    assert_eq!(meta["id"], id.as_str());
    assert_eq!(meta["properties"]["os"], "linux");
    // Registering again would overwrite the file and metafile: refused
    // without -f.
    let err = alice.fails(&[
        "image",
        "register",
        "--name",
        "again",
        "--location",
        "/images/disk.img",
        "--upload-image-file",
        &local,
        "-N",
    ]);
    assert!(
        err.contains("exists already") && err.contains("-f"),
        "{err}"
    );
    // Listings: the summary, the detail, client-side filters, order.
    let listed = alice.json(&["image", "list"]);
    assert!(ids(&listed).contains(&id));
    let mine = alice.json(&["image", "list", "-l", "--owner", &alice.uuid]);
    assert_eq!(ids(&mine), vec![id.as_str()]);
    assert_eq!(mine[0]["is_public"], false);
    let by_property = alice.json(&["image", "list", "--property", "os=linux"]);
    assert_eq!(ids(&by_property), vec![id.as_str()]);
    let small = alice.json(&["image", "list", "--size-max", "1KiB"]);
    assert_eq!(ids(&small), vec![id.as_str()]);
    let ordered = alice.json(&["image", "list", "--order", "-name"]);
    let names: Vec<&str> = ordered
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.reverse();
    assert_eq!(names, sorted);
    let table = alice.ok(&["image", "list", "-l", "--name", "Tiny Linux"]);
    assert!(table.starts_with("ID"), "{table}");
    assert!(
        table.contains("Tiny Linux") && table.contains("AVAILABLE"),
        "{table}"
    );
    // info, and the file's hashmap.
    let info = alice.ok(&["image", "info", &id]);
    assert!(
        info.contains("meta os:") && info.contains("linux"),
        "{info}"
    );
    assert!(info.contains("disk format:"), "{info}");
    let hashmap = alice.json(&["image", "info", &id, "--hashmap"]);
    assert_eq!(hashmap["bytes"], 17);
    assert_eq!(hashmap["hashes"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_an_uploaded_file_with_a_metafile() {
    let sim = Sim::start().await.unwrap();
    let alice = User::new(&sim, "alice@example.org");
    alice.ok(&["container", "create", "images"]);
    let local = alice.local("d.img", b"data");
    alice.ok(&["file", "upload", &local, "/images/d.img", "-N"]);
    let metafile = alice.local(
        "d.img.meta",
        br#"{"disk-format": "extdump", "properties": {"users": "root", "os": "theirs"}}"#,
    );
    let location = format!("pithos://{}/images/d.img", alice.uuid);
    let image = alice.json(&[
        "image",
        "register",
        "--name",
        "from meta",
        "--location",
        &location,
        "--metafile",
        &metafile,
        "-p",
        "os=mine",
        "--public",
        "--no-metafile-upload",
    ]);
    assert_eq!(image["disk_format"], "extdump");
    assert_eq!(image["is_public"], true);
    assert_eq!(image["properties"]["users"], "root");
    assert_eq!(image["properties"]["os"], "mine");
    // No metafile was uploaded.
    alice.fails(&["file", "info", "/images/d.img.meta"]);
    // Errors are one line naming the problem.
    let err = alice.fails(&["image", "register", "--name", "x", "--location", "/images"]);
    assert!(err.contains("invalid image location"), "{err}");
    let err = alice.fails(&[
        "image",
        "register",
        "--name",
        "x",
        "--location",
        "/images/none.img",
        "--no-metafile-upload",
    ]);
    assert!(err.contains("cannot register"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modify_members_and_unregister() {
    let sim = Sim::start().await.unwrap();
    let alice = User::new(&sim, "alice@example.org");
    let bob = User::new(&sim, "bob@example.org");
    alice.ok(&["container", "create", "images"]);
    let local = alice.local("m.img", b"image");
    let image = alice.json(&[
        "image",
        "register",
        "--name",
        "shared",
        "--location",
        "/images/m.img",
        "--upload-image-file",
        &local,
        "-p",
        "old=x",
        "-N",
    ]);
    let id = image["id"].as_str().unwrap().to_owned();
    assert!(!ids(&bob.json(&["image", "list"])).contains(&id));
    alice.ok(&[
        "image",
        "modify",
        &id,
        "--name",
        "renamed",
        "-p",
        "users=root",
        "--property-del",
        "old",
        "--member-add",
        &bob.uuid,
    ]);
    // Bob, a member, sees it with the changes.
    let seen = bob.json(&["image", "info", &id]);
    assert_eq!(seen["name"], "renamed");
    assert_eq!(seen["properties"], serde_json::json!({"users": "root"}));
    // But cannot change it.
    let err = bob.fails(&["image", "modify", &id, "--name", "mine"]);
    assert!(err.contains("cannot modify image"), "{err}");
    alice.ok(&[
        "image",
        "modify",
        &id,
        "--member-del",
        &bob.uuid,
        "--public",
    ]);
    // Public now: still visible to bob, through compute too.
    assert!(ids(&bob.json(&["image", "list"])).contains(&id));
    assert_eq!(bob.json(&["imagecompute", "info", &id])["name"], "renamed");
    alice.ok(&["image", "modify", &id, "--private"]);
    assert!(!ids(&bob.json(&["image", "list"])).contains(&id));
    // modify needs something to change.
    let output = alice.snf(&["image", "modify", &id]);
    assert_eq!(output.status.code(), Some(2));
    alice.ok(&["image", "unregister", &id]);
    let err = alice.fails(&["image", "info", &id]);
    assert!(err.contains(&id), "{err}");
    // The seeded images are there for everybody.
    assert!(ids(&bob.json(&["image", "list"])).contains(&DEBIAN.to_owned()));
}
