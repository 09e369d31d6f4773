//! The dates sitemaps need: when each published article first appeared and last changed
//! significantly, and when each archive last received an article.

use std::collections::HashMap;

use gazette_core::{PersonId, SectionId, Status, TagId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

/// When each archive last received a published article (its sitemap `lastmod`). A section's
/// own date does not include its sub-sections'.
#[derive(Debug, Default)]
pub struct ArchiveDates {
    pub sections: HashMap<SectionId, Timestamp>,
    pub tags: HashMap<TagId, Timestamp>,
    pub authors: HashMap<PersonId, Timestamp>,
}

/// One published article's dates.
#[derive(Debug, Clone, Copy)]
pub struct PublishedDates {
    pub published: Timestamp,
    /// The last significant update, or the publication when there was none.
    pub modified: Timestamp,
}

impl Store {
    /// The dates of every published article, oldest first.
    pub async fn published_dates(&self) -> Result<Vec<PublishedDates>, StoreError> {
        let sql = "select published_at, significantly_updated_at from articles \
                   where status = $1 and published_at is not null order by published_at";
        let params = [published()];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.iter()
                .map(|row| {
                    let published = row.time("published_at")?;
                    let modified = row.opt_time("significantly_updated_at")?.unwrap_or(published);
                    Ok(PublishedDates { published, modified: modified.max(published) })
                })
                .collect()
        })
    }

    /// The newest publication time under each section, tag and author.
    pub async fn archive_dates(&self) -> Result<ArchiveDates, StoreError> {
        let primary = "select primary_section_id as id, max(published_at) as at from articles \
                       where status = $1 and primary_section_id is not null \
                       group by primary_section_id";
        let further = "select s.section_id as id, max(a.published_at) as at \
                       from article_sections s join articles a on a.id = s.article_id \
                       where a.status = $1 group by s.section_id";
        let tags = "select t.tag_id as id, max(a.published_at) as at \
                    from article_tags t join articles a on a.id = t.article_id \
                    where a.status = $1 group by t.tag_id";
        let authors = "select w.person_id as id, max(a.published_at) as at \
                       from article_authors w join articles a on a.id = w.article_id \
                       where a.status = $1 group by w.person_id";
        let params = [published()];
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let mut dates = ArchiveDates::default();
            for sql in [primary, further] {
                for (id, at) in latest(&backend::query::fetch_all(&mut *conn, sql, &params).await?)? {
                    let entry = dates.sections.entry(SectionId(id)).or_insert(at);
                    *entry = (*entry).max(at);
                }
            }
            let rows = backend::query::fetch_all(&mut *conn, tags, &params).await?;
            dates.tags = latest(&rows)?.into_iter().map(|(id, at)| (TagId(id), at)).collect();
            let rows = backend::query::fetch_all(&mut *conn, authors, &params).await?;
            dates.authors = latest(&rows)?.into_iter().map(|(id, at)| (PersonId(id), at)).collect();
            Ok(dates)
        })
    }
}

fn published() -> Param {
    Param::Text(Status::Published.as_str().to_owned())
}

/// `(id, at)` rows, skipping groups with no date.
fn latest(rows: &[impl RowExt]) -> Result<Vec<(i64, Timestamp)>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(at) = row.opt_time("at")? {
            out.push((row.int("id")?, at));
        }
    }
    Ok(out)
}
