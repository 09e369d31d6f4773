//! Static pages.

use gazette_core::{BodyFormat, Page, PageId, SafeHtml, Slug, Status};
use jiff::Timestamp;

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_tx;
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

impl crate::sql::FromRow for Page {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        page_from_row(row)
    }
}

impl WriteTx {
    /// Creates a page. Two pages with the same parent cannot share a slug (`Conflict`).
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_page(&mut self, new: &NewPage) -> Result<Page, StoreError> {
        let now = self.now;
        let sql = "insert into pages (parent_id, slug, title, body_format, body_source, \
                   body_html, render_version, status, published_at, updated_at, created_at) \
                   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) returning id";
        let params = [
            Param::opt_int(new.parent.map(|p| p.0)),
            Param::Text(new.slug.as_str().to_owned()),
            Param::Text(new.title.clone()),
            Param::Text(new.body_format.as_str().to_owned()),
            Param::Text(new.body_source.clone()),
            Param::Text(new.body_html.as_str().to_owned()),
            Param::Int(i64::from(new.render_version)),
            Param::Text(new.status.as_str().to_owned()),
            Param::opt_time(new.published_at),
            Param::Time(now),
        ];
        let crate::sql::Id(id) = self.fetch_one(sql, &params).await?;
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
        let sql = format!("select {PAGE_COLUMNS} from pages order by title, id");
        self.fetch_all(&sql, &[]).await
    }
}

impl WriteTx {
    /// Replaces a page's rendered body (a renderer update, not an edit); false if it does
    /// not exist.
    pub async fn set_page_rendering(
        &mut self,
        id: PageId,
        body_html: &SafeHtml,
        render_version: i32,
    ) -> Result<bool, StoreError> {
        let sql = "update pages set body_html = $2, render_version = $3 where id = $1";
        let params = [
            Param::Int(id.0),
            Param::Text(body_html.as_str().to_owned()),
            Param::Int(i64::from(render_version)),
        ];
        let found = self.execute(sql, &params).await? == 1;
        if found {
            self.record_change(ChangeKind::Page, Some(id.0));
        }
        Ok(found)
    }

    /// Saves a page's title, place, body and status; false if it does not exist. A path taken
    /// by another page is a `Conflict`.
    pub async fn update_page(&mut self, page: &Page) -> Result<bool, StoreError> {
        let sql = "update pages set parent_id = $2, slug = $3, title = $4, body_format = $5, \
             body_source = $6, body_html = $7, render_version = $8, status = $9, \
             published_at = $10, updated_at = $11 where id = $1";
        let params = [
            Param::Int(page.id.0),
            Param::opt_int(page.parent.map(|p| p.0)),
            Param::Text(page.slug.as_str().to_owned()),
            Param::Text(page.title.clone()),
            Param::Text(page.body_format.as_str().to_owned()),
            Param::Text(page.body_source.clone()),
            Param::Text(page.body_html.as_str().to_owned()),
            Param::Int(i64::from(page.render_version)),
            Param::Text(page.status.as_str().to_owned()),
            Param::opt_time(page.published_at),
            Param::Time(self.now),
        ];
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Page, Some(page.id.0));
        }
        Ok(touched > 0)
    }

    /// Deletes a page without sub-pages (the database refuses one with them).
    pub async fn delete_page(&mut self, id: PageId) -> Result<bool, StoreError> {
        let params = [Param::Int(id.0)];
        let touched = on_tx!(self, conn => backend::query::execute(conn, "delete from pages where id = $1", &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Page, Some(id.0));
        }
        Ok(touched > 0)
    }

    /// Every page, seeing this unit's own writes.
    pub async fn pages(&mut self) -> Result<Vec<Page>, StoreError> {
        let sql = format!("select {PAGE_COLUMNS} from pages order by title, id");
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &[]).await?;
            rows.iter().map(page_from_row).collect()
        })
    }
}
