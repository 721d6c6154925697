//! Astakos identity API (Keystone v2.0 subset, wire §1.1–§1.3), mounted at
//! `/astakos/identity`.

use http::Method;
use serde_json::{Value, json};

use crate::config::UserSpec;
use crate::dates::isoformat;
use crate::fault_body::Fault;
use crate::json::{PyIndexError, py_index, py_truthy};
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;
use crate::versions;

/// Routes a request whose path is `/astakos/identity{rest}`.
pub(crate) fn handle(state: &SimState, req: &ApiRequest, rest: &str) -> ApiResult {
    if let Some(result) = versions::identity(state, req, rest) {
        return result;
    }
    let Some(after) = rest.strip_prefix("/v2.0/tokens") else {
        return Err(Fault::endpoint_not_found());
    };
    match after {
        "" | "/" => authenticate(state, req),
        _ => match after.strip_prefix('/') {
            Some(id) => {
                // `tokens/(?P<token_id>.+?)/?$`: one trailing slash is not part of the id.
                let id = match id.strip_suffix('/') {
                    Some(trimmed) if !trimmed.is_empty() => trimmed,
                    _ => id,
                };
                validate_token(state, req, id)
            }
            None => Err(Fault::endpoint_not_found()),
        },
    }
}

/// Turns a Python indexing failure into the server's answer: a `KeyError`
/// becomes `fault`, a `TypeError` an unexpected 500.
fn key_error_as(fault: impl Fn() -> Fault) -> impl Fn(PyIndexError) -> Fault {
    move |e| match e {
        PyIndexError::Key => fault(),
        PyIndexError::Type => Fault::unexpected(),
    }
}

/// The credentials of a `POST /tokens` body: `(token, username)`.
fn credentials(body: &Value) -> Result<(&Value, Option<&Value>), Fault> {
    let missing = || Fault::bad_request("Malformed request: missing credentials");
    // req['auth']['token']['id'], falling back on KeyError only to
    // req['auth']['passwordCredentials']['password'/'username'].
    let first = py_index(body, "auth")
        .and_then(|auth| py_index(auth, "token"))
        .and_then(|token| py_index(token, "id"));
    match first {
        Ok(token) => Ok((token, None)),
        Err(PyIndexError::Type) => Err(Fault::unexpected()),
        Err(PyIndexError::Key) => {
            let password_credentials = py_index(body, "auth")
                .and_then(|auth| py_index(auth, "passwordCredentials"))
                .map_err(key_error_as(missing))?;
            let token =
                py_index(password_credentials, "password").map_err(key_error_as(missing))?;
            let username =
                py_index(password_credentials, "username").map_err(key_error_as(missing))?;
            Ok((token, Some(username)))
        }
    }
}

/// Checks that a user may authenticate (`validate_user`).
pub(crate) fn validate_user(user: &UserSpec) -> Result<(), Fault> {
    if !user.active {
        return Err(Fault::unauthorized("User inactive"));
    }
    Ok(())
}

/// `access.token` of a user.
fn token_json(state: &SimState, user: &UserSpec) -> Value {
    json!({
        "id": user.token,
        "expires": isoformat(state.token_expires),
        // The default project is the user's system project (UUID = user UUID).
        "tenant": {"id": user.uuid, "name": user.display_realname()},
    })
}

/// `access.user` of a user, with or without `projects`.
fn user_json(state: &SimState, user: &UserSpec, with_projects: bool) -> Value {
    let mut value = json!({
        "id": user.uuid,
        "name": user.display_realname(),
        "roles": [],
        "roles_links": [],
    });
    if with_projects {
        // Accepted memberships of active projects (the system project first).
        let mut projects = state.astakos.lock().member_projects(&user.uuid);
        projects.sort_by_key(|p| *p != user.uuid);
        value["projects"] = json!(projects);
    }
    value
}

/// `POST /v2.0/tokens`: authenticate and/or get the service catalog.
fn authenticate(state: &SimState, req: &ApiRequest) -> ApiResult {
    if req.method != Method::POST {
        return Err(Fault::not_allowed(&["POST"]));
    }
    // Public mode: no (or zero, or unparsable) Content-Length.
    if req.content_length().unwrap_or(0) == 0 {
        return Ok(ApiResponse::json(
            200,
            &json!({"access": {"serviceCatalog": state.catalog}}),
        ));
    }
    let body = req.json_body()?;
    let (token, username) = credentials(&body)?;
    // `req['auth']` is a dict here, since indexing it succeeded.
    let tenant = body
        .get("auth")
        .and_then(|auth| auth.get("tenantName"))
        .cloned()
        .unwrap_or(Value::Null);
    if token.is_null() {
        return Err(Fault::bad_request("Malformed request: missing token"));
    }
    let user = token
        .as_str()
        .and_then(|t| state.users.by_token(t))
        .ok_or_else(|| Fault::unauthorized("Invalid token"))?;
    validate_user(user)?;
    // A `null` username skips the check, as on the real server.
    if let Some(username) = username.filter(|u| !u.is_null())
        && username.as_str() != Some(user.uuid.as_str())
    {
        return Err(Fault::unauthorized("Invalid credentials"));
    }
    if py_truthy(&tenant) && tenant.as_str() != Some(user.uuid.as_str()) {
        return Err(Fault::bad_request("Not conforming tenantName"));
    }
    Ok(ApiResponse::json(
        200,
        &json!({"access": {
            "token": token_json(state, user),
            "user": user_json(state, user, true),
            "serviceCatalog": state.catalog,
        }}),
    ))
}

/// `GET /v2.0/tokens/<token_id>[?belongsTo=…]`.
///
/// The real server only accepts short-lived OAuth2 access tokens here (issued
/// to the Pithos web view) and checks `belongsTo` against the token's scope.
/// The simulator has no OAuth2 flow: it accepts its users' API tokens, which
/// have no scope, so any `belongsTo` is accepted.
fn validate_token(state: &SimState, req: &ApiRequest, token_id: &str) -> ApiResult {
    if req.method != Method::GET {
        return Err(Fault::not_allowed(&["GET"]));
    }
    let user = state
        .users
        .by_token(token_id)
        .ok_or_else(|| Fault::item_not_found("No such token"))?;
    Ok(ApiResponse::json(
        200,
        &json!({"access": {
            "token": token_json(state, user),
            "user": user_json(state, user, false),
        }}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_extraction() {
        let t = json!("tok");
        assert_eq!(
            credentials(&json!({"auth": {"token": {"id": "tok"}}})).unwrap(),
            (&t, None)
        );
        let body = json!({"auth": {"token": {}, "passwordCredentials": {"username": "u", "password": "tok"}}});
        let (token, user) = credentials(&body).unwrap();
        assert_eq!(token, &t);
        assert_eq!(user, Some(&json!("u")));
        let body = json!({"auth": {"passwordCredentials": {"password": "x"}}});
        let missing = credentials(&body);
        assert_eq!(
            missing.unwrap_err().message,
            "Malformed request: missing credentials"
        );
        assert_eq!(credentials(&json!({})).unwrap_err().code, 400);
        assert_eq!(credentials(&json!([])).unwrap_err().code, 500);
        assert_eq!(credentials(&json!({"auth": "x"})).unwrap_err().code, 500);
    }
}
