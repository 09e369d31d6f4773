//! The `gazette` binary's library: the command line. `main.rs` only parses arguments and calls
//! [`cli::run`]; the commands call `gazette-node` (serving, first run, configuration, the
//! search index, `render rebuild`), `gazette-wordpress` (import and export),
//! `gazette-newsroom` (application passwords, privacy) and the store. [`corpus`] generates
//! large journals for benchmarks.

pub mod cli;
mod commands;
pub mod corpus;
pub mod explain;
mod import_command;
pub mod malloc;
mod smtp_sink;
