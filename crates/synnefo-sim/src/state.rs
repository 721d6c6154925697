//! State shared by every request of one simulator.
//!
//! Each service keeps its store here as a field with its own lock(s):
//! Pithos+, and Cyclades (compute and block storage share one world).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use time::OffsetDateTime;

use crate::astakos::Astakos;
use crate::catalog::service_catalog;
use crate::compute::Cyclades;
use crate::config::UserSpec;
use crate::pithos::Pithos;

/// Everything the request handlers read or change.
#[derive(Debug)]
pub(crate) struct SimState {
    /// `http://host:port`, no trailing slash.
    pub(crate) base_url: String,
    /// The Astakos users.
    pub(crate) users: UserDirectory,
    /// When every user token expires (start time + 30 days).
    pub(crate) token_expires: OffsetDateTime,
    /// The service catalog (computed once, like Astakos caches it).
    pub(crate) catalog: Value,
    /// The Pithos+ object store.
    pub(crate) pithos: Arc<Pithos>,
    /// Cyclades compute and block storage.
    pub(crate) cyclades: Arc<Cyclades>,
    /// Astakos accounting: quotas, commissions, projects, memberships.
    pub(crate) astakos: Arc<Astakos>,
}

/// Lifetime of user tokens (`ASTAKOS_AUTH_TOKEN_DURATION`, 720 hours).
pub(crate) const TOKEN_LIFETIME: time::Duration = time::Duration::days(30);

impl SimState {
    /// The state of a freshly started deployment at `base_url`.
    pub(crate) fn new(
        base_url: String,
        users: Vec<UserSpec>,
        now: OffsetDateTime,
        pithos: Arc<Pithos>,
        cyclades: Arc<Cyclades>,
        astakos: Arc<Astakos>,
    ) -> Self {
        let catalog = service_catalog(&base_url);
        Self {
            base_url,
            users: UserDirectory::new(users),
            token_expires: now + TOKEN_LIFETIME,
            catalog,
            pithos,
            cyclades,
            astakos,
        }
    }
}

/// Users indexed by token, UUID and lower-cased display name.
#[derive(Debug)]
pub(crate) struct UserDirectory {
    users: Vec<UserSpec>,
    by_token: HashMap<String, usize>,
    by_uuid: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl UserDirectory {
    /// Indexes `users` (assumed validated: no duplicates).
    pub(crate) fn new(users: Vec<UserSpec>) -> Self {
        let mut by_token = HashMap::new();
        let mut by_uuid = HashMap::new();
        let mut by_name = HashMap::new();
        for (index, user) in users.iter().enumerate() {
            by_token.insert(user.token.clone(), index);
            by_uuid.insert(user.uuid.clone(), index);
            by_name.insert(user.name.to_lowercase(), index);
        }
        Self {
            users,
            by_token,
            by_uuid,
            by_name,
        }
    }

    /// Every user's UUID, in configuration order.
    pub(crate) fn uuids(&self) -> Vec<String> {
        self.users.iter().map(|u| u.uuid.clone()).collect()
    }

    /// The user owning `token`.
    pub(crate) fn by_token(&self, token: &str) -> Option<&UserSpec> {
        self.by_token.get(token).map(|&i| &self.users[i])
    }

    /// The user with this UUID.
    pub(crate) fn by_uuid(&self, uuid: &str) -> Option<&UserSpec> {
        self.by_uuid.get(uuid).map(|&i| &self.users[i])
    }

    /// The user with this display name, compared case-insensitively.
    pub(crate) fn by_name(&self, name: &str) -> Option<&UserSpec> {
        self.by_name
            .get(&name.to_lowercase())
            .map(|&i| &self.users[i])
    }
}
