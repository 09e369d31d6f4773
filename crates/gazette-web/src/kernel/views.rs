//! View models: what templates receive. Everything a template shows is computed here, in the
//! publication's language and time zone, so templates stay simple to override.

use gazette_core::{Article, Genre, Media, SafeHtml};
use jiff::Timestamp;
use jiff::civil::DateTime;
use minijinja::Value;
use serde::Serialize;

mod featured;
mod masthead;
mod permalinks;

use featured::{card_image, image};
pub use masthead::site_context;
pub use permalinks::{address_url, article_url, article_url_under};

use crate::kernel::origin::Links;
use crate::kernel::site::Site;

#[derive(Debug, Serialize)]
pub struct Link {
    pub url: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct NavItem {
    pub url: String,
    pub name: String,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// The library's sizes, when the image comes from the library and has variants.
    pub srcset: Option<String>,
    pub width: u32,
    pub height: u32,
}

/// An article in a listing.
#[derive(Debug, Serialize)]
pub struct Card {
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub kicker: Option<Link>,
    pub genre: Option<String>,
    pub byline: String,
    pub published_iso: String,
    pub published_text: String,
    pub image: Option<ImageView>,
    /// "3 comments", when there are any.
    pub comments: Option<String>,
    /// On search results: the matching passage, as HTML with `<mark>`ed words.
    pub snippet_html: Option<String>,
    /// On search results: the headline, as HTML with `<mark>`ed words.
    pub headline_html: Option<String>,
}

/// `<head>` and page-level facts.
#[derive(Debug, Default, Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub noindex: bool,
    pub is_home: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The nav entry to mark as current (a top-level section's URL).
    #[serde(skip)]
    pub current_nav: Option<String>,
    /// `<link rel="alternate">` feed discovery.
    pub feeds: Vec<FeedLink>,
    /// OpenGraph and Twitter card tags.
    pub social: Vec<crate::kernel::structured::SocialTag>,
    /// schema.org JSON-LD, already safe inside its `<script>` element.
    pub structured_data: Option<String>,
}

impl Meta {
    /// Sets the sharing tags of a page that is not an article, titled `title` for sharing.
    pub(crate) fn share(&mut self, site: &Site, links: &Links, title: &str) {
        let shared = crate::kernel::structured::Shared {
            title,
            description: &self.description,
            url: &self.canonical,
            image: None,
            social_image: None,
            article: None,
        };
        self.social = crate::kernel::structured::social_tags(site, links, &shared);
    }
}

/// A feed a page announces to feed readers.
#[derive(Debug, Serialize)]
pub struct FeedLink {
    pub href: String,
    pub title: String,
    pub mime: &'static str,
}

/// The journal's feeds in every format and its comments feed, after the feed of the page's
/// own listing (`(path, title)`) when it has one.
pub fn feed_links(site: &Site, own: Option<(&str, &str)>) -> Vec<FeedLink> {
    let name = &site.publication.name;
    let mut links = Vec::new();
    if let Some((path, title)) = own {
        links.push(FeedLink {
            href: format!("{path}feed/"),
            title: site
                .catalogue
                .text("feed.rss", &[("name", &self::title(site, &[title]))]),
            mime: "application/rss+xml",
        });
    }
    for (suffix, key, mime) in [
        ("feed/", "feed.rss", "application/rss+xml"),
        ("feed/atom/", "feed.atom", "application/atom+xml"),
        ("feed/json/", "feed.json", "application/feed+json"),
    ] {
        links.push(FeedLink {
            href: format!("/{suffix}"),
            title: site.catalogue.text(key, &[("name", name)]),
            mime,
        });
    }
    let comments = site.catalogue.text("feed.comments", &[("name", name)]);
    links.push(FeedLink {
        href: "/comments/feed/".to_owned(),
        title: site.catalogue.text("feed.rss", &[("name", &comments)]),
        mime: "application/rss+xml",
    });
    links
}

/// An article's feed links: the journal's, then the article's comments feed (only when it can
/// be read without a password, as the feed itself).
pub fn article_feed_links(site: &Site, article: &Article, url: &str) -> Vec<FeedLink> {
    let mut links = feed_links(site, None);
    if article.password.is_none() {
        let path = if url.ends_with('/') {
            url.to_owned()
        } else {
            format!("{url}/")
        };
        let heading = site
            .catalogue
            .text("feed.article_comments", &[("headline", &article.headline)]);
        links.push(FeedLink {
            href: format!("{path}feed/"),
            title: site.catalogue.text("feed.rss", &[("name", &heading)]),
            mime: "application/rss+xml",
        });
    }
    links
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    pub pages: u64,
    pub position: String,
    pub newer: Option<String>,
    pub older: Option<String>,
}

/// A moment as the journal's readers see it: in the publication's time zone.
pub fn local(site: &Site, at: Timestamp) -> DateTime {
    at.to_zoned(site.publication.time_zone.zone()).datetime()
}

/// `2026-12-06T09:30:00+01:00` in the publication's time zone. Written out by hand rather
/// than through `strftime`, which parses its format on every call: each comment shows one.
pub(crate) fn iso(site: &Site, at: Timestamp) -> String {
    iso_of(&at.to_zoned(site.publication.time_zone.zone()))
}

fn iso_of(zoned: &jiff::Zoned) -> String {
    use gazette_core::digits::{push_date_time, push_padded};
    let mut out = String::with_capacity(25);
    push_date_time(&mut out, zoned.datetime());
    let offset = zoned.offset().seconds();
    out.push(if offset < 0 { '-' } else { '+' });
    let minutes = i64::from(offset.unsigned_abs() / 60);
    push_padded(&mut out, minutes / 60, 2);
    out.push(':');
    push_padded(&mut out, minutes % 60, 2);
    out
}

pub(super) fn long_date(site: &Site, at: Timestamp) -> String {
    site.catalogue.long_date(local(site, at).date())
}

pub(crate) fn date_and_time(site: &Site, at: Timestamp) -> String {
    let local = local(site, at);
    site.catalogue.text(
        "date.at_time",
        &[
            ("date", &site.catalogue.long_date(local.date())),
            (
                "time",
                &format!("{:02}:{:02}", local.hour(), local.minute()),
            ),
        ],
    )
}

/// "A", "A and B", "A, B and C" in the publication's language.
pub fn join_names(site: &Site, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{} {} {last}",
            init.join(", "),
            site.catalogue.text("list_and", &[])
        ),
    }
}

fn genre_label(site: &Site, genre: Genre) -> Option<String> {
    (genre != Genre::News).then(|| {
        site.catalogue
            .text(&format!("genre.{}", genre.as_str()), &[])
    })
}

fn kicker(site: &Site, article: &Article) -> Option<Link> {
    let id = article.primary_section?;
    let section = site.section(id)?;
    Some(Link {
        url: site.section_url(id),
        name: section.name.clone(),
    })
}

fn author_names(site: &Site, article: &Article) -> Vec<String> {
    article
        .authors
        .iter()
        .filter_map(|id| site.author(*id))
        .map(|a| a.name.clone())
        .collect()
}

pub fn card(site: &Site, article: &Article) -> Card {
    let names = author_names(site, article);
    let published = article.published_at.unwrap_or(article.created_at);
    Card {
        url: article_url(site, article),
        headline: article.headline.clone(),
        standfirst: article.standfirst.clone(),
        kicker: kicker(site, article),
        genre: genre_label(site, article.genre),
        byline: if names.is_empty() {
            String::new()
        } else {
            site.catalogue
                .text("article.byline", &[("names", &join_names(site, &names))])
        },
        published_iso: iso(site, published),
        published_text: long_date(site, published),
        image: image(article, None),
        comments: None,
        snippet_html: None,
        headline_html: None,
    }
}

/// Cards for `articles`, each with its count of approved comments.
pub async fn cards<'a>(
    store: &gazette_store::Store,
    site: &Site,
    articles: impl IntoIterator<Item = &'a Article>,
) -> Result<Vec<Card>, gazette_store::StoreError> {
    let articles: Vec<&Article> = articles.into_iter().collect();
    let media_ids: Vec<_> = articles
        .iter()
        .filter_map(|a| a.featured_image.as_ref().and_then(|i| i.media))
        .collect();
    let media = store.media_by_ids(&media_ids).await?;
    Ok(articles
        .into_iter()
        .map(|a| {
            let mut card = card(site, a);
            let featured = a.featured_image.as_ref().and_then(|i| i.media);
            card.image = card_image(a, media.iter().find(|m| Some(m.id) == featured));
            card.comments = (a.approved_comments > 0).then(|| {
                site.catalogue
                    .plural("comments.count", a.approved_comments, &[])
            });
            card
        })
        .collect())
}

/// Whether the reader sees the body or the password form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Open,
    Locked { wrong_password: bool },
}

/// Everything the article template shows.
/// `media` is the featured image's library item; `inline`, the library items the body shows.
pub fn article(
    site: &Site,
    article: &Article,
    media: Option<&Media>,
    inline: &super::inline_images::Library,
    access: Access,
) -> Value {
    let published = article.published_at.unwrap_or(article.created_at);
    let authors: Vec<_> = article
        .authors
        .iter()
        .filter_map(|id| site.author(*id))
        .map(|a| {
            minijinja::context! {
                name => a.name, url => a.archive_path(), bio => a.bio,
            }
        })
        .collect();
    // Names of authors readers cannot look up (deactivated accounts) are not links.
    let byline_links: Vec<String> = article
        .authors
        .iter()
        .filter_map(|id| site.author(*id))
        .map(|a| match a.archive_path() {
            Some(path) => format!(
                "<a href=\"{}\" rel=\"author\">{}</a>",
                SafeHtml::from_text(&path),
                SafeHtml::from_text(&a.name)
            ),
            None => SafeHtml::from_text(&a.name).into_string(),
        })
        .collect();
    // The byline template ("By {names}") is text; escape it, then insert the linked names.
    let byline = if byline_links.is_empty() {
        Value::from("")
    } else {
        let template = SafeHtml::from_text(&site.catalogue.text("article.byline", &[]));
        Value::from_safe_string(
            template
                .as_str()
                .replace("{names}", &join_names(site, &byline_links)),
        )
    };
    let sections: Vec<Link> = article
        .sections()
        .filter_map(|id| {
            site.section(id).map(|s| Link {
                url: site.section_url(id),
                name: s.name.clone(),
            })
        })
        .collect();
    let tags: Vec<Link> = article
        .tags
        .iter()
        .filter_map(|id| site.tag(*id))
        .map(|t| Link {
            url: format!("/tag/{}/", t.slug),
            name: t.name.clone(),
        })
        .collect();
    let updated_text = article
        .significantly_updated_at
        .filter(|at| *at > published)
        .map(|at| {
            site.catalogue
                .text("article.updated", &[("date", &date_and_time(site, at))])
        });
    let (locked, wrong_password) = match access {
        Access::Open => (false, false),
        Access::Locked { wrong_password } => (true, wrong_password),
    };
    minijinja::context! {
        url => article_url(site, article),
        headline => article.headline,
        standfirst => article.standfirst,
        kicker => kicker(site, article),
        genre => genre_label(site, article.genre),
        byline,
        authors,
        published_iso => iso(site, published),
        published_text => date_and_time(site, published),
        updated_text,
        image => image(article, media),
        body => if locked { Value::from("") } else { Value::from_safe_string(inline.sized(article.body_html.as_str())) },
        // Like the body, a correction stays behind the password.
        corrections => if locked { "" } else { article.corrections.as_str() },
        sections,
        tags,
        locked,
        wrong_password,
    }
}

/// Page links for a listing at `base` (`/category/world/`), page `page` of `total` items.
pub fn pagination(site: &Site, base: &str, page: u32, total: u64, per_page: u64) -> Pagination {
    let pages = total.div_ceil(per_page).max(1);
    let page_url = |n: u64| {
        if n == 1 {
            base.to_owned()
        } else {
            format!("{base}page/{n}/")
        }
    };
    let page = u64::from(page);
    Pagination {
        pages,
        position: site.catalogue.text(
            "pagination.position",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        newer: (page > 1).then(|| page_url(page - 1)),
        older: (page < pages).then(|| page_url(page + 1)),
    }
}

/// A page's `<title>`: its own parts, then the journal's name.
pub(crate) fn title(site: &Site, parts: &[&str]) -> String {
    let mut all: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    all.push(&site.publication.name);
    all.join(" – ")
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    #[test]
    fn iso_dates_read_as_strftime_writes_them() {
        let zones = [
            "UTC",
            "Europe/Paris",
            "America/St_Johns",
            "Asia/Kolkata",
            "Pacific/Chatham",
        ];
        let times = [
            "2026-12-06T07:05:09Z",
            "2026-07-01T23:59:59Z",
            "1999-03-28T01:30:00Z",
        ];
        for zone in zones {
            let zone = TimeZone::get(zone).expect("the zone is in the database");
            for time in times {
                let at: jiff::Timestamp = time.parse().expect("a valid timestamp");
                let zoned = at.to_zoned(zone.clone());
                let expected = zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
                assert_eq!(super::iso_of(&zoned), expected);
            }
        }
    }
}
