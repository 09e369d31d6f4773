//! The old site's addresses that keep answering: each article's older paths (its link, old
//! slugs and dates, a Gazette export's retired paths), and the archives under the old
//! category and tag bases.

use std::collections::HashMap;

use gazette_core::{ArticleId, PermalinkFields, SectionId, TagId};
use gazette_store::{NewArticle, WriteTx};
use gazette_wxr::Item;

use super::Writer;
use crate::export;
use crate::import::bases;

impl Writer {
    /// URLs the post had under an older slug or date (`_wp_old_slug`, `_wp_old_date`) keep
    /// answering with a redirect.
    pub(super) fn old_paths(&mut self, item: &Item, new: &NewArticle, id: ArticleId) {
        let Some(published) = new.published_at else {
            return;
        };
        let local = published.to_zoned(self.zone.clone()).datetime();
        let old_slugs: Vec<&str> = item
            .meta
            .iter()
            .filter(|m| m.key == "_wp_old_slug")
            .map(|m| m.value.as_str())
            .collect();
        let old_dates: Vec<jiff::civil::DateTime> = item
            .meta
            .iter()
            .filter(|m| m.key == "_wp_old_date")
            .filter_map(|m| m.value.trim().parse::<jiff::civil::Date>().ok())
            .map(|date| date.to_datetime(local.time()))
            .collect();
        let path_with = |slug: &str, published| {
            self.publication.permalink.render(&PermalinkFields {
                id: id.0,
                slug,
                published,
                category_path: "",
                author_slug: "",
            })
        };
        let current = path_with(new.slug.as_str(), local);
        // The item's own link, when it is not what the permalink pattern makes of it (a slug
        // changed after the export's links were written, another pattern).
        let mut retired: Vec<String> = link_path(&self.catalogue.site_url, &item.link)
            .into_iter()
            .collect();
        // A Gazette export names every older address.
        retired.extend(
            item.meta
                .iter()
                .filter(|m| m.key == export::meta::RETIRED_PATH)
                .map(|m| m.value.clone()),
        );
        let mut slugs: Vec<&str> = vec![new.slug.as_str()];
        slugs.extend(old_slugs.iter().copied());
        let mut dates = vec![local];
        dates.extend(old_dates);
        for slug in &slugs {
            for date in &dates {
                retired.push(path_with(slug, *date));
            }
        }
        retired.retain(|path| *path != current);
        self.retired
            .extend(retired.into_iter().map(|path| (path, id)));
    }

    /// Redirects from the archives under `--category-base` and `--tag-base` to Gazette's.
    pub(super) async fn write_base_redirects(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        if self.bases.category.is_none() && self.bases.tag.is_none() {
            return Ok(());
        }
        let old_paths: Vec<(String, SectionId)> = std::mem::take(&mut self.old_category_paths)
            .into_iter()
            .filter_map(|path| {
                let nicename = path.rsplit('/').next()?;
                let section = *self.ids.sections_by_slug.get(nicename)?;
                Some((path, section))
            })
            .collect();
        let tags: HashMap<TagId, gazette_core::Tag> =
            tx.tags().await?.into_iter().map(|t| (t.id, t)).collect();
        let imported_tags: Vec<(String, gazette_core::Tag)> = self
            .old_tag_slugs
            .iter()
            .filter_map(|(old, id)| Some((old.clone(), tags.get(id)?.clone())))
            .collect();
        let sections = tx.sections().await?;
        let rules = bases::redirects(&self.bases, &sections, &old_paths, &imported_tags);
        self.report.settings.push(format!(
            "{} redirects from the old category and tag bases ({}, {}) to /category/ and /tag/.",
            rules.len(),
            self.bases.category.as_deref().unwrap_or("category"),
            self.bases.tag.as_deref().unwrap_or("tag")
        ));
        tx.upsert_redirects(&rules).await?;
        Ok(())
    }
}

/// The path of an item's link on the old site, when it is a path (not `?p=N`).
pub(crate) fn link_path(site_url: &str, link: &str) -> Option<String> {
    let base = url::Url::parse(site_url).ok()?;
    let link = url::Url::parse(link).ok()?;
    if link.query().is_some() || link.host_str() != base.host_str() {
        return None;
    }
    let path = link.path();
    (path.len() > 1).then(|| path.to_owned())
}
