//! Turning a request path into the kind of public page it asks for, before any lookup.
//!
//! Pure and fast, so every malformed path gets its clear 4xx here: a bad page number or
//! undecodable path is a 400, an absurdly long path a 414. Archive paths have exactly one
//! spelling: any other (no trailing slash, doubled slashes, `/page/1/`, another percent-
//! encoding) is redirected to it, so the page cache only ever holds canonical URLs. What any
//! other path names (an article? a page?) is decided later, by lookup, which checks its
//! spelling the same way.

mod sitemap;

pub use sitemap::SitemapName;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Longer paths are refused before any work: no real URL of ours comes near.
pub const MAX_PATH_BYTES: usize = 2048;

/// What a path segment keeps unencoded: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A public page request, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicRoute {
    Home {
        page: u32,
    },
    /// `/category/{parent}/{child}/`: the slugs from the top.
    Section {
        path: Vec<String>,
        page: u32,
    },
    Tag {
        slug: String,
        page: u32,
    },
    Author {
        slug: String,
        page: u32,
    },
    Date {
        year: i16,
        month: Option<i8>,
        day: Option<i8>,
        page: u32,
    },
    /// Anything else: an article permalink or a static page, decided by lookup.
    Content {
        path: String,
        segments: Vec<String>,
    },
    /// `/search/?q=…`.
    Search,
    /// `/sitemap.xml`, `/news-sitemap.xml` and the index's child sitemaps.
    Sitemap(SitemapName),
    /// `…/feed/`, `…/feed/atom/`, `…/feed/json/` after the home page, an archive, `/comments/`
    /// or an article.
    Feed {
        scope: FeedScope,
        format: FeedFormat,
    },
}

/// What a feed lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    /// The newest articles: `/feed/`.
    Site,
    /// The newest comments on every article: `/comments/feed/`.
    Comments,
    Section(Vec<String>),
    Tag(String),
    Author(String),
    /// One article's comments: the segments of the article's path (decided by lookup).
    Article(Vec<String>),
}

/// The three syndication formats, each served under its own path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    /// RSS 2.0, at `feed/`.
    Rss,
    /// Atom 1.0, at `feed/atom/`.
    Atom,
    /// JSON Feed 1.1, at `feed/json/`.
    Json,
}

impl FeedFormat {
    /// The path segments after `feed`.
    fn segments(self) -> &'static [&'static str] {
        match self {
            Self::Rss => &["feed"],
            Self::Atom => &["feed", "atom"],
            Self::Json => &["feed", "json"],
        }
    }

    /// The suffix a feed URL adds to its page's URL (which ends in `/`).
    pub fn path_suffix(self) -> &'static str {
        match self {
            Self::Rss => "feed/",
            Self::Atom => "feed/atom/",
            Self::Json => "feed/json/",
        }
    }
}

/// Why a path cannot be served as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// The canonical spelling of the path: answer with a 301.
    Redirect(String),
    BadPageNumber(String),
    NotUtf8,
    TooLong,
    /// A well-formed path that can name nothing (e.g. `/category/`).
    NotFound,
}

impl PublicRoute {
    pub fn parse(raw_path: &str) -> Result<Self, RouteError> {
        if raw_path.len() > MAX_PATH_BYTES {
            return Err(RouteError::TooLong);
        }
        let decoded = percent_decode_str(raw_path)
            .decode_utf8()
            .map_err(|_| RouteError::NotUtf8)?;
        if decoded.contains('\0') {
            return Err(RouteError::NotUtf8);
        }
        let mut segments: Vec<String> = decoded
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if let [file] = segments.as_slice()
            && let Some(name) = SitemapName::parse(file)
            && name.path() == raw_path
        {
            return Ok(Self::Sitemap(name));
        }
        if let Some(route) = feed_route(&mut segments, raw_path)? {
            return Ok(route);
        }
        let page = take_page_number(&mut segments)?;

        let route = match segments.first().map(String::as_str) {
            None => Self::Home { page },
            Some("search") if segments.len() == 1 && page == 1 => Self::Search,
            Some("category") => {
                let path = segments[1..].to_vec();
                if path.is_empty() {
                    return Err(RouteError::NotFound);
                }
                Self::Section { path, page }
            }
            Some("tag") => Self::Tag {
                slug: single(&segments)?,
                page,
            },
            Some("author") => Self::Author {
                slug: single(&segments)?,
                page,
            },
            Some(_) => match parse_date(&segments) {
                Some((year, month, day)) => Self::Date {
                    year,
                    month,
                    day,
                    page,
                },
                None if page > 1 => return Err(RouteError::NotFound),
                // Permalink patterns may end without a slash (`/%postname%.html`), so the
                // lookup, not the router, judges these paths' spelling.
                None => {
                    return Ok(Self::Content {
                        path: decoded.into_owned(),
                        segments,
                    });
                }
            },
        };
        let canonical = canonical_path(&segments, page);
        if canonical != raw_path {
            return Err(RouteError::Redirect(canonical));
        }
        Ok(route)
    }
}

/// `/a/b/` from decoded segments, percent-encoded the one way we write URLs, with
/// `page/{n}/` after them when `page` is past the first. Never starts with `//`.
pub fn canonical_path(segments: &[String], page: u32) -> String {
    let mut path = String::from("/");
    for segment in segments {
        path.extend(utf8_percent_encode(segment, SEGMENT));
        path.push('/');
    }
    if page > 1 {
        path.push_str(&format!("page/{page}/"));
    }
    path
}

/// A feed path's route: Ok(None) when the path does not end in a feed. WordPress's other
/// spellings of its RSS feed (`feed/rss2/`, `feed/rss/`, `feed/rdf/`) redirect to `feed/`.
fn feed_route(
    segments: &mut Vec<String>,
    raw_path: &str,
) -> Result<Option<PublicRoute>, RouteError> {
    let n = segments.len();
    let tail = |k: usize| segments[n.saturating_sub(k)..].iter().map(String::as_str);
    let format = if n >= 1 && tail(1).eq(["feed"]) {
        FeedFormat::Rss
    } else if n >= 2 && tail(2).eq(["feed", "atom"]) {
        FeedFormat::Atom
    } else if n >= 2 && tail(2).eq(["feed", "json"]) {
        FeedFormat::Json
    } else if n >= 2
        && segments[n - 2] == "feed"
        && ["rss2", "rss", "rdf"].contains(&segments[n - 1].as_str())
    {
        segments.pop();
        return Err(RouteError::Redirect(canonical_path(segments, 1)));
    } else {
        return Ok(None);
    };
    let all = segments.clone();
    segments.truncate(n - format.segments().len());
    let scope = match segments.first().map(String::as_str) {
        None => FeedScope::Site,
        Some("comments") if segments.len() == 1 => FeedScope::Comments,
        Some("category") if segments.len() > 1 => FeedScope::Section(segments[1..].to_vec()),
        Some("tag") => FeedScope::Tag(single(segments)?),
        Some("author") => FeedScope::Author(single(segments)?),
        Some("category" | "comments" | "page") => return Err(RouteError::NotFound),
        Some(_) if parse_date(segments).is_some() => return Err(RouteError::NotFound),
        Some(_) => FeedScope::Article(segments.clone()),
    };
    let canonical = canonical_path(&all, 1);
    if canonical != raw_path {
        return Err(RouteError::Redirect(canonical));
    }
    Ok(Some(PublicRoute::Feed { scope, format }))
}

/// Removes a trailing `page/{n}` and returns n (1 without one).
fn take_page_number(segments: &mut Vec<String>) -> Result<u32, RouteError> {
    let n = segments.len();
    if n < 2 || segments[n - 2] != "page" {
        return Ok(1);
    }
    let text = &segments[n - 1];
    let page = match text.parse::<u32>() {
        Ok(page) if page >= 1 => page,
        _ => return Err(RouteError::BadPageNumber(text.clone())),
    };
    segments.truncate(n - 2);
    Ok(page)
}

/// The one slug after `/tag/` or `/author/`.
fn single(segments: &[String]) -> Result<String, RouteError> {
    match segments {
        [_, slug] => Ok(slug.clone()),
        _ => Err(RouteError::NotFound),
    }
}

/// `/{yyyy}/`, `/{yyyy}/{mm}/`, `/{yyyy}/{mm}/{dd}/` with a real calendar date.
fn parse_date(segments: &[String]) -> Option<(i16, Option<i8>, Option<i8>)> {
    let number = |s: &String, digits: usize| -> Option<i64> {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = match segments {
        [y] => (number(y, 4)?, None, None),
        [y, m] => (number(y, 4)?, Some(number(m, 2)?), None),
        [y, m, d] => (number(y, 4)?, Some(number(m, 2)?), Some(number(d, 2)?)),
        _ => return None,
    };
    let year = i16::try_from(year).ok()?;
    let month = month.map(i8::try_from).transpose().ok()?;
    let day = day.map(i8::try_from).transpose().ok()?;
    jiff::civil::Date::new(year, month.unwrap_or(1), day.unwrap_or(1)).ok()?;
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str) -> Result<PublicRoute, RouteError> {
        PublicRoute::parse(path)
    }

    #[test]
    fn archives_and_pagination() {
        assert_eq!(parse("/"), Ok(PublicRoute::Home { page: 1 }));
        assert_eq!(parse("/page/3/"), Ok(PublicRoute::Home { page: 3 }));
        assert_eq!(
            parse("/category/world/europe/page/2/"),
            Ok(PublicRoute::Section {
                path: vec!["world".into(), "europe".into()],
                page: 2
            })
        );
        assert_eq!(
            parse("/tag/climate/"),
            Ok(PublicRoute::Tag {
                slug: "climate".into(),
                page: 1
            })
        );
        assert_eq!(
            parse("/2026/11/"),
            Ok(PublicRoute::Date {
                year: 2026,
                month: Some(11),
                day: None,
                page: 1
            })
        );
    }

    #[test]
    fn malformed_paths_get_clear_errors() {
        assert_eq!(
            parse("/page/0/"),
            Err(RouteError::BadPageNumber("0".into()))
        );
        assert_eq!(
            parse("/page/abc/"),
            Err(RouteError::BadPageNumber("abc".into()))
        );
        assert_eq!(parse("/tag/a/b/"), Err(RouteError::NotFound));
        assert_eq!(parse("/%FF%FE/"), Err(RouteError::NotUtf8));
        assert_eq!(
            parse(&format!("/{}/", "a".repeat(3000))),
            Err(RouteError::TooLong)
        );
    }

    #[test]
    fn archives_have_one_spelling() {
        let redirect = |to: &str| Err(RouteError::Redirect(to.into()));
        assert_eq!(parse("/tag/climate"), redirect("/tag/climate/"));
        assert_eq!(parse("//tag//climate/"), redirect("/tag/climate/"));
        assert_eq!(parse("/%74ag/climate/"), redirect("/tag/climate/"));
        assert_eq!(parse("/page/1/"), redirect("/"));
        assert_eq!(parse("/page/02/"), redirect("/page/2/"));
        assert_eq!(parse("/page/+2/"), redirect("/page/2/"));
        assert_eq!(
            parse("/tag/%c3%a9t%c3%a9/"),
            redirect("/tag/%C3%A9t%C3%A9/")
        );
        assert_eq!(parse("/2026/11"), redirect("/2026/11/"));
    }

    #[test]
    fn other_paths_are_left_to_the_lookup_and_never_redirect_off_site() {
        for path in ["//evil.example", "/about", "/favicon.ico", "/story.html"] {
            assert!(
                matches!(parse(path), Ok(PublicRoute::Content { .. })),
                "{path}"
            );
        }
    }

    #[test]
    fn impossible_dates_are_content_paths_not_archives() {
        assert!(matches!(
            parse("/2026/13/"),
            Ok(PublicRoute::Content { .. })
        ));
        assert!(matches!(
            parse("/2026/02/30/"),
            Ok(PublicRoute::Content { .. })
        ));
        assert!(matches!(
            parse("/2026/11/28/some-story/"),
            Ok(PublicRoute::Content { .. })
        ));
    }

    #[test]
    fn feeds_under_every_listing_and_article() {
        let feed = |scope, format| Ok(PublicRoute::Feed { scope, format });
        assert_eq!(parse("/feed/"), feed(FeedScope::Site, FeedFormat::Rss));
        assert_eq!(
            parse("/feed/atom/"),
            feed(FeedScope::Site, FeedFormat::Atom)
        );
        assert_eq!(
            parse("/feed/json/"),
            feed(FeedScope::Site, FeedFormat::Json)
        );
        assert_eq!(
            parse("/comments/feed/atom/"),
            feed(FeedScope::Comments, FeedFormat::Atom)
        );
        assert_eq!(
            parse("/category/world/europe/feed/"),
            feed(
                FeedScope::Section(vec!["world".into(), "europe".into()]),
                FeedFormat::Rss
            )
        );
        assert_eq!(
            parse("/tag/climate/feed/json/"),
            feed(FeedScope::Tag("climate".into()), FeedFormat::Json)
        );
        assert_eq!(
            parse("/author/ada/feed/"),
            feed(FeedScope::Author("ada".into()), FeedFormat::Rss)
        );
        assert_eq!(
            parse("/2026/11/28/a-story/feed/"),
            feed(
                FeedScope::Article(vec![
                    "2026".into(),
                    "11".into(),
                    "28".into(),
                    "a-story".into()
                ]),
                FeedFormat::Rss
            )
        );
    }

    #[test]
    fn feeds_have_one_spelling() {
        let redirect = |to: &str| Err(RouteError::Redirect(to.into()));
        assert_eq!(parse("/feed"), redirect("/feed/"));
        assert_eq!(parse("/feed/rss2/"), redirect("/feed/"));
        assert_eq!(parse("/tag/x/feed/rdf/"), redirect("/tag/x/feed/"));
        assert_eq!(parse("/tag/x/feed/atom"), redirect("/tag/x/feed/atom/"));
        assert_eq!(parse("/category/feed/"), Err(RouteError::NotFound));
        assert_eq!(parse("/2026/11/feed/"), Err(RouteError::NotFound));
        assert_eq!(parse("/tag/a/b/feed/"), Err(RouteError::NotFound));
    }

    #[test]
    fn encoded_slugs_are_decoded() {
        assert_eq!(
            parse("/tag/%C3%A9t%C3%A9/"),
            Ok(PublicRoute::Tag {
                slug: "été".into(),
                page: 1
            })
        );
    }
}
