//! The command line: `gazette serve | migrate | user | backup | privacy | media | search |
//! import | export | dev`.
//!
//! Here: the top of the grammar and the dispatch to each command. The subcommands' arguments
//! are grouped by what they do: `journal` (serve, migrate, and the first run, which it also
//! carries out), `users`, `data` (import, export, backup, privacy), `rebuild` (search,
//! render) and `dev`; the other commands are carried out in `crate::commands`.

mod data;
mod dev;
mod journal;
mod media;
mod rebuild;
mod users;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use data::{BackupArgs, ExportCommand, ImportCommand, PrivacyCommand};
use dev::DevCommand;
use gazette_node::config::{Config, Flags};
use gazette_node::logging;
use journal::{MigrateArgs, ServeArgs, migrate, serve};
use media::MediaCommand;
use rebuild::{RenderCommand, SearchCommand};
use users::UserCommand;

pub(crate) use data::{ExportWxrArgs, ImportWxrArgs, PrivacyArgs};
pub(crate) use dev::{BenchSearchArgs, CorpusArgs};
pub(crate) use journal::{new_journal, report_new_journal};
pub(crate) use media::{MediaMigrateArgs, MediaSweepArgs};
pub(crate) use users::{UserAddArgs, UserAppPasswordArgs, UserResetArgs};

/// Gazette: a self-hosted publishing platform for online news journals.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, propagate_version = true)]
pub struct Cli {
    /// Read operator settings from FILE instead of DIR/gazette.toml.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the journal: migrate, seed a new journal on first run, and serve it.
    Serve(ServeArgs),
    /// Bring the database schema up to date (and seed a new journal on first run).
    Migrate(MigrateArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy a SQLite store and its media to DEST; `--data DEST` runs from the copy.
    Backup(BackupArgs),
    /// A commenter's data: export it, or erase it.
    #[command(subcommand)]
    Privacy(PrivacyCommand),
    /// The media store: move a library into a bucket, find orphans and lost files.
    #[command(subcommand)]
    Media(MediaCommand),
    /// The full-text search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Render stored bodies again after the renderer improved.
    #[command(subcommand)]
    Render(RenderCommand),
    /// Bring a journal in from WordPress.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the journal out in a format other software reads.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Tools for Gazette's developers.
    #[command(subcommand)]
    Dev(DevCommand),
}

/// Where the search index is.
#[derive(Debug, Args)]
struct IndexArgs {
    /// The search index directory [default: DIR/index].
    #[arg(long, value_name = "DIR")]
    index_dir: Option<PathBuf>,
}

/// Where the store is.
#[derive(Debug, Args)]
struct StoreArgs {
    /// The data directory [default: ./gazette-data].
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The database URL: sqlite:PATH or postgres://… [default: sqlite at DIR/gazette.db].
    #[arg(long, value_name = "URL")]
    database: Option<String>,
}

/// Parses the command line, runs the command and turns errors into a message and exit code 1.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = run_command(cli).await;
    logging::flush();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", crate::explain::describe(&error));
            ExitCode::FAILURE
        }
    }
}

async fn run_command(cli: Cli) -> anyhow::Result<()> {
    // The sink needs no journal: no configuration, no store.
    if let Command::Dev(DevCommand::SmtpSink(args)) = cli.command {
        let credentials = args.user.zip(args.password);
        let options = crate::smtp_sink::SinkOptions {
            listen: args.listen,
            log: args.log,
            credentials,
            tls: args.tls_cert.zip(args.tls_key),
            keep: args.keep,
        };
        return crate::smtp_sink::run(options).await;
    }
    let flags = flags(&cli);
    // vars_os: a variable that is not UTF-8 (which std::env::vars would panic on) cannot be
    // one of ours, so it is skipped.
    let env = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
    let config = Config::load(&flags, env).map_err(anyhow::Error::new)?;
    logging::init(&config.log_level, config.log_format);
    match cli.command {
        Command::Serve(args) => serve(config, &args.first_run).await,
        Command::Migrate(args) => migrate(config, &args.first_run).await,
        Command::User(UserCommand::Add(args)) => commands::add_user(&config, &args).await,
        Command::User(UserCommand::List(_)) => commands::list_users(&config).await,
        Command::User(UserCommand::AppPassword(args)) => {
            commands::app_password(&config, &args).await
        }
        Command::User(UserCommand::ResetPassword(args)) => {
            commands::reset_password(&config, &args).await
        }
        Command::Backup(args) => commands::backup(&config, &args.destination).await,
        Command::Privacy(PrivacyCommand::Export(args)) => {
            commands::privacy_export(&config, &args).await
        }
        Command::Privacy(PrivacyCommand::Erase(args)) => {
            commands::privacy_erase(&config, &args).await
        }
        Command::Media(MediaCommand::Migrate(args)) => {
            commands::media_migrate(&config, &args).await
        }
        Command::Media(MediaCommand::Sweep(args)) => commands::media_sweep(&config, &args).await,
        Command::Search(SearchCommand::Reindex(_)) => commands::reindex(&config).await,
        Command::Render(RenderCommand::Rebuild(args)) => {
            commands::render_rebuild(&config, args.all).await
        }
        Command::Import(ImportCommand::Wxr(args)) => {
            crate::import_command::import_wxr(&config, &args).await
        }
        Command::Export(ExportCommand::Wxr(args)) => commands::export_wxr(&config, &args).await,
        Command::Dev(DevCommand::Corpus(args)) => commands::corpus(&config, &args).await,
        Command::Dev(DevCommand::BenchSearch(args)) => commands::bench_search(&config, &args).await,
        Command::Dev(DevCommand::SmtpSink(_)) => Ok(()),
    }
}

fn flags(cli: &Cli) -> Flags {
    let store = match &cli.command {
        Command::Serve(args) => &args.store,
        Command::Migrate(args) => &args.store,
        Command::User(UserCommand::Add(args)) => &args.store,
        Command::User(UserCommand::List(args)) => &args.store,
        Command::User(UserCommand::ResetPassword(args)) => &args.store,
        Command::User(UserCommand::AppPassword(args)) => &args.store,
        Command::Backup(args) => &args.store,
        Command::Privacy(PrivacyCommand::Export(args) | PrivacyCommand::Erase(args)) => &args.store,
        Command::Media(MediaCommand::Migrate(args)) => &args.store,
        Command::Media(MediaCommand::Sweep(args)) => &args.store,
        Command::Search(SearchCommand::Reindex(args)) => &args.store,
        Command::Render(RenderCommand::Rebuild(args)) => &args.store,
        Command::Import(ImportCommand::Wxr(args)) => &args.store,
        Command::Export(ExportCommand::Wxr(args)) => &args.store,
        Command::Dev(DevCommand::Corpus(args)) => &args.store,
        Command::Dev(DevCommand::BenchSearch(args)) => &args.store,
        Command::Dev(DevCommand::SmtpSink(_)) => return Flags::default(),
    };
    let mut flags = Flags {
        config_file: cli.config.clone(),
        data_dir: store.data.clone(),
        database_url: store.database.clone(),
        ..Flags::default()
    };
    if let Command::Serve(args) = &cli.command {
        flags.listen = args.listen.clone();
        flags.theme_dir = args.theme.clone();
        flags.metrics_listen = args.metrics_listen.clone();
        flags.no_page_cache = args.no_page_cache;
        flags.index_dir = args.index.index_dir.clone();
    }
    if let Command::Search(SearchCommand::Reindex(args)) = &cli.command {
        flags.index_dir = args.index.index_dir.clone();
    }
    if let Command::Dev(DevCommand::BenchSearch(args)) = &cli.command {
        flags.index_dir = args.index.index_dir.clone();
    }
    flags
}
