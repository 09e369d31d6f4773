//! An article's page (and a static page's): the body, its byline and dates, its discussion,
//! what a password hides until it is given, and what a preview shows.

use super::{Reader, search, top_section};
use gazette_core::{Article, Page};
use jiff::Timestamp;
use minijinja::Value;

use crate::cache::Shows;
use crate::kernel::origin::Links;
use crate::kernel::pages::{Detour, page_html};
use crate::kernel::signup;
use crate::kernel::site::Site;
use crate::kernel::structured::{self, Shared};
use crate::kernel::views::title;
use crate::kernel::views::{self, Access, Meta};
use crate::{AppError, AppState};

/// An article as it will look, whatever its status: for staff and share links. Never indexed.
pub(super) async fn preview_page(
    state: &AppState,
    site: &Site,
    article: &Article,
    now: Timestamp,
) -> Result<String, AppError> {
    let showing = Showing {
        access: Access::Open,
        preview: true,
        links: Links::configured(site),
    };
    article_html(state, site, article, showing, now, Extra::NONE).await
}

/// What a reader asked of an article page beyond the article itself.
pub(super) struct ArticlePage<'a> {
    pub(super) access: Access,
    pub(super) comment_page: u32,
    pub(super) reader: &'a Reader,
}

/// The article's page, and what it shows besides the article: its discussion and the
/// related articles' cards.
pub(super) async fn article_page(
    state: &AppState,
    site: &Site,
    article: &Article,
    page: ArticlePage<'_>,
    now: Timestamp,
) -> Result<(String, Vec<Shows>), Detour> {
    let comments = if matches!(page.access, Access::Locked { .. }) {
        Value::UNDEFINED
    } else {
        let wanted = crate::kernel::discussion::Wanted {
            page: page.comment_page,
            held: &page.reader.held,
            reply_to: page.reader.reply_to,
        };
        match crate::kernel::discussion::article_comments(state, site, article, wanted, now).await?
        {
            Some(comments) => comments,
            None => return Err(AppError::NotFound.into()),
        }
    };
    let (related, related_ids) = search::related(state, site, article).await?;
    // Related cards show their article and count its comments.
    let mut shows = vec![
        Shows::Article(article.id.0),
        Shows::Discussion(article.id.0),
    ];
    for id in &related_ids {
        shows.extend([Shows::Article(id.0), Shows::Discussion(id.0)]);
    }
    let extra = Extra {
        comments,
        related: Value::from_serialize(&related),
    };
    let showing = Showing {
        access: page.access,
        preview: false,
        links: page.reader.origin.links(),
    };
    let html = article_html(state, site, article, showing, now, extra).await?;
    Ok((html, shows))
}

/// What the article template shows below the article: comments and related articles.
pub(super) struct Extra {
    pub(super) comments: Value,
    pub(super) related: Value,
}

impl Extra {
    /// Previews and the wrong-password page show neither.
    pub(super) const NONE: Self = Self {
        comments: Value::UNDEFINED,
        related: Value::UNDEFINED,
    };
}

/// How an article is shown: to whom, where, and with which addresses.
pub(super) struct Showing {
    pub(super) access: Access,
    /// Staff or a share link are looking at it: never indexed.
    pub(super) preview: bool,
    pub(super) links: Links,
}

pub(super) async fn article_html(
    state: &AppState,
    site: &Site,
    article: &Article,
    showing: Showing,
    now: Timestamp,
    below: Extra,
) -> Result<String, AppError> {
    let Showing {
        access,
        preview,
        links,
    } = showing;
    let access = if article.password.is_some() {
        access
    } else {
        Access::Open
    };
    let url = views::article_url(site, article);
    // A locked article tells search engines no more than its standfirst.
    let locked = matches!(access, Access::Locked { .. });
    let description = if !article.seo_description.is_empty() {
        article.seo_description.clone()
    } else if article.standfirst.is_empty() && !locked {
        article.excerpt.clone()
    } else {
        article.standfirst.clone()
    };
    let seo_title = if article.seo_title.is_empty() {
        &article.headline
    } else {
        &article.seo_title
    };
    // An article first published elsewhere names that address as canonical.
    let canonical = if article.canonical_url.is_empty() {
        links.canonical(&url)
    } else {
        article.canonical_url.clone()
    };
    let media = match article.featured_image.as_ref().and_then(|i| i.media) {
        Some(id) => state.store().media(id).await?,
        None => None,
    };
    let social_crop = media
        .as_ref()
        .and_then(|m| m.crops(gazette_core::media::SOCIAL).pop());
    let shared = Shared {
        title: seo_title,
        description: &description,
        url: &canonical,
        image: article.featured_image.as_ref().map(|i| i.src.as_str()),
        social_image: social_crop.as_ref(),
        article: Some(article),
    };
    let meta = Meta {
        title: title(site, &[seo_title]),
        social: structured::social_tags(site, &links, &shared),
        structured_data: Some(structured::article_json_ld(
            site, &links, article, &shared, locked,
        )),
        canonical,
        description,
        current_nav: article
            .primary_section
            .map(|id| site.section_url(top_section(site, id))),
        noindex: preview || article.noindex,
        feeds: views::article_feed_links(site, article, &url),
        ..Meta::default()
    };
    let inline =
        crate::kernel::inline_images::Library::of(state.store(), article.body_html.as_str())
            .await?;
    let sections: Vec<_> = article.sections().collect();
    let signup = signup::form(site, state.theme(), Some(&sections), &url);
    let extra = minijinja::context! {
        signup,
        article => views::article(site, article, media.as_ref(), &inline, access),
        comments => below.comments,
        related => below.related,
    };
    page_html(state, site, "article.html", &meta, now, extra)
}

/// A static page at `path` (`/about/` or `/about/team/`).
pub(super) fn static_page(
    state: &AppState,
    site: &Site,
    links: &Links,
    page: &Page,
    path: &str,
    now: Timestamp,
) -> Result<String, AppError> {
    let mut meta = Meta {
        title: title(site, &[&page.title]),
        description: gazette_render::render_excerpt(&page.body_html, 160),
        canonical: links.canonical(path),
        feeds: views::feed_links(site, None),
        ..Meta::default()
    };
    meta.share(site, links, &page.title);
    let extra = minijinja::context! {
        page => minijinja::context! {
            title => page.title,
            body => Value::from_safe_string(page.body_html.as_str().to_owned()),
        },
    };
    page_html(state, site, "page.html", &meta, now, extra)
}
