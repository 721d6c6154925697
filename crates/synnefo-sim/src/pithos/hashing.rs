//! Block hashing and the object hash (wire §6.7).
//!
//! A block's hash is sha256 of the block **without its trailing zero
//! bytes**; an object's hash is the Merkle root over the raw block digests
//! (one digest is its own root; more are padded with all-zero digests up to a
//! power of two and hashed pairwise, level by level; none is sha256 of
//! nothing).

use sha2::{Digest, Sha256};

/// A raw sha256 digest.
pub(crate) type BlockHash = [u8; 32];

/// The algorithm announced in `X-Container-Block-Hash`.
pub(crate) const HASH_ALGORITHM: &str = "sha256";

/// Length of `data` once its trailing zero bytes are removed.
pub(crate) fn trimmed_len(data: &[u8]) -> usize {
    data.iter()
        .rposition(|&b| b != 0)
        .map_or(0, |last| last + 1)
}

/// sha256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> BlockHash {
    Sha256::digest(data).into()
}

/// The hash of one block: sha256 of the block without trailing zeros.
#[cfg(test)]
pub(crate) fn block_hash(block: &[u8]) -> BlockHash {
    sha256(&block[..trimmed_len(block)])
}

/// sha256 of nothing: the hash of an empty (or all-zero) block and the
/// single entry of an empty object's hashmap.
pub(crate) fn empty_hash() -> BlockHash {
    sha256(&[])
}

/// The Merkle root of a hashmap (the object's `ETag` / `X-Object-Hash`).
pub(crate) fn merkle_root(hashes: &[BlockHash]) -> BlockHash {
    match hashes {
        [] => empty_hash(),
        [only] => *only,
        _ => {
            let mut level = hashes.to_vec();
            level.resize(hashes.len().next_power_of_two(), [0; 32]);
            while level.len() > 1 {
                level = level
                    .chunks_exact(2)
                    .map(|pair| {
                        let mut hasher = Sha256::new();
                        hasher.update(pair[0]);
                        hasher.update(pair[1]);
                        hasher.finalize().into()
                    })
                    .collect();
            }
            level[0]
        }
    }
}

/// Lower-case hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Decodes hex like Python's `binascii.unhexlify` (either case, even length).
pub(crate) fn from_hex(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok()
}

/// Number of blocks of `block_size` bytes needed for `size` bytes.
pub(crate) fn block_count(size: u64, block_size: usize) -> u64 {
    size.div_ceil(block_size.max(1) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashmap(data: &[u8], block_size: usize) -> Vec<BlockHash> {
        if data.is_empty() {
            return vec![empty_hash()];
        }
        data.chunks(block_size).map(block_hash).collect()
    }

    fn root_hex(data: &[u8], block_size: usize) -> String {
        to_hex(&merkle_root(&hashmap(data, block_size)))
    }

    const MIB4: usize = 4 * 1024 * 1024;

    #[test]
    fn empty_object() {
        assert_eq!(
            root_hex(b"", MIB4),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(to_hex(&merkle_root(&[])), root_hex(b"", MIB4));
        assert_eq!(block_hash(&[0; 100]), empty_hash());
    }

    #[test]
    fn single_block_is_its_own_root() {
        let hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assert_eq!(to_hex(&block_hash(b"hello")), hello);
        assert_eq!(root_hex(b"hello", MIB4), hello);
        // Trailing zeros do not count.
        assert_eq!(root_hex(b"hello\0\0\0", MIB4), hello);
        // Leading ones do.
        assert_ne!(root_hex(b"\0hello", MIB4), hello);
    }

    #[test]
    fn two_blocks() {
        let hashes = hashmap(b"aaaabbbb", 4);
        assert_eq!(hashes.len(), 2);
        assert!(to_hex(&hashes[0]).starts_with("61be55a8"));
        assert!(to_hex(&hashes[0]).ends_with("f0b4"));
        assert!(to_hex(&hashes[1]).starts_with("81cc5b17"));
        assert!(to_hex(&hashes[1]).ends_with("6877"));
        assert_eq!(
            root_hex(b"aaaabbbb", 4),
            "82d7abd16b28795bac8d2f1524828f0407afa12ee969caaa51a80c1757ea233d"
        );
    }

    #[test]
    fn three_blocks_are_padded_to_four() {
        let hashes = hashmap(b"aaaabbbbcc", 4);
        assert_eq!(hashes.len(), 3);
        assert!(to_hex(&hashes[2]).starts_with("355b1bbf"));
        assert!(to_hex(&hashes[2]).ends_with("32ce"));
        assert_eq!(
            root_hex(b"aaaabbbbcc", 4),
            "427daa4b15b22980bcf3beac1c04c73708bcca393e30f21968acc94a6b5519c5"
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(trimmed_len(b"ab\0c\0\0"), 4);
        assert_eq!(trimmed_len(b"\0\0"), 0);
        assert_eq!(block_count(0, 4), 0);
        assert_eq!(block_count(8, 4), 2);
        assert_eq!(block_count(9, 4), 3);
        assert_eq!(from_hex("0aFF"), Some(vec![10, 255]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
