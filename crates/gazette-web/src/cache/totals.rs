//! How many articles each listing has, kept between renders until the listings change.
//!
//! A listing's page shows its total ("17,437 articles") and its last page number. Counting
//! reads every entry of the listing's index: at 100,000 articles, about 7 ms for the home
//! page and 20 ms for a large section, more than the rest of the page. The articles on the
//! page are read each time; only the total is kept, and only while no article has changed
//! (the site generation, which every change but a discussion's moves).

use std::collections::HashMap;
use std::sync::Mutex;

use gazette_store::ArticleFilter;

use crate::locks::lock;

/// Past this many listings the kept totals are dropped and counted again as asked: date
/// archives alone can name thousands.
const MAX_KEPT: usize = 10_000;

/// The totals counted at one site generation.
#[derive(Debug, Default)]
pub(super) struct ListingTotals {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    generation: u64,
    totals: HashMap<ArticleFilter, u64>,
}

impl ListingTotals {
    /// The total counted for `filter` at `generation`, if there is one.
    pub(super) fn get(&self, filter: &ArticleFilter, generation: u64) -> Option<u64> {
        let kept = lock(&self.kept);
        (kept.generation == generation)
            .then(|| kept.totals.get(filter).copied())
            .flatten()
    }

    /// Keeps a total counted after the generation was `counted_at`, unless it has moved on
    /// since (`now`): a change during the count may have changed the total.
    pub(super) fn keep(&self, filter: &ArticleFilter, total: u64, counted_at: u64, now: u64) {
        if counted_at != now {
            return;
        }
        let mut kept = lock(&self.kept);
        if kept.generation != now || kept.totals.len() >= MAX_KEPT {
            kept.generation = now;
            kept.totals.clear();
        }
        kept.totals.insert(filter.clone(), total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_kept_for_its_generation_only() {
        let totals = ListingTotals::default();
        let all = ArticleFilter::All;
        totals.keep(&all, 12, 3, 3);
        assert_eq!(totals.get(&all, 3), Some(12));
        assert_eq!(totals.get(&all, 4), None, "a change moved the generation");
        totals.keep(&ArticleFilter::Tagged(gazette_core::TagId(1)), 2, 4, 4);
        assert_eq!(
            totals.get(&all, 4),
            None,
            "older totals went with the old generation"
        );
    }

    #[test]
    fn a_total_counted_across_a_change_is_not_kept() {
        let totals = ListingTotals::default();
        totals.keep(&ArticleFilter::All, 12, 3, 4);
        assert_eq!(totals.get(&ArticleFilter::All, 3), None);
        assert_eq!(totals.get(&ArticleFilter::All, 4), None);
    }
}
