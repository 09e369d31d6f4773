//! `gazette dev`: tools for Gazette's developers (a generated corpus, the search benchmark).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{IndexArgs, StoreArgs};

#[derive(Debug, Subcommand)]
pub(super) enum DevCommand {
    /// Fill the store with a generated journal (for benchmarks), and/or write it as WXR.
    Corpus(CorpusArgs),
    /// Measure search latency: the index against WordPress's LIKE scan, same store, same queries.
    BenchSearch(BenchSearchArgs),
    /// An SMTP server that takes every message and logs who got which (newsletter tests).
    SmtpSink(SmtpSinkArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SmtpSinkArgs {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:2525")]
    pub listen: String,
    /// The file each message's recipients and Message-ID are appended to.
    #[arg(long, value_name = "FILE")]
    pub log: PathBuf,
    /// The user name AUTH must give (with --password); any credentials otherwise.
    #[arg(long, requires = "password")]
    pub user: Option<String>,
    #[arg(long, requires = "user")]
    pub password: Option<String>,
    /// The certificate chain (PEM) to offer STARTTLS with (with --tls-key); then nothing but
    /// EHLO, STARTTLS and QUIT is accepted before the connection is encrypted.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// A directory to write each whole message to (000001.eml, …).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CorpusArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// How many articles to generate.
    #[arg(long, default_value_t = 1_000)]
    pub articles: u64,
    /// How many reader comments to generate.
    #[arg(long, default_value_t = 0)]
    pub comments: u64,
    /// The same seed always gives the same corpus.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the corpus as a WordPress export (WXR 1.2) to FILE.
    #[arg(long, value_name = "FILE")]
    pub wxr: Option<PathBuf>,
    /// Only write the WXR file; leave the store alone.
    #[arg(long, requires = "wxr")]
    pub no_store: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BenchSearchArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    #[command(flatten)]
    pub(super) index: IndexArgs,
    /// Queries run against the index.
    #[arg(long, default_value_t = 5_000)]
    pub queries: usize,
    /// Queries run as LIKE scans (each reads every article).
    #[arg(long, default_value_t = 50)]
    pub like_queries: usize,
    /// Queries in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write the mix as search-page paths, one per line, for an HTTP load generator.
    #[arg(long, value_name = "FILE")]
    pub write_paths: Option<PathBuf>,
}
