//! Small helpers of the object-storage commands: kamaki's size units and
//! dates, content types, `KEY=VALUE` metadata, confirmations, name filters.

use anyhow::{Result, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses a size as kamaki does: a number with an optional unit, `B`,
/// `KiB`/`MiB`/`GiB`/`TiB` (×1024) or `KB`/`MB`/`GB`/`TB` (×1000), e.g.
/// `2.3GB`, `512MiB`, `1024`; `0` means unlimited where that applies.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let invalid = || {
        format!(
            "invalid size {text:?}: expected a number with an optional unit \
             (B, KiB, MiB, GiB, TiB, KB, MB, GB, TB), e.g. 2.5GiB"
        )
    };
    if number.is_empty() || number.matches('.').count() > 1 {
        return Err(invalid());
    }
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        _ => return Err(invalid()),
    };
    match number.split_once('.') {
        None => number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(factor))
            .ok_or_else(invalid),
        Some((whole, fraction)) => {
            let value: f64 = format!(
                "{}.{}",
                if whole.is_empty() { "0" } else { whole },
                fraction
            )
            .parse()
            .map_err(|_| invalid())?;
            let bytes = (value * factor as f64).round();
            if !bytes.is_finite() || bytes < 0.0 || bytes >= u64::MAX as f64 {
                return Err(invalid());
            }
            Ok(bytes as u64)
        }
    }
}

/// A size for people, as kamaki's `format_size`: 1024-based units, two
/// decimals at most, trailing zeros dropped (`1.5MiB`, `512B`).
pub(crate) fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes}B");
    }
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{}", UNITS[unit])
}

/// Parses a date: UNIX seconds (`1356998400`, `1356998400.5`), an HTTP
/// date (`Tue, 01 Jan 2013 00:00:00 GMT`), ISO 8601 (`2013-01-01`,
/// `2013-01-01T10:00:00Z`, `2013-01-01 10:00:00+02:00`) or kamaki's
/// `DD-MM-YYYY` and `HH:MM:SS DD-MM-YYYY` (taken as UTC).
pub(crate) fn parse_date(text: &str) -> Result<SystemTime, String> {
    let text = text.trim();
    let invalid = || {
        format!(
            "invalid date {text:?}: expected UNIX seconds, an HTTP date, \
             YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM] or [HH:MM:SS ]DD-MM-YYYY"
        )
    };
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let seconds: f64 = text.parse().map_err(|_| invalid())?;
        return Duration::try_from_secs_f64(seconds)
            .map(|d| UNIX_EPOCH + d)
            .map_err(|_| invalid());
    }
    if let Ok(time) = httpdate::parse_http_date(text) {
        return Ok(time);
    }
    parse_iso(text)
        .or_else(|| parse_kamaki(text))
        .ok_or_else(invalid)
}

/// `HH:MM:SS DD-MM-YYYY` or `DD-MM-YYYY`.
fn parse_kamaki(text: &str) -> Option<SystemTime> {
    let (time, date) = match text.split_once(' ') {
        Some((time, date)) => (Some(time), date.trim()),
        None => (None, text),
    };
    let mut parts = date.split('-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    let (h, m, s) = match time {
        Some(time) => parse_hms(time)?,
        None => (0, 0, 0.0),
    };
    civil_to_time(
        year.parse().ok()?,
        month.parse().ok()?,
        day.parse().ok()?,
        h,
        m,
        s,
        0,
    )
}

/// ISO 8601 / RFC 3339 subset, UTC unless an offset is given.
fn parse_iso(text: &str) -> Option<SystemTime> {
    let (date, rest) = if text.len() > 10 {
        let (date, rest) = text.split_at(10);
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        (date, Some(rest))
    } else {
        (text, None)
    };
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (h, m, s, offset) = match rest {
        None => (0, 0, 0.0, 0),
        Some(rest) => {
            let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
                (time, 0)
            } else if let Some(index) = rest.rfind(['+', '-']) {
                let (time, zone) = rest.split_at(index);
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                let zone = &zone[1..];
                let (zh, zm) = zone.split_once(':').unwrap_or((zone, "0"));
                let minutes = zh.parse::<i64>().ok()? * 60 + zm.parse::<i64>().ok()?;
                (time, sign * minutes * 60)
            } else {
                (rest, 0)
            };
            let (h, m, s) = parse_hms(time)?;
            (h, m, s, offset)
        }
    };
    civil_to_time(
        year.parse().ok()?,
        month.parse().ok()?,
        day.parse().ok()?,
        h,
        m,
        s,
        offset,
    )
}

/// `HH:MM` or `HH:MM:SS[.frac]`.
fn parse_hms(text: &str) -> Option<(u32, u32, f64)> {
    let mut parts = text.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: f64 = match parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0.0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || !(0.0..61.0).contains(&s) {
        return None;
    }
    Some((h, m, s))
}

/// A UTC calendar moment (minus `offset` seconds east of UTC) as a time.
fn civil_to_time(
    year: i64,
    month: u32,
    day: u32,
    h: u32,
    m: u32,
    s: f64,
    offset: i64,
) -> Option<SystemTime> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 - offset;
    let total = seconds as f64 + s;
    if total < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(total)
        .ok()
        .map(|d| UNIX_EPOCH + d)
}

/// A time as an HTTP date, for people and for `If-(Un)Modified-Since`.
pub(crate) fn http_date(time: SystemTime) -> String {
    httpdate::fmt_http_date(time)
}

/// Parses `KEY=VALUE` (the value may be empty or hold `=`).
pub(crate) fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("invalid {text:?}: expected KEY=VALUE")),
    }
}

/// Whether `text` is a UUID (`8-4-4-4-12` hex digits), as Astakos user
/// UUIDs are; anything else is taken for a display name.
pub(crate) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The content type for a file name, from its extension; `None` when the
/// extension is unknown (the server default, `application/octet-stream`,
/// applies).
pub(crate) fn guess_content_type(name: &str) -> Option<&'static str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (_, ext) = base.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" | "log" | "conf" | "cfg" | "ini" => "text/plain",
        "md" | "markdown" => "text/markdown",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "xml" => "application/xml",
        "json" => "application/json",
        "yaml" | "yml" => "application/yaml",
        "toml" => "application/toml",
        "py" => "text/x-python",
        "rs" => "text/x-rust",
        "c" | "h" => "text/x-c",
        "sh" => "application/x-sh",
        "pdf" => "application/pdf",
        "ps" => "application/postscript",
        "rtf" => "application/rtf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "bz2" => "application/x-bzip2",
        "xz" => "application/x-xz",
        "zst" => "application/zstd",
        "tar" => "application/x-tar",
        "7z" => "application/x-7z-compressed",
        "iso" => "application/x-iso9660-image",
        "img" | "raw" | "diskdump" => "application/octet-stream",
        "qcow2" => "application/x-qemu-disk",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "tif" | "tiff" => "image/tiff",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mkv" => "video/x-matroska",
        "avi" => "video/x-msvideo",
        "mov" => "video/quicktime",
        "ttf" => "font/ttf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => return None,
    })
}

/// Asks `question` on the terminal unless `yes`; without a terminal,
/// refuses and says to pass `--yes` (never waits on a pipe).
pub(crate) fn confirm(question: &str, yes: bool) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!("{question}: not confirmed (no terminal to ask on); pass --yes to confirm");
    }
    eprint!("{question} [y/N]: ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        bail!("canceled: {question} was not confirmed")
    }
}

/// kamaki's client-side name filters of listings.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct NameFilters {
    /// Only items with exactly this name.
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// Only items whose name starts with this.
    #[arg(long, value_name = "PREFIX")]
    pub(crate) name_prefix: Option<String>,
    /// Only items whose name ends with this.
    #[arg(long, value_name = "SUFFIX")]
    pub(crate) name_suffix: Option<String>,
    /// Only items whose name contains this (any case).
    #[arg(long, value_name = "TEXT")]
    pub(crate) name_like: Option<String>,
}

impl NameFilters {
    /// Whether `name` passes every filter given.
    pub(crate) fn matches(&self, name: &str) -> bool {
        self.name.as_deref().is_none_or(|n| name == n)
            && self
                .name_prefix
                .as_deref()
                .is_none_or(|p| name.starts_with(p))
            && self
                .name_suffix
                .as_deref()
                .is_none_or(|s| name.ends_with(s))
            && self
                .name_like
                .as_deref()
                .is_none_or(|l| name.to_lowercase().contains(&l.to_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_kamaki_units() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("10B"), Ok(10));
        assert_eq!(parse_size("2KiB"), Ok(2048));
        assert_eq!(parse_size("2KB"), Ok(2000));
        assert_eq!(parse_size("2.3GB"), Ok(2_300_000_000));
        assert_eq!(parse_size("1.5 MiB"), Ok(1_572_864));
        assert_eq!(parse_size("3tib"), Ok(3 << 40));
        for bad in ["", "GB", "1.2.3MB", "5XB", "-1", "1e3"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(format_size(0), "0B");
        assert_eq!(format_size(1023), "1023B");
        assert_eq!(format_size(1024), "1KiB");
        assert_eq!(format_size(1_572_864), "1.5MiB");
        assert_eq!(format_size(1_234_567_890), "1.15GiB");
    }

    #[test]
    fn dates_in_many_forms() {
        let jan1 = UNIX_EPOCH + Duration::from_secs(1_356_998_400);
        for text in [
            "1356998400",
            "Tue, 01 Jan 2013 00:00:00 GMT",
            "2013-01-01",
            "2013-01-01T00:00:00Z",
            "2013-01-01 02:00:00+02:00",
            "2013-01-01T00:00",
            "01-01-2013",
            "00:00:00 01-01-2013",
        ] {
            assert_eq!(parse_date(text), Ok(jan1), "{text:?}");
        }
        assert_eq!(http_date(jan1), "Tue, 01 Jan 2013 00:00:00 GMT");
        assert_eq!(
            parse_date("1.5"),
            Ok(UNIX_EPOCH + Duration::from_millis(1500))
        );
        for bad in ["", "yesterday", "2013-13-01", "2013-01-01T25:00", "1-1-13"] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn key_values_uuids_and_types() {
        assert_eq!(
            parse_key_value("a=b=c"),
            Ok(("a".to_owned(), "b=c".to_owned()))
        );
        assert_eq!(parse_key_value("a="), Ok(("a".to_owned(), String::new())));
        assert!(parse_key_value("=b").is_err());
        assert!(parse_key_value("ab").is_err());
        assert!(is_uuid("a1b2c3d4-0000-4000-8000-000000000001"));
        assert!(!is_uuid("alice@example.org"));
        assert!(!is_uuid("a1b2c3d4-0000-4000-8000-00000000000"));
        assert_eq!(guess_content_type("dir/a.TXT"), Some("text/plain"));
        assert_eq!(guess_content_type("photo.jpeg"), Some("image/jpeg"));
        assert_eq!(guess_content_type("noext"), None);
        assert_eq!(guess_content_type("a.unknownext"), None);
    }

    #[test]
    fn name_filters() {
        let filters = NameFilters {
            name_prefix: Some("ph".into()),
            name_like: Some("OTO".into()),
            ..NameFilters::default()
        };
        assert!(filters.matches("photos"));
        assert!(!filters.matches("pictures"));
        assert!(NameFilters::default().matches("anything"));
    }
}
