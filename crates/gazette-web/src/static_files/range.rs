//! Byte ranges (RFC 9110 §14): a single `bytes=` range is honoured, which is what browsers,
//! media players and download managers ask for; several ranges at once get the whole object
//! (the RFC allows ignoring `Range`), as does a range whose `If-Range` no longer matches.

use std::ops::Range;

use axum::http::{HeaderMap, header};
use jiff::Timestamp;

/// One range as asked: `first-last`, `first-`, or the last `n` bytes (`-n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    From { first: u64, last: Option<u64> },
    Last(u64),
}

/// What to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Resolved {
    Whole,
    /// These bytes (end exclusive), with 206.
    Part(Range<u64>),
    /// 416: the range starts past the end.
    Unsatisfiable,
}

/// The single range a request asks for, when it asks for one and its `If-Range` (if any) still
/// names this object's ETag or date.
pub(super) fn requested(request: &HeaderMap, etag: &str, modified: Timestamp) -> Option<Wanted> {
    let range = request.get(header::RANGE)?.to_str().ok()?;
    if let Some(condition) = request.get(header::IF_RANGE) {
        let condition = condition.to_str().ok()?.trim();
        let current = if condition.starts_with('"') {
            condition == etag
        } else {
            crate::cache::parse_http_date(condition).is_some_and(|at| at == modified)
        };
        if !current {
            return None;
        }
    }
    parse(range)
}

/// `bytes=0-499`, `bytes=500-`, `bytes=-500`; anything else (other units, several ranges,
/// nonsense) is `None`: the whole object is sent.
fn parse(header: &str) -> Option<Wanted> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let number = |text: &str| text.trim().parse::<u64>().ok();
    if first.trim().is_empty() {
        return number(last).map(Wanted::Last);
    }
    let first = number(first)?;
    let last = if last.trim().is_empty() {
        None
    } else {
        Some(number(last).filter(|last| *last >= first)?)
    };
    Some(Wanted::From { first, last })
}

/// The bytes of an object of `size` bytes that a wanted range names.
pub(super) fn resolve(wanted: Option<Wanted>, size: u64) -> Resolved {
    match wanted {
        None => Resolved::Whole,
        // Nothing to send from an empty object, or zero final bytes.
        Some(Wanted::Last(n)) if n == 0 || size == 0 => Resolved::Unsatisfiable,
        Some(Wanted::Last(n)) => Resolved::Part(size.saturating_sub(n)..size),
        Some(Wanted::From { first, .. }) if first >= size => Resolved::Unsatisfiable,
        Some(Wanted::From { first, last }) => {
            let end = last.map_or(size, |last| last.saturating_add(1).min(size));
            Resolved::Part(first..end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges_are_read_and_others_ignored() {
        let from = |first, last| Some(Wanted::From { first, last });
        assert_eq!(parse("bytes=0-499"), from(0, Some(499)));
        assert_eq!(parse("bytes=500-"), from(500, None));
        assert_eq!(parse("bytes=-200"), Some(Wanted::Last(200)));
        for ignored in [
            "bytes=0-1,4-5",
            "items=0-4",
            "bytes=5-2",
            "bytes=a-b",
            "bytes=-",
        ] {
            assert_eq!(parse(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn ranges_are_clamped_to_the_object() {
        let from = |first, last| Some(Wanted::From { first, last });
        assert_eq!(resolve(from(0, Some(9)), 100), Resolved::Part(0..10));
        assert_eq!(resolve(from(90, Some(500)), 100), Resolved::Part(90..100));
        assert_eq!(resolve(from(50, None), 100), Resolved::Part(50..100));
        assert_eq!(
            resolve(Some(Wanted::Last(30)), 100),
            Resolved::Part(70..100)
        );
        assert_eq!(
            resolve(Some(Wanted::Last(300)), 100),
            Resolved::Part(0..100)
        );
        assert_eq!(resolve(from(100, None), 100), Resolved::Unsatisfiable);
        assert_eq!(resolve(Some(Wanted::Last(0)), 100), Resolved::Unsatisfiable);
        assert_eq!(resolve(None, 100), Resolved::Whole);
    }
}
