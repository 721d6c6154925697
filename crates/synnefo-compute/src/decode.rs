//! Unwrapping the one-key envelopes OpenStack puts around every answer
//! (`{"server": {...}}`, `{"flavors": [...]}`), with errors that name the
//! key, the expected type and the request.

use crate::de;
use crate::models::Metadata;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use synnefo_core::{Response, Result};

/// As [`Response::json_field`], accepting the first of several keys present (a server that
/// answers in another API's shape).
pub(crate) fn field_of<T: DeserializeOwned>(response: &Response, keys: &[&str]) -> Result<T> {
    let object: Map<String, Value> = response.json()?;
    for key in keys {
        if let Some(value) = object.get(*key) {
            return serde_json::from_value(value.clone()).map_err(|e| {
                response.invalid(format!(
                    "the {key:?} field is not a valid {}: {e}",
                    std::any::type_name::<T>()
                ))
            });
        }
    }
    Err(response.invalid(format!("none of the fields {keys:?} is present")))
}

/// Metadata decoded leniently (values that are not text become text).
#[derive(Deserialize)]
struct LenientMetadata(#[serde(deserialize_with = "de::metadata")] Metadata);

/// The metadata under `key` (`metadata` or `meta`).
pub(crate) fn metadata_field(response: &Response, key: &str) -> Result<Metadata> {
    response.json_field::<LenientMetadata>(key).map(|m| m.0)
}

/// The value of `key` in a `{"meta": {key: value}}` answer.
pub(crate) fn meta_value(response: &Response, key: &str) -> Result<String> {
    let mut meta = metadata_field(response, "meta")?;
    meta.remove(key)
        .ok_or_else(|| response.invalid(format!("the answer holds no value for the key {key:?}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
}
