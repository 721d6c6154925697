//! The content-addressed block store, shared by every account (blocks are
//! deduplicated across the whole service, like on a real deployment).
//!
//! Blocks are stored without their trailing zero bytes (the hashing rule
//! makes that content unique per hash); readers pad them back with zeros.
//! In memory a block is a `Bytes` slice of the request body that brought it
//! (no copy). On disk each block is one file named by its hex hash under
//! `<data dir>/blocks/`, written to a temporary name and then renamed.
//! Blocks are never deleted (the real server keeps them too).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;

use super::hashing::{BlockHash, from_hex, sha256, to_hex, trimmed_len};
use crate::body::BlockSource;

/// The block store.
#[derive(Debug)]
pub(crate) struct BlockStore {
    backend: Backend,
    /// Sum of the stored (trimmed) block sizes.
    stored_bytes: AtomicU64,
}

#[derive(Debug)]
enum Backend {
    Memory(RwLock<HashMap<BlockHash, Bytes>>),
    Disk {
        dir: PathBuf,
        index: RwLock<HashSet<BlockHash>>,
    },
}

fn read_lock<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write_lock<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

impl BlockStore {
    /// An empty in-memory store.
    pub(crate) fn in_memory() -> Self {
        Self {
            backend: Backend::Memory(RwLock::new(HashMap::new())),
            stored_bytes: AtomicU64::new(0),
        }
    }

    /// A store in `<data_dir>/blocks/`, created if needed; blocks already
    /// there are indexed.
    pub(crate) fn on_disk(data_dir: &Path) -> io::Result<Self> {
        let dir = data_dir.join("blocks");
        fs::create_dir_all(&dir)?;
        let mut index = HashSet::new();
        let mut stored = 0;
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(hash) = parse_block_name(name) else {
                continue;
            };
            stored += entry.metadata()?.len();
            index.insert(hash);
        }
        Ok(Self {
            backend: Backend::Disk {
                dir,
                index: RwLock::new(index),
            },
            stored_bytes: AtomicU64::new(stored),
        })
    }

    /// Stores one block and returns its hash (hashing it once).
    pub(crate) fn put(&self, block: Bytes) -> io::Result<BlockHash> {
        let trimmed = block.slice(..trimmed_len(&block));
        let hash = sha256(&trimmed);
        self.insert(hash, trimmed)?;
        Ok(hash)
    }

    /// Stores `data` (already trimmed) under `hash` unless present.
    fn insert(&self, hash: BlockHash, data: Bytes) -> io::Result<()> {
        match &self.backend {
            Backend::Memory(map) => {
                let mut map = write_lock(map);
                if let std::collections::hash_map::Entry::Vacant(entry) = map.entry(hash) {
                    self.stored_bytes
                        .fetch_add(data.len() as u64, Ordering::Relaxed);
                    entry.insert(data);
                }
            }
            Backend::Disk { dir, index } => {
                if read_lock(index).contains(&hash) {
                    return Ok(());
                }
                let name = to_hex(&hash);
                let temporary = dir.join(format!("{name}.{:016x}.tmp", fastrand::u64(..)));
                fs::write(&temporary, &data)?;
                if let Err(error) = fs::rename(&temporary, dir.join(&name)) {
                    let _ = fs::remove_file(&temporary);
                    return Err(error);
                }
                if write_lock(index).insert(hash) {
                    self.stored_bytes
                        .fetch_add(data.len() as u64, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }

    /// Whether a block is stored.
    pub(crate) fn contains(&self, hash: &BlockHash) -> bool {
        match &self.backend {
            Backend::Memory(map) => read_lock(map).contains_key(hash),
            Backend::Disk { index, .. } => read_lock(index).contains(hash),
        }
    }

    /// The stored (trimmed) bytes of a block.
    pub(crate) fn get(&self, hash: &BlockHash) -> io::Result<Bytes> {
        match &self.backend {
            Backend::Memory(map) => read_lock(map)
                .get(hash)
                .cloned()
                .ok_or_else(|| missing(hash)),
            Backend::Disk { dir, .. } => match fs::read(dir.join(to_hex(hash))) {
                Ok(data) => Ok(Bytes::from(data)),
                Err(error) if error.kind() == io::ErrorKind::NotFound => Err(missing(hash)),
                Err(error) => Err(error),
            },
        }
    }

    /// The first `len` bytes of a block, zero-padded.
    pub(crate) fn get_padded(&self, hash: &BlockHash, len: usize) -> io::Result<Vec<u8>> {
        let stored = self.get(hash)?;
        let mut data = stored[..stored.len().min(len)].to_vec();
        data.resize(len, 0);
        Ok(data)
    }

    /// Number of distinct blocks stored.
    pub(crate) fn len(&self) -> usize {
        match &self.backend {
            Backend::Memory(map) => read_lock(map).len(),
            Backend::Disk { index, .. } => read_lock(index).len(),
        }
    }

    /// Sum of the stored block sizes (without trailing zeros).
    pub(crate) fn stored_bytes(&self) -> u64 {
        self.stored_bytes.load(Ordering::Relaxed)
    }
}

impl BlockSource for BlockStore {
    fn read_block(&self, hash: &[u8; 32]) -> io::Result<Bytes> {
        self.get(hash)
    }

    fn reads_disk(&self) -> bool {
        matches!(self.backend, Backend::Disk { .. })
    }
}

fn missing(hash: &BlockHash) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("block {} does not exist", to_hex(hash)),
    )
}

/// The hash named by a block file name (64 hex digits), if it is one.
fn parse_block_name(name: &str) -> Option<BlockHash> {
    if name.len() != 64 {
        return None;
    }
    from_hex(name)?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pithos::hashing::{block_hash, empty_hash};

    #[test]
    fn memory_store_dedups_and_trims() {
        let store = BlockStore::in_memory();
        let a = store.put(Bytes::from_static(b"hello\0\0")).unwrap();
        let b = store.put(Bytes::from_static(b"hello")).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, block_hash(b"hello"));
        assert_eq!(store.len(), 1);
        assert_eq!(store.stored_bytes(), 5);
        assert_eq!(&store.get(&a).unwrap()[..], b"hello");
        assert_eq!(store.get_padded(&a, 7).unwrap(), b"hello\0\0");
        assert_eq!(
            store.put(Bytes::from_static(&[0; 10])).unwrap(),
            empty_hash()
        );
        assert!(store.contains(&empty_hash()));
        assert!(store.get(&[9; 32]).is_err());
    }

    #[test]
    fn disk_store_persists() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlockStore::on_disk(dir.path()).unwrap();
        let hash = store.put(Bytes::from_static(b"abc\0")).unwrap();
        assert!(store.reads_disk());
        assert_eq!(&store.read_block(&hash).unwrap()[..], b"abc");
        let file = dir.path().join("blocks").join(to_hex(&hash));
        assert_eq!(fs::read(file).unwrap(), b"abc");
        fs::write(dir.path().join("blocks").join("junk.tmp"), b"x").unwrap();
        let again = BlockStore::on_disk(dir.path()).unwrap();
        assert!(again.contains(&hash));
        assert_eq!(again.len(), 1);
        assert_eq!(again.stored_bytes(), 3);
    }
}
