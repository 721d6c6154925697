//! Response bodies: whole buffers, or streams assembled lazily from stored
//! blocks (Pithos object data), so that large objects are never copied into
//! one buffer and no lock is held while a body is sent.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;

/// Response body type of the server.
pub(crate) type SimBody = BoxBody<Bytes, io::Error>;

/// Pause between the half body and the abort of a cut response, so that what
/// was sent reaches the client before the connection dies.
const MID_BODY_PAUSE: Duration = Duration::from_millis(20);

/// Zeros used to pad blocks stored without their trailing zeros.
static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// Where streamed bodies read blocks from.
pub(crate) trait BlockSource: Send + Sync + fmt::Debug {
    /// The stored bytes of a block. They may be shorter than the block: the
    /// missing tail is zeros.
    fn read_block(&self, hash: &[u8; 32]) -> io::Result<Bytes>;

    /// Whether reading may wait for the disk (then it runs on the blocking
    /// thread pool).
    fn reads_disk(&self) -> bool;
}

/// One piece of a streamed body.
#[derive(Clone, Debug)]
pub(crate) enum Segment {
    /// Literal bytes (e.g. multipart headers).
    Bytes(Bytes),
    /// `len` bytes of a block, from `start`, zero-padded past its stored end.
    Block {
        /// The block's hash.
        hash: [u8; 32],
        /// Offset in the block.
        start: usize,
        /// Number of bytes.
        len: usize,
    },
}

/// A body produced segment by segment while it is sent.
#[derive(Clone)]
pub(crate) struct StreamedBody {
    /// Total length, announced as `Content-Length`; `None` = unknown
    /// (chunked transfer encoding).
    pub(crate) len: Option<u64>,
    /// The segments in order.
    pub(crate) segments: Vec<Segment>,
    /// Where [`Segment::Block`]s are read from.
    pub(crate) source: Option<Arc<dyn BlockSource>>,
    /// Counter of the bytes sent, if any.
    pub(crate) sent: Option<Arc<AtomicU64>>,
}

impl fmt::Debug for StreamedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamedBody")
            .field("len", &self.len)
            .field("segments", &self.segments.len())
            .finish()
    }
}

/// The body of a response.
#[derive(Clone, Debug)]
pub(crate) enum ResponseBody {
    /// A complete buffer.
    Full(Bytes),
    /// A lazily assembled stream.
    Streamed(StreamedBody),
}

impl ResponseBody {
    /// An empty body.
    pub(crate) fn empty() -> Self {
        Self::Full(Bytes::new())
    }

    /// The length for `Content-Length`, if known.
    pub(crate) fn len(&self) -> Option<u64> {
        match self {
            Self::Full(bytes) => Some(bytes.len() as u64),
            Self::Streamed(stream) => stream.len,
        }
    }
}

/// Turns a response body into what hyper sends: nothing for `HEAD`, and for
/// `cut` only the first half of the body followed by an aborted connection.
pub(crate) fn into_sim_body(body: ResponseBody, head: bool, cut: bool) -> SimBody {
    match body {
        _ if head && !cut => full_body(Bytes::new()),
        ResponseBody::Full(bytes) if head => truncated_body(bytes.slice(..0)),
        ResponseBody::Full(bytes) if cut => truncated_body(bytes),
        ResponseBody::Full(bytes) => full_body(bytes),
        ResponseBody::Streamed(stream) => {
            let budget = match (head, cut) {
                (true, _) => Some(0),
                (false, true) => Some(stream.len.unwrap_or(0) / 2),
                (false, false) => None,
            };
            let segments = if head { Vec::new() } else { stream.segments };
            let pump = Pump {
                segments: segments.into_iter(),
                source: stream.source,
                ready: VecDeque::new(),
                budget,
                sent: stream.sent,
                finished: false,
            };
            let frames = futures_util::stream::unfold(pump, Pump::next_frame);
            StreamBody::new(frames).boxed()
        }
    }
}

fn full_body(body: Bytes) -> SimBody {
    Full::new(body)
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// The first half of `body`, then (after a short pause so that it is sent)
/// an error that makes hyper abort the connection.
fn truncated_body(body: Bytes) -> SimBody {
    let half = body.slice(..body.len() / 2);
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 if !half.is_empty() => Some((Ok(Frame::data(half)), 1)),
                0 | 1 => Some((Err(cut_error().await), 2)),
                _ => None,
            }
        }
    });
    StreamBody::new(stream).boxed()
}

/// Waits a little, then returns the error that aborts a cut response.
async fn cut_error() -> io::Error {
    tokio::time::sleep(MID_BODY_PAUSE).await;
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "response cut on purpose by synnefo-sim",
    )
}

/// State of a streamed body being sent.
struct Pump {
    segments: std::vec::IntoIter<Segment>,
    source: Option<Arc<dyn BlockSource>>,
    ready: VecDeque<Bytes>,
    /// Bytes still to send before cutting the connection; `None` = no cut.
    budget: Option<u64>,
    sent: Option<Arc<AtomicU64>>,
    finished: bool,
}

impl Pump {
    async fn next_frame(mut self) -> Option<(io::Result<Frame<Bytes>>, Self)> {
        if self.finished {
            return None;
        }
        loop {
            if let Some(mut chunk) = self.ready.pop_front() {
                if let Some(budget) = self.budget.as_mut() {
                    if *budget == 0 {
                        self.finished = true;
                        return Some((Err(cut_error().await), self));
                    }
                    if chunk.len() as u64 > *budget {
                        chunk.truncate(*budget as usize);
                    }
                    *budget -= chunk.len() as u64;
                }
                if chunk.is_empty() {
                    continue;
                }
                if let Some(sent) = &self.sent {
                    sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                }
                return Some((Ok(Frame::data(chunk)), self));
            }
            match self.segments.next() {
                Some(Segment::Bytes(bytes)) => self.ready.push_back(bytes),
                Some(Segment::Block { hash, start, len }) => {
                    if let Err(error) = self.load(hash, start, len).await {
                        self.finished = true;
                        return Some((Err(error), self));
                    }
                }
                None if self.budget.is_some() => {
                    self.finished = true;
                    return Some((Err(cut_error().await), self));
                }
                None => return None,
            }
        }
    }

    /// Queues `len` bytes of block `hash` from `start`.
    async fn load(&mut self, hash: [u8; 32], start: usize, len: usize) -> io::Result<()> {
        let Some(source) = self.source.clone() else {
            return Err(io::Error::other("no block source for a streamed body"));
        };
        let data = if source.reads_disk() {
            tokio::task::spawn_blocking(move || source.read_block(&hash))
                .await
                .map_err(io::Error::other)??
        } else {
            source.read_block(&hash)?
        };
        let end = start.saturating_add(len);
        let stored_end = end.min(data.len());
        if start < stored_end {
            self.ready.push_back(data.slice(start..stored_end));
        }
        let mut zeros = len - stored_end.saturating_sub(start);
        while zeros > 0 {
            let n = zeros.min(ZEROS.len());
            self.ready.push_back(Bytes::from_static(&ZEROS[..n]));
            zeros -= n;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Debug)]
    struct Map(HashMap<[u8; 32], Bytes>);

    impl BlockSource for Map {
        fn read_block(&self, hash: &[u8; 32]) -> io::Result<Bytes> {
            self.0
                .get(hash)
                .cloned()
                .ok_or_else(|| io::Error::other("missing"))
        }
        fn reads_disk(&self) -> bool {
            false
        }
    }

    async fn collect(body: SimBody) -> Result<Vec<u8>, io::Error> {
        body.collect().await.map(|c| c.to_bytes().to_vec())
    }

    #[tokio::test]
    async fn streams_blocks_with_padding() {
        let mut map = HashMap::new();
        map.insert([1; 32], Bytes::from_static(b"abc"));
        let source: Arc<dyn BlockSource> = Arc::new(Map(map));
        let sent = Arc::new(AtomicU64::new(0));
        let body = ResponseBody::Streamed(StreamedBody {
            len: Some(9),
            segments: vec![
                Segment::Bytes(Bytes::from_static(b">")),
                Segment::Block {
                    hash: [1; 32],
                    start: 1,
                    len: 5,
                },
                Segment::Bytes(Bytes::from_static(b"<<<")),
            ],
            source: Some(source.clone()),
            sent: Some(sent.clone()),
        });
        let data = collect(into_sim_body(body.clone(), false, false))
            .await
            .unwrap();
        assert_eq!(data, b">bc\0\0\0<<<");
        assert_eq!(sent.load(Ordering::Relaxed), 9);
        assert!(
            collect(into_sim_body(body.clone(), true, false))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(collect(into_sim_body(body, false, true)).await.is_err());
        let missing = ResponseBody::Streamed(StreamedBody {
            len: Some(1),
            segments: vec![Segment::Block {
                hash: [2; 32],
                start: 0,
                len: 1,
            }],
            source: Some(source),
            sent: None,
        });
        assert!(collect(into_sim_body(missing, false, false)).await.is_err());
    }
}
