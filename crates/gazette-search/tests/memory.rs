//! The index's heap stays flat however many commits it makes. A node commits once for each
//! batch of changes it follows, thousands of times a day, so anything kept per commit grows
//! for as long as the node runs.
//!
//! A test binary of its own: it counts every allocation of the process.

use std::alloc::System;
use std::time::Duration;

use gazette_search::{IndexedArticle, SearchIndex};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static HEAP: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// What the commits may leave on the heap in all: about 200 bytes a commit, for what tantivy
/// allocates once and keeps (the leak fixed kept 1,260 bytes a commit).
const ALLOWED_GROWTH: isize = 64 * 1024;

const COMMITS: i64 = 300;

fn story(position: i64) -> IndexedArticle {
    IndexedArticle {
        id: 1,
        headline: format!("The council votes, revision {position}"),
        body: "The council voted on the budget tonight.".to_owned(),
        published: jiff::Timestamp::UNIX_EPOCH,
        ..IndexedArticle::default()
    }
}

/// The heap's growth since `region` began.
fn growth(region: &Region<'_, System>) -> isize {
    // A reallocation counts its difference in these two as well.
    let change = region.change();
    change.bytes_allocated.cast_signed() - change.bytes_deallocated.cast_signed()
}

#[test]
fn commits_leave_nothing_on_the_heap() -> Result<(), Box<dyn std::error::Error>> {
    let root = tempfile::tempdir()?;
    let index = SearchIndex::open(root.path(), "en")?;
    // The same article, revised: the index holds one document throughout, so anything that
    // grows is kept per commit.
    for position in 1..=20 {
        index.apply(&[story(position)], &[], position)?;
    }
    let region = Region::new(HEAP);
    for position in 21..=20 + COMMITS {
        index.apply(&[story(position)], &[], position)?;
    }
    // Merges run on tantivy's own threads and hold buffers while they do: check again until
    // they have finished (at most 5 s), rather than sleeping a guessed time.
    let mut grown = growth(&region);
    for _ in 0..200 {
        if grown <= ALLOWED_GROWTH {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
        grown = growth(&region);
    }
    assert!(
        grown <= ALLOWED_GROWTH,
        "{COMMITS} commits of one revised article left {grown} bytes on the heap \
         ({} per commit)",
        grown / COMMITS as isize
    );
    Ok(())
}
