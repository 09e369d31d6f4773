//! Syndication feeds: the newest articles (site-wide and under every section, tag and author)
//! and the newest comments (site-wide and per article), each in RSS 2.0, Atom 1.0 and JSON Feed
//! 1.1.
//!
//! One neutral [`Feed`] is built from the store, then written in the format asked for, so the
//! three formats always agree. Feeds are public pages like any other: cached, compressed and
//! answered with 304 to a reader holding the current copy.
//!
//! Identity is what subscribers notice. An item's id never changes: an imported article keeps its
//! WordPress guid; otherwise it is a UUID derived from the server secret and the article id, so
//! it survives a new address or slug. An item's `updated` time is the article's last
//! *significant* update, so a typo fix is not announced again.

mod atom;
mod json;
mod links;
mod rss;

use gazette_core::{Article, ArticleId, Comment, Status};
use gazette_store::ArticleFilter;
use jiff::Timestamp;
use links::{absolute, absolute_links};
use sha2::{Digest as _, Sha256};

use crate::cache::{RenderedPage, Shows};
use crate::kernel::lookup::find_article;
use crate::kernel::pages::Detour;
use crate::kernel::route::{FeedFormat, FeedScope};
use crate::kernel::site::Site;
use crate::kernel::views::article_url;
use crate::kernel::views::title;
use crate::{AppError, AppState};

/// A feed in no particular format.
#[derive(Debug)]
pub(crate) struct Feed {
    pub title: String,
    pub description: String,
    /// The BCP 47 tag of the publication's language.
    pub language: String,
    /// The HTML page this feed follows, absolute.
    pub page_url: String,
    /// This feed's own address, absolute.
    pub self_url: String,
    /// The publication's name: the author of last resort, and the generator's subject.
    pub publisher: String,
    /// When anything in the feed last changed.
    pub updated: Timestamp,
    pub items: Vec<Item>,
}

/// One article or comment.
#[derive(Debug)]
pub(crate) struct Item {
    /// The permanent identifier (RSS `guid`, Atom `id`, JSON Feed `id`).
    pub id: String,
    pub url: String,
    pub title: String,
    /// Plain text.
    pub summary: String,
    /// The whole text as HTML, with absolute links; None when the feed carries excerpts only.
    pub content_html: Option<String>,
    pub published: Timestamp,
    pub updated: Timestamp,
    pub authors: Vec<Person>,
    pub categories: Vec<String>,
    pub image: Option<Image>,
}

#[derive(Debug)]
pub(crate) struct Person {
    pub name: String,
    pub url: Option<String>,
}

/// A featured image, absolute, with its media type.
#[derive(Debug)]
pub(crate) struct Image {
    pub url: String,
    pub mime: &'static str,
}

impl Feed {
    /// The document in `format`.
    pub fn write(&self, format: FeedFormat) -> String {
        match format {
            FeedFormat::Rss => rss::write(self),
            FeedFormat::Atom => atom::write(self),
            FeedFormat::Json => json::write(self),
        }
    }
}

/// The `Content-Type` each format is served with.
pub(crate) fn content_type(format: FeedFormat) -> &'static str {
    match format {
        FeedFormat::Rss => "application/rss+xml; charset=utf-8",
        FeedFormat::Atom => "application/atom+xml; charset=utf-8",
        FeedFormat::Json => "application/feed+json; charset=utf-8",
    }
}

/// Renders the feed `scope` names, ready for the page cache. `origin` (`https://host`, no
/// trailing slash) makes every link absolute, as feed readers need.
pub(crate) async fn render(
    state: &AppState,
    site: &Site,
    scope: &FeedScope,
    format: FeedFormat,
    origin: &str,
    now: Timestamp,
) -> Result<RenderedPage, Detour> {
    // Every article feed lists whichever articles are current; the comments feeds name their
    // articles too.
    let mut shows = vec![Shows::Listings];
    let feed = match scope {
        FeedScope::Comments => {
            shows.push(Shows::Comments);
            let heading = site
                .catalogue
                .text("feed.comments", &[("name", &site.publication.name)]);
            let page = Page::new(origin, "/", format, heading);
            comments_feed(state, site, page, None, now).await?
        }
        FeedScope::Article(segments) => {
            let article = public_article(state, site, segments).await?;
            let url = article_url(site, &article);
            let requested = crate::kernel::route::canonical_path(segments, 1);
            if url != requested {
                return Err(Detour::Redirect(format!(
                    "{}{}",
                    with_slash(&url),
                    format.path_suffix()
                )));
            }
            let heading = site
                .catalogue
                .text("feed.article_comments", &[("headline", &article.headline)]);
            let page = Page::new(origin, &with_slash(&url), format, heading);
            shows = vec![
                Shows::Article(article.id.0),
                Shows::Discussion(article.id.0),
            ];
            comments_feed(state, site, page, Some(&article), now).await?
        }
        scope => {
            let (filter, path, heading, description) = listing(site, scope)?;
            let page = Page::new(origin, &path, format, heading);
            articles_feed(state, site, page, &filter, description, now).await?
        }
    };
    Ok(RenderedPage {
        content_type: content_type(format),
        last_modified: Some(feed.updated),
        ..RenderedPage::html(
            feed.write(format),
            site.next_boundary.filter(|at| *at > now),
        )
    }
    .showing(shows))
}

/// The page a feed follows and the feed's own address.
struct Page {
    origin: String,
    path: String,
    self_url: String,
    title: String,
}

impl Page {
    fn new(origin: &str, path: &str, format: FeedFormat, title: String) -> Self {
        Self {
            origin: origin.to_owned(),
            path: path.to_owned(),
            self_url: format!("{origin}{path}{}", format.path_suffix()),
            title,
        }
    }
}

/// The listing an article feed follows: its filter, page path, title and description.
fn listing(
    site: &Site,
    scope: &FeedScope,
) -> Result<(ArticleFilter, String, String, String), AppError> {
    let publication = &site.publication;
    Ok(match scope {
        FeedScope::Section(path) => {
            let section = site.section_by_path(path).ok_or(AppError::NotFound)?;
            (
                ArticleFilter::InSections(site.section_and_descendants(section.id)),
                site.section_url(section.id),
                title(site, &[&section.name]),
                section.description.clone(),
            )
        }
        FeedScope::Tag(slug) => {
            let tag = site.tag_by_slug(slug).ok_or(AppError::NotFound)?;
            let heading = site.catalogue.text("archive.tag", &[("name", &tag.name)]);
            (
                ArticleFilter::Tagged(tag.id),
                format!("/tag/{}/", tag.slug),
                title(site, &[&heading]),
                tag.description.clone(),
            )
        }
        FeedScope::Author(slug) => {
            let (id, author) = site.author_by_slug(slug).ok_or(AppError::NotFound)?;
            let heading = site
                .catalogue
                .text("archive.author", &[("name", &author.name)]);
            (
                ArticleFilter::ByAuthor(id),
                format!("/author/{}/", author.slug),
                title(site, &[&heading]),
                author.bio.clone(),
            )
        }
        FeedScope::Site | FeedScope::Comments | FeedScope::Article(_) => (
            ArticleFilter::All,
            "/".to_owned(),
            publication.name.clone(),
            publication.tagline.clone(),
        ),
    })
}

async fn articles_feed(
    state: &AppState,
    site: &Site,
    page: Page,
    filter: &ArticleFilter,
    description: String,
    now: Timestamp,
) -> Result<Feed, AppError> {
    let settings = site.publication.feeds;
    let articles = state
        .store()
        .newest_published(filter, 0, u64::from(settings.items))
        .await?;
    let items: Vec<Item> = articles
        .iter()
        .map(|article| article_item(site, &page.origin, article, settings.full_text))
        .collect();
    Ok(finish(site, page, description, items, now))
}

async fn comments_feed(
    state: &AppState,
    site: &Site,
    page: Page,
    article: Option<&Article>,
    now: Timestamp,
) -> Result<Feed, AppError> {
    let limit = u64::from(site.publication.feeds.items);
    let comments = state
        .store()
        .recent_public_comments(article.map(|a| a.id), limit)
        .await?;
    // The articles the comments answer, each once.
    let mut ids: Vec<ArticleId> = comments.iter().map(|c| c.article).collect();
    ids.sort_unstable();
    ids.dedup();
    let articles = match article {
        Some(article) => vec![article.clone()],
        None => state.store().articles_by_ids(&ids).await?,
    };
    let items = comments
        .iter()
        .filter_map(|comment| {
            let article = articles.iter().find(|a| a.id == comment.article)?;
            Some(comment_item(site, &page.origin, article, comment))
        })
        .collect();
    let description = site.publication.tagline.clone();
    Ok(finish(site, page, description, items, now))
}

fn finish(site: &Site, page: Page, description: String, items: Vec<Item>, now: Timestamp) -> Feed {
    // An empty feed has nothing to date it by but the moment it was made.
    let updated = items.iter().map(|i| i.updated).max().unwrap_or(now);
    Feed {
        title: page.title,
        description,
        language: site.publication.language.as_str().to_owned(),
        page_url: format!("{}{}", page.origin, page.path),
        self_url: page.self_url,
        publisher: site.publication.name.clone(),
        updated,
        items,
    }
}

/// Names in their first order, each once: a section and a tag may share a name ("Elections"),
/// and feeds list categories as plain names (JSON Feed's `tags` must be unique).
fn distinct(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names.filter(|name| seen.insert(name.clone())).collect()
}

fn article_item(site: &Site, origin: &str, article: &Article, full_text: bool) -> Item {
    let protected = article.password.is_some();
    let summary = if protected {
        site.catalogue.text("feed.protected", &[])
    } else if article.standfirst.is_empty() {
        article.excerpt.clone()
    } else {
        article.standfirst.clone()
    };
    let content_html =
        (full_text && !protected).then(|| absolute_links(article.body_html.as_str(), origin));
    let published = article.published_at.unwrap_or(article.created_at);
    let authors = article
        .authors
        .iter()
        .filter_map(|id| site.author(*id))
        .map(|author| Person {
            name: author.name.clone(),
            url: author.archive_path().map(|path| format!("{origin}{path}")),
        })
        .collect();
    let sections = article
        .primary_section
        .iter()
        .chain(&article.further_sections)
        .filter_map(|id| site.section(*id))
        .map(|s| s.name.clone());
    let tags = article
        .tags
        .iter()
        .filter_map(|id| site.tag(*id))
        .map(|t| t.name.clone());
    let image = article.featured_image.as_ref().and_then(|image| {
        Some(Image {
            url: absolute(&image.src, origin),
            mime: image_mime(&image.src)?,
        })
    });
    Item {
        id: article
            .legacy_guid
            .clone()
            .unwrap_or_else(|| uuid_urn(&site.server_secret, "article", article.id.0)),
        url: format!("{origin}{}", article_url(site, article)),
        title: article.headline.clone(),
        summary,
        content_html,
        published,
        updated: article
            .significantly_updated_at
            .unwrap_or(published)
            .max(published),
        authors,
        categories: distinct(sections.chain(tags)),
        image,
    }
}

fn comment_item(site: &Site, origin: &str, article: &Article, comment: &Comment) -> Item {
    let name = if comment.author_name.is_empty() {
        "—".to_owned()
    } else {
        comment.author_name.clone()
    };
    let title = site.catalogue.text(
        "feed.comment_title",
        &[("name", &name), ("headline", &article.headline)],
    );
    Item {
        id: uuid_urn(&site.server_secret, "comment", comment.id.0),
        url: format!(
            "{origin}{}#comment-{}",
            article_url(site, article),
            comment.id.0
        ),
        title,
        summary: gazette_render::render_excerpt(&comment.body_html, 300),
        content_html: Some(absolute_links(comment.body_html.as_str(), origin)),
        published: comment.created_at,
        updated: comment.created_at,
        authors: vec![Person { name, url: None }],
        categories: Vec::new(),
        image: None,
    }
}

/// The published, unprotected article at `segments`; anything else is not found.
async fn public_article(
    state: &AppState,
    site: &Site,
    segments: &[String],
) -> Result<Article, AppError> {
    let path = crate::kernel::route::canonical_path(segments, 1);
    let mut found = find_article(state, site, &path).await?;
    if found.is_none() {
        // A permalink without a trailing slash: `/2026/story.html/feed/`.
        found = find_article(state, site, path.trim_end_matches('/')).await?;
    }
    match found {
        Some(article) if article.status == Status::Published && article.password.is_none() => {
            Ok(article)
        }
        Some(article) if article.status == Status::Trashed => Err(AppError::Gone),
        _ => Err(AppError::NotFound),
    }
}

fn with_slash(path: &str) -> String {
    if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    }
}

/// A stable, opaque identifier: a version-5-style UUID of `kind` and `id` under the site's
/// secret, so it differs between journals and never changes with an address.
fn uuid_urn(secret: &str, kind: &str, id: i64) -> String {
    let digest = Sha256::new()
        .chain_update(secret.as_bytes())
        .chain_update([0])
        .chain_update(kind.as_bytes())
        .chain_update(id.to_be_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The media type an image address implies, for the feed's media element.
fn image_mime(address: &str) -> Option<&'static str> {
    let path = address.split(['?', '#']).next().unwrap_or(address);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
