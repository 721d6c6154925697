//! Cyclades quotas (wire §11): usage per (user, project, resource) checked
//! against the configured limits, like Astakos' quota holder answers the
//! commissions Cyclades issues.

use std::collections::BTreeMap;

use crate::config::CycladesQuota;
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

    fn limit(self, quota: &CycladesQuota) -> u64 {
        match self {
            Self::Vm => quota.vm,
            Self::TotalCpu => quota.total_cpu,
            Self::Cpu => quota.cpu,
            Self::TotalRam => quota.total_ram,
            Self::Ram => quota.ram,
            Self::Disk => quota.disk,
            Self::FloatingIp => quota.floating_ip,
            Self::NetworkPrivate => quota.network_private,
        }
    }
}

/// One change of usage: (project, resource, signed quantity).
pub(crate) type Provision = (String, Resource, i128);

/// Limits and usage.
#[derive(Debug)]
pub(crate) struct Quotas {
    default: CycladesQuota,
    per_user: BTreeMap<String, CycladesQuota>,
    usage: BTreeMap<(String, String, Resource), u64>,
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
    /// Limits from the configuration, no usage.
    pub(crate) fn new(default: CycladesQuota, per_user: BTreeMap<String, CycladesQuota>) -> Self {
        Self {
            default,
            per_user,
            usage: BTreeMap::new(),
        }
    }

    /// Issues and accepts a commission for `user`: every project must be one
    /// the user is a member of (400 otherwise), no positive change may exceed
    /// a limit (413 `overLimit`); either all changes apply or none.
    pub(crate) fn issue(&mut self, user: &str, provisions: &[Provision]) -> Result<(), Fault> {
        let mut totals: BTreeMap<(String, Resource), i128> = BTreeMap::new();
        for (project, resource, quantity) in provisions {
            *totals.entry((project.clone(), *resource)).or_default() += quantity;
        }
        for (project, _) in totals.keys() {
            // Users are members of their system project only.
            if project != user {
                return Err(Fault::bad_request(format!(
                    "User {user} not in project {project}"
                )));
            }
        }
        let limits = *self.per_user.get(user).unwrap_or(&self.default);
        for ((project, resource), quantity) in &totals {
            let used = i128::from(self.used(user, project, *resource));
            if *quantity > 0 && used + quantity > i128::from(resource.limit(&limits)) {
                return Err(Fault {
                    name: "overLimit",
                    ..Fault::new(
                        413,
                        format!(
                            "user:{user} has not enough capacity of {}.",
                            resource.name()
                        ),
                    )
                });
            }
        }
        for ((project, resource), quantity) in totals {
            let key = (user.to_owned(), project, resource);
            let used = i128::from(self.usage.get(&key).copied().unwrap_or(0));
            let new = u64::try_from((used + quantity).max(0)).unwrap_or(u64::MAX);
            self.usage.insert(key, new);
        }
        Ok(())
    }

    /// Usage of a resource.
    fn used(&self, user: &str, project: &str, resource: Resource) -> u64 {
        self.usage
            .get(&(user.to_owned(), project.to_owned(), resource))
            .copied()
            .unwrap_or(0)
    }

    /// Usage of `user` summed over projects, by resource name (every
    /// resource listed).
    pub(crate) fn usage_of(&self, user: &str) -> BTreeMap<String, u64> {
        let mut out: BTreeMap<String, u64> = [
            Resource::Vm,
            Resource::TotalCpu,
            Resource::Cpu,
            Resource::TotalRam,
            Resource::Ram,
            Resource::Disk,
            Resource::FloatingIp,
            Resource::NetworkPrivate,
        ]
        .iter()
        .map(|r| (r.name().to_owned(), 0))
        .collect();
        for ((owner, _, resource), used) in &self.usage {
            if owner == user {
                *out.entry(resource.name().to_owned()).or_default() += used;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commissions_are_all_or_nothing() {
        let mut quotas = Quotas::new(
            CycladesQuota {
                vm: 1,
                ..CycladesQuota::default()
            },
            BTreeMap::new(),
        );
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
        assert_eq!(quotas.usage_of("u")["cyclades.cpu"], 2);
        let error = quotas
            .issue("u", &[("other".into(), Resource::Vm, 1)])
            .unwrap_err();
        assert_eq!(error.message, "User u not in project other");
        quotas.issue("u", &[(p, Resource::Vm, -5)]).unwrap();
        assert_eq!(quotas.usage_of("u")["cyclades.vm"], 0);
    }
}
