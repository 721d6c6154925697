//! Astakos account API (wire §1.4–§1.5), mounted at `/astakos/account`:
//! `user_catalogs` (user and service variants) and `feedback` here;
//! resources, quotas, commissions, projects and memberships (wire §2) in
//! [`crate::astakos`].

use std::collections::BTreeMap;

use http::Method;
use serde_json::{Map, Value, json};

use crate::config::UserSpec;
use crate::fault_body::Fault;
use crate::form::{field, form_fields};
use crate::identity::validate_user;
use crate::json::py_str;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// Routes a request whose path is `/astakos/account{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    let Some(rest) = rest.strip_prefix("/v1.0/") else {
        return Err(Fault::endpoint_not_found());
    };
    let resource = rest.strip_suffix('/').unwrap_or(rest);
    match resource {
        "user_catalogs" => user_catalogs(state, req, false),
        "service/user_catalogs" => user_catalogs(state, req, true),
        "feedback" => feedback(state, req),
        _ => crate::astakos::handle(state, req, resource),
    }
}

/// Authenticates the caller of an Astakos endpoint by its user token:
/// `401 unauthorized` with Astakos' messages when missing or invalid.
pub(crate) fn astakos_user<'a>(
    state: &'a SimState,
    req: &ApiRequest,
) -> Result<&'a UserSpec, Fault> {
    let token = req.auth_token().unwrap_or_default();
    if token.is_empty() {
        return Err(Fault::unauthorized(
            "Access denied. No authentication token",
        ));
    }
    let user = state
        .users
        .by_token(&token)
        .ok_or_else(|| Fault::unauthorized("Invalid X-Auth-Token"))?;
    validate_user(user)?;
    Ok(user)
}

/// `POST /v1.0/user_catalogs` (user token) and `POST
/// /v1.0/service/user_catalogs` (service token): UUID ⇄ display name
/// lookups.
fn user_catalogs(state: &SimState, req: &ApiRequest, service: bool) -> ApiResult {
    if req.method != Method::POST {
        return Err(Fault::not_allowed(&["POST"]));
    }
    if service {
        crate::astakos::component(req)?;
    } else {
        astakos_user(state, req)?;
    }
    let all_uuids = state.users.uuids();
    // The body is parsed as JSON whatever its Content-Type.
    let input: Value = std::str::from_utf8(&req.body)
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| Fault::bad_request("Request body should be json formatted."))?;
    let Value::Object(input) = input else {
        return Err(Fault::bad_request(
            "Request body should be a json formatted dictionary",
        ));
    };
    let uuids: Vec<&str> = match input.get("uuids") {
        // The service variant reads `null` as "every user".
        Some(Value::Null) if service => all_uuids.iter().map(String::as_str).collect(),
        // The user variant treats `null` as "no uuids".
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        // Django's `uuid__in=` iterates a dict's keys and a string's characters.
        Some(Value::Object(map)) => map.keys().map(String::as_str).collect(),
        Some(Value::String(_)) => Vec::new(),
        Some(Value::Number(_) | Value::Bool(_)) => return Err(Fault::unexpected()),
    };
    let no_names = Vec::new();
    let displaynames = match input.get("displaynames") {
        None => &no_names,
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(Fault::bad_request(format!(
                "Invalid displaynames: {}",
                py_str(other)
            )));
        }
    }
    .iter()
    .map(|item| {
        item.as_str()
            .ok_or_else(|| Fault::bad_request("Items in 'displaynames' must be strings"))
    })
    .collect::<Result<Vec<&str>, Fault>>()?;

    let mut uuid_catalog = Map::new();
    for uuid in uuids {
        if let Some(user) = state.users.by_uuid(uuid) {
            uuid_catalog.insert(user.uuid.clone(), json!(user.name));
        }
    }
    // Case-insensitive lookup; the key is the spelling sent (the last one
    // when several spellings of one name are sent).
    let mut spellings: BTreeMap<String, &str> = BTreeMap::new();
    for name in displaynames {
        spellings.insert(name.to_lowercase(), name);
    }
    let mut displayname_catalog = Map::new();
    for (lower, spelling) in spellings {
        if let Some(user) = state.users.by_name(&lower) {
            displayname_catalog.insert(spelling.to_owned(), json!(user.uuid));
        }
    }
    Ok(ApiResponse::json(
        200,
        &json!({"uuid_catalog": uuid_catalog, "displayname_catalog": displayname_catalog}),
    ))
}

/// `POST /v1.0/feedback`: form fields `feedback_msg` (required) and
/// `feedback_data`. The simulator sends no mail, so never answers 502.
fn feedback(state: &SimState, req: &ApiRequest) -> ApiResult {
    if req.method != Method::POST {
        return Err(Fault::not_allowed(&["POST"]));
    }
    astakos_user(state, req)?;
    let fields = form_fields(req);
    match field(&fields, "feedback_msg") {
        Some(message) if !message.is_empty() => Ok(ApiResponse::empty(200)),
        _ => Err(Fault::bad_request("Invalid data")),
    }
}
