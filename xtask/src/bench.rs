//! `cargo xtask bench pithos`: the Pithos transfer engine against
//! synnefo-sim on loopback, the emulator as a separate process so every
//! client figure (time, CPU, peak RSS) is the client's alone.
//!
//! Throughputs are reported as ratios to this machine's single-core sha256
//! speed, measured in the same run, never as bare numbers to compare across
//! machines.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const GIB: f64 = (1u64 << 30) as f64;
const MIB: f64 = (1u64 << 20) as f64;

/// One client run's report.
#[derive(Debug, Default)]
struct Run {
    seconds: f64,
    bytes: f64,
    ops: f64,
    cpu_seconds: f64,
    max_rss_bytes: f64,
    bytes_per_second: f64,
    blocks_sent: Option<u64>,
}

fn field(line: &str, name: &str) -> Option<f64> {
    let key = format!("\"{name}\":");
    let start = line.find(&key)? + key.len();
    let rest = &line[start..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().trim_matches('"').parse().ok()
}

fn parse(line: &str) -> Run {
    Run {
        seconds: field(line, "seconds").unwrap_or(0.0),
        bytes: field(line, "bytes").unwrap_or(0.0),
        ops: field(line, "ops").unwrap_or(0.0),
        cpu_seconds: field(line, "cpu_seconds").unwrap_or(0.0),
        max_rss_bytes: field(line, "max_rss_bytes").unwrap_or(0.0),
        bytes_per_second: field(line, "bytes_per_second").unwrap_or(0.0),
        blocks_sent: field(line, "blocks_sent").map(|v| v as u64),
    }
}

struct Sim(Child);

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the Pithos benchmark; `sizes` are the big-object sizes in GiB;
/// the files live under `dir`.
pub(crate) fn pithos(root: &Path, sizes: &[u64], dir: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "synnefo-sim",
            "--bin",
            "synnefo-sim",
        ])
        .status()?;
    if !status.success() {
        bail!("building synnefo-sim failed");
    }
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "synnefo-pithos",
            "--example",
            "pithos_bench",
        ])
        .status()?;
    if !status.success() {
        bail!("building the benchmark client failed");
    }
    let release = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("release");
    let client = release.join("examples").join("pithos_bench");
    let run = |args: &[&str]| -> Result<Run> {
        let output = Command::new(&client).args(args).output()?;
        if !output.status.success() {
            bail!(
                "pithos_bench {} failed: {}",
                args.first().unwrap_or(&""),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let line = String::from_utf8_lossy(&output.stdout).into_owned();
        Ok(parse(line.trim()))
    };

    eprintln!("bench: measuring single-core sha256 (the ceiling)");
    let ceiling = run(&["ceiling", &(2u64 << 30).to_string()])?.bytes_per_second;

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut child = Command::new(release.join("synnefo-sim"))
        .args(["serve", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("could not start synnefo-sim")?;
    let stdout = child.stdout.take().context("no stdout from synnefo-sim")?;
    let sim_pid = child.id();
    let _sim = Sim(child);
    let mut url = String::new();
    let mut token = String::new();
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line?;
        if let Some(u) = line.strip_prefix("identity URL: ") {
            url = u.trim().to_owned();
        } else if let Some(t) = line
            .split_whitespace()
            .find_map(|f| f.strip_prefix("token="))
        {
            token = t.to_owned();
            break;
        }
    }
    // Keep draining the emulator's output: a closed pipe would stop it.
    std::thread::spawn(move || lines.for_each(drop));
    if url.is_empty() || token.is_empty() {
        bail!("synnefo-sim did not print its URL and a token");
    }

    let dir = dir.join(format!("snf-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    eprintln!("bench: measuring file writes under {}", dir.display());
    let write_ceiling = run(&[
        "write-ceiling",
        path(&dir.join("ceiling")),
        &(1u64 << 30).to_string(),
    ])?
    .bytes_per_second;
    let mut rows: Vec<[String; 6]> = Vec::new();
    let ratio = |bytes: f64, seconds: f64| (bytes / seconds) / ceiling;
    for &gib in sizes {
        let size = gib << 30;
        let source = dir.join(format!("random-{gib}g"));
        let target = dir.join(format!("download-{gib}g"));
        eprintln!("bench: {gib} GiB of random data");
        run(&[
            "generate",
            path(&source),
            &size.to_string(),
            &gib.to_string(),
        ])?;
        let object = format!("big-{gib}g");
        for (label, op, file) in [
            ("upload (fresh)", "upload", &source),
            ("upload (again, all present)", "upload", &source),
            ("download (verified)", "download", &target),
        ] {
            eprintln!("bench: {label}, {gib} GiB");
            let sim_before = cpu_seconds_of(sim_pid);
            let r = run(&[op, &url, &token, "bench", &object, path(file)])?;
            let sim_cpu = cpu_seconds_of(sim_pid) - sim_before;
            let mut note = format!("emulator CPU {:.2} s/GiB", sim_cpu / (r.bytes / GIB));
            if let Some(sent) = r.blocks_sent {
                note.push_str(&format!("; {sent} blocks sent"));
            }
            rows.push([
                format!("{label}, {gib} GiB"),
                format!("{:.2} GiB/s", r.bytes / r.seconds / GIB),
                format!("{:.2}x", ratio(r.bytes, r.seconds)),
                format!("{:.2} s/GiB", r.cpu_seconds / (r.bytes / GIB)),
                format!("{:.1} MiB", r.max_rss_bytes / MIB),
                note,
            ]);
        }
        if files_differ(&source, &target)? {
            bail!("the downloaded file differs from the uploaded one");
        }
        std::fs::remove_file(&source).ok();
        std::fs::remove_file(&target).ok();
    }
    for (label, op) in [
        ("1,000 x 4 KiB up", "small-up"),
        ("1,000 x 4 KiB HEAD", "small-head"),
        ("1,000 x 4 KiB down (verified)", "small-get"),
    ] {
        eprintln!("bench: {label}");
        let r = run(&[op, &url, &token, "small", "1000", "4096"])?;
        rows.push([
            label.to_owned(),
            format!("{:.0} ops/s", r.ops / r.seconds),
            String::new(),
            format!("{:.3} s total", r.cpu_seconds),
            format!("{:.1} MiB", r.max_rss_bytes / MIB),
            String::new(),
        ]);
    }
    std::fs::remove_dir_all(&dir).ok();

    println!("single-core sha256 ceiling: {:.2} GiB/s", ceiling / GIB);
    println!(
        "file write ceiling under {}: {:.2} GiB/s (a download cannot beat it)",
        dir.parent().unwrap_or(&dir).display(),
        write_ceiling / GIB
    );
    println!();
    let header = [
        "operation",
        "throughput",
        "x ceiling",
        "client CPU",
        "client peak RSS",
        "note",
    ];
    print_table(&header, &rows);
    Ok(())
}

/// CPU seconds (user + system) used so far by process `pid` (Linux).
fn cpu_seconds_of(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    ticks as f64 / 100.0
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

/// Compares two files chunk by chunk.
fn files_differ(a: &Path, b: &Path) -> Result<bool> {
    use std::io::Read;
    let mut fa = std::fs::File::open(a)?;
    let mut fb = std::fs::File::open(b)?;
    let mut ba = vec![0u8; 1 << 20];
    let mut bb = vec![0u8; 1 << 20];
    loop {
        let na = read_full(&mut fa, &mut ba)?;
        let nb = read_full(&mut fb, &mut bb)?;
        if na != nb || ba[..na] != bb[..nb] {
            return Ok(true);
        }
        if na == 0 {
            return Ok(false);
        }
    }
    fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            let n = f.read(&mut buf[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        Ok(filled)
    }
}

/// One external command's figures: wall seconds, CPU seconds (user +
/// system, children included) and peak RSS, measured by a python wrapper
/// (`getrusage(RUSAGE_CHILDREN)`), since std has no child rusage.
fn measured(command: &[&str], env: &[(String, String)]) -> Result<Run> {
    let wrapper = "import resource, subprocess, sys, time\n\
                   t = time.monotonic()\n\
                   r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
                   s = time.monotonic() - t\n\
                   u = resource.getrusage(resource.RUSAGE_CHILDREN)\n\
                   sys.stderr.write(r.stderr.decode(errors='replace')[-2000:])\n\
                   print('{\"seconds\":%f,\"cpu_seconds\":%f,\"max_rss_bytes\":%d,\"rc\":%d}' % (s, u.ru_utime + u.ru_stime, u.ru_maxrss * 1024, r.returncode))\n";
    let output = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(wrapper)
        .args(command)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .with_context(|| format!("could not run {}", command.join(" ")))?;
    let line = String::from_utf8_lossy(&output.stdout).into_owned();
    if field(&line, "rc") != Some(0.0) {
        bail!(
            "`{}` failed: {}",
            command.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(parse(line.trim()))
}

/// A download's run, if it left a file with exactly the bytes uploaded:
/// a tool that fails quietly (or whose upload failed) gives no row.
fn whole_download(run: Result<Run>, source: &Path, target: &Path) -> Result<Run> {
    let run = run?;
    if !target.exists() {
        bail!("no file was written");
    }
    if files_differ(source, target)? {
        bail!("the file downloaded differs from the one uploaded");
    }
    Ok(run)
}

/// A token and storage URL by tempauth, for curl.
fn tempauth_curl(auth: &str) -> Result<(String, String)> {
    let output = Command::new("curl")
        .args(["-fsS", "-D", "-", "-o", "/dev/null"])
        .args(["-H", &format!("X-Auth-User: {}", crate::swift::USER)])
        .args(["-H", &format!("X-Auth-Key: {}", crate::swift::KEY)])
        .arg(auth)
        .output()
        .context("could not run curl")?;
    let head = String::from_utf8_lossy(&output.stdout).into_owned();
    let find = |name: &str| {
        head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    match (find("x-storage-url"), find("x-auth-token")) {
        (Some(url), Some(token)) => Ok((url, token)),
        _ => bail!("tempauth at {auth} gave no storage URL and token: {head}"),
    }
}

fn on_path(binary: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(binary).is_file()))
        .unwrap_or(false)
}

/// `cargo xtask bench swift`: our client, bare curl, python-swiftclient and
/// rclone (when installed) against the Swift of `cargo xtask swift up`.
pub(crate) fn swift(root: &Path, size_mib: u64, dir: &Path) -> Result<()> {
    let layout = crate::swift::Layout::from_env()?;
    let auth = layout.auth_url();
    let (storage_url, token) = tempauth_curl(&auth)
        .with_context(|| format!("no Swift at {auth}: start it with `cargo xtask swift up`"))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "synnefo-pithos",
            "--example",
            "pithos_bench",
        ])
        .status()?;
    if !status.success() {
        bail!("building the benchmark client failed");
    }
    let client = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("release")
        .join("examples")
        .join("pithos_bench");
    let client = path(&client).to_owned();
    let (user, key) = (crate::swift::USER, crate::swift::KEY);
    let dir = dir.join(format!("snf-swift-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let size = size_mib << 20;
    let source = dir.join("random");
    let target = dir.join("download");
    let small = dir.join("small");
    std::fs::create_dir_all(&small)?;
    measured(
        &[&client, "generate", path(&source), &size.to_string()],
        &[],
    )?;
    for i in 0..1000u32 {
        let mut data = vec![0u8; 4096];
        for (j, b) in data.iter_mut().enumerate() {
            *b = (i as usize * 31 + j * 7) as u8;
        }
        std::fs::write(small.join(format!("{i:05}")), data)?;
    }
    let run_id = std::process::id();
    let env = vec![
        ("ST_AUTH".to_owned(), auth.clone()),
        ("ST_USER".to_owned(), user.to_owned()),
        ("ST_KEY".to_owned(), key.to_owned()),
        ("RCLONE_CONFIG_SNFSWIFT_TYPE".to_owned(), "swift".to_owned()),
        ("RCLONE_CONFIG_SNFSWIFT_AUTH".to_owned(), auth.clone()),
        ("RCLONE_CONFIG_SNFSWIFT_USER".to_owned(), user.to_owned()),
        ("RCLONE_CONFIG_SNFSWIFT_KEY".to_owned(), key.to_owned()),
    ];
    let gib = size as f64 / GIB;
    // (tool, operation, run)
    let mut results: Vec<(String, String, Run)> = Vec::new();
    let mut record = |tool: &str, op: &str, run: Result<Run>| match run {
        Ok(run) => results.push((tool.to_owned(), op.to_owned(), run)),
        Err(error) => eprintln!("bench: {tool} {op}: {error:#}"),
    };
    let big_up = format!("{size_mib} MiB up");
    let big_down = format!("{size_mib} MiB down");
    // The same transfers without the MD5 check, for both tools that can
    // skip it (python-swiftclient's --ignore-checksum), to compare like
    // with like: MD5 is most of the CPU a verified transfer costs.
    let big_up_unchecked = format!("{size_mib} MiB up, MD5 unchecked");
    let big_down_unchecked = format!("{size_mib} MiB down, MD5 unchecked");
    let no_md5 = [("SNF_BENCH_NO_MD5".to_owned(), "1".to_owned())];
    let auth_header = format!("X-Auth-Token: {token}");

    // The floor under every verified transfer: MD5 over the file, ours and
    // OpenSSL's (the one python-swiftclient's hashlib uses), no network.
    let md5_op = format!("MD5 of {size_mib} MiB (no network)");
    record(
        "synnefo-pithos",
        &md5_op,
        measured(&[&client, "md5", path(&source)], &[]),
    );
    if on_path("openssl") {
        record(
            "openssl dgst -md5",
            &md5_op,
            measured(&["openssl", "dgst", "-md5", path(&source)], &[]),
        );
    }

    eprintln!("bench: curl (the server's ceiling)");
    let c = format!("curl-{run_id}");
    tempauth_curl(&auth)?;
    measured(
        &[
            "curl",
            "-fsS",
            "-X",
            "PUT",
            "-H",
            &auth_header,
            &format!("{storage_url}/{c}"),
        ],
        &[],
    )?;
    let url = format!("{storage_url}/{c}/big");
    record(
        "curl",
        &big_up,
        measured(
            &[
                "curl",
                "-fsS",
                "-o",
                "/dev/null",
                "-H",
                &auth_header,
                "-T",
                path(&source),
                &url,
            ],
            &[],
        ),
    );
    record(
        "curl",
        &big_down,
        whole_download(
            measured(
                &[
                    "curl",
                    "-fsS",
                    "-H",
                    &auth_header,
                    "-o",
                    path(&target),
                    &url,
                ],
                &[],
            ),
            &source,
            &target,
        ),
    );
    std::fs::remove_file(&target).ok();

    eprintln!("bench: synnefo-pithos");
    let c = format!("snf-{run_id}");
    record(
        "synnefo-pithos",
        &big_up,
        measured(
            &[
                &client,
                "swift-upload",
                &auth,
                user,
                key,
                &c,
                "big",
                path(&source),
            ],
            &[],
        ),
    );
    record(
        "synnefo-pithos",
        &big_down,
        whole_download(
            measured(
                &[
                    &client,
                    "swift-download",
                    &auth,
                    user,
                    key,
                    &c,
                    "big",
                    path(&target),
                ],
                &[],
            ),
            &source,
            &target,
        ),
    );
    std::fs::remove_file(&target).ok();
    record(
        "synnefo-pithos",
        &big_up_unchecked,
        measured(
            &[
                &client,
                "swift-upload",
                &auth,
                user,
                key,
                &c,
                "big-unchecked",
                path(&source),
            ],
            &no_md5,
        ),
    );
    record(
        "synnefo-pithos",
        &big_down_unchecked,
        whole_download(
            measured(
                &[
                    &client,
                    "swift-download",
                    &auth,
                    user,
                    key,
                    &c,
                    "big-unchecked",
                    path(&target),
                ],
                &no_md5,
            ),
            &source,
            &target,
        ),
    );
    std::fs::remove_file(&target).ok();
    record(
        "synnefo-pithos",
        "1,000 x 4 KiB up",
        measured(
            &[
                &client,
                "swift-small-up",
                &auth,
                user,
                key,
                &c,
                "1000",
                "4096",
            ],
            &[],
        ),
    );
    record(
        "synnefo-pithos",
        "1,000 x 4 KiB down",
        measured(
            &[
                &client,
                "swift-small-get",
                &auth,
                user,
                key,
                &c,
                "1000",
                "4096",
            ],
            &[],
        ),
    );

    if on_path("swift") {
        eprintln!("bench: python-swiftclient");
        let c = format!("pyswift-{run_id}");
        record(
            "python-swiftclient",
            &big_up,
            measured(
                &["swift", "upload", &c, path(&source), "--object-name", "big"],
                &env,
            ),
        );
        record(
            "python-swiftclient",
            &big_down,
            whole_download(
                measured(&["swift", "download", &c, "big", "-o", path(&target)], &env),
                &source,
                &target,
            ),
        );
        std::fs::remove_file(&target).ok();
        record(
            "python-swiftclient",
            &big_up_unchecked,
            measured(
                &[
                    "swift",
                    "upload",
                    "--ignore-checksum",
                    &c,
                    path(&source),
                    "--object-name",
                    "big-unchecked",
                ],
                &env,
            ),
        );
        record(
            "python-swiftclient",
            &big_down_unchecked,
            whole_download(
                measured(
                    &[
                        "swift",
                        "download",
                        "--ignore-checksum",
                        &c,
                        "big-unchecked",
                        "-o",
                        path(&target),
                    ],
                    &env,
                ),
                &source,
                &target,
            ),
        );
        std::fs::remove_file(&target).ok();
        record(
            "python-swiftclient",
            "1,000 x 4 KiB up",
            measured(
                &[
                    "swift",
                    "upload",
                    &c,
                    path(&small),
                    "--object-name",
                    "small",
                ],
                &env,
            ),
        );
        let down = dir.join("pyswift-small");
        record(
            "python-swiftclient",
            "1,000 x 4 KiB down",
            measured(
                &["swift", "download", &c, "-p", "small/", "-D", path(&down)],
                &env,
            ),
        );
        std::fs::remove_dir_all(&down).ok();
    } else {
        eprintln!(
            "bench: python-swiftclient (`swift`) not installed: `pip install python-swiftclient`"
        );
    }
    if on_path("rclone") {
        eprintln!("bench: rclone");
        let c = format!("rclone-{run_id}");
        let remote = format!("snfswift:{c}");
        record(
            "rclone",
            &big_up,
            measured(
                &["rclone", "copyto", path(&source), &format!("{remote}/big")],
                &env,
            ),
        );
        record(
            "rclone",
            &big_down,
            whole_download(
                measured(
                    &["rclone", "copyto", &format!("{remote}/big"), path(&target)],
                    &env,
                ),
                &source,
                &target,
            ),
        );
        std::fs::remove_file(&target).ok();
        record(
            "rclone",
            "1,000 x 4 KiB up",
            measured(
                &[
                    "rclone",
                    "copy",
                    "--transfers",
                    "16",
                    path(&small),
                    &format!("{remote}/small"),
                ],
                &env,
            ),
        );
        let down = dir.join("rclone-small");
        record(
            "rclone",
            "1,000 x 4 KiB down",
            measured(
                &[
                    "rclone",
                    "copy",
                    "--transfers",
                    "16",
                    &format!("{remote}/small"),
                    path(&down),
                ],
                &env,
            ),
        );
    } else {
        eprintln!("bench: rclone not installed: `apt-get install rclone`");
    }
    // Leave the server as it was: four 1 GiB objects a run would soon fill
    // a test node's disk (and Swift then answers 503).
    let containers = ["curl", "snf", "pyswift", "rclone"].map(|t| format!("{t}-{run_id}"));
    let mut clean = vec![client.as_str(), "swift-clean", auth.as_str(), user, key];
    clean.extend(containers.iter().map(String::as_str));
    if let Err(error) = measured(&clean, &[]) {
        eprintln!("bench: cleaning up the containers on Swift failed: {error:#}");
    }
    std::fs::remove_dir_all(&dir).ok();

    // The table: per operation, each tool's rate, CPU and RSS, and its
    // ratios to ours.
    let ours = |op: &str| {
        results
            .iter()
            .find(|(t, o, _)| t == "synnefo-pithos" && o == op)
            .map(|(_, _, r)| (r.seconds, r.cpu_seconds))
    };
    let mut rows: Vec<[String; 7]> = Vec::new();
    for (tool, op, r) in &results {
        let big = !op.contains("4 KiB");
        let (rate, cpu) = if big {
            (
                format!("{:.0} MiB/s", size as f64 / r.seconds / MIB),
                format!("{:.2} s/GiB", r.cpu_seconds / gib),
            )
        } else {
            (
                format!("{:.0} obj/s", 1000.0 / r.seconds),
                format!("{:.2} s", r.cpu_seconds),
            )
        };
        let (speed_ratio, cpu_ratio) = match ours(op) {
            Some((seconds, cpu_seconds)) => (
                format!("{:.2}x", r.seconds / seconds),
                if cpu_seconds > 0.0 {
                    format!("{:.2}x", r.cpu_seconds / cpu_seconds)
                } else {
                    String::new()
                },
            ),
            None => (String::new(), String::new()),
        };
        rows.push([
            op.clone(),
            tool.clone(),
            rate,
            cpu,
            format!("{:.1} MiB", r.max_rss_bytes / MIB),
            speed_ratio,
            cpu_ratio,
        ]);
    }
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    println!(
        "Swift at {auth}; {size_mib} MiB object from {}; client CPU = user + system of the client process",
        dir.parent().unwrap_or(&dir).display()
    );
    println!(
        "ratios: the tool's wall time and CPU over synnefo-pithos' (>1 = synnefo-pithos is faster / leaner)\n"
    );
    let header = [
        "operation",
        "client",
        "throughput",
        "client CPU",
        "peak RSS",
        "time / ours",
        "CPU / ours",
    ];
    print_table(&header, &rows);
    Ok(())
}

/// Prints a Markdown table, columns padded to their widest cell.
fn print_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.len());
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    line(&header.map(String::from));
    line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
    for row in rows {
        line(row);
    }
}
