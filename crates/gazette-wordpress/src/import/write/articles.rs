//! Items into articles: each post is queued for the next batch with its body converted, its
//! slug made free and its dates read in the journal's time zone. Which other kinds of item
//! go where is decided here too ([`Writer::item`]).

use gazette_core::{ArticleId, BodyFormat, Slug, Status};
use gazette_render::wordpress;
use gazette_store::{ImportedArticle, NewArticle};
use gazette_wxr::Item;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{Taken, Writer, wordpress_slug};
use crate::export;
use crate::import::catalogue::wp_date;
use crate::wordpress_names::status;

impl Writer {
    /// Turns one item into an article or page (queued for the next batch), or counts it as
    /// skipped.
    pub(super) fn item(&mut self, item: Item) -> anyhow::Result<()> {
        match item.post_type.as_str() {
            "post" => self.article(item),
            "page" => {
                self.page(item);
                Ok(())
            }
            // Copied (or counted as not copied) before the first item.
            "attachment" => Ok(()),
            "nav_menu_item" => {
                self.menus.note_item(&item);
                Ok(())
            }
            other => {
                *self.report.skipped.entry(other.to_owned()).or_default() += 1;
                Ok(())
            }
        }
    }

    fn article(&mut self, item: Item) -> anyhow::Result<()> {
        let Some(wp_id) = item.post_id else {
            self.report.warn(format!(
                "The post at line {} has no id; skipped.",
                item.line
            ));
            return Ok(());
        };
        if self.ids.posts.contains_key(&wp_id) {
            self.report.already_imported += 1;
            return Ok(());
        }
        let Some(status) = status(&item.status) else {
            *self
                .report
                .skipped
                .entry(format!("post with status {}", item.status))
                .or_default() += 1;
            return Ok(());
        };
        let id = Taken::claim(
            &mut self.taken.articles,
            &mut self.taken.next_article,
            Some(wp_id),
        );
        if id != wp_id {
            self.report.warn(format!(
                "Post {wp_id} could not keep its id, which this journal already uses; it is article {id}, and /?p={wp_id} still finds it."
            ));
        }
        let body = self.body(&item, wp_id);
        let mut new = NewArticle::draft(
            &item.title,
            &body.source,
            gazette_render::render_body(body.format, &body.source),
            gazette_render::RENDER_VERSION,
        );
        new.id = Some(ArticleId(id));
        new.body_format = body.format;
        new.slug = self.article_slug(&item);
        new.status = status;
        new.published_at = self.published_at(&item, status);
        new.excerpt = if item.excerpt.trim().is_empty() {
            body.teaser
                .as_deref()
                .map(|teaser| gazette_render::plain_text(&gazette_render::sanitize_html(teaser)))
                .unwrap_or_default()
        } else {
            item.excerpt.trim().to_owned()
        };
        new.password = (!item.post_password.is_empty()).then(|| item.post_password.clone());
        new.sticky = item.is_sticky;
        new.comments_open = item.comment_status == "open";
        new.legacy_wp_id = Some(wp_id);
        new.legacy_guid = (!item.guid.is_empty()).then(|| item.guid.clone());
        self.place(&item, &mut new);
        self.seo(&item, &mut new);
        new.featured_image = self.featured_image(&item);
        if self.catalogue.from_gazette {
            gazette_fields(&item, &mut new);
        }
        let created_at = new.published_at.unwrap_or_else(|| {
            self.local_time(&item.post_date)
                .unwrap_or(Timestamp::UNIX_EPOCH)
        });
        let updated_at = self
            .wp_time(&item.post_modified, &item.post_modified_gmt)
            .unwrap_or(created_at);
        self.old_paths(&item, &new, ArticleId(id));
        self.comments_of(&item, ArticleId(id));
        self.ids.posts.insert(wp_id, id);
        self.report.count_article(status);
        self.articles.push(ImportedArticle {
            article: new,
            created_at,
            updated_at,
        });
        Ok(())
    }

    /// The body as Gazette stores it: a Gazette export's as it was written (its Markdown
    /// source when it had one), WordPress's converted as WordPress showed it.
    pub(super) fn body(&mut self, item: &Item, wp_id: i64) -> Body {
        if self.catalogue.from_gazette {
            return match item.meta_value(export::meta::MARKDOWN) {
                Some(markdown) => Body {
                    format: BodyFormat::Markdown,
                    source: markdown.to_owned(),
                    teaser: None,
                },
                None => Body {
                    format: BodyFormat::Html,
                    source: item.content.clone(),
                    teaser: None,
                },
            };
        }
        let converted = wordpress::convert(&item.content, wp_id, &self.catalogue);
        self.report.note_conversion(&converted);
        Body {
            format: BodyFormat::Html,
            source: self.uploads.rewrite(&converted.html),
            teaser: converted.teaser.map(|t| self.uploads.rewrite(&t)),
        }
    }

    /// The post's slug where it is free; drafts without one get one from the headline.
    fn article_slug(&mut self, item: &Item) -> Slug {
        let base = wordpress_slug(&item.post_name, &item.title);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.slugs.contains(candidate.as_str()) {
            candidate = Slug::parse(&format!("{base}-{n}")).unwrap_or_else(|_| base.clone());
            n += 1;
        }
        if candidate != base && !item.post_name.is_empty() {
            self.report.warn(format!(
                "Post {} has the slug {} of another article here; it is {candidate}.",
                item.post_id.unwrap_or(0),
                item.post_name
            ));
        }
        self.taken.slugs.insert(candidate.as_str().to_owned());
        candidate
    }

    pub(super) fn published_at(&self, item: &Item, status: Status) -> Option<Timestamp> {
        if matches!(status, Status::Draft | Status::PendingReview) {
            return None;
        }
        self.wp_time(&item.post_date, &item.post_date_gmt)
    }

    /// A WordPress date pair as an instant: the UTC one when set, else the local one in the
    /// journal's time zone.
    pub(super) fn wp_time(&self, local: &str, utc: &str) -> Option<Timestamp> {
        if let Some(utc) = wp_date(utc) {
            return utc.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
        }
        self.local_time(local)
    }

    fn local_time(&self, local: &str) -> Option<Timestamp> {
        wp_date(local)?
            .to_zoned(self.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }
}

/// A body ready to store.
pub(super) struct Body {
    pub(super) format: BodyFormat,
    pub(super) source: String,
    /// The converted text before `<!--more-->`.
    teaser: Option<String>,
}

/// What only Gazette records, from a Gazette export's meta.
fn gazette_fields(item: &Item, new: &mut NewArticle) {
    let text = |key: &str| item.meta_value(key).unwrap_or_default().to_owned();
    new.standfirst = text(export::meta::STANDFIRST);
    new.corrections = text(export::meta::CORRECTIONS);
    if let Some(image) = &mut new.featured_image {
        image.credit = text(export::meta::IMAGE_CREDIT);
    }
    // A body an editor saved unfiltered is shown as it was saved, as before the export.
    if item.meta_value(export::meta::UNFILTERED_HTML) == Some("1") {
        new.unfiltered_html = true;
        new.body_html = gazette_render::render_body_as(
            new.body_format,
            &new.body_source,
            gazette_render::HtmlPolicy::Unfiltered,
        );
    }
    if let Some(genre) = item
        .meta_value(export::meta::GENRE)
        .and_then(gazette_core::Genre::parse)
    {
        new.genre = genre;
    }
}
