//! Simulator configuration: listening address, users, random seed.

use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SimError;

/// Default Pithos+ block size: 4 MiB.
pub const DEFAULT_BLOCK_SIZE: usize = 4 * 1024 * 1024;

/// Default Pithos+ account quota: 50 GiB.
pub const DEFAULT_ACCOUNT_QUOTA: u64 = 50 * 1024 * 1024 * 1024;

/// Default time a new Cyclades server stays in `BUILD`: 2 seconds.
pub const DEFAULT_BUILD_DELAY: Duration = Duration::from_secs(2);

/// Default duration of every other Cyclades job (start, stop, reboot,
/// resize, destroy, volume attach/detach, volume and snapshot creation…):
/// 300 milliseconds.
pub const DEFAULT_ACTION_DELAY: Duration = Duration::from_millis(300);

/// Cyclades quota limits of a user in their system project, named after the
/// Astakos resources. RAM and disk are in bytes, like Astakos counts them.
///
/// `cpu` and `ram` count running servers only (stopping a server releases
/// them, starting it charges them again); `total_cpu` and `total_ram` count
/// every server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CycladesQuota {
    /// `cyclades.vm`: number of servers.
    pub vm: u64,
    /// `cyclades.cpu`: virtual CPUs of running servers.
    pub cpu: u64,
    /// `cyclades.total_cpu`: virtual CPUs of all servers.
    pub total_cpu: u64,
    /// `cyclades.ram`: RAM of running servers, in bytes.
    pub ram: u64,
    /// `cyclades.total_ram`: RAM of all servers, in bytes.
    pub total_ram: u64,
    /// `cyclades.disk`: size of all volumes, in bytes.
    pub disk: u64,
    /// `cyclades.floating_ip`: floating IP addresses.
    pub floating_ip: u64,
    /// `cyclades.network.private`: private networks.
    pub network_private: u64,
}

impl Default for CycladesQuota {
    /// Generous limits: 10 servers, 16 running CPUs (32 in total), 16 GiB
    /// of running RAM (32 GiB in total), 200 GiB of disk, 5 floating IPs and
    /// 5 private networks.
    fn default() -> Self {
        const GIB: u64 = 1024 * 1024 * 1024;
        Self {
            vm: 10,
            cpu: 16,
            total_cpu: 32,
            ram: 16 * GIB,
            total_ram: 32 * GIB,
            disk: 200 * GIB,
            floating_ip: 5,
            network_private: 5,
        }
    }
}

/// How to start a simulator.
///
/// `SimConfig::default()` listens on `127.0.0.1` on a free port with the
/// built-in users (see [`default_users`]) and a random seed; Pithos+ keeps
/// its blocks in memory, uses 4 MiB blocks and gives every account 50 GiB;
/// Cyclades servers build in [`DEFAULT_BUILD_DELAY`], other jobs take
/// [`DEFAULT_ACTION_DELAY`], and every user gets [`CycladesQuota::default`].
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The Astakos users known to the simulated cloud (at least one).
    pub users: Vec<UserSpec>,
    /// Address to listen on (default `127.0.0.1`).
    ///
    /// When this is an unspecified address (`0.0.0.0` / `::`), the URLs the
    /// simulator hands out (service catalog, [`crate::SimHandle::base_url`])
    /// use the loopback address of the same family instead.
    pub host: IpAddr,
    /// Port to listen on; `0` picks any free port.
    pub port: u16,
    /// Seed for every random decision (fault dice, object, image and
    /// snapshot UUIDs, public URL tokens, multipart boundaries, admin
    /// passwords, generated keys); `None` = random.
    pub seed: Option<u64>,
    /// Folder where Pithos+ keeps its blocks (one file per block, named by
    /// its hex hash, under `blocks/`); `None` keeps them in memory. Blocks
    /// already in the folder are known at start-up (metadata is not kept).
    pub data_dir: Option<PathBuf>,
    /// Pithos+ block size in bytes (`X-Container-Block-Size`), default
    /// [`DEFAULT_BLOCK_SIZE`]; must not be zero.
    pub block_size: usize,
    /// Pithos+ quota of every account in bytes (`X-Account-Policy-Quota`),
    /// default [`DEFAULT_ACCOUNT_QUOTA`]; `0` means unlimited.
    pub account_quota: u64,
    /// Per-user Pithos+ quotas in bytes, by user UUID, overriding
    /// [`SimConfig::account_quota`].
    pub account_quotas: BTreeMap<String, u64>,
    /// How long a new Cyclades server stays in `BUILD` before it becomes
    /// `ACTIVE` (or `ERROR`, see [`crate::SimHandle::fail_next_server_build`]);
    /// `progress` grows meanwhile. Zero completes the build at once (the
    /// create response still says `BUILD`).
    pub build_delay: Duration,
    /// How long every other Cyclades job takes (start, shutdown, reboot,
    /// resize, delete, NIC and volume attach/detach, volume creation and
    /// deletion, snapshots); zero completes them at once.
    pub action_delay: Duration,
    /// Cyclades quota of every user in their system project (the base
    /// quota the Astakos quota holder starts with).
    pub cyclades_quota: CycladesQuota,
    /// Per-user Cyclades quotas, by user UUID, overriding
    /// [`SimConfig::cyclades_quota`].
    pub cyclades_quotas: BTreeMap<String, CycladesQuota>,
    /// UUIDs of Astakos administrators, who approve and deny project
    /// applications and suspend, terminate or reinstate projects (none by
    /// default).
    pub astakos_admins: Vec<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            users: default_users(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: None,
            data_dir: None,
            block_size: DEFAULT_BLOCK_SIZE,
            account_quota: DEFAULT_ACCOUNT_QUOTA,
            account_quotas: BTreeMap::new(),
            build_delay: DEFAULT_BUILD_DELAY,
            action_delay: DEFAULT_ACTION_DELAY,
            cyclades_quota: CycladesQuota::default(),
            cyclades_quotas: BTreeMap::new(),
            astakos_admins: Vec::new(),
        }
    }
}

/// One Astakos user of the simulated cloud.
///
/// The JSON form (used by [`load_users`] and `synnefo-sim serve --users`) is
/// an object with these field names; `realname` and `active` may be omitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The user's UUID (also the UUID of the user's system project).
    pub uuid: String,
    /// Display name (Astakos `username`), normally the e-mail address.
    pub name: String,
    /// Real name, shown as `user.name` and `token.tenant.name` by
    /// `POST /tokens`; when absent the display name is used.
    #[serde(default)]
    pub realname: Option<String>,
    /// The user's API token (a real one is 43 URL-safe base64 characters).
    pub token: String,
    /// Whether the account is active; inactive users get `401 User inactive`.
    #[serde(default = "default_active")]
    pub active: bool,
}

fn default_active() -> bool {
    true
}

impl UserSpec {
    /// The name Astakos reports as the user's real name.
    pub fn display_realname(&self) -> &str {
        self.realname.as_deref().unwrap_or(&self.name)
    }
}

/// UUID of the built-in user `alice@example.org`.
pub const ALICE_UUID: &str = "a1b2c3d4-0000-4000-8000-000000000001";
/// Token of the built-in user `alice@example.org`.
pub const ALICE_TOKEN: &str = "alice-token-7ydamZ9KrDxKuV3U5SIBu0hJ6vs7U9U";
/// UUID of the built-in user `bob@example.org`.
pub const BOB_UUID: &str = "a1b2c3d4-0000-4000-8000-000000000002";
/// Token of the built-in user `bob@example.org`.
pub const BOB_TOKEN: &str = "bob-token-IF5K6O0mFF-VJb1wU4jNkKv_CIUnV6sgx";

/// The built-in users: `alice@example.org` and `bob@example.org`, both active,
/// with fixed UUIDs and tokens ([`ALICE_TOKEN`], [`BOB_TOKEN`]) so that docs
/// and demos can quote them.
pub fn default_users() -> Vec<UserSpec> {
    vec![
        UserSpec {
            uuid: ALICE_UUID.to_owned(),
            name: "alice@example.org".to_owned(),
            realname: Some("Alice Example".to_owned()),
            token: ALICE_TOKEN.to_owned(),
            active: true,
        },
        UserSpec {
            uuid: BOB_UUID.to_owned(),
            name: "bob@example.org".to_owned(),
            realname: Some("Bob Example".to_owned()),
            token: BOB_TOKEN.to_owned(),
            active: true,
        },
    ]
}

/// Reads a users file: a JSON array of [`UserSpec`] objects.
///
/// The error names the file and says what is wrong (unreadable, invalid
/// JSON with line and column, unknown or missing field, duplicate token…).
pub fn load_users(path: &Path) -> Result<Vec<UserSpec>, SimError> {
    let file_error = |message: String| SimError::UsersFile {
        path: path.to_path_buf(),
        message,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| file_error(format!("cannot read: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| file_error(format!("invalid JSON: {e}")))?;
    let serde_json::Value::Array(items) = value else {
        return Err(file_error(
            "expected a JSON array of users ([{\"uuid\": …, \"name\": …, \"token\": …}, …])"
                .to_owned(),
        ));
    };
    let mut users = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let user: UserSpec = serde_json::from_value(item)
            .map_err(|e| file_error(format!("user #{}: {e}", index + 1)))?;
        users.push(user);
    }
    validate_users(&users).map_err(|e| match e {
        SimError::InvalidUsers(message) => file_error(message),
        other => other,
    })?;
    Ok(users)
}

/// Checks that a user list can be served: at least one user, no empty or
/// non-printable fields, no duplicate UUIDs, display names or tokens.
pub(crate) fn validate_users(users: &[UserSpec]) -> Result<(), SimError> {
    if users.is_empty() {
        return Err(SimError::InvalidUsers("no users configured".to_owned()));
    }
    let mut uuids = HashSet::new();
    let mut names = HashSet::new();
    let mut tokens = HashSet::new();
    for (index, user) in users.iter().enumerate() {
        let which = format!("user #{} ({})", index + 1, user.name);
        for (field, value) in [
            ("uuid", &user.uuid),
            ("name", &user.name),
            ("token", &user.token),
        ] {
            if value.is_empty() {
                return Err(SimError::InvalidUsers(format!("{which}: empty {field}")));
            }
            if !value.bytes().all(|b| b.is_ascii_graphic()) && field != "name" {
                return Err(SimError::InvalidUsers(format!(
                    "{which}: {field} must be printable ASCII without spaces"
                )));
            }
        }
        if !uuids.insert(user.uuid.as_str()) {
            return Err(SimError::InvalidUsers(format!(
                "{which}: duplicate uuid {}",
                user.uuid
            )));
        }
        if !names.insert(user.name.to_lowercase()) {
            return Err(SimError::InvalidUsers(format!(
                "{which}: duplicate name (display names are case-insensitive)"
            )));
        }
        if !tokens.insert(user.token.as_str()) {
            return Err(SimError::InvalidUsers(format!("{which}: duplicate token")));
        }
    }
    Ok(())
}
