//! A running Gazette node: its configuration, its first run, and the parts that run beside
//! the HTTP server (the follower of the change log, the job runner and its jobs, the page
//! cache and search index consumers, the mailer), wired together by [`node::start`]; and the
//! maintenance the commands run on a journal's data (`render rebuild`, private files and
//! directories, logging).
//!
//! The binary's commands and the test kit both start nodes through this crate, so a test
//! runs exactly the wiring an operator runs.

pub mod bootstrap;
pub mod config;
mod demo;
pub mod follower;
pub mod logging;
pub mod mail;
pub mod maintenance;
pub mod media_jobs;
pub mod media_references;
pub mod media_upkeep;
pub mod newsletter_jobs;
pub mod newsletter_mail;
pub mod node;
pub mod page_cache;
pub mod private_files;
pub mod publishing;
mod relay;
pub mod rerender;
pub mod runner;
pub mod search_index;
