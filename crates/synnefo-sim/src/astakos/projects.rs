//! Project views (wire §2.4): `GET/POST projects`, `GET/PUT
//! projects/<id>`, `POST projects/<id>/action`, with the project and
//! application state machines.

use http::Method;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::holder::Provision;
use super::model::{AppFields, Application, Project, ProjectFields};
use super::spec::read_application;
use super::state::{Accounting, Astakos, UNLIMITED, member_key};
use crate::account::astakos_user;
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// The resource counting pending applications.
const PENDING_APP: &str = "astakos.pending_app";
/// Project states accepted by the `state` filter.
const STATES: &[&str] = &[
    "uninitialized",
    "active",
    "suspended",
    "terminated",
    "deleted",
];

/// Routes `projects` and `projects/<id>[/action]` (memberships are routed
/// before this).
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let rest = rest.trim_start_matches('/');
    match rest.split_once('/') {
        None if rest.is_empty() => match req.method {
            Method::GET => list(state, req),
            Method::POST => create(state, req),
            _ => Err(Fault::not_allowed(&["GET", "POST"])),
        },
        None => match req.method {
            Method::GET => detail(state, req, rest),
            Method::PUT => modify(state, req, rest),
            _ => Err(Fault::not_allowed(&["GET", "PUT"])),
        },
        Some((id, "action")) => {
            if req.method != Method::POST {
                return Err(Fault::not_allowed(&["POST"]));
            }
            action(state, req, id)
        }
        Some(_) => Err(Fault::endpoint_not_found()),
    }
}

fn conflict(message: impl Into<String>) -> Fault {
    Fault::new(409, message)
}

fn forbidden(message: impl Into<String>) -> Fault {
    Fault::new(403, message)
}

fn not_found(id: &str) -> Fault {
    Fault::item_not_found(format!("Project {id} not found"))
}

/// Whether `user` owns the project or administers Astakos.
pub(crate) fn manages(astakos: &Astakos, project: &Project, user: &str) -> bool {
    astakos.is_admin(user) || project.owner.as_deref() == Some(user)
}

/// Whether `user` may see the project.
fn can_see(astakos: &Astakos, acc: &Accounting, project: &Project, user: &str) -> bool {
    manages(astakos, project, user)
        || acc.membership_of(user, &project.id).is_some()
        || (project.state == "active" && !project.fields.private)
}

/// The project's JSON as `user` sees it (the latest application only for
/// admins, the owner and the applicant).
fn project_json(astakos: &Astakos, acc: &Accounting, project: &Project, user: &str) -> Value {
    let app = project
        .last_app
        .and_then(|id| acc.applications.get(&id))
        .filter(|app| manages(astakos, project, user) || app.applicant == user);
    project.to_json(app)
}

/// `GET projects[?state&owner&name&mode]`.
fn list(state: &SimState, req: &ApiRequest) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let wanted_state = req.query_param("state");
    if let Some(s) = wanted_state
        && !STATES.contains(&s)
    {
        return Err(Fault::bad_request(format!("Unrecognized state {s}")));
    }
    let mode = req.query_param("mode").unwrap_or("default");
    if !matches!(mode, "default" | "related" | "member" | "active") {
        return Err(Fault::bad_request(format!("Unrecognized mode {mode}")));
    }
    let astakos = &state.astakos;
    let acc = astakos.lock();
    let admin = astakos.is_admin(user);
    let shown: Vec<Value> = acc
        .projects
        .values()
        .filter(|p| match mode {
            "member" => acc
                .membership_of(user, &p.id)
                .is_some_and(|m| m.is_accepted()),
            "active" => p.state == "active" && !p.fields.private,
            _ => admin || manages(astakos, p, user) || acc.membership_of(user, &p.id).is_some(),
        })
        .filter(|p| wanted_state.is_none_or(|s| p.state == s))
        .filter(|p| {
            req.query_param("owner")
                .is_none_or(|o| p.owner.as_deref() == Some(o))
        })
        .filter(|p| req.query_param("name").is_none_or(|n| p.fields.name == n))
        .map(|p| project_json(astakos, &acc, p, user))
        .collect();
    Ok(ApiResponse::json(200, &Value::Array(shown)))
}

/// `GET projects/<id>`.
fn detail(state: &SimState, req: &ApiRequest, id: &str) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let acc = state.astakos.lock();
    let project = acc.projects.get(id).ok_or_else(|| not_found(id))?;
    if !can_see(&state.astakos, &acc, project, user) {
        return Err(forbidden("You do not have access to this project"));
    }
    Ok(ApiResponse::json(
        200,
        &project_json(&state.astakos, &acc, project, user),
    ))
}

/// Charges (`+1`) or releases (`-1`) a pending application of `user`.
fn charge_pending(acc: &mut Accounting, user: &str, quantity: i64) -> Result<(), Fault> {
    let key = member_key(user, user, PENDING_APP);
    if !acc.holder.has(&key) {
        return Ok(());
    }
    let provision = Provision { key, quantity };
    acc.holder
        .apply(
            "astakos",
            "pending application",
            &[provision],
            quantity < 0,
            OffsetDateTime::now_utc(),
        )
        .map(drop)
        .map_err(|_| conflict("Too many pending applications"))
}

/// Records a new pending application, replacing the project's pending one.
fn submit(
    acc: &mut Accounting,
    project_id: &str,
    applicant: &str,
    fields: AppFields,
) -> Result<u64, Fault> {
    charge_pending(acc, applicant, 1)?;
    let previous = acc
        .projects
        .get(project_id)
        .and_then(|p| p.last_app)
        .and_then(|id| acc.applications.get(&id))
        .filter(|app| app.state == "pending")
        .map(|app| (app.id, app.applicant.clone()));
    if let Some((id, old_applicant)) = previous {
        if let Some(app) = acc.applications.get_mut(&id) {
            app.state = "replaced";
        }
        charge_pending(acc, &old_applicant, -1)?;
    }
    let id = acc.next_app_id();
    acc.applications.insert(
        id,
        Application {
            id,
            state: "pending",
            applicant: applicant.to_owned(),
            fields,
        },
    );
    if let Some(project) = acc.projects.get_mut(project_id) {
        project.last_app = Some(id);
    }
    Ok(id)
}

/// `POST projects`: apply for a new project.
fn create(state: &SimState, req: &ApiRequest) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let now = OffsetDateTime::now_utc();
    let fields = read_application(state, &req.json_body()?, true, now)?;
    let mut acc = state.astakos.lock();
    let id = acc.new_uuid();
    let project = Project {
        id: id.clone(),
        state: "uninitialized",
        creation_date: now,
        owner: Some(fields.owner.clone().unwrap_or_else(|| user.clone())),
        system: false,
        fields: ProjectFields {
            name: fields.name.clone().unwrap_or_default(),
            homepage: fields.homepage.clone().unwrap_or_default(),
            description: fields.description.clone().unwrap_or_default(),
            start_date: fields.start_date.unwrap_or(now),
            end_date: fields.end_date.unwrap_or(now),
            join_policy: fields
                .join_policy
                .clone()
                .unwrap_or_else(|| "moderated".into()),
            leave_policy: fields.leave_policy.clone().unwrap_or_else(|| "auto".into()),
            max_members: fields.max_members.unwrap_or(UNLIMITED),
            private: fields.private.unwrap_or(false),
            resources: fields.resources.clone().unwrap_or_default(),
        },
        last_app: None,
        deactivation_date: None,
    };
    acc.projects.insert(id.clone(), project);
    let app = match submit(&mut acc, &id, user, fields) {
        Ok(app) => app,
        Err(fault) => {
            acc.projects.remove(&id);
            return Err(fault);
        }
    };
    Ok(ApiResponse::json(
        201,
        &json!({"id": id, "application": app}),
    ))
}

/// `PUT projects/<id>`: apply for changes.
fn modify(state: &SimState, req: &ApiRequest, id: &str) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let now = OffsetDateTime::now_utc();
    let body = req.json_body()?;
    let fields = read_application(state, &body, false, now)?;
    let mut acc = state.astakos.lock();
    let project = acc.projects.get(id).ok_or_else(|| not_found(id))?;
    if !manages(&state.astakos, project, user) {
        return Err(forbidden(
            "Only the owner or an administrator may modify a project",
        ));
    }
    if project.state == "uninitialized" {
        return Err(conflict("Cannot modify an uninitialized project"));
    }
    if project.system
        && (fields.name.is_some()
            || fields.owner.is_some()
            || fields.homepage.is_some()
            || fields.description.is_some())
    {
        return Err(conflict(
            "Cannot change the name, owner, homepage or description of a system project",
        ));
    }
    let app = submit(&mut acc, id, user, fields)?;
    Ok(ApiResponse::json(
        201,
        &json!({"id": id, "application": app}),
    ))
}

/// Reads `{"<action>": {"reason": …, "app_id": …}}`.
fn read_action(body: &Value) -> Result<(String, Map<String, Value>), Fault> {
    let Value::Object(map) = body else {
        return Err(Fault::bad_request(
            "Malformed request: expected a JSON object",
        ));
    };
    if map.len() != 1 {
        return Err(Fault::bad_request("Exactly one action expected"));
    }
    let Some((action, args)) = map.iter().next() else {
        return Err(Fault::bad_request("Exactly one action expected"));
    };
    let args = match args {
        Value::Object(args) => args.clone(),
        _ => Map::new(),
    };
    Ok((action.clone(), args))
}

/// `POST projects/<id>/action`.
fn action(state: &SimState, req: &ApiRequest, id: &str) -> ApiResult {
    let user = &astakos_user(state, req)?.uuid;
    let (action, args) = read_action(&req.json_body()?)?;
    let now = OffsetDateTime::now_utc();
    let astakos = &state.astakos;
    let mut acc = astakos.lock();
    let project = acc.projects.get(id).ok_or_else(|| not_found(id))?;
    match action.as_str() {
        "suspend" | "unsuspend" | "terminate" | "reinstate" => {
            if !astakos.is_admin(user) {
                return Err(forbidden("Only an administrator may do this"));
            }
            let next = match (action.as_str(), project.state) {
                ("suspend", "active") => "suspended",
                ("unsuspend", "suspended") => "active",
                ("terminate", "active" | "suspended") => "terminated",
                ("reinstate", "terminated") => "active",
                (_, current) => {
                    return Err(conflict(format!(
                        "Cannot {action} a project that is {current}"
                    )));
                }
            };
            if let Some(project) = acc.projects.get_mut(id) {
                project.state = next;
                project.deactivation_date = (next != "active").then_some(now);
            }
            acc.sync_project(id);
            Ok(ApiResponse::empty(200))
        }
        "approve" | "deny" | "dismiss" | "cancel" => {
            let app_id = args
                .get("app_id")
                .and_then(Value::as_u64)
                .ok_or_else(|| Fault::bad_request("Missing or invalid app_id"))?;
            if project.last_app != Some(app_id) {
                return Err(conflict(format!(
                    "Application {app_id} is not the latest of project {id}"
                )));
            }
            let app = acc
                .applications
                .get(&app_id)
                .ok_or_else(|| Fault::item_not_found(format!("Application {app_id} not found")))?;
            let admin_only = matches!(action.as_str(), "approve" | "deny");
            let allowed = if admin_only {
                astakos.is_admin(user)
            } else {
                app.applicant == *user
            };
            if !allowed {
                return Err(forbidden(format!("You may not {action} this application")));
            }
            let next = match (action.as_str(), app.state) {
                ("approve", "pending") => "approved",
                ("deny", "pending") => "denied",
                ("dismiss", "denied") => "dismissed",
                ("cancel", "pending") => "cancelled",
                (_, current) => {
                    return Err(conflict(format!(
                        "Cannot {action} an application that is {current}"
                    )));
                }
            };
            let (applicant, fields, was_pending) = (
                app.applicant.clone(),
                app.fields.clone(),
                app.state == "pending",
            );
            if let Some(app) = acc.applications.get_mut(&app_id) {
                app.state = next;
            }
            if was_pending {
                charge_pending(&mut acc, &applicant, -1)?;
            }
            if let Some(project) = acc.projects.get_mut(id) {
                match next {
                    "approved" => {
                        project.apply(&fields);
                        if project.state == "uninitialized" {
                            project.state = "active";
                        }
                    }
                    "dismissed" | "cancelled" if project.state == "uninitialized" => {
                        project.state = "deleted";
                    }
                    _ => {}
                }
            }
            acc.sync_project(id);
            Ok(ApiResponse::empty(200))
        }
        other => Err(Fault::bad_request(format!("Unknown action {other}"))),
    }
}
