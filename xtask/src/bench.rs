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
        run(&["generate", path(&source), &size.to_string(), &gib.to_string()])?;
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
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
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
    for row in &rows {
        line(row);
    }
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
