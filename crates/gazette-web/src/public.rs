//! The public journal's pages: home, archives, articles, static pages, password-protected
//! articles, search and previews. `fallback` brings requests here through the page cache,
//! unless they are personal (a signed-in editor, an unlocked article, the reader's own held
//! comments), carry a query string, or the cache is off.

pub(crate) mod crawlers;
pub(crate) mod legacy;
pub(crate) mod preview;
pub mod search;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use gazette_core::{Article, ArticleId, Page, Slug, Status};
use gazette_store::{ArticleFilter, StoreError};
use jiff::Timestamp;
use minijinja::Value;
use percent_encoding::percent_decode_str;

use crate::cache::RenderedPage;
use crate::kernel::cookies::cookie;
use crate::kernel::lookup::find_article;
use crate::kernel::origin::{Links, Origin};
use crate::kernel::pages::{
    Detour, PER_PAGE, detour_response, error_page, load_site, page_html, title, uncached_html,
};
use crate::kernel::route::{self, PublicRoute};
use crate::kernel::site::Site;
use crate::kernel::structured::{self, Shared};
use crate::kernel::unlocks::{Unlocks, unlock_cookie};
use crate::kernel::views::{self, Access, Meta};
use crate::metrics::RouteLabel;
use crate::{AppError, AppState};
use gazette_core::signing::same_secret;

/// A password form is small; anything bigger is refused before it is read.
const MAX_FORM_BYTES: usize = 4096;

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
    let html = match route {
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
            let (html, closes_at) = content(state, site, raw_path, segments, reader, now).await?;
            stale_at = earliest(stale_at, closes_at.filter(|at| *at > now));
            html
        }
    };
    Ok(RenderedPage::html(html, stale_at))
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

fn top_section(site: &Site, mut id: gazette_core::SectionId) -> gazette_core::SectionId {
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

async fn home(
    state: &AppState,
    site: &Site,
    links: &Links,
    page: u32,
    now: Timestamp,
) -> Result<String, Detour> {
    let offset = u64::from(page - 1) * PER_PAGE;
    let listing = state
        .store()
        .published_articles(&ArticleFilter::All, offset, PER_PAGE)
        .await?;
    if page > 1 && listing.articles.is_empty() {
        return Err(AppError::NotFound.into());
    }
    let mut articles = listing.articles;
    // The first page opens with what editors chose: a lead story and fixed slots. What they
    // did not choose (or what is no longer published) falls back to the latest articles.
    let (chosen_lead, slots) = if page == 1 {
        curated(state, site).await?
    } else {
        (None, Vec::new())
    };
    articles.retain(|a| {
        chosen_lead.as_ref().is_none_or(|l| l.id != a.id) && !slots.iter().any(|s| s.id == a.id)
    });
    // Without a chosen lead: the newest sticky article on the first page, else the newest.
    let lead = match chosen_lead {
        Some(lead) => Some(lead),
        None if page == 1 && !articles.is_empty() => {
            let at = articles.iter().position(|a| a.sticky).unwrap_or(0);
            Some(articles.remove(at))
        }
        None => None,
    };
    let articles: Vec<Article> = slots.into_iter().chain(articles).collect();
    let base = "/";
    let pagination = views::pagination(site, base, page, listing.total, PER_PAGE);
    let path = if page > 1 {
        format!("/page/{page}/")
    } else {
        "/".to_owned()
    };
    let mut meta = Meta {
        title: if page > 1 {
            title(
                site,
                &[&site.catalogue.text(
                    "pagination.position",
                    &[
                        ("page", &page.to_string()),
                        ("pages", &pagination.pages.to_string()),
                    ],
                )],
            )
        } else {
            title(site, &[&site.publication.tagline])
        },
        description: site.publication.description.clone(),
        canonical: links.canonical(&path),
        is_home: true,
        prev: pagination.newer.clone(),
        next: pagination.older.clone(),
        feeds: views::feed_links(site, None),
        structured_data: Some(structured::home_json_ld(site, links)),
        ..Meta::default()
    };
    meta.share(site, links, &site.publication.name);
    let mut cards = views::cards(state.store(), site, lead.iter().chain(&articles)).await?;
    let lead = lead.is_some().then(|| cards.remove(0));
    let extra = minijinja::context! {
        lead,
        cards,
        pagination,
    };
    Ok(page_html(state, site, "home.html", &meta, now, extra)?)
}

/// The home layout's lead and slots that are published now, in the editors' order.
async fn curated(
    state: &AppState,
    site: &Site,
) -> Result<(Option<Article>, Vec<Article>), StoreError> {
    let layout = &site.home_layout;
    let mut published = Vec::new();
    for id in layout.chosen() {
        if let Some(article) = state.store().article(id).await?
            && article.status == Status::Published
        {
            published.push(article);
        }
    }
    let lead = match layout.lead {
        Some(id) if published.first().is_some_and(|a| a.id == id) => Some(published.remove(0)),
        _ => None,
    };
    Ok((lead, published))
}

/// An archive to list.
struct Listing {
    filter: ArticleFilter,
    /// The archive's first page, with a trailing slash.
    base: String,
    title: String,
    description: String,
    parent: Option<views::Link>,
    children: Vec<views::Link>,
    /// The navigation entry to mark current.
    nav: Option<String>,
    /// A date archive with nothing in it does not exist (as in WordPress); an empty section
    /// or tag still does.
    missing_when_empty: bool,
    /// An author's photo and links, on their archive.
    profile: Option<gazette_core::profile::AuthorProfile>,
    /// Sections, tags and authors have feeds; date archives do not.
    has_feed: bool,
}

impl Listing {
    fn simple(filter: ArticleFilter, base: String, title: String, description: String) -> Self {
        Self {
            filter,
            base,
            title,
            description,
            parent: None,
            children: Vec::new(),
            nav: None,
            missing_when_empty: false,
            profile: None,
            has_feed: true,
        }
    }
}

async fn archive(
    state: &AppState,
    site: &Site,
    links: &Links,
    listing: Listing,
    page: u32,
    now: Timestamp,
) -> Result<String, Detour> {
    let offset = u64::from(page - 1) * PER_PAGE;
    let found = state
        .store()
        .published_articles(&listing.filter, offset, PER_PAGE)
        .await?;
    let nothing_here = found.total == 0 && listing.missing_when_empty;
    if nothing_here || (page > 1 && found.articles.is_empty()) {
        return Err(AppError::NotFound.into());
    }
    let pagination = views::pagination(site, &listing.base, page, found.total, PER_PAGE);
    let path = if page > 1 {
        format!("{}page/{page}/", listing.base)
    } else {
        listing.base.clone()
    };
    let position = if page > 1 {
        pagination.position.clone()
    } else {
        String::new()
    };
    let mut meta = Meta {
        title: title(site, &[&listing.title, &position]),
        description: if listing.description.is_empty() {
            listing.title.clone()
        } else {
            listing.description.clone()
        },
        canonical: links.canonical(&path),
        prev: pagination.newer.clone(),
        next: pagination.older.clone(),
        current_nav: listing.nav.clone(),
        feeds: views::feed_links(
            site,
            listing
                .has_feed
                .then_some((listing.base.as_str(), listing.title.as_str())),
        ),
        ..Meta::default()
    };
    meta.share(site, links, &listing.title);
    let cards = views::cards(state.store(), site, &found.articles).await?;
    let extra = minijinja::context! {
        archive => minijinja::context! {
            title => listing.title,
            description => listing.description,
            parent => listing.parent,
            children => listing.children,
            count => site.catalogue.plural("archive.count", found.total, &[]),
            photo => listing.profile.as_ref().and_then(|p| p.photo.clone()),
            links => listing.profile.map(|p| p.links).unwrap_or_default(),
        },
        cards,
        pagination,
    };
    Ok(page_html(state, site, "archive.html", &meta, now, extra)?)
}

/// `/{yyyy}/`, `/{yyyy}/{mm}/` or `/{yyyy}/{mm}/{dd}/` in the publication's time zone.
fn date_listing(
    site: &Site,
    year: i16,
    month: Option<i8>,
    day: Option<i8>,
) -> Result<Listing, AppError> {
    use jiff::ToSpan as _;
    let start = jiff::civil::Date::new(year, month.unwrap_or(1), day.unwrap_or(1))
        .map_err(|_| AppError::NotFound)?;
    let (end, title, base) = match (month, day) {
        (Some(m), Some(d)) => (
            start.checked_add(1.day()),
            site.catalogue.long_date(start),
            format!("/{year:04}/{m:02}/{d:02}/"),
        ),
        (Some(m), None) => (
            start.checked_add(1.month()),
            site.catalogue.month_year(start),
            format!("/{year:04}/{m:02}/"),
        ),
        _ => (
            start.checked_add(1.year()),
            year.to_string(),
            format!("/{year:04}/"),
        ),
    };
    let zone = site.publication.time_zone.zone();
    let at = |date: jiff::civil::Date| {
        date.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| AppError::NotFound)
    };
    let end = end.map_err(|_| AppError::NotFound)?;
    let mut listing = Listing::simple(
        ArticleFilter::PublishedBetween {
            from: at(start)?,
            until: at(end)?,
        },
        base,
        site.catalogue.text("archive.date", &[("date", &title)]),
        String::new(),
    );
    listing.missing_when_empty = true;
    listing.has_feed = false;
    Ok(listing)
}

/// An article permalink (or one of its comment pages) or a static page, and when comments
/// on the article close by age.
async fn content(
    state: &AppState,
    site: &Site,
    raw_path: &str,
    segments: &[String],
    reader: &Reader,
    now: Timestamp,
) -> Result<(String, Option<Timestamp>), Detour> {
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
                let html = article_page(state, site, &article, page, now).await?;
                return Ok((html, closes_at));
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
    Ok((
        static_page(state, site, &links, &page, &canonical, now)?,
        None,
    ))
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

fn decode(path: &str) -> String {
    percent_decode_str(path).decode_utf8_lossy().into_owned()
}

/// An article as it will look, whatever its status: for staff and share links. Never indexed.
async fn preview_page(
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
struct ArticlePage<'a> {
    access: Access,
    comment_page: u32,
    reader: &'a Reader,
}

async fn article_page(
    state: &AppState,
    site: &Site,
    article: &Article,
    page: ArticlePage<'_>,
    now: Timestamp,
) -> Result<String, Detour> {
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
    let related = search::related(state, site, article).await?;
    let extra = Extra {
        comments,
        related: Value::from_serialize(&related),
    };
    let showing = Showing {
        access: page.access,
        preview: false,
        links: page.reader.origin.links(),
    };
    Ok(article_html(state, site, article, showing, now, extra).await?)
}

/// What the article template shows below the article: comments and related articles.
struct Extra {
    comments: Value,
    related: Value,
}

impl Extra {
    /// Previews and the wrong-password page show neither.
    const NONE: Self = Self {
        comments: Value::UNDEFINED,
        related: Value::UNDEFINED,
    };
}

/// How an article is shown: to whom, where, and with which addresses.
struct Showing {
    access: Access,
    /// Staff or a share link are looking at it: never indexed.
    preview: bool,
    links: Links,
}

async fn article_html(
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
    let shared = Shared {
        title: seo_title,
        description: &description,
        url: &canonical,
        image: article.featured_image.as_ref().map(|i| i.src.as_str()),
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
    let media = match article.featured_image.as_ref().and_then(|i| i.media) {
        Some(id) => state.store().media(id).await?,
        None => None,
    };
    let inline =
        crate::kernel::inline_images::Library::of(state.store(), article.body_html.as_str())
            .await?;
    let extra = minijinja::context! {
        article => views::article(site, article, media.as_ref(), &inline, access),
        comments => below.comments,
        related => below.related,
    };
    page_html(state, site, "article.html", &meta, now, extra)
}

/// A static page at `path` (`/about/` or `/about/team/`).
fn static_page(
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

/// What makes a request's page personal: unlocked articles, the reader's own held comments,
/// and the comment they are answering without the page's script (`?replytocom=`).
pub(crate) struct Reader {
    /// Where absolute links point.
    pub(crate) origin: Origin,
    unlocks: Unlocks,
    held: Vec<gazette_core::CommentId>,
    reply_to: Option<gazette_core::CommentId>,
}

/// WordPress's reply link without JavaScript: `?replytocom=ID`.
fn reply_to(query: &str) -> Option<gazette_core::CommentId> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "replytocom")
        .and_then(|(_, value)| value.parse().ok())
        .map(gazette_core::CommentId)
}

/// The server secret from the site snapshot, or nothing before the first run.
impl Reader {
    /// What this request carries that makes its page personal, with its links' origin.
    pub(crate) async fn of(
        state: &AppState,
        headers: &HeaderMap,
        origin: Origin,
        query: Option<&str>,
    ) -> Self {
        Self {
            origin,
            unlocks: Unlocks::from_headers(headers),
            held: match cookie(headers, crate::kernel::cookies::HELD_COOKIE) {
                Some(_) => crate::kernel::discussion::held_ids(headers, &state_secret(state).await),
                None => Vec::new(),
            },
            reply_to: query.and_then(reply_to),
        }
    }
}

async fn state_secret(state: &AppState) -> String {
    state
        .site()
        .await
        .map(|site| site.server_secret.clone())
        .unwrap_or_default()
}

/// `POST` to an article's URL with its password: sets the unlock cookie and goes back to
/// the article, or shows the form again with an error.
pub(crate) async fn unlock(state: &AppState, request: Request) -> Response {
    let https = crate::kernel::client::Client::of(&request, state.trusted_proxies()).https;
    let links = Origin::of(state, request.headers(), https).await.links();
    let path = request.uri().path().to_owned();
    let Ok(PublicRoute::Content { path: decoded, .. }) = PublicRoute::parse(&path) else {
        return method_not_allowed(state, &path).await;
    };
    let body = match axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            let message = "The form was too large.".to_owned();
            let mut response = error_page(state, AppError::BadRequest(message)).await;
            // The rest of the body was never read, so this connection cannot carry another
            // request: tell the client instead of letting it find out.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
    };
    let password = form_field(&body, "password").unwrap_or_default();
    let site = match load_site(state).await {
        Ok(site) => site,
        Err(error) => return error_page(state, error).await,
    };
    let article = match find_article(state, &site, &path).await {
        Ok(Some(article)) if article.status == Status::Published => article,
        Ok(_) => return error_page(state, AppError::MethodNotAllowed).await,
        Err(error) => return error_page(state, error.into()).await,
    };
    let url = views::article_url(&site, &article);
    if decode(&url) != decoded {
        return error_page(state, AppError::NotFound).await;
    }
    match &article.password {
        Some(expected) if same_secret(expected, &password) => {
            let cookie = unlock_cookie(&site, article.id, expected, https);
            let mut response = crate::kernel::redirect::see_other(&url);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Some(_) => {
            let now = state.store().clock().now();
            let access = Access::Locked {
                wrong_password: true,
            };
            let showing = Showing {
                access,
                preview: false,
                links,
            };
            match article_html(state, &site, &article, showing, now, Extra::NONE).await {
                Ok(html) => uncached_html(StatusCode::FORBIDDEN, html, true),
                Err(error) => error_page(state, error).await,
            }
        }
        None => crate::kernel::redirect::see_other(&url),
    }
}

/// One field of an `application/x-www-form-urlencoded` body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
