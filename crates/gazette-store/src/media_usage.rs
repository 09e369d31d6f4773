//! Where a library image is used, and deleting one only when it is used nowhere. The check and
//! the delete run in one unit of work, so a save that starts using the image cannot slip in
//! between them.

use gazette_core::{ArticleId, Media, MediaId, PageId, PersonId, Publication};

use crate::changes::ChangeKind;
use crate::media::like_escape;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// Where an image is used. Text names it by its path (any variant's path contains the
/// full-size path's stem), so a body, a revision, a photo or a logo that names it counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaUsage {
    /// Articles that feature it or show it in their body.
    pub articles: Vec<(ArticleId, String)>,
    pub pages: Vec<(PageId, String)>,
    /// Articles whose earlier revisions show it (restoring one would bring it back), and
    /// whose own text does not.
    pub revisions: Vec<(ArticleId, String)>,
    /// People whose author photo it is.
    pub author_photos: Vec<(PersonId, String)>,
    /// The publication's logo or favicon (its settings).
    pub logo: bool,
    pub favicon: bool,
}

impl MediaUsage {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What asking to delete an image did.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaDeletion {
    /// The record is gone (its files are the caller's to remove after commit).
    Deleted(Media),
    /// Nothing was deleted: the image is used there.
    InUse(MediaUsage),
    /// There is no such image.
    Missing,
}

/// Every place that can name an image, as (place, id, title) rows; `$1` is the image's id and
/// `$2` a `like` pattern for its path's stem. The publication's settings come whole, as JSON.
const USAGE_SQL: &str = r"
select 'article' as place, id, headline as title from articles
 where image_media_id = $1 or body_source like $2 escape '\'
union all
select 'page', id, title from pages where body_source like $2 escape '\'
union all
select distinct 'revision', a.id, a.headline from article_revisions r
  join articles a on a.id = r.article_id
 where r.body_source like $2 escape '\'
union all
select 'photo', p.id, p.display_name from author_profiles ap
  join people p on p.id = ap.person_id
 where ap.photo like $2 escape '\'
union all
select 'settings', 0, value from settings where key = 'publication'
order by 1, 2";

fn stem(media: &Media) -> &str {
    media
        .path
        .rsplit_once('.')
        .map_or(media.path.as_str(), |(stem, _)| stem)
}

fn usage_params(media: &Media) -> [Param; 2] {
    let pattern = format!("%{}%", like_escape(stem(media)));
    [Param::Int(media.id.0), Param::Text(pattern)]
}

fn usage_from_rows(media: &Media, rows: &[impl RowExt]) -> Result<MediaUsage, StoreError> {
    let mut usage = MediaUsage::default();
    for row in rows {
        let (id, title) = (row.int("id")?, row.text("title")?);
        match row.text("place")?.as_str() {
            "article" => usage.articles.push((ArticleId(id), title)),
            "page" => usage.pages.push((PageId(id), title)),
            "revision" => usage.revisions.push((ArticleId(id), title)),
            "photo" => usage.author_photos.push((PersonId(id), title)),
            _ => {
                let publication: Publication = serde_json::from_str(&title)
                    .map_err(|e| StoreError::corrupt("publication", e))?;
                let names = |address: &Option<String>| {
                    address.as_deref().is_some_and(|a| a.contains(stem(media)))
                };
                usage.logo = names(&publication.logo);
                usage.favicon = names(&publication.favicon);
            }
        }
    }
    let current = usage.articles.clone();
    usage
        .revisions
        .retain(|revision| !current.contains(revision));
    Ok(usage)
}

impl Store {
    /// Where an image is used now (for showing; deleting checks again inside its own unit).
    #[tracing::instrument(skip_all, fields(media = media.id.0), level = "debug")]
    pub async fn media_usage(&self, media: &Media) -> Result<MediaUsage, StoreError> {
        let params = usage_params(media);
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, USAGE_SQL, &params).await?;
            usage_from_rows(media, &rows)
        })
    }
}

impl WriteTx {
    /// Deletes an image's record unless it is used somewhere. On PostgreSQL the unit first
    /// locks the tables that can name an image against writers (see `lock_image_users`) and
    /// then the image's row; SQLite's single writer already keeps other units out.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn delete_unused_media(&mut self, id: MediaId) -> Result<MediaDeletion, StoreError> {
        on_tx!(self, conn => backend::media::lock_image_users(conn, id.0).await)?;
        let Some(media) = self.media(id).await? else {
            return Ok(MediaDeletion::Missing);
        };
        let params = usage_params(&media);
        let usage = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, USAGE_SQL, &params).await?;
            usage_from_rows(&media, &rows)
        })?;
        if !usage.is_empty() {
            return Ok(MediaDeletion::InUse(usage));
        }
        let params = [Param::Int(id.0)];
        on_tx!(self, conn => backend::query::execute(conn, "delete from media where id = $1", &params).await)?;
        self.record_change(ChangeKind::Media, Some(id.0));
        Ok(MediaDeletion::Deleted(media))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_usage_is_nowhere() {
        assert!(MediaUsage::default().is_empty());
        let logo = MediaUsage {
            logo: true,
            ..MediaUsage::default()
        };
        assert!(!logo.is_empty());
    }
}
