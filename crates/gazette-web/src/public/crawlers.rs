//! `/robots.txt` and `/ads.txt`: the files crawlers fetch, from the publication's settings.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::cache::PUBLIC_CACHE_CONTROL;
use crate::kernel::origin::Origin;
use crate::kernel::pages::{error_page, load_site};
use crate::metrics::RouteLabel;
use crate::{AppError, AppState};

/// `GET /robots.txt`: the back office and previews are off limits; administrators' additions
/// follow, then the sitemaps (whose addresses must be absolute).
pub(crate) async fn robots(State(state): State<AppState>, request: Request) -> Response {
    let https = crate::kernel::client::Client::of(&request).https;
    let origin = Origin::of(&state, request.headers(), https).await;
    let site = match load_site(&state).await {
        Ok(site) => site,
        Err(error) => return error_page(&state, error).await,
    };
    let mut text = String::from("User-agent: *\nDisallow: /admin/\nDisallow: /preview/\n");
    if !site.publication.robots_txt.is_empty() {
        text.push('\n');
        text.push_str(&site.publication.robots_txt);
        text.push('\n');
    }
    text.push_str(&format!(
        "\nSitemap: {0}/sitemap.xml\nSitemap: {0}/news-sitemap.xml\n",
        origin.url
    ));
    plain(text, "robots")
}

/// `GET /ads.txt`: served only when the publication has one.
pub(crate) async fn ads(State(state): State<AppState>) -> Response {
    let site = match load_site(&state).await {
        Ok(site) => site,
        Err(error) => return error_page(&state, error).await,
    };
    if site.publication.ads_txt.is_empty() {
        let mut response = error_page(&state, AppError::NotFound).await;
        response.extensions_mut().insert(RouteLabel("ads"));
        return response;
    }
    plain(format!("{}\n", site.publication.ads_txt), "ads")
}

fn plain(text: String, label: &'static str) -> Response {
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, PUBLIC_CACHE_CONTROL),
        ],
        text,
    )
        .into_response();
    response.extensions_mut().insert(RouteLabel(label));
    response
}
