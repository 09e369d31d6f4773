//! One cached document in every encoding, and the response it makes for a request: the best
//! encoding the client accepts, each with its own strong ETag, or a 304.

use std::io::Write as _;
use std::sync::atomic::AtomicU64;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

use super::{PUBLIC_CACHE_CONTROL, RenderedPage, Shows};

/// Brotli quality: about 5 costs a millisecond or two per page; 11 costs a tenth of a second.
const BROTLI_QUALITY: u32 = 5;

/// One encoding of a cached page.
#[derive(Debug)]
struct Variant {
    body: Bytes,
    etag: HeaderValue,
}

/// A cached page in every encoding.
#[derive(Debug)]
pub struct Entry {
    pub(super) stale_at: Option<Timestamp>,
    /// What the page shows: the changes that remove it.
    pub(super) shows: Vec<Shows>,
    identity: Variant,
    gzip: Variant,
    brotli: Variant,
    content_type: HeaderValue,
    /// The `Last-Modified` value, when the document has one.
    last_modified: Option<(Timestamp, HeaderValue)>,
    /// Headers the renderer added (the API's discovery `Link`, its totals).
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    /// The metrics' name for the route that rendered it.
    pub label: &'static str,
    pub(super) size: usize,
    pub(super) last_used: AtomicU64,
}

impl Entry {
    /// Compresses `page` once, for every request that will get it.
    pub(super) fn build(page: RenderedPage, shows: Vec<Shows>, tick: u64) -> Self {
        let last_modified = page.last_modified.and_then(|at| {
            let at = at.round(jiff::Unit::Second).ok()?;
            let value = HeaderValue::from_str(&http_date(at)).ok()?;
            Some((at, value))
        });
        let [identity, gzip, brotli] = variants(Bytes::from(page.html.into_bytes()));
        Self {
            stale_at: page.stale_at,
            shows,
            content_type: HeaderValue::from_static(page.content_type),
            last_modified,
            extra_headers: page.headers,
            label: page.label,
            size: identity.body.len() + gzip.body.len() + brotli.body.len(),
            identity,
            gzip,
            brotli,
            last_used: AtomicU64::new(tick),
        }
    }

    /// A theme asset in every encoding, answered like a page but kept by browsers for good
    /// (its address changes with its content).
    pub fn asset(bytes: Bytes, content_type: &'static str, cache_control: &'static str) -> Self {
        let [identity, gzip, brotli] = variants(bytes);
        Self {
            stale_at: None,
            shows: Vec::new(),
            content_type: HeaderValue::from_static(content_type),
            last_modified: None,
            extra_headers: vec![(
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            )],
            label: "asset",
            size: identity.body.len() + gzip.body.len() + brotli.body.len(),
            identity,
            gzip,
            brotli,
            last_used: AtomicU64::new(0),
        }
    }

    /// Whether the document is an HTML page (not a feed, a sitemap or JSON).
    pub fn is_html(&self) -> bool {
        self.content_type.as_bytes().starts_with(b"text/html")
    }

    /// The uncompressed document.
    pub fn identity(&self) -> &Bytes {
        &self.identity.body
    }

    /// The response for a request with these headers: the best encoding it accepts, or a
    /// 304 when it already holds that encoding's ETag.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let (variant, encoding) = match preferred_encoding(request) {
            Encoding::Brotli => (&self.brotli, Some("br")),
            Encoding::Gzip => (&self.gzip, Some("gzip")),
            Encoding::Identity => (&self.identity, None),
        };
        // Room for the security headers the front door adds, so the map never grows.
        let mut headers = HeaderMap::with_capacity(16 + self.extra_headers.len());
        headers.insert(header::ETAG, variant.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(PUBLIC_CACHE_CONTROL),
        );
        if let Some((_, value)) = &self.last_modified {
            headers.insert(header::LAST_MODIFIED, value.clone());
        }
        for (name, value) in &self.extra_headers {
            headers.insert(name.clone(), value.clone());
        }
        let modified = self.last_modified.as_ref().map(|(at, _)| *at);
        if not_modified(request, &variant.etag, modified) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        (StatusCode::OK, headers, variant.body.clone()).into_response()
    }
}

/// The client's copy is current: its `If-None-Match` names our ETag or, when it sent none,
/// its `If-Modified-Since` is no older than our `Last-Modified` (feed readers use either).
pub(crate) fn not_modified(
    request: &HeaderMap,
    etag: &HeaderValue,
    last_modified: Option<Timestamp>,
) -> bool {
    if request.contains_key(header::IF_NONE_MATCH) {
        return etag_matches(request, etag);
    }
    let Some(modified) = last_modified else {
        return false;
    };
    request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)
        .is_some_and(|since| since >= modified)
}

/// Reads an HTTP date (`Sat, 28 Nov 2026 17:00:00 GMT`).
pub(crate) fn parse_http_date(text: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(text)
        .ok()
}

/// The smallest brotli window that holds the whole document, but never under 2^17 bytes: the
/// default (2^22) makes every compression of a small page allocate about 9.5 MB, and at this
/// quality a window of 2^16 or less switches the encoder to hash tables of about 33 MB (both
/// measured with a counting allocator on a 16 KB page; with 2^17, 1.6 MB).
fn window_bits(len: usize) -> i32 {
    let needed = usize::BITS - (len + 16).leading_zeros();
    i32::try_from(needed.clamp(17, 22)).unwrap_or(22)
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
    // Each listed coding with whether it is acceptable (q > 0), without allocating: this
    // runs on every cache hit.
    let listed = || {
        accept.split(',').map(|item| {
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
    };
    // A coding named explicitly decides; otherwise `*` does.
    let accepts = |name: &str| match listed().find(|(c, _)| c.eq_ignore_ascii_case(name)) {
        Some((_, ok)) => ok,
        None => listed().any(|(c, ok)| c == "*" && ok),
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

/// The document as it is, gzipped and in brotli, each with its strong ETag.
fn variants(identity: Bytes) -> [Variant; 3] {
    let digest = Sha256::digest(&identity);
    let tag = hex::encode(&digest[..10]);
    let etag = |suffix: &str| {
        HeaderValue::from_str(&format!("\"{tag}{suffix}\""))
            .unwrap_or(HeaderValue::from_static("\"x\""))
    };
    let gzip = Bytes::from(gzip(&identity));
    let brotli = Bytes::from(brotli(&identity));
    [
        Variant {
            body: identity,
            etag: etag(""),
        },
        Variant {
            body: gzip,
            etag: etag("-gz"),
        },
        Variant {
            body: brotli,
            etag: etag("-br"),
        },
    ]
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
        lgwin: window_bits(input.len()),
        size_hint: input.len(),
        ..Default::default()
    };
    let mut reader = input;
    let _ = brotli::BrotliCompress(&mut reader, &mut output, &params);
    output
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_brotli_window_holds_the_document_and_no_more() {
        assert_eq!(super::window_bits(0), 17);
        assert_eq!(super::window_bits(7_000), 17);
        assert_eq!(super::window_bits(200_000), 18);
        assert_eq!(super::window_bits(100_000_000), 22);
        for len in [0, 1_000, 7_000, 40_000, 3_000_000] {
            assert!(1usize << super::window_bits(len) >= len.min(1 << 22));
        }
    }

    #[test]
    fn a_smaller_window_compresses_as_well() {
        let page = "<p>A paragraph of a news story, with words that repeat.</p>".repeat(200);
        let compressed = super::brotli(page.as_bytes());
        let mut unpacked = Vec::new();
        brotli::BrotliDecompress(&mut compressed.as_slice(), &mut unpacked).unwrap();
        assert_eq!(unpacked, page.as_bytes());
        assert!(compressed.len() < page.len() / 20, "{}", compressed.len());
    }
}
