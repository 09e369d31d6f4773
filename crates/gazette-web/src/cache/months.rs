//! Each month's sitemap addresses, kept between renders while the month's revision in the
//! store stays where it was.
//!
//! A whole month's sitemap (1,200 articles at forty a day) spent most of its 3.5 ms on
//! PostgreSQL reading and decoding the month's rows, which change only when one of its
//! articles does, while a publish anywhere re-renders every sitemap. The store moves a
//! month's revision in the writer's transaction, whichever node wrote (migration 27), and
//! [`gazette_store::Store::month_addresses`] reads the rows again only when the revision is
//! no longer the one a kept list was read at. Like comment lists, the addresses are data, kept
//! whether or not pages are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gazette_core::ArticleAddress;

use crate::locks::lock;

/// Past this many bytes of kept addresses, all are dropped and read again as asked: about
/// fifty whole months.
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// One part (of at most 50,000 addresses) of one UTC month's sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MonthPart {
    pub year: i16,
    pub month: i8,
    pub part: usize,
}

/// The address lists read so far, each with the month's revision it was read at.
#[derive(Debug, Default)]
pub(super) struct KeptMonths {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    bytes: usize,
    by_part: HashMap<MonthPart, (u64, Arc<[ArticleAddress]>)>,
}

impl KeptMonths {
    /// The list kept for `part` and the revision it was read at, if there is one.
    pub(super) fn get(&self, part: MonthPart) -> Option<(u64, Arc<[ArticleAddress]>)> {
        lock(&self.kept).by_part.get(&part).cloned()
    }

    /// Keeps `addresses`, read at the month's `revision`.
    pub(super) fn keep(&self, part: MonthPart, revision: u64, addresses: Arc<[ArticleAddress]>) {
        let size = heap_size(&addresses);
        let mut kept = lock(&self.kept);
        if let Some((_, old)) = kept.by_part.remove(&part) {
            kept.bytes -= heap_size(&old);
        }
        // A list larger than the whole bound is not kept, and does not empty the others.
        if size > MAX_BYTES {
            return;
        }
        if kept.bytes + size > MAX_BYTES {
            kept.by_part.clear();
            kept.bytes = 0;
        }
        kept.bytes += size;
        kept.by_part.insert(part, (revision, addresses));
    }
}

/// What a list of addresses holds on the heap, near enough to bound the total.
fn heap_size(addresses: &[ArticleAddress]) -> usize {
    addresses
        .iter()
        .map(|address| {
            std::mem::size_of::<ArticleAddress>()
                + address.slug.as_str().len()
                + address.headline.len()
        })
        .sum()
}
