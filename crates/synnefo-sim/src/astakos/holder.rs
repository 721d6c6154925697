//! The quota holder (wire §2.3, §11): holdings keyed by (holder, source,
//! resource) with a limit and a usage range, changed by commissions that
//! are issued, then accepted or rejected.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use time::OffsetDateTime;

/// `(holder, source, resource)`: `("user:U", Some("project:P"), r)` for a
/// member, `("project:P", None, r)` for a project itself.
pub(crate) type HoldingKey = (String, Option<String>, String);

/// Limit and usage of one holding. Pending additions count in `usage_max`
/// only, pending releases in `usage_min` only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Holding {
    /// The limit.
    pub(crate) limit: u64,
    /// Usage with every pending release applied and no pending addition.
    pub(crate) usage_min: u64,
    /// Usage with every pending addition applied and no pending release.
    pub(crate) usage_max: u64,
}

/// One change of one holding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Provision {
    /// The holding changed.
    pub(crate) key: HoldingKey,
    /// The change; negative releases.
    pub(crate) quantity: i64,
}

impl Provision {
    /// The wire form `{"holder", "source", "resource", "quantity"}`.
    pub(crate) fn to_json(&self) -> Value {
        let (holder, source, resource) = &self.key;
        json!({"holder": holder, "source": source, "resource": resource, "quantity": self.quantity})
    }
}

/// Why a commission was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IssueError {
    /// The holding does not exist.
    MissingHolding(Provision),
    /// Adding would exceed the limit.
    Capacity {
        /// The offending (summed) provision.
        provision: Provision,
        /// The holding's limit.
        limit: u64,
        /// Its usage (`usage_max`).
        usage: u64,
    },
    /// Releasing would drop the usage below zero.
    Quantity {
        /// The offending (summed) provision.
        provision: Provision,
        /// Its usage (`usage_min`).
        usage: u64,
    },
}

/// A pending commission.
#[derive(Clone, Debug)]
pub(crate) struct Commission {
    /// The component that issued it.
    pub(crate) client: String,
    /// Its description.
    pub(crate) name: String,
    /// When it was issued.
    pub(crate) issue_time: OffsetDateTime,
    /// Its changes (summed per holding).
    pub(crate) provisions: Vec<Provision>,
}

/// Every holding and pending commission.
#[derive(Debug, Default)]
pub(crate) struct QuotaHolder {
    holdings: BTreeMap<HoldingKey, Holding>,
    commissions: BTreeMap<u64, Commission>,
    last_serial: u64,
}

impl QuotaHolder {
    /// Sets the limit of a holding, creating it with no usage if needed.
    pub(crate) fn set_limit(&mut self, key: HoldingKey, limit: u64) {
        self.holdings.entry(key).or_default().limit = limit;
    }

    /// One holding.
    pub(crate) fn get(&self, key: &HoldingKey) -> Option<&Holding> {
        self.holdings.get(key)
    }

    /// Whether a holding exists.
    pub(crate) fn has(&self, key: &HoldingKey) -> bool {
        self.holdings.contains_key(key)
    }

    /// Issues a commission for `client`: every holding must exist, no
    /// addition may exceed a limit (unless `force`), no release may drop a
    /// usage below zero. All changes apply or none. Gives the serial.
    pub(crate) fn issue(
        &mut self,
        client: &str,
        name: &str,
        provisions: &[Provision],
        force: bool,
        now: OffsetDateTime,
    ) -> Result<u64, IssueError> {
        // Same-key provisions are summed; checks run in the order the
        // holdings first appear.
        let mut summed: Vec<Provision> = Vec::new();
        for provision in provisions {
            match summed.iter_mut().find(|p| p.key == provision.key) {
                Some(p) => p.quantity = p.quantity.saturating_add(provision.quantity),
                None => summed.push(provision.clone()),
            }
        }
        for provision in &summed {
            let Some(holding) = self.holdings.get(&provision.key) else {
                return Err(IssueError::MissingHolding(provision.clone()));
            };
            let amount = provision.quantity.unsigned_abs();
            if provision.quantity > 0 {
                let after = holding.usage_max.saturating_add(amount);
                if !force && after > holding.limit {
                    return Err(IssueError::Capacity {
                        provision: provision.clone(),
                        limit: holding.limit,
                        usage: holding.usage_max,
                    });
                }
            } else if holding.usage_min < amount {
                return Err(IssueError::Quantity {
                    provision: provision.clone(),
                    usage: holding.usage_min,
                });
            }
        }
        for provision in &summed {
            let holding = self.holdings.entry(provision.key.clone()).or_default();
            let amount = provision.quantity.unsigned_abs();
            if provision.quantity > 0 {
                holding.usage_max = holding.usage_max.saturating_add(amount);
            } else {
                holding.usage_min = holding.usage_min.saturating_sub(amount);
            }
        }
        self.last_serial += 1;
        self.commissions.insert(
            self.last_serial,
            Commission {
                client: client.to_owned(),
                name: name.to_owned(),
                issue_time: now,
                provisions: summed,
            },
        );
        Ok(self.last_serial)
    }

    /// A pending commission of `client`.
    pub(crate) fn commission(&self, client: &str, serial: u64) -> Option<&Commission> {
        self.commissions.get(&serial).filter(|c| c.client == client)
    }

    /// Serials of `client`'s pending commissions, in order.
    pub(crate) fn pending(&self, client: &str) -> Vec<u64> {
        self.commissions
            .iter()
            .filter(|(_, c)| c.client == client)
            .map(|(serial, _)| *serial)
            .collect()
    }

    /// Accepts (makes final) or rejects (undoes) a pending commission of
    /// `client`; `false` when there is no such commission.
    pub(crate) fn resolve(&mut self, client: &str, serial: u64, accept: bool) -> bool {
        if self.commission(client, serial).is_none() {
            return false;
        }
        let Some(commission) = self.commissions.remove(&serial) else {
            return false;
        };
        for provision in commission.provisions {
            let holding = self.holdings.entry(provision.key).or_default();
            let amount = provision.quantity.unsigned_abs();
            match (provision.quantity > 0, accept) {
                (true, true) => holding.usage_min = holding.usage_min.saturating_add(amount),
                (true, false) => holding.usage_max = holding.usage_max.saturating_sub(amount),
                (false, true) => holding.usage_max = holding.usage_max.saturating_sub(amount),
                (false, false) => holding.usage_min = holding.usage_min.saturating_add(amount),
            }
        }
        true
    }

    /// Issues and accepts at once.
    pub(crate) fn apply(
        &mut self,
        client: &str,
        name: &str,
        provisions: &[Provision],
        force: bool,
        now: OffsetDateTime,
    ) -> Result<u64, IssueError> {
        let serial = self.issue(client, name, provisions, force, now)?;
        self.resolve(client, serial, true);
        Ok(serial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(holder: &str) -> HoldingKey {
        (holder.to_owned(), None, "r".to_owned())
    }

    fn change(holder: &str, quantity: i64) -> Provision {
        Provision {
            key: key(holder),
            quantity,
        }
    }

    #[test]
    fn two_phase_usage() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let mut holder = QuotaHolder::default();
        holder.set_limit(key("a"), 3);
        let serial = holder
            .issue("c", "", &[change("a", 2)], false, now)
            .unwrap();
        let held = *holder.get(&key("a")).unwrap();
        assert_eq!((held.usage_min, held.usage_max), (0, 2));
        assert!(matches!(
            holder.issue("c", "", &[change("a", 2)], false, now),
            Err(IssueError::Capacity {
                limit: 3,
                usage: 2,
                ..
            })
        ));
        assert!(holder.issue("c", "", &[change("a", 2)], true, now).is_ok());
        assert!(!holder.resolve("other", serial, true));
        assert!(holder.resolve("c", serial, true));
        assert_eq!(holder.get(&key("a")).unwrap().usage_min, 2);
        assert_eq!(holder.pending("c").len(), 1);
        assert!(matches!(
            holder.issue("c", "", &[change("a", -5)], false, now),
            Err(IssueError::Quantity { usage: 2, .. })
        ));
        assert!(matches!(
            holder.issue("c", "", &[change("b", 1)], false, now),
            Err(IssueError::MissingHolding(_))
        ));
        let release = holder
            .issue("c", "", &[change("a", -1)], false, now)
            .unwrap();
        assert!(holder.resolve("c", release, false));
        assert_eq!(holder.get(&key("a")).unwrap().usage_min, 2);
    }
}
