//! Every request no router claims, which is most of the public site: WordPress's old service
//! paths and `?rest_route=`, editors' redirect rules, then the page cache in front of the page,
//! feed or sitemap the path names (`kernel::route::PublicRoute`). This sits above the
//! surfaces, as the router does: it hands each request to `public`, `feeds` or `seo`, which
//! never call each other.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use jiff::Timestamp;

use crate::cache::RenderedPage;
use crate::kernel::cookies::is_personal;
use crate::kernel::origin::Origin;
use crate::kernel::pages::{Detour, detour_response, error_page, load_site, uncached};
use crate::kernel::route::{PublicRoute, RouteError};
use crate::metrics::RouteLabel;
use crate::public;
use crate::{AppError, AppState};

/// Every request no other route claims.
pub(crate) async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let method = request.method().clone();
    if let Some(service) = public::legacy::service_path(request.uri().path()) {
        let mut response = match service {
            public::legacy::ServicePath::Redirect(to) => crate::kernel::redirect::permanent(&to),
            public::legacy::ServicePath::Gone => error_page(&state, AppError::Gone).await,
        };
        response.extensions_mut().insert(RouteLabel("redirect"));
        if method == Method::HEAD {
            *response.body_mut() = Body::empty();
        }
        return response;
    }
    if matches!(method, Method::GET | Method::HEAD)
        && let Some(to) = public::legacy::uploads_target(&state, request.uri().path()).await
    {
        let mut response = crate::kernel::redirect::permanent(&to);
        response.extensions_mut().insert(RouteLabel("redirect"));
        return response;
    }
    if let Some(to) = request
        .uri()
        .query()
        .filter(|q| q.contains("rest_route="))
        .and_then(crate::api::rest_route_redirect)
    {
        let mut response = crate::kernel::redirect::to_site(StatusCode::TEMPORARY_REDIRECT, &to);
        response.extensions_mut().insert(RouteLabel("redirect"));
        return response;
    }
    let mut response = match method {
        Method::GET | Method::HEAD => get(&state, request).await,
        Method::POST => public::unlock(&state, request).await,
        _ => public::method_not_allowed(&state, request.uri().path()).await,
    };
    if method == Method::HEAD {
        *response.body_mut() = Body::empty();
    }
    response
}

/// A GET or HEAD: editors' redirect rules, then the page cache in front of the page, feed or
/// sitemap the path names.
async fn get(state: &AppState, request: Request) -> Response {
    let https = crate::kernel::client::Client::of(&request).https;
    let uri = request.uri().clone();
    let headers = request.headers();
    if let Some(mut response) = editors_redirect(state, &uri).await {
        response.extensions_mut().insert(RouteLabel("redirect"));
        return response;
    }
    let route = match PublicRoute::parse(uri.path()) {
        Ok(route) => route,
        Err(error) => return route_error(state, error, uri.query()).await,
    };
    let label = RouteLabel(route_label(&route));
    let origin = Origin::of(state, headers, https).await;
    let plain = match (&route, uri.query()) {
        (PublicRoute::Home { page: 1 }, Some(query)) => public::plain_link(state, query).await,
        (PublicRoute::Search, query) => {
            Some(public::search_page(state, &origin.links(), query).await)
        }
        _ => None,
    };
    if let Some(response) = plain {
        return response;
    }
    let reader = public::Reader::of(state, headers, origin, uri.query()).await;
    let personal = is_personal(headers);
    let cache = state.page_cache();
    let now = state.store().clock().now();
    let needs_absolute = matches!(route, PublicRoute::Feed { .. } | PublicRoute::Sitemap(_));
    let key = reader.origin.cache_key(uri.path(), needs_absolute);
    let cacheable = cache.enabled() && uri.query().is_none() && !personal;
    let discovery = crate::api::discovery_link(&reader.origin.url);
    let mut response = if let Some(key) = key.filter(|_| cacheable) {
        let rendered = cache
            .get_or_render(&key, now, || async {
                let mut page = render(state, &route, uri.path(), &reader, now).await?;
                page.label = label.0;
                // Only a known origin's copy may carry the API's address (it names the host);
                // the others get it per request.
                if page.content_type.starts_with("text/html")
                    && reader.origin.is_known()
                    && let Some(link) = discovery.clone()
                {
                    page.headers.push((header::LINK, link));
                }
                Ok(Some(page))
            })
            .await;
        match rendered {
            Ok(Some(entry)) => entry.respond(headers),
            Ok(None) => error_page(state, AppError::NotFound).await,
            Err(detour) => detour_response(state, detour).await,
        }
    } else {
        match render(state, &route, uri.path(), &reader, now).await {
            Ok(page) => uncached(StatusCode::OK, page.content_type, page.html, personal),
            Err(detour) => detour_response(state, detour).await,
        }
    };
    response.extensions_mut().insert(label);
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if html && let Some(link) = discovery {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// Renders what `route` names: a feed, a sitemap, or a page of the public journal.
async fn render(
    state: &AppState,
    route: &PublicRoute,
    raw_path: &str,
    reader: &public::Reader,
    now: Timestamp,
) -> Result<RenderedPage, Detour> {
    let site = load_site(state).await?;
    match route {
        PublicRoute::Feed { scope, format } => {
            crate::feeds::render(state, &site, scope, *format, &reader.origin.url, now).await
        }
        PublicRoute::Sitemap(name) => {
            Ok(crate::seo::sitemaps::render(state, &site, *name, &reader.origin.url, now).await?)
        }
        _ => public::render(state, &site, route, raw_path, reader, now).await,
    }
}

/// Editors' redirect rules come before everything else, as WordPress's Redirection plugin does:
/// a rule may move a page that still exists. The query string is passed on unless the target
/// has its own.
async fn editors_redirect(state: &AppState, uri: &axum::http::Uri) -> Option<Response> {
    // A site that cannot load is reported by the normal path.
    let site = load_site(state).await.ok()?;
    let rule = site.redirect_for(uri.path())?;
    let status = StatusCode::from_u16(rule.status.code()).ok()?;
    if rule.status == gazette_core::RedirectStatus::Gone {
        return Some(error_page(state, AppError::Gone).await);
    }
    let target = with_query(&rule.target, uri.query());
    Some(crate::kernel::redirect::to_chosen(status, &target))
}

/// A rule's target with the request's query string, unless the target has one of its own;
/// the query goes before any `#fragment`, where browsers look for it.
fn with_query(target: &str, query: Option<&str>) -> String {
    match query {
        Some(query) if !target.contains('?') => match target.split_once('#') {
            Some((path, fragment)) => format!("{path}?{query}#{fragment}"),
            None => format!("{target}?{query}"),
        },
        _ => target.to_owned(),
    }
}

fn route_label(route: &PublicRoute) -> &'static str {
    match route {
        PublicRoute::Home { .. } => "home",
        PublicRoute::Section { .. } => "section",
        PublicRoute::Tag { .. } => "tag",
        PublicRoute::Author { .. } => "author",
        PublicRoute::Date { .. } => "date",
        PublicRoute::Content { .. } => "content",
        PublicRoute::Feed { .. } => "feed",
        PublicRoute::Sitemap(_) => "sitemap",
        PublicRoute::Search => "search",
    }
}

async fn route_error(state: &AppState, error: RouteError, query: Option<&str>) -> Response {
    let error = match error {
        RouteError::Redirect(to) => {
            let to = match query {
                Some(query) => format!("{to}?{query}"),
                None => to,
            };
            return crate::kernel::redirect::permanent(&to);
        }
        RouteError::BadPageNumber(text) => AppError::BadRequest(format!(
            "“{text}” is not a page number: pages are numbered from 1, as in /page/2/."
        )),
        RouteError::NotUtf8 => AppError::BadRequest(
            "This address contains bytes that are not valid UTF-8 text.".to_owned(),
        ),
        RouteError::TooLong => AppError::UriTooLong,
        RouteError::NotFound => AppError::NotFound,
    };
    error_page(state, error).await
}
