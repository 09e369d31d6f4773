//! How a search's matches are ranked and one page of them taken: by relevance (BM25 times a
//! recency boost), or by publication date, newest or oldest first (to the second, as the
//! index keeps dates, then by id, so pages never overlap).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Order, Score, Searcher};

use crate::{Hit, SearchError, SearchRequest, id_of};

/// A match counts this much more when the article is new, fading over about a month.
const RECENCY_BOOST: f32 = 0.3;
const RECENCY_DAYS: f32 = 30.0;

/// The order of a search's results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchOrder {
    /// Best matches first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// The page `request` asks for of what `query` matches, and how many it matches in all.
pub(crate) fn page(
    searcher: &Searcher,
    query: &dyn Query,
    walk: Walk,
    request: &SearchRequest,
) -> Result<(Vec<Hit>, usize), SearchError> {
    let range = Range::within(searcher, request);
    match request.order {
        SearchOrder::Relevance => by_relevance(searcher, query, walk, range, request.now),
        SearchOrder::Newest => by_date(searcher, query, range, Order::Desc),
        SearchOrder::Oldest => by_date(searcher, query, range, Order::Asc),
    }
}

/// The slice of the results to return. tantivy reserves room for `offset + limit` hits up
/// front, so both are cut to what the index holds: a client asking for page 10,000,000
/// costs no more than one asking for the last page.
#[derive(Debug, Clone, Copy)]
struct Range {
    offset: usize,
    limit: usize,
}

impl Range {
    fn within(searcher: &Searcher, request: &SearchRequest) -> Self {
        let held = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        Self {
            offset: request.offset.min(held),
            limit: request.limit.min(held).max(1),
        }
    }

    fn top_docs(self) -> TopDocs {
        TopDocs::with_limit(self.limit).and_offset(self.offset)
    }
}

/// How a query's matches can be walked for the best of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk {
    /// A lone word (a term, or a union of terms) or several words and nothing else (an
    /// intersection of terms): tantivy skips the blocks of postings that cannot reach the
    /// page (block-max WAND), and the matches are counted in a pass of their own.
    SkippingBlocks,
    /// Anything else scores every match, so that one walk counts them as well.
    EveryMatch,
}

/// Relevance is BM25 times a recency factor between 1 and [`MAX_RECENCY`]. Once the page is
/// full, an article can only enter it by beating the page's lowest relevance, and with the
/// factor at most [`MAX_RECENCY`], its BM25 must then be above that relevance divided by the
/// factor: that is the threshold a walk that skips blocks is given, so the page stays exact.
fn by_relevance(
    searcher: &Searcher,
    query: &dyn Query,
    walk: Walk,
    range: Range,
    now: jiff::Timestamp,
) -> Result<(Vec<Hit>, usize), SearchError> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let recency = Recency::new(searcher, now);
    let mut best = Best::new(range.offset.saturating_add(range.limit));
    let mut total = 0;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = u32::try_from(ord).unwrap_or(u32::MAX);
        let alive = segment.alive_bitset();
        let is_alive = |doc| !alive.is_some_and(|bits| bits.is_deleted(doc));
        let ranked = |doc, bm25: Score| {
            let address = DocAddress::new(ord, doc);
            Ranked {
                score: bm25 * recency.of(address),
                address,
            }
        };
        match walk {
            Walk::SkippingBlocks => {
                weight.for_each_pruning(best.bm25_threshold(), segment, &mut |doc, bm25| {
                    if is_alive(doc) {
                        best.offer(ranked(doc, bm25));
                    }
                    best.bm25_threshold()
                })?;
            }
            Walk::EveryMatch => weight.for_each(segment, &mut |doc, bm25| {
                if is_alive(doc) {
                    total += 1;
                    best.offer(ranked(doc, bm25));
                }
            })?,
        }
    }
    if walk == Walk::SkippingBlocks {
        total = searcher.search(query, &Count)?;
    }
    let hits = best
        .into_sorted()
        .into_iter()
        .skip(range.offset)
        .filter_map(|ranked| {
            Some(Hit {
                id: id_of(searcher, ranked.address)?,
                score: ranked.score,
            })
        })
        .collect();
    Ok((hits, total))
}

/// The largest recency factor: an article published now (or dated in the future).
const MAX_RECENCY: f32 = 1.0 + RECENCY_BOOST;

/// The best `capacity` matches so far, the worst on top of the heap.
struct Best {
    capacity: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl Best {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            // A page far into the results grows the heap as matches come, not up front.
            heap: BinaryHeap::with_capacity(capacity.min(1024)),
        }
    }

    fn offer(&mut self, ranked: Ranked) {
        if self.heap.len() < self.capacity {
            self.heap.push(Reverse(ranked));
        } else if self.heap.peek().is_some_and(|worst| ranked > worst.0) {
            self.heap.pop();
            self.heap.push(Reverse(ranked));
        }
    }

    /// The BM25 an article must exceed to have a chance of entering: none while there is
    /// room. Divided by a hair more than the largest factor, so that rounding can never prune
    /// an article that would have entered.
    fn bm25_threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.capacity => {
                worst.0.score / (MAX_RECENCY * 1.0001)
            }
            _ => Score::MIN,
        }
    }

    fn into_sorted(self) -> Vec<Ranked> {
        let mut ranked: Vec<Ranked> = self.heap.into_iter().map(|r| r.0).collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        ranked
    }
}

/// A match and its relevance. Greater is better: the higher relevance, then the earlier
/// document, so that equal relevances come in the same order every time.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: Score,
    address: DocAddress,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Each segment's publication dates, for the recency factor.
struct Recency {
    now_micros: i64,
    published: Vec<Option<tantivy::columnar::Column<tantivy::DateTime>>>,
}

impl Recency {
    fn new(searcher: &Searcher, now: jiff::Timestamp) -> Self {
        let published = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().date("published").ok())
            .collect();
        Self {
            now_micros: now.as_microsecond(),
            published,
        }
    }

    fn of(&self, address: DocAddress) -> f32 {
        let at = self
            .published
            .get(address.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|column| column.first(address.doc_id))
            .map_or(0, |d| d.into_timestamp_micros());
        recency(self.now_micros, at)
    }
}

fn by_date(
    searcher: &Searcher,
    query: &dyn Query,
    range: Range,
    order: Order,
) -> Result<(Vec<Hit>, usize), SearchError> {
    let key = (
        (
            SortByStaticFastValue::<tantivy::DateTime>::for_field("published"),
            order,
        ),
        (SortByStaticFastValue::<u64>::for_field("id"), order),
    );
    let top = range.top_docs().order_by(key);
    let (top, total) = searcher.search(query, &(top, Count))?;
    let hits = top
        .into_iter()
        .filter_map(|(_, address)| {
            Some(Hit {
                id: id_of(searcher, address)?,
                score: 0.0,
            })
        })
        .collect();
    Ok((hits, total))
}

/// 1 + RECENCY_BOOST for an article published now, fading towards 1 with age.
pub(crate) fn recency(now_micros: i64, published_micros: i64) -> f32 {
    let age_days = (now_micros.saturating_sub(published_micros)).max(0) as f32 / 86_400e6;
    1.0 + RECENCY_BOOST / (1.0 + age_days / RECENCY_DAYS)
}
