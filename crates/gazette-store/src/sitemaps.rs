//! What sitemaps need to know without reading every article: the months with published
//! articles (kept by triggers), the newest publications, and when each archive last grew.

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

/// One UTC month's published articles, as the sitemap index names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedMonth {
    pub year: i16,
    pub month: i8,
    pub articles: u64,
    /// The newest of its articles' publications and last significant updates.
    pub newest_change: Timestamp,
}

/// The newest publication among articles filed in any section, tagged at all, and with any
/// byline: the `lastmod` of the sections', tags' and authors' sitemaps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NewestArchived {
    pub sections: Option<Timestamp>,
    pub tags: Option<Timestamp>,
    pub authors: Option<Timestamp>,
}

impl Store {
    /// Every month with published articles, newest first, from the summary the articles'
    /// triggers keep (migration 23): one row per month, whatever the journal's size.
    pub async fn published_months(&self) -> Result<Vec<PublishedMonth>, StoreError> {
        let sql = "select year, month, articles, newest_change from published_months \
                   order by year desc, month desc";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter()
                .map(|row| {
                    let out_of_range = |e| StoreError::corrupt("published_months", e);
                    Ok(PublishedMonth {
                        year: i16::try_from(row.int("year")?).map_err(out_of_range)?,
                        month: i8::try_from(row.int("month")?).map_err(out_of_range)?,
                        articles: u64::try_from(row.int("articles")?).map_err(out_of_range)?,
                        newest_change: row.time("newest_change")?,
                    })
                })
                .collect()
        })
    }

    /// When the newest published article appeared.
    pub async fn newest_publication(&self) -> Result<Option<Timestamp>, StoreError> {
        let sql = "select published_at from articles \
                   where status = $1 and published_at is not null \
                   order by published_at desc limit 1";
        self.newest_of(sql).await
    }

    /// The newest publication in any section, under any tag and by any author: each walks
    /// the published articles from the newest until one is filed, tagged or signed.
    pub async fn newest_archived(&self) -> Result<NewestArchived, StoreError> {
        let newest_with = |link: &str| {
            format!(
                "select published_at from articles a \
                 where status = $1 and published_at is not null and {link} \
                 order by published_at desc limit 1"
            )
        };
        let sections = newest_with(
            "(primary_section_id is not null or exists \
             (select 1 from article_sections s where s.article_id = a.id))",
        );
        let tags = newest_with("exists (select 1 from article_tags t where t.article_id = a.id)");
        let authors =
            newest_with("exists (select 1 from article_authors w where w.article_id = a.id)");
        Ok(NewestArchived {
            sections: self.newest_of(&sections).await?,
            tags: self.newest_of(&tags).await?,
            authors: self.newest_of(&authors).await?,
        })
    }

    /// The `published_at` of the one row `sql` selects for the published status, if any.
    async fn newest_of(&self, sql: &str) -> Result<Option<Timestamp>, StoreError> {
        let params = [published()];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.first().map(|row| row.time("published_at")).transpose()
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
        // Links carry their article's listing time (migration 24): these read one index.
        let tags = "select tag_id as id, max(listed_at) as at from article_tags \
                    where listed_at is not null group by tag_id";
        let authors = "select person_id as id, max(listed_at) as at from article_authors \
                       where listed_at is not null group by person_id";
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
            let rows = backend::query::fetch_all(&mut *conn, tags, &[]).await?;
            dates.tags = latest(&rows)?.into_iter().map(|(id, at)| (TagId(id), at)).collect();
            let rows = backend::query::fetch_all(&mut *conn, authors, &[]).await?;
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
