//! How a search's matches are ranked and one page of them taken: by relevance (BM25 times a
//! recency boost), or by publication date, newest or oldest first (to the second, as the
//! index keeps dates, then by id, so pages never overlap).

use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{Order, Searcher};

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
    request: &SearchRequest,
) -> Result<(Vec<Hit>, usize), SearchError> {
    let range = Range::within(searcher, request);
    match request.order {
        SearchOrder::Relevance => by_relevance(searcher, query, range, request.now),
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

fn by_relevance(
    searcher: &Searcher,
    query: &dyn Query,
    range: Range,
    now: jiff::Timestamp,
) -> Result<(Vec<Hit>, usize), SearchError> {
    let now_micros = now.as_microsecond();
    let top = range
        .top_docs()
        .tweak_score(move |segment: &tantivy::SegmentReader| {
            let published = segment.fast_fields().date("published").ok();
            move |doc, score: tantivy::Score| {
                let at = published
                    .as_ref()
                    .and_then(|column| column.first(doc))
                    .map_or(0, |d| d.into_timestamp_micros());
                score * recency(now_micros, at)
            }
        });
    let (top, total) = searcher.search(query, &(top, Count))?;
    let hits = top
        .into_iter()
        .filter_map(|(score, address)| {
            Some(Hit {
                id: id_of(searcher, address)?,
                score,
            })
        })
        .collect();
    Ok((hits, total))
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
fn recency(now_micros: i64, published_micros: i64) -> f32 {
    let age_days = (now_micros.saturating_sub(published_micros)).max(0) as f32 / 86_400e6;
    1.0 + RECENCY_BOOST / (1.0 + age_days / RECENCY_DAYS)
}
