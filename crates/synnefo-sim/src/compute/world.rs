//! Everything Cyclades keeps: servers, flavors, images, networks, ports,
//! IPs, volumes, keypairs, quotas. One lock guards it all, so every request
//! sees and leaves a consistent world.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use time::OffsetDateTime;

use super::flavors::Flavor;
use super::image::Image;
use super::keypairs::Keypair;
use super::network::{IpAddress, Network, Port};
use super::quota::Quotas;
use super::server::Server;
use crate::astakos::Astakos;
use crate::config::SimConfig;
use crate::fault_body::Fault;
use crate::volume::model::{Volume, VolumeType};

/// Longest delay honoured (longer ones are cut to this).
const MAX_DELAY: time::Duration = time::Duration::days(365);

/// Which id sequence to draw from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum IdKind {
    /// Servers.
    Server,
    /// Ports.
    Port,
    /// IP addresses.
    Ip,
    /// Volumes.
    Volume,
    /// Keypairs.
    Keypair,
    /// Networks.
    Network,
    /// Subnets.
    Subnet,
}

/// Per-table id sequences, like database sequences.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    server: u64,
    port: u64,
    ip: u64,
    volume: u64,
    keypair: u64,
    network: u64,
    subnet: u64,
}

impl Ids {
    /// The next id of a sequence (ids start at 1).
    pub(crate) fn next(&mut self, kind: IdKind) -> u64 {
        let counter = match kind {
            IdKind::Server => &mut self.server,
            IdKind::Port => &mut self.port,
            IdKind::Ip => &mut self.ip,
            IdKind::Volume => &mut self.volume,
            IdKind::Keypair => &mut self.keypair,
            IdKind::Network => &mut self.network,
            IdKind::Subnet => &mut self.subnet,
        };
        *counter += 1;
        *counter
    }
}

/// The Cyclades state.
#[derive(Debug)]
pub(crate) struct World {
    /// Duration of build jobs.
    pub(crate) build_delay: time::Duration,
    /// Duration of every other job.
    pub(crate) action_delay: time::Duration,
    /// Flavors, by id.
    pub(crate) flavors: Vec<Flavor>,
    /// Volume types, by id.
    pub(crate) volume_types: Vec<VolumeType>,
    /// Images and snapshots, by UUID.
    pub(crate) images: BTreeMap<String, Image>,
    /// Networks.
    pub(crate) networks: BTreeMap<u64, Network>,
    /// Servers, deleted ones included.
    pub(crate) servers: BTreeMap<u64, Server>,
    /// Ports.
    pub(crate) ports: BTreeMap<u64, Port>,
    /// IP addresses in use or allocated.
    pub(crate) ips: BTreeMap<u64, IpAddress>,
    /// Volumes, deleted ones included.
    pub(crate) volumes: BTreeMap<u64, Volume>,
    /// Keypairs by (owner, name).
    pub(crate) keypairs: BTreeMap<(String, String), Keypair>,
    /// Admin passwords of new servers (`VM_PASSWORD_CACHE`).
    pub(crate) passwords: HashMap<u64, String>,
    /// Quota limits and usage (kept by Astakos).
    pub(crate) quotas: Quotas,
    /// How many of the next server builds must fail.
    pub(crate) failing_builds: u32,
    /// Id sequences.
    pub(crate) ids: Ids,
    rng: fastrand::Rng,
}

/// A configured delay as a `time::Duration`, capped at a year.
fn delay(duration: std::time::Duration) -> time::Duration {
    time::Duration::try_from(duration)
        .unwrap_or(MAX_DELAY)
        .min(MAX_DELAY)
}

impl World {
    /// A fresh deployment: seeded flavors, volume types, images and the
    /// public network; no servers. Quotas are charged to `astakos`.
    pub(crate) fn new(config: &SimConfig, astakos: Arc<Astakos>) -> Self {
        let rng = match config.seed {
            Some(seed) => fastrand::Rng::with_seed(seed ^ 0x6379_636c_6164_6573),
            None => fastrand::Rng::new(),
        };
        let mut world = Self {
            build_delay: delay(config.build_delay),
            action_delay: delay(config.action_delay),
            flavors: Vec::new(),
            volume_types: Vec::new(),
            images: BTreeMap::new(),
            networks: BTreeMap::new(),
            servers: BTreeMap::new(),
            ports: BTreeMap::new(),
            ips: BTreeMap::new(),
            volumes: BTreeMap::new(),
            keypairs: BTreeMap::new(),
            passwords: HashMap::new(),
            quotas: Quotas::new(astakos),
            failing_builds: 0,
            ids: Ids::default(),
            rng,
        };
        super::seed::seed(&mut world);
        world
    }

    /// `len` random characters from `alphabet`.
    pub(crate) fn random(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.rng.usize(..alphabet.len())]))
            .collect()
    }

    /// Random bytes.
    pub(crate) fn random_bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.rng.u8(..)).collect()
    }

    /// A random number in `range`.
    pub(crate) fn random_u16(&mut self, range: std::ops::RangeInclusive<u16>) -> u16 {
        self.rng.u16(range)
    }

    /// A random (version 4) UUID.
    pub(crate) fn new_uuid(&mut self) -> String {
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

    /// A random password as the server makes them: 10 characters with at
    /// least one lower-case letter, one upper-case letter and one digit.
    pub(crate) fn random_password(&mut self) -> String {
        const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
        const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const DIGITS: &[u8] = b"0123456789";
        let pool: Vec<u8> = [LOWER, UPPER, DIGITS].concat();
        let mut password = self.random(&pool, 8);
        if !password.bytes().any(|b| b.is_ascii_lowercase()) {
            password.push_str(&self.random(LOWER, 1));
        }
        if !password.bytes().any(|b| b.is_ascii_uppercase()) {
            password.push_str(&self.random(UPPER, 1));
        }
        if !password.bytes().any(|b| b.is_ascii_digit()) {
            password.push_str(&self.random(DIGITS, 1));
        }
        let missing = 10usize.saturating_sub(password.len());
        password.push_str(&self.random(&pool, missing));
        password
    }

    /// When a job issued at `now` with this duration completes.
    pub(crate) fn after(now: OffsetDateTime, delay: time::Duration) -> OffsetDateTime {
        now.checked_add(delay).unwrap_or(now)
    }

    /// `util.get_vm`: a server of `user` (404 `Server not found.`).
    pub(crate) fn server(&self, user: &str, id: u64) -> Result<&Server, Fault> {
        self.servers
            .get(&id)
            .filter(|s| s.user == user)
            .ok_or_else(|| Fault::item_not_found("Server not found."))
    }

    /// A server of `user` that is not deleted (400 `Server has been
    /// deleted.`).
    pub(crate) fn live_server(&self, user: &str, id: u64) -> Result<&Server, Fault> {
        let server = self.server(user, id)?;
        if server.deleted {
            return Err(Fault::bad_request("Server has been deleted."));
        }
        Ok(server)
    }

    /// Mutable access to a server known to exist.
    pub(crate) fn server_mut(&mut self, id: u64) -> Result<&mut Server, Fault> {
        self.servers
            .get_mut(&id)
            .ok_or_else(|| Fault::item_not_found("Server not found."))
    }

    /// The volume type with this id.
    pub(crate) fn volume_type(&self, id: u64) -> Option<&VolumeType> {
        self.volume_types.iter().find(|t| t.id == id)
    }

    /// The flavor with this id (deleted ones included).
    pub(crate) fn flavor(&self, id: u64) -> Option<&Flavor> {
        self.flavors.iter().find(|f| f.id == id)
    }
}
