//! The transfer engine over real HTTP against synnefo-sim: deduplicating
//! upload, verified download, resume, faults, conditionals.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use bytes::Bytes;
use futures_util::TryStreamExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use synnefo_astakos::Cloud;
use synnefo_core::{ClientConfig, HttpClient, Request, RetryConfig, Token};
use synnefo_pithos::{
    DownloadOptions, DownloadOutcome, ObjectInfoOptions, PithosClient, Progress, TransferEvent,
    UploadOptions,
};
use synnefo_sim::{FaultAction, FaultRule, Sim, SimConfig, SimHandle};

const BLOCK: usize = 4 * 1024 * 1024;

async fn pithos(sim: &SimHandle) -> PithosClient {
    let config = ClientConfig {
        retry: RetryConfig {
            max_attempts: 6,
            initial_backoff: std::time::Duration::from_millis(5),
            max_backoff: std::time::Duration::from_millis(50),
            ..RetryConfig::default()
        },
        ..ClientConfig::default()
    };
    let http = HttpClient::new(config).unwrap();
    let cloud = Cloud::connect(http, &sim.identity_url(), Token::new(sim.token()))
        .await
        .unwrap();
    let client: PithosClient = cloud.client().unwrap();
    let create = Request::put().segment(client.account()).segment("files");
    client.endpoint().send(create).await.unwrap();
    client
}

/// Random data with a repeated block and an all-zero block:
/// [A][A][zeros][1 MiB tail].
fn tricky_data(seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut a = vec![0u8; BLOCK];
    rng.fill(&mut a);
    let mut tail = vec![0u8; 1024 * 1024];
    rng.fill(&mut tail);
    let mut data = Vec::with_capacity(3 * BLOCK + tail.len());
    data.extend_from_slice(&a);
    data.extend_from_slice(&a);
    data.extend(std::iter::repeat_n(0u8, BLOCK));
    data.extend_from_slice(&tail);
    data
}

fn random(len: usize, seed: u64) -> Vec<u8> {
    let mut data = vec![0u8; len];
    fastrand::Rng::with_seed(seed).fill(&mut data);
    data
}

fn write(dir: &Path, name: &str, data: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

async fn object_exists(client: &PithosClient, object: &str) -> bool {
    let request = Request::head()
        .segment(client.account())
        .segment("files")
        .object_path(object);
    match client.endpoint().send(request).await {
        Ok(_) => true,
        Err(e) if e.is_not_found() => false,
        Err(e) => panic!("{e}"),
    }
}

/// The number of blocks the server stores, once it stopped changing.
async fn settled_block_count(sim: &SimHandle) -> usize {
    let mut last = sim.pithos_stats().blocks_stored;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let now = sim.pithos_stats().blocks_stored;
        if now == last {
            return now;
        }
        last = now;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_with_repeated_and_zero_blocks() {
    let sim = Sim::start().await.unwrap();
    let client = pithos(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let data = tricky_data(1);
    let source = write(dir.path(), "source.bin", &data);

    let outcome = client
        .upload_file(
            "files",
            "dir/tricky file.bin",
            &source,
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(outcome.size, data.len() as u64);
    assert_eq!(outcome.blocks, 4);
    assert_eq!(outcome.blocks_sent, 3, "the repeated block is sent once");
    assert_eq!(outcome.etag.len(), 64);

    let target = dir.path().join("copy.bin");
    let downloaded = client
        .download_file(
            "files",
            "dir/tricky file.bin",
            &target,
            &DownloadOptions::default(),
        )
        .await
        .unwrap();
    let DownloadOutcome::Downloaded {
        blocks_fetched,
        blocks_reused,
        etag,
        ..
    } = downloaded
    else {
        panic!("not modified?")
    };
    // Three distinct blocks; the all-zero one needs no fetch, since a
    // fresh (sparse) partial file already holds it.
    assert_eq!((blocks_fetched, blocks_reused), (2, 1));
    assert_eq!(etag.as_deref(), Some(outcome.etag.as_str()));
    assert!(std::fs::read(&target).unwrap() == data, "file differs");

    let in_memory = client
        .download_bytes("files", "dir/tricky file.bin", &DownloadOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert!(
        in_memory == data,
        "memory download differs (kamaki truncated repeated blocks)"
    );
    let streamed: Vec<Bytes> = client
        .download_stream("files", "dir/tricky file.bin", &DownloadOptions::default())
        .await
        .unwrap()
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(streamed.concat() == data);
    let whole = client
        .get_object_verified("files", "dir/tricky file.bin")
        .await
        .unwrap();
    assert!(whole == data);

    // Existing target: refused unless overwriting is allowed.
    let error = client
        .download_file(
            "files",
            "dir/tricky file.bin",
            &target,
            &DownloadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploading_again_sends_nothing() {
    let sim = Sim::start().await.unwrap();
    let client = pithos(&sim).await;
    let data = Bytes::from(random(2 * BLOCK + 77, 2));
    let first = client
        .upload_bytes("files", "a", data.clone(), &UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(first.blocks_sent, 3);
    let uploads_before = sim.pithos_stats().block_uploads;
    let second = client
        .upload_bytes("files", "b", data, &UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(second.blocks_sent, 0);
    assert_eq!(second.etag, first.etag);
    assert_eq!(sim.pithos_stats().block_uploads, uploads_before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_objects_take_one_request_each_way() {
    let sim = Sim::start().await.unwrap();
    let client = pithos(&sim).await;
    sim.clear_requests();
    let data = Bytes::from(random(4096, 3));
    client
        .upload_bytes("files", "small", data.clone(), &UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(sim.requests().len(), 1);
    sim.clear_requests();
    assert_eq!(
        client.get_object_verified("files", "small").await.unwrap(),
        data
    );
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_upload_leaves_no_object_and_resumes() {
    let sim = Sim::start().await.unwrap();
    let client = pithos(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let blocks = 8;
    let data = random(blocks * BLOCK, 4);
    let source = write(dir.path(), "big.bin", &data);

    // Kill the upload once half of its blocks have been sent.
    let sent = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let stop_tx = std::sync::Mutex::new(Some(stop_tx));
    let counter = sent.clone();
    let half = (blocks * BLOCK / 2) as u64;
    let options = UploadOptions {
        concurrency: 2,
        progress: Some(Progress::new(move |event| {
            if let TransferEvent::Sent(n) = event
                && counter.fetch_add(n, Ordering::SeqCst) + n >= half
                && let Some(tx) = stop_tx.lock().unwrap().take()
            {
                let _ = tx.send(());
            }
        })),
        ..UploadOptions::default()
    };
    let upload = {
        let client = client.clone();
        let source = source.clone();
        tokio::spawn(async move { client.upload_file("files", "big", &source, &options).await })
    };
    stop_rx.await.unwrap();
    upload.abort();
    let _ = upload.await;
    assert!(
        !object_exists(&client, "big").await,
        "a killed upload left an object"
    );

    // Blocks already on the wire when the upload died may still land:
    // wait until the server's count settles.
    let stored = settled_block_count(&sim).await;
    assert!(
        stored >= blocks / 2 && stored < blocks,
        "{stored} blocks stored"
    );
    let rerun = client
        .upload_file("files", "big", &source, &UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(
        rerun.blocks_sent,
        blocks - stored,
        "the rerun sends only what is missing"
    );
    let back = client
        .download_bytes("files", "big", &DownloadOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert!(back == data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_download_resumes_and_a_failed_one_leaves_no_file() {
    let sim = Sim::start().await.unwrap();
    let client = pithos(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let blocks = 8;
    let data = Bytes::from(random(blocks * BLOCK - 5, 5));
    client
        .upload_bytes("files", "obj", data.clone(), &UploadOptions::default())
        .await
        .unwrap();
    let target = dir.path().join("obj.bin");

    // Failing block fetches: an error, and no file that looks whole.
    sim.faults().push(
        FaultRule::new(FaultAction::Status {
            status: 500,
            retry_after: None,
        })
        .method("GET")
        .times(1000),
    );
    let error = client
        .download_file("files", "obj", &target, &DownloadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error}");
    assert!(!target.exists(), "a failed download left the target");
    sim.faults().clear();

    // Interrupted half way: the partial file keeps what arrived.
    let received = Arc::new(AtomicU64::new(0));
    let counter = received.clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let stop_tx = std::sync::Mutex::new(Some(stop_tx));
    let half = (blocks * BLOCK / 2) as u64;
    let options = DownloadOptions {
        concurrency: 1,
        progress: Some(Progress::new(move |event| {
            if let TransferEvent::Received(n) = event
                && counter.fetch_add(n, Ordering::SeqCst) + n >= half
                && let Some(tx) = stop_tx.lock().unwrap().take()
            {
                let _ = tx.send(());
            }
        })),
        ..DownloadOptions::default()
    };
    let download = {
        let client = client.clone();
        let target = target.clone();
        tokio::spawn(async move {
            client
                .download_file("files", "obj", &target, &options)
                .await
        })
    };
    stop_rx.await.unwrap();
    download.abort();
    let _ = download.await;
    assert!(!target.exists(), "an interrupted download left the target");

    let resumed = client
        .download_file("files", "obj", &target, &DownloadOptions::default())
        .await
        .unwrap();
    let DownloadOutcome::Downloaded {
        blocks_reused,
        blocks_fetched,
        ..
    } = resumed
    else {
        panic!("not modified?")
    };
    assert!(blocks_reused >= 3, "{blocks_reused} blocks reused");
    assert_eq!(blocks_reused + blocks_fetched, blocks);
    assert!(
        std::fs::read(&target).unwrap() == data,
        "the resumed file differs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_survive_503s_and_dropped_connections() {
    let sim = Sim::start_with(SimConfig {
        seed: Some(7),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let client = pithos(&sim).await;
    let dir = tempfile::tempdir().unwrap();
    let data = random(256 * 1024 * 1024, 6);
    let source = write(dir.path(), "256m.bin", &data);
    sim.faults()
        .push(FaultRule::error_rate(503, 0.05).path_prefix("/pithos"));
    sim.faults()
        .push(FaultRule::drop_rate(0.02).path_prefix("/pithos"));

    let up = client
        .upload_file("files", "faulty", &source, &UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(up.blocks, 64);
    let target = dir.path().join("back.bin");
    client
        .download_file("files", "faulty", &target, &DownloadOptions::default())
        .await
        .unwrap();
    let faults = sim.requests().iter().filter(|r| r.fault.is_some()).count();
    assert!(faults > 0, "no fault was injected");
    assert!(
        std::fs::read(&target).unwrap() == data,
        "the download differs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conditions_and_readers() {
    let sim = Sim::start().await.unwrap();
    let client = pithos(&sim).await;
    let data = random(BLOCK + 1000, 8);
    // A reader of unknown size.
    let outcome = client
        .upload_reader("files", "streamed", &data[..], &UploadOptions::default())
        .await
        .unwrap();
    assert_eq!(outcome.size, data.len() as u64);
    let unchanged = DownloadOptions {
        conditions: ObjectInfoOptions {
            if_none_match: Some(outcome.etag.clone()),
            ..ObjectInfoOptions::default()
        },
        ..DownloadOptions::default()
    };
    assert_eq!(
        client
            .download_bytes("files", "streamed", &unchanged)
            .await
            .unwrap(),
        None
    );
    let dir = tempfile::tempdir().unwrap();
    let outcome_file = client
        .download_file("files", "streamed", &dir.path().join("x"), &unchanged)
        .await
        .unwrap();
    assert_eq!(outcome_file, DownloadOutcome::NotModified);
    let wrong = DownloadOptions {
        conditions: ObjectInfoOptions {
            if_match: Some("0".repeat(64)),
            ..ObjectInfoOptions::default()
        },
        ..DownloadOptions::default()
    };
    let error = client
        .download_bytes("files", "streamed", &wrong)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(412));
    let back = client
        .download_bytes("files", "streamed", &DownloadOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert!(back == data);
}
