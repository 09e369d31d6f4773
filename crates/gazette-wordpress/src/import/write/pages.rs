//! Items into pages: queued as they are read, written at the end, parents first, each under
//! its parent and at a free address.

use std::collections::HashSet;

use gazette_core::{PageId, Slug};
use gazette_store::{ImportedPage, NewPage, WordPressKind, WriteTx};
use gazette_wxr::Item;
use jiff::Timestamp;

use super::{Taken, Writer, parents_first, wordpress_slug};
use crate::export;
use crate::wordpress_names::status;

impl Writer {
    pub(super) fn page(&mut self, item: Item) {
        let Some(wp_id) = item.post_id else {
            return;
        };
        if self.ids.pages.contains_key(&wp_id) {
            self.report.already_imported += 1;
            return;
        }
        let Some(status) = status(&item.status) else {
            *self
                .report
                .skipped
                .entry(format!("page with status {}", item.status))
                .or_default() += 1;
            return;
        };
        // A Gazette export names a page's own id when its post_id had to differ.
        let wanted = item
            .meta_value(export::meta::PAGE_ID)
            .filter(|_| self.catalogue.from_gazette)
            .and_then(|id| id.trim().parse().ok())
            .unwrap_or(wp_id);
        let id = Taken::claim(
            &mut self.taken.pages,
            &mut self.taken.next_page,
            Some(wanted),
        );
        let body = self.body(&item, wp_id);
        let slug = wordpress_slug(&item.post_name, &item.title);
        let published_at = self.published_at(&item, status);
        let created_at = published_at.unwrap_or(Timestamp::UNIX_EPOCH);
        let updated_at = self
            .wp_time(&item.post_modified, &item.post_modified_gmt)
            .unwrap_or(created_at);
        self.ids.pages.insert(wp_id, id);
        self.report.count_page(status);
        let page = ImportedPage {
            id: PageId(id),
            page: NewPage {
                parent: None,
                slug,
                title: item.title.clone(),
                body_format: body.format,
                body_html: gazette_render::render_body(body.format, &body.source),
                body_source: body.source,
                render_version: gazette_render::RENDER_VERSION,
                status,
                published_at,
            },
            created_at,
            updated_at,
        };
        self.pages.push((item, page));
    }

    /// Pages, parents first, each under its parent when the export holds it.
    pub(super) async fn write_pages(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        let mut used_paths: HashSet<(Option<i64>, String)> = tx
            .pages()
            .await?
            .into_iter()
            .map(|page| (page.parent.map(|p| p.0), page.slug.as_str().to_owned()))
            .collect();
        let (ordered, in_a_loop) = parents_first(
            std::mem::take(&mut self.pages),
            |(item, _)| item.post_id,
            |(item, _)| item.post_parent.filter(|p| *p > 0).map(Some),
        );
        // Pages in a loop of parents go to the top.
        let in_a_loop = in_a_loop
            .into_iter()
            .map(|(item, page)| (item, page, false));
        let ordered = ordered.into_iter().map(|(item, page)| (item, page, true));
        let mut pages = Vec::new();
        let mut pairs = Vec::new();
        for (item, mut page, nested) in ordered.chain(in_a_loop) {
            let parent = item
                .post_parent
                .filter(|p| *p > 0 && nested)
                .and_then(|p| self.ids.pages.get(&p).copied());
            page.page.parent = parent.map(PageId);
            let base = page.page.slug.clone();
            let mut n = 2;
            while !used_paths.insert((parent, page.page.slug.as_str().to_owned())) {
                page.page.slug = Slug::parse(&format!("{base}-{n}")).unwrap_or(base.clone());
                n += 1;
            }
            if page.page.slug != base {
                self.report.warn(format!(
                    "Page {} has the address of a page already here ({base}); it is {}.",
                    item.post_id.unwrap_or(0),
                    page.page.slug
                ));
            }
            if let Some(wp_id) = item.post_id {
                pairs.push((wp_id, page.id.0));
            }
            self.page_comments_of(&item, page.id);
            pages.push(page);
        }
        tx.import_pages(pages).await?;
        tx.record_wordpress_ids(WordPressKind::Page, &pairs).await?;
        tx.import_page_comments(std::mem::take(&mut self.page_comments))
            .await?;
        Ok(())
    }
}
