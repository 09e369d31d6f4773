//! The editor's page: the article in its form, with the choices it offers (bylines,
//! sections, tags, genres, library images) and the "Allow raw HTML" box.

use axum::http::StatusCode;
use axum::response::Response;
use gazette_core::desk::may_set_sticky;
use gazette_core::{Article, BodyFormat, Capability, Genre, SectionId, Status};
use serde::Serialize;

use super::super::{Staff, staff_page};
use super::form::RAW_HTML_OFFERED;
use crate::kernel::site::Site;
use crate::{AppError, AppState};

/// How many of the newest library images the featured-image list offers.
pub(super) const LIBRARY_CHOICES: u64 = 200;
/// How many of them the body's "insert an image" list shows.
pub(super) const INSERTABLE_IMAGES: usize = 24;

#[derive(Debug, Serialize)]
pub(super) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub(super) async fn render(
    state: &AppState,
    site: &Site,
    staff: &Staff,
    article: &Article,
    message: Option<&str>,
    status: StatusCode,
    theirs: Option<(&Article, String)>,
) -> Result<Response, AppError> {
    let people = state.store().people().await?;
    let authors: Vec<Choice> = people
        .iter()
        .filter(|p| p.active)
        .map(|p| Choice {
            value: p.id.0.to_string(),
            label: p.display_name.clone(),
            selected: article.authors.contains(&p.id),
        })
        .collect();
    let mut sections: Vec<Choice> = Vec::new();
    for section in site.sections_under(None) {
        sections.push(choice(section.id, &section.name, article));
        for child in site.sections_under(Some(section.id)) {
            sections.push(choice(
                child.id,
                &format!("{} › {}", section.name, child.name),
                article,
            ));
        }
    }
    let also: Vec<Choice> = sections.iter().map(|c| also_in(c, article)).collect();
    let tag_names: Vec<String> = {
        let mut names: Vec<String> = state
            .store()
            .tags()
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        names.sort();
        names
    };
    let tags = match &theirs {
        Some((_, submitted)) => submitted.clone(),
        None => article
            .tags
            .iter()
            .filter_map(|id| site.tag(*id).map(|t| t.name.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let genres: Vec<Choice> = Genre::ALL
        .iter()
        .map(|g| Choice {
            value: g.as_str().to_owned(),
            label: g.as_str().to_owned(),
            selected: *g == article.genre,
        })
        .collect();
    let is_new = article.id.0 == 0;
    let person = &staff.person;
    let own = article.authors.contains(&person.id);
    let publishes = if own || is_new {
        person.role.can(Capability::PublishOwnArticles)
    } else {
        person.role.can(Capability::PublishOthersArticles)
    };
    let public_url = (article.status == Status::Published)
        .then(|| crate::kernel::views::article_url(site, article));
    let image = article.featured_image.clone().unwrap_or_default();
    let library_items = state
        .store()
        .media_library(&gazette_store::MediaFilter::default(), 0, LIBRARY_CHOICES)
        .await?
        .items;
    let html_body = article.body_format == BodyFormat::Html;
    // Who else has it open, and the newsroom's notes (a new article has neither yet).
    let zone = site.publication.time_zone.zone();
    let (presence, notes) = if is_new {
        (None, Vec::new())
    } else {
        (
            Some(super::presence::opened(state, staff, article.id, &people, &zone).await?),
            super::notes::list(state, article.id, &people, &zone).await?,
        )
    };
    let plannable = !is_new && matches!(article.status, Status::Draft | Status::PendingReview);
    let plan = if plannable {
        Some(
            state
                .store()
                .article_plan(article.id)
                .await?
                .unwrap_or_default(),
        )
    } else {
        None
    };
    let mentionable: Vec<String> = people
        .iter()
        .filter(|p| p.active && p.id != person.id)
        .map(|p| format!("@{}", p.slug))
        .collect();
    let images: Vec<_> = library_items
        .iter()
        .take(INSERTABLE_IMAGES)
        .map(|m| {
            let alt = m.alt.replace(['[', ']', '"', '<', '>'], "");
            minijinja::context! {
                thumbnail => m.url_for_width(320),
                name => m.original_name,
                width => m.width,
                height => m.height,
                snippet => if html_body {
                    format!("<img src=\"{}\" alt=\"{alt}\">", m.url())
                } else {
                    format!("![{alt}]({})", m.url())
                },
            }
        })
        .collect();
    let library: Vec<_> = library_items
        .into_iter()
        .map(|m| Choice {
            value: m.id.0.to_string(),
            selected: image.media == Some(m.id),
            label: if m.alt.is_empty() {
                format!("{} ({}×{})", m.original_name, m.width, m.height)
            } else {
                format!("{} – {} ({}×{})", m.original_name, m.alt, m.width, m.height)
            },
        })
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/editor.html",
        minijinja::context! {
            message,
            // Times typed in are read in the publication's zone: the form names it.
            time_zone => site.publication.time_zone.as_str(),
            site_name => site.publication.name.as_str(),
            article => minijinja::context! {
                action => if is_new { "/admin/articles/new".to_owned() } else { format!("/admin/articles/{}", article.id) },
                is_new,
                id => article.id.0,
                version => if is_new { String::new() } else { article.updated_at.as_microsecond().to_string() },
                // A new article's form makes it at most once, however often it is sent.
                idempotency_key => if is_new { crate::kernel::idempotency::fresh() } else { String::new() },
                status => article.status.as_str(),
                headline => article.headline,
                standfirst => article.standfirst,
                slug => if is_new { String::new() } else { article.slug.to_string() },
                body => article.body_source,
                body_format => article.body_format.as_str(),
                excerpt => article.excerpt,
                tags,
                image_src => if image.media.is_some() { String::new() } else { image.src.clone() },
                image_preview => image.src,
                image_alt => image.alt,
                image_caption => image.caption,
                image_credit => image.credit,
                password => article.password.clone().unwrap_or_default(),
                corrections => article.corrections,
                seo_title => article.seo_title,
                seo_description => article.seo_description,
                canonical_url => article.canonical_url,
                noindex => article.noindex,
                sticky => article.sticky,
                may_set_sticky => may_set_sticky(person),
                comments_open => article.comments_open,
                published => article.status == Status::Published,
                public_url,
            },
            authors,
            library,
            images,
            sections,
            also,
            tag_names,
            genres,
            publishes,
            may_upload => person.role.can(Capability::UploadMedia),
            presence,
            notes,
            mentionable,
            plan,
            raw_html => raw_html_box(person, article),
            newsletters => super::newsletters::offered(state, site, staff, article).await?,
            preview_stylesheet => state.theme().asset_url("style.css"),
            conflict => theirs.is_some(),
            theirs => theirs.map(|(a, _)| minijinja::context! {
                headline => a.headline,
                body => a.body_source,
                segments => super::merge::segments(&a.body_source, &article.body_source),
                body_ends_with_newline => article.body_source.ends_with('\n'),
            }),
        },
    ))
}

/// The "Allow raw HTML" box, for those who may allow it: whether the body is trusted now (a
/// new article of theirs is) and what the sanitiser would remove from it.
pub(super) fn raw_html_box(person: &gazette_core::Person, article: &Article) -> minijinja::Value {
    if !person.role.can(Capability::UnfilteredHtml) {
        return minijinja::Value::from(());
    }
    minijinja::context! {
        allowed => article.unfiltered_html,
        removals => gazette_render::sanitiser_removals(article.body_format, &article.body_source),
        offered_field => RAW_HTML_OFFERED,
    }
}

pub(super) fn choice(id: SectionId, label: &str, article: &Article) -> Choice {
    Choice {
        value: id.0.to_string(),
        label: label.to_owned(),
        selected: article.primary_section == Some(id),
    }
}

/// The same section offered as a further one: checked when the article is filed there too.
pub(super) fn also_in(choice: &Choice, article: &Article) -> Choice {
    Choice {
        value: choice.value.clone(),
        label: choice.label.clone(),
        selected: article
            .further_sections
            .iter()
            .any(|id| id.0.to_string() == choice.value),
    }
}
