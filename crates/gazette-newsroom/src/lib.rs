//! The newsroom: the state changes that the back office, the REST API and the command line
//! share, each written once here with its rules, so no surface can drift from another.
//!
//! This crate has no HTTP types. A use case takes what it needs (the acting person, a parsed
//! command, the store), applies the rules of `gazette-core` and writes one unit of work.
//!
//! - [`journal`]: creating a journal (its settings, server secret and first administrator),
//!   as a first run and an import into an empty store both do.
//! - [`app_passwords`]: application passwords for the REST API.
//! - [`media`]: uploads into the library.
//! - [`pages`]: static pages, saved with their addresses kept.
//! - [`privacy`]: a commenter's data, exported or erased.
//! - [`comments`]: where replies go in a thread, the emails comments cause, and what comment
//!   intake and the privacy tools share.
//! - [`terms`]: sections and tags, with every archive address they had kept answering.

pub mod app_passwords;
pub mod comments;
pub mod journal;
pub mod media;
pub mod pages;
pub mod privacy;
pub mod terms;
