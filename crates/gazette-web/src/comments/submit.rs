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
use gazette_core::comment::{FormAge, assess, count_links, list_match};
use gazette_core::{
    Article, Comment, CommentId, CommentKind, CommentStatus, Email, Signals, Status,
};
use gazette_store::{Inserted, NewComment, StoreError};
use jiff::SignedDuration;
use percent_encoding::percent_decode;
use sha2::{Digest as _, Sha256};

use super::notify::{moderators_of, notify_moderators, on_approved};
use super::thread::{FieldError, FormValues, Threads, attach_reply, comment_page_url, form_view};
use super::{commenter_key, held, token};
use crate::kernel::client::Client;
use crate::kernel::site::Site;
use crate::kernel::views;
use crate::public;
use crate::{AppError, AppState};

/// A comment form is small; anything bigger is refused before it is read.
pub(crate) const MAX_FORM_BYTES: usize = 64 * 1024;
const MAX_COMMENT_CHARS: usize = 8_000;
const MAX_NAME_CHARS: usize = 100;
const MAX_URL_CHARS: usize = 200;
/// The hidden field people never see and bots fill in.
pub(crate) const HONEYPOT_FIELD: &str = "fax";
/// The cookie that remembers name, email and website, when the reader asks for it.
pub(crate) const AUTHOR_COOKIE: &str = "gazette_comment_author";
/// Comments counted per client address and per email within this window.
const RATE_WINDOW: SignedDuration = SignedDuration::from_mins(10);
const MAX_PER_ADDRESS: i64 = 10;
const MAX_PER_EMAIL: i64 = 5;

/// Why a submission was not taken.
enum Refusal {
    /// Show the form again with these problems, under this status.
    Form(Box<RefusedForm>),
    /// No form to give back: the article is missing, closed or locked.
    Page(AppError),
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        Self::Page(error.into())
    }
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Self::Page(error)
    }
}

/// A form to show again.
struct RefusedForm {
    status: StatusCode,
    article: Option<Article>,
    values: FormValues,
    errors: Vec<FieldError>,
}

impl Refusal {
    fn form(
        status: StatusCode,
        article: Option<Article>,
        values: FormValues,
        errors: Vec<FieldError>,
    ) -> Self {
        Self::Form(Box::new(RefusedForm {
            status,
            article,
            values,
            errors,
        }))
    }
}

/// Why the unit of work that stores a comment did not commit.
enum Stored {
    Failed(StoreError),
    RateLimited,
}

impl From<StoreError> for Stored {
    fn from(error: StoreError) -> Self {
        Self::Failed(error)
    }
}

/// The fields of a submitted comment form, checked.
struct Submission {
    article: Article,
    parent: Option<Comment>,
    values: FormValues,
    email: Email,
    url: String,
    token: String,
    honeypot_filled: bool,
}

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
    let fields = parse_form(&body)?;
    let submission = check_fields(state, site, &headers, &fields).await?;
    // Only a reader who asked to be remembered keeps a commenter key.
    let key = submission
        .values
        .remember
        .then(|| commenter_key::of_request_or_new(&headers));
    let from = Source::Form {
        commenter_key: key.as_deref().map(commenter_key::hash),
    };
    let (inserted, _) = store_submission(state, site, client, &headers, &submission, from).await?;
    posted(state, site, &headers, client, &submission, inserted, key).await
}

/// Where a comment came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// The form under an article, in a reader's browser, with the hash of the browser's
    /// commenter key when the reader asked to be remembered.
    Form { commenter_key: Option<String> },
    /// An app posting for a reader through the REST API: no page, no form token, no person
    /// seen typing, so it is always held for a moderator.
    Api,
}

/// Why a comment sent through the REST API was not taken.
pub(crate) enum ApiRefusal {
    /// What is wrong, by form field (`comment`, `author`, `email`, `url`, or `kept` for the
    /// article), under this status.
    Problems(StatusCode, Vec<(&'static str, String)>),
    Failed(AppError),
}

/// A reader's comment sent by an app through the REST API, with the form's field names
/// (`comment_post_ID`, `comment_parent`, `comment`, `author`, `email`, `url`): the same
/// checks, spam defences and rate limits as the form, and then held for moderation.
pub(crate) async fn receive_from_api(
    state: &AppState,
    client: &Client,
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<CommentId, ApiRefusal> {
    let refused = |refusal: Refusal| match refusal {
        Refusal::Page(error) => ApiRefusal::Failed(error),
        Refusal::Form(form) => ApiRefusal::Problems(
            form.status,
            form.errors
                .into_iter()
                .map(|e| (e.field, e.message))
                .collect(),
        ),
    };
    let site = crate::kernel::pages::load_site(state)
        .await
        .map_err(ApiRefusal::Failed)?;
    let submission = check_fields(state, &site, headers, fields)
        .await
        .map_err(refused)?;
    let (inserted, _) = store_submission(state, &site, client, headers, &submission, Source::Api)
        .await
        .map_err(refused)?;
    Ok(inserted.id())
}

/// Assesses a checked submission and stores it in one unit of work with its rate-limit
/// counts and moderators' notices; the comment and the status it was given.
async fn store_submission(
    state: &AppState,
    site: &Arc<Site>,
    client: &Client,
    headers: &HeaderMap,
    submission: &Submission,
    source: Source,
) -> Result<(Inserted, CommentStatus), Refusal> {
    let now = state.store().clock().now();
    let policy = &site.publication.comments;
    let (form_age, nonce) = token::check(&site.server_secret, &submission.token, now);
    let email_normalized = submission.email.normalized();
    let body_text = submission.values.comment.trim().to_owned();
    let address = client.address;
    let haystacks = [
        body_text.as_str(),
        submission.values.author.as_str(),
        email_normalized.as_str(),
        submission.url.as_str(),
    ];
    let commenter_key = match &source {
        Source::Form { commenter_key } => commenter_key.clone(),
        Source::Api => None,
    };
    // A returning commenter is known by their browser's key, never by name and email alone.
    let known_commenter = match &commenter_key {
        Some(key) => {
            state
                .store()
                .has_approved_comment(&email_normalized, &submission.values.author, key)
                .await?
        }
        None => false,
    };
    let signals = Signals {
        honeypot_filled: submission.honeypot_filled,
        form_age: if source == Source::Api {
            FormAge::NoForm
        } else {
            form_age
        },
        links: count_links(&body_text),
        duplicate: state
            .store()
            .is_duplicate_comment(submission.article.id, &body_text)
            .await?,
        known_commenter,
        uses_staff_email: state
            .store()
            .person_by_email(&submission.email)
            .await?
            .is_some(),
        moderation_match: list_match(&policy.moderation_list, &haystacks, Some(address.ip())),
        block_match: list_match(&policy.block_list, &haystacks, Some(address.ip())),
    };
    let mut assessment = assess(&signals, policy);
    if source == Source::Api {
        assessment
            .reasons
            .push("Sent by an app through the REST API: always held.".to_owned());
        if assessment.status == CommentStatus::Approved {
            assessment.status = CommentStatus::Pending;
        }
    }
    let assessed = assessment.status;
    let (parent, depth) = match &submission.parent {
        None => (None, 0),
        Some(answered) => attach_reply(state.store(), policy, answered).await?,
    };
    let answered = submission
        .parent
        .as_ref()
        .map(|c| c.id)
        .filter(|id| parent != Some(*id));
    let submission_key = submission_key(
        nonce.as_deref(),
        address,
        submission,
        &email_normalized,
        &body_text,
    );
    let new = NewComment {
        article: submission.article.id,
        parent,
        depth,
        status: assessed,
        kind: CommentKind::Comment,
        author_name: submission.values.author.trim().to_owned(),
        author_email: submission.email.as_str().to_owned(),
        author_url: submission.url.clone(),
        author_ip: Some(address.to_string()),
        user_agent: user_agent(headers),
        person: None,
        body_html: gazette_render::render_comment(&body_text),
        body: body_text,
        score: assessment.score,
        reasons: assessment.reasons,
        submission_key: Some(submission_key),
        wants_replies: submission.values.wants_replies,
        answered,
        commenter_key,
    };
    let address_key = format!("comment-address:{}", address.limit_key());
    let email_key = gazette_newsroom::comments::email_rate_key(&email_normalized);
    let moderators = if state.mail_enabled() && policy.notify_moderators {
        moderators_of(&state.store().people().await?, &submission.article)
    } else {
        Vec::new()
    };
    let article = submission.article.clone();
    let site_for_mail = Arc::clone(site);
    let mail_enabled = state.mail_enabled();
    let inserted = state
        .store()
        .write(|tx| {
            Box::pin(async move {
                if let Some(key) = &new.submission_key
                    && let Some(existing) = tx.comment_by_submission(key).await?
                {
                    return Ok(Inserted::Again(existing));
                }
                let by_address = tx.count_event(&address_key, RATE_WINDOW).await?;
                let by_email = tx.count_event(&email_key, RATE_WINDOW).await?;
                if by_address > MAX_PER_ADDRESS || by_email > MAX_PER_EMAIL {
                    // An error rolls the unit back: a refused attempt counts for nothing.
                    return Err(Stored::RateLimited);
                }
                let inserted = tx.insert_comment(&new).await?;
                match (inserted, new.status) {
                    (Inserted::New(id), CommentStatus::Pending) => {
                        notify_moderators(tx, &site_for_mail, &article, id, &new, &moderators)
                            .await?;
                    }
                    (Inserted::New(id), CommentStatus::Approved) => {
                        on_approved(tx, &site_for_mail, mail_enabled, &[id]).await?;
                    }
                    _ => {}
                }
                Ok::<_, Stored>(inserted)
            })
        })
        .await;
    match inserted {
        Ok(inserted) => Ok((inserted, assessed)),
        Err(Stored::Failed(error)) => Err(error.into()),
        Err(Stored::RateLimited) => Err(Refusal::form(
            StatusCode::TOO_MANY_REQUESTS,
            Some(submission.article.clone()),
            submission.values.clone(),
            vec![FieldError {
                field: "comment",
                message: site.catalogue.text("comments.too_many", &[]),
            }],
        )),
    }
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

/// One key per submission of one form: the token's nonce when the script ran, and the content
/// always, so a retried POST without the script is recognised as well. Without a nonce the
/// client's address is part of it: a retry comes from the same place, while someone else
/// re-sending a published comment's text with a guessed email must not learn, from being
/// answered with that comment, that the guess was right.
fn submission_key(
    nonce: Option<&str>,
    address: gazette_core::ClientAddress,
    submission: &Submission,
    email_normalized: &str,
    body: &str,
) -> String {
    let mut hash = Sha256::new();
    let origin = match nonce {
        Some(nonce) => nonce.to_owned(),
        None => format!("address:{address}"),
    };
    for part in [
        origin.as_str(),
        &submission.article.id.0.to_string(),
        &submission.parent.as_ref().map_or(0, |p| p.id.0).to_string(),
        email_normalized,
        body,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hex::encode(hash.finalize())
}

/// The browser the comment came from, as it names itself (kept to 255 characters).
fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(255).collect())
        .unwrap_or_default()
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

/// Checks every field, naming each problem; finds the article and the comment answered.
async fn check_fields(
    state: &AppState,
    site: &Site,
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<Submission, Refusal> {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let catalogue = &site.catalogue;
    // Without an article to comment on, the reader still gets their text back to copy.
    let refuse = |status: StatusCode, key: &str| {
        let values = FormValues {
            comment: field("comment"),
            ..FormValues::default()
        };
        let message = catalogue.text(key, &[]);
        Refusal::form(
            status,
            None,
            values,
            vec![FieldError {
                field: "kept",
                message,
            }],
        )
    };
    let article = match find_article(state, &field("comment_post_ID")).await? {
        Ok(article) => article,
        Err((status, key)) => return Err(refuse(status, key)),
    };
    let now = state.store().clock().now();
    let policy = &site.publication.comments;
    if !public::unlocked(headers, site, &article) {
        return Err(refuse(StatusCode::FORBIDDEN, "comments.locked"));
    }
    if !policy.open_at(article.comments_open, article.published_at, now) {
        return Err(refuse(StatusCode::FORBIDDEN, "comments.closed_error"));
    }
    let parent_field = field("comment_parent");
    let mut values = FormValues {
        comment: field("comment"),
        author: field("author"),
        email: field("email"),
        url: field("url"),
        remember: !field("wp-comment-cookies-consent").is_empty(),
        wants_replies: !field("subscribe_replies").is_empty(),
        parent: parent_field.trim().parse::<i64>().ok().filter(|id| *id > 0),
    };
    let mut errors = Vec::new();
    let mut problem = |field: &'static str, key: &str, args: &[(&str, &str)]| {
        errors.push(FieldError {
            field,
            message: catalogue.text(key, args),
        });
    };
    let comment = values.comment.trim();
    if comment.is_empty() {
        problem("comment", "comments.error_comment_missing", &[]);
    } else if comment.chars().count() > MAX_COMMENT_CHARS {
        problem(
            "comment",
            "comments.error_comment_long",
            &[("max", &MAX_COMMENT_CHARS.to_string())],
        );
    } else if comment
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        problem("comment", "comments.error_control", &[]);
    }
    let author = values.author.trim();
    if author.is_empty() {
        problem("author", "comments.error_name_missing", &[]);
    } else if author.chars().count() > MAX_NAME_CHARS {
        problem(
            "author",
            "comments.error_name_long",
            &[("max", &MAX_NAME_CHARS.to_string())],
        );
    } else if author.chars().any(char::is_control) {
        problem("author", "comments.error_control", &[]);
    }
    let email = if values.email.trim().is_empty() {
        problem("email", "comments.error_email_missing", &[]);
        None
    } else {
        match Email::parse(&values.email) {
            Ok(email) => Some(email),
            Err(_) => {
                problem("email", "comments.error_email_invalid", &[]);
                None
            }
        }
    };
    let url = match website(&values.url) {
        Ok(url) => url,
        Err(()) => {
            problem("url", "comments.error_url", &[]);
            String::new()
        }
    };
    let parent = match values.parent {
        None => None,
        Some(id) => {
            let parent = state.store().comment(CommentId(id)).await?;
            let answerable =
                parent.filter(|p| p.article == article.id && p.status == CommentStatus::Approved);
            if answerable.is_none() {
                problem("comment", "comments.error_parent", &[]);
                values.parent = None;
            }
            answerable
        }
    };
    match email {
        Some(email) if errors.is_empty() => Ok(Submission {
            parent,
            values,
            email,
            url,
            token: field("form_token"),
            honeypot_filled: !field(HONEYPOT_FIELD).is_empty(),
            article,
        }),
        _ => Err(Refusal::form(
            StatusCode::BAD_REQUEST,
            Some(article),
            values,
            errors,
        )),
    }
}

/// The published article the comment is for, or why there is none (status and message key).
async fn find_article(
    state: &AppState,
    id: &str,
) -> Result<Result<Article, (StatusCode, &'static str)>, StoreError> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Ok(Err((
            StatusCode::BAD_REQUEST,
            "comments.error_no_article_id",
        )));
    };
    let article = state.store().article(gazette_core::ArticleId(id)).await?;
    Ok(match article {
        Some(article) if article.status == Status::Published => Ok(article),
        Some(article) if article.status == Status::Trashed => {
            Err((StatusCode::GONE, "comments.error_article_gone"))
        }
        _ => Err((StatusCode::NOT_FOUND, "comments.error_no_article")),
    })
}

/// The commenter's website as a link target: empty, or an `http(s)` URL with a host. A bare
/// `example.org` gets `https://`.
fn website(input: &str) -> Result<String, ()> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(String::new());
    }
    if input.chars().count() > MAX_URL_CHARS || input.chars().any(|c| c.is_control() || c == ' ') {
        return Err(());
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).map_err(|_| ())?;
    let has_dot_host = url.host_str().is_some_and(|h| h.contains('.'));
    if matches!(url.scheme(), "http" | "https") && has_dot_host && url.password().is_none() {
        Ok(url.to_string())
    } else {
        Err(())
    }
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
        title: crate::kernel::pages::title(site, &[&title_text]),
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
    fn websites_are_http_links_or_refused() {
        assert_eq!(website(""), Ok(String::new()));
        assert_eq!(
            website("example.org"),
            Ok("https://example.org/".to_owned())
        );
        assert_eq!(
            website("http://blog.example.org/me"),
            Ok("http://blog.example.org/me".to_owned())
        );
        assert_eq!(website("javascript:alert(1)"), Err(()));
        assert_eq!(website("javascript://example.org/%0aalert(1)"), Err(()));
        assert_eq!(website("https://localhost"), Err(()));
        assert_eq!(website("https://a.example/\r\nSet-Cookie: x"), Err(()));
    }

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
