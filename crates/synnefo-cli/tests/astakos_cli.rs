//! The account commands (`snf quota|resource|project|membership|
//! commission …`) as a user runs them: the real binary against synnefo-sim,
//! with a throw-away config file per user.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::time::Duration;
use support::Env;
use synnefo_sim::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID, CYCLADES_SERVICE_TOKEN, CycladesQuota, Sim,
    SimConfig, SimHandle,
};

/// The public Debian image of the simulator.
const DEBIAN: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000001";

impl Env {
    /// Writes a file in the environment's folder; gives its path.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

/// Instant jobs; alice administers Astakos; two servers per user.
async fn sim() -> SimHandle {
    Sim::start_with(SimConfig {
        build_delay: Duration::ZERO,
        action_delay: Duration::ZERO,
        astakos_admins: vec![ALICE_UUID.to_owned()],
        cyclades_quota: CycladesQuota {
            vm: 2,
            ..CycladesQuota::default()
        },
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// The row of `resource` in `snf quota list` output.
fn quota_row<'a>(table: &'a str, resource: &str) -> Vec<&'a str> {
    table
        .lines()
        .find(|line| line.split_whitespace().nth(1) == Some(resource))
        .unwrap_or_else(|| panic!("no {resource} in {table}"))
        .split_whitespace()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_and_resources_for_people_and_scripts() {
    let sim = sim().await;
    let alice = Env::new(&sim, ALICE_TOKEN);
    let resources = alice.ok(&["resource", "list"]);
    assert!(resources.starts_with("NAME"), "{resources}");
    assert!(resources.contains("cyclades.vm"), "{resources}");
    assert!(!resources.contains("cyclades.total_cpu"), "{resources}");

    alice.ok(&[
        "server",
        "create",
        "--name",
        "s",
        "--flavor-id",
        "1",
        "--image-id",
        DEBIAN,
    ]);
    let table = alice.ok(&["quota", "list"]);
    let vm = quota_row(&table, "cyclades.vm");
    assert_eq!(&vm[..4], [ALICE_UUID, "cyclades.vm", "1", "2"]);
    // RAM is shown for people, or in bytes with --bytes.
    let ram = quota_row(&table, "cyclades.ram");
    assert!(ram[2].ends_with("iB"), "{ram:?}");
    let bytes = alice.ok(&["quota", "list", "--bytes", "--resource", "cyclades.ram"]);
    let ram_bytes: u64 = quota_row(&bytes, "cyclades.ram")[2].parse().unwrap();
    assert_eq!(ram_bytes, sim.cyclades_usage(ALICE_UUID)["cyclades.ram"]);
    assert!(!bytes.contains("cyclades.vm"), "{bytes}");

    let json = alice.json(&["quota", "list", "--project-id", ALICE_UUID]);
    assert_eq!(json[ALICE_UUID]["cyclades.vm"]["usage"], 1);
    let err = alice.fails(&["quota", "list", "--project-id", BOB_UUID]);
    assert!(err.contains(BOB_UUID), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_from_application_to_membership() {
    let sim = sim().await;
    let alice = Env::new(&sim, ALICE_TOKEN);
    let bob = Env::new(&sim, BOB_TOKEN);
    let err = bob.fails(&["project", "create", "--name", "x.example.org"]);
    assert!(err.contains("end date"), "{err}");
    let spec = bob.file(
        "spec.json",
        r#"{"name": "bob.example.org", "end_date": "2099-12-31T00:00:00Z",
            "description": "from the file", "join_policy": "moderated"}"#,
    );
    let receipt = bob.json(&[
        "project",
        "create",
        "--spec-file",
        &spec,
        "--description",
        "from a flag",
        "--resource",
        "cyclades.vm=1,3",
        "--private",
        "false",
    ]);
    let project = receipt["id"].as_str().unwrap().to_owned();
    let app = receipt["application"].to_string();
    let info = bob.ok(&["project", "info", &project]);
    assert!(info.contains("uninitialized"), "{info}");
    assert!(info.contains("from a flag"), "{info}");
    assert!(info.contains("resource cyclades.vm:"), "{info}");

    let err = bob.fails(&["project", "approve", &project, "--app-id", &app]);
    assert!(err.contains("cannot approve application"), "{err}");
    assert!(err.contains("403"), "{err}");
    alice.ok(&[
        "project", "approve", &project, "--app-id", &app, "--reason", "fine",
    ]);
    let listed = bob.json(&["project", "list", "--with-state", "active"]);
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&project.as_str()), "{ids:?}");
    let details = bob.ok(&["project", "list", "-l", "--with-name", "bob.example.org"]);
    assert!(details.contains("moderated"), "{details}");

    // Alice asks to join; bob (the owner) accepts; alice then has quota.
    let membership = alice.json(&["project", "join", &project])["id"].to_string();
    let shown = alice.json(&["membership", "info", &membership]);
    assert_eq!(shown["state"], "requested");
    let pending = bob.ok(&["membership", "list", "--project-id", &project]);
    assert!(pending.contains("accept, reject"), "{pending}");
    bob.ok(&["membership", "accept", &membership]);
    let quotas = alice.json(&["quota", "list", "--project-id", &project]);
    assert_eq!(quotas[&project]["cyclades.vm"]["limit"], 1);
    alice.ok(&["membership", "leave", &membership, "--reason", "done"]);
    let err = alice.fails(&["membership", "leave", &membership]);
    assert!(err.contains("409"), "{err}");
    let enrolled = bob.json(&[
        "project",
        "enroll",
        &project,
        "--email",
        "alice@example.org",
    ]);
    assert_eq!(enrolled["id"].to_string(), membership);
    bob.ok(&["membership", "remove", &membership]);

    // A modification, then admin actions.
    let err = bob.fails(&["project", "modify", &project]);
    assert!(err.contains("nothing to change"), "{err}");
    let change = bob.json(&[
        "project",
        "modify",
        &project,
        "--private",
        "--max-members",
        "4",
    ]);
    let change_app = change["application"].to_string();
    alice.ok(&["project", "deny", &project, "--app-id", &change_app]);
    bob.ok(&["project", "dismiss", &project, "--app-id", &change_app]);
    alice.ok(&["project", "suspend", &project, "--reason", "audit"]);
    assert_eq!(
        bob.json(&["project", "info", &project])["state"],
        "suspended"
    );
    alice.ok(&["project", "unsuspend", &project]);
    alice.ok(&["project", "terminate", &project]);
    alice.ok(&["project", "reinstate", &project]);
    assert_eq!(bob.json(&["project", "info", &project])["state"], "active");

    // Cancelling a new application deletes the project.
    let gone = bob.json(&[
        "project",
        "create",
        "--name",
        "gone.example.org",
        "--end-date",
        "2099-01-01",
        "--join-policy",
        "auto",
    ]);
    let gone_id = gone["id"].as_str().unwrap();
    bob.ok(&[
        "project",
        "cancel",
        gone_id,
        "--app-id",
        &gone["application"].to_string(),
    ]);
    assert_eq!(bob.json(&["project", "info", gone_id])["state"], "deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commissions_with_a_service_token() {
    let sim = sim().await;
    let bob = Env::new(&sim, BOB_TOKEN);
    let service = ["commission", "--service-token", CYCLADES_SERVICE_TOKEN];
    let with = |rest: &[&str]| -> Vec<String> {
        service
            .iter()
            .chain(rest)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let run_json = |rest: &[&str]| {
        let args = with(rest);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        bob.json(&args)
    };
    let provisions = bob.file(
        "provisions.json",
        r#"{"cyclades.vm": 1, "cyclades.cpu": 2}"#,
    );
    let serial = run_json(&[
        "issue",
        "--uuid",
        BOB_UUID,
        "--source",
        BOB_UUID,
        "--provisions-file",
        &provisions,
        "--description",
        "two cpus",
    ])["serial"]
        .to_string();
    assert_eq!(
        run_json(&["pending"]),
        serde_json::json!([serial.parse::<u64>().unwrap()])
    );
    let info = run_json(&["info", &serial]);
    assert_eq!(info["name"], "two cpus");
    assert_eq!(info["provisions"].as_array().unwrap().len(), 4);
    let quotas = bob.json(&["quota", "list"]);
    assert_eq!(quotas[BOB_UUID]["cyclades.cpu"]["pending"], 2);
    let args = with(&["accept", &serial]);
    bob.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        bob.json(&["quota", "list"])[BOB_UUID]["cyclades.cpu"]["pending"],
        0
    );

    let release = bob.file("release.json", r#"{"cyclades.vm": -1}"#);
    let second = run_json(&[
        "issue",
        "--uuid",
        BOB_UUID,
        "--source",
        BOB_UUID,
        "--provisions-file",
        &release,
    ])["serial"]
        .to_string();
    let resolved = run_json(&["resolve", "--accept", &format!("{second},999")]);
    assert_eq!(resolved["accepted"][0].to_string(), second);
    assert_eq!(resolved["failed"][0][0], 999);
    assert_eq!(
        bob.json(&["quota", "list"])[BOB_UUID]["cyclades.vm"]["usage"],
        0
    );

    // Over the limit; and the user's own token is refused.
    let many = bob.file("many.json", r#"{"cyclades.vm": 5}"#);
    let args = with(&[
        "issue",
        "--uuid",
        BOB_UUID,
        "--source",
        BOB_UUID,
        "--provisions-file",
        &many,
        "--accept",
    ]);
    let err = bob.fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("413"), "{err}");
    let err = bob.fails(&["commission", "pending"]);
    assert!(err.contains("401"), "{err}");
    let args = with(&["reject", "4242"]);
    let err = bob.fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("cannot reject commission 4242"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_views_with_a_service_token() {
    let sim = sim().await;
    let alice = Env::new(&sim, ALICE_TOKEN);
    let token = CYCLADES_SERVICE_TOKEN;
    let names = alice.json(&[
        "service",
        "uuid2username",
        "--service-token",
        token,
        "--uuid",
        BOB_UUID,
    ]);
    assert_eq!(names[BOB_UUID], "bob@example.org");
    let table = alice.ok(&[
        "service",
        "username2uuid",
        "--service-token",
        token,
        "--username",
        "alice@example.org",
        "--username",
        "nobody@example.org",
    ]);
    assert!(table.contains(ALICE_UUID), "{table}");
    let quotas = alice.json(&[
        "service",
        "quotas",
        "--service-token",
        token,
        "--uuid",
        BOB_UUID,
    ]);
    assert_eq!(quotas[BOB_UUID][BOB_UUID]["cyclades.vm"]["limit"], 2);
    assert!(quotas[BOB_UUID][BOB_UUID].get("pithos.diskspace").is_none());
    let all = alice.ok(&["service", "quotas", "--service-token", token]);
    assert!(all.contains(ALICE_UUID) && all.contains(BOB_UUID), "{all}");
    let err = alice.fails(&["service", "quotas", "--service-token", ALICE_TOKEN]);
    assert!(err.contains("401"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_of_a_cloud_are_its_tokens() {
    let sim = sim().await;
    let env = Env::new(&sim, ALICE_TOKEN);
    let added = env.json(&["user", "add", "--token", BOB_TOKEN]);
    assert_eq!(added["id"], BOB_UUID);
    let saved = std::fs::read_to_string(&env.config).unwrap();
    assert!(
        saved.contains(&format!("{ALICE_TOKEN} {BOB_TOKEN}")),
        "{saved}"
    );
    let err = env.fails(&["user", "add", "--token", "not-a-token"]);
    assert!(err.contains("401"), "{err}");

    let bob = env.json(&["user", "info", "--uuid", BOB_UUID]);
    assert_eq!(bob["name"], "Bob Example");
    let bob = env.ok(&["user", "info", "--username", "Bob Example"]);
    assert!(bob.contains(BOB_UUID), "{bob}");
    let listed = env.ok(&["user", "list", "-l"]);
    let lines: Vec<&str> = listed.lines().collect();
    assert!(
        lines[1].starts_with(ALICE_UUID) && lines[1].contains("yes"),
        "{listed}"
    );
    assert!(lines[2].starts_with(BOB_UUID), "{listed}");

    env.ok(&["user", "select", "--user", "bob example"]);
    assert_eq!(env.json(&["user", "info"])["id"], BOB_UUID);
    let err = env.fails(&["user", "delete", "--user", BOB_UUID]);
    assert!(err.contains("active user"), "{err}");
    let err = env.fails(&["user", "select", "--user", "carol@example.org"]);
    assert!(err.contains("carol"), "{err}");
    env.ok(&["user", "delete", "--user", ALICE_UUID]);
    let users = env.json(&["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["user"]["id"], BOB_UUID);

    // A token the cloud refuses is listed as such.
    let env = Env::new(&sim, &format!("{ALICE_TOKEN} refused-token"));
    let listed = env.ok(&["user", "list"]);
    assert!(listed.contains("(refused token)"), "{listed}");
}
