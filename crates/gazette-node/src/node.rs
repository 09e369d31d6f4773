//! A running node: the store, the follower, the job runner and the HTTP server, started
//! together and stopped together.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use gazette_core::Clock;
use gazette_core::password::PasswordHasher;
use gazette_store::{Store, StoreOptions};
use gazette_web::cache::CacheOptions;
use gazette_web::{AppState, Readiness, WebOptions};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::bootstrap::{Bootstrapped, FirstRun, bootstrap};
use crate::config::Config;
use crate::follower::{ChangeConsumer, Follower, FollowerProgress};
use crate::maintenance::{
    FORGET_COMMENTERS, FORGET_EXPIRED_ACCESS, PRUNE_CHANGE_LOG, TALLY_NEWSLETTERS,
};
use crate::media_jobs::{MakeVariants, RemoveFiles};
use crate::media_references::MediaReferences;
use crate::newsletter_jobs::{MakeDigests, SendOnPublication};
use crate::page_cache::PageCacheInvalidator;
use crate::publishing::PublishScheduled;
use crate::runner::{JobHandler, JobRunner, RunnerWaker, Stopping};
use crate::search_index::SearchIndexer;

/// Everything a node needs to start.
#[derive(Debug)]
pub struct NodeOptions {
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    pub first_run: FirstRun,
    /// Node-local caches fed by the follower.
    pub consumers: Vec<Arc<dyn ChangeConsumer>>,
    /// Job handlers besides the built-in ones.
    pub job_handlers: Vec<Arc<dyn JobHandler>>,
    /// Names this node in job claims and logs.
    pub node_name: String,
}

/// A started node.
#[derive(Debug)]
pub struct RunningNode {
    pub address: SocketAddr,
    /// Where `/metrics` answers, when `metrics_listen` is set.
    pub metrics_address: Option<SocketAddr>,
    /// The web layer's state (its page cache, for tests and the follower).
    pub state: AppState,
    pub store: Store,
    pub bootstrapped: Bootstrapped,
    pub follower: FollowerProgress,
    pub jobs: RunnerWaker,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    server: JoinHandle<std::io::Result<()>>,
}

/// Opens the store named by the configuration, creating the data directory and SQLite file
/// when missing: for the commands that create journals (`serve`, `migrate`, `import wxr`,
/// `user add`).
pub async fn open_store(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Store> {
    open_store_with(config, StoreOptions::new(clock)).await
}

/// [`open_store`] with chosen options: `import wxr` asks for
/// [`StoreOptions::for_bulk_writes`].
pub async fn open_store_with(config: &Config, options: StoreOptions) -> anyhow::Result<Store> {
    if config.database_url.starts_with("sqlite:") {
        create_dir(&config.data_dir, "data_dir")?;
    }
    connect(config, options).await
}

/// Opens the store of a journal that must exist already, creating and migrating nothing: a
/// missing database, one without a schema or with another version's is an error that says
/// which command to run.
pub async fn open_journal(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Store> {
    open_journal_with(config, StoreOptions::new(clock)).await
}

/// [`open_journal`] with chosen options (always refusing a database that does not exist):
/// `dev corpus` asks for [`StoreOptions::for_bulk_writes`].
pub async fn open_journal_with(config: &Config, options: StoreOptions) -> anyhow::Result<Store> {
    let store = connect(config, options.existing_only()).await?;
    if let Err(error) = store.check_schema().await {
        store.close().await;
        return Err(error.into());
    }
    Ok(store)
}

/// Opens an existing database without checking its schema (`backup` says what to do about
/// PostgreSQL first).
pub async fn connect_existing(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Store> {
    connect(config, StoreOptions::new(clock).existing_only()).await
}

async fn connect(config: &Config, options: StoreOptions) -> anyhow::Result<Store> {
    let options = StoreOptions {
        notifications: config.database_notifications,
        ..options
    };
    Store::connect(&config.database_url, options)
        .await
        .with_context(|| {
            format!(
                "cannot open the database at {} (setting database_url)",
                gazette_store::redact_url(&config.database_url)
            )
        })
}

/// Bootstraps the store and starts every part of a node on `listener`.
pub async fn start(options: NodeOptions, listener: TcpListener) -> anyhow::Result<RunningNode> {
    let NodeOptions {
        config,
        clock,
        hasher,
        first_run,
        consumers,
        job_handlers,
        node_name,
    } = options;
    let media = config
        .media_store()
        .context("setting up the media store (the [media_bucket] settings)")?;
    // open_store creates the data directory a SQLite store lives in; media need theirs anyway.
    if let Some(dir) = media.local_dir() {
        create_dir(dir, "the media directory")?;
    }
    let store = open_store(&config, clock.clone()).await?;
    let bootstrapped = bootstrap(&store, &first_run, &hasher).await?;
    store
        .refresh_statistics()
        .await
        .context("refreshing the database's query statistics")?;
    let daily = [
        PRUNE_CHANGE_LOG.job(clock.now()),
        FORGET_COMMENTERS.job(clock.now()),
        FORGET_EXPIRED_ACCESS.job(clock.now()),
        TALLY_NEWSLETTERS.job(clock.now()),
        // Not daily: it comes back at the next digest's time.
        gazette_store::digests_job(clock.now()),
    ];
    store
        .write(|tx| {
            Box::pin(async move {
                for job in &daily {
                    tx.enqueue_job(job).await?;
                }
                Ok::<_, gazette_store::StoreError>(())
            })
        })
        .await?;

    if first_run.with_demo && matches!(bootstrapped, Bootstrapped::FirstRun { .. }) {
        crate::demo::write_demo_media(&media)
            .await
            .context("storing the demo images")?;
    }

    let search = open_search_index(&config, &store).await?;
    let readiness = Arc::new(Readiness::default());
    let address = listener
        .local_addr()
        .context("reading the listening address")?;
    let web = WebOptions {
        trusted_proxies: config.trusted_proxies.clone(),
        listen: Some(address),
        allowed_hosts: config.allowed_hosts.clone(),
        mail_enabled: config.smtp.is_some(),
        mail_signed: config.smtp.as_ref().is_some_and(|smtp| smtp.dkim.is_some()),
        webhook_secret: config
            .smtp
            .as_ref()
            .and_then(|smtp| smtp.webhook_secret.clone()),
        hasher: hasher.clone(),
        theme_dir: config.theme_dir.clone(),
        media: media.clone(),
        cache: CacheOptions {
            enabled: config.page_cache,
            ..CacheOptions::default()
        },
        search: Some(search.clone()),
    };
    let state = AppState::new(store.clone(), readiness.clone(), web)
        .context("loading the theme (setting theme_dir)")?;
    let mut consumers = consumers;
    // The index first: pages rendered after the cache is emptied show its related articles.
    consumers.push(Arc::new(SearchIndexer::new(
        search,
        store.clone(),
        state.page_cache().clone(),
    )));
    consumers.push(Arc::new(PageCacheInvalidator(state.page_cache().clone())));
    consumers.push(Arc::new(MediaReferences(store.clone())));
    let (follower, progress) = Follower::start(store.clone(), consumers, readiness.clone()).await?;
    let (shutdown, signal) = watch::channel(false);
    let mut handlers: Vec<Arc<dyn JobHandler>> = vec![
        Arc::new(PRUNE_CHANGE_LOG),
        Arc::new(FORGET_COMMENTERS),
        Arc::new(FORGET_EXPIRED_ACCESS),
        Arc::new(TALLY_NEWSLETTERS),
        Arc::new(PublishScheduled),
        // On every node, mail or not: without mail they make nothing and come back later.
        Arc::new(SendOnPublication::new(state.clone())),
        Arc::new(MakeDigests::new(state.clone())),
        Arc::new(MakeVariants::new(media.clone())),
        Arc::new(RemoveFiles::new(media.clone())),
    ];
    if let Some(smtp) = config.smtp.clone() {
        handlers.push(Arc::new(crate::newsletter_mail::SendNewsletter::new(
            smtp.clone(),
            Stopping::new(signal.clone()),
        )));
        handlers.push(Arc::new(crate::mail::SendEmail::new(smtp)));
    }
    handlers.extend(job_handlers);
    let runner = JobRunner::new(store.clone(), node_name, handlers);
    let jobs = runner.waker();

    let tasks = vec![
        tokio::spawn(follower.run(signal.clone())),
        tokio::spawn(runner.run(signal.clone())),
    ];
    let mut tasks = tasks;
    let metrics_address = match config.metrics_listen {
        Some(address) => {
            let metrics = TcpListener::bind(address).await.with_context(|| {
                format!("cannot listen on {address} (setting metrics_listen): is another program using it?")
            })?;
            let bound = metrics
                .local_addr()
                .context("reading the metrics address")?;
            let mut stop = signal.clone();
            let metrics_state = state.clone();
            tasks.push(tokio::spawn(async move {
                let stopped = async move {
                    let _ = stop.wait_for(|stopped| *stopped).await;
                };
                if let Err(error) =
                    gazette_web::serve_metrics(metrics_state, metrics, stopped).await
                {
                    tracing::error!(%error, "the metrics server failed");
                }
            }));
            Some(bound)
        }
        None => None,
    };
    let mut stop = signal;
    let server = tokio::spawn(gazette_web::serve_site(
        state.clone(),
        listener,
        async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        },
    ));
    Ok(RunningNode {
        address,
        metrics_address,
        state,
        store,
        bootstrapped,
        follower: progress,
        jobs,
        shutdown,
        tasks,
        server,
    })
}

/// How long a stopping node waits for work its handlers started after answering.
const AFTER_ANSWER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

impl RunningNode {
    /// Stops taking requests, lets requests in flight and the work they started after
    /// answering finish, stops the follower and the runner, and closes the store.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        let served = self.server.await.context("the HTTP server task panicked")?;
        // A reset link asked for just before the stop is still made and queued for sending.
        let after_answers = self.state.after_answer().settled();
        if tokio::time::timeout(AFTER_ANSWER_PATIENCE, after_answers)
            .await
            .is_err()
        {
            tracing::warn!("work started after answers was still running at shutdown");
        }
        for task in self.tasks {
            let _ = task.await;
        }
        self.store.close().await;
        served.context("the HTTP server failed")
    }
}

/// Opens this node's search index for the publication's language. The follower fills it.
pub async fn open_search_index(
    config: &Config,
    store: &Store,
) -> anyhow::Result<Arc<gazette_search::SearchIndex>> {
    let language = store
        .publication()
        .await?
        .map(|p| p.language.as_str().to_owned())
        .unwrap_or_else(|| "en".to_owned());
    create_dir(&config.index_dir, "index_dir")?;
    let dir = config.index_dir.clone();
    let index = tokio::task::spawn_blocking(move || gazette_search::SearchIndex::open(&dir, &language))
        .await
        .context("the search index task panicked")?
        .with_context(|| {
            format!(
                "cannot open the search index in {} (setting index_dir): check that the directory is writable",
                config.index_dir.display()
            )
        })?;
    Ok(Arc::new(index))
}

/// Creates a directory for the journal's data, for Gazette's account only (an existing one
/// keeps the mode its operator gave it).
fn create_dir(path: &std::path::Path, setting: &str) -> anyhow::Result<()> {
    crate::private_files::create_private_dir(path)
        .with_context(|| format!("cannot create {} ({setting})", path.display()))
}
