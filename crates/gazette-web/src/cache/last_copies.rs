//! Pages' last copies: what a change removed from the cache, kept aside for the moments the
//! page cannot be rendered again (the database does not answer), when an out-of-date page,
//! marked as such, is better for a reader than a 503. Never served otherwise.

use std::collections::HashMap;
use std::sync::Arc;

use super::Entry;

/// Removed entries by key, within a budget of bytes; the least recently used go first.
#[derive(Debug, Default)]
pub(super) struct LastCopies {
    entries: HashMap<Arc<str>, Arc<Entry>>,
    bytes: usize,
}

impl LastCopies {
    /// Keeps `entry` as `key`'s last copy, replacing an older one.
    pub(super) fn keep(&mut self, key: Arc<str>, entry: Arc<Entry>, budget: usize) {
        self.bytes += entry.size;
        if let Some(older) = self.entries.insert(key, entry) {
            self.bytes -= older.size;
        }
        if self.bytes > budget {
            self.shed_down_to(budget / 8 * 7);
        }
    }

    /// `key` has a fresh copy again: its last one is no longer needed.
    pub(super) fn forget(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.bytes -= entry.size;
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.entries.get(key).cloned()
    }

    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    fn shed_down_to(&mut self, target: usize) {
        for key in super::least_recently_used_first(&self.entries) {
            if self.bytes <= target {
                break;
            }
            self.forget(&key);
        }
    }
}
