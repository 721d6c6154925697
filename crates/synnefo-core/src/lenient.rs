//! Lenient decoding of what Synnefo services send, for
//! `#[serde(deserialize_with = "…")]` in every service crate: integer ids that arrive as
//! numbers or as strings, `null` where a collection or text is expected,
//! metadata values that are not strings, and fields that are an object on
//! one cloud and `""` on another. None of these panics; a value that cannot
//! be read at all is a decoding error naming the field.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
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

/// Takes `key` out of a JSON object body and decodes it as `T` (see
/// [`crate::Response::json_field`]).
///
/// # Errors
/// A description of what is wrong: the body is not a JSON object, lacks
/// `key`, or holds something that is not a `T` there.
pub fn take_field<T: DeserializeOwned>(body: &[u8], key: &str) -> Result<T, String> {
    let mut object: serde_json::Map<String, Value> = serde_json::from_slice(body)
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

/// An integer id sent as a number (`42`) or a string (`"42"`).
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(U64Visitor)
}

/// As [`integer`], with `null` (or absence, with `#[serde(default)]`) as `None`.
pub fn opt_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
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
pub struct Lenient(pub String);

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
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Lenient::deserialize(deserializer).map(|l| l.0)
}

/// As [`string`], with `null` as `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Option::<Lenient>::deserialize(deserializer).map(|o| o.map(|l| l.0))
}

/// A list of strings or numbers, `null` as empty.
pub fn string_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Option::<Vec<Lenient>>::deserialize(deserializer)
        .map(|o| o.unwrap_or_default().into_iter().map(|l| l.0).collect())
}

/// Any value whose `null` means its default (an empty list, map or text).
pub fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Metadata whose values are text; numbers and booleans are rendered as
/// text, `null` values become `""`, a `null` map is empty.
pub fn metadata<'de, D: Deserializer<'de>>(
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

/// An object decoded as `T`, or `None` when the server sent something else
/// in its place (`""` for the image of a server booted from a volume,
/// `null`).
pub fn object_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Option::<Value>::deserialize(deserializer)? {
        Some(value @ Value::Object(_)) => serde_json::from_value(value)
            .map(Some)
            .map_err(de::Error::custom),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn take_field_unwraps_and_reports_what_is_wrong() {
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
        assert!(take_field::<u32>(b"", "n").is_err());
    }

    #[derive(Deserialize, Debug)]
    struct Ids {
        #[serde(deserialize_with = "integer")]
        a: u64,
        #[serde(default, deserialize_with = "opt_integer")]
        b: Option<u64>,
        #[serde(default, deserialize_with = "opt_string")]
        c: Option<String>,
        #[serde(default, deserialize_with = "string_list")]
        d: Vec<String>,
        #[serde(default, deserialize_with = "metadata")]
        m: BTreeMap<String, String>,
    }

    #[test]
    fn ids_come_as_numbers_or_strings() {
        let ids: Ids =
            serde_json::from_value(json!({"a": "42", "b": 7, "c": 3, "d": [1, "x"], "m": null}))
                .unwrap();
        assert_eq!((ids.a, ids.b, ids.c.as_deref()), (42, Some(7), Some("3")));
        assert_eq!(ids.d, vec!["1", "x"]);
        assert!(ids.m.is_empty());
        let ids: Ids = serde_json::from_value(json!({"a": 42, "b": null, "d": null})).unwrap();
        assert_eq!((ids.a, ids.b, ids.c), (42, None, None));
        assert!(ids.d.is_empty());
    }

    #[test]
    fn bad_ids_are_errors_not_panics() {
        for bad in [
            json!({"a": "x"}),
            json!({"a": -1}),
            json!({"a": 1.5}),
            json!({"a": []}),
        ] {
            assert!(serde_json::from_value::<Ids>(bad).is_err());
        }
    }

    #[test]
    fn metadata_values_become_text() {
        let ids: Ids =
            serde_json::from_value(json!({"a": 1, "m": {"n": 1, "b": true, "z": null, "s": "t"}}))
                .unwrap();
        assert_eq!(ids.m["n"], "1");
        assert_eq!(ids.m["b"], "true");
        assert_eq!(ids.m["z"], "");
        assert_eq!(ids.m["s"], "t");
    }
}
