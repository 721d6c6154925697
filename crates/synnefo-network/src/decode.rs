//! Unwrapping the one-key envelopes of the answers (`{"network": {...}}`),
//! with errors that name the key, the expected type and the request.

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn unwraps_and_reports_what_is_wrong() {
        let n: Vec<u32> = take_field(br#"{"n": [1, 2]}"#, "n").unwrap();
        assert_eq!(n, vec![1, 2]);
        let missing = take_field::<u32>(br#"{"m": 1}"#, "n").unwrap_err();
        assert!(missing.contains("\"n\" field is missing"), "{missing}");
        let wrong = take_field::<u32>(br#"{"n": "x"}"#, "n").unwrap_err();
        assert!(wrong.contains("not a valid u32"), "{wrong}");
        assert!(take_field::<u32>(b"", "n").is_err());
    }
}
