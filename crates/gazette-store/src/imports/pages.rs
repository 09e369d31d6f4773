//! Imported pages, written with the ids and times they had in WordPress.

use crate::query::Param;
use crate::{ImportedPage, StoreError, WriteTx};

impl WriteTx {
    /// Inserts pages with their ids and times; a parent must come before its children.
    pub async fn import_pages(&mut self, pages: Vec<ImportedPage>) -> Result<(), StoreError> {
        let rows = pages
            .into_iter()
            .map(|imported| {
                let page = imported.page;
                vec![
                    Param::Int(imported.id.0),
                    Param::opt_int(page.parent.map(|p| p.0)),
                    Param::Text(page.slug.as_str().to_owned()),
                    Param::Text(page.title),
                    Param::Text(page.body_format.as_str().to_owned()),
                    Param::Text(page.body_source),
                    Param::Text(page.body_html.as_str().to_owned()),
                    Param::Int(i64::from(page.render_version)),
                    Param::Text(page.status.as_str().to_owned()),
                    Param::opt_time(page.published_at),
                    Param::Time(imported.updated_at),
                    Param::Time(imported.created_at),
                ]
            })
            .collect();
        let columns = [
            "id",
            "parent_id",
            "slug",
            "title",
            "body_format",
            "body_source",
            "body_html",
            "render_version",
            "status",
            "published_at",
            "updated_at",
            "created_at",
        ];
        self.insert_rows("pages", &columns, rows).await
    }
}
