//! Printing results: aligned tables and key/value blocks for people, JSON
//! for scripts.

use serde::Serialize;
use std::io::Write;

/// Prints `value` as indented JSON.
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Prints rows under a header, columns aligned.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(i) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let width = widths.get(i).copied().unwrap_or(0);
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Prints `key: value` lines, keys aligned (keys may be borrowed or owned).
pub(crate) fn fields<K: AsRef<str>>(pairs: &[(K, String)]) -> anyhow::Result<()> {
    let width = pairs
        .iter()
        .map(|(k, _)| k.as_ref().len())
        .max()
        .unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (key, value) in pairs {
        let line = format!(
            "{:<width$}  {}",
            format!("{}:", key.as_ref()),
            printable(value),
            width = width + 1
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Appends the pairs that have a value (neither `None` nor empty), in
/// order: the optional lines of a detail view.
pub(crate) fn push_present<'a, V: Into<Option<String>>>(
    pairs: &mut Vec<(String, String)>,
    optional: impl IntoIterator<Item = (&'a str, V)>,
) {
    pairs.extend(optional.into_iter().filter_map(|(key, value)| {
        value
            .into()
            .filter(|v| !v.is_empty())
            .map(|v| (key.to_owned(), v))
    }));
}

/// Appends one `meta KEY: value` line per metadata entry.
pub(crate) fn push_meta(
    pairs: &mut Vec<(String, String)>,
    meta: &std::collections::BTreeMap<String, String>,
) {
    pairs.extend(meta.iter().map(|(k, v)| (format!("meta {k}"), v.clone())));
}

/// Escapes control characters, so a name sent by a server cannot move the
/// cursor or change the terminal.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\n");
        assert_eq!(printable("αβ γ"), "αβ γ");
    }
}
