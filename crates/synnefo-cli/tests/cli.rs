//! `snf` as a user runs it: the real binary against synnefo-sim, with a
//! throw-away config file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::process::Output;
use support::Env;
use synnefo_sim::{Sim, SimHandle};

/// A config pointing at `sim` as cloud "test", written the way kamaki
/// writes it (header comment, a comment of the user's).
fn kamaki_env(sim: &SimHandle) -> Env {
    Env::with_config_text(&format!(
        "# Kamaki configuration file v0.16\n[global]\n; my own comment\ndefault_cloud = test\n\n[cloud \"test\"]\nurl = {}\ntoken = {}\n",
        sim.identity_url(),
        sim.token()
    ))
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_info_as_table_and_json() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let alice = sim.user("alice@example.org").unwrap();
    let table = env.ok(&["user", "info"]);
    assert!(table.contains(&alice.uuid), "{table}");
    assert!(table.contains("token expires"), "{table}");
    assert!(!table.contains(&alice.token));
    let json = env.json(&["user", "info"]);
    assert_eq!(json["id"], alice.uuid.as_str());
    assert_eq!(json["default_project"], alice.uuid.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authenticate_another_token_and_a_bad_one() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let bob = sim.user("bob@example.org").unwrap();
    let out = env.ok(&["user", "authenticate", &bob.token]);
    assert!(out.contains(&bob.uuid), "{out}");

    let bad = "bad-token-that-must-not-be-printed-000000000";
    let output = env.snf(&["user", "authenticate", bad]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("snf: cannot authenticate to cloud \"test\""),
        "{err}"
    );
    assert!(
        err.contains("401") && err.contains("Invalid token"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert!(!err.contains(bad));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_listings() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let endpoints = env.ok(&["endpoint", "list"]);
    assert!(
        endpoints.contains(&format!("{}/cyclades/compute/v2.0", sim.base_url())),
        "{endpoints}"
    );
    assert!(endpoints.starts_with("TYPE"), "{endpoints}");
    let network = env.ok(&["endpoint", "list", "--type", "network"]);
    assert_eq!(network.lines().count(), 2, "{network}");
    let json = env.json(&["service", "list"]);
    let types: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"object-store"), "{types:?}");
    let missing = env.snf(&["endpoint", "list", "--type", "quantum"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("snf service list"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uuid_and_name_translation() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let bob = sim.user("bob@example.org").unwrap();
    let out = env.ok(&["user", "uuid2name", &bob.uuid, "no-such-uuid"]);
    assert!(out.contains(&bob.name), "{out}");
    let json = env.json(&["user", "name2uuid", &bob.name]);
    assert_eq!(json[&bob.name], bob.uuid.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_shows_requests_with_the_token_masked() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let output = env.snf(&["-d", "user", "info"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("POST"), "{err}");
    assert!(err.contains("x-auth-token: ***"), "{err}");
    assert!(!err.contains(sim.token()), "token leaked: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_commands_keep_the_file_kamaki_wrote() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    env.ok(&["config", "set", "cloud.test.pithos_container", "backups"]);
    env.ok(&["config", "set", "global.log_token", "off"]);
    let text = std::fs::read_to_string(&env.config).unwrap();
    assert!(
        text.starts_with("# Kamaki configuration file v0.16\n[global]\n; my own comment\n"),
        "{text}"
    );
    assert!(text.contains("pithos_container = backups"), "{text}");
    assert_eq!(
        env.ok(&["config", "get", "cloud.test.pithos_container"])
            .trim(),
        "backups"
    );
    // Defaults answer for keys the file does not set.
    assert_eq!(
        env.ok(&["config", "get", "log_file"]).trim(),
        "~/.kamaki.log"
    );
    let list = env.ok(&["config", "list"]);
    assert!(list.contains("cloud.test.token = ***"), "{list}");
    assert!(!list.contains(sim.token()), "config list shows the token");
    env.ok(&["config", "delete", "cloud.test.pithos_container"]);
    let missing = env.snf(&["config", "get", "cloud.test.pithos_container"]);
    assert_eq!(missing.status.code(), Some(1));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env.config).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_cloud_says_how_to_add_one() {
    let env = Env::without_config();
    let output = env.snf(&["user", "info"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("snf config set cloud."), "{err}");
    // Unreachable cloud: a transport error with a hint, not a panic.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        &env.config,
        format!("[cloud \"x\"]\nurl = http://127.0.0.1:{port}/identity\ntoken = t\n"),
    )
    .unwrap();
    let output = env.snf(&["user", "info"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("could not connect") && err.contains("hint:"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_records_commands_without_tokens() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let bob = sim.user("bob@example.org").unwrap();
    let history = env.path(".kamaki.history");
    env.ok(&["user", "info"]);
    env.ok(&["user", "authenticate", &bob.token]);
    env.ok(&["config", "set", "cloud.test.token", sim.token()]);
    env.ok(&["endpoint", "list"]);
    // kamaki's format: a count of trimmed entries, then the lines.
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.starts_with("0\n"), "{text}");
    assert!(
        !text.contains(sim.token()) && !text.contains(&bob.token),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // `config set` is not recorded; the token given is masked.
    let shown = env.ok(&["history", "show"]);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 4, "{shown}"); // this very show included
    assert!(lines[0].contains("user info"), "{shown}");
    assert!(
        lines[1].contains("user authenticate ..."),
        "the token is masked: {shown}"
    );
    assert!(lines[2].contains("endpoint list"), "{shown}");
    assert!(lines[0].starts_with("1.\t"), "{shown}");

    // Selections and matching.
    let json = env.json(&["history", "show", "2:3"]);
    let numbers: Vec<u64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 3]);
    let matched = env.ok(&["history", "show", "--match", "endpoint list"]);
    assert_eq!(matched.lines().count(), 2, "{matched}"); // and this very show
    let bad = env.snf(&["history", "show", "x:y"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("not a command number"),
        "{}",
        stderr(&bad)
    );

    // The limit trims the oldest and keeps counting.
    env.ok(&["config", "set", "history_limit", "2"]);
    env.ok(&["user", "info"]);
    let json = env.json(&["history", "show"]);
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{json}");
    assert!(entries[0]["number"].as_u64().unwrap() > 2, "{json}");

    env.ok(&["history", "clean"]);
    assert_eq!(std::fs::read_to_string(&history).unwrap(), "0\n");
}

#[test]
fn help_version_and_usage() {
    let env = Env::without_config();
    let version = env.snf(&["--version"]);
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("snf {}", env!("CARGO_PKG_VERSION"))
    );
    let help = env.snf(&["-h"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for group in ["user", "file", "server", "volume", "config", "history"] {
        assert!(text.contains(group), "{group} missing from: {text}");
    }
    let group_help = env.snf(&["server", "--help"]);
    assert!(String::from_utf8_lossy(&group_help.stdout).contains("create"));
    // No command: usage on stderr and a failure status, nothing run.
    let bare = env.snf(&[]);
    assert_eq!(bare.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bare.stderr).contains("Usage"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_shows_requests_and_responses_without_bodies() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let output = env.snf(&["-v", "user", "info"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("POST") && err.contains("200"), "{err}");
    assert!(!err.contains(sim.token()), "token leaked: {err}");
    assert!(!err.contains("\"access\""), "-v shows no bodies: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_override_the_config_for_one_run() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let before = std::fs::read_to_string(&env.config).unwrap();
    let out = env.ok(&["--options", "log_token=on", "config", "get", "log_token"]);
    assert_eq!(out.trim(), "on");
    let out = env.ok(&[
        "--options",
        "cloud.test.pithos_container=elsewhere",
        "config",
        "get",
        "cloud.test.pithos_container",
    ]);
    assert_eq!(out.trim(), "elsewhere");
    // A wrong cloud for this run only: the command fails, the file stays.
    let output = env.snf(&["--options", "default_cloud=nowhere", "user", "info"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("nowhere"), "{}", stderr(&output));
    let bad = env.snf(&["--options", "no-equals-sign", "user", "info"]);
    assert!(
        stderr(&bad).contains("expected OPTION=VALUE"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(std::fs::read_to_string(&env.config).unwrap(), before);
    assert_eq!(env.ok(&["config", "get", "log_token"]).trim(), "off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn double_verbose_adds_bodies_with_tokens_masked() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let output = env.snf(&["-vv", "user", "info"]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("\"access\""), "-vv shows bodies: {err}");
    assert!(!err.contains(sim.token()), "token leaked: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_file_only_when_set_with_tokens_masked() {
    let sim = Sim::start().await.unwrap();
    let env = kamaki_env(&sim);
    let bob = sim.user("bob@example.org").unwrap();
    // kamaki's default (~/.kamaki.log) is not written: nobody asked for it.
    env.ok(&["user", "info"]);
    assert!(!env.path(".kamaki.log").exists());

    let log = env.path("snf.log");
    env.ok(&["config", "set", "log_file", log.to_str().unwrap()]);
    env.ok(&["user", "authenticate", &bob.token]);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("snf --config"), "the command line: {text}");
    assert!(text.contains("user authenticate ..."), "{text}");
    assert!(text.contains("POST"), "the requests: {text}");
    assert!(
        !text.contains("\"access\""),
        "no bodies without log_data: {text}"
    );
    assert!(
        !text.contains(sim.token()) && !text.contains(&bob.token),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&log).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    env.ok(&["config", "set", "log_data", "on"]);
    env.ok(&["user", "info"]);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("\"access\""), "log_data adds bodies: {text}");
    assert!(
        !text.contains(sim.token()) && !text.contains(&bob.token),
        "{text}"
    );
    assert!(!text.contains("ThreadId("), "{text}");
    env.ok(&["config", "set", "log_pid", "on"]);
    env.ok(&["user", "info"]);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("ThreadId("), "log_pid tags lines: {text}");
    // Nothing of it on stderr.
    let output = env.snf(&["user", "info"]);
    assert!(!stderr(&output).contains("POST"), "{}", stderr(&output));
}
