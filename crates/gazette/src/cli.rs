//! The command line: `gazette serve | migrate | user | backup | privacy | search | import |
//! export | dev`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, SystemClock};

use crate::commands;
use gazette_node::bootstrap::{ADMIN_PASSWORD_VAR, Bootstrapped, FirstRun};
use gazette_node::config::{Config, Flags};
use gazette_node::{logging, node};

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

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Read a WordPress export (Tools → Export, WXR 1.0–1.2).
    Wxr(ImportWxrArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ImportWxrArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The export file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the whole file and report what it holds, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// The old site's category base, when it was not /category/ (e.g. /topics/): its
    /// archives redirect to the sections'.
    #[arg(long, value_name = "BASE")]
    pub category_base: Option<String>,
    /// The old site's tag base, when it was not /tag/.
    #[arg(long, value_name = "BASE")]
    pub tag_base: Option<String>,
    /// The WordPress menu (its slug) that becomes the header menu; the report lists them.
    #[arg(long, value_name = "SLUG")]
    pub header_menu: Option<String>,
    /// The WordPress menu (its slug) that becomes the footer menu.
    #[arg(long, value_name = "SLUG")]
    pub footer_menu: Option<String>,
    /// A copy of the old site's wp-content/uploads: its images are copied into the media
    /// library and links to them rewritten (without it, images keep their old URLs).
    #[arg(long, value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// The old site's permalink structure, e.g. /%year%/%monthnum%/%postname%/ (default:
    /// inferred from the posts' links).
    #[arg(long, value_name = "PATTERN")]
    pub permalink_structure: Option<String>,
    /// The old site's time zone, e.g. Europe/Paris (default: inferred from the posts' dates
    /// when it can be).
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// When the import creates the journal: its administrator (there is never demo content).
    #[command(flatten)]
    pub admin: AdminArgs,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// A WordPress export (WXR 1.2) of everything: WordPress's importer and
    /// `gazette import wxr` read it.
    Wxr(ExportWxrArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ExportWxrArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Where to write it (default: standard output). The file appears only once complete.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum DevCommand {
    /// Fill the store with a generated journal (for benchmarks), and/or write it as WXR.
    Corpus(CorpusArgs),
    /// Measure search latency: the index against WordPress's LIKE scan, same store, same queries.
    BenchSearch(BenchSearchArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BenchSearchArgs {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    index: IndexArgs,
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

#[derive(Debug, Args)]
pub(crate) struct CorpusArgs {
    #[command(flatten)]
    store: StoreArgs,
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

#[derive(Debug, Subcommand)]
enum SearchCommand {
    /// Build a fresh index beside the live one and swap it in; safe while the server runs
    /// (it picks the new index up within seconds).
    Reindex(ReindexArgs),
}

#[derive(Debug, Subcommand)]
enum RenderCommand {
    /// Render every article and page that an older renderer rendered (all of them with
    /// --all) from its source again; safe while the server runs (pages follow at once).
    Rebuild(RebuildArgs),
}

#[derive(Debug, Args)]
struct RebuildArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Render every body, not only those an older renderer made.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Args)]
struct ReindexArgs {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    index: IndexArgs,
}

/// Where the search index is.
#[derive(Debug, Args)]
struct IndexArgs {
    /// The search index directory [default: DIR/index].
    #[arg(long, value_name = "DIR")]
    index_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum PrivacyCommand {
    /// Print, as JSON, every comment written with this email and all that is stored with it.
    Export(PrivacyArgs),
    /// Remove the name, email, website, IP address and browser from every comment written
    /// with this email; the texts stay, signed "Anonymous".
    Erase(PrivacyArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PrivacyArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The commenter's email address.
    #[arg(long)]
    pub email: String,
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

/// The administrator a first run creates.
#[derive(Debug, Args)]
pub(crate) struct AdminArgs {
    /// The first administrator's email; the password comes from GAZETTE_ADMIN_PASSWORD or is
    /// generated and printed once.
    #[arg(long, value_name = "EMAIL", default_value = "admin@localhost")]
    admin_email: String,
}

/// What a first run creates.
#[derive(Debug, Args)]
struct FirstRunArgs {
    #[command(flatten)]
    admin: AdminArgs,
    /// Start with an empty journal instead of the demo content.
    #[arg(long)]
    no_demo: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// A directory whose files override the built-in theme, file by file.
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
    /// Serve Prometheus metrics at http://ADDR/metrics (off unless given; keep it private).
    #[arg(long, value_name = "ADDR")]
    metrics_listen: Option<String>,
    /// Render every page on every request, uncompressed (for measuring the renderer).
    #[arg(long)]
    no_page_cache: bool,
    #[command(flatten)]
    index: IndexArgs,
    #[command(flatten)]
    first_run: FirstRunArgs,
}

#[derive(Debug, Args)]
struct MigrateArgs {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    first_run: FirstRunArgs,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a staff account.
    Add(UserAddArgs),
    /// List the staff accounts.
    List(UserListArgs),
    /// Set a new password for an account and sign it out everywhere.
    ResetPassword(UserResetArgs),
    /// Make an application password, with which scripts and apps use the REST API (HTTP
    /// Basic, over HTTPS or from this machine). It is shown once.
    AppPassword(UserAppPasswordArgs),
}

#[derive(Debug, Args)]
pub(crate) struct UserAppPasswordArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The account's email address.
    #[arg(long)]
    pub email: String,
    /// What the password is for, e.g. "Newsletter service".
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Args)]
pub(crate) struct UserListArgs {
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Args)]
pub(crate) struct UserResetArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The account's email address.
    #[arg(long)]
    pub email: String,
    /// Read the new password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UserAddArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Their email address (they sign in with it).
    #[arg(long)]
    pub email: String,
    /// Their name as it appears in bylines.
    #[arg(long)]
    pub name: String,
    /// administrator, editor, author or contributor.
    #[arg(long, default_value = "author")]
    pub role: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
struct BackupArgs {
    /// A directory that does not exist yet (or is empty).
    #[arg(value_name = "DEST")]
    destination: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

/// Parses the command line, runs the command and turns errors into a message and exit code 1.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    match run_command(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", crate::explain::describe(&error));
            ExitCode::FAILURE
        }
    }
}

async fn run_command(cli: Cli) -> anyhow::Result<()> {
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
        Command::Search(SearchCommand::Reindex(args)) => &args.store,
        Command::Render(RenderCommand::Rebuild(args)) => &args.store,
        Command::Import(ImportCommand::Wxr(args)) => &args.store,
        Command::Export(ExportCommand::Wxr(args)) => &args.store,
        Command::Dev(DevCommand::Corpus(args)) => &args.store,
        Command::Dev(DevCommand::BenchSearch(args)) => &args.store,
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

fn first_run(config: &Config, args: &FirstRunArgs) -> anyhow::Result<FirstRun> {
    new_journal(config, &args.admin, !args.no_demo)
}

/// What a command that may create the journal creates: an administrator from `--admin-email`
/// and `GAZETTE_ADMIN_PASSWORD`, the operator's `[publication]` seed, the demo if asked for.
pub(crate) fn new_journal(
    config: &Config,
    admin: &AdminArgs,
    with_demo: bool,
) -> anyhow::Result<FirstRun> {
    let admin_email = Email::parse(&admin.admin_email).with_context(|| {
        format!(
            "--admin-email {:?} is not an email address",
            admin.admin_email
        )
    })?;
    Ok(FirstRun {
        admin_email,
        admin_password: std::env::var(ADMIN_PASSWORD_VAR).ok(),
        with_demo,
        publication: config.publication_seed.clone(),
    })
}

async fn serve(config: Config, args: &FirstRunArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (setting listen): is another program using it?",
                config.listen
            )
        })?;
    let options = node::NodeOptions {
        first_run: first_run(&config, args)?,
        config,
        clock: Arc::new(SystemClock),
        hasher: PasswordHasher::production(),
        consumers: Vec::new(),
        job_handlers: Vec::new(),
        node_name: node_name(),
    };
    let running = node::start(options, listener).await?;
    report_bootstrap(&running.bootstrapped);
    eprintln!(
        "Gazette is serving http://{}/ (Ctrl-C stops it)",
        running.address
    );
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.shutdown().await
}

async fn migrate(config: Config, args: &FirstRunArgs) -> anyhow::Result<()> {
    let first_run = first_run(&config, args)?;
    let store = node::open_store(&config, Arc::new(SystemClock)).await?;
    let outcome =
        gazette_node::bootstrap::bootstrap(&store, &first_run, &PasswordHasher::production()).await;
    store.close().await;
    let outcome = outcome?;
    let migrations = match &outcome {
        Bootstrapped::Existing { migrations } | Bootstrapped::FirstRun { migrations, .. } => {
            migrations
        }
    };
    match migrations.applied.last() {
        Some(version) => eprintln!("Migrated the database to schema version {version}."),
        None => eprintln!(
            "The database schema is up to date (version {}).",
            migrations.previous_version
        ),
    }
    report_bootstrap(&outcome);
    Ok(())
}

/// Tells the operator about a first run, and shows a generated password exactly once.
fn report_bootstrap(outcome: &Bootstrapped) {
    if let Bootstrapped::FirstRun {
        admin_email,
        generated_password,
        ..
    } = outcome
    {
        report_new_journal(admin_email, generated_password.as_ref());
    }
}

/// On stderr, so that a report on stdout can be kept without the password in it.
pub(crate) fn report_new_journal(admin_email: &Email, generated_password: Option<&NewPassword>) {
    eprintln!("Created a new journal with administrator {admin_email}.");
    if let Some(password) = generated_password {
        eprintln!(
            "Administrator password (shown only now): {}",
            password.expose()
        );
    }
}

fn node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    format!(
        "{}-{}",
        if host.is_empty() { "gazette" } else { &host },
        std::process::id()
    )
}

/// Completes on Ctrl-C or SIGTERM (what service managers and container runtimes send).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = interrupt => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
