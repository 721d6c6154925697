//! The harness the CLI tests share: `snf` as a user runs it.
//!
//! An [`Env`] is a throw-away folder that holds a kamaki config file and is
//! at once the folder `snf` runs in and its `HOME`, so that the history and
//! log files it writes never touch the real home. Commands run the real
//! `snf` binary that Cargo built for this test crate, against whatever the
//! config points at (usually a synnefo-sim).
//!
//! Each test file says `mod support;`: it is compiled into each test crate
//! on its own, so a test file may add its own helpers in an `impl Env`
//! block of its own.

// Each test crate uses a part of this module; the rest would warn there.
// (Items are `pub(crate)`, not `pub`: the workspace denies unreachable `pub`.)
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};
use synnefo_sim::SimHandle;

/// A throw-away folder with a config file, in which `snf` runs.
pub(crate) struct Env {
    /// The folder: the config's folder, the working directory and `HOME`
    /// of every `snf` run. Removed when the `Env` is dropped.
    pub(crate) dir: tempfile::TempDir,
    /// The config file, `kamakirc` in `dir`, given with `--config`.
    pub(crate) config: PathBuf,
}

impl Env {
    /// A config for the user of `token` on `sim`: cloud "test", the
    /// default one.
    pub(crate) fn new(sim: &SimHandle, token: &str) -> Env {
        Env::with_config_text(&format!(
            "# Kamaki configuration file v0.16\n[global]\ndefault_cloud = test\n\n\
             [cloud \"test\"]\nurl = {}\ntoken = {token}\n",
            sim.identity_url(),
        ))
    }

    /// A config file that says `text`, to the letter.
    pub(crate) fn with_config_text(text: &str) -> Env {
        let env = Env::without_config();
        std::fs::write(&env.config, text).unwrap();
        env
    }

    /// A folder whose config file does not exist (yet).
    pub(crate) fn without_config() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("kamakirc");
        Env { dir, config }
    }

    /// A scratch path in the folder.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `snf --config <config> args…` in the folder; gives what it did,
    /// checking nothing.
    pub(crate) fn snf(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_snf"))
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("KAMAKI_DEFAULT_CLOUD")
            // History and logs go to the test's folder, not the real home.
            .env("HOME", self.dir.path())
            .env_remove("SNF_LOG")
            .output()
            .unwrap()
    }

    /// Runs `snf`, expecting success; gives stdout and stderr.
    pub(crate) fn run_ok(&self, args: &[&str]) -> (String, String) {
        let output = self.snf(args);
        let err = String::from_utf8(output.stderr).unwrap();
        assert!(output.status.success(), "snf {args:?} failed: {err}");
        (String::from_utf8(output.stdout).unwrap(), err)
    }

    /// Runs `snf`, expecting success; gives stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        self.run_ok(args).0
    }

    /// Runs `snf -o json …`, expecting success; gives the parsed stdout.
    pub(crate) fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["-o", "json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    /// Runs `snf`, expecting exit status 1 and one line of error, starting
    /// with "snf: "; gives that line.
    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let output = self.snf(args);
        let err = String::from_utf8(output.stderr).unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "snf {args:?} should fail: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("snf: "), "{err}");
        err
    }
}
