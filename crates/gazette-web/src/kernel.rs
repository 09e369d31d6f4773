//! The kernel every surface (public, admin, api, feeds, seo, comments) stands on, so that no
//! surface imports another: the site snapshot and how pages are rendered with it, the one
//! error type and its table of answers, the client's address, the origin links are made for,
//! cookies, safe redirects, the public addresses and what they name, the search
//! rules, and the views several surfaces show (the discussion under an
//! article, structured data, XML).

pub mod avatars;
pub mod client;
pub mod comment_mail;
pub mod cookies;
pub mod discussion;
pub mod error;
pub mod form_token;
pub mod forms;
pub mod idempotency;
pub mod inline_images;
pub mod lookup;
pub mod newsletter_parts;
pub mod origin;
pub mod pages;
pub mod query;
pub mod redirect;
pub mod route;
pub mod search;
pub mod signup;
pub mod site;
pub mod staff;
pub mod structured;
pub mod unlocks;
pub mod views;
pub mod xml;

/// The request body an upload may have: the image limit and room for the other fields.
pub const UPLOAD_BODY_LIMIT: usize = 26 * 1024 * 1024;
