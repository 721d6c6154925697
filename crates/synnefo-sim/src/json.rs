//! JSON helpers: Python-compatible serialization and Python value semantics.
//!
//! The real services are Python 2 Django apps that answer with
//! `json.dumps(obj)`: `", "` and `": "` separators and every non-ASCII
//! character escaped as `\uXXXX`. The simulator writes byte-for-byte the same
//! style so that `Content-Length` values and raw bodies look the same.
//! Request bodies are interpreted with Python semantics where the servers'
//! behaviour depends on them (truthiness, `dict[key]` raising `KeyError` versus
//! `TypeError`).

use std::io;

use serde_json::Value;
use serde_json::ser::Formatter;

/// Serializes `value` the way Python's `json.dumps(value)` does.
pub(crate) fn to_python_json(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Writing a `Value` into a Vec cannot fail (no I/O, string keys only).
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        out.clear();
        out.extend_from_slice(b"null");
    }
    out
}

/// A serde_json formatter imitating Python's default `json.dumps` output.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (index, ch) in fragment.char_indices() {
            if (' '..='~').contains(&ch) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..index])?;
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = index + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Python truthiness of a decoded JSON value.
pub(crate) fn py_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Why a Python `value[key]` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PyIndexError {
    /// `value` is a dict without `key` (`KeyError`).
    Key,
    /// `value` is not a dict (`TypeError`): the real server answers 500.
    Type,
}

/// Python's `value[key]` for a string key.
pub(crate) fn py_index<'a>(value: &'a Value, key: &str) -> Result<&'a Value, PyIndexError> {
    match value {
        Value::Object(map) => map.get(key).ok_or(PyIndexError::Key),
        _ => Err(PyIndexError::Type),
    }
}

/// Python's `%s` rendering of a decoded JSON value (approximately: `None`,
/// `True`/`False`, bare strings, JSON text for containers).
pub(crate) fn py_str(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        other => String::from_utf8_lossy(&to_python_json(other)).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_style_output() {
        let v = json!({"a": ["é\u{1F600}\u{7f}", 1, {}, []]});
        assert_eq!(
            String::from_utf8(to_python_json(&v)).unwrap(),
            r#"{"a": ["\u00e9\ud83d\ude00\u007f", 1, {}, []]}"#
        );
    }

    #[test]
    fn truthiness_and_indexing() {
        assert!(!py_truthy(&json!("")));
        assert!(!py_truthy(&json!(0)));
        assert!(py_truthy(&json!("x")));
        assert_eq!(py_index(&json!({}), "a"), Err(PyIndexError::Key));
        assert_eq!(py_index(&json!([]), "a"), Err(PyIndexError::Type));
        assert_eq!(py_index(&json!({"a": 1}), "a"), Ok(&json!(1)));
        assert_eq!(py_str(&json!(null)), "None");
    }
}
