//! Static pages.

use gazette_core::{BodyFormat, Page, PageId, SafeHtml, Slug, Status};
use jiff::Timestamp;

use crate::changes::ChangeKind;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A page to create; the caller renders the body.
#[derive(Debug, Clone)]
pub struct NewPage {
    pub parent: Option<PageId>,
    pub slug: Slug,
    pub title: String,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    pub render_version: i32,
    pub status: Status,
    pub published_at: Option<Timestamp>,
}

pub(crate) const PAGE_COLUMNS: &str = "id, parent_id, slug, title, body_format, body_source, \
    body_html, render_version, status, published_at, updated_at";

pub(crate) fn page_from_row(row: &impl RowExt) -> Result<Page, StoreError> {
    let format = row.text("body_format")?;
    let status = row.text("status")?;
    Ok(Page {
        id: PageId(row.int("id")?),
        parent: row.opt_int("parent_id")?.map(PageId),
        slug: Slug::parse(&row.text("slug")?).map_err(|e| StoreError::corrupt("page slug", e))?,
        title: row.text("title")?,
        body_format: BodyFormat::parse(&format)
            .ok_or_else(|| StoreError::corrupt("body format", &format))?,
        body_source: row.text("body_source")?,
        body_html: SafeHtml::assume_sanitized(row.text("body_html")?),
        render_version: i32::try_from(row.int("render_version")?)
            .map_err(|e| StoreError::corrupt("render version", e))?,
        status: Status::parse(&status).ok_or_else(|| StoreError::corrupt("status", &status))?,
        published_at: row.opt_time("published_at")?,
        updated_at: row.time("updated_at")?,
    })
}

impl WriteTx {
    /// Creates a page. Two pages with the same parent cannot share a slug (`Conflict`).
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_page(&mut self, new: &NewPage) -> Result<Page, StoreError> {
        let now = self.now;
        let id = on_tx!(self, conn => backend::pages::insert(conn, new, now).await)?;
        self.record_change(ChangeKind::Page, Some(id));
        Ok(Page {
            id: PageId(id),
            parent: new.parent,
            slug: new.slug.clone(),
            title: new.title.clone(),
            body_format: new.body_format,
            body_source: new.body_source.clone(),
            body_html: new.body_html.clone(),
            render_version: new.render_version,
            status: new.status,
            published_at: new.published_at,
            updated_at: now,
        })
    }
}

impl Store {
    /// Every page, by title.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn pages(&self) -> Result<Vec<Page>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::pages::all(&mut *db.reader().await?).await?;
            rows.iter().map(page_from_row).collect()
        })
    }
}
