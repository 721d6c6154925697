//! The HTTP server: listener, connection loop, fault application, request
//! recording and graceful stop.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use time::OffsetDateTime;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::astakos::Astakos;
use crate::body::{SimBody, into_sim_body};
use crate::catalog::{ACCOUNT_PATH, COMPUTE_PATH, IDENTITY_PATH, PITHOS_PATH, VOLUME_PATH};
use crate::compute::Cyclades;
use crate::config::{SimConfig, UserSpec, validate_users};
use crate::error::SimError;
use crate::fault_body::Fault;
use crate::faults::{FaultAction, Faults};
use crate::pithos::{Pithos, PithosStats};
use crate::recording::{RecordedRequest, Recorder};
use crate::request::ApiRequest;
use crate::response::{ApiResponse, status_code};
use crate::router;
use crate::state::SimState;

/// Largest request body the simulator reads (larger ones get `413`).
pub(crate) const MAX_BODY: usize = 64 * 1024 * 1024;

/// How long [`SimHandle::stop`] waits for open requests to finish.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Requests with bodies at least this large are answered on the blocking
/// thread pool (their handlers hash data).
const OFFLOAD_BODY: usize = 256 * 1024;

/// Returned by the service to make hyper close the connection unanswered.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose by synnefo-sim")]
struct Dropped;

/// What every connection task shares.
struct Shared {
    state: SimState,
    faults: Faults,
    recorder: Recorder,
}

/// Entry point: starts simulators.
#[derive(Debug)]
pub struct Sim;

impl Sim {
    /// Starts a simulator with [`SimConfig::default()`]: the built-in users
    /// on `127.0.0.1` and a free port.
    pub async fn start() -> Result<SimHandle, SimError> {
        Self::start_with(SimConfig::default()).await
    }

    /// Starts a simulator and returns once it is accepting connections.
    ///
    /// The server runs on the current Tokio runtime until
    /// [`SimHandle::stop`] is awaited or the handle is dropped.
    pub async fn start_with(config: SimConfig) -> Result<SimHandle, SimError> {
        validate_users(&config.users)?;
        let pithos = Arc::new(Pithos::new(&config)?);
        let addr = SocketAddr::new(config.host, config.port);
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| SimError::Bind { addr, source })?;
        let local = listener.local_addr()?;
        let public_ip = match local.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let base_url = format!("http://{}", SocketAddr::new(public_ip, local.port()));
        let faults = Faults::new(config.seed);
        let recorder = Recorder::default();
        let astakos = Arc::new(Astakos::new(
            &config,
            config.astakos_admins.iter().cloned().collect(),
            OffsetDateTime::now_utc(),
        ));
        let cyclades = Arc::new(Cyclades::new(&config, &base_url, astakos.clone()));
        let shared = Arc::new(Shared {
            state: SimState::new(
                base_url.clone(),
                config.users.clone(),
                OffsetDateTime::now_utc(),
                pithos.clone(),
                cyclades.clone(),
                astakos,
            ),
            faults: faults.clone(),
            recorder: recorder.clone(),
        });
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, shared, shutdown_rx));
        tracing::debug!(%base_url, "synnefo-sim started");
        Ok(SimHandle {
            addr: local,
            base_url,
            users: config.users,
            faults,
            recorder,
            pithos,
            cyclades,
            shutdown,
            task: Some(task),
        })
    }
}

/// A running simulator. Dropping it stops the server at once; [`stop`]
/// lets open requests finish first.
///
/// [`stop`]: SimHandle::stop
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    base_url: String,
    users: Vec<UserSpec>,
    faults: Faults,
    recorder: Recorder,
    pithos: Arc<Pithos>,
    cyclades: Arc<Cyclades>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// The deployment's base URL, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The identity (Keystone v2.0) URL: `{base}/astakos/identity/v2.0`.
    pub fn identity_url(&self) -> String {
        format!("{}{IDENTITY_PATH}", self.base_url)
    }

    /// The Astakos account URL: `{base}/astakos/account/v1.0`.
    pub fn account_url(&self) -> String {
        format!("{}{ACCOUNT_PATH}", self.base_url)
    }

    /// The Pithos+ object-store URL: `{base}/pithos/object-store/v1`.
    pub fn pithos_url(&self) -> String {
        format!("{}{PITHOS_PATH}", self.base_url)
    }

    /// The Cyclades compute URL: `{base}/cyclades/compute/v2.0` (also the
    /// catalog's `publicURL`).
    pub fn compute_url(&self) -> String {
        format!("{}{COMPUTE_PATH}", self.base_url)
    }

    /// The block storage API root: `{base}/cyclades/volume/v2.0`. The
    /// catalog's `publicURL` is the unversioned `{base}/cyclades/volume`,
    /// as in real deployments; `/v2` works too.
    pub fn volume_url(&self) -> String {
        format!("{}{VOLUME_PATH}/v2.0", self.base_url)
    }

    /// Makes the next server build end in `ERROR` instead of `ACTIVE`
    /// (its NICs and volumes go to `ERROR` too). Each call fails one more
    /// build.
    pub fn fail_next_server_build(&self) {
        self.cyclades.fail_next_build();
    }

    /// The Cyclades quota usage of a user (by UUID), by Astakos resource
    /// name (`cyclades.vm`, `cyclades.cpu`, `cyclades.ram` in bytes…),
    /// summed over projects; every resource is listed.
    pub fn cyclades_usage(&self, user_uuid: &str) -> BTreeMap<String, u64> {
        self.cyclades.usage(user_uuid)
    }

    /// Counters of the Pithos+ emulation (blocks stored, bytes moved…).
    pub fn pithos_stats(&self) -> PithosStats {
        self.pithos.stats()
    }

    /// The Pithos+ block size (`X-Container-Block-Size`) in bytes.
    pub fn pithos_block_size(&self) -> usize {
        self.pithos.block_size()
    }

    /// The socket address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configured users.
    pub fn users(&self) -> &[UserSpec] {
        &self.users
    }

    /// The user with this UUID or display name (case-insensitive).
    pub fn user(&self, name_or_uuid: &str) -> Option<&UserSpec> {
        self.users
            .iter()
            .find(|u| u.uuid == name_or_uuid)
            .or_else(|| {
                let wanted = name_or_uuid.to_lowercase();
                self.users.iter().find(|u| u.name.to_lowercase() == wanted)
            })
    }

    /// The first user's token.
    pub fn token(&self) -> &str {
        self.users.first().map_or("", |u| u.token.as_str())
    }

    /// Fault injection rules, changeable while the server runs.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Every request received so far, in arrival order, including those
    /// answered (or dropped) by an injected fault.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.recorder.snapshot()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.recorder.clear();
    }

    /// Stops accepting connections, lets requests in progress finish (up to
    /// 5 seconds), closes idle keep-alive connections and waits for the
    /// server to end.
    pub async fn stop(mut self) {
        if let Some(task) = self.task.take() {
            let _ = self.shutdown.send(true);
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            let _ = self.shutdown.send(true);
            // Aborting the accept task drops its connection set, which
            // aborts every connection task.
            task.abort();
        }
    }
}

/// Accepts connections until shutdown, then drains them.
async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(stream, shared.clone(), shutdown.clone()));
                }
                Err(error) => {
                    // E.g. too many open files: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(STOP_GRACE, drain).await.is_err() {
        connections.abort_all();
    }
}

/// Serves one HTTP/1.1 connection until it closes or shutdown is asked.
async fn serve_connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |req| handle(shared.clone(), req));
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        _ = shutdown.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Masks what follows `/tokens/` so that logs never show a token.
fn loggable_path(path: &str) -> String {
    match path.find("/tokens/") {
        Some(at) if at + 8 < path.len() => format!("{}***", &path[..at + 8]),
        _ => path.to_owned(),
    }
}

/// Reads, records and answers one request, applying any injected fault.
async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<SimBody>, Dropped> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let (body, too_large) = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => (collected.to_bytes(), false),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => (Bytes::new(), true),
        // The client went away or sent a broken body: nothing to answer.
        Err(_) => return Err(Dropped),
    };
    let req = ApiRequest::new(parts.method, &parts.uri, parts.headers, body);
    let action = if too_large {
        None
    } else {
        shared.faults.pick(req.method.as_str(), &req.path)
    };
    let label = action.as_ref().map(ToString::to_string);
    shared
        .recorder
        .push(RecordedRequest::from_request(&req, label.clone()));
    let path = loggable_path(&req.path);

    let mut cut_body = false;
    let response = match action {
        Some(FaultAction::DropBeforeResponse) => {
            tracing::info!(method = %req.method, %path, fault = label.as_deref().unwrap_or("-"), "dropped without answer");
            return Err(Dropped);
        }
        Some(FaultAction::Status {
            status,
            retry_after,
        }) => {
            let code = status_code(status);
            let message = code.canonical_reason().unwrap_or("Injected fault");
            let mut response = ApiResponse::from(Fault::new(code.as_u16(), message));
            if let Some(value) = retry_after {
                response = response.with_header(header::RETRY_AFTER, &value);
            }
            response
        }
        Some(FaultAction::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            dispatch(&shared, &req).await
        }
        Some(FaultAction::DropMidBody) => {
            cut_body = true;
            dispatch(&shared, &req).await
        }
        None if too_large => ApiResponse::from(Fault::new(413, "Request body too large")),
        None => dispatch(&shared, &req).await,
    };

    let (status, headers, body) = response.finish(OffsetDateTime::now_utc());
    tracing::info!(
        method = %req.method,
        %path,
        status = status.as_u16(),
        fault = label.as_deref().unwrap_or("-"),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    let body = into_sim_body(body, req.is_head(), cut_body);
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Ok(response)
}

/// Answers a request, on the blocking thread pool when its body is large
/// (Pithos handlers hash uploaded data).
async fn dispatch(shared: &Arc<Shared>, req: &ApiRequest) -> ApiResponse {
    if req.body.len() < OFFLOAD_BODY {
        return router::dispatch(&shared.state, req);
    }
    let shared = shared.clone();
    let req = req.clone();
    tokio::task::spawn_blocking(move || router::dispatch(&shared.state, &req))
        .await
        .unwrap_or_else(|_| ApiResponse::from(Fault::unexpected()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_paths_are_masked() {
        assert_eq!(
            loggable_path("/astakos/identity/v2.0/tokens/secret"),
            "/astakos/identity/v2.0/tokens/***"
        );
        assert_eq!(
            loggable_path("/astakos/identity/v2.0/tokens/"),
            "/astakos/identity/v2.0/tokens/"
        );
    }
}
