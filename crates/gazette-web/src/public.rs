//! The public journal's pages: home, archives, articles, static pages, password-protected
//! articles, search and previews. `fallback` brings requests here through the page cache,
//! unless they are personal (a signed-in editor, an unlocked article, the reader's own held
//! comments), carry a query string, or the cache is off.

mod article;
pub(crate) mod crawlers;
pub(crate) mod legacy;
mod listings;
pub(crate) mod preview;
mod reader;
pub mod search;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use gazette_core::{Article, ArticleId, Page, Slug, Status};
use gazette_store::{ArticleFilter, StoreError};
use jiff::Timestamp;
use percent_encoding::percent_decode_str;

use crate::cache::{RenderedPage, Shows};
use crate::kernel::lookup::find_article;
use crate::kernel::origin::Links;
use crate::kernel::pages::{Detour, detour_response, error_page, load_site, uncached_html};
use crate::kernel::route::{self, PublicRoute};
use crate::kernel::site::Site;
use crate::kernel::views::{self, Access};
use crate::metrics::RouteLabel;
use crate::{AppError, AppState};
use article::{ArticlePage, article_page, preview_page, static_page};
use listings::{Listing, archive, date_listing, home};
pub(crate) use reader::{Reader, unlock};

/// The search page: rendered for every request, never cached (results change with every
/// write, and queries are endless).
pub(crate) async fn search_page(state: &AppState, links: &Links, query: Option<&str>) -> Response {
    let now = state.store().clock().now();
    let page = match load_site(state).await {
        Ok(site) => search::page(state, &site, links, query, now).await,
        Err(error) => Err(error),
    };
    let mut response = match page {
        Ok(html) => {
            let mut response = uncached_html(StatusCode::OK, html, false);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
                .headers_mut()
                .insert("x-robots-tag", HeaderValue::from_static("noindex"));
            response
        }
        Err(error) => error_page(state, error).await,
    };
    response.extensions_mut().insert(RouteLabel("search"));
    response
}

/// Renders the page `route` names, or says why there is none. Feeds, sitemaps and search are
/// other surfaces' and never come here.
pub(crate) async fn render(
    state: &AppState,
    site: &Site,
    route: &PublicRoute,
    raw_path: &str,
    reader: &Reader,
    now: Timestamp,
) -> Result<RenderedPage, Detour> {
    let mut stale_at = next_boundary(site, now);
    let links = reader.origin.links();
    let (html, shows) = match route {
        PublicRoute::Home { page } => home(state, site, &links, *page, now).await?,
        PublicRoute::Section { path, page } => {
            let section = site.section_by_path(path).ok_or(AppError::NotFound)?;
            let ids = site.section_and_descendants(section.id);
            let parent = section.parent.and_then(|p| {
                site.section(p).map(|s| views::Link {
                    url: site.section_url(p),
                    name: s.name.clone(),
                })
            });
            let children: Vec<views::Link> = site
                .sections_under(Some(section.id))
                .into_iter()
                .map(|s| views::Link {
                    url: site.section_url(s.id),
                    name: s.name.clone(),
                })
                .collect();
            let listing = Listing {
                filter: ArticleFilter::InSections(ids),
                base: site.section_url(section.id),
                title: section.name.clone(),
                description: section.description.clone(),
                parent,
                children,
                nav: Some(site.section_url(top_section(site, section.id))),
                missing_when_empty: false,
                profile: None,
                has_feed: true,
            };
            archive(state, site, &links, listing, *page, now).await?
        }
        PublicRoute::Tag { slug, page } => {
            let tag = site.tag_by_slug(slug).ok_or(AppError::NotFound)?;
            let listing = Listing::simple(
                ArticleFilter::Tagged(tag.id),
                format!("/tag/{}/", tag.slug),
                site.catalogue.text("archive.tag", &[("name", &tag.name)]),
                tag.description.clone(),
            );
            archive(state, site, &links, listing, *page, now).await?
        }
        PublicRoute::Author { slug, page } => {
            let (id, author) = site.author_by_slug(slug).ok_or(AppError::NotFound)?;
            let mut listing = Listing::simple(
                ArticleFilter::ByAuthor(id),
                format!("/author/{}/", author.slug),
                site.catalogue
                    .text("archive.author", &[("name", &author.name)]),
                author.bio.clone(),
            );
            listing.profile = Some(author.profile.clone());
            archive(state, site, &links, listing, *page, now).await?
        }
        PublicRoute::Date {
            year,
            month,
            day,
            page,
        } => {
            let listing = date_listing(site, *year, *month, *day)?;
            archive(state, site, &links, listing, *page, now).await?
        }
        PublicRoute::Feed { .. } | PublicRoute::Sitemap(_) | PublicRoute::Search => {
            return Err(AppError::NotFound.into());
        }
        PublicRoute::Content { segments, .. } => {
            let content = content(state, site, raw_path, segments, reader, now).await?;
            stale_at = earliest(stale_at, content.closes_at.filter(|at| *at > now));
            (content.html, content.shows)
        }
    };
    Ok(RenderedPage::html(html, stale_at).showing(shows))
}

/// When a page rendered now stops being right without any write: at the next scheduled
/// publication, or at midnight in the publication's time zone (the masthead shows the date).
fn next_boundary(site: &Site, now: Timestamp) -> Option<Timestamp> {
    let zone = site.publication.time_zone.zone();
    let midnight = now
        .to_zoned(zone.clone())
        .date()
        .tomorrow()
        .ok()
        .and_then(|day| day.to_zoned(zone).ok())
        .map(|z| z.timestamp());
    let scheduled = site.next_boundary.filter(|at| *at > now);
    earliest(scheduled, midnight)
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

pub(super) fn top_section(site: &Site, mut id: gazette_core::SectionId) -> gazette_core::SectionId {
    let mut steps = 0;
    while let Some(parent) = site.section(id).and_then(|s| s.parent) {
        id = parent;
        steps += 1;
        if steps > 64 {
            break;
        }
    }
    id
}

/// An article permalink (or one of its comment pages) or a static page.
struct Content {
    html: String,
    /// When comments on the article close by age.
    closes_at: Option<Timestamp>,
    /// What the page shows. A static page shows no article, but an article published at its
    /// path would take its place: it goes with the listings.
    shows: Vec<Shows>,
}

async fn content(
    state: &AppState,
    site: &Site,
    raw_path: &str,
    segments: &[String],
    reader: &Reader,
    now: Timestamp,
) -> Result<Content, Detour> {
    let (article_path, comment_page) = split_comment_page(raw_path);
    let mut found = find_article(state, site, &article_path).await?;
    if found.is_none() && comment_page > 1 {
        // A permalink without a trailing slash: `/archives/42/comment-page-2/`.
        let bare = article_path.trim_end_matches('/');
        found = find_article(state, site, bare).await?;
    }
    if let Some(article) = found {
        match article.status {
            Status::Published => {
                // Any other spelling of the article's URL (an old date, another percent-
                // encoding, `comment-page-1`) redirects, so only the canonical path is cached.
                let article_url = views::article_url(site, &article);
                let canonical_path =
                    crate::kernel::discussion::comment_page_url(&article_url, comment_page);
                if canonical_path != raw_path {
                    return Err(Detour::Redirect(canonical_path));
                }
                let access = if reader.unlocks.opens(site, &article) {
                    Access::Open
                } else {
                    Access::Locked {
                        wrong_password: false,
                    }
                };
                let closes_at = site.publication.comments.closes_at(article.published_at);
                let page = ArticlePage {
                    access,
                    comment_page,
                    reader,
                };
                let (html, shows) = article_page(state, site, &article, page, now).await?;
                return Ok(Content {
                    html,
                    closes_at,
                    shows,
                });
            }
            Status::Trashed => return Err(AppError::Gone.into()),
            // Drafts, pending, scheduled and private articles do not exist for the public;
            // a page may still live at this path.
            _ => {}
        }
    }
    let Some(page) = find_page(state, segments).await? else {
        return Err(retired_path(state, site, raw_path).await);
    };
    let canonical = route::canonical_path(segments, 1);
    if canonical != raw_path {
        return Err(Detour::Redirect(canonical));
    }
    let links = reader.origin.links();
    Ok(Content {
        html: static_page(state, site, &links, &page, &canonical, now)?,
        closes_at: None,
        shows: vec![Shows::Listings],
    })
}

/// `/2026/05/story/comment-page-3/` is comment page 3 of `/2026/05/story/` (or of
/// `/2026/05/story`, for permalinks without a trailing slash).
fn split_comment_page(raw_path: &str) -> (String, u32) {
    let trimmed = raw_path.strip_suffix('/').unwrap_or(raw_path);
    if let Some((article, last)) = trimmed.rsplit_once('/')
        && let Some(number) = last.strip_prefix("comment-page-")
        && number.bytes().all(|b| b.is_ascii_digit())
        && let Ok(page) = number.parse::<u32>()
        && page >= 1
    {
        return (format!("{article}/"), page);
    }
    (raw_path.to_owned(), 1)
}

/// `/2013/01/10/story/2/` is page 2 of a post WordPress split with `<!--nextpage-->`, which
/// Gazette shows whole: the path of the whole post, when the last segment is a page number.
fn split_post_page(raw_path: &str) -> Option<String> {
    let trimmed = raw_path.strip_suffix('/').unwrap_or(raw_path);
    let (post, last) = trimmed.rsplit_once('/')?;
    let page: u32 = last.parse().ok().filter(|_| last.len() <= 3)?;
    (page >= 1 && !post.is_empty()).then(|| {
        if raw_path.ends_with('/') {
            format!("{post}/")
        } else {
            post.to_owned()
        }
    })
}

/// A path an article had before (another slug, date, section or permalink pattern) redirects
/// to where the article is now; anything else is not found.
async fn retired_path(state: &AppState, site: &Site, raw_path: &str) -> Detour {
    if let Some(whole) = split_post_page(raw_path) {
        match find_article(state, site, &whole).await {
            Ok(Some(article)) if article.status.is_public() => {
                return article_redirect(site, Ok(Some(article)));
            }
            Ok(_) => {}
            Err(error) => return article_redirect(site, Err(error)),
        }
    }
    let article = match state.store().article_for_retired_path(raw_path).await {
        Ok(Some(id)) => state.store().article(id).await,
        Ok(None) => guess_by_slug(state, raw_path).await,
        Err(error) => Err(error),
    };
    article_redirect(site, article)
}

/// As WordPress does for an unknown path: if its last segment is the slug of a published
/// article, that is where the reader meant to go. This keeps the URLs of an older permalink
/// pattern working (`/2019/05/some-story/` after a move to `/%postname%/`, and the reverse).
async fn guess_by_slug(state: &AppState, raw_path: &str) -> Result<Option<Article>, StoreError> {
    let last = raw_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let decoded = percent_decode_str(last).decode_utf8_lossy();
    let Ok(slug) = Slug::parse(&decoded) else {
        return Ok(None);
    };
    let mut found = state.store().article_by_slug(&slug).await?;
    // Every permalink pattern holds %postname% or %post_id%, so an old pattern's URL ends in
    // one of them: a number that is no slug is tried as an id (`/archives/123/`).
    let as_id = decoded
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| decoded.parse::<i64>().ok())
        .flatten();
    if let (None, Some(id)) = (&found, as_id) {
        found = state.store().article(ArticleId(id)).await?;
    }
    Ok(found.filter(|a| a.status == Status::Published))
}

/// WordPress's plain links, `/?p=123`, which migrated sites' old links and feeds still use.
pub(crate) async fn plain_link(state: &AppState, query: &str) -> Option<Response> {
    // WordPress's search address, `/?s=words`.
    if let Some((_, words)) =
        url::form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == "s")
    {
        let mut response =
            crate::kernel::redirect::permanent(&search::canonical_path(words.trim()));
        response.extensions_mut().insert(RouteLabel("search"));
        return Some(response);
    }
    let site = match load_site(state).await {
        Ok(site) => site,
        Err(error) => return Some(error_page(state, error).await),
    };
    let Some(id) = url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "p")
        .map(|(_, value)| value.into_owned())
    else {
        return match legacy::plain_link_target(state, &site, query).await? {
            legacy::PlainLink::Found(target) => Some(crate::kernel::redirect::permanent(&target)),
            legacy::PlainLink::Missing => Some(error_page(state, AppError::NotFound).await),
        };
    };
    let article = match id.trim().parse::<i64>() {
        Ok(id) => {
            let id = legacy::article_for_post(state, id).await;
            state.store().article(id).await
        }
        Err(_) => Ok(None),
    };
    Some(detour_response(state, article_redirect(&site, article)).await)
}

fn article_redirect(site: &Site, article: Result<Option<Article>, StoreError>) -> Detour {
    match article {
        Ok(Some(article)) if article.status == Status::Published => {
            Detour::Redirect(views::article_url(site, &article))
        }
        Ok(Some(article)) if article.status == Status::Trashed => AppError::Gone.into(),
        Ok(_) => AppError::NotFound.into(),
        Err(error) => error.into(),
    }
}

async fn find_page(state: &AppState, segments: &[String]) -> Result<Option<Page>, StoreError> {
    let slugs: Vec<Slug> = segments
        .iter()
        .filter_map(|s| Slug::parse(s).ok())
        .collect();
    if slugs.len() != segments.len() {
        return Ok(None);
    }
    // WordPress nests pages without limit; eight levels is more than any site uses.
    let page = match slugs.len() {
        1..=8 => state.store().page_at_path(&slugs).await?,
        _ => None,
    };
    Ok(page.filter(|p| p.status == Status::Published))
}

pub(super) fn decode(path: &str) -> String {
    percent_decode_str(path).decode_utf8_lossy().into_owned()
}

/// 405, saying which methods the path takes: only articles take a POST (their password form).
pub(crate) async fn method_not_allowed(state: &AppState, path: &str) -> Response {
    let mut response = error_page(state, AppError::MethodNotAllowed).await;
    let allow = match PublicRoute::parse(path) {
        Ok(PublicRoute::Content { .. }) => "GET, HEAD, POST",
        _ => "GET, HEAD",
    };
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    response
}
