//! Lenient decoding of what servers send: integer ids that arrive as
//! numbers or as strings, `null` where a collection or text is expected,
//! metadata values that are not strings, and fields that are an object on
//! one cloud and `""` on another. None of these panics; a value that cannot
//! be read at all is a decoding error naming the field.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Reads an unsigned integer from a JSON number or a numeric string.
struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer, as a number or a string")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom(format!("negative id {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        if v.fract() == 0.0 && (0.0..1.8e19).contains(&v) {
            Ok(v as u64)
        } else {
            Err(E::custom(format!("{v} is not an integer id")))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom(format!("{v:?} is not an integer id")))
    }
}

/// An integer id sent as a number or a string, with `null` (or absence, with `#[serde(default)]`) as `None`.
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(value) => value
            .deserialize_any(U64Visitor)
            .map(Some)
            .map_err(de::Error::custom),
    }
}

/// Text that some servers send as a number (ids of volumes, NICs,
/// floating IPs): both become a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lenient(pub(crate) String);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Lenient, E> {
                Ok(Lenient(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A string, or a number rendered as one.
pub(crate) fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Lenient::deserialize(deserializer).map(|l| l.0)
}

/// As [`string`], with `null` as `None`.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<Lenient>::deserialize(deserializer).map(|o| o.map(|l| l.0))
}

/// Any value whose `null` means its default (an empty list, map or text).
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Metadata whose values are text; numbers and booleans are rendered as
/// text, `null` values become `""`, a `null` map is empty.
pub(crate) fn metadata<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let map = Option::<BTreeMap<String, Value>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(map
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (key, text)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Sample {
        #[serde(default, deserialize_with = "opt_id")]
        n: Option<u64>,
        #[serde(deserialize_with = "string")]
        id: String,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "nullable")]
        list: Vec<u8>,
        #[serde(default, deserialize_with = "metadata")]
        m: BTreeMap<String, String>,
    }

    #[test]
    fn lenient_fields() {
        let v: Sample = serde_json::from_value(
            json!({"n": "5", "id": 101, "s": 3, "list": null, "m": {"a": 1, "b": null}}),
        )
        .unwrap();
        assert_eq!(
            (v.n, v.id.as_str(), v.s.as_deref()),
            (Some(5), "101", Some("3"))
        );
        assert!(v.list.is_empty());
        assert_eq!((v.m["a"].as_str(), v.m["b"].as_str()), ("1", ""));
        let v: Sample = serde_json::from_value(json!({"n": null, "id": "x"})).unwrap();
        assert_eq!((v.n, v.s), (None, None));
        assert!(serde_json::from_value::<Sample>(json!({"n": "x", "id": "1"})).is_err());
        assert!(serde_json::from_value::<Sample>(json!({"id": {}})).is_err());
    }
}
