//! Cyclades quotas (wire §11): Cyclades charges its servers, volumes and
//! IPs to the Astakos quota holder ([`crate::astakos::Astakos`]), so `GET
//! quotas` reports the very numbers Cyclades checks.

use std::collections::BTreeMap;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::astakos::Astakos;
use crate::astakos::holder::{IssueError, Provision as Change};
use crate::astakos::state::{member_key, project_key};
use crate::fault_body::Fault;

/// A Cyclades resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Resource {
    /// `cyclades.vm`.
    Vm,
    /// `cyclades.total_cpu`.
    TotalCpu,
    /// `cyclades.cpu`.
    Cpu,
    /// `cyclades.total_ram` (bytes).
    TotalRam,
    /// `cyclades.ram` (bytes).
    Ram,
    /// `cyclades.disk` (bytes).
    Disk,
    /// `cyclades.floating_ip`.
    FloatingIp,
    /// `cyclades.network.private`.
    NetworkPrivate,
}

/// Every resource Cyclades charges.
const ALL: [Resource; 8] = [
    Resource::Vm,
    Resource::TotalCpu,
    Resource::Cpu,
    Resource::TotalRam,
    Resource::Ram,
    Resource::Disk,
    Resource::FloatingIp,
    Resource::NetworkPrivate,
];

impl Resource {
    /// The Astakos resource name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Vm => "cyclades.vm",
            Self::TotalCpu => "cyclades.total_cpu",
            Self::Cpu => "cyclades.cpu",
            Self::TotalRam => "cyclades.total_ram",
            Self::Ram => "cyclades.ram",
            Self::Disk => "cyclades.disk",
            Self::FloatingIp => "cyclades.floating_ip",
            Self::NetworkPrivate => "cyclades.network.private",
        }
    }
}

/// One change of usage: (project, resource, signed quantity).
pub(crate) type Provision = (String, Resource, i128);

/// Cyclades' door to the Astakos quota holder.
#[derive(Debug)]
pub(crate) struct Quotas {
    astakos: Arc<Astakos>,
}

/// GiB in bytes.
pub(crate) const GIB: i128 = 1 << 30;
/// MiB in bytes.
pub(crate) const MIB: i128 = 1 << 20;

/// Converts a count to a provision quantity.
pub(crate) fn qty(n: u64) -> i128 {
    i128::from(n)
}

impl Quotas {
    /// Quotas kept by `astakos`.
    pub(crate) fn new(astakos: Arc<Astakos>) -> Self {
        Self { astakos }
    }

    /// Issues and accepts a commission for `user`, charging both the
    /// member's and the project's holding: every project must be one the
    /// user is an accepted member of (400 otherwise), no positive change may
    /// exceed a limit (413 `overLimit`); either all changes apply or none.
    /// Releases never drop a usage below zero.
    pub(crate) fn issue(&mut self, user: &str, provisions: &[Provision]) -> Result<(), Fault> {
        let mut totals: BTreeMap<(String, Resource), i128> = BTreeMap::new();
        for (project, resource, quantity) in provisions {
            *totals.entry((project.clone(), *resource)).or_default() += quantity;
        }
        let mut acc = self.astakos.lock();
        let member_of = acc.member_projects(user);
        if let Some((project, _)) = totals.keys().find(|(p, _)| !member_of.contains(p)) {
            return Err(Fault::bad_request(format!(
                "User {user} not in project {project}"
            )));
        }
        let mut changes = Vec::new();
        for ((project, resource), quantity) in totals {
            let member = member_key(user, &project, resource.name());
            let used = acc.holder.get(&member).map_or(0, |h| h.usage_min);
            let quantity = i64::try_from(quantity.max(-i128::from(used))).unwrap_or(i64::MAX);
            if quantity == 0 {
                continue;
            }
            changes.push(Change {
                key: member,
                quantity,
            });
            changes.push(Change {
                key: project_key(&project, resource.name()),
                quantity,
            });
        }
        let now = OffsetDateTime::now_utc();
        match acc.holder.apply("cyclades", "", &changes, false, now) {
            Ok(_) => Ok(()),
            Err(IssueError::Capacity { provision, .. }) => Err(Fault {
                name: "overLimit",
                ..Fault::new(
                    413,
                    format!(
                        "{} has not enough capacity of {}.",
                        provision.key.0, provision.key.2
                    ),
                )
            }),
            Err(IssueError::MissingHolding(provision)) => Err(Fault::bad_request(format!(
                "User {user} not in project {}",
                provision
                    .key
                    .1
                    .unwrap_or_default()
                    .trim_start_matches("project:")
            ))),
            Err(IssueError::Quantity { provision, .. }) => Err(Fault::bad_request(format!(
                "Cannot release {} of {}",
                provision.key.2, provision.key.0
            ))),
        }
    }

    /// Usage of `user` summed over projects, by resource name (every
    /// resource listed).
    pub(crate) fn usage_of(&self, user: &str) -> BTreeMap<String, u64> {
        let acc = self.astakos.lock();
        let projects: Vec<String> = acc.projects.keys().cloned().collect();
        ALL.iter()
            .map(|r| {
                let used = projects
                    .iter()
                    .filter_map(|p| acc.holder.get(&member_key(user, p, r.name())))
                    .map(|h| h.usage_max)
                    .sum();
                (r.name().to_owned(), used)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CycladesQuota, SimConfig, UserSpec};

    #[test]
    fn commissions_are_all_or_nothing() {
        let config = SimConfig {
            users: vec![UserSpec {
                uuid: "u".into(),
                name: "u@example.org".into(),
                realname: None,
                token: "t".into(),
                active: true,
            }],
            cyclades_quota: CycladesQuota {
                vm: 1,
                ..CycladesQuota::default()
            },
            ..SimConfig::default()
        };
        let astakos = Arc::new(Astakos::new(
            &config,
            Default::default(),
            OffsetDateTime::UNIX_EPOCH,
        ));
        let mut quotas = Quotas::new(astakos);
        let p = "u".to_owned();
        quotas
            .issue(
                "u",
                &[(p.clone(), Resource::Vm, 1), (p.clone(), Resource::Cpu, 2)],
            )
            .unwrap();
        let error = quotas
            .issue(
                "u",
                &[(p.clone(), Resource::Cpu, 1), (p.clone(), Resource::Vm, 1)],
            )
            .unwrap_err();
        assert_eq!((error.code, error.name), (413, "overLimit"));
        assert_eq!(
            error.message,
            "user:u has not enough capacity of cyclades.vm."
        );
        assert_eq!(quotas.usage_of("u")["cyclades.cpu"], 2);
        let error = quotas
            .issue("u", &[("other".into(), Resource::Vm, 1)])
            .unwrap_err();
        assert_eq!(error.message, "User u not in project other");
        quotas.issue("u", &[(p, Resource::Vm, -5)]).unwrap();
        assert_eq!(quotas.usage_of("u")["cyclades.vm"], 0);
    }
}
