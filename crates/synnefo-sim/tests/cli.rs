//! The `synnefo-sim` binary: `users` output and `serve` start-up lines.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_synnefo-sim");

#[test]
fn users_prints_the_default_users_as_json() {
    let output = Command::new(BIN).arg("users").output().unwrap();
    assert!(output.status.success());
    let users: Vec<synnefo_sim::UserSpec> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(users, synnefo_sim::default_users());
}

#[test]
fn serve_prints_its_urls_and_stops_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--port",
            "0",
            "--seed",
            "1",
            "--block-size",
            "1024",
            "--build-delay-ms",
            "0",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(8)
        .map(Result::unwrap)
        .collect();
    let base = lines[0]
        .strip_prefix("synnefo-sim listening on ")
        .unwrap()
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(!base.ends_with(":0"));
    assert_eq!(
        lines[1],
        format!("identity URL: {base}/astakos/identity/v2.0")
    );
    assert_eq!(
        lines[2],
        format!(
            "user alice@example.org uuid={} token={}",
            synnefo_sim::ALICE_UUID,
            synnefo_sim::ALICE_TOKEN
        )
    );
    assert!(lines[3].starts_with("user bob@example.org uuid="));
    assert_eq!(
        lines[4],
        format!("pithos URL: {base}/pithos/object-store/v1")
    );
    assert_eq!(
        lines[5],
        format!("compute URL: {base}/cyclades/compute/v2.0")
    );
    assert_eq!(lines[6], format!("volume URL: {base}/cyclades/volume/v2.0"));
    assert_eq!(
        lines[7],
        format!(
            "service tokens: cyclades={} pithos={}",
            synnefo_sim::CYCLADES_SERVICE_TOKEN,
            synnefo_sim::PITHOS_SERVICE_TOKEN
        )
    );
    assert!(data.path().join("blocks").is_dir());

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn serve_rejects_a_zero_block_size() {
    let output = Command::new(BIN)
        .args(["serve", "--port", "0", "--block-size", "0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("block size"), "{stderr}");
}

#[test]
fn serve_rejects_a_bad_users_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.json");
    std::fs::write(&path, "{").unwrap();
    let output = Command::new(BIN)
        .args(["serve", "--port", "0", "--users"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("users.json"), "{stderr}");
    assert!(stderr.contains("invalid JSON"), "{stderr}");
}
