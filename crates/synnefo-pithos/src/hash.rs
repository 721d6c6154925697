//! Pithos+ block hashing and the Merkle root ("top hash").
//!
//! The rules (server behaviour, not kamaki's):
//! - an object is cut into blocks of the container's block size (the last
//!   one shorter);
//! - a block's hash is the digest of the block **with its trailing zero
//!   bytes removed**, so an all-zero block hashes like the empty string;
//! - an empty object has one hash, the digest of nothing;
//! - the object hash (`X-Object-Hash`, and the `ETag`) is the Merkle root of
//!   the raw block digests: one digest is its own root; more are padded with
//!   all-zero digests to a power of two and paired up level by level.

use sha2::{Digest, Sha256};
use synnefo_core::{Error, Result};

/// A block digest (sha256, the only algorithm Pithos+ deployments use).
pub type BlockHash = [u8; 32];

/// The hash algorithms a container may announce; only sha256 exists in
/// practice.
pub(crate) fn check_algorithm(name: &str) -> Result<()> {
    if name.eq_ignore_ascii_case("sha256") {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "the container hashes blocks with {name:?}; only sha256 is supported"
        )))
    }
}

/// The hash of one block: sha256 of the block without its trailing zeros.
pub fn block_hash(block: &[u8]) -> BlockHash {
    let end = block.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    Sha256::digest(&block[..end]).into()
}

/// The block hashes of `data` with blocks of `block_size` bytes; an empty
/// input gives the single hash of nothing.
///
/// # Panics
/// Never: a zero block size is treated as one block holding everything.
pub fn hashmap_of(data: &[u8], block_size: usize) -> Vec<BlockHash> {
    if data.is_empty() || block_size == 0 {
        return vec![block_hash(data)];
    }
    data.chunks(block_size).map(block_hash).collect()
}

/// The Merkle root of block hashes; an empty list is the hash of nothing.
pub fn merkle_root(hashes: &[BlockHash]) -> BlockHash {
    match hashes {
        [] => Sha256::digest([]).into(),
        [one] => *one,
        _ => {
            let width = hashes.len().next_power_of_two();
            let mut level: Vec<BlockHash> = hashes.to_vec();
            level.resize(width, [0u8; 32]);
            while level.len() > 1 {
                level = level
                    .chunks(2)
                    .map(|pair| {
                        let mut hasher = Sha256::new();
                        hasher.update(pair[0]);
                        hasher.update(pair.get(1).copied().unwrap_or([0u8; 32]));
                        hasher.finalize().into()
                    })
                    .collect();
            }
            level[0]
        }
    }
}

/// Lower-case hex of a digest, as the server writes hashes.
pub fn to_hex(hash: &BlockHash) -> String {
    hex::encode(hash)
}

/// Parses a hex digest sent by a server.
///
/// # Errors
/// [`Error::Config`]-free: a malformed hash is an integrity problem, so it
/// is reported as [`Error::Integrity`] naming what was expected.
pub fn from_hex(text: &str) -> Result<BlockHash> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut out).map_err(|_| Error::Integrity {
        what: "a block hash from the server".into(),
        expected: "64 hexadecimal digits".into(),
        actual: format!("{:?}", text.chars().take(80).collect::<String>()),
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB4: usize = 4 * 1024 * 1024;

    fn root_hex(data: &[u8], block_size: usize) -> String {
        to_hex(&merkle_root(&hashmap_of(data, block_size)))
    }

    #[test]
    fn wire_reference_vectors() {
        assert_eq!(
            root_hex(b"", MIB4),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            root_hex(b"hello", MIB4),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(root_hex(b"hello\0\0\0", MIB4), root_hex(b"hello", MIB4));
        let two = hashmap_of(b"aaaabbbb", 4);
        assert!(to_hex(&two[0]).starts_with("61be55a8") && to_hex(&two[0]).ends_with("f0b4"));
        assert!(to_hex(&two[1]).starts_with("81cc5b17") && to_hex(&two[1]).ends_with("6877"));
        assert_eq!(
            root_hex(b"aaaabbbb", 4),
            "82d7abd16b28795bac8d2f1524828f0407afa12ee969caaa51a80c1757ea233d"
        );
        let three = hashmap_of(b"aaaabbbbcc", 4);
        assert!(to_hex(&three[2]).starts_with("355b1bbf") && to_hex(&three[2]).ends_with("32ce"));
        assert_eq!(
            root_hex(b"aaaabbbbcc", 4),
            "427daa4b15b22980bcf3beac1c04c73708bcca393e30f21968acc94a6b5519c5"
        );
    }

    #[test]
    fn zero_blocks_hash_like_nothing() {
        assert_eq!(block_hash(&[0u8; 4096]), block_hash(b""));
        // Leading zeros count; only trailing ones are trimmed.
        assert_ne!(block_hash(b"\0a"), block_hash(b"a"));
    }

    #[test]
    fn hex_round_trip_and_bad_input() {
        let hash = block_hash(b"x");
        assert_eq!(from_hex(&to_hex(&hash)).unwrap(), hash);
        assert!(matches!(from_hex("zz"), Err(Error::Integrity { .. })));
        assert!(from_hex(&"a".repeat(66)).is_err());
    }

    #[test]
    fn only_sha256_is_accepted() {
        assert!(check_algorithm("SHA256").is_ok());
        assert!(check_algorithm("md5").is_err());
    }
}
