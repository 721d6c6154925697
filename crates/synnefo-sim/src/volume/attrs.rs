//! Reading request attributes like the server's `get_attribute`: a missing
//! required one or one of the wrong type is a 400 with a fixed message.

use serde_json::{Map, Value};

use crate::fault_body::Fault;

/// `Malformed request. Missing attribute '<key>'.`
pub(crate) fn missing(key: &str) -> Fault {
    Fault::bad_request(format!("Malformed request. Missing attribute '{key}'."))
}

/// `Malformed request. Invalid '<key>' field`
pub(crate) fn invalid(key: &str) -> Fault {
    Fault::bad_request(format!("Malformed request. Invalid '{key}' field"))
}

/// A non-null attribute.
pub(crate) fn attr<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// A string attribute (`None` when absent and not required).
pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    required: bool,
) -> Result<Option<&'a str>, Fault> {
    match attr(map, key) {
        None if required => Err(missing(key)),
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(key)),
    }
}

/// A string or integer attribute, as text (Python's `str()` of it).
pub(crate) fn string_or_int(
    map: &Map<String, Value>,
    key: &str,
    required: bool,
) -> Result<Option<String>, Fault> {
    match attr(map, key) {
        None if required => Err(missing(key)),
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        // `bool` is an `int` in Python.
        Some(Value::Bool(b)) => Ok(Some(u8::from(*b).to_string())),
        Some(_) => Err(invalid(key)),
    }
}

/// An object attribute.
pub(crate) fn dict<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    required: bool,
) -> Result<Option<&'a Map<String, Value>>, Fault> {
    match attr(map, key) {
        None if required => Err(missing(key)),
        None => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(invalid(key)),
    }
}

/// A boolean attribute.
pub(crate) fn boolean(map: &Map<String, Value>, key: &str) -> Result<Option<bool>, Fault> {
    match attr(map, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(key)),
    }
}

/// The top-level object of a body (`{}` for other JSON values, whose
/// attributes all read as missing).
pub(crate) fn object(body: &Value) -> Map<String, Value> {
    match body {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    }
}

/// A string-to-string map, checking key and value lengths.
pub(crate) fn string_map(
    map: &Map<String, Value>,
    max_key: usize,
    max_value: usize,
    key_message: &str,
    value_message: &str,
) -> Result<Vec<(String, String)>, Fault> {
    map.iter()
        .map(|(k, v)| {
            let Value::String(v) = v else {
                return Err(Fault::bad_request("Malformed request"));
            };
            if k.chars().count() > max_key {
                return Err(Fault::bad_request(key_message));
            }
            if v.chars().count() > max_value {
                return Err(Fault::bad_request(value_message));
            }
            Ok((k.clone(), v.clone()))
        })
        .collect()
}
