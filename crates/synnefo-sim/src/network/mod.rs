//! Cyclades network API (wire §4, a Neutron subset), mounted at
//! `/cyclades/network` with the API under `/v2.0/`: networks, subnets,
//! ports and floating IPs.
//!
//! Everything lives in the Cyclades world next to the servers the ports
//! belong to (`crate::compute::network` holds the records). Attaching or
//! detaching a server's port is a job on the server, completed after
//! `action_delay` like the compute actions.

mod cidr;
mod floating_ips;
mod networks;
mod ports;
mod routes;
mod subnets;
mod view;

use http::Method;
use serde_json::{Map, Value};

use crate::compute::world::World;
use crate::compute::{Ctx, run};
use crate::fault_body::Fault;
use crate::json::py_str;
use crate::request::ApiRequest;
use crate::response::ApiResult;
use crate::state::SimState;
use crate::versions;
use routes::Route;

/// Longest name of a network, subnet or port.
const MAX_NAME: usize = 128;

/// Routes a request whose path is `/cyclades/network{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let Some(path) = rest.strip_prefix("/v2.0/").filter(|p| !p.is_empty()) else {
        return versions::network(state, req, rest);
    };
    let route = routes::parse(path).ok_or_else(Fault::endpoint_not_found)?;
    if !route.allowed().contains(&req.method.as_str()) {
        return Err(Fault::not_allowed(route.allowed()));
    }
    run(state, req, |ctx, world| dispatch(ctx, world, route))
}

/// Runs the view of a route.
fn dispatch(ctx: &Ctx<'_>, world: &mut World, route: Route) -> ApiResult {
    let m = &ctx.req.method;
    match route {
        Route::Networks { .. } if m == Method::POST => networks::create(ctx, world),
        Route::Networks { .. } => networks::list(ctx, world),
        Route::Network(id) if m == Method::PUT => networks::update(ctx, world, &id),
        Route::Network(id) if m == Method::DELETE => networks::delete(ctx, world, &id),
        Route::Network(id) => networks::get(ctx, world, &id),
        Route::NetworkAction(id) => networks::action(ctx, world, &id),
        Route::Subnets { .. } if m == Method::POST => subnets::create(ctx, world),
        Route::Subnets { .. } => subnets::list(ctx, world),
        Route::Subnet(id) if m == Method::PUT => subnets::update(ctx, world, &id),
        Route::Subnet(_) if m == Method::DELETE => subnets::delete(),
        Route::Subnet(id) => subnets::get(ctx, world, &id),
        Route::Ports { .. } if m == Method::POST => ports::create(ctx, world),
        Route::Ports { .. } => ports::list(ctx, world),
        Route::Port(id) if m == Method::PUT => ports::update(ctx, world, &id),
        Route::Port(id) if m == Method::DELETE => ports::delete(ctx, world, &id),
        Route::Port(id) => ports::get(ctx, world, &id),
        Route::FloatingIps { .. } if m == Method::POST => floating_ips::create(ctx, world),
        Route::FloatingIps { .. } => floating_ips::list(ctx, world),
        Route::FloatingIp(_) if m == Method::PUT => floating_ips::update(),
        Route::FloatingIp(id) if m == Method::DELETE => floating_ips::delete(ctx, world, &id),
        Route::FloatingIp(id) => floating_ips::get(ctx, world, &id),
        Route::FloatingIpAction(id) => floating_ips::action(ctx, world, &id),
    }
}

/// An integer id from a URL or body (400 `Invalid <what> ID '<text>'`).
fn parse_id(text: &str, what: &str) -> Result<u64, Fault> {
    text.trim()
        .parse()
        .map_err(|_| Fault::bad_request(format!("Invalid {what} ID '{text}'")))
}

/// An optional text attribute (400 when it is not text).
fn text_attr(object: &Map<String, Value>, key: &str) -> Result<Option<String>, Fault> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Fault::bad_request(format!(
            "Malformed request. Invalid '{key}' field"
        ))),
    }
}

/// An optional name of at most 128 characters.
fn name_attr(object: &Map<String, Value>) -> Result<Option<String>, Fault> {
    let name = text_attr(object, "name")?;
    if name.as_ref().is_some_and(|n| n.chars().count() > MAX_NAME) {
        return Err(Fault::bad_request(format!(
            "Name must be at most {MAX_NAME} characters long"
        )));
    }
    Ok(name)
}

/// A required attribute, as text (400 `Malformed request. Missing
/// attribute '<key>'.`).
fn required(object: &Map<String, Value>, key: &str) -> Result<String, Fault> {
    object
        .get(key)
        .filter(|v| !v.is_null())
        .map(py_str)
        .ok_or_else(|| Fault::bad_request(format!("Malformed request. Missing attribute '{key}'.")))
}

/// An optional boolean attribute (400 when it is not a boolean).
fn bool_attr(object: &Map<String, Value>, key: &str) -> Result<Option<bool>, Fault> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Fault::bad_request(format!(
            "Malformed request. Invalid '{key}' field"
        ))),
    }
}

/// The project of a create or reassign: the one given, or the user's
/// system project.
fn project_attr(ctx: &Ctx<'_>, object: &Map<String, Value>) -> Result<String, Fault> {
    Ok(text_attr(object, "project")?.unwrap_or_else(|| ctx.user.to_owned()))
}

/// The `reassign` arguments of an action body: (project, shared_to_project).
fn reassign_args(ctx: &Ctx<'_>) -> Result<(String, Option<bool>), Fault> {
    let body = ctx.req.json_body()?;
    let Value::Object(actions) = &body else {
        return Err(Fault::bad_request("Malformed request"));
    };
    let Some(args) = actions.get("reassign") else {
        let name = actions.keys().next().cloned().unwrap_or_default();
        return Err(Fault::bad_request(format!("Action '{name}' not supported")));
    };
    let Value::Object(args) = args else {
        return Err(Fault::bad_request(
            "Malformed request. Invalid 'reassign' field",
        ));
    };
    let project = text_attr(args, "project")?
        .ok_or_else(|| Fault::bad_request("Malformed request. Missing attribute 'project'."))?;
    Ok((project, bool_attr(args, "shared_to_project")?))
}
