//! Fault injection: rules that make the simulator misbehave on purpose.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// What an injected fault does to a request.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    /// Answer `status` with the matching cloudFault JSON body (e.g. 503 →
    /// `{"serviceUnavailable": {…}}`) and, if given, a `Retry-After` header.
    /// The request is not processed (no state changes).
    Status {
        /// The HTTP status to answer (an invalid one is answered as 500).
        status: u16,
        /// Value of the `Retry-After` header, if any.
        retry_after: Option<String>,
    },
    /// Read the request, do not process it, and close the connection
    /// without answering.
    DropBeforeResponse,
    /// Process the request normally (its state changes happen), send status
    /// and headers with the full `Content-Length`, then only the first half of
    /// the body, then abort the connection.
    DropMidBody,
    /// Wait this long, then process the request normally.
    Delay(Duration),
}

impl fmt::Display for FaultAction {
    /// The label stored in [`crate::RecordedRequest::fault`]:
    /// `status 503`, `drop before response`, `drop mid body`, `delay 150ms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status { status, .. } => write!(f, "status {status}"),
            Self::DropBeforeResponse => f.write_str("drop before response"),
            Self::DropMidBody => f.write_str("drop mid body"),
            Self::Delay(duration) => write!(f, "delay {duration:?}"),
        }
    }
}

/// When and how to inject a fault.
///
/// A rule matches a request when its method and path prefix match (unset =
/// anything); it then fires with its `probability`. `times` caps how many
/// times the rule fires in total (counting only the requests it was applied
/// to), after which it is inert.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRule {
    /// HTTP method to match (case-insensitive); `None` = any.
    pub method: Option<String>,
    /// Prefix of the percent-decoded request path; `None` = any.
    pub path_prefix: Option<String>,
    /// Fire at most this many times; `None` = unlimited.
    pub times: Option<u32>,
    /// Chance of firing for a matching request: `1.0` = always, `0.0` = never.
    pub probability: f64,
    /// What to do when the rule fires.
    pub action: FaultAction,
}

impl FaultRule {
    /// A rule that always applies `action` to every request.
    pub fn new(action: FaultAction) -> Self {
        Self {
            method: None,
            path_prefix: None,
            times: None,
            probability: 1.0,
            action,
        }
    }

    /// Answers `status` (with its cloudFault body) to a `rate` fraction of
    /// the requests.
    pub fn error_rate(status: u16, rate: f64) -> Self {
        Self::new(FaultAction::Status {
            status,
            retry_after: None,
        })
        .probability(rate)
    }

    /// Cuts a `rate` fraction of the responses in the middle of their body
    /// ([`FaultAction::DropMidBody`]).
    pub fn drop_rate(rate: f64) -> Self {
        Self::new(FaultAction::DropMidBody).probability(rate)
    }

    /// Only requests with this HTTP method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    /// Only requests whose decoded path starts with `prefix`.
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_owned());
        self
    }

    /// Fire only `n` times.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Fire with probability `p` (clamped to 0..=1).
    pub fn probability(mut self, p: f64) -> Self {
        self.probability = p;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_prefix
                .as_deref()
                .is_none_or(|prefix| path.starts_with(prefix))
    }
}

/// The fault rules of a running simulator; a cheap clonable handle.
///
/// Rules are checked in the order they were pushed; the first one that
/// matches and whose dice roll fires applies. Rules can be changed while the
/// simulator runs.
#[derive(Clone, Debug)]
pub struct Faults {
    inner: Arc<Mutex<FaultsInner>>,
}

#[derive(Debug)]
struct FaultsInner {
    /// Each rule with the number of times it has fired.
    rules: Vec<(FaultRule, u32)>,
    rng: fastrand::Rng,
}

impl Faults {
    /// No rules; dice seeded with `seed` (random when `None`).
    pub(crate) fn new(seed: Option<u64>) -> Self {
        let rng = match seed {
            Some(seed) => fastrand::Rng::with_seed(seed),
            None => fastrand::Rng::new(),
        };
        Self {
            inner: Arc::new(Mutex::new(FaultsInner {
                rules: Vec::new(),
                rng,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, FaultsInner> {
        // A panic while holding this lock cannot leave the rules inconsistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a rule after the existing ones.
    pub fn push(&self, rule: FaultRule) {
        self.lock().rules.push((rule, 0));
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    /// The current rules, in order.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock()
            .rules
            .iter()
            .map(|(rule, _)| rule.clone())
            .collect()
    }

    /// Decides the fault for one request, counting it against `times`.
    pub(crate) fn pick(&self, method: &str, path: &str) -> Option<FaultAction> {
        let mut inner = self.lock();
        let FaultsInner { rules, rng } = &mut *inner;
        for (rule, fired) in rules.iter_mut() {
            if rule.times.is_some_and(|limit| *fired >= limit) || !rule.matches(method, path) {
                continue;
            }
            let fires = if rule.probability >= 1.0 {
                true
            } else if rule.probability > 0.0 {
                rng.f64() < rule.probability
            } else {
                false // also NaN
            };
            if fires {
                *fired += 1;
                return Some(rule.action.clone());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> FaultAction {
        FaultAction::Status {
            status: code,
            retry_after: None,
        }
    }

    #[test]
    fn order_times_and_filters() {
        let faults = Faults::new(Some(1));
        faults.push(
            FaultRule::new(status(500))
                .method("post")
                .path_prefix("/a")
                .times(1),
        );
        faults.push(FaultRule::new(status(503)).path_prefix("/a"));
        assert_eq!(faults.pick("POST", "/a/b"), Some(status(500)));
        assert_eq!(faults.pick("POST", "/a/b"), Some(status(503)));
        assert_eq!(faults.pick("GET", "/b"), None);
        faults.clear();
        assert_eq!(faults.pick("GET", "/a"), None);
    }

    #[test]
    fn probability_is_seeded() {
        let run = |seed| {
            let faults = Faults::new(Some(seed));
            faults.push(FaultRule::error_rate(503, 0.5));
            (0..64)
                .map(|_| faults.pick("GET", "/").is_some())
                .collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert!(a.iter().any(|f| *f) && a.iter().any(|f| !*f));
        let never = Faults::new(None);
        never.push(FaultRule::drop_rate(0.0));
        assert!((0..100).all(|_| never.pick("GET", "/").is_none()));
    }

    #[test]
    fn labels() {
        assert_eq!(status(503).to_string(), "status 503");
        assert_eq!(
            FaultAction::Delay(Duration::from_millis(150)).to_string(),
            "delay 150ms"
        );
    }
}
