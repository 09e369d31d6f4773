//! The query of a page's address, read into the struct that names what the page accepts.
//!
//! Each back-office page declares its parameters as a struct (`DeskQuery`, `Done`); parameters
//! it does not name are ignored, as a tracking suffix (`utm_source`) must not break a page.
//!
//! A query the struct cannot hold (a parameter given twice, which would leave the page to
//! guess which one was meant) is the one error type's 400, saying what is wrong and what to
//! do. axum's own rejection names Rust's deserializer instead, which is why `clippy.toml`
//! keeps axum's `Query` out of the workspace.
//!
//! Values stay text in the structs where the page explains a bad value in its own words ("“x”
//! is not a page number"): serde's messages name Rust types, which an editor cannot act on.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::AppError;

/// The query of the address, as `T`.
#[derive(Debug, Clone, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse(parts.uri.query().unwrap_or("")).map(Query)
    }
}

/// `query` (without its `?`) as `T`, or the 400 that says why it cannot be.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    serde_urlencoded::from_str(query).map_err(|error| {
        AppError::BadRequest(format!(
            "The address's query is not one this page understands ({error}); remove the part \
             after “?” and try again."
        ))
    })
}

/// What most back-office pages read after an action: the fixed key its redirect names
/// (`?done=saved`), worded by the page (see `admin::notice`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: Option<String>,
}

/// A page's address after a save: `?saved` (on the menus page, the menu's name).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Saved {
    pub saved: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(default)]
    struct Listing {
        status: Option<String>,
        page: Option<String>,
    }

    #[test]
    fn named_parameters_are_read_and_others_ignored() {
        let listing: Listing = parse("status=draft&utm_source=mail&page=2").expect("a listing");
        assert_eq!(listing.status.as_deref(), Some("draft"));
        assert_eq!(listing.page.as_deref(), Some("2"));
        let empty: Listing = parse("").expect("no query");
        assert!(empty.status.is_none() && empty.page.is_none());
    }

    #[test]
    fn a_parameter_given_twice_is_a_bad_request_that_says_so() {
        let Err(AppError::BadRequest(message)) = parse::<Listing>("status=draft&status=trash")
        else {
            panic!("a repeated parameter must be refused");
        };
        assert!(message.contains("status"), "{message}");
        assert!(message.contains("remove the part"), "{message}");
    }
}
