//! Pithos+ object storage (wire §6), mounted at `/pithos/object-store`
//! (API under `/v1`) and `/pithos/public` (published objects).
//!
//! Request flow, like the server's decorators: pick the serialization, check
//! the method (405 + `Allow`), authenticate (401), check name lengths,
//! decode the headers, then run the view. Faults are rendered in the view's
//! serialization.

mod account;
mod blocks;
mod conditional;
mod container;
mod copy;
mod delete;
mod format;
mod hashing;
mod headers;
pub(crate) mod image_file;
mod listing;
mod object_read;
mod object_update;
mod object_write;
mod policy;
pub(crate) mod public;
mod ranges;
mod sharing;
mod store;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use http::Method;
use serde_json::json;

use crate::body::ResponseBody;
use crate::config::{SimConfig, UserSpec};
use crate::error::SimError;
use crate::fault_body::Fault;
use crate::json::to_python_json;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

use blocks::BlockStore;
use format::{FIXED, FORMATTED, LISTING, Ser, View, render_fault, serialization};
use headers::Headers;
use store::Store;

/// Counters of the Pithos+ emulation, for tests and benchmarks
/// ([`crate::SimHandle::pithos_stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PithosStats {
    /// Distinct blocks in the block store.
    pub blocks_stored: usize,
    /// Bytes held by the block store (blocks are kept without their
    /// trailing zero bytes).
    pub bytes_stored: u64,
    /// Blocks received through container `POST` uploads, duplicates
    /// included.
    pub block_uploads: u64,
    /// Request body bytes received by the Pithos+ endpoints.
    pub bytes_received: u64,
    /// Response body bytes sent by the Pithos+ endpoints (object data,
    /// listings, error bodies; nothing for `HEAD`).
    pub bytes_sent: u64,
}

/// The Pithos+ service state.
#[derive(Debug)]
pub(crate) struct Pithos {
    block_size: usize,
    blocks: Arc<BlockStore>,
    store: RwLock<Store>,
    account_quota: u64,
    account_quotas: BTreeMap<String, u64>,
    rng: Mutex<fastrand::Rng>,
    block_uploads: AtomicU64,
    bytes_received: AtomicU64,
    bytes_sent: Arc<AtomicU64>,
}

impl Pithos {
    /// The service for a simulator configuration.
    pub(crate) fn new(config: &SimConfig) -> Result<Self, SimError> {
        if config.block_size == 0 {
            return Err(SimError::InvalidConfig(
                "the Pithos block size must be at least 1 byte".to_owned(),
            ));
        }
        let blocks = match &config.data_dir {
            Some(dir) => BlockStore::on_disk(dir)?,
            None => BlockStore::in_memory(),
        };
        let rng = match config.seed {
            Some(seed) => fastrand::Rng::with_seed(seed ^ 0x7069_7468_6f73),
            None => fastrand::Rng::new(),
        };
        Ok(Self {
            block_size: config.block_size,
            blocks: Arc::new(blocks),
            store: RwLock::new(Store::default()),
            account_quota: config.account_quota,
            account_quotas: config.account_quotas.clone(),
            rng: Mutex::new(rng),
            block_uploads: AtomicU64::new(0),
            bytes_received: AtomicU64::new(0),
            bytes_sent: Arc::new(AtomicU64::new(0)),
        })
    }

    /// The block size.
    pub(crate) fn block_size(&self) -> usize {
        self.block_size
    }

    /// The counters.
    pub(crate) fn stats(&self) -> PithosStats {
        PithosStats {
            blocks_stored: self.blocks.len(),
            bytes_stored: self.blocks.stored_bytes(),
            block_uploads: self.block_uploads.load(Ordering::Relaxed),
            bytes_received: self.bytes_received.load(Ordering::Relaxed),
            bytes_sent: self.bytes_sent.load(Ordering::Relaxed),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes of all current objects of an account (its
    /// `pithos.diskspace` usage).
    pub(crate) fn account_usage(&self, account: &str) -> u64 {
        self.read().accounts.get(account).map_or(0, |a| a.usage())
    }

    /// The quota of an account in bytes (0 = unlimited).
    fn quota(&self, account: &str) -> u64 {
        self.account_quotas
            .get(account)
            .copied()
            .unwrap_or(self.account_quota)
    }

    /// `len` random characters from `alphabet`.
    fn random(&self, alphabet: &[u8], len: usize) -> String {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        (0..len)
            .map(|_| char::from(alphabet[rng.usize(..alphabet.len())]))
            .collect()
    }

    /// A random (version 4) UUID.
    fn new_uuid(&self) -> String {
        let hex = self.random(b"0123456789abcdef", 32);
        let variant = self.random(b"89ab", 1);
        format!(
            "{}-{}-4{}-{}{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[13..16],
            variant,
            &hex[17..20],
            &hex[20..]
        )
    }

    /// A public URL token of `len` characters from `[0-9a-zA-Z]`.
    fn new_token(&self, len: usize) -> String {
        self.random(
            b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            len,
        )
    }

    /// A `multipart/byteranges` boundary: 32 hex digits.
    fn new_boundary(&self) -> String {
        self.random(b"0123456789abcdef", 32)
    }
}

/// What a request addresses below `/v1/`.
#[derive(Debug)]
enum Target {
    Top,
    Account(String),
    Container(String, String),
    Object(String, String, String),
}

/// Splits `<account>[/<container>[/<object>]]` like the server's URL
/// patterns (a trailing `/` after the account or container is tolerated).
fn parse_target(path: &str) -> Option<Target> {
    if path.is_empty() {
        return Some(Target::Top);
    }
    let (account, rest) = path.split_once('/').unwrap_or((path, ""));
    if account.is_empty() {
        return None;
    }
    if rest.is_empty() {
        return Some(Target::Account(account.to_owned()));
    }
    let (container, object) = rest.split_once('/').unwrap_or((rest, ""));
    if container.is_empty() {
        return None;
    }
    if object.is_empty() {
        return Some(Target::Container(account.to_owned(), container.to_owned()));
    }
    Some(Target::Object(
        account.to_owned(),
        container.to_owned(),
        object.to_owned(),
    ))
}

/// Everything a view needs.
pub(crate) struct Ctx<'a> {
    state: &'a SimState,
    pithos: &'a Pithos,
    req: &'a ApiRequest,
    /// The caller's UUID.
    user: &'a str,
    /// The response serialization.
    ser: Ser,
    /// The decoded request headers.
    headers: Headers,
}

impl Ctx<'_> {
    /// Whether the caller owns `account`.
    fn is_owner(&self, account: &str) -> bool {
        self.user == account
    }

    /// Whether a bare query flag (`?update`, `?shared`…) is present.
    fn flag(&self, name: &str) -> bool {
        self.req.query_param(name).is_some()
    }

    /// The public URL of a token.
    fn public_url(&self, token: &str) -> String {
        format!("{}/pithos/public/{token}", self.state.base_url)
    }

    /// Makes sure the caller's own account exists (accounts are created on
    /// first access by their owner).
    fn ensure_own_account(&self, account: &str) {
        if self.is_owner(account) && !self.pithos.read().accounts.contains_key(account) {
            self.pithos.write().account_mut(account);
        }
    }

    /// The body length announced by `Content-Length`, `-1` for chunked
    /// bodies (`None` if missing or invalid).
    fn content_length(&self) -> Option<i64> {
        if self.headers.get("transfer-encoding") == Some("chunked") {
            return Some(-1);
        }
        format::int_param(self.req.header("content-length").as_deref())
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The invalid-token answer of Cyclades and Pithos: the Astakos client's
/// error re-raised as a generic `fault` (wire §0.1).
fn astakos_refusal(message: &str) -> Fault {
    let astakos_body = json!({"unauthorized": {"code": 401, "message": message, "details": ""}});
    Fault {
        name: "fault",
        details: String::from_utf8_lossy(&to_python_json(&astakos_body)).into_owned(),
        ..Fault::new(401, "UNAUTHORIZED")
    }
}

/// Authenticates the caller of a Pithos or Cyclades view: `401
/// unauthorized` without a token, `401 fault` (the re-raised Astakos error)
/// for an invalid token or an inactive user.
pub(crate) fn authenticate<'a>(
    state: &'a SimState,
    req: &ApiRequest,
) -> Result<&'a UserSpec, Fault> {
    let token = req.auth_token().unwrap_or_default();
    if token.is_empty() {
        return Err(Fault::unauthorized(
            "Access denied. No authentication token",
        ));
    }
    match state.users.by_token(&token) {
        Some(user) if user.active => Ok(user),
        Some(_) => Err(astakos_refusal("User inactive")),
        None => Err(astakos_refusal("Invalid token")),
    }
}

/// Routes a request whose path is `/pithos/object-store{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let pithos = &state.pithos;
    pithos
        .bytes_received
        .fetch_add(req.body.len() as u64, Ordering::Relaxed);
    let response = route(state, req, rest);
    count_sent(pithos, req, &response);
    Ok(response)
}

/// Adds a complete body to the sent-bytes counter (streams count
/// themselves while they are sent).
fn count_sent(pithos: &Pithos, req: &ApiRequest, response: &ApiResponse) {
    if let ResponseBody::Full(body) = &response.body
        && !req.is_head()
        && response.status != http::StatusCode::NOT_MODIFIED
        && response.status != http::StatusCode::NO_CONTENT
    {
        pithos
            .bytes_sent
            .fetch_add(body.len() as u64, Ordering::Relaxed);
    }
}

const TOP_METHODS: &[&str] = &["GET"];
const ACCOUNT_METHODS: &[&str] = &["HEAD", "POST", "GET"];
const CONTAINER_METHODS: &[&str] = &["HEAD", "PUT", "POST", "DELETE", "GET"];
const OBJECT_METHODS: &[&str] = &["HEAD", "GET", "PUT", "COPY", "MOVE", "POST", "DELETE"];

fn route(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResponse {
    let target = rest
        .strip_prefix("/v1")
        .filter(|after| after.is_empty() || after.starts_with('/'))
        .map(|after| after.strip_prefix('/').unwrap_or(after))
        .and_then(parse_target);
    let Some(target) = target else {
        return render_fault(Fault::endpoint_not_found(), Ser::Json);
    };
    let method = req.method.as_str();
    let view: Option<View> = match (&target, method) {
        (Target::Top, "GET") => Some(LISTING),
        (Target::Account(_), "HEAD" | "POST") => Some(FIXED),
        (Target::Account(_), "GET") => Some(LISTING),
        (Target::Container(..), "HEAD" | "PUT" | "DELETE") => Some(FIXED),
        (Target::Container(..), "POST") => Some(FORMATTED),
        (Target::Container(..), "GET") => Some(LISTING),
        (Target::Object(..), "HEAD" | "PUT" | "DELETE") => Some(FIXED),
        (Target::Object(..), "POST")
            if req
                .content_type()
                .is_some_and(|t| t.starts_with("multipart/form-data")) =>
        {
            Some(FIXED)
        }
        (Target::Object(..), "GET" | "COPY" | "MOVE" | "POST") => Some(FORMATTED),
        _ => None,
    };
    let Some(view) = view else {
        let allowed = match target {
            Target::Top => TOP_METHODS,
            Target::Account(_) => ACCOUNT_METHODS,
            Target::Container(..) => CONTAINER_METHODS,
            Target::Object(..) => OBJECT_METHODS,
        };
        return render_fault(Fault::not_allowed(allowed), serialization(req, FORMATTED));
    };
    // The top level without any token is the old Swift-style auth stub.
    if matches!(target, Target::Top)
        && req.query_param("X-Auth-Token").is_none()
        && req.header("x-auth-token").is_none()
    {
        return account::auth_stub(state, req)
            .unwrap_or_else(|fault| render_fault(fault, Ser::Json));
    }
    let ser = serialization(req, view);
    let user = match authenticate(state, req) {
        Ok(user) => user,
        Err(fault) => return render_fault(fault, ser),
    };
    let names = match &target {
        Target::Container(_, c) => Some((c.as_str(), "")),
        Target::Object(_, c, o) => Some((c.as_str(), o.as_str())),
        _ => None,
    };
    if let Some((container, object)) = names {
        if container.chars().count() > 256 {
            return render_fault(Fault::bad_request("Container name too large"), ser);
        }
        if object.chars().count() > 1024 {
            return render_fault(Fault::bad_request("Object name too large."), ser);
        }
    }
    let headers = match Headers::decode(req) {
        Ok(headers) => headers,
        Err(fault) => return render_fault(fault, ser),
    };
    let ctx = Ctx {
        state,
        pithos: &state.pithos,
        req,
        user: &user.uuid,
        ser,
        headers,
    };
    let result = match (&target, &req.method) {
        (Target::Top, _) => account::list_accounts(&ctx),
        (Target::Account(a), &Method::HEAD) => account::head(&ctx, a),
        (Target::Account(a), &Method::POST) => account::post(&ctx, a),
        (Target::Account(a), _) => account::get(&ctx, a),
        (Target::Container(a, c), &Method::HEAD) => container::head(&ctx, a, c),
        (Target::Container(a, c), &Method::PUT) => container::put(&ctx, a, c),
        (Target::Container(a, c), &Method::POST) => container::post(&ctx, a, c),
        (Target::Container(a, c), &Method::DELETE) => delete::container(&ctx, a, c),
        (Target::Container(a, c), _) => listing::objects(&ctx, a, c),
        (Target::Object(a, c, o), &Method::HEAD) => object_read::head(&ctx, a, c, o),
        (Target::Object(a, c, o), &Method::GET) => object_read::get(&ctx, a, c, o),
        (Target::Object(a, c, o), &Method::PUT) => object_write::put(&ctx, a, c, o),
        (Target::Object(a, c, o), &Method::POST)
            if req
                .content_type()
                .is_some_and(|t| t.starts_with("multipart/form-data")) =>
        {
            object_write::form(&ctx, a, c, o)
        }
        (Target::Object(a, c, o), &Method::POST) => object_update::post(&ctx, a, c, o),
        (Target::Object(a, c, o), &Method::DELETE) => delete::object(&ctx, a, c, o),
        (Target::Object(a, c, o), method) => {
            copy::copy_or_move(&ctx, a, c, o, method.as_str() == "MOVE")
        }
    };
    result.unwrap_or_else(|fault| render_fault(fault, ser))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert!(matches!(parse_target(""), Some(Target::Top)));
        assert!(matches!(parse_target("a"), Some(Target::Account(a)) if a == "a"));
        assert!(matches!(parse_target("a/"), Some(Target::Account(_))));
        assert!(matches!(parse_target("a/c/"), Some(Target::Container(_, c)) if c == "c"));
        assert!(matches!(parse_target("a/c/d/e/"), Some(Target::Object(_, _, o)) if o == "d/e/"));
        assert!(parse_target("/x").is_none());
        assert!(parse_target("a//x").is_none());
    }

    #[test]
    fn random_identifiers() {
        let pithos = Pithos::new(&SimConfig {
            seed: Some(7),
            ..SimConfig::default()
        })
        .unwrap();
        let uuid = pithos.new_uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(
            pithos
                .new_token(16)
                .bytes()
                .all(|b| b.is_ascii_alphanumeric())
        );
        assert_eq!(pithos.new_boundary().len(), 32);
        assert!(
            Pithos::new(&SimConfig {
                block_size: 0,
                ..SimConfig::default()
            })
            .is_err()
        );
    }
}
