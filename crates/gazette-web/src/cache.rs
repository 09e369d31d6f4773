//! The page cache: public pages rendered once and kept, with their compressed variants,
//! until content changes or a time boundary passes (ARCHITECTURE, "Reads are cheap").
//!
//! - **Invalidation** is by generation: the follower calls [`PageCache::invalidate`] for every
//!   content change on any node, and entries of an older generation are stale. A request reads
//!   the generation *before* rendering, so a change that lands mid-render makes that render
//!   stale at once rather than caching old content under the new generation.
//! - **Time boundaries**: an entry also goes stale at the next moment its content changes
//!   without a write: midnight in the publication's time zone (the masthead shows the date)
//!   and the next scheduled publication (the publishing job's change then refreshes it).
//! - **Single flight**: concurrent misses for one key wait for a single render.
//! - **Bounded memory**: past `max_bytes`, stale entries go first, then the least recently
//!   used.
//! - Each encoding has its own strong ETag; `If-None-Match` gets a 304.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

/// What a CDN in front may do: keep, but revalidate every time (cheap: a 304).
pub const PUBLIC_CACHE_CONTROL: &str = "public, max-age=0, must-revalidate";
/// Brotli quality: about 5 costs a millisecond or two per page; 11 costs a tenth of a second.
const BROTLI_QUALITY: u32 = 5;

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
}

impl RenderedPage {
    /// An HTML page.
    pub fn html(html: String, stale_at: Option<Timestamp>) -> Self {
        Self {
            html,
            stale_at,
            content_type: HTML,
            last_modified: None,
        }
    }
}

const HTML: &str = "text/html; charset=utf-8";

/// One encoding of a cached page.
#[derive(Debug)]
struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

/// A cached page in every encoding.
#[derive(Debug)]
pub struct Entry {
    generation: u64,
    stale_at: Option<Timestamp>,
    identity: Variant,
    gzip: Variant,
    brotli: Variant,
    content_type: HeaderValue,
    /// The `Last-Modified` value, when the document has one.
    last_modified: Option<(Timestamp, HeaderValue)>,
    size: usize,
    last_used: AtomicU64,
}

/// Counters for `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub bytes: usize,
    pub generation: u64,
}

/// The node's page cache.
#[derive(Debug)]
pub struct PageCache {
    options: CacheOptions,
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    bytes: AtomicUsize,
    /// One async lock per key being rendered: the single-flight gate.
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    hits: AtomicU64,
    misses: AtomicU64,
    tick: AtomicU64,
}

impl PageCache {
    pub fn new(options: CacheOptions) -> Self {
        Self {
            options,
            generation: AtomicU64::new(1),
            entries: Mutex::default(),
            bytes: AtomicUsize::new(0),
            flights: Mutex::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            tick: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.options.enabled
    }

    /// Content changed somewhere: every entry is stale from now on.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: lock(&self.entries).len(),
            bytes: self.bytes.load(Ordering::Relaxed),
            generation: self.generation(),
        }
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
        F: FnOnce(u64) -> Fut,
        Fut: Future<Output = Result<Option<RenderedPage>, E>>,
    {
        if let Some(entry) = self.fresh(key, now) {
            self.hits.fetch_add(1, Ordering::Relaxed);
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
        if let Some(entry) = self.fresh(key, now) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Some(entry));
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let generation = self.generation();
        let Some(page) = render(generation).await? else {
            return Ok(None);
        };
        let entry = Arc::new(self.build_entry(generation, page));
        self.insert(key, entry.clone());
        Ok(Some(entry))
    }

    fn fresh(&self, key: &str, now: Timestamp) -> Option<Arc<Entry>> {
        let entry = lock(&self.entries).get(key).cloned()?;
        let current =
            entry.generation == self.generation() && entry.stale_at.is_none_or(|at| now < at);
        if current {
            entry
                .last_used
                .store(self.tick.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
            Some(entry)
        } else {
            None
        }
    }

    fn build_entry(&self, generation: u64, page: RenderedPage) -> Entry {
        let identity = Bytes::from(page.html.into_bytes());
        let digest = Sha256::digest(&identity);
        let tag = hex::encode(&digest[..10]);
        let etag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{tag}{suffix}\""))
                .unwrap_or(HeaderValue::from_static("\"x\""))
        };
        let gzip = Bytes::from(gzip(&identity));
        let brotli = Bytes::from(brotli(&identity));
        let size = identity.len() + gzip.len() + brotli.len();
        let last_modified = page.last_modified.and_then(|at| {
            let at = at.round(jiff::Unit::Second).ok()?;
            let value = HeaderValue::from_str(&http_date(at)).ok()?;
            Some((at, value))
        });
        Entry {
            generation,
            stale_at: page.stale_at,
            content_type: HeaderValue::from_static(page.content_type),
            last_modified,
            identity: Variant {
                body: identity,
                etag: etag(""),
            },
            gzip: Variant {
                body: gzip,
                etag: etag("-gz"),
            },
            brotli: Variant {
                body: brotli,
                etag: etag("-br"),
            },
            size,
            last_used: AtomicU64::new(self.tick.fetch_add(1, Ordering::Relaxed)),
        }
    }

    fn insert(&self, key: &str, entry: Arc<Entry>) {
        let mut entries = lock(&self.entries);
        let added = entry.size;
        if let Some(old) = entries.insert(key.to_owned(), entry) {
            self.bytes.fetch_sub(old.size, Ordering::Relaxed);
        }
        let mut total = self.bytes.fetch_add(added, Ordering::Relaxed) + added;
        if total <= self.options.max_bytes {
            return;
        }
        let generation = self.generation();
        let stale: Vec<String> = entries
            .iter()
            .filter(|(_, e)| e.generation != generation)
            .map(|(k, _)| k.clone())
            .collect();
        for key in stale {
            if let Some(old) = entries.remove(&key) {
                total -= old.size;
            }
        }
        while total > self.options.max_bytes {
            let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, e)| e.last_used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = entries.remove(&oldest) {
                total -= old.size;
            }
        }
        self.bytes.store(total, Ordering::Relaxed);
    }
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

impl Entry {
    /// The response for a request with these headers: the best encoding it accepts, or a
    /// 304 when it already holds that encoding's ETag.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let variant = match preferred_encoding(request) {
            Encoding::Brotli => (&self.brotli, Some("br")),
            Encoding::Gzip => (&self.gzip, Some("gzip")),
            Encoding::Identity => (&self.identity, None),
        };
        let (variant, encoding) = variant;
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, variant.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PUBLIC_CACHE_CONTROL),
        );
        if let Some((_, value)) = &self.last_modified {
            headers.insert(header::LAST_MODIFIED, value.clone());
        }
        if self.not_modified(request, &variant.etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        (StatusCode::OK, headers, variant.body.clone()).into_response()
    }
}

impl Entry {
    /// The client's copy is current: its `If-None-Match` names our ETag or, when it sent none,
    /// its `If-Modified-Since` is no older than our `Last-Modified` (feed readers use either).
    fn not_modified(&self, request: &HeaderMap, etag: &HeaderValue) -> bool {
        if request.contains_key(header::IF_NONE_MATCH) {
            return etag_matches(request, etag);
        }
        let Some((modified, _)) = self.last_modified else {
            return false;
        };
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                jiff::fmt::rfc2822::DateTimeParser::new()
                    .parse_timestamp(v)
                    .ok()
            })
            .is_some_and(|since| since >= modified)
    }
}

/// An HTTP date (RFC 9110's IMF-fixdate): `Sat, 28 Nov 2026 17:00:00 GMT`.
pub fn http_date(at: Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Brotli if the client accepts it, else gzip, else none; `q=0` refuses an encoding.
fn preferred_encoding(request: &HeaderMap) -> Encoding {
    let Some(accept) = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    // Each listed coding with whether it is acceptable (q > 0).
    let listed: Vec<(&str, bool)> = accept
        .split(',')
        .map(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (coding, !refused)
        })
        .collect();
    // A coding named explicitly decides; otherwise `*` does.
    let accepts = |name: &str| {
        let named = listed.iter().find(|(c, _)| c.eq_ignore_ascii_case(name));
        match named {
            Some((_, ok)) => *ok,
            None => listed.iter().any(|(c, ok)| *c == "*" && *ok),
        }
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn etag_matches(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(header) = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let ours = etag.to_str().unwrap_or("");
    header.split(',').any(|candidate| {
        let candidate = candidate.trim();
        candidate == "*" || candidate.trim_start_matches("W/") == ours
    })
}

fn gzip(input: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(input);
    encoder.finish().unwrap_or_default()
}

fn brotli(input: &[u8]) -> Vec<u8> {
    let mut output = Vec::with_capacity(input.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: i32::try_from(BROTLI_QUALITY).unwrap_or(5),
        ..Default::default()
    };
    let mut reader = input;
    let _ = brotli::BrotliCompress(&mut reader, &mut output, &params);
    output
}

/// A poisoned lock only means another request panicked mid-update of a cache map; the map
/// itself is still consistent enough to serve from.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests;
