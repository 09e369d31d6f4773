//! Running the journal: `serve` and `migrate`, and what either creates on a first run (an
//! administrator, the operator's publication seed, the demo unless `--no-demo`).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Args;
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, SystemClock};
use gazette_node::bootstrap::{ADMIN_PASSWORD_VAR, Bootstrapped, FirstRun};
use gazette_node::config::Config;
use gazette_node::node;

use super::{IndexArgs, StoreArgs};

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    /// The address to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub(super) listen: Option<String>,
    /// A directory whose files override the built-in theme, file by file.
    #[arg(long, value_name = "DIR")]
    pub(super) theme: Option<PathBuf>,
    /// Serve Prometheus metrics at http://ADDR/metrics (off unless given; keep it private).
    #[arg(long, value_name = "ADDR")]
    pub(super) metrics_listen: Option<String>,
    /// Render every page on every request, uncompressed (for measuring the renderer).
    #[arg(long)]
    pub(super) no_page_cache: bool,
    #[command(flatten)]
    pub(super) index: IndexArgs,
    #[command(flatten)]
    pub(super) first_run: FirstRunArgs,
}

#[derive(Debug, Args)]
pub(super) struct MigrateArgs {
    #[command(flatten)]
    pub(super) store: StoreArgs,
    #[command(flatten)]
    pub(super) first_run: FirstRunArgs,
}

/// What a first run creates.
#[derive(Debug, Args)]
pub(super) struct FirstRunArgs {
    #[command(flatten)]
    admin: AdminArgs,
    /// Start with an empty journal instead of the demo content.
    #[arg(long)]
    no_demo: bool,
}

/// The administrator a first run creates.
#[derive(Debug, Args)]
pub(crate) struct AdminArgs {
    /// The first administrator's email; the password comes from GAZETTE_ADMIN_PASSWORD or is
    /// generated and printed once.
    #[arg(long, value_name = "EMAIL", default_value = "admin@localhost")]
    admin_email: String,
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

pub(super) async fn serve(config: Config, args: &FirstRunArgs) -> anyhow::Result<()> {
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

pub(super) async fn migrate(config: Config, args: &FirstRunArgs) -> anyhow::Result<()> {
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
