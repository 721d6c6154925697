//! The account state: the quota holder, projects, applications and
//! memberships, behind one lock, shared with Cyclades (which charges its
//! servers, volumes and IPs here).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

use time::OffsetDateTime;

use super::holder::{HoldingKey, QuotaHolder};
use super::model::{Application, Grant, Grants, Membership, Project, ProjectFields};
use super::resources::RESOURCES;
use crate::config::{CycladesQuota, SimConfig, UserSpec};

/// Pending applications a user may have at once.
const BASE_PENDING_APPS: u64 = 3;
/// "Unlimited", as Astakos stores it (2^63 - 1).
pub(crate) const UNLIMITED: u64 = i64::MAX as u64;

/// Account data guarded by the [`Astakos`] lock.
#[derive(Debug)]
pub(crate) struct Accounting {
    /// Holdings and commissions.
    pub(crate) holder: QuotaHolder,
    /// Projects by UUID.
    pub(crate) projects: BTreeMap<String, Project>,
    /// Applications by id.
    pub(crate) applications: BTreeMap<u64, Application>,
    /// Memberships by id.
    pub(crate) memberships: BTreeMap<u64, Membership>,
    last_app: u64,
    last_membership: u64,
    rng: fastrand::Rng,
}

/// The Astakos account service state.
#[derive(Debug)]
pub(crate) struct Astakos {
    accounting: Mutex<Accounting>,
    /// UUIDs of Astakos administrators.
    pub(crate) admins: BTreeSet<String>,
}

/// `user:<uuid>`.
pub(crate) fn user_holder(user: &str) -> String {
    format!("user:{user}")
}

/// `project:<uuid>`.
pub(crate) fn project_holder(project: &str) -> String {
    format!("project:{project}")
}

/// The holding of `user` in `project` for `resource`.
pub(crate) fn member_key(user: &str, project: &str, resource: &str) -> HoldingKey {
    (
        user_holder(user),
        Some(project_holder(project)),
        resource.to_owned(),
    )
}

/// The holding of `project` itself for `resource`.
pub(crate) fn project_key(project: &str, resource: &str) -> HoldingKey {
    (project_holder(project), None, resource.to_owned())
}

/// The base quota of a user's system project.
fn base_grants(cyclades: &CycladesQuota, pithos: u64) -> Grants {
    RESOURCES
        .iter()
        .map(|r| {
            let limit = match r.name {
                "cyclades.vm" => cyclades.vm,
                "cyclades.cpu" => cyclades.cpu,
                "cyclades.total_cpu" => cyclades.total_cpu,
                "cyclades.ram" => cyclades.ram,
                "cyclades.total_ram" => cyclades.total_ram,
                "cyclades.disk" => cyclades.disk,
                "cyclades.floating_ip" => cyclades.floating_ip,
                "cyclades.network.private" => cyclades.network_private,
                "astakos.pending_app" => BASE_PENDING_APPS,
                "pithos.diskspace" if pithos > 0 => pithos,
                _ => UNLIMITED,
            };
            (
                r.name.to_owned(),
                Grant {
                    project_capacity: limit,
                    member_capacity: limit,
                },
            )
        })
        .collect()
}

impl Astakos {
    /// A fresh deployment: every user with a system project (UUID = the
    /// user's) holding the base quota from `config`, and an accepted
    /// membership of it.
    pub(crate) fn new(config: &SimConfig, admins: BTreeSet<String>, now: OffsetDateTime) -> Self {
        let rng = match config.seed {
            Some(seed) => fastrand::Rng::with_seed(seed ^ 0x6173_7461_6b6f_7321),
            None => fastrand::Rng::new(),
        };
        let mut accounting = Accounting {
            holder: QuotaHolder::default(),
            projects: BTreeMap::new(),
            applications: BTreeMap::new(),
            memberships: BTreeMap::new(),
            last_app: 0,
            last_membership: 0,
            rng,
        };
        for user in &config.users {
            accounting.add_system_project(config, user, now);
        }
        Self {
            accounting: Mutex::new(accounting),
            admins,
        }
    }

    /// The account data.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Accounting> {
        self.accounting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `user` is an Astakos administrator.
    pub(crate) fn is_admin(&self, user: &str) -> bool {
        self.admins.contains(user)
    }
}

impl Accounting {
    fn add_system_project(&mut self, config: &SimConfig, user: &UserSpec, now: OffsetDateTime) {
        let cyclades = config
            .cyclades_quotas
            .get(&user.uuid)
            .unwrap_or(&config.cyclades_quota);
        let pithos = config
            .account_quotas
            .get(&user.uuid)
            .copied()
            .unwrap_or(config.account_quota);
        let project = Project {
            id: user.uuid.clone(),
            state: "active",
            creation_date: now,
            owner: None,
            system: true,
            fields: ProjectFields {
                name: format!("system:{}", user.uuid),
                homepage: String::new(),
                description: "system project".to_owned(),
                start_date: now,
                end_date: now + time::Duration::days(365 * 100),
                join_policy: "closed".to_owned(),
                leave_policy: "closed".to_owned(),
                max_members: 1,
                private: true,
                resources: base_grants(cyclades, pithos),
            },
            last_app: None,
            deactivation_date: None,
        };
        self.projects.insert(project.id.clone(), project);
        self.new_membership(&user.uuid, &user.uuid, "accepted", now);
        self.sync_project(&user.uuid);
    }

    /// A new membership in `state`; gives its id.
    pub(crate) fn new_membership(
        &mut self,
        user: &str,
        project: &str,
        state: &'static str,
        now: OffsetDateTime,
    ) -> u64 {
        self.last_membership += 1;
        let mut membership = Membership {
            id: self.last_membership,
            user: user.to_owned(),
            project: project.to_owned(),
            state,
            dates: BTreeMap::new(),
        };
        membership.enter(state, now);
        self.memberships.insert(membership.id, membership);
        self.last_membership
    }

    /// The next application id.
    pub(crate) fn next_app_id(&mut self) -> u64 {
        self.last_app += 1;
        self.last_app
    }

    /// The membership of `user` in `project`, if any.
    pub(crate) fn membership_of(&self, user: &str, project: &str) -> Option<&Membership> {
        self.memberships
            .values()
            .find(|m| m.user == user && m.project == project)
    }

    /// Accepted members of a project.
    pub(crate) fn accepted_members(&self, project: &str) -> Vec<String> {
        self.memberships
            .values()
            .filter(|m| m.project == project && m.is_accepted())
            .map(|m| m.user.clone())
            .collect()
    }

    /// Projects `user` is an accepted member of (active ones).
    pub(crate) fn member_projects(&self, user: &str) -> Vec<String> {
        self.memberships
            .values()
            .filter(|m| m.user == user && m.is_accepted())
            .filter(|m| {
                self.projects
                    .get(&m.project)
                    .is_some_and(|p| p.state == "active")
            })
            .map(|m| m.project.clone())
            .collect()
    }

    /// Projects `user` is an accepted member of, unless the project is
    /// uninitialized, terminated or deleted (their quotas are hidden).
    pub(crate) fn member_projects_any_state(&self, user: &str) -> Vec<String> {
        self.memberships
            .values()
            .filter(|m| m.user == user && m.is_accepted())
            .filter(|m| {
                self.projects
                    .get(&m.project)
                    .is_some_and(|p| matches!(p.state, "active" | "suspended"))
            })
            .map(|m| m.project.clone())
            .collect()
    }

    /// Brings the holdings of a project and of each member in line with
    /// its grants and memberships: members get `member_capacity`, former
    /// members a zero limit (their usage stays until released).
    pub(crate) fn sync_project(&mut self, project_id: &str) {
        let Some(project) = self.projects.get(project_id) else {
            return;
        };
        let live = project.state == "active";
        let grants = project.fields.resources.clone();
        let members: Vec<(String, bool)> = self
            .memberships
            .values()
            .filter(|m| m.project == project_id)
            .map(|m| (m.user.clone(), m.is_accepted()))
            .collect();
        // Every resource has a holding: granted ones as granted, others
        // at the resource's project default (none for visible resources,
        // no limit for internal ones such as `cyclades.total_cpu`).
        for r in RESOURCES {
            let grant = grants.get(r.name).copied().unwrap_or(if r.api_visible {
                Grant::default()
            } else {
                Grant {
                    project_capacity: UNLIMITED,
                    member_capacity: UNLIMITED,
                }
            });
            let capacity = if live { grant.project_capacity } else { 0 };
            self.holder
                .set_limit(project_key(project_id, r.name), capacity);
            for (user, accepted) in &members {
                let key = member_key(user, project_id, r.name);
                if *accepted && live {
                    self.holder.set_limit(key, grant.member_capacity);
                } else if self.holder.has(&key) {
                    self.holder.set_limit(key, 0);
                }
            }
        }
    }

    /// A random (version 4) UUID.
    pub(crate) fn new_uuid(&mut self) -> String {
        let hex: String = (0..32)
            .map(|_| char::from(b"0123456789abcdef"[self.rng.usize(..16)]))
            .collect();
        let variant = char::from(b"89ab"[self.rng.usize(..4)]);
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
}
