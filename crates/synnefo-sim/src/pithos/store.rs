//! The object-store model (wire §11): accounts hold containers, containers
//! hold object nodes, and each node keeps an append-only list of versions
//! (current, history, deleted markers) numbered by one global serial.
//! Permissions and public tokens belong to object paths.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use time::OffsetDateTime;

use super::hashing::BlockHash;
use super::sharing::Permissions;

/// Microseconds since the Unix epoch.
pub(crate) type Micros = i64;

/// User metadata of a resource, by normalised header name
/// (`X-Object-Meta-Color`, `Content-Encoding`, …).
pub(crate) type Meta = BTreeMap<String, String>;

/// The current time in microseconds.
pub(crate) fn now_micros() -> Micros {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1000).unwrap_or(i64::MAX)
}

/// What a version is to its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cluster {
    /// The current version.
    Normal,
    /// A previous version kept by versioning `auto`.
    History,
    /// A deletion marker.
    Deleted,
}

/// One version of an object.
#[derive(Clone, Debug)]
pub(crate) struct Version {
    /// Global serial (`X-Object-Version`).
    pub(crate) serial: u64,
    /// When it was made.
    pub(crate) mtime: Micros,
    /// Size in bytes.
    pub(crate) size: u64,
    /// `Content-Type`.
    pub(crate) content_type: String,
    /// Merkle root, hex (`""` for deletion markers).
    pub(crate) hash: String,
    /// Block hashes.
    pub(crate) hashmap: Arc<Vec<BlockHash>>,
    /// MD5 of the data: always `""` (`PITHOS_UPDATE_MD5 = False`).
    pub(crate) checksum: String,
    /// UUID of the user who made it.
    pub(crate) muser: String,
    /// The object's UUID.
    pub(crate) uuid: String,
    /// Its cluster.
    pub(crate) cluster: Cluster,
    /// User metadata.
    pub(crate) meta: Arc<Meta>,
}

/// One object path with its versions.
#[derive(Clone, Debug, Default)]
pub(crate) struct ObjectNode {
    /// Versions in serial order.
    pub(crate) versions: Vec<Version>,
    /// Permissions set on this path.
    pub(crate) permissions: Option<Permissions>,
    /// The public token, if published.
    pub(crate) public: Option<String>,
}

impl ObjectNode {
    /// The current version, unless the object is deleted.
    pub(crate) fn current(&self) -> Option<&Version> {
        self.versions
            .last()
            .filter(|version| version.cluster == Cluster::Normal)
    }

    /// The version that was current just before `until` (or the current
    /// one without `until`).
    pub(crate) fn as_of(&self, until: Option<Micros>) -> Option<&Version> {
        match until {
            None => self.current(),
            Some(until) => self
                .versions
                .iter()
                .rev()
                .find(|version| version.mtime < until)
                .filter(|version| version.cluster != Cluster::Deleted),
        }
    }

    /// A version by serial (deletion markers excluded).
    pub(crate) fn version(&self, serial: u64) -> Option<&Version> {
        self.versions
            .iter()
            .find(|version| version.serial == serial && version.cluster != Cluster::Deleted)
    }

    /// The latest deletion marker.
    pub(crate) fn latest_deleted(&self) -> Option<&Version> {
        self.versions
            .iter()
            .rev()
            .find(|version| version.cluster == Cluster::Deleted)
    }

    /// Whether the object's current type is a directory (its permissions
    /// are inherited by the objects under `<name>/`).
    pub(crate) fn is_directory(&self) -> bool {
        self.current().is_some_and(|version| {
            let mime = version.content_type.split(';').next().unwrap_or("").trim();
            mime == "application/directory" || mime == "application/folder"
        })
    }
}

/// Container policy (values kept as the strings stored, like the server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Policy {
    /// Quota in bytes, `"0"` = unlimited.
    pub(crate) quota: String,
    /// `auto` or `none`.
    pub(crate) versioning: String,
    /// Project charged for the space.
    pub(crate) project: String,
}

impl Policy {
    /// The defaults for a container of `account`.
    pub(crate) fn default_for(account: &str) -> Self {
        Self {
            quota: "0".to_owned(),
            versioning: "auto".to_owned(),
            project: account.to_owned(),
        }
    }

    /// The quota in bytes (0 = unlimited).
    pub(crate) fn quota_bytes(&self) -> u64 {
        parse_quota(&self.quota).unwrap_or(0)
    }

    /// Whether history is kept.
    pub(crate) fn keeps_history(&self) -> bool {
        self.versioning == "auto"
    }

    /// `(key, value)` pairs in header/listing order.
    pub(crate) fn entries(&self) -> [(&'static str, &str); 3] {
        [
            ("project", &self.project),
            ("quota", &self.quota),
            ("versioning", &self.versioning),
        ]
    }
}

/// Parses a quota policy value like Python's `int()` (after the server
/// removed spaces): optional sign, digits; negative values are invalid.
pub(crate) fn parse_quota(value: &str) -> Option<u64> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    if let Some(negative) = digits.strip_prefix('-') {
        return (!negative.is_empty() && negative.bytes().all(|b| b == b'0')).then_some(0);
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// A container.
#[derive(Clone, Debug)]
pub(crate) struct Container {
    /// When it was created.
    pub(crate) created: Micros,
    /// When its own metadata last changed.
    pub(crate) mtime: Micros,
    /// When anything in it last changed.
    pub(crate) modified: Micros,
    /// User metadata (`X-Container-Meta-*`).
    pub(crate) meta: Meta,
    /// Policy.
    pub(crate) policy: Policy,
    /// Objects by name.
    pub(crate) objects: BTreeMap<String, ObjectNode>,
    /// Number of current objects.
    pub(crate) count: u64,
    /// Bytes of the current objects.
    pub(crate) bytes: u64,
}

impl Container {
    /// An empty container.
    pub(crate) fn new(now: Micros, policy: Policy) -> Self {
        Self {
            created: now,
            mtime: now,
            modified: now,
            meta: Meta::new(),
            policy,
            objects: BTreeMap::new(),
            count: 0,
            bytes: 0,
        }
    }

    /// The current version of an object.
    pub(crate) fn current(&self, name: &str) -> Option<&Version> {
        self.objects.get(name).and_then(ObjectNode::current)
    }

    /// Appends `version` to `name`: the previous current version becomes
    /// history, or is dropped when the container does not keep history.
    pub(crate) fn push_version(&mut self, name: &str, version: Version) {
        let keep_history = self.policy.keeps_history();
        let node = self.objects.entry(name.to_owned()).or_default();
        let mut removed = 0;
        let mut previous_count = 0;
        if let Some(previous) = node.versions.last_mut()
            && previous.cluster == Cluster::Normal
        {
            removed = previous.size;
            previous_count = 1;
            if keep_history {
                previous.cluster = Cluster::History;
            } else {
                node.versions.pop();
            }
        }
        let (added, added_count) = match version.cluster {
            Cluster::Normal => (version.size, 1),
            _ => (0, 0),
        };
        self.modified = self.modified.max(version.mtime);
        node.versions.push(version);
        self.count = self.count.saturating_sub(previous_count) + added_count;
        self.bytes = self.bytes.saturating_sub(removed) + added;
    }

    /// Recomputes the cached count and bytes.
    pub(crate) fn recount(&mut self) {
        let (count, bytes) = self
            .objects
            .values()
            .filter_map(ObjectNode::current)
            .fold((0, 0), |(count, bytes), version| {
                (count + 1, bytes + version.size)
            });
        self.count = count;
        self.bytes = bytes;
    }

    /// `(count, bytes, last change)` of the objects as they were before
    /// `until`.
    pub(crate) fn stats_until(&self, until: Micros) -> (u64, u64, Micros) {
        let mut count = 0;
        let mut bytes = 0;
        let mut latest = if self.mtime < until { self.mtime } else { 0 };
        for node in self.objects.values() {
            if let Some(version) = node.versions.iter().rev().find(|v| v.mtime < until) {
                latest = latest.max(version.mtime);
                if version.cluster != Cluster::Deleted {
                    count += 1;
                    bytes += version.size;
                }
            }
        }
        (count, bytes, latest)
    }
}

/// An account.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    /// When it was created.
    pub(crate) created: Micros,
    /// When anything in it last changed.
    pub(crate) modified: Micros,
    /// User metadata (`X-Account-Meta-*`).
    pub(crate) meta: Meta,
    /// Groups: lower-case name → member UUIDs.
    pub(crate) groups: BTreeMap<String, Vec<String>>,
    /// Containers by name.
    pub(crate) containers: BTreeMap<String, Container>,
}

impl Account {
    fn new(now: Micros) -> Self {
        Self {
            created: now,
            modified: now,
            meta: Meta::new(),
            groups: BTreeMap::new(),
            containers: BTreeMap::new(),
        }
    }

    /// Bytes of all current objects.
    pub(crate) fn usage(&self) -> u64 {
        self.containers.values().map(|c| c.bytes).sum()
    }
}

/// The full path of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ObjectPath {
    /// Account (user UUID).
    pub(crate) account: String,
    /// Container name.
    pub(crate) container: String,
    /// Object name.
    pub(crate) name: String,
}

/// The whole store.
#[derive(Debug, Default)]
pub(crate) struct Store {
    serial: u64,
    last_mtime: Micros,
    /// Accounts by user UUID (created on first access by their owner).
    pub(crate) accounts: BTreeMap<String, Account>,
    /// Public tokens → object paths.
    pub(crate) public: HashMap<String, ObjectPath>,
}

impl Store {
    /// A fresh timestamp, strictly after every earlier one.
    pub(crate) fn tick(&mut self) -> Micros {
        let now = now_micros().max(self.last_mtime + 1);
        self.last_mtime = now;
        now
    }

    /// The next global serial.
    pub(crate) fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// The account of `uuid`, created if missing.
    pub(crate) fn account_mut(&mut self, uuid: &str) -> &mut Account {
        if !self.accounts.contains_key(uuid) {
            let now = self.tick();
            self.accounts.insert(uuid.to_owned(), Account::new(now));
        }
        self.accounts
            .entry(uuid.to_owned())
            .or_insert_with(|| Account::new(0))
    }

    /// A container.
    pub(crate) fn container(&self, account: &str, container: &str) -> Option<&Container> {
        self.accounts.get(account)?.containers.get(container)
    }

    /// A container, mutable.
    pub(crate) fn container_mut(
        &mut self,
        account: &str,
        container: &str,
    ) -> Option<&mut Container> {
        self.accounts
            .get_mut(account)?
            .containers
            .get_mut(container)
    }

    /// An object node.
    pub(crate) fn node(&self, account: &str, container: &str, name: &str) -> Option<&ObjectNode> {
        self.container(account, container)?.objects.get(name)
    }

    /// Whether `user` is in group `group` of `owner`.
    pub(crate) fn in_group(&self, owner: &str, group: &str, user: &str) -> bool {
        self.accounts
            .get(owner)
            .and_then(|account| account.groups.get(group))
            .is_some_and(|members| members.iter().any(|m| m == user))
    }

    /// Marks a change in an account at `now`.
    pub(crate) fn touch_account(&mut self, account: &str, now: Micros) {
        if let Some(account) = self.accounts.get_mut(account) {
            account.modified = account.modified.max(now);
        }
    }

    /// Removes the permissions and the public token of an object path.
    pub(crate) fn clear_access(&mut self, account: &str, container: &str, name: &str) {
        let token = self
            .container_mut(account, container)
            .and_then(|c| c.objects.get_mut(name))
            .and_then(|node| {
                node.permissions = None;
                node.public.take()
            });
        if let Some(token) = token {
            self.public.remove(&token);
        }
    }

    /// Publishes (keeping an existing token) or unpublishes an object path.
    pub(crate) fn set_public(
        &mut self,
        path: &ObjectPath,
        public: bool,
        new_token: &mut dyn FnMut(usize) -> String,
    ) {
        let taken = |store: &Self, token: &str| store.public.contains_key(token);
        let existing = self
            .node(&path.account, &path.container, &path.name)
            .and_then(|node| node.public.clone());
        match (public, existing) {
            (true, Some(_)) => {}
            (true, None) => {
                let mut length = 16;
                let token = loop {
                    let candidate = new_token(length);
                    if !taken(self, &candidate) {
                        break candidate;
                    }
                    length += 1;
                };
                if let Some(node) = self
                    .container_mut(&path.account, &path.container)
                    .and_then(|c| c.objects.get_mut(&path.name))
                {
                    node.public = Some(token.clone());
                    self.public.insert(token, path.clone());
                }
            }
            (false, Some(token)) => {
                self.public.remove(&token);
                if let Some(node) = self
                    .container_mut(&path.account, &path.container)
                    .and_then(|c| c.objects.get_mut(&path.name))
                {
                    node.public = None;
                }
            }
            (false, None) => {}
        }
    }

    /// Removes versions of `name` in `clusters` made at or before `until`;
    /// drops the node when nothing is left, and its permissions and public
    /// token when no current version is left.
    pub(crate) fn purge_object(
        &mut self,
        account: &str,
        container: &str,
        name: &str,
        until: Micros,
        clusters: &[Cluster],
    ) {
        let Some(c) = self.container_mut(account, container) else {
            return;
        };
        let Some(node) = c.objects.get_mut(name) else {
            return;
        };
        node.versions
            .retain(|v| !(v.mtime <= until && clusters.contains(&v.cluster)));
        let current = node.current().is_some();
        let empty = node.versions.is_empty();
        if !current {
            self.clear_access(account, container, name);
        }
        if let Some(c) = self.container_mut(account, container) {
            if empty {
                c.objects.remove(name);
            }
            c.recount();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(serial: u64, size: u64, cluster: Cluster) -> Version {
        Version {
            serial,
            mtime: serial as Micros,
            size,
            content_type: "text/plain".into(),
            hash: String::new(),
            hashmap: Arc::new(Vec::new()),
            checksum: String::new(),
            muser: "u".into(),
            uuid: "x".into(),
            cluster,
            meta: Arc::new(Meta::new()),
        }
    }

    #[test]
    fn versions_and_counters() {
        let mut c = Container::new(0, Policy::default_for("acc"));
        c.push_version("a", version(1, 10, Cluster::Normal));
        c.push_version("a", version(2, 4, Cluster::Normal));
        assert_eq!((c.count, c.bytes), (1, 4));
        assert_eq!(c.objects["a"].versions[0].cluster, Cluster::History);
        c.push_version("a", version(3, 0, Cluster::Deleted));
        assert_eq!((c.count, c.bytes), (0, 0));
        assert!(c.current("a").is_none());
        assert_eq!(c.objects["a"].as_of(Some(3)).map(|v| v.serial), Some(2));
        assert_eq!(c.objects["a"].version(1).map(|v| v.size), Some(10));
        assert!(c.objects["a"].version(3).is_none());
        assert_eq!(c.stats_until(2), (1, 10, 1));
        c.policy.versioning = "none".into();
        c.push_version("b", version(4, 1, Cluster::Normal));
        c.push_version("b", version(5, 2, Cluster::Normal));
        assert_eq!(c.objects["b"].versions.len(), 1);
        assert_eq!((c.count, c.bytes), (1, 2));
    }

    #[test]
    fn quota_values() {
        assert_eq!(parse_quota("100"), Some(100));
        assert_eq!(parse_quota("+5"), Some(5));
        assert_eq!(parse_quota("-0"), Some(0));
        assert_eq!(parse_quota("-1"), None);
        assert_eq!(parse_quota("1.5"), None);
        assert_eq!(parse_quota(""), None);
    }
}
