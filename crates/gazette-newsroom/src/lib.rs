//! The newsroom: the state changes that the back office, the REST API and the command line
//! share, each written once here with its rules, so no surface can drift from another.
//!
//! This crate has no HTTP types. A use case takes what it needs (the acting person, a parsed
//! command, the store), applies the rules of `gazette-core` and writes one unit of work.
//!
//! - [`journal`]: creating a journal (its settings, server secret and first administrator),
//!   as a first run and an import into an empty store both do.
//! - [`app_passwords`]: application passwords for the REST API.
//! - [`privacy`]: a commenter's data, exported or erased.
//! - [`comments`]: what comment intake and the privacy tools share.

pub mod app_passwords;
pub mod comments;
pub mod journal;
pub mod privacy;
