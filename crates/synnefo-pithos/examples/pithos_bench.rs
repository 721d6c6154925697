//! The client side of `cargo xtask bench pithos`: one operation per run,
//! reported as a JSON line with the process's own CPU time and peak RSS, so
//! the figures are the client's alone (the emulator runs as another
//! process). Linux only (reads /proc).
//!
//! ```text
//! pithos_bench ceiling BYTES
//! pithos_bench generate FILE BYTES [SEED]
//! pithos_bench write-ceiling FILE BYTES
//! pithos_bench upload   URL TOKEN CONTAINER OBJECT FILE
//! pithos_bench download URL TOKEN CONTAINER OBJECT FILE
//! pithos_bench small-up|small-head|small-get URL TOKEN CONTAINER COUNT SIZE
//! pithos_bench swift-upload|swift-download AUTH_URL USER KEY CONTAINER OBJECT FILE
//! pithos_bench swift-small-up|swift-small-get AUTH_URL USER KEY CONTAINER COUNT SIZE
//! ```
//!
//! The `swift-*` operations log in by tempauth and run the same client
//! code against plain OpenStack Swift (MD5-checked streaming transfers,
//! one request per small object).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use synnefo_astakos::Cloud;
use synnefo_core::{ClientConfig, HttpClient, Request, Token};
use synnefo_pithos::{DownloadOptions, DownloadOutcome, PithosClient, UploadOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let (op, bytes, ops, extra) = runtime.block_on(run(&args));
    let seconds = started.elapsed().as_secs_f64();
    let (cpu, rss) = usage();
    println!(
        "{{\"op\":\"{op}\",\"seconds\":{seconds:.4},\"bytes\":{bytes},\"ops\":{ops},\"cpu_seconds\":{cpu:.4},\"max_rss_bytes\":{rss}{extra}}}"
    );
}

async fn run(args: &[String]) -> (String, u64, u64, String) {
    let op = args.first().map(String::as_str).unwrap_or("");
    match op {
        "ceiling" => {
            let bytes: u64 = args[1].parse().unwrap();
            let block = vec![0xa5u8; 4 << 20];
            let started = Instant::now();
            let mut done = 0u64;
            while done < bytes {
                std::hint::black_box(Sha256::digest(std::hint::black_box(&block)));
                done += block.len() as u64;
            }
            let rate = done as f64 / started.elapsed().as_secs_f64();
            (
                op.into(),
                done,
                1,
                format!(",\"bytes_per_second\":{rate:.0}"),
            )
        }
        "write-ceiling" => {
            // Sequential 4 MiB writes to a new file, flushed: what the
            // file system under FILE allows a download.
            let bytes: u64 = args[2].parse().unwrap();
            let block = vec![0x5au8; 4 << 20];
            let started = Instant::now();
            let mut file = std::fs::File::create(&args[1]).unwrap();
            let mut done = 0u64;
            while done < bytes {
                file.write_all(&block).unwrap();
                done += block.len() as u64;
            }
            file.sync_all().unwrap();
            let rate = done as f64 / started.elapsed().as_secs_f64();
            std::fs::remove_file(&args[1]).ok();
            (
                op.into(),
                done,
                1,
                format!(",\"bytes_per_second\":{rate:.0}"),
            )
        }
        "generate" => {
            let bytes: u64 = args[2].parse().unwrap();
            let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
            let mut file = std::io::BufWriter::new(std::fs::File::create(&args[1]).unwrap());
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut chunk = vec![0u8; 1 << 20];
            let mut left = bytes;
            while left > 0 {
                rng.fill(&mut chunk);
                let n = left.min(chunk.len() as u64) as usize;
                file.write_all(&chunk[..n]).unwrap();
                left -= n as u64;
            }
            file.flush().unwrap();
            (op.into(), bytes, 1, String::new())
        }
        "md5" => {
            // The MD5 of a file, read in 1 MiB pieces: the floor under any
            // verified Swift transfer of it.
            let mut file = std::fs::File::open(&args[1]).unwrap();
            let mut md5 = synnefo_pithos::swift::Md5::new();
            let mut chunk = vec![0u8; 1 << 20];
            let mut bytes = 0u64;
            loop {
                let n = std::io::Read::read(&mut file, &mut chunk).unwrap();
                if n == 0 {
                    break;
                }
                md5.update(&chunk[..n]);
                bytes += n as u64;
            }
            (
                op.into(),
                bytes,
                1,
                format!(",\"md5\":\"{}\"", md5.finish_hex()),
            )
        }
        "upload" | "download" => {
            let pithos = connect(&args[1], &args[2]).await;
            let (container, object, file) = (&args[3], &args[4], Path::new(&args[5]));
            if op == "upload" {
                ensure_container(&pithos, container).await;
                let outcome = pithos
                    .upload_file(container, object, file, &UploadOptions::default())
                    .await
                    .unwrap();
                let extra = format!(
                    ",\"blocks\":{},\"blocks_sent\":{},\"bytes_sent\":{}",
                    outcome.blocks, outcome.blocks_sent, outcome.bytes_sent
                );
                (op.into(), outcome.size, 1, extra)
            } else {
                let options = DownloadOptions {
                    overwrite: true,
                    resume: false,
                    ..DownloadOptions::default()
                };
                let outcome = pithos
                    .download_file(container, object, file, &options)
                    .await
                    .unwrap();
                let DownloadOutcome::Downloaded {
                    size,
                    blocks_fetched,
                    ..
                } = outcome
                else {
                    panic!("not modified");
                };
                (
                    op.into(),
                    size,
                    1,
                    format!(",\"blocks_fetched\":{blocks_fetched}"),
                )
            }
        }
        "small-up" | "small-head" | "small-get" => {
            let pithos = connect(&args[1], &args[2]).await;
            let container = args[3].clone();
            let count: usize = args[4].parse().unwrap();
            let size: usize = args[5].parse().unwrap();
            if op == "small-up" {
                ensure_container(&pithos, &container).await;
            }
            let pithos = &pithos;
            let container = &container;
            let results = futures_util::stream::iter(0..count)
                .map(|i| async move {
                    let name = format!("small/{i:05}");
                    match op {
                        "small-up" => {
                            let mut data = vec![0u8; size];
                            fastrand::Rng::with_seed(i as u64).fill(&mut data);
                            pithos
                                .upload_bytes(
                                    container,
                                    &name,
                                    Bytes::from(data),
                                    &UploadOptions::default(),
                                )
                                .await
                                .unwrap();
                            size as u64
                        }
                        "small-head" => {
                            let request = Request::head()
                                .segment(pithos.account())
                                .segment(container)
                                .object_path(&name);
                            pithos.endpoint().send(request).await.unwrap();
                            0
                        }
                        _ => pithos
                            .get_object_verified(container, &name)
                            .await
                            .unwrap()
                            .len() as u64,
                    }
                })
                .buffer_unordered(16)
                .collect::<Vec<u64>>()
                .await;
            (op.into(), results.iter().sum(), count as u64, String::new())
        }
        "swift-upload" | "swift-download" => {
            let client = swift_connect(&args[1], &args[2], &args[3]).await;
            let (container, object, file) = (&args[4], &args[5], Path::new(&args[6]));
            // SNF_BENCH_NO_MD5: as python-swiftclient's --ignore-checksum.
            let check_md5 = std::env::var_os("SNF_BENCH_NO_MD5").is_none();
            if op == "swift-upload" {
                ensure_container(&client, container).await;
                let options = UploadOptions {
                    check_md5,
                    ..UploadOptions::default()
                };
                let outcome = client
                    .upload_file(container, object, file, &options)
                    .await
                    .unwrap();
                (op.into(), outcome.size, 1, String::new())
            } else {
                let options = DownloadOptions {
                    overwrite: true,
                    resume: false,
                    check_md5,
                    ..DownloadOptions::default()
                };
                let DownloadOutcome::Downloaded { size, .. } = client
                    .download_file(container, object, file, &options)
                    .await
                    .unwrap()
                else {
                    panic!("not modified");
                };
                (op.into(), size, 1, String::new())
            }
        }
        "swift-clean" => {
            // Deletes the named containers with everything in them, so that
            // runs do not fill the server's disk.
            let client = swift_connect(&args[1], &args[2], &args[3]).await;
            let mut deleted = 0u64;
            for container in &args[4..] {
                let entries: Vec<synnefo_pithos::ListingEntry> = client
                    .list_objects_stream(container, &synnefo_pithos::ListObjectsOptions::default())
                    .filter_map(|entry| async move { entry.ok() })
                    .collect()
                    .await;
                let names: Vec<String> = entries.iter().map(|e| e.name().to_owned()).collect();
                let client = &client;
                deleted += futures_util::stream::iter(names)
                    .map(|name| async move {
                        client
                            .delete_object(
                                container,
                                &name,
                                &synnefo_pithos::DeleteObject::default(),
                            )
                            .await
                            .is_ok() as u64
                    })
                    .buffer_unordered(16)
                    .collect::<Vec<u64>>()
                    .await
                    .iter()
                    .sum::<u64>();
                let _ = client
                    .delete_container(container, &synnefo_pithos::DeleteContainer::default())
                    .await;
            }
            (op.into(), 0, deleted, String::new())
        }
        "swift-small-up" | "swift-small-get" => {
            let client = swift_connect(&args[1], &args[2], &args[3]).await;
            let container = args[4].clone();
            let count: usize = args[5].parse().unwrap();
            let size: usize = args[6].parse().unwrap();
            if op == "swift-small-up" {
                ensure_container(&client, &container).await;
            }
            let client = &client;
            let container = &container;
            let results = futures_util::stream::iter(0..count)
                .map(|i| async move {
                    let name = format!("small/{i:05}");
                    if op == "swift-small-up" {
                        let mut data = vec![0u8; size];
                        fastrand::Rng::with_seed(i as u64).fill(&mut data);
                        client
                            .upload_bytes(
                                container,
                                &name,
                                Bytes::from(data),
                                &UploadOptions::default(),
                            )
                            .await
                            .unwrap();
                        size as u64
                    } else {
                        client
                            .get_object_verified(container, &name)
                            .await
                            .unwrap()
                            .len() as u64
                    }
                })
                .buffer_unordered(16)
                .collect::<Vec<u64>>()
                .await;
            (op.into(), results.iter().sum(), count as u64, String::new())
        }
        _ => panic!("unknown operation {op:?}"),
    }
}

async fn connect(url: &str, token: &str) -> PithosClient {
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    let cloud = Cloud::connect(http, url, Token::new(token)).await.unwrap();
    cloud.client().unwrap()
}

async fn swift_connect(auth_url: &str, user: &str, key: &str) -> PithosClient {
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    synnefo_pithos::swift::tempauth(&http, auth_url, user, key)
        .await
        .unwrap()
}

async fn ensure_container(pithos: &PithosClient, container: &str) {
    let request = Request::put().segment(pithos.account()).segment(container);
    pithos.endpoint().send(request).await.unwrap();
}

/// CPU seconds (user + system) and peak RSS in bytes of this process.
fn usage() -> (f64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 here.
    let cpu = (ticks(11) + ticks(12)) as f64 / 100.0;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    (cpu, rss_kib * 1024)
}
