//! The newsroom: the state changes that the back office, the REST API and the command line
//! share, each written once here with its rules, so no surface can drift from another.
//!
//! This crate has no HTTP types. A use case takes what it needs (the acting person, a parsed
//! command, the store), applies the rules of `gazette-core` and writes one unit of work.
//!
//! Writing:
//! - [`articles`]: articles created, saved, moved through the workflow, restored from a
//!   revision and deleted, with their revisions and old addresses kept.
//! - [`pages`]: static pages, saved with their addresses kept.
//! - [`terms`]: sections and tags, with every archive address they had kept answering.
//! - [`media`]: the media library's uploads, descriptions and deletions.
//! - [`curation`]: the menus and the home page's chosen articles.
//! - [`share_links`]: secret preview links for unpublished articles.
//! - [`presence`]: who else has an article open in the editor, and taking it over.
//! - [`notes`]: staff-only notes on articles, with `@` mentions that email.
//! - [`plans`]: the day an unpublished article is planned for.
//!
//! Readers:
//! - [`comments`]: comment intake, moderation, where replies go in a thread, and the emails
//!   comments cause.
//! - [`privacy`]: a commenter's data, exported or erased.
//! - [`newsletters`]: asking for newsletters, confirming, choosing and leaving them.
//!
//! Running the journal:
//! - [`journal`]: creating a journal (its settings, server secret and first administrator),
//!   as a first run and an import into an empty store both do.
//! - [`settings`]: the publication settings and comment policy, old addresses kept.
//! - [`redirects`]: editors' redirect rules, saved and imported without loops.
//! - [`accounts`]: staff sessions, sign-in throttling, emailed links, passwords, profiles.
//! - [`app_passwords`]: application passwords for the REST API.

pub mod accounts;
pub mod app_passwords;
pub mod articles;
pub mod comments;
pub mod curation;
pub mod journal;
pub mod media;
pub mod media_sweep;
pub mod newsletters;
pub mod notes;
pub mod pages;
pub mod plans;
pub mod presence;
pub mod privacy;
pub mod redirects;
pub mod settings;
pub mod share_links;
pub mod terms;

mod outbox;
