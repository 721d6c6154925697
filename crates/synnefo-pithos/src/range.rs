//! Byte ranges, in the three forms the Pithos+ server accepts.
//!
//! The server is strict (wire reference §6.6): a range that ends past the
//! object, starts at or after its end, or asks for a suffix longer than the
//! object is answered `416` — it does not clamp as RFC 9110 allows.
//! [`ByteRange::resolve`] applies the same rule locally.

use std::fmt;
use std::str::FromStr;
use synnefo_core::{Error, Result};

/// One byte range of an object.
///
/// ```
/// use synnefo_pithos::ByteRange;
/// let range: ByteRange = "10-19".parse().unwrap();
/// assert_eq!(range, ByteRange::Span { start: 10, end: 19 });
/// assert_eq!(range.to_string(), "10-19");
/// assert_eq!("-5".parse::<ByteRange>().unwrap().resolve(100), Some((95, 99)));
/// assert_eq!("100-".parse::<ByteRange>().unwrap().resolve(100), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteRange {
    /// `a-b`: bytes `start` to `end`, both included.
    Span {
        /// The first byte.
        start: u64,
        /// The last byte (included).
        end: u64,
    },
    /// `a-`: from `start` to the end of the object.
    From(u64),
    /// `-n`: the last `n` bytes.
    Last(u64),
}

impl ByteRange {
    /// `start..=end`.
    ///
    /// # Errors
    /// [`Error::Config`] when `end < start`.
    pub fn span(start: u64, end: u64) -> Result<Self> {
        let range = ByteRange::Span { start, end };
        range.validate()?;
        Ok(range)
    }

    /// `len` bytes from `start`.
    ///
    /// # Errors
    /// [`Error::Config`] when `len` is 0 or the range overflows.
    pub fn with_len(start: u64, len: u64) -> Result<Self> {
        let end = len
            .checked_sub(1)
            .and_then(|l| start.checked_add(l))
            .ok_or_else(|| {
                Error::Config(format!("no byte range holds {len} bytes from byte {start}"))
            })?;
        Ok(ByteRange::Span { start, end })
    }

    /// Checks that the range can be satisfied by some object.
    ///
    /// # Errors
    /// [`Error::Config`] for `a-b` with `b < a`, and for `-0`.
    pub fn validate(&self) -> Result<()> {
        match *self {
            ByteRange::Span { start, end } if end < start => Err(Error::Config(format!(
                "invalid byte range {self}: it ends before it starts"
            ))),
            ByteRange::Last(0) => Err(Error::Config(
                "invalid byte range -0: a suffix range needs at least one byte".into(),
            )),
            _ => Ok(()),
        }
    }

    /// The first and last byte (inclusive) this range selects in an object
    /// of `size` bytes, by the server's strict rule; `None` when the server
    /// would answer `416`.
    pub fn resolve(&self, size: u64) -> Option<(u64, u64)> {
        match *self {
            ByteRange::Span { start, end } => (start <= end && end < size).then_some((start, end)),
            ByteRange::From(start) => (start < size).then(|| (start, size - 1)),
            ByteRange::Last(n) => (n > 0 && n <= size).then(|| (size - n, size - 1)),
        }
    }

    /// The `Range` header value: `bytes=<range>`.
    pub fn header_value(&self) -> String {
        format!("bytes={self}")
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByteRange::Span { start, end } => write!(f, "{start}-{end}"),
            ByteRange::From(start) => write!(f, "{start}-"),
            ByteRange::Last(n) => write!(f, "-{n}"),
        }
    }
}

impl FromStr for ByteRange {
    type Err = Error;

    /// Parses `a-b`, `a-` or `-n` (an optional `bytes=` prefix is allowed).
    fn from_str(text: &str) -> Result<Self> {
        let trimmed = text.trim();
        let body = trimmed.strip_prefix("bytes=").unwrap_or(trimmed);
        let invalid = || {
            Error::Config(format!(
                "invalid byte range {text:?}: expected START-END, START- or -COUNT"
            ))
        };
        let number = |s: &str| -> Result<u64> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            s.parse().map_err(|_| invalid())
        };
        let (left, right) = body.split_once('-').ok_or_else(invalid)?;
        let range = match (left.is_empty(), right.is_empty()) {
            (true, true) => return Err(invalid()),
            (true, false) => ByteRange::Last(number(right)?),
            (false, true) => ByteRange::From(number(left)?),
            (false, false) => ByteRange::Span {
                start: number(left)?,
                end: number(right)?,
            },
        };
        range.validate()?;
        Ok(range)
    }
}

/// A `Content-Range: bytes a-b/total` response header, parsed.
pub(crate) fn parse_content_range(text: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = text.trim().strip_prefix("bytes")?.trim_start();
    let (span, total) = rest.split_once('/')?;
    let (start, end) = span.trim().split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    (start <= end).then_some((start, end, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            "0-9".parse::<ByteRange>().unwrap(),
            ByteRange::Span { start: 0, end: 9 }
        );
        assert_eq!("5-".parse::<ByteRange>().unwrap(), ByteRange::From(5));
        assert_eq!("-7".parse::<ByteRange>().unwrap(), ByteRange::Last(7));
        assert_eq!(
            "bytes=3-4".parse::<ByteRange>().unwrap(),
            ByteRange::Span { start: 3, end: 4 }
        );
        for bad in [
            "", "-", "9-3", "-0", "a-b", "1-2-3", "1,2", "+1-2", "1 -2", "-",
        ] {
            assert!(bad.parse::<ByteRange>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn displays_as_the_wire_form() {
        for text in ["0-9", "5-", "-7"] {
            assert_eq!(text.parse::<ByteRange>().unwrap().to_string(), text);
        }
        assert_eq!(ByteRange::From(3).header_value(), "bytes=3-");
    }

    #[test]
    fn resolve_is_as_strict_as_the_server() {
        let size = 10;
        assert_eq!(
            ByteRange::Span { start: 0, end: 9 }.resolve(size),
            Some((0, 9))
        );
        assert_eq!(ByteRange::Span { start: 5, end: 10 }.resolve(size), None);
        assert_eq!(ByteRange::From(9).resolve(size), Some((9, 9)));
        assert_eq!(ByteRange::From(10).resolve(size), None);
        assert_eq!(ByteRange::Last(10).resolve(size), Some((0, 9)));
        assert_eq!(ByteRange::Last(11).resolve(size), None);
        assert_eq!(ByteRange::Last(0).resolve(size), None);
        assert_eq!(ByteRange::From(0).resolve(0), None);
    }

    #[test]
    fn constructors_check_their_input() {
        assert!(ByteRange::span(3, 2).is_err());
        assert_eq!(
            ByteRange::with_len(4, 4).unwrap(),
            ByteRange::Span { start: 4, end: 7 }
        );
        assert!(ByteRange::with_len(4, 0).is_err());
        assert!(ByteRange::with_len(u64::MAX, 2).is_err());
    }

    #[test]
    fn content_range_parses() {
        assert_eq!(parse_content_range("bytes 0-4/10"), Some((0, 4, Some(10))));
        assert_eq!(parse_content_range("bytes 3-3/*"), Some((3, 3, None)));
        assert_eq!(parse_content_range("bytes 4-3/10"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
        assert_eq!(parse_content_range("bytes */10"), None);
    }
}
