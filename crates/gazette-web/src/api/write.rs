//! Writing through the API: who is writing (application passwords over HTTP Basic, as
//! WordPress accepts them: only over HTTPS or from loopback, never the session cookie, so a
//! page elsewhere cannot make a signed-in editor's browser write), and reading a write's body.

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use gazette_core::Person;
use serde_json::{Map, Value};

use gazette_store::{CreatedRecord, IdempotencyKey};

use super::{ApiError, Asked};
use crate::AppState;
use crate::kernel::idempotency;

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
        .app_password_by_hash(&gazette_newsroom::app_passwords::hash(&secret))
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
    gazette_newsroom::app_passwords::note_use(state.store(), &record).await?;
    Ok(Some(person))
}

/// The authenticated person, when their role has `capability`: otherwise WordPress's `code`
/// with `message`, 401 without credentials and 403 for a role that may not.
pub(crate) async fn person_who_can(
    state: &AppState,
    asked: &Asked,
    capability: gazette_core::Capability,
    code: &'static str,
    message: &'static str,
) -> Result<Person, ApiError> {
    let person = person(state, asked)
        .await?
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, code, message))?;
    if person.role.can(capability) {
        Ok(person)
    } else {
        Err(ApiError::new(StatusCode::FORBIDDEN, code, message))
    }
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
pub(crate) async fn body_of(request: Request) -> Result<(Asked, Map<String, Value>), ApiError> {
    let asked = Asked::of_request(&request);
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
        // Read as the query string is: PHP's lists (`tags[]=1&tags[]=2`) become `"1,2"`.
        let query = String::from_utf8_lossy(&body);
        super::collection::Params::of(Some(&query))
            .into_pairs()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    } else {
        match serde_json::from_slice(&body) {
            Ok(Value::Object(fields)) => fields,
            _ => return Err(ApiError::invalid_json()),
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

/// The site as it is now, for answering a write with links to what it just changed (the
/// cached snapshot follows the change feed, a moment later).
pub(crate) async fn fresh_site(
    state: &AppState,
) -> Result<std::sync::Arc<crate::kernel::site::Site>, ApiError> {
    state
        .fresh_site()
        .await
        .map_err(|error| ApiError::from(crate::AppError::from(error)))
}

impl Asked {
    /// The `Idempotency-Key` a create by `person` came with, tied to the route and fields it
    /// asked for; `400` when the header cannot be a key.
    pub(crate) fn idempotency_key(
        &self,
        person: &Person,
        route: &str,
        fields: &Map<String, Value>,
    ) -> Result<Option<IdempotencyKey>, ApiError> {
        self.idempotency_key_in(&idempotency::of_person(person.id), route, fields)
    }

    /// The same for a sender known only by `scope` (a reader's app).
    pub(crate) fn idempotency_key_in(
        &self,
        scope: &str,
        route: &str,
        fields: &Map<String, Value>,
    ) -> Result<Option<IdempotencyKey>, ApiError> {
        let request = format!("{route}\n{}", Value::Object(fields.clone()));
        Ok(idempotency::from_header(
            &self.headers,
            scope,
            &[request.as_bytes()],
        )?)
    }
}

/// The record an earlier request with the same idempotency key made, which the create now
/// answers with; `404` with `gone` when it was deleted since.
pub(crate) fn repeated(record: CreatedRecord, kind: &str, gone: ApiError) -> Result<i64, ApiError> {
    if record.kind == kind {
        Ok(record.id)
    } else {
        Err(gone)
    }
}

/// A create's answer, `201` ([`created`]) the first time and the same again, marked
/// `Idempotent-Replayed: true`, for a request repeated with its idempotency key.
pub(crate) fn created_once(item: Value, repeated: bool) -> axum::response::Response {
    let mut response = created(item);
    if repeated {
        response.headers_mut().insert(
            "idempotent-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    response
}

/// `201 Created` with the new item, and `Location` its own address (`_links.self`).
pub(crate) fn created(item: Value) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let location = item["_links"]["self"][0]["href"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(item),
    )
        .into_response()
}

/// The `slug` field checked: None when it is absent or empty (the caller keeps or makes
/// one), a problem noted when it is not a usable slug.
pub(crate) fn slug_field(
    fields: &Map<String, Value>,
    problems: &mut Vec<(String, String)>,
) -> Option<gazette_core::Slug> {
    let text = text_field(fields, "slug");
    if text.trim().is_empty() {
        return None;
    }
    match gazette_core::Slug::parse(text.trim()) {
        Ok(slug) if !slug.is_reserved() => Some(slug),
        Ok(_) => {
            problems.push((
                "slug".to_owned(),
                "slug is reserved for the site's own pages.".to_owned(),
            ));
            None
        }
        Err(e) => {
            problems.push(("slug".to_owned(), format!("slug: {e}.")));
            None
        }
    }
}

/// A slug made from a title, unless it is one the site's own pages use (`search`, `feed`…):
/// then the client is asked to give one.
pub(crate) fn not_reserved(slug: gazette_core::Slug) -> Result<gazette_core::Slug, ApiError> {
    if slug.is_reserved() {
        Err(ApiError::invalid_params(vec![(
            "slug".to_owned(),
            format!(
                "The title makes the slug “{slug}”, which the site's own pages use; give a slug."
            ),
        )]))
    } else {
        Ok(slug)
    }
}
