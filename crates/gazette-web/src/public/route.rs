//! Turning a request path into the kind of public page it asks for, before any lookup.
//!
//! Pure and fast, so every malformed path gets its clear 4xx here: a missing trailing slash
//! is a redirect (as in WordPress), a bad page number or undecodable path a 400, an absurdly
//! long path a 414. What a path names (an article? a page?) is decided later, in the store.

use percent_encoding::percent_decode_str;

/// Longer paths are refused before any work: no real URL of ours comes near.
pub const MAX_PATH_BYTES: usize = 2048;

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
}

/// Why a path cannot be served as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// The canonical form of the path (with its trailing slash): answer with a 301.
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
        if !raw_path.ends_with('/') {
            return Err(RouteError::Redirect(format!("{raw_path}/")));
        }
        let mut segments: Vec<String> = decoded
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let page = take_page_number(&mut segments)?;

        let route = match segments.first().map(String::as_str) {
            None => Self::Home { page },
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
                None => Self::Content {
                    path: decoded.into_owned(),
                    segments,
                },
            },
        };
        Ok(route)
    }
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
        assert_eq!(parse("/about"), Err(RouteError::Redirect("/about/".into())));
        assert_eq!(parse("/%FF%FE/"), Err(RouteError::NotUtf8));
        assert_eq!(
            parse(&format!("/{}/", "a".repeat(3000))),
            Err(RouteError::TooLong)
        );
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
