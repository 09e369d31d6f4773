//! The fields of a post write (`title`, `content`, `status`, `date`, `categories`…), read and
//! checked as WordPress names them, and applied to an article as the edit the newsroom saves.

use axum::http::StatusCode;
use gazette_core::{Article, Person, SectionId, Slug, Status, TagId};
use jiff::Timestamp;
use serde_json::{Map, Value};

use super::super::ApiError;
use super::super::values::{parse_status, wordpress_time};
use super::super::write::text_field;
use crate::kernel::site::Site;

/// The fields a write sets, checked; `None` leaves the article's own.
#[derive(Debug, Default)]
pub(super) struct Changes {
    pub(super) title: Option<String>,
    content: Option<String>,
    excerpt: Option<String>,
    pub(super) slug: Option<Slug>,
    status: Option<Status>,
    date: Option<Timestamp>,
    sections: Option<Vec<SectionId>>,
    tags: Option<Vec<TagId>>,
    sticky: Option<bool>,
    comments_open: Option<bool>,
    password: Option<String>,
    /// `featured_media`: the library image (`Some(None)` removes the featured image).
    featured: Option<Option<gazette_core::Media>>,
}

impl Changes {
    /// Reads and checks every field, naming each problem as WordPress's `rest_invalid_param`.
    pub(super) fn of(
        fields: &Map<String, Value>,
        site: &Site,
        sections: &[gazette_core::Section],
        media: &[gazette_core::Media],
    ) -> Result<Self, ApiError> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut changes = Self::default();
        let text = |name: &str| fields.contains_key(name).then(|| text_field(fields, name));
        changes.title = text("title");
        changes.content = text("content");
        changes.excerpt = text("excerpt");
        changes.password = text("password");
        changes.slug = super::super::write::slug_field(fields, &mut problems);
        if let Some(status) = text("status") {
            match parse_status(&status) {
                Some(status) => changes.status = Some(status),
                None => problems.push((
                    "status".into(),
                    "status is not one of publish, future, draft, pending, private and trash."
                        .into(),
                )),
            }
        }
        for name in ["date", "date_gmt"] {
            if let Some(date) = text(name).filter(|d| !d.is_empty()) {
                match wordpress_time(site, &date, name == "date_gmt") {
                    Some(at) => changes.date = Some(at),
                    None => problems.push((name.into(), format!("Invalid date: {date}."))),
                }
            }
        }
        if let Some(ids) = id_list(fields, "categories", &mut problems) {
            if ids
                .iter()
                .all(|id| sections.iter().any(|s| s.id == SectionId(*id)))
            {
                changes.sections = Some(ids.into_iter().map(SectionId).collect());
            } else {
                problems.push((
                    "categories".into(),
                    "categories names a category that does not exist.".into(),
                ));
            }
        }
        changes.tags =
            id_list(fields, "tags", &mut problems).map(|ids| ids.into_iter().map(TagId).collect());
        changes.sticky = flag(fields, "sticky", &mut problems);
        let featured = super::super::write::integer_field(fields, "featured_media", &mut problems);
        match featured {
            None => {}
            Some(0) => changes.featured = Some(None),
            Some(id) => match media.iter().find(|m| m.id.0 == id) {
                Some(found) => changes.featured = Some(Some(found.clone())),
                None => problems.push((
                    "featured_media".into(),
                    "featured_media names no image in the media library.".into(),
                )),
            },
        }
        if let Some(status) = text("comment_status") {
            match status.as_str() {
                "open" => changes.comments_open = Some(true),
                "closed" => changes.comments_open = Some(false),
                _ => problems.push((
                    "comment_status".into(),
                    "comment_status is not one of open and closed.".into(),
                )),
            }
        }
        if problems.is_empty() {
            Ok(changes)
        } else {
            Err(ApiError::invalid_params(problems))
        }
    }

    /// `base` with these changes, by `person` at `now`.
    pub(super) fn applied(
        &self,
        base: &Article,
        person: &Person,
        now: Timestamp,
    ) -> Result<Article, ApiError> {
        let mut article = base.clone();
        if let Some(title) = &self.title {
            let title = title.trim();
            if title.is_empty() {
                return Err(ApiError::invalid_params(vec![(
                    "title".into(),
                    "A post needs a title.".into(),
                )]));
            }
            title.clone_into(&mut article.headline);
        }
        // The body keeps its format: a Markdown article's `content.raw` is Markdown, and a
        // client sending it back must not turn it into HTML. Its trust is decided on every
        // save, as in the editor (there is no "Allow raw HTML" box here: an app keeps a
        // source's trust or loses it, never restores it).
        let before = (base.id.0 != 0).then_some(base.unfiltered_html);
        let trusted = gazette_core::desk::raw_html_trusted(person, before, None);
        if let Some(content) = &self.content {
            article.body_source.clone_from(content);
        }
        if self.content.is_some() || trusted != base.unfiltered_html {
            article.body_html = gazette_render::render_body_as(
                article.body_format,
                &article.body_source,
                gazette_render::HtmlPolicy::for_trust(trusted),
            );
            article.unfiltered_html = trusted;
            article.render_version = gazette_render::RENDER_VERSION;
        }
        if let Some(excerpt) = &self.excerpt {
            excerpt.trim().clone_into(&mut article.excerpt);
        }
        if let Some(slug) = &self.slug {
            article.slug = slug.clone();
        }
        if let Some(sections) = &self.sections {
            let mut sections = sections.iter().copied();
            article.primary_section = sections.next();
            article.further_sections = sections.collect();
        }
        if let Some(tags) = &self.tags {
            article.tags.clone_from(tags);
        }
        if let Some(sticky) = self.sticky {
            if sticky != base.sticky && !gazette_core::desk::may_set_sticky(person) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "rest_cannot_assign_sticky",
                    "Sorry, you are not allowed to make posts sticky.",
                ));
            }
            article.sticky = sticky;
        }
        if let Some(open) = self.comments_open {
            article.comments_open = open;
        }
        if let Some(password) = &self.password {
            article.password = Some(password.clone()).filter(|p| !p.is_empty());
        }
        if let Some(date) = self.date {
            article.published_at = Some(date);
        }
        if let Some(featured) = &self.featured {
            article.featured_image = featured.as_ref().map(|media| gazette_core::FeaturedImage {
                src: media.url(),
                alt: media.alt.clone(),
                caption: media.caption.clone(),
                credit: media.credit.clone(),
                media: Some(media.id),
            });
        }
        let status = self.status.unwrap_or(base.status);
        // WordPress's `publish` with a date ahead is a scheduled post, `future` without one
        // is refused; publishing now dates an article that has no date yet.
        article.status = match status {
            Status::Published | Status::Scheduled => match article.published_at {
                Some(at)
                    if at > now && (self.date.is_some() || base.status == Status::Scheduled) =>
                {
                    Status::Scheduled
                }
                _ if status == Status::Scheduled => {
                    return Err(ApiError::invalid_params(vec![(
                        "date".into(),
                        "A scheduled post needs a date in the future.".into(),
                    )]));
                }
                _ => Status::Published,
            },
            other => other,
        };
        if article.status == Status::Published && base.status != Status::Published {
            article.published_at = Some(self.date.filter(|d| *d <= now).unwrap_or(now));
        }
        Ok(article)
    }
}

/// A list of ids (`[3, 4]`, `["3"]`, or `"3,4"` from a form), each once; `None` when the
/// field is absent.
fn id_list(
    fields: &Map<String, Value>,
    name: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<Vec<i64>> {
    let value = fields.get(name)?;
    let id = |item: &Value| match item {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    let ids: Option<Vec<i64>> = match value {
        Value::Array(items) => items.iter().map(id).collect(),
        Value::String(text) if text.trim().is_empty() => Some(Vec::new()),
        Value::String(text) => text.split(',').map(|p| p.trim().parse().ok()).collect(),
        Value::Number(n) => n.as_i64().map(|id| vec![id]),
        _ => None,
    };
    match ids {
        Some(mut ids) => {
            // Each once, in the order given: a repeat means nothing more.
            let mut seen = std::collections::HashSet::new();
            ids.retain(|id| seen.insert(*id));
            Some(ids)
        }
        None => {
            problems.push((
                name.to_owned(),
                format!("{name}[0] is not of type integer."),
            ));
            None
        }
    }
}

/// A boolean, from JSON or a form's `true`/`false`/`1`/`0`.
fn flag(
    fields: &Map<String, Value>,
    name: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<bool> {
    let value = fields.get(name)?;
    let parsed = match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if matches!(s.as_str(), "true" | "1") => Some(true),
        Value::String(s) if matches!(s.as_str(), "false" | "0") => Some(false),
        _ => None,
    };
    if parsed.is_none() {
        problems.push((name.to_owned(), format!("{name} is not of type boolean.")));
    }
    parsed
}
