//! The `gazette` binary's library: configuration, wiring of a node (store, follower, job
//! runner, HTTP server), first run and the CLI commands. `main.rs` only parses arguments and
//! calls [`cli::run`]; tests start nodes through [`node::start`].

pub mod bootstrap;
pub mod cli;
mod commands;
pub mod config;
pub mod corpus;
mod demo;
pub mod explain;
pub mod export;
pub mod follower;
pub mod import;
mod import_command;
mod logging;
pub mod mail;
pub mod maintenance;
pub mod media_variants;
pub mod node;
pub mod page_cache;
mod private_files;
pub mod publishing;
pub mod rerender;
pub mod runner;
pub mod search_index;
pub mod wordpress_names;
