//! The media store checked against the database (`gazette media sweep`): objects nothing
//! names (orphans: an upload whose record never committed, a removal job that has not run
//! yet) and library files the store lacks (dangling: a lost object). Uploads write the object
//! before the row and removals follow the row's unit of work, so neither should exist for
//! long; the sweep finds and reports both, and removes orphans only when asked.

use std::collections::BTreeSet;

use gazette_core::MediaId;
use gazette_media::{MediaStore, MediaStoreError, ObjectInfo};
use gazette_store::{Store, StoreError};
use jiff::{SignedDuration, Timestamp};

/// Objects younger than this are never called orphans: an upload may be between writing its
/// object and committing its row.
pub const ORPHAN_GRACE: SignedDuration = SignedDuration::from_hours(1);

/// How many library items are read at a time.
const CHUNK: i64 = 500;

/// What the sweep found.
#[derive(Debug, Default)]
pub struct SweepReport {
    /// How many objects the store holds.
    pub objects: usize,
    /// Objects no library item and no text names, older than [`ORPHAN_GRACE`].
    pub orphans: Vec<ObjectInfo>,
    /// Files of library items that the store does not hold: (item, path).
    pub dangling: Vec<(MediaId, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Media(#[from] MediaStoreError),
}

/// Compares the store's objects with every file the library records and every `/media/` path
/// the journal's texts name.
pub async fn sweep(store: &Store, media: &MediaStore) -> Result<SweepReport, SweepError> {
    let now = store.clock().now();
    let objects = media.list().await?;
    let held: BTreeSet<&str> = objects.iter().map(|o| o.path.as_str()).collect();
    let mut named = BTreeSet::new();
    let mut report = SweepReport {
        objects: objects.len(),
        ..SweepReport::default()
    };
    let mut after = MediaId(0);
    loop {
        let items = store.media_after(after, CHUNK).await?;
        let Some(last) = items.last() else { break };
        after = last.id;
        for item in &items {
            for path in item.file_paths() {
                if !held.contains(path.as_str()) {
                    report.dangling.push((item.id, path.clone()));
                }
                named.insert(path);
            }
        }
    }
    for paths in store.all_references().await?.into_values() {
        named.extend(paths);
    }
    report.orphans = objects
        .into_iter()
        .filter(|object| !named.contains(&object.path) && is_settled(object, now))
        .collect();
    Ok(report)
}

fn is_settled(object: &ObjectInfo, now: Timestamp) -> bool {
    now.duration_since(object.last_modified) >= ORPHAN_GRACE
}

/// Removes the orphans a sweep found.
pub async fn remove_orphans(
    media: &MediaStore,
    report: &SweepReport,
) -> Result<(), MediaStoreError> {
    let paths: Vec<String> = report.orphans.iter().map(|o| o.path.clone()).collect();
    media.remove(&paths).await
}
