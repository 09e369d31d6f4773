//! The kernel every surface (public, admin, api, feeds, seo, comments) stands on, so that no
//! surface imports another: the site snapshot and how pages are rendered with it, the one
//! error type and its table of answers, the client's address, the origin links are made for,
//! cookies, safe redirects, and the views several surfaces show.

pub mod client;
pub mod cookies;
pub mod error;
pub mod inline_images;
pub mod origin;
pub mod pages;
pub mod redirect;
pub mod site;
pub mod views;
