//! A running node under test: started on a fresh database (or beside another node, or again
//! after a restart), waited on until its follower has caught up, and stopped.
//!
//! `requests` holds what a browser does against it; `journal` what tests put in it.

mod journal;
mod requests;

use std::net::SocketAddr;
use std::sync::Arc;

use gazette_core::password::PasswordHasher;
use gazette_core::{Email, ManualClock, Publication};
use gazette_node::bootstrap::FirstRun;
use gazette_node::config::{Config, Flags};
use gazette_node::follower::ChangeConsumer;
use gazette_node::node::{NodeOptions, RunningNode};
use gazette_node::runner::JobHandler;
use gazette_store::Store;
use gazette_store::testing::TestDatabase;

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, start_time};

/// How to start a test app.
#[derive(Debug, Default)]
pub struct TestOptions {
    pub demo: bool,
    /// The editorial settings of the first run (the sample publication when None).
    pub publication: Option<Publication>,
    /// Serve `/metrics` on an ephemeral port too.
    pub metrics: bool,
    /// Render every request (as `--no-page-cache`).
    pub no_page_cache: bool,
    /// Override theme files from this directory (as `--theme`).
    pub theme_dir: Option<std::path::PathBuf>,
    /// Networks whose forwarding headers are believed (as `GAZETTE_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<String>,
    /// Host names readers may reach the node under (as `GAZETTE_ALLOWED_HOSTS`).
    pub allowed_hosts: Vec<String>,
    /// Listen on `[::]` (IPv6 and IPv4 alike) instead of `127.0.0.1`; the app's URLs still
    /// reach it over IPv4, so its clients arrive as IPv4-mapped IPv6 addresses.
    pub dual_stack: bool,
    /// Send mail to this SMTP sink's port (plain SMTP on 127.0.0.1).
    pub smtp_port: Option<u16>,
    /// No `NOTIFY`/`LISTEN` (as `GAZETTE_DATABASE_NOTIFICATIONS=false`): the follower polls.
    pub without_notifications: bool,
    /// More settings, as environment variables (`GAZETTE_SMTP_DKIM_DOMAIN`…).
    pub env: Vec<(String, String)>,
    /// Keep media in this S3 bucket instead of the data directory.
    pub media_bucket: Option<crate::s3::BucketAccess>,
    pub consumers: Vec<Arc<dyn ChangeConsumer>>,
    pub job_handlers: Vec<Arc<dyn JobHandler>>,
}

/// A running node under test.
#[derive(Debug)]
pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub store: Store,
    node: Option<RunningNode>,
    database: Arc<TestDatabase>,
    data_dir: tempfile::TempDir,
}

impl TestApp {
    /// A node with the demo journal on a fresh database; None when `backend` is not
    /// configured here (skipped locally, a failure under CI).
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(
            backend,
            TestOptions {
                demo: true,
                ..TestOptions::default()
            },
        )
        .await
    }

    pub async fn spawn_with(backend: Backend, options: TestOptions) -> Option<Self> {
        let database = match backend {
            Backend::Sqlite => TestDatabase::sqlite(),
            Backend::Postgres => TestDatabase::postgres_empty().await?,
        };
        let clock = Arc::new(ManualClock::new(start_time()));
        Some(Self::start(Arc::new(database), clock, options, "node-a", None).await)
    }

    /// A node on a database the test provides (a throwaway cluster it will break).
    pub async fn spawn_on(database: TestDatabase, options: TestOptions) -> Self {
        let clock = Arc::new(ManualClock::new(start_time()));
        Self::start(Arc::new(database), clock, options, "node-a", None).await
    }

    /// A second node on this app's database and clock, as another machine of the cluster.
    pub async fn spawn_beside(&self, options: TestOptions) -> Self {
        Self::start(
            self.database.clone(),
            self.clock.clone(),
            options,
            "node-b",
            None,
        )
        .await
    }

    /// Stops this node and starts it again on the same database and data directory (its
    /// media and search index), as after a restart of the machine.
    pub async fn restart(self, options: TestOptions) -> Self {
        let Self {
            mut node,
            database,
            clock,
            data_dir,
            ..
        } = self;
        if let Some(node) = node.take() {
            node.shutdown()
                .await
                .unwrap_or_else(|e| panic!("shutdown: {e:#}"));
        }
        Self::start(database, clock, options, "node-a", Some(data_dir)).await
    }

    /// The node's media directory (`/media/` serves it).
    pub fn media_dir(&self) -> std::path::PathBuf {
        self.data_dir.path().join("media")
    }

    /// The database URL this node uses, for running the CLI against it.
    pub fn database_url(&self) -> &str {
        self.database.url()
    }

    async fn start(
        database: Arc<TestDatabase>,
        clock: Arc<ManualClock>,
        options: TestOptions,
        name: &str,
        data_dir: Option<tempfile::TempDir>,
    ) -> Self {
        let data_dir = data_dir.unwrap_or_else(|| {
            tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"))
        });
        let flags = Flags {
            data_dir: Some(data_dir.path().to_owned()),
            database_url: Some(database.url().to_owned()),
            listen: Some("127.0.0.1:0".to_owned()),
            metrics_listen: options.metrics.then(|| "127.0.0.1:0".to_owned()),
            no_page_cache: options.no_page_cache,
            theme_dir: options.theme_dir.clone(),
            ..Flags::default()
        };
        let mut env = Vec::new();
        if let Some(port) = options.smtp_port {
            for (name, value) in [
                ("GAZETTE_SMTP_HOST", "127.0.0.1".to_owned()),
                ("GAZETTE_SMTP_PORT", port.to_string()),
                ("GAZETTE_SMTP_FROM", "newsroom@example.org".to_owned()),
                ("GAZETTE_SMTP_TLS", "none".to_owned()),
            ] {
                env.push((name.to_owned(), value));
            }
        }
        env.extend(options.env.iter().cloned());
        if options.without_notifications {
            env.push((
                "GAZETTE_DATABASE_NOTIFICATIONS".to_owned(),
                "false".to_owned(),
            ));
        }
        if let Some(bucket) = &options.media_bucket {
            env.extend(bucket.env());
        }
        if !options.trusted_proxies.is_empty() {
            env.push((
                "GAZETTE_TRUSTED_PROXIES".to_owned(),
                options.trusted_proxies.join(","),
            ));
        }
        if !options.allowed_hosts.is_empty() {
            env.push((
                "GAZETTE_ALLOWED_HOSTS".to_owned(),
                options.allowed_hosts.join(","),
            ));
        }
        let config =
            Config::load(&flags, env).unwrap_or_else(|e| panic!("test configuration: {e}"));
        let listen = if options.dual_stack {
            "[::]:0"
        } else {
            "127.0.0.1:0"
        };
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .unwrap_or_else(|e| panic!("bind {listen}: {e}"));
        let first_run = FirstRun {
            admin_email: Email::parse(ADMIN_EMAIL).unwrap_or_else(|e| panic!("{e}")),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            with_demo: options.demo,
            publication: options
                .publication
                .clone()
                .unwrap_or_else(Publication::sample),
        };
        // Tests that bring consumers of their own may hold the follower back on purpose.
        let settle = options.consumers.is_empty();
        let node = gazette_node::node::start(
            NodeOptions {
                config,
                clock: clock.clone(),
                hasher: PasswordHasher::cheap_for_tests(),
                first_run,
                consumers: options.consumers,
                job_handlers: options.job_handlers,
                node_name: name.to_owned(),
            },
            listener,
        )
        .await
        .unwrap_or_else(|e| panic!("starting a test node: {e:#}"));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("HTTP client: {e}"));
        // A dual-stack node is reached over IPv4 loopback, as an IPv4 reader would reach it.
        let address = if node.address.ip().is_unspecified() {
            SocketAddr::from(([127, 0, 0, 1], node.address.port()))
        } else {
            node.address
        };
        let app = Self {
            address,
            client,
            clock,
            store: node.store.clone(),
            node: Some(node),
            database,
            data_dir,
        };
        // A node as readers find it once started: its search index built, which empties the
        // page cache once, so a test that counts cache hits is not raced by the start-up.
        if settle {
            app.caught_up().await;
        }
        app
    }

    /// Waits until this node's follower has applied every committed change (so its page
    /// cache shows them).
    pub async fn caught_up(&self) {
        let head = self
            .store
            .latest_change_id()
            .await
            .unwrap_or_else(|e| panic!("reading the change log: {e}"));
        let mut progress = self.node().follower.clone();
        tokio::time::timeout(std::time::Duration::from_secs(5), progress.reached(head))
            .await
            .unwrap_or_else(|_| panic!("the follower did not catch up within 5 s"));
    }

    pub fn node(&self) -> &RunningNode {
        self.node
            .as_ref()
            .unwrap_or_else(|| panic!("the node was shut down"))
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.data_dir.path()
    }

    /// Stops the node but keeps its database, as a machine that goes down while the cluster's
    /// data lives on; `spawn_beside` starts another node on it.
    pub async fn stop(&mut self) {
        if let Some(node) = self.node.take() {
            node.shutdown()
                .await
                .unwrap_or_else(|e| panic!("shutdown: {e:#}"));
        }
    }

    /// Stops the node gracefully.
    pub async fn shutdown(mut self) {
        if let Some(node) = self.node.take() {
            node.shutdown()
                .await
                .unwrap_or_else(|e| panic!("shutdown: {e:#}"));
        }
    }
}
