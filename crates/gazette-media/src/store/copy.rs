//! Copying a whole media store into another (`gazette media migrate`, `gazette backup`):
//! resumable and idempotent, because objects are written only under names not yet taken, and
//! every object is read back from the destination and compared with its source.

use super::{MediaStore, MediaStoreError};

/// What a copy did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Objects written by this run.
    pub copied: u64,
    /// Objects an earlier run (or anyone) had already put there, with the same bytes.
    pub already_there: u64,
    /// Names the destination holds with other bytes: left as they are, and listed.
    pub different: Vec<String>,
    pub bytes: u64,
}

impl CopyReport {
    /// Every object of the source is in the destination with the same bytes.
    pub fn is_complete(&self) -> bool {
        self.different.is_empty()
    }
}

/// Copies every object of `from` that `to` lacks and verifies all of them; `progress` is told
/// each object's name once it is verified (or found different).
pub async fn copy_all(
    from: &MediaStore,
    to: &MediaStore,
    mut progress: impl FnMut(&str, u64, u64),
) -> Result<CopyReport, MediaStoreError> {
    let mut objects = from.list().await?;
    objects.sort_by(|a, b| a.path.cmp(&b.path));
    let total = objects.len() as u64;
    let mut report = CopyReport::default();
    for (done, object) in objects.iter().enumerate() {
        // Gone since the listing: removed by a job meanwhile, nothing to copy.
        let Some(bytes) = from.read(&object.path).await? else {
            continue;
        };
        let put = to.put_new(&object.path, bytes.clone()).await?;
        let stored = to.read(&object.path).await?;
        if stored.as_ref() != Some(&bytes) {
            report.different.push(object.path.clone());
        } else if put == super::Put::Written {
            report.copied += 1;
            report.bytes += bytes.len() as u64;
        } else {
            report.already_there += 1;
        }
        progress(&object.path, done as u64 + 1, total);
    }
    Ok(report)
}
