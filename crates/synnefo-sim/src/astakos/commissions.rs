//! Commissions (wire §2.3): `POST/GET commissions`, `GET
//! commissions/<serial>`, `POST commissions/<serial>/action`, `POST
//! commissions/action`. Service tokens only.

use http::Method;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::components::component;
use super::holder::{IssueError, Provision};
use crate::dates::isoformat;
use crate::fault_body::Fault;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// Routes `commissions[/…]`; `rest` is what follows `commissions`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    match rest {
        "" => match req.method {
            Method::GET => {
                let client = component(req)?;
                let serials = state.astakos.lock().holder.pending(client);
                Ok(ApiResponse::json(200, &json!(serials)))
            }
            Method::POST => issue(state, req),
            _ => Err(Fault::not_allowed(&["GET", "POST"])),
        },
        "/action" => {
            if req.method != Method::POST {
                return Err(Fault::not_allowed(&["POST"]));
            }
            resolve_many(state, req)
        }
        _ => {
            let rest = rest.trim_start_matches('/');
            let (serial, action) = match rest.split_once('/') {
                Some((serial, "action")) => (serial, true),
                None => (rest, false),
                Some(_) => return Err(Fault::endpoint_not_found()),
            };
            let Ok(serial) = serial.parse::<u64>() else {
                return Err(Fault::endpoint_not_found());
            };
            if action {
                if req.method != Method::POST {
                    return Err(Fault::not_allowed(&["POST"]));
                }
                resolve_one(state, req, serial)
            } else {
                if req.method != Method::GET {
                    return Err(Fault::not_allowed(&["GET"]));
                }
                info(state, req, serial)
            }
        }
    }
}

/// A fault body with a `data` object, as the quota holder's errors are.
fn fault_with_data(code: u16, name: &str, message: String, data: Value) -> ApiResponse {
    let mut body = Map::new();
    body.insert(
        name.to_owned(),
        json!({"code": code, "message": message, "details": "", "data": data}),
    );
    ApiResponse::json(code, &Value::Object(body))
}

/// The answer to a refused commission.
pub(crate) fn issue_error_response(error: &IssueError) -> ApiResponse {
    match error {
        IssueError::MissingHolding(p) => fault_with_data(
            404,
            "itemNotFound",
            format!("Holding {} of {} not found", p.key.2, p.key.0),
            json!({"name": "NoHoldingError", "provision": p.to_json()}),
        ),
        IssueError::Capacity {
            provision,
            limit,
            usage,
        } => fault_with_data(
            413,
            "overLimit",
            format!(
                "{} has not enough capacity of {}: limit {limit}, usage {usage}, asked {}",
                provision.key.0, provision.key.2, provision.quantity
            ),
            json!({"name": "NoCapacityError", "provision": provision.to_json(),
                   "limit": limit, "usage": usage}),
        ),
        IssueError::Quantity { provision, usage } => fault_with_data(
            413,
            "overLimit",
            format!(
                "{} cannot release {} of {}: usage {usage}",
                provision.key.0,
                provision.quantity.unsigned_abs(),
                provision.key.2
            ),
            json!({"name": "NoQuantityError", "provision": provision.to_json(),
                   "limit": 0, "usage": usage}),
        ),
    }
}

fn malformed(what: &str) -> Fault {
    Fault::bad_request(format!("Malformed request: {what}"))
}

/// Reads one provision object.
fn provision(value: &Value) -> Result<Provision, Fault> {
    let bad = || malformed("invalid provision");
    let Value::Object(p) = value else {
        return Err(bad());
    };
    let holder = p.get("holder").and_then(Value::as_str).ok_or_else(bad)?;
    let source = match p.get("source") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(bad()),
    };
    let resource = p.get("resource").and_then(Value::as_str).ok_or_else(bad)?;
    let quantity = p.get("quantity").and_then(Value::as_i64).ok_or_else(bad)?;
    Ok(Provision {
        key: (holder.to_owned(), source, resource.to_owned()),
        quantity,
    })
}

fn flag(body: &Map<String, Value>, key: &str) -> Result<bool, Fault> {
    match body.get(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(malformed(&format!("'{key}' must be a boolean"))),
    }
}

/// `POST commissions`.
fn issue(state: &SimState, req: &ApiRequest) -> ApiResult {
    let client = component(req)?;
    let Value::Object(body) = req.json_body()? else {
        return Err(malformed("expected a JSON object"));
    };
    let Some(Value::Array(items)) = body.get("provisions") else {
        return Err(malformed("'provisions' must be a list"));
    };
    let provisions = items.iter().map(provision).collect::<Result<Vec<_>, _>>()?;
    let name = match body.get("name") {
        None => "",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(malformed("'name' must be a string")),
    };
    let force = flag(&body, "force")?;
    let auto_accept = flag(&body, "auto_accept")?;
    let now = OffsetDateTime::now_utc();
    let mut acc = state.astakos.lock();
    let issued = if auto_accept {
        acc.holder.apply(client, name, &provisions, force, now)
    } else {
        acc.holder.issue(client, name, &provisions, force, now)
    };
    match issued {
        Ok(serial) => Ok(ApiResponse::json(201, &json!({"serial": serial}))),
        Err(error) => Ok(issue_error_response(&error)),
    }
}

/// `GET commissions/<serial>`: `404` with an empty body when unknown.
fn info(state: &SimState, req: &ApiRequest, serial: u64) -> ApiResult {
    let client = component(req)?;
    let acc = state.astakos.lock();
    let Some(c) = acc.holder.commission(client, serial) else {
        return Ok(ApiResponse::empty(404));
    };
    let provisions: Vec<Value> = c.provisions.iter().map(Provision::to_json).collect();
    Ok(ApiResponse::json(
        200,
        &json!({"serial": serial, "issue_time": isoformat(c.issue_time),
                "name": c.name, "provisions": provisions}),
    ))
}

/// `POST commissions/<serial>/action` with `{"accept": ""}` or
/// `{"reject": ""}`.
fn resolve_one(state: &SimState, req: &ApiRequest, serial: u64) -> ApiResult {
    let client = component(req)?;
    let Value::Object(body) = req.json_body()? else {
        return Err(malformed("expected a JSON object"));
    };
    let accept = match (body.contains_key("accept"), body.contains_key("reject")) {
        (true, false) => true,
        (false, true) => false,
        _ => return Err(malformed("exactly one of 'accept' and 'reject' expected")),
    };
    if state.astakos.lock().holder.resolve(client, serial, accept) {
        Ok(ApiResponse::empty(200))
    } else {
        Ok(ApiResponse::empty(404))
    }
}

fn serials(body: &Map<String, Value>, key: &str) -> Result<Vec<u64>, Fault> {
    match body.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_u64()
                    .ok_or_else(|| malformed(&format!("'{key}' must list integer serials")))
            })
            .collect(),
        Some(_) => Err(malformed(&format!("'{key}' must be a list"))),
    }
}

/// `POST commissions/action` with `{"accept": [..], "reject": [..]}`.
fn resolve_many(state: &SimState, req: &ApiRequest) -> ApiResult {
    let client = component(req)?;
    let Value::Object(body) = req.json_body()? else {
        return Err(malformed("expected a JSON object"));
    };
    let accept = serials(&body, "accept")?;
    let reject = serials(&body, "reject")?;
    let mut acc = state.astakos.lock();
    let (mut accepted, mut rejected, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for serial in &accept {
        if reject.contains(serial) {
            let message = format!("cannot both accept and reject serial {serial}");
            failed.push(json!([serial, {"badRequest": {"code": 400, "message": message}}]));
        } else if acc.holder.resolve(client, *serial, true) {
            accepted.push(*serial);
        } else {
            let message = format!("serial {serial} does not exist");
            failed.push(json!([serial, {"itemNotFound": {"code": 404, "message": message}}]));
        }
    }
    for serial in reject.iter().filter(|s| !accept.contains(s)) {
        if acc.holder.resolve(client, *serial, false) {
            rejected.push(*serial);
        } else {
            let message = format!("serial {serial} does not exist");
            failed.push(json!([serial, {"itemNotFound": {"code": 404, "message": message}}]));
        }
    }
    Ok(ApiResponse::json(
        200,
        &json!({"accepted": accepted, "rejected": rejected, "failed": failed}),
    ))
}
