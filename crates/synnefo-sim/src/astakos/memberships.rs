//! Membership views (wire §2.4): `GET/POST projects/memberships`, `GET
//! projects/memberships/<id>`, `POST projects/memberships/<id>/action`.

use http::Method;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::model::Membership;
use super::projects::manages;
use super::state::{Accounting, Astakos};
use crate::account::astakos_user;
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// Routes `projects/memberships[/<id>[/action]]`; `rest` follows
/// `memberships`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let rest = rest.trim_start_matches('/');
    if rest.is_empty() {
        return match req.method {
            Method::GET => list(state, req),
            Method::POST => join_or_enroll(state, req),
            _ => Err(Fault::not_allowed(&["GET", "POST"])),
        };
    }
    let (id, action) = match rest.split_once('/') {
        None => (rest, false),
        Some((id, "action")) => (id, true),
        Some(_) => return Err(Fault::endpoint_not_found()),
    };
    let Ok(id) = id.parse::<u64>() else {
        return Err(Fault::endpoint_not_found());
    };
    match (action, &req.method) {
        (false, &Method::GET) => detail(state, req, id),
        (false, _) => Err(Fault::not_allowed(&["GET"])),
        (true, &Method::POST) => act(state, req, id),
        (true, _) => Err(Fault::not_allowed(&["POST"])),
    }
}

fn conflict(message: impl Into<String>) -> Fault {
    Fault::new(409, message)
}

/// Whether `user` manages the membership's project.
fn manages_membership(astakos: &Astakos, acc: &Accounting, m: &Membership, user: &str) -> bool {
    acc.projects
        .get(&m.project)
        .is_some_and(|p| manages(astakos, p, user))
}

/// What `user` may do with a membership.
fn allowed_actions(
    astakos: &Astakos,
    acc: &Accounting,
    m: &Membership,
    user: &str,
) -> Vec<&'static str> {
    if acc.projects.get(&m.project).is_none_or(|p| p.system) {
        return Vec::new();
    }
    let (mine, manager) = (m.user == user, manages_membership(astakos, acc, m, user));
    let mut actions = Vec::new();
    match m.state {
        "requested" => {
            if mine {
                actions.push("cancel");
            }
            if manager {
                actions.extend(["accept", "reject"]);
            }
        }
        "accepted" => {
            if mine {
                actions.push("leave");
            }
            if manager {
                actions.push("remove");
            }
        }
        "leave_requested" if manager => actions.extend(["accept", "reject"]),
        _ => {}
    }
    actions
}

fn visible(astakos: &Astakos, acc: &Accounting, m: &Membership, user: &str) -> bool {
    m.user == user || manages_membership(astakos, acc, m, user)
}

/// `GET projects/memberships[?project=…]`.
fn list(state: &SimState, req: &ApiRequest) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let astakos = &state.astakos;
    let acc = astakos.lock();
    let project = req.query_param("project");
    let shown: Vec<Value> = acc
        .memberships
        .values()
        .filter(|m| visible(astakos, &acc, m, user))
        .filter(|m| project.is_none_or(|p| m.project == p))
        .map(|m| m.to_json(&allowed_actions(astakos, &acc, m, user)))
        .collect();
    Ok(ApiResponse::json(200, &Value::Array(shown)))
}

/// `GET projects/memberships/<id>`.
fn detail(state: &SimState, req: &ApiRequest, id: u64) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let astakos = &state.astakos;
    let acc = astakos.lock();
    let m = acc
        .memberships
        .get(&id)
        .filter(|m| visible(astakos, &acc, m, user))
        .ok_or_else(|| Fault::item_not_found(format!("Membership {id} not found")))?;
    Ok(ApiResponse::json(
        200,
        &m.to_json(&allowed_actions(astakos, &acc, m, user)),
    ))
}

/// Puts `user` in `project` in `state`, reusing a finished membership.
fn associate(
    acc: &mut Accounting,
    user: &str,
    project: &str,
    state: &'static str,
    now: OffsetDateTime,
) -> Result<u64, Fault> {
    match acc
        .membership_of(user, project)
        .map(|m| (m.id, m.is_live()))
    {
        Some((_, true)) => Err(conflict("The user is already associated with the project")),
        Some((id, false)) => {
            if let Some(m) = acc.memberships.get_mut(&id) {
                m.enter(state, now);
            }
            Ok(id)
        }
        None => Ok(acc.new_membership(user, project, state, now)),
    }
}

/// `POST projects/memberships` with `{"join": …}` or `{"enroll": …}`.
fn join_or_enroll(state: &SimState, req: &ApiRequest) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let body = req.json_body()?;
    let (enroll, args) = match (body.get("join"), body.get("enroll")) {
        (Some(args), None) => (false, args),
        (None, Some(args)) => (true, args),
        _ => {
            return Err(Fault::bad_request(
                "Exactly one of 'join' and 'enroll' expected",
            ));
        }
    };
    let project_id = args
        .get("project")
        .and_then(Value::as_str)
        .ok_or_else(|| Fault::bad_request("Missing project"))?;
    let now = OffsetDateTime::now_utc();
    let astakos = &state.astakos;
    let mut acc = astakos.lock();
    let project = acc
        .projects
        .get(project_id)
        .ok_or_else(|| Fault::item_not_found(format!("Project {project_id} not found")))?;
    if project.state != "active" {
        return Err(conflict(format!("Project {project_id} is not active")));
    }
    let id = if enroll {
        if !manages(astakos, project, user) {
            return Err(Fault::new(403, "Only the owner may enroll members"));
        }
        let email = args
            .get("user")
            .and_then(Value::as_str)
            .ok_or_else(|| Fault::bad_request("Missing user"))?;
        let member = state
            .users
            .by_name(email)
            .ok_or_else(|| conflict(format!("User {email} not found")))?;
        // A pending request of the user is accepted.
        let requested = acc
            .membership_of(&member.uuid, project_id)
            .filter(|m| m.state == "requested")
            .map(|m| m.id);
        match requested.and_then(|id| acc.memberships.get_mut(&id)) {
            Some(m) => {
                m.enter("accepted", now);
                m.id
            }
            None => associate(&mut acc, &member.uuid, project_id, "accepted", now)?,
        }
    } else {
        let members = acc.accepted_members(project_id).len() as u64;
        let target = match project.fields.join_policy.as_str() {
            "closed" => return Err(conflict("The project does not accept new members")),
            "auto" if members < project.fields.max_members => "accepted",
            _ => "requested",
        };
        associate(&mut acc, user, project_id, target, now)?
    };
    acc.sync_project(project_id);
    Ok(ApiResponse::json(200, &json!({"id": id})))
}

/// `POST projects/memberships/<id>/action` with `{"<action>": "<reason>"}`.
fn act(state: &SimState, req: &ApiRequest, id: u64) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let body = req.json_body()?;
    let action = match &body {
        Value::Object(map) if map.len() == 1 => map.keys().next().cloned().unwrap_or_default(),
        _ => return Err(Fault::bad_request("Exactly one action expected")),
    };
    let now = OffsetDateTime::now_utc();
    let astakos = &state.astakos;
    let mut acc = astakos.lock();
    let m = acc
        .memberships
        .get(&id)
        .filter(|m| visible(astakos, &acc, m, user))
        .ok_or_else(|| Fault::item_not_found(format!("Membership {id} not found")))?;
    if !matches!(
        action.as_str(),
        "leave" | "cancel" | "accept" | "reject" | "remove"
    ) {
        return Err(Fault::bad_request(format!("Unknown action {action}")));
    }
    let manager_action = matches!(action.as_str(), "accept" | "reject" | "remove");
    let permitted = if manager_action {
        manages_membership(astakos, &acc, m, user)
    } else {
        m.user == *user
    };
    if !permitted {
        return Err(Fault::new(
            403,
            format!("You may not {action} this membership"),
        ));
    }
    if !allowed_actions(astakos, &acc, m, user).contains(&action.as_str()) {
        return Err(conflict(format!(
            "Cannot {action} a membership that is {}",
            m.state
        )));
    }
    let leave_policy = acc
        .projects
        .get(&m.project)
        .map(|p| p.fields.leave_policy.clone())
        .unwrap_or_default();
    let next = match (action.as_str(), m.state) {
        ("cancel", _) => "cancelled",
        ("accept", "requested") | ("reject", "leave_requested") => "accepted",
        ("accept", _) | ("remove", _) => "removed",
        ("reject", _) => "rejected",
        ("leave", _) => match leave_policy.as_str() {
            "auto" => "removed",
            "moderated" => "leave_requested",
            _ => return Err(conflict("The project does not allow leaving")),
        },
        _ => return Err(Fault::bad_request(format!("Unknown action {action}"))),
    };
    let project = m.project.clone();
    if let Some(m) = acc.memberships.get_mut(&id) {
        m.enter(next, now);
    }
    acc.sync_project(&project);
    Ok(ApiResponse::empty(200))
}
