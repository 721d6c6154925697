//! Checking a Swift object's bytes as they pass: against its MD5 ETag, or
//! segment by segment for a large object, or at least against its size.

use super::md5::Md5;
use synnefo_core::{Error, Result};

/// Checks the bytes of a Swift object as they pass.
#[derive(Clone, Debug)]
pub(crate) struct Checker {
    /// `container/object`, for errors.
    pub(crate) what: String,
    /// The size the response announced.
    pub(crate) size: Option<u64>,
    /// Bytes fed so far.
    pub(crate) seen: u64,
    /// What the bytes are checked against.
    pub(crate) mode: Mode,
}

/// What a [`Checker`] checks the bytes against.
#[derive(Clone, Debug)]
pub(crate) enum Mode {
    /// The MD5 of everything must equal this ETag.
    Whole(Md5, String),
    /// Each segment's MD5 must equal its listed ETag.
    Parts(Parts),
    /// The ETag says nothing about the bytes.
    SizeOnly,
}

/// The segments of a large object, checked one after the other.
#[derive(Clone, Debug)]
pub(crate) struct Parts {
    parts: Vec<(u64, String)>,
    index: usize,
    in_part: u64,
    md5: Md5,
}

impl Parts {
    /// Checks that the listed segments are those the manifest's ETag
    /// names (the MD5 of their ETags).
    pub(crate) fn new(parts: Vec<(u64, String)>, etag: &str, what: &str) -> Result<Parts> {
        let mut md5 = Md5::new();
        for (_, hash) in &parts {
            md5.update(hash.as_bytes());
        }
        let listed = md5.finish_hex();
        if listed != etag {
            return Err(Error::Integrity {
                what: format!("the segment list of the large object {what}"),
                expected: etag.to_owned(),
                actual: listed,
            });
        }
        Ok(Parts {
            parts: parts.into_iter().filter(|(bytes, _)| *bytes > 0).collect(),
            index: 0,
            in_part: 0,
            md5: Md5::new(),
        })
    }
}

impl Checker {
    /// Checks the next bytes of the body.
    pub(crate) fn feed(&mut self, mut data: &[u8]) -> Result<()> {
        self.seen += data.len() as u64;
        match &mut self.mode {
            Mode::Whole(md5, _) => md5.update(data),
            Mode::SizeOnly => {}
            Mode::Parts(parts) => {
                while !data.is_empty() {
                    let Some((bytes, hash)) = parts.parts.get(parts.index) else {
                        return Err(Error::Integrity {
                            what: format!("the large object {}", self.what),
                            expected: "no bytes after the last segment".into(),
                            actual: format!("{} more", data.len()),
                        });
                    };
                    let take = (bytes - parts.in_part).min(data.len() as u64) as usize;
                    parts.md5.update(&data[..take]);
                    parts.in_part += take as u64;
                    data = &data[take..];
                    if parts.in_part == *bytes {
                        let md5 = std::mem::take(&mut parts.md5).finish_hex();
                        if &md5 != hash {
                            return Err(Error::Integrity {
                                what: format!(
                                    "segment {} of the large object {}",
                                    parts.index, self.what
                                ),
                                expected: hash.clone(),
                                actual: md5,
                            });
                        }
                        parts.index += 1;
                        parts.in_part = 0;
                    }
                }
            }
        }
        Ok(())
    }

    /// The size and ETag, once everything has been fed.
    pub(crate) fn finish(self) -> Result<(u64, String)> {
        if let Some(size) = self.size
            && size != self.seen
        {
            return Err(Error::Integrity {
                what: self.what,
                expected: format!("{size} bytes"),
                actual: format!("{} bytes", self.seen),
            });
        }
        match self.mode {
            Mode::Whole(md5, etag) => {
                let actual = md5.finish_hex();
                if actual != etag {
                    return Err(Error::Integrity {
                        what: format!("{} (MD5 ETag)", self.what),
                        expected: etag,
                        actual,
                    });
                }
                Ok((self.seen, etag))
            }
            Mode::Parts(parts) => {
                if parts.index != parts.parts.len() {
                    return Err(Error::Integrity {
                        what: format!("the large object {}", self.what),
                        expected: format!("{} segments", parts.parts.len()),
                        actual: format!("{} segments", parts.index),
                    });
                }
                let mut md5 = Md5::new();
                for (_, hash) in &parts.parts {
                    md5.update(hash.as_bytes());
                }
                Ok((self.seen, md5.finish_hex()))
            }
            Mode::SizeOnly => Ok((self.seen, String::new())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::swift::md5_hex;

    fn checker(mode: Mode, size: Option<u64>) -> Checker {
        Checker {
            what: "c/o".into(),
            size,
            seen: 0,
            mode,
        }
    }

    #[test]
    fn whole_object_checks_md5_and_size() {
        let data = b"hello swift";
        let mut ok = checker(Mode::Whole(Md5::new(), md5_hex(data)), Some(11));
        ok.feed(&data[..4]).unwrap_or_else(|e| panic!("{e}"));
        ok.feed(&data[4..]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.finish().map(|(n, _)| n).ok(), Some(11));
        let mut bad = checker(Mode::Whole(Md5::new(), md5_hex(data)), Some(11));
        bad.feed(b"hello SWIFT").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(bad.finish(), Err(Error::Integrity { .. })));
        let mut short = checker(Mode::SizeOnly, Some(11));
        short.feed(b"hello").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(short.finish(), Err(Error::Integrity { .. })));
    }

    #[test]
    fn large_objects_check_each_segment() {
        let parts = vec![(3, md5_hex(b"abc")), (2, md5_hex(b"de"))];
        let mut md5 = Md5::new();
        md5.update(md5_hex(b"abc").as_bytes());
        md5.update(md5_hex(b"de").as_bytes());
        let etag = md5.finish_hex();
        let new = || Parts::new(parts.clone(), &etag, "c/o").unwrap_or_else(|e| panic!("{e}"));
        let mut ok = checker(Mode::Parts(new()), Some(5));
        for byte in b"abcde" {
            ok.feed(std::slice::from_ref(byte))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(ok.finish().map(|(_, e)| e).ok(), Some(etag.clone()));
        let mut bad = checker(Mode::Parts(new()), Some(5));
        assert!(bad.feed(b"abXde").is_err());
        assert!(Parts::new(parts.clone(), "0".repeat(32).as_str(), "c/o").is_err());
    }
}
