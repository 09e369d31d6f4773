//! Receiving a comment: `POST /comments/`, and WordPress's `/wp-comments-post.php` with the
//! same fields (`comment`, `author`, `email`, `url`, `comment_post_ID`, `comment_parent`).
//!
//! The comment is committed before the reader is redirected to it (303 to `#comment-N`), so
//! a crash after the redirect cannot lose it. Every problem with the form answers a 4xx page
//! that names it and gives the form back as it was typed.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gazette_core::Article;
use gazette_newsroom::comments::intake::Source;
use gazette_store::Inserted;
use percent_encoding::percent_decode;

use super::commenter_key;
use crate::kernel::client::Client;
use crate::kernel::discussion::fields::{self, Refusal, Submission};
use crate::kernel::discussion::held;
use crate::kernel::discussion::thread::{
    FieldError, FormValues, Threads, comment_page_url, form_view,
};
use crate::kernel::form_token;
use crate::kernel::site::Site;
use crate::kernel::views;
use crate::{AppError, AppState};

/// A comment form is small; anything bigger is refused before it is read.
pub(crate) const MAX_FORM_BYTES: usize = 64 * 1024;
/// The cookie that remembers name, email and website, when the reader asks for it.
pub(crate) const AUTHOR_COOKIE: &str = "gazette_comment_author";

/// `POST /comments/` and `POST /wp-comments-post.php`.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    request: Request,
) -> Response {
    let site = match crate::kernel::pages::load_site(&state).await {
        Ok(site) => site,
        Err(error) => return crate::kernel::pages::error_page(&state, error).await,
    };
    match receive(&state, &site, &client, request).await {
        Ok(response) => response,
        Err(Refusal::Page(error)) => crate::kernel::pages::error_page(&state, error).await,
        Err(Refusal::Form(refused)) => form_page(
            &state,
            &site,
            refused.status,
            refused.article.as_ref(),
            &refused.values,
            &refused.errors,
        ),
    }
}

async fn receive(
    state: &AppState,
    site: &Arc<Site>,
    client: &Client,
    request: Request,
) -> Result<Response, Refusal> {
    let headers = request.headers().clone();
    let body = read_body(request.into_body()).await?;
    let form = parse_form(&body)?;
    let submission = fields::check(state, site, &headers, &form).await?;
    // Only a reader who asked to be remembered keeps a commenter key.
    let key = submission
        .values
        .remember
        .then(|| commenter_key::of_request_or_new(&headers));
    let now = state.store().clock().now();
    let (form_age, nonce) = form_token::check(&site.server_secret, &submission.token, now);
    let from = Source::Form {
        form_age,
        nonce,
        commenter_key: key.as_deref().map(commenter_key::hash),
    };
    let (inserted, _) =
        fields::take(state, site, client.address, &headers, &submission, from).await?;
    posted(state, site, &headers, client, &submission, inserted, key).await
}

/// The redirect to the new (or earlier identical) comment, with the cookies it needs. The
/// answer is the same whether the comment was published, held or taken for spam: a reader
/// (or someone trying a guessed email) learns nothing from it. Its author sees it on the
/// article, as "awaiting moderation" until a moderator approves it.
async fn posted(
    state: &AppState,
    site: &Site,
    headers: &HeaderMap,
    client: &Client,
    submission: &Submission,
    inserted: Inserted,
    key: Option<String>,
) -> Result<Response, Refusal> {
    let article = &submission.article;
    let article_url = views::article_url(site, article);
    let id = inserted.id();
    // The article's held cookie is scoped to the article's pages, so this POST carries only
    // its copy for `/comments/`.
    let mut own = held::carried_ids(headers, &site.server_secret, article.id);
    if !own.contains(&id) {
        own.push(id);
    }
    let comments = state.store().article_comments(article.id, &own).await?;
    let threads = Threads::new(&comments);
    let page = threads.page_of(id, site.publication.comments.per_page);
    let location = format!("{}#comment-{}", comment_page_url(&article_url, page), id.0);
    let mut response = crate::kernel::redirect::see_other(&location);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let secure = if client.https { "; Secure" } else { "" };
    let mut cookies = Vec::new();
    cookies.extend(held::cookies_for(
        &site.server_secret,
        &own,
        &article_url,
        article.id,
        secure,
    ));
    cookies.push(remember_cookie(&submission.values, secure));
    cookies.push(commenter_key::cookie_for(key.as_deref(), secure));
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// Remembers name, email and website for the page's script to fill in next time, or forgets
/// them when the reader did not ask for it.
fn remember_cookie(values: &FormValues, secure: &str) -> String {
    if values.remember {
        let json = serde_json::json!({
            "author": values.author.trim(), "email": values.email.trim(), "url": values.url.trim(),
        });
        let json = json.to_string();
        let encoded =
            percent_encoding::utf8_percent_encode(&json, percent_encoding::NON_ALPHANUMERIC);
        format!("{AUTHOR_COOKIE}={encoded}; Path=/; Max-Age=31536000; SameSite=Lax{secure}")
    } else {
        format!("{AUTHOR_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax{secure}")
    }
}

async fn read_body(body: Body) -> Result<Vec<u8>, Refusal> {
    match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(_) => Err(Refusal::form(
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            FormValues::default(),
            vec![FieldError {
                field: "comment",
                message: format!(
                    "The form was larger than {} KiB. Shorten the comment and send it again.",
                    MAX_FORM_BYTES / 1024
                ),
            }],
        )),
    }
}

/// Decodes `application/x-www-form-urlencoded`, refusing values that are not UTF-8 (a lossy
/// decoding would store something the reader did not write).
fn parse_form(body: &[u8]) -> Result<HashMap<String, String>, Refusal> {
    let mut fields = HashMap::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        let decode = |raw: &[u8]| {
            let plus_as_space: Vec<u8> = raw
                .iter()
                .map(|b| if *b == b'+' { b' ' } else { *b })
                .collect();
            String::from_utf8(percent_decode(&plus_as_space).collect())
        };
        match (decode(name), decode(value)) {
            (Ok(name), Ok(value)) => {
                fields.entry(name).or_insert(value);
            }
            _ => {
                return Err(Refusal::Page(AppError::BadRequest(
                    "The form contained bytes that are not valid UTF-8 text. Send it from the \
                     comment form on the article."
                        .to_owned(),
                )));
            }
        }
    }
    Ok(fields)
}

/// The form again, with what was typed and what is wrong with it.
fn form_page(
    state: &AppState,
    site: &Site,
    status: StatusCode,
    article: Option<&Article>,
    values: &FormValues,
    errors: &[FieldError],
) -> Response {
    let now = state.store().clock().now();
    let title_text = site.catalogue.text("comments.fix_title", &[]);
    let meta = views::Meta {
        title: crate::kernel::views::title(site, &[&title_text]),
        noindex: true,
        ..views::Meta::default()
    };
    let (form, article_view) = match article {
        Some(article) => {
            let url = views::article_url(site, article);
            (
                Some(form_view(site, article, values, errors, None, &url)),
                Some(minijinja::context! { url, headline => article.headline }),
            )
        }
        None => (None, None),
    };
    // With no form to give back, the typed text is shown to copy.
    let kept = (form.is_none() && !values.comment.trim().is_empty()).then_some(&values.comment);
    let extra = minijinja::context! {
        title => title_text,
        errors => minijinja::Value::from_serialize(errors),
        form,
        kept,
        article => article_view,
    };
    match crate::kernel::pages::page_html(state, site, "comment_form.html", &meta, now, extra) {
        Ok(html) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            html,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_strictly() {
        let fields = parse_form(b"comment=Hello+world%21&author=Ann&author=Bob&empty").ok();
        let fields = fields.unwrap_or_default();
        assert_eq!(
            fields.get("comment").map(String::as_str),
            Some("Hello world!")
        );
        assert_eq!(fields.get("author").map(String::as_str), Some("Ann"));
        assert_eq!(fields.get("empty").map(String::as_str), Some(""));
        assert!(parse_form(b"comment=%FF%FE").is_err());
    }
}
