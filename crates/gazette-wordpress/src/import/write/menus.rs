//! The navigation menus `--header-menu` and `--footer-menu` chose, built from the export's
//! menu items once everything they may point at has been written.

use std::collections::HashMap;

use gazette_core::{ArticleId, PageId, SectionId, TagId};
use gazette_store::WriteTx;

use super::Writer;
use crate::import::menus::MenuTargets;

impl Writer {
    /// The menus `--header-menu` and `--footer-menu` chose, in place of the journal's; the
    /// report lists every menu the export holds.
    pub(super) async fn write_menus(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        for (slug, name, count) in self.menus.summary() {
            self.report
                .menus
                .push(format!("{name} ({slug}): {count} entries"));
        }
        let choice = self.menu_choice.clone();
        if choice.header.is_none() && choice.footer.is_none() {
            return Ok(());
        }
        let mut menus = tx.menus().await?;
        for (slug, place, name) in [
            (&choice.header, &mut menus.header, "header"),
            (&choice.footer, &mut menus.footer, "footer"),
        ] {
            let Some(slug) = slug else {
                continue;
            };
            let mut headlines = HashMap::new();
            for wp_id in self.menus.posts_in(slug) {
                if let Some(id) = self.ids.posts.get(&wp_id)
                    && let Some(article) = tx.article(ArticleId(*id)).await?
                {
                    headlines.insert(wp_id, article.headline);
                }
            }
            let lookup = MenuLookup {
                writer: &*self,
                tags: tx.tags().await?.into_iter().map(|t| (t.id, t)).collect(),
                headlines,
            };
            let built = self.menus.build(slug, &lookup);
            self.report.menus.push(format!(
                "{slug} became the {name} menu: {} entries",
                built.items.len()
            ));
            if built.nested + built.unresolved + built.over_limit > 0 {
                self.report.warn(format!(
                    "Menu {slug}: {} nested entries left out (Gazette's menus are one level), {} pointing at nothing imported, {} past the {} a menu holds.",
                    built.nested,
                    built.unresolved,
                    built.over_limit,
                    gazette_core::curation::MAX_MENU_ITEMS
                ));
            }
            *place = built.items;
        }
        tx.put_menus(&menus).await?;
        Ok(())
    }
}

/// What menu entries point at: the import's id maps, with the tags and headlines they need.
struct MenuLookup<'a> {
    writer: &'a Writer,
    tags: HashMap<TagId, gazette_core::Tag>,
    headlines: HashMap<i64, String>,
}

impl MenuTargets for MenuLookup<'_> {
    fn section(&self, wp_term: i64) -> Option<SectionId> {
        self.writer
            .ids
            .sections
            .get(&wp_term)
            .map(|id| SectionId(*id))
    }

    fn tag(&self, wp_term: i64) -> Option<(String, String)> {
        let tag = self
            .tags
            .get(&TagId(*self.writer.ids.tags.get(&wp_term)?))?;
        Some((tag.slug.as_str().to_owned(), tag.name.clone()))
    }

    fn page(&self, wp_id: i64) -> Option<PageId> {
        self.writer.ids.pages.get(&wp_id).map(|id| PageId(*id))
    }

    fn article_headline(&self, wp_id: i64) -> Option<String> {
        self.headlines.get(&wp_id).cloned()
    }

    fn site_url(&self) -> &str {
        &self.writer.catalogue.site_url
    }
}
