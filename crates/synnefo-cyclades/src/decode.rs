//! Unwrapping the one-key envelopes of the answers (`{"volume": {...}}`),
//! with errors that name the key, the expected type and the request; and
//! the wire form of ids in request bodies.

use crate::de;
use serde::Deserialize;

use serde_json::{Value, json};
use synnefo_compute::Metadata;
use synnefo_core::{Response, Result};

/// Metadata decoded leniently (values that are not text become text).
#[derive(Deserialize)]
struct LenientMetadata(#[serde(deserialize_with = "de::metadata")] Metadata);

/// The metadata under `key`.
pub(crate) fn metadata_field(response: &Response, key: &str) -> Result<Metadata> {
    response.json_field::<LenientMetadata>(key).map(|m| m.0)
}

/// An id as it goes into a request body: a JSON number when it is made of
/// digits (Synnefo's volume, volume type and server ids are integers, and
/// the wire reference shows them as numbers), a string otherwise.
pub(crate) fn id_value(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(number) if !id.starts_with('+') => json!(number),
        _ => json!(id),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn numeric_ids_become_numbers() {
        assert_eq!(id_value("101"), json!(101));
        assert_eq!(id_value("+1"), json!("+1"));
        assert_eq!(id_value("a-uuid"), json!("a-uuid"));
        assert_eq!(id_value(""), json!(""));
        assert_eq!(
            id_value("99999999999999999999999"),
            json!("99999999999999999999999")
        );
    }
}
