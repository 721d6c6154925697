//! Reusable block buffers, so a long transfer allocates its few blocks
//! once instead of one fresh multi-MiB buffer per block (which the
//! allocator tends to keep around, inflating peak memory).

use bytes::{Bytes, BytesMut};
use std::sync::Mutex;

/// At most `capacity` spare buffers of `block_size` bytes.
#[derive(Debug)]
pub(crate) struct BufferPool {
    spare: Mutex<Vec<BytesMut>>,
    block_size: usize,
    capacity: usize,
}

impl BufferPool {
    pub(crate) fn new(block_size: usize, capacity: usize) -> BufferPool {
        BufferPool {
            spare: Mutex::new(Vec::with_capacity(capacity)),
            block_size,
            capacity,
        }
    }

    /// A zero-filled buffer of `len` bytes (at most the block size).
    pub(crate) fn take(&self, len: usize) -> BytesMut {
        let reused = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        let mut buffer = reused.unwrap_or_else(|| BytesMut::with_capacity(self.block_size));
        buffer.clear();
        buffer.resize(len, 0);
        buffer
    }

    /// Returns a block's buffer once nothing else holds it; otherwise it is
    /// simply dropped.
    pub(crate) fn give_back(&self, block: Bytes) {
        if let Ok(buffer) = block.try_into_mut()
            && buffer.capacity() >= self.block_size
            && let Ok(mut spare) = self.spare.lock()
            && spare.len() < self.capacity
        {
            spare.push(buffer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_come_back_when_unshared() {
        let pool = BufferPool::new(16, 2);
        let block = pool.take(10).freeze();
        let shared = block.clone();
        pool.give_back(block);
        assert_eq!(pool.spare.lock().unwrap().len(), 0, "still shared");
        pool.give_back(shared);
        assert_eq!(pool.spare.lock().unwrap().len(), 1);
        let again = pool.take(16);
        assert_eq!(again.len(), 16);
        assert!(again.iter().all(|&b| b == 0));
        assert_eq!(pool.spare.lock().unwrap().len(), 0);
    }
}
