//! Idempotency keys as requests carry them: the `Idempotency-Key` header (the REST API, as the
//! IETF's draft names it) or a hidden `idempotency_key` field (forms, whose page made a fresh
//! key). A create that was answered "outcome unknown", or whose answer never arrived, can be
//! sent again with the same key and is made at most once (`gazette_store::Store::write_once`).

use axum::http::HeaderMap;
use gazette_core::PersonId;
use gazette_store::{IdempotencyKey, MediaText};

use crate::AppError;

/// The header the API reads.
pub const HEADER: &str = "idempotency-key";

/// The hidden field forms send.
pub const FIELD: &str = "idempotency_key";

/// The scope of the keys readers' comment forms send: readers have no account, so their keys
/// share one scope (and a key is tied to the request it came with).
pub const READERS: &str = "readers";

/// The scope of the keys a person sends, through the API or the back office.
pub fn of_person(person: PersonId) -> String {
    format!("person:{}", person.0)
}

/// The key in the request's header, if it has one, tied to `request` (the parts that say
/// what was asked). A key that cannot be one is a `400` saying why.
pub fn from_header(
    headers: &HeaderMap,
    scope: &str,
    request: &[&[u8]],
) -> Result<Option<IdempotencyKey>, AppError> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().map_err(|_| {
        AppError::BadRequest(gazette_store::BadKey::NotVisibleAscii.explain().to_owned())
    })?;
    parse(scope, key, request).map(Some)
}

/// The key in a form's hidden field, if it sent one (an empty field is none: the comment
/// form's field is filled by a script, and readers without scripts send it empty).
pub fn from_field(
    value: Option<&str>,
    scope: &str,
    request: &[&[u8]],
) -> Result<Option<IdempotencyKey>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(key) => parse(scope, key, request).map(Some),
    }
}

fn parse(scope: &str, key: &str, request: &[&[u8]]) -> Result<IdempotencyKey, AppError> {
    IdempotencyKey::new(scope, key, request)
        .map_err(|bad| AppError::BadRequest(bad.explain().to_owned()))
}

/// What an upload asked besides its bytes, for tying its key to it: the route, the file's name
/// and its description. The key is tied to `[description, bytes]`, so the file is hashed
/// where it lies.
pub fn upload_description(route: &str, file_name: &str, text: &MediaText) -> String {
    let MediaText {
        alt,
        caption,
        credit,
    } = text;
    format!("{route}\n{file_name}\n{alt}\n{caption}\n{credit}")
}

/// A fresh key for a form the server renders for one person (the back office's).
pub fn fresh() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
