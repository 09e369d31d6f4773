//! The page cache: public documents rendered once and kept, with their compressed variants,
//! until a change they show or a time boundary passes (ARCHITECTURE, "Reads are cheap").
//!
//! - **Precise invalidation.** A rendered page says what it [`Shows`]: one article, its
//!   discussion, the listings, comments anywhere, or (by default) anything. A [`Change`]
//!   removes exactly the entries showing what it touches, so approving a comment re-renders
//!   its article's page and the comment feeds, not the home page. Settings, people, sections,
//!   tags, pages, media and redirect rules can show anywhere: they empty the cache.
//! - **No stale insert.** A render notes the change sequence when it starts; if anything it
//!   shows changed meanwhile, its result is served once and not kept.
//! - **Time boundaries**: an entry also goes stale at the next moment its content changes
//!   without a write: midnight in the publication's time zone (the masthead shows the date)
//!   and the next scheduled publication (the publishing job's change then refreshes it).
//! - **Single flight**: concurrent misses for one key wait for a single render.
//! - **Bounded memory**: past `max_bytes`, the least recently used entries go.
//! - **Stale if error**: what a change removes is kept aside (`last_copies`, a quarter of the
//!   budget) and served, marked, only when a page cannot be rendered because the database
//!   does not answer.
//! - **Hits before routing**: [`PageCache::lookup`] is all a hit costs, so the public
//!   dispatcher asks it before parsing the route or loading the site snapshot.
//! - **Data besides pages** (`kept`): listings' totals, articles' comment lists and thread
//!   views, months' sitemap addresses, kept even with page caching off until what they were
//!   read from changes.

mod entry;
mod kept;
mod last_copies;
mod months;
mod threads;
mod totals;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::http::{HeaderName, HeaderValue};
use jiff::Timestamp;

use crate::locks::{lock, read, write};
use crate::striped::Striped;

pub use entry::{Entry, http_date};
pub(crate) use entry::{not_modified, parse_http_date};
pub use months::MonthPart;

/// What a CDN in front may do: keep, but revalidate every time (cheap: a 304).
pub const PUBLIC_CACHE_CONTROL: &str = "public, max-age=0, must-revalidate";
/// How many changed articles the cache remembers before it forgets them all and refuses the
/// renders in flight instead (they render again on the next request).
const MAX_MARKS: usize = 50_000;
/// Last copies may hold up to this fraction of `max_bytes` besides it.
const LAST_COPIES_SHARE: usize = 4;

/// How the cache behaves.
#[derive(Debug, Clone, Copy)]
pub struct CacheOptions {
    /// Off: every request renders, and responses are not compressed (for benchmarks).
    pub enabled: bool,
    pub max_bytes: usize,
}

impl Default for CacheOptions {
    fn default() -> Self {
        Self {
            enabled: true,
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Something a cached page shows, which a change can alter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shows {
    /// Whatever changes: for a page that did not say what it shows (the safe default).
    Anything,
    /// Which articles are listed where (home, archives, article feeds, sitemaps): any article
    /// change can move one in or out, or change its card.
    Listings,
    /// One article as readers see it: its page, and its card under other articles.
    Article(i64),
    /// One article's discussion: its published comments.
    Discussion(i64),
    /// Comments anywhere: the comments feeds.
    Comments,
}

/// A content change, as far as cached pages are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Settings, people, sections, tags, pages, menus, media, redirect rules, an import, a
    /// rebuilt search index: any page may show them.
    Everything,
    /// One article was written, published, moved or removed.
    Article(i64),
    /// One article's published comments changed.
    Discussion(i64),
}

impl Change {
    /// What a change alters: every entry showing one of these goes.
    fn alters(self) -> [Shows; 3] {
        match self {
            // Not reached: `Everything` empties the cache.
            Self::Everything => [Shows::Anything; 3],
            Self::Article(id) => [Shows::Anything, Shows::Listings, Shows::Article(id)],
            Self::Discussion(id) => [Shows::Anything, Shows::Comments, Shows::Discussion(id)],
        }
    }
}

/// A page ready to be cached.
#[derive(Debug)]
pub struct RenderedPage {
    pub html: String,
    /// When the content shown stops being true without any write (the next scheduled
    /// publication), if known.
    pub stale_at: Option<Timestamp>,
    /// `text/html; charset=utf-8` for pages; feeds and sitemaps have their own.
    pub content_type: &'static str,
    /// When what the document shows last changed, for `Last-Modified` (feeds, sitemaps).
    pub last_modified: Option<Timestamp>,
    /// What the page shows; None for anything (every change removes it).
    pub shows: Option<Vec<Shows>>,
    /// Headers every response for it carries besides the cache's own.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The metrics' name for the route that rendered it.
    pub label: &'static str,
}

impl RenderedPage {
    /// An HTML page.
    pub fn html(html: String, stale_at: Option<Timestamp>) -> Self {
        Self {
            html,
            stale_at,
            content_type: HTML,
            last_modified: None,
            shows: None,
            headers: Vec::new(),
            label: "other",
        }
    }

    /// Says what the page shows, so only changes to those remove it.
    pub fn showing(mut self, shows: Vec<Shows>) -> Self {
        self.shows = Some(shows);
        self
    }
}

const HTML: &str = "text/html; charset=utf-8";

/// Counters for `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub bytes: usize,
    pub generation: u64,
    /// Bytes held as last copies (see `last_copies`).
    pub last_copy_bytes: usize,
    /// Responses served from a last copy because the page could not be rendered.
    pub last_copies_served: u64,
}

/// The node's page cache.
#[derive(Debug)]
pub struct PageCache {
    options: CacheOptions,
    /// Moves with every change but a discussion's: the site snapshot (which holds the home
    /// layout, the next scheduled publication and which authors are public) follows it.
    site_generation: AtomicU64,
    index: RwLock<Index>,
    /// One async lock per key being rendered: the single-flight gate.
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Bumped on every hit, so striped per thread.
    hits: Striped<AtomicU64>,
    misses: AtomicU64,
    last_copies_served: AtomicU64,
    /// The LRU's clock: it moves on each insert, and a hit marks its entry with the time now.
    /// Moving it on hits too would make every hit write one line both cores share.
    tick: AtomicU64,
    /// Listings' totals, kept whether or not pages are (see `totals`).
    totals: totals::ListingTotals,
    /// Articles' published comments, kept whether or not pages are (see `threads`).
    threads: threads::KeptThreads,
    /// Months' sitemap addresses, kept whether or not pages are (see `months`).
    months: months::KeptMonths,
}

/// The entries and what each shows, under one lock so that a change and an insert never
/// interleave.
#[derive(Debug, Default)]
struct Index {
    /// Moves with every `Change::Everything`.
    generation: u64,
    /// Counts changes: a render notes it when it starts.
    sequence: u64,
    /// Renders that started before this are refused: older marks were forgotten.
    floor: u64,
    /// When (in `sequence`) each thing last changed.
    changed: HashMap<Shows, u64>,
    entries: HashMap<Arc<str>, Arc<Entry>>,
    /// The keys of the entries showing each thing.
    showing: HashMap<Shows, HashSet<Arc<str>>>,
    bytes: usize,
    /// What changes removed, for when a page cannot be rendered again.
    last_copies: last_copies::LastCopies,
    /// The bytes `last_copies` may hold.
    last_copies_budget: usize,
}

/// Where the cache stood when a render started.
#[derive(Debug, Clone, Copy)]
struct Ticket {
    generation: u64,
    sequence: u64,
}

impl PageCache {
    pub fn new(options: CacheOptions) -> Self {
        Self {
            options,
            site_generation: AtomicU64::new(1),
            index: RwLock::new(Index {
                generation: 1,
                last_copies_budget: options.max_bytes / LAST_COPIES_SHARE,
                ..Index::default()
            }),
            flights: Mutex::default(),
            hits: Striped::default(),
            misses: AtomicU64::new(0),
            last_copies_served: AtomicU64::new(0),
            tick: AtomicU64::new(0),
            totals: totals::ListingTotals::default(),
            threads: threads::KeptThreads::default(),
            months: months::KeptMonths::default(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.options.enabled
    }

    /// Removes every entry `change` can alter.
    pub fn invalidate(&self, change: Change) {
        let mut index = write(&self.index);
        index.sequence += 1;
        if !matches!(change, Change::Discussion(_)) {
            self.site_generation.fetch_add(1, Ordering::AcqRel);
        }
        if change == Change::Everything {
            index.generation += 1;
            index.empty();
            return;
        }
        for shows in change.alters() {
            index.mark(shows);
        }
        if index.changed.len() > MAX_MARKS {
            index.changed.clear();
            index.floor = index.sequence;
        }
    }

    /// The generation the site snapshot must have: it moves with every change that can alter
    /// the snapshot (all but a discussion's).
    pub fn site_generation(&self) -> u64 {
        self.site_generation.load(Ordering::Acquire)
    }

    pub fn stats(&self) -> CacheStats {
        let index = read(&self.index);
        CacheStats {
            hits: self.hits.all().map(|c| c.load(Ordering::Relaxed)).sum(),
            misses: self.misses.load(Ordering::Relaxed),
            entries: index.entries.len(),
            bytes: index.bytes,
            generation: index.generation,
            last_copy_bytes: index.last_copies.bytes(),
            last_copies_served: self.last_copies_served.load(Ordering::Relaxed),
        }
    }

    /// The fresh entry for `key`, if there is one: a hit.
    pub fn lookup(&self, key: &str, now: Timestamp) -> Option<Arc<Entry>> {
        let entry = read(&self.index).entries.get(key).cloned()?;
        if entry.stale_at.is_some_and(|at| now >= at) {
            return None;
        }
        // Written only when the clock moved since, so that a page read over and over is a
        // line both cores can keep.
        let now_tick = self.tick.load(Ordering::Relaxed);
        if entry.last_used.load(Ordering::Relaxed) < now_tick {
            entry.last_used.store(now_tick, Ordering::Relaxed);
        }
        self.hits.mine().fetch_add(1, Ordering::Relaxed);
        Some(entry)
    }

    /// The newest copy of `key` there is, however old: for when the page cannot be rendered
    /// because the database does not answer. The caller marks the response as stale.
    pub fn last_copy(&self, key: &str) -> Option<Arc<Entry>> {
        let index = read(&self.index);
        let entry = index
            .entries
            .get(key)
            .cloned()
            .or_else(|| index.last_copies.get(key))?;
        self.last_copies_served.fetch_add(1, Ordering::Relaxed);
        Some(entry)
    }

    /// The fresh entry for `key`, rendering it with `render` if needed (once, however many
    /// requests wait). `render` returns None for a page that must not be cached (a redirect,
    /// an error); the caller then renders the response itself.
    pub async fn get_or_render<F, Fut, E>(
        &self,
        key: &str,
        now: Timestamp,
        render: F,
    ) -> Result<Option<Arc<Entry>>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<RenderedPage>, E>>,
    {
        if let Some(entry) = self.lookup(key, now) {
            return Ok(Some(entry));
        }
        let gate = lock(&self.flights)
            .entry(key.to_owned())
            .or_default()
            .clone();
        let _flight = gate.lock().await;
        // Forget the gate however this ends (even if the request is cancelled), but only if it
        // is still ours: a later request may have made a new one.
        let _forget = ForgetFlight {
            cache: self,
            key,
            gate: &gate,
        };
        // Someone else may have rendered it while we waited.
        if let Some(entry) = self.lookup(key, now) {
            return Ok(Some(entry));
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let ticket = self.ticket();
        let Some(mut page) = render().await? else {
            return Ok(None);
        };
        let shows = page.shows.take().unwrap_or_else(|| vec![Shows::Anything]);
        let tick = self.tick.fetch_add(1, Ordering::Relaxed) + 1;
        let entry = Arc::new(Entry::build(page, shows, tick));
        self.insert(key, entry.clone(), ticket);
        Ok(Some(entry))
    }

    fn ticket(&self) -> Ticket {
        let index = read(&self.index);
        Ticket {
            generation: index.generation,
            sequence: index.sequence,
        }
    }

    /// Keeps `entry` unless something it shows changed since its render started.
    fn insert(&self, key: &str, entry: Arc<Entry>, ticket: Ticket) {
        let mut index = write(&self.index);
        if !index.unchanged_since(ticket, &entry.shows) {
            return;
        }
        index.take(key);
        index.last_copies.forget(key);
        let key: Arc<str> = Arc::from(key);
        for shows in &entry.shows {
            index.showing.entry(*shows).or_default().insert(key.clone());
        }
        index.bytes += entry.size;
        index.entries.insert(key, entry);
        if index.bytes > self.options.max_bytes {
            // Down to seven eighths, so that eviction's scan runs once per many inserts.
            index.evict_down_to(self.options.max_bytes / 8 * 7);
        }
    }
}

impl Index {
    fn unchanged_since(&self, ticket: Ticket, shows: &[Shows]) -> bool {
        ticket.generation == self.generation
            && ticket.sequence >= self.floor
            && shows.iter().all(|s| {
                self.changed
                    .get(s)
                    .is_none_or(|changed| *changed <= ticket.sequence)
            })
    }

    /// `shows` changed now: the entries showing it go, kept as last copies.
    fn mark(&mut self, shows: Shows) {
        self.changed.insert(shows, self.sequence);
        for key in self.showing.remove(&shows).unwrap_or_default() {
            if let Some(entry) = self.take(&key) {
                self.last_copies.keep(key, entry, self.last_copies_budget);
            }
        }
    }

    fn take(&mut self, key: &str) -> Option<Arc<Entry>> {
        let entry = self.entries.remove(key)?;
        self.bytes -= entry.size;
        for shows in &entry.shows {
            if let Some(keys) = self.showing.get_mut(shows) {
                keys.remove(key);
                if keys.is_empty() {
                    self.showing.remove(shows);
                }
            }
        }
        Some(entry)
    }

    /// Everything goes, the most recently read kept as last copies while the budget lasts.
    fn empty(&mut self) {
        self.floor = self.sequence;
        self.changed.clear();
        self.showing.clear();
        self.bytes = 0;
        let mut kept = 0;
        for key in least_recently_used_first(&self.entries).into_iter().rev() {
            let Some(entry) = self.entries.remove(&key) else {
                continue;
            };
            kept += entry.size;
            if kept > self.last_copies_budget {
                break;
            }
            // Older last copies make room, least recently used first.
            self.last_copies.keep(key, entry, self.last_copies_budget);
        }
        self.entries.clear();
    }

    fn evict_down_to(&mut self, target: usize) {
        for key in least_recently_used_first(&self.entries) {
            if self.bytes <= target {
                break;
            }
            self.take(&key);
        }
    }
}

/// The keys of `entries`, the least recently read first: the order eviction goes in.
fn least_recently_used_first(entries: &HashMap<Arc<str>, Arc<Entry>>) -> Vec<Arc<str>> {
    let mut by_age: Vec<(u64, Arc<str>)> = entries
        .iter()
        .map(|(key, e)| (e.last_used.load(Ordering::Relaxed), key.clone()))
        .collect();
    by_age.sort_unstable_by_key(|(used, _)| *used);
    by_age.into_iter().map(|(_, key)| key).collect()
}

/// Removes a key's single-flight gate when dropped, if it is still the one in the map.
struct ForgetFlight<'a> {
    cache: &'a PageCache,
    key: &'a str,
    gate: &'a Arc<tokio::sync::Mutex<()>>,
}

impl Drop for ForgetFlight<'_> {
    fn drop(&mut self) {
        let mut flights = lock(&self.cache.flights);
        if flights
            .get(self.key)
            .is_some_and(|current| Arc::ptr_eq(current, self.gate))
        {
            flights.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests;
