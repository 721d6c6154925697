//! cloudFault error bodies (wire §0.3) and their HTTP responses.

use serde_json::{Map, Value, json};

/// An API error, rendered as `{"<name>": {"code": N, "message": "…", "details": ""}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    /// HTTP status and `code` field.
    pub(crate) code: u16,
    /// The fault key (`badRequest`, `itemNotFound`, … or the generic `fault`).
    pub(crate) name: &'static str,
    /// The `message` field.
    pub(crate) message: String,
    /// The `details` field (`""` in production).
    pub(crate) details: String,
    /// For `405 notAllowed`: the methods for the `Allow` header.
    pub(crate) allow: Vec<&'static str>,
}

/// The fault key the Synnefo servers use for an HTTP status
/// (`snf_django.lib.api.faults`; the generic `fault` for the rest).
pub(crate) fn fault_name(code: u16) -> &'static str {
    match code {
        304 => "notModified",
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "notAllowed",
        409 => "conflict",
        411 => "lengthRequired",
        412 => "preconditionFailed",
        413 => "requestEntityTooLarge",
        415 => "badMediaType",
        416 => "rangeNotSatisfiable",
        421 => "networkInUse",
        422 => "unprocessableEntity",
        500 => "internalServerError",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "fault",
    }
}

impl Fault {
    /// A fault with the standard key for `code`.
    pub(crate) fn new(code: u16, message: impl Into<String>) -> Self {
        Self {
            code,
            name: fault_name(code),
            message: message.into(),
            details: String::new(),
            allow: Vec::new(),
        }
    }

    /// `400 badRequest`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// `401 unauthorized`.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, message)
    }

    /// `404 itemNotFound`.
    pub(crate) fn item_not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }

    /// `405 notAllowed` with an `Allow` header listing `allowed`.
    pub(crate) fn not_allowed(allowed: &[&'static str]) -> Self {
        Self {
            allow: allowed.to_vec(),
            ..Self::new(405, "Method not allowed")
        }
    }

    /// `500 internalServerError "Unexpected error"`: what the servers answer
    /// when a view raises something that is not an API fault.
    pub(crate) fn unexpected() -> Self {
        Self::new(500, "Unexpected error")
    }

    /// `400 badRequest "API endpoint not found"`: any unknown URL.
    pub(crate) fn endpoint_not_found() -> Self {
        Self::bad_request("API endpoint not found")
    }

    /// The JSON body.
    pub(crate) fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert(
            self.name.to_owned(),
            json!({"code": self.code, "message": self.message, "details": self.details}),
        );
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shape() {
        let fault = Fault::new(503, "down");
        assert_eq!(
            fault.to_json(),
            json!({"serviceUnavailable": {"code": 503, "message": "down", "details": ""}})
        );
        assert_eq!(fault_name(418), "fault");
        assert_eq!(Fault::not_allowed(&["POST"]).allow, vec!["POST"]);
    }
}
