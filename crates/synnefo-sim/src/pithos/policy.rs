//! Container policies (`quota`, `versioning`, `project`) and the quota
//! checks of writes (wire §6.4, §6.8).

use std::collections::BTreeMap;

use crate::fault_body::Fault;

use super::headers::Headers;
use super::store::{Policy, parse_quota};

/// The `X-Container-Policy-*` headers: lower-case key → value without
/// spaces.
pub(crate) fn policy_headers(headers: &Headers) -> BTreeMap<String, String> {
    headers
        .with_prefix("x-container-policy-")
        .into_iter()
        .map(|(key, value)| {
            let key = key
                .get("X-Container-Policy-".len()..)
                .unwrap_or("")
                .to_lowercase();
            (key, value.replace(' ', ""))
        })
        .collect()
}

/// Checks policy values like the backend's `_check_policy`.
pub(crate) fn validate(changes: &BTreeMap<String, String>) -> Result<(), Fault> {
    for (key, value) in changes {
        match key.as_str() {
            "quota" => {
                if parse_quota(value).is_none() {
                    return Err(Fault::bad_request(
                        "The quota policy value should be a positive integer.",
                    ));
                }
            }
            "versioning" => {
                if value != "auto" && value != "none" {
                    return Err(Fault::bad_request(
                        "The versioning policy value should be either 'auto' or 'none'.",
                    ));
                }
            }
            "project" => {}
            _ => {
                return Err(Fault::bad_request(
                    "The only allowed policies are 'quota' or 'versioning'.",
                ));
            }
        }
    }
    Ok(())
}

/// `current` updated with `changes`; with `replace`, unspecified policies
/// revert to the defaults of `account`'s containers.
pub(crate) fn apply(
    current: &Policy,
    changes: &BTreeMap<String, String>,
    replace: bool,
    account: &str,
) -> Policy {
    let mut policy = if replace {
        Policy::default_for(account)
    } else {
        current.clone()
    };
    for (key, value) in changes {
        match key.as_str() {
            "quota" => policy.quota = value.clone(),
            "versioning" => policy.versioning = value.clone(),
            "project" => policy.project = value.clone(),
            _ => {}
        }
    }
    policy
}

/// Checks that growing by `delta` bytes keeps the account (`usage` of
/// `quota`) and the container within their quotas (0 = unlimited).
pub(crate) fn check_quota(
    delta: i128,
    account_usage: u64,
    account_quota: u64,
    container_usage: u64,
    container_quota: u64,
) -> Result<(), Fault> {
    if delta <= 0 {
        return Ok(());
    }
    let account_after = i128::from(account_usage) + delta;
    if account_quota > 0 && account_after > i128::from(account_quota) {
        return Err(Fault::new(
            413,
            format!(
                "Quota error: Account quota exceeded: limit: {account_quota}, usage: {account_after}"
            ),
        ));
    }
    let container_after = i128::from(container_usage) + delta;
    if container_quota > 0 && container_after > i128::from(container_quota) {
        return Err(Fault::new(
            413,
            format!(
                "Quota error: Container quota exceeded: limit: {container_quota}, usage: {container_after}"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies() {
        let mut changes = BTreeMap::new();
        changes.insert("quota".to_owned(), "100".to_owned());
        assert!(validate(&changes).is_ok());
        let policy = apply(&Policy::default_for("a"), &changes, false, "a");
        assert_eq!(policy.quota_bytes(), 100);
        changes.insert("versioning".to_owned(), "manual".to_owned());
        assert_eq!(validate(&changes).unwrap_err().code, 400);
        let mut other = BTreeMap::new();
        other.insert("color".to_owned(), "red".to_owned());
        assert!(validate(&other).is_err());
        let reset = apply(&policy, &BTreeMap::new(), true, "a");
        assert_eq!(reset, Policy::default_for("a"));
    }

    #[test]
    fn quotas() {
        assert!(check_quota(100, 0, 0, 0, 100).is_ok());
        let fault = check_quota(101, 0, 0, 0, 100).unwrap_err();
        assert_eq!(fault.code, 413);
        assert_eq!(fault.name, "requestEntityTooLarge");
        assert_eq!(
            fault.message,
            "Quota error: Container quota exceeded: limit: 100, usage: 101"
        );
        assert!(check_quota(5, 10, 12, 0, 0).is_err());
        assert!(check_quota(-5, 100, 12, 0, 0).is_ok());
    }
}
