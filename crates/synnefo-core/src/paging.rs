//! Marker pagination as a `Stream`.

use crate::error::Result;
use futures_core::Stream;
use futures_util::{TryStreamExt, stream};
use std::future::Future;

/// One page of a marker-paginated listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The marker to ask for the next page with; `None` on the last page.
    pub next_marker: Option<String>,
}

/// Turns a page fetcher into a stream of items: `fetch(None)` gets the first
/// page, then `fetch(Some(marker))` each following one, until a page has no
/// next marker. Pages are fetched lazily, one at a time, as the stream is
/// read; the first error ends the stream.
///
/// ```
/// use futures_util::TryStreamExt;
/// use synnefo_core::{Page, paginate};
/// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let all: Vec<u32> = runtime.block_on(
///     paginate(|marker: Option<String>| async move {
///         let start: u32 = marker.map_or(0, |m| m.parse().unwrap());
///         let items: Vec<u32> = (start..(start + 3).min(7)).collect();
///         let next = (start + 3 < 7).then(|| (start + 3).to_string());
///         Ok(Page { items, next_marker: next })
///     })
///     .try_collect(),
/// )
/// .unwrap();
/// assert_eq!(all, (0..7).collect::<Vec<_>>());
/// ```
pub fn paginate<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    enum State {
        Next(Option<String>),
        Done,
    }
    stream::try_unfold(
        (fetch, State::Next(None)),
        |(mut fetch, state)| async move {
            let marker = match state {
                State::Done => return Ok(None),
                State::Next(marker) => marker,
            };
            let page = fetch(marker.clone()).await?;
            let next = match page.next_marker {
                // A server that repeats the marker would loop forever: stop.
                Some(next) if Some(&next) != marker.as_ref() && !page.items.is_empty() => {
                    State::Next(Some(next))
                }
                _ => State::Done,
            };
            Ok(Some((page.items, (fetch, next))))
        },
    )
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[tokio::test]
    async fn walks_every_page_and_stops() {
        let mut calls = Vec::new();
        let items: Vec<usize> = paginate(|marker| {
            calls.push(marker.clone());
            async move {
                let start = marker.map_or(0, |m| m.parse::<usize>().unwrap() + 1);
                let end = (start + 10_000).min(25_001);
                Ok(Page {
                    items: (start..end).collect(),
                    next_marker: (end < 25_001).then(|| (end - 1).to_string()),
                })
            }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items.len(), 25_001);
        assert_eq!(items.last(), Some(&25_000));
        assert_eq!(calls, vec![None, Some("9999".into()), Some("19999".into())]);
    }

    #[tokio::test]
    async fn a_repeated_marker_ends_the_listing() {
        let items: Vec<u8> = paginate(|_| async {
            Ok(Page {
                items: vec![1],
                next_marker: Some("same".into()),
            })
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, vec![1, 1]);
    }

    #[tokio::test]
    async fn errors_end_the_stream() {
        let result: Result<Vec<u8>> = paginate(|marker| async move {
            match marker {
                None => Ok(Page {
                    items: vec![1, 2],
                    next_marker: Some("2".into()),
                }),
                Some(_) => Err(Error::Config("boom".into())),
            }
        })
        .try_collect()
        .await;
        assert!(result.is_err());
    }
}
