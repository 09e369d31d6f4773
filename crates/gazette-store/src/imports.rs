//! Bulk writes for imports from WordPress: rows that keep the ids and times they had there,
//! many to a statement, and the map from WordPress's ids to what each object became.
//!
//! An import runs in one unit of work and records one `Bulk` change, so followers purge and
//! rebuild once instead of replaying every row.
//!
//! The writes are in `articles`, `pages`, `comments` and `page_comments`, all through
//! `bulk`'s many-row inserts; `export` holds the reads an export walks the archive with.

mod articles;
mod bulk;
mod comments;
mod export;
mod page_comments;
mod pages;

use std::collections::{HashMap, HashSet};

use gazette_core::{CommentId, Email, PageId, PersonId, Slug};
use jiff::Timestamp;

use crate::NewComment;
use crate::articles::NewArticle;
use crate::pages::NewPage;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{TxConn, on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

pub use page_comments::PageComment;

/// The kinds of WordPress object whose ids an import remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordPressKind {
    Post,
    Page,
    Attachment,
    Category,
    Tag,
    Author,
    Comment,
}

impl WordPressKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Page => "page",
            Self::Attachment => "attachment",
            Self::Category => "category",
            Self::Tag => "tag",
            Self::Author => "author",
            Self::Comment => "comment",
        }
    }

    /// The table holding what objects of this kind become.
    fn table(self) -> &'static str {
        match self {
            Self::Post => "articles",
            Self::Page => "pages",
            Self::Attachment => "media",
            Self::Category => "sections",
            Self::Tag => "tags",
            Self::Author => "people",
            Self::Comment => "comments",
        }
    }
}

/// An imported article: its id (`article.id`, WordPress's where it was free) and the times
/// WordPress recorded.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    pub article: NewArticle,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An imported page, with its id and times.
#[derive(Debug, Clone)]
pub struct ImportedPage {
    pub id: PageId,
    pub page: NewPage,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An imported comment, pingback or trackback, with its id and time.
#[derive(Debug, Clone)]
pub struct ImportedComment {
    pub id: CommentId,
    pub comment: NewComment,
    pub created_at: Timestamp,
}

impl Store {
    /// What the WordPress object `wp_id` of `kind` became, if an import brought it here.
    pub async fn wordpress_id(
        &self,
        kind: WordPressKind,
        wp_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = "select gazette_id from wordpress_ids where kind = $1 and wp_id = $2";
        let params = [Param::Text(kind.as_str().to_owned()), Param::Int(wp_id)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.first().map(|row| row.int("gazette_id")).transpose()
        })
    }
}

impl WriteTx {
    /// Every remembered WordPress id of `kind`, with what it became.
    pub async fn wordpress_ids(
        &mut self,
        kind: WordPressKind,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let sql = "select wp_id, gazette_id from wordpress_ids where kind = $1";
        let params = [Param::Text(kind.as_str().to_owned())];
        let rows = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.iter()
                .map(|row| Ok((row.int("wp_id")?, row.int("gazette_id")?)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Remembers what WordPress objects became.
    pub async fn record_wordpress_ids(
        &mut self,
        kind: WordPressKind,
        pairs: &[(i64, i64)],
    ) -> Result<(), StoreError> {
        let rows = pairs
            .iter()
            .map(|(wp_id, id)| {
                vec![
                    Param::Text(kind.as_str().to_owned()),
                    Param::Int(*wp_id),
                    Param::Int(*id),
                ]
            })
            .collect();
        self.insert_rows("wordpress_ids", &["kind", "wp_id", "gazette_id"], rows)
            .await
    }

    /// The ids already taken in the table objects of `kind` go to, so an import knows which
    /// WordPress ids it can keep.
    pub async fn taken_ids(&mut self, kind: WordPressKind) -> Result<HashSet<i64>, StoreError> {
        let sql = format!("select id from {}", kind.table());
        let ids = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &[]).await?;
            rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(ids.into_iter().collect())
    }

    /// Every article's slug, so imported articles can be given free ones.
    pub async fn article_slugs(&mut self) -> Result<Vec<String>, StoreError> {
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, "select slug from articles", &[]).await?;
            rows.iter().map(|row| row.text("slug")).collect()
        })
    }

    /// The person with this email address, if any.
    pub async fn person_id_by_email(
        &mut self,
        email: &Email,
    ) -> Result<Option<PersonId>, StoreError> {
        let sql = "select id from people where email_normalized = $1";
        let params = [Param::Text(email.normalized())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(|row| row.int("id").map(PersonId)).transpose()
        })
    }

    /// Whether a person has this slug.
    pub async fn person_slug_taken(&mut self, slug: &Slug) -> Result<bool, StoreError> {
        let sql = "select id from people where slug = $1";
        let params = [Param::Text(slug.as_str().to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            Ok(!rows.is_empty())
        })
    }

    /// Ends an import: new rows get ids above the imported ones (PostgreSQL's identity
    /// sequences do not see explicit ids; SQLite picks the next id from the table itself), and
    /// one bulk change tells every node to purge and rebuild.
    pub async fn finish_import(&mut self) -> Result<(), StoreError> {
        if matches!(self.conn, TxConn::Postgres(_)) {
            for table in [
                "articles", "pages", "comments", "people", "sections", "tags",
            ] {
                let sql = format!(
                    "select setval(pg_get_serial_sequence('{table}', 'id'), \
                     coalesce(max(id), 0) + 1, false) from {table}"
                );
                on_tx!(self, conn => backend::query::fetch_all(conn, &sql, &[]).await.map(|_| ()))?;
            }
        }
        self.record_bulk_change();
        Ok(())
    }
}
