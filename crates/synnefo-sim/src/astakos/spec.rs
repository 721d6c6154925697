//! Reading a project application body (`POST/PUT projects`, wire §2.4).

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::model::{AppFields, Grant, Grants};
use super::resources::resource;
use super::state::UNLIMITED;
use crate::fault_body::Fault;
use crate::state::SimState;

/// Longest name.
const MAX_NAME: usize = 80;
/// Longest homepage.
const MAX_HOMEPAGE: usize = 255;
/// Longest description or comments.
const MAX_TEXT: usize = 4096;

fn bad(message: impl Into<String>) -> Fault {
    Fault::bad_request(message)
}

/// A domain-like name: dot-separated labels of letters, digits and `-`,
/// at least two labels.
fn is_domain_like(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// An ISO 8601 date: RFC 3339, or a date with an optional time and no
/// offset (read as UTC).
pub(crate) fn parse_date(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    let with_time = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        format!("{text}Z")
    };
    OffsetDateTime::parse(&with_time, &Rfc3339).ok()
}

fn text(body: &Map<String, Value>, key: &str, max: usize) -> Result<Option<String>, Fault> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(bad(format!("'{key}' is too long"))),
        Some(_) => Err(bad(format!("'{key}' must be a string"))),
    }
}

fn date(body: &Map<String, Value>, key: &str) -> Result<Option<OffsetDateTime>, Fault> {
    match text(body, key, MAX_TEXT)? {
        None => Ok(None),
        Some(s) => parse_date(&s)
            .map(Some)
            .ok_or_else(|| bad(format!("Invalid {key}: {s:?}"))),
    }
}

fn policy(body: &Map<String, Value>, key: &str) -> Result<Option<String>, Fault> {
    match text(body, key, MAX_TEXT)? {
        Some(p) if !matches!(p.as_str(), "auto" | "moderated" | "closed") => {
            Err(bad(format!("Invalid {key}: {p:?}")))
        }
        other => Ok(other),
    }
}

/// `max_members`: an integer, a numeric string or `"inf"`.
fn max_members(body: &Map<String, Value>) -> Result<Option<u64>, Fault> {
    let invalid = || bad("Invalid max_members");
    match body.get("max_members") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .filter(|n| *n <= UNLIMITED)
            .map(Some)
            .ok_or_else(invalid),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("inf") => Ok(Some(UNLIMITED)),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| invalid()),
        Some(_) => Err(invalid()),
    }
}

fn capacity(grant: &Map<String, Value>, key: &str, name: &str) -> Result<u64, Fault> {
    grant
        .get(key)
        .and_then(Value::as_u64)
        .filter(|c| *c <= UNLIMITED)
        .ok_or_else(|| bad(format!("Invalid {key} of resource {name}")))
}

fn resources(body: &Map<String, Value>) -> Result<Option<Grants>, Fault> {
    let map = match body.get("resources") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(bad("'resources' must be a dictionary")),
    };
    let mut grants = BTreeMap::new();
    for (name, grant) in map {
        if !resource(name).is_some_and(|r| r.api_visible) {
            return Err(bad(format!("Resource {name} does not exist")));
        }
        let Value::Object(grant) = grant else {
            return Err(bad(format!("Malformed resource {name}")));
        };
        let project_capacity = capacity(grant, "project_capacity", name)?;
        let member_capacity = capacity(grant, "member_capacity", name)?;
        if member_capacity > project_capacity {
            return Err(bad(format!(
                "project_capacity of {name} must not be less than member_capacity"
            )));
        }
        grants.insert(
            name.clone(),
            Grant {
                project_capacity,
                member_capacity,
            },
        );
    }
    Ok(Some(grants))
}

/// Reads an application body. Creating requires `name` and `end_date`.
pub(crate) fn read_application(
    state: &SimState,
    body: &Value,
    creating: bool,
    now: OffsetDateTime,
) -> Result<AppFields, Fault> {
    let Value::Object(body) = body else {
        return Err(bad("Malformed request: expected a JSON object"));
    };
    let name = text(body, "name", MAX_NAME)?;
    if let Some(name) = &name
        && !is_domain_like(name)
    {
        return Err(bad(format!(
            "Invalid name {name:?}: it must look like a domain name, e.g. test.example.org"
        )));
    }
    let owner = text(body, "owner", MAX_TEXT)?;
    if let Some(owner) = &owner
        && state.users.by_uuid(owner).is_none()
    {
        return Err(bad(format!("User {owner} does not exist")));
    }
    let end_date = date(body, "end_date")?;
    if end_date.is_some_and(|end| end <= now) {
        return Err(bad("end_date must be in the future"));
    }
    let private = match body.get("private") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(bad("'private' must be a boolean")),
    };
    let fields = AppFields {
        name,
        owner,
        homepage: text(body, "homepage", MAX_HOMEPAGE)?,
        description: text(body, "description", MAX_TEXT)?,
        comments: text(body, "comments", MAX_TEXT)?,
        start_date: date(body, "start_date")?,
        end_date,
        join_policy: policy(body, "join_policy")?,
        leave_policy: policy(body, "leave_policy")?,
        max_members: max_members(body)?,
        private,
        resources: resources(body)?,
    };
    if creating && fields.name.is_none() {
        return Err(bad("Field 'name' is required"));
    }
    if creating && fields.end_date.is_none() {
        return Err(bad("Field 'end_date' is required"));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dates() {
        assert!(is_domain_like("test.example.org"));
        assert!(!is_domain_like("test"));
        assert!(!is_domain_like("a..b"));
        assert!(!is_domain_like("a b.c"));
        assert!(parse_date("2030-01-02").is_some());
        assert!(parse_date("2030-01-02T03:04:05").is_some());
        assert!(parse_date("2030-01-02T03:04:05+00:00").is_some());
        assert!(parse_date("tomorrow").is_none());
    }
}
