//! What an article carries besides its body, from the item's terms and meta: sections, tags
//! and bylines, the SEO plugins' title, description and canonical address, and the featured
//! image.

use gazette_core::{FeaturedImage, PersonId, SectionId};
use gazette_render::wordpress::MediaLookup as _;
use gazette_store::NewArticle;
use gazette_wxr::Item;

use super::Writer;

impl Writer {
    /// Sections (the primary one from Yoast or Rank Math when set), tags and bylines (Co-Authors
    /// Plus's after the post's author).
    pub(super) fn place(&self, item: &Item, new: &mut NewArticle) {
        let mut sections: Vec<SectionId> = Vec::new();
        let mut authors: Vec<PersonId> = Vec::new();
        if let Some(author) = self.ids.people_by_login.get(&item.creator) {
            authors.push(*author);
        }
        for term in &item.terms {
            match term.domain.as_str() {
                "category" => {
                    if let Some(id) = self.ids.sections_by_slug.get(&term.nicename)
                        && !sections.contains(id)
                    {
                        sections.push(*id);
                    }
                }
                "post_tag" => {
                    if let Some(id) = self.ids.tags_by_slug.get(&term.nicename)
                        && !new.tags.contains(id)
                    {
                        new.tags.push(*id);
                    }
                }
                "author" => {
                    let login = term.nicename.strip_prefix("cap-").unwrap_or(&term.nicename);
                    if let Some(id) = self.ids.people_by_login.get(login)
                        && !authors.contains(id)
                    {
                        authors.push(*id);
                    }
                }
                _ => {}
            }
        }
        let primary = [
            "_yoast_wpseo_primary_category",
            "rank_math_primary_category",
        ]
        .into_iter()
        .filter_map(|key| item.meta_value(key)?.trim().parse::<i64>().ok())
        .find_map(|term| self.ids.sections.get(&term).map(|id| SectionId(*id)));
        if let Some(primary) = primary {
            sections.retain(|s| *s != primary);
            sections.insert(0, primary);
        }
        let mut sections = sections.into_iter();
        new.primary_section = sections.next();
        new.further_sections = sections.collect();
        new.authors = authors;
    }

    /// Yoast's or Rank Math's title and description, with the title variables WordPress would
    /// fill in filled in.
    pub(super) fn seo(&mut self, item: &Item, new: &mut NewArticle) {
        let title = ["_yoast_wpseo_title", "rank_math_title"]
            .into_iter()
            .find_map(|key| item.meta_value(key).filter(|v| !v.trim().is_empty()));
        if let Some(title) = title {
            new.seo_title = fill_seo_variables(title, &item.title, &self.publication.name);
        }
        let description = ["_yoast_wpseo_metadesc", "rank_math_description"]
            .into_iter()
            .find_map(|key| item.meta_value(key).filter(|v| !v.trim().is_empty()));
        if let Some(description) = description {
            new.seo_description =
                fill_seo_variables(description, &item.title, &self.publication.name);
        }
        let canonical = ["_yoast_wpseo_canonical", "rank_math_canonical_url"]
            .into_iter()
            .find_map(|key| item.meta_value(key).filter(|v| !v.trim().is_empty()));
        if let Some(canonical) = canonical {
            let old_site = url::Url::parse(&self.catalogue.site_url).ok();
            match gazette_core::canonical_address(canonical) {
                // The old site's own address is this article's, which now lives here.
                Some(url) if old_site.is_some_and(|site| site.host_str() == url.host_str()) => {}
                Some(url) => new.canonical_url = url.to_string(),
                None => self.report.warn(format!(
                    "Post {} names {canonical:?} as its canonical address, which is not a full address; it was left out.",
                    item.post_id.unwrap_or(0)
                )),
            }
        }
        // Yoast stores "1"; Rank Math a serialized list of robots directives.
        new.noindex = item.meta_value("_yoast_wpseo_meta-robots-noindex") == Some("1")
            || item
                .meta_value("rank_math_robots")
                .is_some_and(|robots| robots.contains("\"noindex\""));
    }

    pub(super) fn featured_image(&mut self, item: &Item) -> Option<FeaturedImage> {
        let id: i64 = item.meta_value("_thumbnail_id")?.trim().parse().ok()?;
        let Some(attachment) = self.catalogue.attachment(id) else {
            self.report.missing_media.insert(id);
            return None;
        };
        let (src, media) = match self.uploads.media_of(id) {
            Some((media, path)) => (format!("/media/{path}"), Some(media)),
            None => (attachment.url, None),
        };
        Some(FeaturedImage {
            src,
            alt: attachment.alt,
            caption: attachment.caption,
            credit: String::new(),
            media,
        })
    }
}

/// Yoast's `%%title%% %%sep%% %%sitename%%`: the variables WordPress fills in when it shows the
/// title; unknown ones are dropped.
fn fill_seo_variables(text: &str, title: &str, site: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("%%") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("%%") else {
            out.push_str(&rest[start..]);
            return out.trim().to_owned();
        };
        match &after[..end] {
            "title" => out.push_str(title),
            "sitename" => out.push_str(site),
            "sep" => out.push('–'),
            _ => {}
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
