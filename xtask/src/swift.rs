//! `cargo xtask swift up|down|test|status`: a single-node OpenStack Swift
//! from Debian's packages on 127.0.0.1, with tempauth, to run
//! synnefo-pithos' Swift-compatible operations against a server we did not
//! write.
//!
//! - `up` installs the packages when missing (apt-get, bounded in time),
//!   builds one-replica rings, writes the configs, mounts a data file system
//!   that takes user xattrs (an XFS image on a loop device, else tmpfs, else
//!   a plain folder), starts memcached and the four servers, and waits until
//!   all of them answer and tempauth hands out a token. A second `up` stops
//!   the previous instance first.
//! - `down` stops exactly the processes `up` recorded (and the workers they
//!   forked), unmounts and deletes the data; configs and logs stay.
//! - `test` runs `crates/synnefo-pithos/tests/swift.rs` against it, with the
//!   server required (a missing server fails instead of skipping).
//!
//! Knobs: `SNF_SWIFT_DIR` (default `/var/tmp/snf-swift`), `SNF_SWIFT_PORT`
//! (proxy, default 18080; the account, container and object servers use the
//! next three ports, memcached the fourth), `SNF_SWIFT_FS`
//! (`auto|xfs|tmpfs|dir`), `SNF_SWIFT_UPDATERS=0` to run without the
//! updater daemons (benchmarks). After `up`, `$SNF_SWIFT_DIR/env` holds
//! `ST_AUTH`/`ST_USER`/`ST_KEY` for python-swiftclient and an rclone remote.
//!
//! Accounts (tempauth): `test:tester`/`testing` (admin of `AUTH_test`),
//! `test2:tester2`/`testing2`.

use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Debian packages a single-node Swift needs.
const PACKAGES: &[&str] = &[
    "swift",
    "swift-proxy",
    "swift-account",
    "swift-container",
    "swift-object",
    "memcached",
    "xfsprogs",
];

/// The server binaries `up` runs.
const BINARIES: &[&str] = &[
    "swift-proxy-server",
    "swift-account-server",
    "swift-container-server",
    "swift-object-server",
    "swift-ring-builder",
    "memcached",
];

/// The user tests and benchmarks log in as.
pub(crate) const USER: &str = "test:tester";
/// Its key.
pub(crate) const KEY: &str = "testing";

/// Where the instance lives and listens.
pub(crate) struct Layout {
    pub(crate) dir: PathBuf,
    pub(crate) proxy_port: u16,
}

impl Layout {
    pub(crate) fn from_env() -> Result<Layout> {
        let dir = std::env::var_os("SNF_SWIFT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/var/tmp/snf-swift"));
        let proxy_port = match std::env::var("SNF_SWIFT_PORT") {
            Ok(port) => port
                .parse()
                .context("SNF_SWIFT_PORT must be a port number")?,
            Err(_) => 18080,
        };
        if proxy_port > u16::MAX - 4 {
            bail!("SNF_SWIFT_PORT leaves no room for the next four ports");
        }
        Ok(Layout { dir, proxy_port })
    }

    fn account_port(&self) -> u16 {
        self.proxy_port + 1
    }
    fn container_port(&self) -> u16 {
        self.proxy_port + 2
    }
    fn object_port(&self) -> u16 {
        self.proxy_port + 3
    }
    fn memcached_port(&self) -> u16 {
        self.proxy_port + 4
    }
    fn etc(&self) -> PathBuf {
        self.dir.join("etc")
    }
    fn run(&self) -> PathBuf {
        self.dir.join("run")
    }
    fn log(&self) -> PathBuf {
        self.dir.join("log")
    }
    fn node(&self) -> PathBuf {
        self.dir.join("node")
    }
    fn device(&self) -> PathBuf {
        self.node().join("d1")
    }
    fn image(&self) -> PathBuf {
        self.dir.join("disk.img")
    }
    pub(crate) fn auth_url(&self) -> String {
        format!("http://127.0.0.1:{}/auth/v1.0", self.proxy_port)
    }
}

pub(crate) fn main(args: &[String], root: &Path) -> Result<()> {
    let layout = Layout::from_env()?;
    match args.first().map(String::as_str) {
        Some("up") => up(&layout),
        Some("down") => down(&layout),
        Some("status") => {
            if healthy(&layout) {
                println!("swift: up, auth {} ({USER}/{KEY})", layout.auth_url());
                Ok(())
            } else {
                bail!("swift: not running at {}", layout.auth_url())
            }
        }
        Some("test") => test(&layout, root),
        _ => bail!(
            "usage: cargo xtask swift up|down|status|test\n  \
             up      install (apt) when missing, start a single-node Swift on 127.0.0.1\n  \
             down    stop exactly what `up` started, unmount and delete its data\n  \
             status  whether it answers\n  \
             test    run the synnefo-pithos Swift suite against it (fails if it is not up)"
        ),
    }
}

fn say(started: Instant, message: impl AsRef<str>) {
    eprintln!(
        "swift [{:5.1}s] {}",
        started.elapsed().as_secs_f64(),
        message.as_ref()
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn on_path(binary: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(binary).is_file()))
        .unwrap_or(false)
        || ["/usr/sbin", "/sbin", "/usr/bin"]
            .iter()
            .any(|d| Path::new(d).join(binary).is_file())
}

/// Runs `command` with a deadline (through coreutils `timeout`), failing
/// with its captured output.
fn run_bounded(what: &str, seconds: u64, args: &[&str], log: &Path) -> Result<()> {
    let out = std::fs::File::create(log)?;
    let status = Command::new("timeout")
        .arg("--kill-after=10")
        .arg(seconds.to_string())
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .status()
        .with_context(|| format!("could not run {what}"))?;
    if !status.success() {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!(
            "{what} failed ({status}{}); last lines:\n{}",
            if status.code() == Some(124) {
                format!(", killed after {seconds} s")
            } else {
                String::new()
            },
            tail.join("\n")
        );
    }
    Ok(())
}

fn install(started: Instant, layout: &Layout) -> Result<()> {
    let missing: Vec<&str> = PACKAGES.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if std::env::var_os("SNF_SWIFT_SKIP_INSTALL").is_some() {
        bail!("missing packages {missing:?} and SNF_SWIFT_SKIP_INSTALL is set: install them first");
    }
    if !is_root() {
        bail!("missing packages {missing:?}: run as root (apt-get) or install them first");
    }
    say(started, format!("installing {}", missing.join(" ")));
    std::fs::create_dir_all(layout.log())?;
    let log = layout.log().join("apt.log");
    run_bounded("apt-get update", 300, &["apt-get", "update", "-qq"], &log)?;
    let mut args = vec![
        "apt-get",
        "install",
        "-y",
        "-qq",
        "--no-install-recommends",
        "-o",
        "Dpkg::Options::=--force-confdef",
        "-o",
        "Dpkg::Options::=--force-confold",
    ];
    args.extend(&missing);
    run_bounded("apt-get install", 900, &args, &log)?;
    say(started, "installed");
    Ok(())
}

/// Whether something accepts connections on the loopback port.
fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(300),
    )
    .is_ok()
}

/// A tiny HTTP/1.0 exchange on loopback: status and raw head.
fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(2),
    )
    .ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut reply = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut reply).ok()?;
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text))
}

fn healthy(layout: &Layout) -> bool {
    [
        layout.proxy_port,
        layout.account_port(),
        layout.container_port(),
        layout.object_port(),
    ]
    .iter()
    .all(|&p| matches!(http_get(p, "/healthcheck", &[]), Some((200, _))))
}

/// Whether the folder takes a `user.*` extended attribute (Swift keeps
/// object metadata in them).
fn xattrs_work(dir: &Path) -> bool {
    let probe = r#"
import os, sys
f = os.path.join(sys.argv[1], '.xattr-probe')
open(f, 'w').close()
try:
    os.setxattr(f, 'user.swift.probe', b'x' * 2000)
    assert os.getxattr(f, 'user.swift.probe') == b'x' * 2000
finally:
    os.unlink(f)
"#;
    Command::new("/usr/bin/python3")
        .args(["-c", probe])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn is_mountpoint(dir: &Path) -> bool {
    Command::new("mountpoint")
        .arg("-q")
        .arg(dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn quiet(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Mounts the data file system; returns what it is.
fn mount_data(layout: &Layout, started: Instant) -> Result<&'static str> {
    let device = layout.device();
    std::fs::create_dir_all(&device)?;
    let choice = std::env::var("SNF_SWIFT_FS").unwrap_or_else(|_| "auto".into());
    let gib = std::env::var("SNF_SWIFT_DISK_GB").unwrap_or_else(|_| "8".into());
    let try_xfs = || {
        let image = layout.image();
        let ok = quiet(
            Command::new("truncate")
                .arg("-s")
                .arg(format!("{gib}G"))
                .arg(&image),
        ) && quiet(Command::new("mkfs.xfs").args(["-q", "-f"]).arg(&image))
            && quiet(
                Command::new("mount")
                    .args(["-o", "loop,noatime"])
                    .arg(&image)
                    .arg(&device),
            );
        if !ok {
            std::fs::remove_file(&image).ok();
        }
        ok
    };
    let try_tmpfs = || {
        let ok = quiet(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o"])
                .arg(format!("size={gib}G,mode=0755"))
                .arg("snf-swift")
                .arg(&device),
        );
        if ok && !xattrs_work(&device) {
            quiet(Command::new("umount").arg(&device));
            return false;
        }
        ok
    };
    let kind = match choice.as_str() {
        "xfs" if try_xfs() => "xfs",
        "tmpfs" if try_tmpfs() => "tmpfs",
        "dir" => "dir",
        "auto" => {
            if try_xfs() {
                "xfs"
            } else if try_tmpfs() {
                say(
                    started,
                    "WARNING: no XFS loop mount here; data on tmpfs (RAM)",
                );
                "tmpfs"
            } else {
                say(
                    started,
                    "WARNING: neither an XFS loop mount nor tmpfs xattrs: data in a plain \
                     folder (on ext4 all xattrs of a file share ~4 KiB: large metadata fails)",
                );
                "dir"
            }
        }
        "xfs" | "tmpfs" => bail!("could not mount {choice} for the data (SNF_SWIFT_FS={choice})"),
        other => bail!("SNF_SWIFT_FS must be auto, xfs, tmpfs or dir, not {other:?}"),
    };
    if !xattrs_work(&device) {
        bail!(
            "the data folder {} ({kind}) does not keep user xattrs, which Swift needs",
            device.display()
        );
    }
    Ok(kind)
}

fn ring(etc: &Path, name: &str, port: u16) -> Result<()> {
    let builder = format!("{name}.builder");
    let run = |args: &[&str]| {
        Command::new("swift-ring-builder")
            .current_dir(etc)
            .arg(&builder)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
    };
    if !run(&["create", "10", "1", "1"])?.success() {
        bail!("swift-ring-builder {builder} create failed");
    }
    let port = port.to_string();
    let add = [
        "add",
        "--region",
        "1",
        "--zone",
        "1",
        "--ip",
        "127.0.0.1",
        "--port",
        &port,
        "--device",
        "d1",
        "--weight",
        "100",
    ];
    if !run(&add)?.success() {
        bail!("swift-ring-builder {builder} add failed");
    }
    // Exit status 1 is a warning (balance), 2 an error.
    let status = run(&["rebalance"])?;
    if !(status.success() || status.code() == Some(1)) {
        bail!("swift-ring-builder {builder} rebalance failed ({status})");
    }
    if !etc.join(format!("{name}.ring.gz")).is_file() {
        bail!("{name}.ring.gz was not written");
    }
    Ok(())
}

fn default_section(layout: &Layout, name: &str, port: u16, workers: u32) -> String {
    format!(
        "[DEFAULT]\n\
         bind_ip = 127.0.0.1\n\
         bind_port = {port}\n\
         workers = {workers}\n\
         user = root\n\
         swift_dir = {etc}\n\
         devices = {node}\n\
         mount_check = false\n\
         disable_fallocate = true\n\
         log_name = {name}\n\
         log_level = INFO\n\
         # no /dev/log here: the servers run with -v and log to stderr (our log files)\n\
         log_udp_host = 127.0.0.1\n\
         log_udp_port = 514\n\
         recon_cache_path = {cache}\n\n",
        etc = layout.etc().display(),
        node = layout.node().display(),
        cache = layout.dir.join("cache").display(),
    )
}

fn write_configs(layout: &Layout) -> Result<()> {
    let etc = layout.etc();
    let proxy = format!(
        "{}expose_info = true\n\n\
         [pipeline:main]\n\
         pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats \
         bulk tempurl tempauth copy slo dlo proxy-logging proxy-server\n\n\
         [app:proxy-server]\n\
         use = egg:swift#proxy\n\
         account_autocreate = true\n\
         allow_account_management = true\n\
         node_timeout = 60\n\
         recoverable_node_timeout = 30\n\
         conn_timeout = 2\n\n\
         [filter:tempauth]\n\
         use = egg:swift#tempauth\n\
         reseller_prefix = AUTH\n\
         token_life = 86400\n\
         user_test_tester = testing .admin\n\
         user_test2_tester2 = testing2 .admin\n\n\
         [filter:cache]\n\
         use = egg:swift#memcache\n\
         memcache_servers = 127.0.0.1:{memcached}\n\n\
         [filter:catch_errors]\nuse = egg:swift#catch_errors\n\
         [filter:gatekeeper]\nuse = egg:swift#gatekeeper\n\
         [filter:healthcheck]\nuse = egg:swift#healthcheck\n\
         [filter:proxy-logging]\nuse = egg:swift#proxy_logging\n\
         [filter:listing_formats]\nuse = egg:swift#listing_formats\n\
         [filter:bulk]\nuse = egg:swift#bulk\n\
         [filter:tempurl]\nuse = egg:swift#tempurl\n\
         [filter:copy]\nuse = egg:swift#copy\n\
         [filter:slo]\nuse = egg:swift#slo\n\
         [filter:dlo]\nuse = egg:swift#dlo\n",
        default_section(layout, "proxy-server", layout.proxy_port, 1),
        memcached = layout.memcached_port(),
    );
    std::fs::write(etc.join("proxy-server.conf"), proxy)?;
    let server = |name: &str, port: u16, app: &str, extra: &str| {
        format!(
            "{}[pipeline:main]\n\
             pipeline = healthcheck {name}\n\n\
             [app:{name}]\n\
             use = egg:swift#{app}\n\n\
             [filter:healthcheck]\n\
             use = egg:swift#healthcheck\n\n\
             {extra}",
            default_section(layout, name, port, 1)
        )
    };
    std::fs::write(
        etc.join("account-server.conf"),
        server(
            "account-server",
            layout.account_port(),
            "account",
            "[account-replicator]\n[account-auditor]\n[account-reaper]\n",
        ),
    )?;
    std::fs::write(
        etc.join("container-server.conf"),
        server(
            "container-server",
            layout.container_port(),
            "container",
            "[container-updater]\ninterval = 10\nconcurrency = 1\n\
             [container-replicator]\n[container-auditor]\n[container-sync]\n[container-sharder]\n",
        ),
    )?;
    std::fs::write(
        etc.join("object-server.conf"),
        server(
            "object-server",
            layout.object_port(),
            "object",
            "[object-updater]\ninterval = 10\nconcurrency = 1\n\
             [object-replicator]\n[object-reconstructor]\n[object-auditor]\n",
        ),
    )?;
    // Swift reads /etc/swift/swift.conf from that fixed path (hash salt,
    // storage policies); Debian's package ships one, but write a minimal one
    // when it is missing.
    let system = Path::new("/etc/swift/swift.conf");
    if std::fs::metadata(system)
        .map(|m| m.len() == 0)
        .unwrap_or(true)
    {
        std::fs::create_dir_all("/etc/swift")?;
        std::fs::write(
            system,
            "[swift-hash]\nswift_hash_path_suffix = snf-swift\nswift_hash_path_prefix = snf-swift\n\n\
             [storage-policy:0]\nname = Policy-0\ndefault = yes\n",
        )?;
    }
    Ok(())
}

/// Starts one daemon in its own process group, output to its log file,
/// and records its pid.
fn start(layout: &Layout, name: &str, program: &str, args: &[String]) -> Result<u32> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(layout.log().join(format!("{name}.log")))?;
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .with_context(|| format!("could not start {program}"))?;
    let pid = child.id();
    // The daemon outlives us: `down` finds it by its pid file.
    std::mem::forget(child);
    std::fs::write(layout.run().join(format!("{name}.pid")), pid.to_string())?;
    Ok(pid)
}

fn up(layout: &Layout) -> Result<()> {
    let started = Instant::now();
    if !is_root() {
        bail!("`cargo xtask swift up` must run as root (apt-get, mount)");
    }
    install(started, layout)?;
    for binary in BINARIES {
        if !on_path(binary) {
            bail!("{binary} not found although its package is installed");
        }
    }
    if layout.run().is_dir() || is_mountpoint(&layout.device()) {
        say(started, "stopping the previous instance");
        down(layout)?;
    }
    for port in [
        layout.proxy_port,
        layout.account_port(),
        layout.container_port(),
        layout.object_port(),
        layout.memcached_port(),
    ] {
        if port_open(port) {
            bail!(
                "port {port} is already in use by something else (set SNF_SWIFT_PORT to move \
                 the ports {}..{})",
                layout.proxy_port,
                layout.memcached_port()
            );
        }
    }
    let result = start_all(layout, started);
    if result.is_err() {
        // Do not leave half an instance behind; the logs stay.
        down(layout).ok();
    }
    result
}

fn start_all(layout: &Layout, started: Instant) -> Result<()> {
    for dir in [
        layout.etc(),
        layout.run(),
        layout.log(),
        layout.dir.join("cache"),
    ] {
        std::fs::create_dir_all(&dir)?;
    }
    for entry in std::fs::read_dir(layout.etc())? {
        let path = entry?.path();
        if path.is_file() {
            std::fs::remove_file(&path)?;
        } else {
            std::fs::remove_dir_all(&path)?;
        }
    }
    for entry in std::fs::read_dir(layout.log())? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "log") && !path.ends_with("apt.log") {
            std::fs::remove_file(&path).ok();
        }
    }
    let fs = mount_data(layout, started)?;
    std::fs::write(layout.run().join("fs"), fs)?;
    let etc = layout.etc();
    ring(&etc, "object", layout.object_port())?;
    ring(&etc, "container", layout.container_port())?;
    ring(&etc, "account", layout.account_port())?;
    write_configs(layout)?;
    let conf = |name: &str| vec![etc.join(name).display().to_string(), "-v".to_owned()];
    start(
        layout,
        "memcached",
        "memcached",
        &[
            "-l".into(),
            "127.0.0.1".into(),
            "-p".into(),
            layout.memcached_port().to_string(),
            "-U".into(),
            "0".into(),
            "-m".into(),
            "64".into(),
            "-u".into(),
            "root".into(),
        ],
    )?;
    start(
        layout,
        "account-server",
        "swift-account-server",
        &conf("account-server.conf"),
    )?;
    start(
        layout,
        "container-server",
        "swift-container-server",
        &conf("container-server.conf"),
    )?;
    start(
        layout,
        "object-server",
        "swift-object-server",
        &conf("object-server.conf"),
    )?;
    start(
        layout,
        "proxy-server",
        "swift-proxy-server",
        &conf("proxy-server.conf"),
    )?;
    // The updaters keep listings and account statistics current; each
    // sweep costs CPU, so benchmarks may run without them.
    if std::env::var("SNF_SWIFT_UPDATERS").as_deref() != Ok("0") {
        start(
            layout,
            "object-updater",
            "swift-object-updater",
            &conf("object-server.conf"),
        )?;
        start(
            layout,
            "container-updater",
            "swift-container-updater",
            &conf("container-server.conf"),
        )?;
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if healthy(layout) {
            break;
        }
        for (name, pid) in recorded(layout) {
            if !alive(pid) {
                let log = layout.log().join(format!("{name}.log"));
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                bail!(
                    "{name} exited at start; {}:\n{}",
                    log.display(),
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
            }
        }
        if Instant::now() > deadline {
            bail!(
                "the servers did not all answer /healthcheck within 90 s (logs: {})",
                layout.log().display()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    say(started, "servers healthy");
    // tempauth needs memcached: a token proves the whole path works.
    let deadline = Instant::now() + Duration::from_secs(30);
    let storage_url = loop {
        let reply = http_get(
            layout.proxy_port,
            "/auth/v1.0",
            &[("X-Auth-User", USER), ("X-Auth-Key", KEY)],
        );
        if let Some((200, head)) = &reply
            && let Some(url) = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("x-storage-url")
                    .then(|| value.trim().to_owned())
            })
        {
            break url;
        }
        if Instant::now() > deadline {
            bail!("tempauth did not hand out a token within 30 s: {reply:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let auth = layout.auth_url();
    std::fs::write(
        layout.dir.join("env"),
        format!(
            "# source me: . {dir}/env\n\
             export ST_AUTH={auth} ST_USER={USER} ST_KEY={KEY}\n\
             export SNF_SWIFT_AUTH={auth} SNF_SWIFT_STORAGE_URL={storage_url}\n\
             export RCLONE_CONFIG_SNFSWIFT_TYPE=swift RCLONE_CONFIG_SNFSWIFT_AUTH={auth} \
             RCLONE_CONFIG_SNFSWIFT_USER={USER} RCLONE_CONFIG_SNFSWIFT_KEY={KEY}\n",
            dir = layout.dir.display()
        ),
    )?;
    say(
        started,
        format!(
            "Swift is up: auth {auth} ({USER}/{KEY}) -> {storage_url}; data on {}; \
             stop with `cargo xtask swift down`",
            std::fs::read_to_string(layout.run().join("fs")).unwrap_or_default()
        ),
    );
    Ok(())
}

/// The (name, pid) pairs `up` recorded.
fn recorded(layout: &Layout) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(layout.run()) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "pid")
                && let (Some(name), Ok(text)) = (
                    path.file_stem().and_then(|s| s.to_str()),
                    std::fs::read_to_string(&path),
                )
                && let Ok(pid) = text.trim().parse()
            {
                out.push((name.to_owned(), pid));
            }
        }
    }
    out.sort();
    out
}

/// Alive and not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().next() != Some("Z"))
        })
        .unwrap_or(false)
}

/// Whether `pid` is still the process `up` started under `name` (guards
/// against a reused pid).
fn ours(layout: &Layout, name: &str, pid: u32) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
    if name == "memcached" {
        cmdline.contains("memcached") && cmdline.contains(&layout.memcached_port().to_string())
    } else {
        cmdline.contains(&layout.etc().display().to_string())
    }
}

/// The children of `pid` (Swift's forked workers).
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in entries.flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let parent = std::fs::read_to_string(format!("/proc/{child}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
            });
        if parent == Some(pid) {
            out.push(child);
        }
    }
    out
}

fn signal(pid: u32, sig: &str) {
    quiet(
        Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string()),
    );
}

pub(crate) fn down(layout: &Layout) -> Result<()> {
    let mut parents = Vec::new();
    let mut all = Vec::new();
    for (name, pid) in recorded(layout) {
        if alive(pid) && ours(layout, &name, pid) {
            parents.push((name.clone(), pid));
            all.push((name.clone(), pid));
            for child in children(pid) {
                all.push((format!("{name} worker"), child));
            }
        }
    }
    // A Swift parent stops its own workers on SIGTERM.
    for (_, pid) in &parents {
        signal(*pid, "TERM");
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while all.iter().any(|(_, p)| alive(*p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    for (name, pid) in &all {
        if alive(*pid) {
            eprintln!("swift: {name} ({pid}) ignored SIGTERM; sending SIGKILL");
            signal(*pid, "KILL");
        }
    }
    if all.is_empty() {
        eprintln!("swift: no process of ours was running");
    } else {
        eprintln!("swift: stopped {} processes", all.len());
    }
    let device = layout.device();
    if is_mountpoint(&device) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !quiet(Command::new("umount").arg(&device)) {
            if Instant::now() > deadline {
                bail!("could not unmount {}", device.display());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    std::fs::remove_file(layout.image()).ok();
    std::fs::remove_dir_all(layout.node()).ok();
    std::fs::remove_dir_all(layout.run()).ok();
    std::fs::remove_file(layout.dir.join("env")).ok();
    Ok(())
}

fn test(layout: &Layout, root: &Path) -> Result<()> {
    if !healthy(layout) {
        bail!(
            "Swift does not answer at {}: run `cargo xtask swift up` first",
            layout.auth_url()
        );
    }
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(root)
        .args(["test", "-p", "synnefo-pithos", "--test", "swift"])
        .env("SNF_SWIFT_AUTH", layout.auth_url())
        .env("SNF_SWIFT_REQUIRED", "1");
    let status = command.status().context("could not run cargo test")?;
    if !status.success() {
        bail!("the Swift suite failed ({status})");
    }
    Ok(())
}
