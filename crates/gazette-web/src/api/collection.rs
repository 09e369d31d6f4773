//! Collection parameters (`page`, `per_page`, `offset`, `order`, …) checked as WordPress
//! checks them, and the headers a collection answers with.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue};

use super::ApiError;

/// The parameters of a request, by name (the last value of a repeated one wins, as in PHP;
/// PHP's lists, `tags[]=1&tags[]=2`, are read as `tags=1,2`).
#[derive(Debug, Default)]
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    pub(crate) fn of(query: Option<&str>) -> Self {
        let mut params: HashMap<String, String> = HashMap::new();
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match key.strip_suffix("[]") {
                Some(list) => {
                    let joined = params.entry(list.to_owned()).or_default();
                    if !joined.is_empty() {
                        joined.push(',');
                    }
                    joined.push_str(&value);
                }
                None => {
                    params.insert(key.into_owned(), value.into_owned());
                }
            }
        }
        Self(params)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Every parameter, by name, borrowed.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Every parameter, by name.
    pub(crate) fn into_pairs(self) -> impl Iterator<Item = (String, String)> {
        self.0.into_iter()
    }
}

/// Which slice of a collection a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    pub page: u64,
    pub per_page: u64,
    /// Items skipped before the page, when `offset` is given.
    pub offset: Option<u64>,
}

impl Paging {
    /// Reads `page`, `per_page` (1 to 100, default 10) and `offset`.
    pub(crate) fn of(params: &Params, problems: &mut Vec<(String, String)>) -> Self {
        let mut number = |name: &str, default: u64, min: u64, max: u64| -> u64 {
            match params.get(name) {
                None => default,
                Some(text) => match text.trim().parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => n,
                    _ => {
                        let why = if max == u64::MAX {
                            format!("{name} must be an integer of at least {min}.")
                        } else {
                            format!(
                                "{name} must be between {min} (inclusive) and {max} (inclusive)"
                            )
                        };
                        problems.push((name.to_owned(), why));
                        default
                    }
                },
            }
        };
        let page = number("page", 1, 1, u64::MAX);
        let per_page = number("per_page", 10, 1, 100);
        let offset = params
            .get("offset")
            .map(|_| number("offset", 0, 0, u64::MAX));
        Self {
            page,
            per_page,
            offset,
        }
    }

    /// This page's items out of `items`, the whole collection in order.
    pub(crate) fn page<I: IntoIterator>(self, items: I) -> impl Iterator<Item = I::Item> {
        items
            .into_iter()
            .skip(usize::try_from(self.skip()).unwrap_or(usize::MAX))
            .take(usize::try_from(self.per_page).unwrap_or(usize::MAX))
    }

    /// How many items come before this page.
    pub(crate) fn skip(self) -> u64 {
        // `page` may be any number a client sends: saturate rather than overflow.
        self.offset
            .unwrap_or(0)
            .saturating_add(self.page.saturating_sub(1).saturating_mul(self.per_page))
    }

    /// `X-WP-Total`, `X-WP-TotalPages` and `Link` (prev, next) for a collection of `total`
    /// items at `url` (the request's address without `page`). A page past the last is
    /// WordPress's `rest_post_invalid_page_number`.
    pub(crate) fn headers(
        self,
        total: u64,
        url: &str,
        params: &Params,
    ) -> Result<HeaderMap, ApiError> {
        let pages = total.div_ceil(self.per_page);
        if self.page > pages.max(1) {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "rest_post_invalid_page_number",
                "The page number requested is larger than the number of pages available.",
            ));
        }
        let mut headers = HeaderMap::new();
        headers.insert("x-wp-total", HeaderValue::from(total));
        headers.insert("x-wp-totalpages", HeaderValue::from(pages));
        let link = |page: u64, rel: &str| {
            let mut query: Vec<(String, String)> = params
                .0
                .iter()
                .filter(|(k, _)| k.as_str() != "page")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            query.sort();
            query.push(("page".to_owned(), page.to_string()));
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(query)
                .finish();
            format!("<{url}?{encoded}>; rel=\"{rel}\"")
        };
        let mut links = Vec::new();
        if self.page > 1 {
            links.push(link(self.page - 1, "prev"));
        }
        if self.page < pages {
            links.push(link(self.page + 1, "next"));
        }
        if !links.is_empty()
            && let Ok(value) = HeaderValue::from_str(&links.join(", "))
        {
            headers.insert("link", value);
        }
        Ok(headers)
    }
}

/// `order`: whether the collection is sorted ascending (WordPress's default is `desc`).
pub(crate) fn ascending(params: &Params, problems: &mut Vec<(String, String)>) -> bool {
    match params.get("order") {
        None | Some("desc") => false,
        Some("asc") => true,
        Some(_) => {
            problems.push((
                "order".to_owned(),
                "order is not one of asc and desc.".to_owned(),
            ));
            false
        }
    }
}

/// A list of ids (`categories=3,4` or repeated), or the problem with it.
pub(crate) fn ids(params: &Params, name: &str, problems: &mut Vec<(String, String)>) -> Vec<i64> {
    let Some(text) = params.get(name) else {
        return Vec::new();
    };
    let parsed: Result<Vec<i64>, _> = text
        .split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| part.trim().parse::<i64>())
        .collect();
    match parsed {
        Ok(ids) => ids,
        Err(_) => {
            problems.push((
                name.to_owned(),
                format!("{name}[0] is not of type integer."),
            ));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_checked_as_wordpress_checks_it() {
        let mut problems = Vec::new();
        let paging = Paging::of(&Params::of(Some("page=2&per_page=5")), &mut problems);
        assert!(problems.is_empty());
        assert_eq!(paging.skip(), 5);
        for bad in [
            "per_page=0",
            "per_page=101",
            "page=0",
            "page=x",
            "offset=-1",
        ] {
            let mut problems = Vec::new();
            Paging::of(&Params::of(Some(bad)), &mut problems);
            assert_eq!(problems.len(), 1, "{bad}");
        }
    }

    #[test]
    fn headers_count_pages_and_link_neighbours() {
        let params = Params::of(Some("page=2&per_page=10"));
        let mut problems = Vec::new();
        let paging = Paging::of(&params, &mut problems);
        let headers = paging
            .headers(25, "https://j.example/wp-json/wp/v2/posts", &params)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(headers["x-wp-total"], "25");
        assert_eq!(headers["x-wp-totalpages"], "3");
        let link = headers["link"].to_str().unwrap_or_default();
        assert!(link.contains("page=1>; rel=\"prev\""), "{link}");
        assert!(link.contains("page=3>; rel=\"next\""), "{link}");
        let past = Paging { page: 4, ..paging };
        assert!(past.headers(25, "u", &params).is_err());
        let huge = Paging {
            page: u64::MAX,
            per_page: 100,
            offset: Some(u64::MAX),
        };
        assert_eq!(huge.skip(), u64::MAX);
    }
}
