//! `GET quotas`, `GET service_quotas`, `GET service_project_quotas`
//! (wire §2.2).

use std::collections::BTreeMap;

use http::Method;
use serde_json::{Map, Value, json};

use super::components::component;
use super::resources::{RESOURCES, ResourceDef};
use super::state::{Accounting, member_key, project_key};
use crate::account::astakos_user;
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// The resource Pithos charges; its usage is read from the object store.
const DISKSPACE: &str = "pithos.diskspace";

/// Which resources an answer shows.
fn shown(component: Option<&str>) -> impl Fn(&&ResourceDef) -> bool + '_ {
    move |r: &&ResourceDef| r.api_visible && component.is_none_or(|c| r.component == c)
}

/// The comma-separated values of a query parameter.
fn list_param(req: &ApiRequest, key: &str) -> Option<Vec<String>> {
    req.query_param(key).map(|v| {
        v.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
}

/// One user's quotas by project then resource. `pithos_usage` is the
/// user's object-store usage (charged to the system project).
fn user_quotas(
    acc: &Accounting,
    user: &str,
    projects: Option<&[String]>,
    component: Option<&str>,
    pithos_usage: u64,
) -> Value {
    let mut out = Map::new();
    for project_id in acc.member_projects_any_state(user) {
        if projects.is_some_and(|only| !only.contains(&project_id)) {
            continue;
        }
        let mut per_resource = Map::new();
        for r in RESOURCES.iter().filter(shown(component)) {
            let (Some(mine), Some(all)) = (
                acc.holder.get(&member_key(user, &project_id, r.name)),
                acc.holder.get(&project_key(&project_id, r.name)),
            ) else {
                continue;
            };
            let (mut usage, mut pending) = (
                mine.usage_max,
                mine.usage_max.saturating_sub(mine.usage_min),
            );
            let (mut project_usage, mut project_pending) =
                (all.usage_max, all.usage_max.saturating_sub(all.usage_min));
            if r.name == DISKSPACE && project_id == user {
                (usage, pending, project_usage, project_pending) =
                    (pithos_usage, 0, pithos_usage, 0);
            }
            let others = project_usage.saturating_sub(usage);
            let limit = mine.limit.min(all.limit.saturating_sub(others));
            per_resource.insert(
                r.name.to_owned(),
                json!({"limit": limit, "usage": usage, "pending": pending,
                       "project_limit": all.limit, "project_usage": project_usage,
                       "project_pending": project_pending}),
            );
        }
        out.insert(project_id, Value::Object(per_resource));
    }
    Value::Object(out)
}

/// `GET quotas`: the caller's quotas.
pub(crate) fn quotas(state: &SimState, req: &ApiRequest) -> ApiResult {
    if req.method != Method::GET {
        return Err(Fault::not_allowed(&["GET"]));
    }
    let user = astakos_user(state, req)?;
    let usage = state.pithos.account_usage(&user.uuid);
    let acc = state.astakos.lock();
    Ok(ApiResponse::json(
        200,
        &user_quotas(&acc, &user.uuid, None, None, usage),
    ))
}

/// `GET service_quotas[?user=…][&project=…]`: users' quotas in the calling
/// component's resources.
pub(crate) fn service_quotas(state: &SimState, req: &ApiRequest) -> ApiResult {
    if req.method != Method::GET {
        return Err(Fault::not_allowed(&["GET"]));
    }
    let component = component(req)?;
    let users: Vec<String> = match list_param(req, "user") {
        Some(users) => {
            if let Some(unknown) = users.iter().find(|u| state.users.by_uuid(u).is_none()) {
                return Err(Fault::item_not_found(format!("User {unknown} not found")));
            }
            users
        }
        None => state.users.uuids(),
    };
    let projects = list_param(req, "project");
    let usages: BTreeMap<&String, u64> = users
        .iter()
        .map(|u| (u, state.pithos.account_usage(u)))
        .collect();
    let acc = state.astakos.lock();
    let mut out = Map::new();
    for user in &users {
        let usage = usages.get(user).copied().unwrap_or(0);
        out.insert(
            user.clone(),
            user_quotas(&acc, user, projects.as_deref(), Some(component), usage),
        );
    }
    Ok(ApiResponse::json(200, &Value::Object(out)))
}

/// `GET service_project_quotas[?project=…]`: whole-project quotas.
pub(crate) fn service_project_quotas(state: &SimState, req: &ApiRequest) -> ApiResult {
    if req.method != Method::GET {
        return Err(Fault::not_allowed(&["GET"]));
    }
    let component = component(req)?;
    let acc = state.astakos.lock();
    let projects: Vec<String> = match list_param(req, "project") {
        Some(projects) => {
            if let Some(unknown) = projects.iter().find(|p| !acc.projects.contains_key(*p)) {
                return Err(Fault::item_not_found(format!(
                    "Project {unknown} not found"
                )));
            }
            projects
        }
        None => acc.projects.keys().cloned().collect(),
    };
    let mut out = Map::new();
    for project in projects {
        let mut per_resource = Map::new();
        for r in RESOURCES.iter().filter(shown(Some(component))) {
            if let Some(h) = acc.holder.get(&project_key(&project, r.name)) {
                per_resource.insert(
                    r.name.to_owned(),
                    json!({"project_limit": h.limit, "project_usage": h.usage_max,
                           "project_pending": h.usage_max.saturating_sub(h.usage_min)}),
                );
            }
        }
        out.insert(project, Value::Object(per_resource));
    }
    Ok(ApiResponse::json(200, &Value::Object(out)))
}
