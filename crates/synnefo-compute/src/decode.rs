//! Unwrapping the one-key envelopes OpenStack puts around every answer
//! (`{"server": {...}}`, `{"flavors": [...]}`), with errors that name the
//! key, the expected type and the request.

use crate::de;
use crate::models::Metadata;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use synnefo_core::{Response, Result};

/// Takes `key` out of a JSON object body and decodes it as `T`.
///
/// # Errors
/// A description of what is wrong: the body is not a JSON object, lacks
/// `key`, or holds something that is not a `T` there.
pub(crate) fn take_field<T: DeserializeOwned>(body: &[u8], key: &str) -> Result<T, String> {
    let mut object: Map<String, Value> = serde_json::from_slice(body)
        .map_err(|e| format!("expected a JSON object holding {key:?}: {e}"))?;
    let value = object
        .remove(key)
        .ok_or_else(|| format!("the {key:?} field is missing"))?;
    serde_json::from_value(value).map_err(|e| {
        format!(
            "the {key:?} field is not a valid {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// [`take_field`] on a response, its errors as
/// [`synnefo_core::Error::InvalidResponse`] naming the request.
pub(crate) fn field<T: DeserializeOwned>(response: &Response, key: &str) -> Result<T> {
    take_field(response.body(), key).map_err(|problem| response.invalid(problem))
}

/// As [`field`], accepting the first of several keys present (a server that
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
    field::<LenientMetadata>(response, key).map(|m| m.0)
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
    use super::take_field;

    #[test]
    fn unwraps_and_reports_what_is_wrong() {
        let n: Vec<u32> = take_field(br#"{"n": [1, 2]}"#, "n").unwrap();
        assert_eq!(n, vec![1, 2]);
        let missing = take_field::<u32>(br#"{"m": 1}"#, "n").unwrap_err();
        assert!(missing.contains("\"n\" field is missing"), "{missing}");
        let wrong = take_field::<u32>(br#"{"n": "x"}"#, "n").unwrap_err();
        assert!(wrong.contains("not a valid u32"), "{wrong}");
        let not_json = take_field::<u32>(b"<html>", "n").unwrap_err();
        assert!(not_json.contains("expected a JSON object"), "{not_json}");
        let not_object = take_field::<u32>(b"[1]", "n").unwrap_err();
        assert!(
            not_object.contains("expected a JSON object"),
            "{not_object}"
        );
    }
}
