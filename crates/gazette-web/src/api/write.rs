//! Writing through the API: who is writing (application passwords over HTTP Basic, as
//! WordPress accepts them: only over HTTPS or from loopback, never the session cookie, so a
//! page elsewhere cannot make a signed-in editor's browser write) and `POST /wp/v2/posts`.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use gazette_core::{BodyFormat, Capability, Person, SectionId, Slug, Status, TagId};
use gazette_store::NewArticle;
use serde_json::{Map, Value};

use super::{ApiError, Asked};
use crate::AppState;
use crate::public::load_site;

/// The most a request body may hold.
const MAX_BODY: usize = 4 << 20;

/// The person an `Authorization: Basic` header names with one of their application passwords;
/// None without the header. Over plain HTTP from elsewhere than loopback the header is not
/// looked at, as WordPress ignores application passwords there.
pub(crate) async fn person(state: &AppState, asked: &Asked) -> Result<Option<Person>, ApiError> {
    let Some(credentials) = basic_credentials(&asked.headers) else {
        return Ok(None);
    };
    if !(asked.https || asked.loopback) {
        return Ok(None);
    }
    let (user, secret) = credentials;
    let wrong = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "incorrect_password",
            "The provided password is an invalid application password.",
        )
    };
    let Some(record) = state
        .store()
        .app_password_by_hash(&crate::app_passwords::hash(&secret))
        .await?
    else {
        return Err(wrong());
    };
    let person = state
        .store()
        .person(record.person)
        .await?
        .filter(|p| p.active)
        .ok_or_else(wrong)?;
    let named = user.eq_ignore_ascii_case(person.email.as_str())
        || user.eq_ignore_ascii_case(person.slug.as_str());
    if !named {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_username",
            "Unknown username. Check again or try your email address.",
        ));
    }
    Ok(Some(person))
}

/// `user` and `password` from `Authorization: Basic …`.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// What a write asks, and its body's fields: a JSON object, or a form
/// (`application/x-www-form-urlencoded`, each value a string), as WordPress takes both.
/// An empty body has no fields.
pub(crate) async fn body_of(
    state: &AppState,
    request: Request,
) -> Result<(Asked, Map<String, Value>), ApiError> {
    let asked = Asked::of(state, &request);
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .map_err(|_| too_large())?;
    let fields = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else if is_form {
        url::form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    } else {
        match serde_json::from_slice(&body) {
            Ok(Value::Object(fields)) => fields,
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "rest_invalid_json",
                    "Invalid JSON body passed.",
                ));
            }
        }
    };
    Ok((asked, fields))
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "rest_request_too_large",
        "The request is larger than 4 MB.",
    )
}

/// `POST /wp/v2/posts`: a new article from `title`, `content` (HTML), `excerpt`, `slug`,
/// `status` (`draft`, `pending` or `publish`), `categories` and `tags`, by the authenticated
/// person, within what their role may do.
pub(crate) async fn create_post(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let (asked, fields) = body_of(&state, request).await?;
    let Some(person) = person(&state, &asked).await? else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "rest_cannot_create",
            "Sorry, you are not allowed to create posts as this user.",
        ));
    };
    if !person.role.can(Capability::WriteOwnDrafts) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "rest_cannot_create",
            "Sorry, you are not allowed to create posts as this user.",
        ));
    }
    let fields = Value::Object(fields);
    let text = |name: &str| match &fields[name] {
        Value::String(s) => s.clone(),
        Value::Object(o) => o
            .get("raw")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    let mut problems = Vec::new();
    let status = match fields["status"].as_str().unwrap_or("draft") {
        "draft" => Status::Draft,
        "pending" => Status::PendingReview,
        "publish" => Status::Published,
        _ => {
            problems.push((
                "status".to_owned(),
                "status is not one of publish, pending and draft.".to_owned(),
            ));
            Status::Draft
        }
    };
    let numbers = |name: &str, problems: &mut Vec<(String, String)>| -> Vec<i64> {
        match &fields[name] {
            Value::Null => Vec::new(),
            Value::Array(items) => {
                let ids: Vec<i64> = items.iter().filter_map(Value::as_i64).collect();
                if ids.len() != items.len() {
                    problems.push((
                        name.to_owned(),
                        format!("{name}[0] is not of type integer."),
                    ));
                }
                ids
            }
            _ => {
                problems.push((name.to_owned(), format!("{name} is not of type array.")));
                Vec::new()
            }
        }
    };
    let categories = numbers("categories", &mut problems);
    let tags = numbers("tags", &mut problems);
    let title = text("title");
    if title.trim().is_empty() {
        problems.push(("title".to_owned(), "A post needs a title.".to_owned()));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid_params(problems));
    }
    if status == Status::Published && !person.role.can(Capability::PublishOwnArticles) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "rest_cannot_publish",
            "Sorry, you are not allowed to publish posts as this user.",
        ));
    }
    let site = load_site(&state).await?;
    let known_sections: Vec<SectionId> = categories
        .iter()
        .map(|id| SectionId(*id))
        .filter(|id| site.section(*id).is_some())
        .collect();
    if known_sections.len() != categories.len() {
        return Err(ApiError::invalid_params(vec![(
            "categories".to_owned(),
            "categories names a category that does not exist.".to_owned(),
        )]));
    }
    let content = text("content");
    let policy = if person.role.can(Capability::UnfilteredHtml) {
        gazette_render::HtmlPolicy::Unfiltered
    } else {
        gazette_render::HtmlPolicy::Sanitised
    };
    let mut new = NewArticle::draft(
        title.trim(),
        &content,
        gazette_render::render_body_as(BodyFormat::Html, &content, policy),
        gazette_render::RENDER_VERSION,
    );
    new.body_format = BodyFormat::Html;
    new.unfiltered_html = matches!(policy, gazette_render::HtmlPolicy::Unfiltered);
    new.excerpt = text("excerpt").trim().to_owned();
    new.status = status;
    new.authors = vec![person.id];
    let mut sections = known_sections.into_iter();
    new.primary_section = sections.next();
    new.further_sections = sections.collect();
    new.tags = tags.into_iter().map(TagId).collect();
    let now = state.store().clock().now();
    if status == Status::Published {
        new.published_at = Some(now);
    }
    let wanted = text("slug");
    let base = Slug::parse(wanted.trim()).unwrap_or_else(|_| Slug::from_headline(&title));
    new.slug = free_slug(&state, base).await?;
    let created = state
        .store()
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .map_err(|error| match error {
            gazette_store::StoreError::InvalidReference => ApiError::invalid_params(vec![(
                "tags".to_owned(),
                "tags names a tag that does not exist.".to_owned(),
            )]),
            other => ApiError::from(other),
        })?;
    let origin = asked.origin(&state).await;
    let body = super::posts::post_json(&site, &origin, &created);
    let location = format!("{origin}/wp-json/wp/v2/posts/{}", created.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
}

/// `base`, or `base-2`, `base-3`… when an article has it.
async fn free_slug(state: &AppState, base: Slug) -> Result<Slug, ApiError> {
    let mut candidate = base.clone();
    for n in 2..1000 {
        if state.store().article_by_slug(&candidate).await?.is_none() {
            return Ok(candidate);
        }
        candidate = Slug::parse(&format!("{base}-{n}")).unwrap_or_else(|_| base.clone());
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "rest_post_exists",
        "Too many posts have this slug; give another.",
    ))
}

/// A text field: a string, or an object's `raw` (`{"raw": …}`, as WordPress's own editor
/// sends it); empty when absent.
pub(crate) fn text_field(fields: &Map<String, Value>, name: &str) -> String {
    match fields.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("raw")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    }
}

/// An integer field, from a JSON number or a form's digits; a problem noted when it is
/// something else.
pub(crate) fn integer_field(
    fields: &Map<String, Value>,
    name: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<i64> {
    let value = fields.get(name)?;
    let number = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if number.is_none() {
        problems.push((name.to_owned(), format!("{name} is not of type integer.")));
    }
    number
}
