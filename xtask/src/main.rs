//! Project automation: `cargo xtask <task>`.
//!
//! - `ci`: what CI checks: formatting, clippy with warnings denied, the
//!   tests (nextest), and cargo-deny.
//! - `demo`: starts synnefo-sim on a free loopback port, writes a throw-away
//!   config, and runs a guided tour of `snf` against it.
//! - `sim`: runs the emulator for manual use (`cargo xtask sim -- --port 8080`).
//! - `bench pithos`: the transfer benchmark against the emulator.
//! - `publish-check`: `cargo package` of every published crate, verified.
//! - `swift up|down|status|test`: a single-node OpenStack Swift (Debian's
//!   packages) on loopback, and the synnefo-pithos suite against it.
//! - `bench swift`: the transfer benchmark against that Swift, side by side
//!   with python-swiftclient and rclone when they are installed.

mod bench;
mod swift;

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("lint") => lint(),
        Some("deny") => deny(),
        Some("test") => test(),
        Some("demo") => demo(),
        Some("sim") => sim(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("publish-check") => publish_check(),
        Some("swift") => swift::main(&args[1..], &root()),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n\
                 tasks:\n  \
                 ci     fmt check, clippy -D warnings, tests (nextest), cargo deny\n  \
                 lint   fmt check and clippy -D warnings\n  \
                 test   the tests only (nextest, then doc tests)\n  \
                 deny   cargo deny (licences, bans, sources; advisories need a network)\n  \
                 demo   a guided tour of snf against a local synnefo-sim\n  \
                 publish-check  cargo package (with verification) of every published crate\n  \
                 sim    run synnefo-sim for manual use (extra args go to `synnefo-sim serve`)\n  \
                 bench  pithos [--sizes 1,4] [--dir FOLDER]: transfer benchmark against synnefo-sim\n         \
                        swift [--size-mib 1024] [--dir FOLDER]: the same against a local Swift\n  \
                 swift  up|down|status|test: a single-node OpenStack Swift on 127.0.0.1"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

fn run(mut command: Command, what: &str) -> Result<()> {
    eprintln!("xtask: {what}");
    let status = command
        .status()
        .with_context(|| format!("could not start {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

fn ci() -> Result<()> {
    lint()?;
    test()?;
    deny()
}

/// `cargo fmt --check` and `cargo clippy --all-targets -D warnings`.
fn lint() -> Result<()> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    run(fmt, "cargo fmt --check")?;
    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run(clippy, "cargo clippy -D warnings")?;
    // The API docs: broken links and stray HTML fail like warnings do.
    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--quiet"])
        .env("RUSTDOCFLAGS", "-D warnings");
    run(doc, "cargo doc -D warnings")
}

fn test() -> Result<()> {
    let mut nextest = cargo();
    nextest.args(["nextest", "run", "--workspace", "--no-fail-fast"]);
    run(nextest, "cargo nextest run")?;
    let mut doc = cargo();
    doc.args(["test", "--workspace", "--doc"]);
    run(doc, "doc tests")
}

fn deny() -> Result<()> {
    let mut deny = cargo();
    deny.args(["deny", "check", "licenses", "bans", "sources"]);
    run(deny, "cargo deny check licenses bans sources")?;
    eprintln!(
        "xtask: SKIPPED cargo deny check advisories: the advisory database is fetched from \
         GitHub, which this machine cannot reach. Where a network exists, run \
         `cargo deny check advisories`."
    );
    Ok(())
}

/// Every published crate must package and build on its own, as crates.io
/// would see it (workspace siblings resolved from the packaged versions).
fn publish_check() -> Result<()> {
    // Cargo treats the crates it verifies against as immutable registry
    // crates, so builds of the same version left from an earlier run would
    // be reused, stale (measured: a new core method "not found"). Every run
    // builds in a target folder of its own, from scratch.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("publish-check");
    if target.exists() {
        std::fs::remove_dir_all(&target)?;
    }
    // Cargo also unpacks the verified crates under
    // `$CARGO_HOME/registry/src/-<hash of the temporary registry>/` and
    // would reuse an old unpacking of the same version: those folders (the
    // only ones there whose names start with `-`) go too.
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(sources) = cargo_home.map(|h| h.join("registry").join("src"))
        && let Ok(entries) = std::fs::read_dir(&sources)
    {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('-') {
                std::fs::remove_dir_all(entry.path())?;
            }
        }
    }
    let mut package = cargo();
    package.env("CARGO_TARGET_DIR", &target);
    package.args([
        "package",
        "--workspace",
        "--exclude",
        "xtask",
        "--exclude",
        "synnefo-e2e",
    ]);
    run(package, "cargo package (every published crate, verified)")
}

fn bench(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("pithos") => {
            let mut sizes = vec![1];
            if let Some(i) = args.iter().position(|a| a == "--sizes") {
                let list = args
                    .get(i + 1)
                    .context("--sizes needs a list such as 1,4")?;
                sizes = list
                    .split(',')
                    .map(|s| s.trim().parse::<u64>())
                    .collect::<Result<_, _>>()
                    .context("--sizes takes GiB counts such as 1,4")?;
            }
            // tmpfs by default: the client's speed, not the disk's (the
            // table also reports the file system's own write speed).
            let shm = std::path::Path::new("/dev/shm");
            let mut dir = if shm.is_dir() {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            };
            if let Some(i) = args.iter().position(|a| a == "--dir") {
                dir = args.get(i + 1).context("--dir needs a folder")?.into();
            }
            bench::pithos(&root(), &sizes, &dir)
        }
        Some("swift") => {
            let mut size_mib = 1024;
            if let Some(i) = args.iter().position(|a| a == "--size-mib") {
                size_mib = args
                    .get(i + 1)
                    .and_then(|s| s.parse().ok())
                    .context("--size-mib takes a number of MiB")?;
            }
            let shm = std::path::Path::new("/dev/shm");
            let mut dir = if shm.is_dir() {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            };
            if let Some(i) = args.iter().position(|a| a == "--dir") {
                dir = args.get(i + 1).context("--dir needs a folder")?.into();
            }
            bench::swift(&root(), size_mib, &dir)
        }
        _ => bail!(
            "usage: cargo xtask bench pithos [--sizes 1,4] [--dir FOLDER]\n       \
             cargo xtask bench swift [--size-mib 1024] [--dir FOLDER]"
        ),
    }
}

fn sim(extra: &[String]) -> Result<()> {
    let mut command = cargo();
    command.args(["run", "--quiet", "-p", "synnefo-sim", "--", "serve"]);
    command.args(extra.iter().filter(|a| a.as_str() != "--"));
    run(command, "synnefo-sim serve")
}

/// A sim child process that is killed when dropped.
struct SimProcess(Child);

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn demo() -> Result<()> {
    let mut build = cargo();
    build.args([
        "build",
        "--quiet",
        "-p",
        "synnefo-sim",
        "-p",
        "synnefo-cli",
        "--bins",
    ]);
    run(build, "building snf and synnefo-sim")?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("debug");
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let dir = std::env::temp_dir().join(format!("snf-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // The emulator's request log goes to a file, to keep the tour readable.
    let sim_log = dir.join("synnefo-sim.log");
    let mut child = Command::new(target.join("synnefo-sim"))
        .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&sim_log)?)
        .spawn()
        .context("could not start synnefo-sim")?;
    let stdout = child.stdout.take().context("no stdout from synnefo-sim")?;
    let _sim = SimProcess(child);
    let mut identity_url = None;
    let mut users = Vec::new();
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(url) = line.strip_prefix("identity URL: ") {
            identity_url = Some(url.trim().to_owned());
        } else if let Some(rest) = line.strip_prefix("user ") {
            let mut fields = rest.split_whitespace();
            let name = fields.next().unwrap_or_default().to_owned();
            let mut uuid = String::new();
            let mut token = String::new();
            for field in fields {
                if let Some(v) = field.strip_prefix("uuid=") {
                    uuid = v.to_owned();
                } else if let Some(v) = field.strip_prefix("token=") {
                    token = v.to_owned();
                }
            }
            users.push((name, uuid, token));
            if users.len() == 2 {
                break;
            }
        }
    }
    // Keep reading what the emulator prints: closing the pipe would make
    // its next line fail and stop it.
    std::thread::spawn(move || lines.for_each(drop));
    let identity_url = identity_url.context("synnefo-sim did not print its identity URL")?;
    let [(alice, alice_uuid, alice_token), (bob, bob_uuid, _)] = users.as_slice() else {
        bail!("synnefo-sim did not print two users");
    };

    let config = dir.join("kamakirc");
    let snf = target.join("snf");
    let tour = Tour { snf, config };

    println!("synnefo-sim is running at {identity_url}\n");
    println!("# 1. Point snf at the cloud: a kamaki-compatible config file.");
    tour.step(&["config", "set", "cloud.demo.url", &identity_url])?;
    tour.step(&["config", "set", "cloud.demo.token", alice_token])?;
    tour.step(&["config", "set", "default_cloud", "demo"])?;
    tour.step(&["config", "list"])?;
    println!("# 2. Who am I? (authenticates the token; it never shows)");
    tour.step(&["user", "authenticate"])?;
    tour.step(&["user", "info"])?;
    println!("# 3. What does the cloud offer? (the service catalog)");
    tour.step(&["service", "list"])?;
    tour.step(&["endpoint", "list"])?;
    println!("# 4. Users by name and UUID.");
    tour.step(&["user", "uuid2name", alice_uuid, bob_uuid])?;
    tour.step(&["user", "name2uuid", alice, bob])?;
    println!("# 5. Every listing also speaks JSON for scripts.");
    tour.step(&["-o", "json", "user", "info"])?;
    println!("# 6. Errors say what failed and what to try.");
    tour.step_expect_failure(&["user", "authenticate", "not-a-valid-token"])?;

    println!("# 7. Object storage: a container, an upload (only missing blocks travel).");
    let report = dir.join("report.txt");
    let mut text = String::from("Quarterly report\n");
    for line in 0..2000 {
        text.push_str(&format!("line {line}: the numbers look fine\n"));
    }
    std::fs::write(&report, &text)?;
    let report_path = report.to_string_lossy().into_owned();
    tour.step(&["container", "create", "documents"])?;
    tour.step(&[
        "file",
        "upload",
        "-N",
        &report_path,
        "/documents/2026/report.txt",
    ])?;
    tour.step(&["file", "list", "-C", "documents", "-r", "-l"])?;
    println!("# 8. Share it with bob (read only) and publish it.");
    tour.step(&[
        "file",
        "modify",
        "/documents/2026/report.txt",
        "--read-permission",
        bob,
    ])?;
    tour.step(&["file", "publish", "/documents/2026/report.txt"])?;
    tour.step(&["file", "info", "/documents/2026/report.txt", "--sharing"])?;
    println!("# 9. Download it again, verified block by block against its hashes.");
    let copy = dir.join("report-copy.txt");
    let copy_path = copy.to_string_lossy().into_owned();
    tour.step(&[
        "file",
        "download",
        "-N",
        "/documents/2026/report.txt",
        &copy_path,
    ])?;
    if std::fs::read(&copy)? != text.as_bytes() {
        bail!("the downloaded report differs from the uploaded one");
    }
    println!("(the downloaded copy is identical)\n");
    tour.step(&["-o", "json", "container", "list"])?;
    image_tour(&tour, &dir)?;

    println!("# 11. Servers: what can we run?");
    tour.step(&["flavor", "list"])?;
    tour.step(&["imagecompute", "list"])?;
    let flavors = tour.json(&["-o", "json", "flavor", "list"])?;
    let images = tour.json(&["-o", "json", "imagecompute", "list"])?;
    let flavor = first_id(&flavors).context("the cloud offers no flavor")?;
    let image = first_id(&images).context("the cloud offers no image")?;
    println!("(using flavor {flavor} and image {image})\n");
    println!(
        "# 12. Create a server and wait for it to become ACTIVE (a progress bar on a terminal)."
    );
    let server = tour.json(&[
        "-o",
        "json",
        "server",
        "create",
        "--name",
        "demo-vm",
        "--flavor-id",
        &flavor,
        "--image-id",
        &image,
        "--wait",
    ])?;
    let server = id_of(&server).context("server create printed no id")?;
    println!("(server {server})\n");
    tour.step(&["server", "info", &server])?;
    println!("# 13. A volume, attached to the server, and a snapshot of it.");
    let types = tour.json(&["-o", "json", "volume", "types"])?;
    let volume_type = first_id(&types).context("the cloud offers no volume type")?;
    let volume = tour.json(&[
        "-o",
        "json",
        "volume",
        "create",
        "--size",
        "2",
        "--name",
        "demo-disk",
        "--volume-type",
        &volume_type,
        "--wait",
    ])?;
    let volume = id_of(&volume).context("volume create printed no id")?;
    println!("(volume {volume})\n");
    tour.step(&["server", "attach", &server, "--volume-id", &volume])?;
    tour.step(&[
        "volume",
        "wait",
        &volume,
        "--until",
        "in_use",
        "--timeout",
        "30",
    ])?;
    tour.step(&["server", "attachments", &server])?;
    let snapshot = tour.json(&[
        "-o",
        "json",
        "snapshot",
        "create",
        "--volume-id",
        &volume,
        "--name",
        "demo-snap",
    ])?;
    let snapshot = id_of(&snapshot).context("snapshot create printed no id")?;
    println!("(snapshot {snapshot})\n");
    tour.step(&["snapshot", "list"])?;
    println!("# 14. Clean up: snapshot, volume, server.");
    tour.step(&["snapshot", "delete", &snapshot])?;
    tour.step(&["server", "detach", &server, "--volume-id", &volume])?;
    tour.step(&[
        "volume",
        "wait",
        &volume,
        "--until",
        "available",
        "--timeout",
        "30",
    ])?;
    tour.step(&["volume", "delete", &volume, "--wait"])?;
    tour.step(&["server", "delete", &server, "--wait"])?;

    println!("# 15. A private network with a subnet, then delete it (its subnet goes with it).");
    let network = tour.json(&["-o", "json", "network", "create", "--name", "demo-net"])?;
    let network = id_of(&network).context("network create printed no id")?;
    println!("(network {network})\n");
    tour.step(&[
        "subnet",
        "create",
        "--network-id",
        &network,
        "--cidr",
        "10.0.0.0/24",
        "--name",
        "demo-lan",
    ])?;
    tour.step(&["network", "list", "-l"])?;
    tour.step(&["network", "delete", &network])?;
    println!("# 16. Quotas: what alice uses of what her projects allow.");
    tour.step(&["quota", "list"])?;
    println!("# 17. What we ran: snf keeps kamaki's command history, tokens masked.");
    tour.step(&["history", "show", "-5:"])?;
    std::fs::remove_dir_all(&dir).ok();
    println!("The tour is over; synnefo-sim stops now.");
    Ok(())
}

/// Step 10 of the tour: a small file uploaded and registered as an image,
/// listed, shown, and unregistered.
fn image_tour(tour: &Tour, dir: &std::path::Path) -> Result<()> {
    println!("# 10. Images: upload a disk file, register it, list it, unregister it.");
    let disk = dir.join("tiny.diskdump");
    std::fs::write(&disk, b"not really a disk, but Plankton does not mind")?;
    let disk_path = disk.to_string_lossy().into_owned();
    tour.step(&["container", "create", "images"])?;
    let image = tour.json(&[
        "-o",
        "json",
        "image",
        "register",
        "--name",
        "Tiny Linux",
        "--location",
        "/images/tiny.diskdump",
        "--upload-image-file",
        &disk_path,
        "-p",
        "osfamily=linux",
        "-N",
    ])?;
    let image = id_of(&image).context("image register printed no id")?;
    println!("(image {image}, its metadata kept next to it as tiny.diskdump.meta)\n");
    tour.step(&["image", "list", "-l"])?;
    tour.step(&["image", "info", &image])?;
    tour.step(&["image", "unregister", &image])?;
    Ok(())
}

/// The `id` of the first item of a JSON list.
fn first_id(list: &serde_json::Value) -> Option<String> {
    id_of(list.as_array()?.first()?)
}

/// An item's `id`, whether the server sent a number or a string.
fn id_of(item: &serde_json::Value) -> Option<String> {
    let item = item
        .get("server")
        .or_else(|| item.get("volume"))
        .or_else(|| item.get("snapshot"))
        .unwrap_or(item);
    match item.get("id")? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

struct Tour {
    snf: PathBuf,
    config: PathBuf,
}

impl Tour {
    fn command(&self, args: &[&str]) -> Command {
        println!("$ snf {}", args.join(" "));
        let mut command = Command::new(&self.snf);
        command.arg("--config").arg(&self.config).args(args);
        // The tour's history goes next to its config, not into yours.
        if let Some(home) = self.config.parent() {
            command.env("HOME", home);
        }
        command
    }

    fn step(&self, args: &[&str]) -> Result<()> {
        let status = self.command(args).status()?;
        println!();
        if !status.success() {
            bail!("`snf {}` failed ({status})", args.join(" "));
        }
        Ok(())
    }

    /// Runs a step whose JSON output the tour reads (an id to use next);
    /// the progress and messages on stderr still show.
    fn json(&self, args: &[&str]) -> Result<serde_json::Value> {
        let output = self.command(args).stderr(Stdio::inherit()).output()?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            bail!("`snf {}` failed ({})", args.join(" "), output.status);
        }
        serde_json::from_str(&text)
            .with_context(|| format!("`snf {}` did not print JSON", args.join(" ")))
    }

    fn step_expect_failure(&self, args: &[&str]) -> Result<()> {
        let status = self.command(args).status()?;
        println!("(exit status {})\n", status.code().unwrap_or(-1));
        if status.success() {
            bail!("`snf {}` should have failed", args.join(" "));
        }
        Ok(())
    }
}
