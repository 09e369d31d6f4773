//! The comments WordPress showed under pages, which an import keeps aside: Gazette's pages
//! take none, but an export gives them back and the privacy tools reach them.

use std::collections::HashSet;

use gazette_core::{CommentKind, CommentStatus, PageId};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A comment WordPress showed under a page. Gazette's pages take no comments, so an import
/// keeps these without showing them: an export gives them back, and the privacy tools reach
/// them. The id is the comment's WordPress id; `parent` is another page comment's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageComment {
    pub id: i64,
    pub page: PageId,
    pub parent: Option<i64>,
    pub status: CommentStatus,
    pub kind: CommentKind,
    pub author_name: String,
    /// Private, as a comment's.
    pub author_email: String,
    pub author_url: String,
    /// Private; None once anonymised.
    pub author_ip: Option<String>,
    pub body: String,
    pub created_at: Timestamp,
}

const PAGE_COMMENT_COLUMNS: &[&str] = &[
    "id",
    "page_id",
    "parent_id",
    "status",
    "kind",
    "author_name",
    "author_email",
    "email_normalized",
    "author_url",
    "author_ip",
    "body",
    "created_at",
];

fn page_comment_from_row(row: &impl RowExt) -> Result<PageComment, StoreError> {
    let status = row.text("status")?;
    let kind = row.text("kind")?;
    Ok(PageComment {
        id: row.int("id")?,
        page: PageId(row.int("page_id")?),
        parent: row.opt_int("parent_id")?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt("page comment status", &status))?,
        kind: CommentKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt("page comment kind", &kind))?,
        author_name: row.text("author_name")?,
        author_email: row.text("author_email")?,
        author_url: row.text("author_url")?,
        author_ip: row.opt_text("author_ip")?,
        body: row.text("body")?,
        created_at: row.time("created_at")?,
    })
}

impl Store {
    /// Every kept page comment, by page and id (for an export).
    pub async fn page_comments(&self) -> Result<Vec<PageComment>, StoreError> {
        self.page_comments_where("true", &[]).await
    }

    /// The page comments written with this (normalised) email, for the privacy export.
    pub async fn page_comments_by_email(
        &self,
        email_normalized: &str,
    ) -> Result<Vec<PageComment>, StoreError> {
        self.page_comments_where(
            "email_normalized = $1",
            &[Param::Text(email_normalized.to_owned())],
        )
        .await
    }

    async fn page_comments_where(
        &self,
        filter: &str,
        params: &[Param],
    ) -> Result<Vec<PageComment>, StoreError> {
        let sql = format!(
            "select {} from page_comments where {filter} order by page_id, id",
            PAGE_COMMENT_COLUMNS.join(", ")
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, params).await?;
            rows.iter().map(page_comment_from_row).collect()
        })
    }
}

impl WriteTx {
    /// The ids of the page comments kept so far (a second import skips them).
    pub async fn page_comment_ids(&mut self) -> Result<HashSet<i64>, StoreError> {
        let sql = "select id from page_comments";
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &[]).await?;
            rows.iter().map(|row| row.int("id")).collect()
        })
    }

    /// Keeps the comments WordPress showed under pages.
    pub async fn import_page_comments(
        &mut self,
        comments: Vec<PageComment>,
    ) -> Result<(), StoreError> {
        let rows = comments
            .into_iter()
            .map(|c| {
                let normalized = c.author_email.trim().to_lowercase();
                vec![
                    Param::Int(c.id),
                    Param::Int(c.page.0),
                    Param::opt_int(c.parent),
                    Param::Text(c.status.as_str().to_owned()),
                    Param::Text(c.kind.as_str().to_owned()),
                    Param::Text(c.author_name),
                    Param::Text(c.author_email),
                    Param::Text(normalized),
                    Param::Text(c.author_url),
                    Param::opt_text(c.author_ip.as_deref()),
                    Param::Text(c.body),
                    Param::Time(c.created_at),
                ]
            })
            .collect();
        self.insert_rows("page_comments", PAGE_COMMENT_COLUMNS, rows)
            .await
    }
}
