//! Development-only helpers: a real Gazette node on `127.0.0.1:0` over a throwaway SQLite file
//! or PostgreSQL database, with a manual clock and a cookie-aware HTTP client.
//!
//! ```ignore
//! let Some(app) = TestApp::spawn(Backend::Postgres).await else { return }; // skipped locally
//! assert_eq!(app.get("/healthz").await.status(), 200);
//! ```

pub mod browser;
mod dependency;
pub mod smtp;
pub mod validators;

use std::net::SocketAddr;
use std::sync::Arc;

pub use dependency::configured_file;
use gazette::bootstrap::FirstRun;
use gazette::config::{Config, Flags};
use gazette::follower::ChangeConsumer;
use gazette::node::{NodeOptions, RunningNode};
use gazette::runner::JobHandler;
use gazette_core::password::PasswordHasher;
use gazette_core::{Email, ManualClock, Publication};
use gazette_store::Store;
pub use gazette_store::testing::{TestDatabase, dependency_available, postgres_url};
use jiff::Timestamp;

/// The password of the administrator every test app starts with.
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";
pub const ADMIN_EMAIL: &str = "admin@example.org";

/// Which database a test app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The moment every test app's clock starts at.
pub fn start_time() -> Timestamp {
    Timestamp::from_second(1_780_000_000).unwrap_or(Timestamp::UNIX_EPOCH) // 2026-05-28T20:26:40Z
}

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
    /// Send mail to this SMTP sink's port (plain SMTP on 127.0.0.1).
    pub smtp_port: Option<u16>,
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
        Some(Self::start(Arc::new(database), clock, options, "node-a").await)
    }

    /// A second node on this app's database and clock, as another machine of the cluster.
    pub async fn spawn_beside(&self, options: TestOptions) -> Self {
        Self::start(self.database.clone(), self.clock.clone(), options, "node-b").await
    }

    async fn start(
        database: Arc<TestDatabase>,
        clock: Arc<ManualClock>,
        options: TestOptions,
        name: &str,
    ) -> Self {
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
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
        if !options.trusted_proxies.is_empty() {
            env.push((
                "GAZETTE_TRUSTED_PROXIES".to_owned(),
                options.trusted_proxies.join(","),
            ));
        }
        let config =
            Config::load(&flags, env).unwrap_or_else(|e| panic!("test configuration: {e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let first_run = FirstRun {
            admin_email: Email::parse(ADMIN_EMAIL).unwrap_or_else(|e| panic!("{e}")),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            with_demo: options.demo,
            publication: options
                .publication
                .clone()
                .unwrap_or_else(Publication::sample),
        };
        let node = gazette::node::start(
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
        Self {
            address: node.address,
            client,
            clock,
            store: node.store.clone(),
            node: Some(node),
            database,
            data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// GETs a path and reads the body as text.
    pub async fn get_text(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        let text = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading GET {path}: {e}"));
        (status, text)
    }

    /// GETs a path, panicking only if the server cannot be reached at all.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
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
