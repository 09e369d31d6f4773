//! Every WordPress export in `../shared/fixtures/wxr/` gets a written-down verdict: which
//! records it holds, or why it is refused. The theme unit test data is checked against the
//! counts WordPress itself shows after importing it.
//!
//! The tests are in one module per topic; the readers and counters they share are here.

#![expect(
    clippy::unwrap_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

use std::path::PathBuf;

use gazette_wxr::{Entry, Item, WxrError, WxrReader};

#[path = "fixtures/reading.rs"]
mod reading;
#[path = "fixtures/theme_data.rs"]
mod theme_data;
#[path = "fixtures/verdicts.rs"]
mod verdicts;

/// A fixture's path; the fixtures are found by `gazette_testkit::wxr_fixtures`, and each test
/// that reads them is ignored where the build found none (`cfg(gazette_test_wxr_fixtures)`) and
/// starts with `if fixtures().is_none() { return; }`, for fixtures gone since the build.
fn fixture(path: &str) -> PathBuf {
    fixtures().unwrap().join(path)
}

fn fixtures() -> Option<PathBuf> {
    gazette_testkit::wxr_fixtures()
}

/// Every record of a file, or the error that stopped the reading.
fn read(path: &str) -> Result<Vec<Entry>, WxrError> {
    let file = std::fs::File::open(fixture(path)).unwrap();
    WxrReader::new(std::io::BufReader::new(file)).collect()
}

fn read_str(text: &str) -> Result<Vec<Entry>, WxrError> {
    WxrReader::new(text.as_bytes()).collect()
}

/// Authors, categories, tags, other terms, items and comments.
#[derive(Debug, PartialEq, Eq)]
struct Counts(usize, usize, usize, usize, usize, usize);

fn counts(entries: &[Entry]) -> Counts {
    let mut c = Counts(0, 0, 0, 0, 0, 0);
    for entry in entries {
        match entry {
            Entry::Author(_) => c.0 += 1,
            Entry::Category(_) => c.1 += 1,
            Entry::Tag(_) => c.2 += 1,
            Entry::Term(_) => c.3 += 1,
            Entry::Item(item) => {
                c.4 += 1;
                c.5 += item.comments.len();
            }
        }
    }
    c
}

fn items(entries: &[Entry]) -> Vec<&Item> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Item(item) => Some(item.as_ref()),
            _ => None,
        })
        .collect()
}
