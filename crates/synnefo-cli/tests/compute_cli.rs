//! The compute and block-storage commands (`snf server|flavor|keypair|
//! imagecompute|volume|snapshot …`) as a user runs them: the real binary
//! against synnefo-sim, with a throw-away config file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use serde_json::Value;
use std::time::Duration;
use support::Env;
use synnefo_sim::{Sim, SimConfig, SimHandle};

/// The public Debian image of the simulator.
const DEBIAN: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000001";

/// A simulator whose servers build in a second and act in 200 ms.
async fn sim() -> SimHandle {
    let config = SimConfig {
        build_delay: Duration::from_secs(1),
        action_delay: Duration::from_millis(200),
        ..SimConfig::default()
    };
    Sim::start_with(config).await.unwrap()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| match &item["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Creates a server and waits for it; gives its id.
fn create_server(env: &Env, name: &str) -> String {
    let output = env.snf(&[
        "-o",
        "json",
        "server",
        "create",
        "--name",
        name,
        "--flavor-id",
        "1",
        "--image-id",
        DEBIAN,
        "-w",
    ]);
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "server create failed: {err}");
    let server: Value = serde_json::from_slice(&output.stdout).unwrap();
    let id = server["id"].to_string();
    assert!(server["adminPass"].is_string(), "{server}");
    assert!(
        err.contains(&format!("Server {id}: status is now ACTIVE")),
        "{err}"
    );
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flavors_images_and_keypairs() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());

    let table = env.ok(&["flavor", "list"]);
    assert!(table.starts_with("ID"), "{table}");
    let flavors = env.json(&["flavor", "list", "-l"]);
    assert!(ids(&flavors).contains(&"3".to_owned()), "{flavors}");
    assert!(flavors[0]["vcpus"].is_u64(), "{flavors}");
    let two_cpus = env.json(&["flavor", "list", "--vcpus", "2"]);
    assert!(!ids(&two_cpus).is_empty());
    assert!(
        two_cpus.as_array().unwrap().iter().all(|f| f["vcpus"] == 2),
        "{two_cpus}"
    );
    let flavor = env.json(&["flavor", "info", "3"]);
    assert_eq!(flavor["ram"], 4096, "{flavor}");
    let info = env.ok(&["flavor", "info", "3"]);
    assert!(info.contains("4096MiB"), "{info}");
    let err = env.fails(&["flavor", "info", "999"]);
    assert!(err.contains("cannot show flavor 999"), "{err}");

    let images = env.ok(&["imagecompute", "list", "--name-like", "debian"]);
    assert!(
        images.contains("Debian Base") && images.contains(DEBIAN),
        "{images}"
    );
    assert!(!images.contains("Ubuntu"), "{images}");
    let image = env.json(&["imagecompute", "info", DEBIAN]);
    assert_eq!(image["metadata"]["os"], "debian", "{image}");
    let linux = env.json(&["imagecompute", "list", "--metadata", "osfamily=linux"]);
    assert_eq!(ids(&linux).len(), 3, "{linux}");

    let public = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test@example";
    let key_file = env.path("id.pub");
    std::fs::write(&key_file, format!("{public}\n")).unwrap();
    let uploaded = env.json(&[
        "keypair",
        "upload",
        "--public-key",
        key_file.to_str().unwrap(),
        "--key-name",
        "laptop",
    ]);
    assert_eq!(uploaded["name"], "laptop", "{uploaded}");
    let err = env.fails(&[
        "keypair",
        "upload",
        "--public-key",
        public,
        "--key-name",
        "laptop",
    ]);
    assert!(err.contains("-f"), "{err}");
    env.ok(&[
        "keypair",
        "upload",
        "--public-key",
        public,
        "--key-name",
        "laptop",
        "-f",
    ]);
    let list = env.ok(&["keypair", "list"]);
    assert!(list.contains("laptop"), "{list}");
    let info = env.json(&["keypair", "info", "laptop"]);
    assert_eq!(info["public_key"].as_str().unwrap().trim(), public);
    env.ok(&["keypair", "delete", "laptop"]);
    let list = env.json(&["keypair", "list"]);
    assert_eq!(list, serde_json::json!([]));
    let err = env.fails(&["keypair", "delete", "laptop"]);
    assert!(err.contains("cannot delete key pair"), "{err}");
    let generated = env.json(&["keypair", "generate", "--key-name", "made"]);
    assert!(
        generated["private_key"]
            .as_str()
            .is_some_and(|k| k.contains("PRIVATE KEY")),
        "{generated}"
    );
    let text = env.ok(&["keypair", "generate", "--key-name", "made", "-f"]);
    assert!(text.contains("private key:\n-----BEGIN"), "{text}");
    let text = env.ok(&["keypair", "generate"]);
    assert!(text.contains("snf-key_autogen_"), "{text}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_lifecycle_with_waits() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let id = create_server(&env, "web");

    let list = env.json(&["server", "list"]);
    assert!(ids(&list).contains(&id), "{list}");
    let detailed = env.json(&["server", "list", "-l", "--status", "ACTIVE"]);
    assert!(ids(&detailed).contains(&id), "{detailed}");
    assert!(
        ids(&env.json(&["server", "list", "--status", "STOPPED"])).is_empty(),
        "STOPPED filter"
    );
    let table = env.ok(&["server", "list", "-l"]);
    assert!(table.contains("ACTIVE") && table.contains("web"), "{table}");
    let server = env.json(&["server", "info", &id]);
    assert_eq!(server["status"], "ACTIVE", "{server}");
    assert_eq!(server["metadata"]["os"], "debian", "{server}");
    let text = env.ok(&["server", "info", &id]);
    assert!(
        text.contains("status:") && text.contains("ACTIVE"),
        "{text}"
    );

    // Nothing to start; a wait that cannot succeed times out, as an error.
    let err = env.fails(&["server", "start", &id]);
    assert!(err.contains("already ACTIVE"), "{err}");
    let err = env.fails(&[
        "server",
        "wait",
        &id,
        "--until",
        "STOPPED",
        "--timeout",
        "1",
    ]);
    assert!(
        err.contains(&format!(
            "timed out after 1s waiting for server {id} to become STOPPED; last status ACTIVE"
        )),
        "{err}"
    );

    let (_, err) = env.run_ok(&["server", "shutdown", &id, "-w"]);
    assert!(
        err.contains(&format!("Server {id}: status is now STOPPED")),
        "{err}"
    );
    assert_eq!(env.json(&["server", "info", &id])["status"], "STOPPED");
    let err = env.fails(&["server", "shutdown", &id]);
    assert!(err.contains("already STOPPED"), "{err}");
    let (_, err) = env.run_ok(&["server", "start", &id, "-w", "-N"]);
    assert!(
        err.contains(&format!("Server {id}: status is now ACTIVE")),
        "{err}"
    );
    let (_, err) = env.run_ok(&["server", "reboot", &id, "--type", "hard", "-w"]);
    assert!(
        err.contains(&format!("Server {id}: status is now ACTIVE")),
        "{err}"
    );
    env.ok(&["server", "wait", &id, "--until", "ACTIVE", "--timeout", "5"]);

    env.ok(&[
        "server",
        "modify",
        &id,
        "--name",
        "web-renamed",
        "--metadata-set",
        "role=frontend",
    ]);
    let server = env.json(&["server", "info", &id]);
    assert_eq!(server["name"], "web-renamed");
    assert_eq!(server["metadata"]["role"], "frontend");
    env.ok(&["server", "modify", &id, "--metadata-del", "role"]);
    let server = env.json(&["server", "info", &id]);
    assert!(server["metadata"].get("role").is_none(), "{server}");
    let found = env.json(&[
        "server",
        "list",
        "--metadata",
        "os=debian",
        "--name-prefix",
        "web",
    ]);
    assert_eq!(ids(&found), vec![id.clone()]);

    let (_, err) = env.run_ok(&["server", "delete", &id, "-w"]);
    assert!(
        err.contains(&format!("Server {id}: status is now DELETED")),
        "{err}"
    );
    let list = env.json(&["server", "list"]);
    assert!(!ids(&list).contains(&id), "{list}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volumes_attachments_and_snapshots() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let server = create_server(&env, "db");

    let types = env.json(&["volume", "types"]);
    assert!(ids(&types).contains(&"1".to_owned()), "{types}");
    let volume_type = env.json(&["volume", "type", "1"]);
    assert!(volume_type["name"].is_string(), "{volume_type}");

    let output = env.snf(&[
        "-o",
        "json",
        "volume",
        "create",
        "--size",
        "2",
        "--name",
        "data",
        "--volume-type",
        "1",
        "-w",
    ]);
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "volume create failed: {err}");
    let volume: Value = serde_json::from_slice(&output.stdout).unwrap();
    let volume_id = match &volume["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    assert_eq!(volume["status"], "available", "{volume}");
    assert!(err.contains("status is now available"), "{err}");
    let list = env.json(&["volume", "list", "-l"]);
    assert!(ids(&list).contains(&volume_id), "{list}");
    let table = env.ok(&["volume", "list", "--name", "data"]);
    assert!(table.contains(&volume_id), "{table}");

    env.ok(&["volume", "modify", &volume_id, "--description", "scratch"]);
    let project = sim.user("alice@example.org").unwrap().uuid.clone();
    env.ok(&["volume", "reassign", &volume_id, "--project-id", &project]);
    let info = env.json(&["volume", "info", &volume_id]);
    assert_eq!(info["display_description"], "scratch", "{info}");

    let attachment = env.json(&["server", "attach", &server, "--volume-id", &volume_id]);
    assert!(attachment["id"].is_string(), "{attachment}");
    env.ok(&[
        "volume",
        "wait",
        &volume_id,
        "--until",
        "in_use",
        "--timeout",
        "20",
    ]);
    let attachments = env.json(&["server", "attachments", &server]);
    let attached: Vec<&str> = attachments
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["volumeId"].as_str())
        .collect();
    assert!(attached.contains(&volume_id.as_str()), "{attachments}");
    let one = env.json(&[
        "server",
        "attachment",
        &server,
        "--attachment-id",
        attachment["id"].as_str().unwrap(),
    ]);
    assert_eq!(one["volumeId"].as_str(), Some(volume_id.as_str()), "{one}");
    let table = env.ok(&["server", "attachments", &server]);
    assert!(table.contains(&volume_id), "{table}");

    // Synnefo snapshots only attached volumes.
    let snapshot = env.json(&[
        "snapshot",
        "create",
        "--volume-id",
        &volume_id,
        "--name",
        "before-upgrade",
    ]);
    let snapshot_id = snapshot["id"].as_str().unwrap().to_owned();
    let snapshots = env.json(&["snapshot", "list", "-l"]);
    assert!(ids(&snapshots).contains(&snapshot_id), "{snapshots}");
    env.ok(&["snapshot", "modify", &snapshot_id, "--description", "v1"]);
    // A snapshot is an image of its owner, with properties.
    env.ok(&[
        "imagecompute",
        "modify",
        &snapshot_id,
        "--property-add",
        "stage=test",
    ]);
    let image = env.json(&["imagecompute", "info", &snapshot_id]);
    assert_eq!(image["metadata"]["stage"], "test", "{image}");
    env.ok(&[
        "imagecompute",
        "modify",
        &snapshot_id,
        "--property-del",
        "stage",
    ]);
    let image = env.json(&["imagecompute", "info", &snapshot_id]);
    assert!(image["metadata"].get("stage").is_none(), "{image}");
    let info = env.json(&["snapshot", "info", &snapshot_id]);
    assert_eq!(info["display_name"], "before-upgrade", "{info}");
    let table = env.ok(&["snapshot", "list", "--name", "before-upgrade"]);
    assert!(table.contains(&snapshot_id), "{table}");
    env.ok(&["snapshot", "delete", &snapshot_id]);
    let snapshots = env.json(&["snapshot", "list"]);
    assert!(!ids(&snapshots).contains(&snapshot_id), "{snapshots}");
    // A second snapshot, deleted as the compute image it also is.
    let second = env.json(&[
        "snapshot",
        "create",
        "--volume-id",
        &volume_id,
        "--name",
        "to-delete-as-image",
    ]);
    let second_id = second["id"].as_str().unwrap().to_owned();
    env.ok(&["imagecompute", "delete", &second_id]);
    let images = env.json(&["imagecompute", "list"]);
    assert!(!ids(&images).contains(&second_id), "{images}");
    let snapshots = env.json(&["snapshot", "list"]);
    assert!(!ids(&snapshots).contains(&second_id), "{snapshots}");

    env.ok(&["server", "detach", &server, "--volume-id", &volume_id]);
    env.ok(&[
        "volume",
        "wait",
        &volume_id,
        "--until",
        "available",
        "--timeout",
        "20",
    ]);
    let err = env.fails(&["server", "detach", &server, "--volume-id", &volume_id]);
    assert!(err.contains("is not attached"), "{err}");

    let (_, err) = env.run_ok(&["volume", "delete", &volume_id, "-w"]);
    assert!(err.contains("status is now deleted"), "{err}");
    let (_, err) = env.run_ok(&["server", "delete", &server, "-w"]);
    assert!(err.contains("status is now DELETED"), "{err}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clusters_are_created_and_deleted_together() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let output = env.snf(&[
        "-o",
        "json",
        "server",
        "create",
        "--name",
        "node",
        "--flavor-id",
        "1",
        "--image-id",
        DEBIAN,
        "--cluster-size",
        "3",
        "-w",
    ]);
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "cluster create failed: {err}");
    let servers: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut names: Vec<&str> = servers
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["node1", "node2", "node3"]);
    assert_eq!(err.matches("status is now ACTIVE").count(), 3, "{err}");
    let active = env.json(&[
        "server",
        "list",
        "--status",
        "ACTIVE",
        "--name-prefix",
        "node",
    ]);
    assert_eq!(ids(&active).len(), 3, "{active}");

    let err = env.fails(&["server", "delete", "node"]);
    assert!(err.contains("--cluster"), "{err}");
    let (_, err) = env.run_ok(&["server", "delete", "--cluster", "node", "-w"]);
    assert_eq!(err.matches("status is now DELETED").count(), 3, "{err}");
    let left = env.json(&["server", "list", "--name-prefix", "node"]);
    assert_eq!(left, serde_json::json!([]));
    let err = env.fails(&["server", "delete", "--cluster", "node"]);
    assert!(err.contains("no server name starts with"), "{err}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_one_line() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let err = env.fails(&["server", "info", "424242"]);
    assert!(err.contains("cannot show server 424242"), "{err}");
    assert!(err.contains("404"), "{err}");
    let err = env.fails(&["server", "start", "424242"]);
    assert!(err.contains("cannot start server 424242"), "{err}");
    let err = env.fails(&["volume", "info", "424242"]);
    assert!(err.contains("cannot show volume 424242"), "{err}");
    let err = env.fails(&[
        "server",
        "create",
        "--name",
        "x",
        "--flavor-id",
        "1",
        "--image-id",
        "no-such-image",
    ]);
    assert!(err.contains("cannot create server \"x\""), "{err}");
    // A bad argument is clap's error, exit status 2.
    let output = env.snf(&["server", "wait", "1", "--until", "SLEEPING"]);
    assert_eq!(output.status.code(), Some(2));
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cyclades_url_in_the_config_overrides_the_catalog() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    // A wrong compute URL in the config is used (and fails), proving it
    // bypasses the catalog; the right one works.
    env.ok(&[
        "config",
        "set",
        "cloud.test.cyclades_url",
        &format!("{}/nowhere/compute/v2.0", sim.base_url()),
    ]);
    env.fails(&["flavor", "list"]);
    env.ok(&[
        "config",
        "set",
        "cloud.test.cyclades_url",
        &format!("{}/cyclades/compute", sim.base_url()),
    ]);
    let flavors = env.json(&["flavor", "list"]);
    assert!(!ids(&flavors).is_empty());
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_nics_firewall_resize_and_reassign() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let id = create_server(&env, "box");

    let console = env.json(&["server", "console", &id, "--type", "vnc-wss"]);
    assert_eq!(console["type"], "vnc-wss", "{console}");
    assert!(console["password"].is_string(), "{console}");
    let text = env.ok(&["server", "console", &id]);
    assert!(text.contains("host:") && text.contains("port:"), "{text}");

    let nics = env.json(&["server", "info", &id, "--nics"]);
    let nic = nics["attachments"][0]["id"].as_str().unwrap().to_owned();
    env.ok(&["server", "modify", &id, "--firewall", "protected"]);
    let nics = env.json(&["server", "info", &id, "--nics"]);
    assert_eq!(
        nics["attachments"][0]["firewallProfile"], "PROTECTED",
        "{nics}"
    );
    env.ok(&[
        "server",
        "modify",
        &id,
        "--firewall",
        "ENABLED",
        "--port-id",
        &nic,
    ]);
    let table = env.ok(&["server", "info", &id, "--nics"]);
    assert!(table.contains(&nic) && table.contains("ENABLED"), "{table}");
    let diagnostics = env.json(&["server", "info", &id, "--diagnostics"]);
    assert!(diagnostics.is_array(), "{diagnostics}");
    let stats = env.json(&["server", "info", &id, "--stats"]);
    assert!(stats.is_object(), "{stats}");

    // A resize needs a stopped server: the cloud's refusal is one line.
    let err = env.fails(&["server", "modify", &id, "--flavor-id", "2"]);
    assert!(
        err.contains(&format!("cannot resize server {id} to flavor 2")),
        "{err}"
    );
    env.ok(&["server", "shutdown", &id, "-w"]);
    env.ok(&["server", "modify", &id, "--flavor-id", "2"]);
    env.ok(&[
        "server",
        "wait",
        &id,
        "--while",
        "RESIZE",
        "--timeout",
        "20",
    ]);
    env.ok(&[
        "server",
        "wait",
        &id,
        "--until",
        "STOPPED",
        "--timeout",
        "20",
    ]);
    let server = env.json(&["server", "info", &id]);
    assert_eq!(server["flavor"]["id"], 2, "{server}");

    let project = sim.user("alice@example.org").unwrap().uuid.clone();
    env.ok(&["server", "reassign", &id, "--project-id", &project]);
    let err = env.fails(&["server", "rescue", &id]);
    assert!(err.contains(&format!("cannot rescue server {id}")), "{err}");
    let err = env.fails(&["server", "unrescue", &id]);
    assert!(err.contains(&format!("server {id}")), "{err}");

    env.ok(&["server", "delete", &id, "-w"]);
    sim.stop().await;
}
