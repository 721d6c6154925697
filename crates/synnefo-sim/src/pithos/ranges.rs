//! Object data bodies: `Range` parsing with the server's strict checks,
//! single ranges, `multipart/byteranges`, and the block segments that make
//! up each range (wire §6.6).

use std::sync::Arc;

use bytes::Bytes;

use crate::body::Segment;
use crate::fault_body::Fault;

use super::hashing::BlockHash;

/// The data of an object (or of a manifest's parts): `(size, hashmap)` per
/// part, in order.
pub(crate) type Parts = Vec<(u64, Arc<Vec<BlockHash>>)>;

/// Parses a `Range` header like the server: `None` when it is absent or
/// must be ignored (no `bytes=` prefix, a malformed item, `a-b` with
/// `a > b`); otherwise `(offset, length)` pairs, not yet checked against
/// the size.
pub(crate) fn parse_range(header: Option<&str>, size: u64) -> Option<Vec<(i128, i128)>> {
    let value: String = header?.chars().filter(|&c| c != ' ').collect();
    let items = value.strip_prefix("bytes=")?;
    let size = i128::from(size);
    let number = |digits: &str| -> Option<i128> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(digits.parse().unwrap_or(i128::MAX / 4))
    };
    let mut ranges = Vec::new();
    for item in items.split(',') {
        let (first, last) = item.trim().split_once('-')?;
        match (first.is_empty(), last.is_empty()) {
            (true, true) => return None,
            (false, false) => {
                let (first, last) = (number(first)?, number(last)?);
                if first > last {
                    return None;
                }
                ranges.push((first, last - first + 1));
            }
            (false, true) => {
                let first = number(first)?;
                ranges.push((first, size - first));
            }
            (true, false) => {
                let length = number(last)?;
                ranges.push((size - length, length));
            }
        }
    }
    Some(ranges)
}

/// The strict check: every range must lie inside the object, else 416.
pub(crate) fn check_ranges(ranges: &[(i128, i128)], size: u64) -> Result<Vec<(u64, u64)>, Fault> {
    let size = i128::from(size);
    let bad = ranges.iter().any(|&(offset, length)| {
        length <= 0 || length > size || offset < 0 || offset >= size || offset + length > size
    });
    if bad {
        return Err(Fault::new(416, "Requested range exceeds object limits"));
    }
    Ok(ranges
        .iter()
        .map(|&(offset, length)| (offset as u64, length as u64))
        .collect())
}

/// Appends the block segments of `length` bytes from `offset` of the
/// concatenated parts.
pub(crate) fn push_range(
    segments: &mut Vec<Segment>,
    parts: &Parts,
    block_size: usize,
    offset: u64,
    length: u64,
) {
    let block_size = block_size as u64;
    let mut offset = offset;
    let mut length = length;
    let mut index = 0;
    while length > 0 {
        while index < parts.len() && offset >= parts[index].0 {
            offset -= parts[index].0;
            index += 1;
        }
        let Some((size, hashmap)) = parts.get(index) else {
            return;
        };
        let block = (offset / block_size) as usize;
        let Some(hash) = hashmap.get(block) else {
            return;
        };
        let within = offset % block_size;
        let block_len = if block + 1 == hashmap.len() && size % block_size != 0 {
            size % block_size
        } else {
            block_size
        };
        let take = length.min(block_len.saturating_sub(within));
        if take == 0 {
            return;
        }
        segments.push(Segment::Block {
            hash: *hash,
            start: within as usize,
            len: take as usize,
        });
        offset += take;
        length -= take;
    }
}

/// The segments of a `multipart/byteranges` body with `boundary`.
pub(crate) fn multipart(
    parts: &Parts,
    block_size: usize,
    ranges: &[(u64, u64)],
    boundary: &str,
    size: u64,
) -> (Vec<Segment>, u64) {
    let mut segments = Vec::new();
    let mut total = 0;
    for (index, &(offset, length)) in ranges.iter().enumerate() {
        let lead = if index == 0 { "" } else { "\r\n" };
        let head = format!(
            "{lead}--{boundary}\r\nContent-Range: bytes {offset}-{}/{size}\r\nContent-Transfer-Encoding: binary\r\n\r\n",
            offset + length - 1
        );
        total += head.len() as u64 + length;
        segments.push(Segment::Bytes(Bytes::from(head)));
        push_range(&mut segments, parts, block_size, offset, length);
    }
    let tail = format!("\r\n--{boundary}--\r\n");
    total += tail.len() as u64;
    segments.push(Segment::Bytes(Bytes::from(tail)));
    (segments, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_parsing() {
        assert_eq!(parse_range(Some("bytes=0-9"), 100), Some(vec![(0, 10)]));
        assert_eq!(
            parse_range(Some("bytes = 5-, -3"), 100),
            Some(vec![(5, 95), (97, 3)])
        );
        assert_eq!(parse_range(Some("items=0-9"), 100), None);
        assert_eq!(parse_range(Some("bytes=9-0"), 100), None);
        assert_eq!(parse_range(Some("bytes=-"), 100), None);
        assert_eq!(parse_range(Some("bytes=a-1"), 100), None);
        assert_eq!(parse_range(None, 100), None);
    }

    #[test]
    fn strict_checks() {
        let check = |header: &str, size| {
            check_ranges(&parse_range(Some(header), size).unwrap(), size).map_err(|f| f.code)
        };
        assert_eq!(check("bytes=0-513", 512), Err(416));
        assert_eq!(check("bytes=-500", 512), Ok(vec![(12, 500)]));
        assert_eq!(check("bytes=-600", 512), Err(416));
        assert_eq!(check("bytes=512-", 512), Err(416));
        assert_eq!(check("bytes=0-0", 0), Err(416));
        assert_eq!(check("bytes=0-0,511-511", 512), Ok(vec![(0, 1), (511, 1)]));
    }

    #[test]
    fn segments_across_blocks_and_parts() {
        let a = [1; 32];
        let b = [2; 32];
        let c = [3; 32];
        let parts: Parts = vec![
            (6, Arc::new(vec![a, b])),
            (0, Arc::new(vec![])),
            (2, Arc::new(vec![c])),
        ];
        let mut segments = Vec::new();
        push_range(&mut segments, &parts, 4, 3, 5);
        let got: Vec<(u8, usize, usize)> = segments
            .iter()
            .map(|s| match s {
                Segment::Block { hash, start, len } => (hash[0], *start, *len),
                Segment::Bytes(_) => (0, 0, 0),
            })
            .collect();
        assert_eq!(got, vec![(1, 3, 1), (2, 0, 2), (3, 0, 2)]);
    }
}
