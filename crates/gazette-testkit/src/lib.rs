//! Development-only helpers: a real Gazette node on `127.0.0.1:0` over a throwaway SQLite file
//! or PostgreSQL database, with a manual clock and a cookie-aware HTTP client.
//!
//! ```ignore
//! let Some(app) = TestApp::spawn(Backend::Postgres).await else { return }; // skipped locally
//! assert_eq!(app.get("/healthz").await.status(), 200);
//! ```
//!
//! A test that can only skip without a dependency is also marked, so that a run without it
//! reports it as ignored, with the cfg its crate's build script sets from the variable (see
//! `build-support/test_dependencies.rs`):
//!
//! ```ignore
//! #[cfg_attr(not(gazette_test_vnu), ignore = "needs GAZETTE_TEST_VNU (see README)")]
//! ```

pub mod browser;
pub mod corpora;
mod dependency;
pub mod feed_validators;
pub mod jobs;
pub mod lighthouse;
pub mod smtp;
pub mod validators;

use std::net::SocketAddr;
use std::sync::Arc;

pub use dependency::{configured_file, wxr_fixtures};
use gazette_core::password::PasswordHasher;
use gazette_core::{Email, ManualClock, Publication};
use gazette_node::bootstrap::FirstRun;
use gazette_node::config::{Config, Flags};
use gazette_node::follower::ChangeConsumer;
use gazette_node::node::{NodeOptions, RunningNode};
use gazette_node::runner::JobHandler;
use gazette_store::Store;
pub use gazette_store::testing::{TestDatabase, dependency_available, postgres_url};
use jiff::Timestamp;

/// Declares `mod sqlite` and `mod postgres`, each with one `#[tokio::test]` per name that
/// calls the `async fn name(backend: Backend)` of the same name in the enclosing module.
///
/// The PostgreSQL tests are ignored where `cfg(gazette_test_database_url)` is not set (the
/// calling crate's build script sets it, see `build-support/test_dependencies.rs`), so a run
/// without a server reports them as ignored rather than passed. A test that needs another
/// dependency on both backends names its cfg and variable:
///
/// ```ignore
/// on_both_backends!(
///     plain,
///     #[needs(gazette_test_wxr_fixtures, "GAZETTE_TEST_WXR_FIXTURES")]
///     reads_the_fixtures,
/// );
/// ```
#[macro_export]
macro_rules! on_both_backends {
    ($( $(#[needs($cfg:ident, $variable:literal)])? $name:ident ),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               $( #[cfg_attr(not($cfg), ignore = concat!("needs ", $variable, " (see README)"))] )?
               async fn $name() { super::$name($crate::Backend::Sqlite).await; } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(
                   not(all(gazette_test_database_url $(, $cfg)?)),
                   ignore = concat!(
                       "needs GAZETTE_TEST_DATABASE_URL" $(, " and ", $variable)?, " (see README)"
                   )
               )]
               async fn $name() { super::$name($crate::Backend::Postgres).await; } )*
        }
    };
}

/// A cookie-keeping HTTP client that does not follow redirects: a browser of its own, for
/// tests that need several people signed in at once.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("HTTP client: {e}"))
}

/// The value of the first `name="csrf"` field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf field in the page"))
        + marker.len();
    let len = html[start..].find('"').unwrap_or(0);
    html[start..start + len].to_owned()
}

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
    /// Host names readers may reach the node under (as `GAZETTE_ALLOWED_HOSTS`).
    pub allowed_hosts: Vec<String>,
    /// Listen on `[::]` (IPv6 and IPv4 alike) instead of `127.0.0.1`; the app's URLs still
    /// reach it over IPv4, so its clients arrive as IPv4-mapped IPv6 addresses.
    pub dual_stack: bool,
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
        Some(Self::start(Arc::new(database), clock, options, "node-a", None).await)
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

    /// An article's public path, rendered from the publication's permalink pattern
    /// independently of the web layer (for patterns without `%category%` and `%author%`,
    /// such as the default).
    pub async fn article_path(&self, article: &gazette_core::Article) -> String {
        let publication = self
            .store
            .publication()
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("the publication has no settings"));
        let published = article
            .published_at
            .unwrap_or_else(|| panic!("article {} has no publication time", article.id))
            .to_zoned(publication.time_zone.zone())
            .datetime();
        publication
            .permalink
            .render(&gazette_core::PermalinkFields {
                id: article.id.0,
                slug: article.slug.as_str(),
                published,
                category_path: "",
                author_slug: "",
            })
    }

    /// The public path of a published article; panics if it is not published.
    pub async fn published_path(&self, id: gazette_core::ArticleId) -> String {
        let article = self
            .store
            .article(id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no article {id}"));
        assert_eq!(
            article.status,
            gazette_core::Status::Published,
            "article {id}"
        );
        self.article_path(&article).await
    }

    /// Adds a member of staff (email `{name}@example.org`, lower-cased) with a password.
    pub async fn add_staff(
        &self,
        name: &str,
        role: gazette_core::Role,
        password: &str,
    ) -> gazette_core::Person {
        let password = gazette_core::password::NewPassword::parse(password)
            .unwrap_or_else(|e| panic!("test password: {e}"));
        let hash = PasswordHasher::cheap_for_tests()
            .hash(&password)
            .unwrap_or_else(|e| panic!("hashing: {e}"));
        let email = format!("{}@example.org", name.to_lowercase());
        let new = gazette_store::NewPerson {
            display_name: name.to_owned(),
            slug: gazette_core::Slug::from_headline(name),
            email: Email::parse(&email).unwrap_or_else(|e| panic!("{e}")),
            role,
            password_hash: Some(hash),
            bio: String::new(),
            active: true,
        };
        self.store
            .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
            .await
            .unwrap_or_else(|e| panic!("adding {name}: {e}"))
    }

    /// A fresh browser-like client signed in as the first-run administrator.
    pub async fn admin_client(&self) -> reqwest::Client {
        let http = client();
        let response = self.sign_in(&http, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), 303, "the administrator signs in");
        http
    }

    /// The body of a page that must answer 200.
    pub async fn page_text(&self, http: &reqwest::Client, path: &str) -> String {
        let response = http
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert_eq!(response.status(), 200, "GET {path}");
        response
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    /// Sends `fields` to `action` with the CSRF token of the form on `form_path`, as a browser
    /// submitting that form would.
    pub async fn submit_form(
        &self,
        http: &reqwest::Client,
        form_path: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = csrf_of(&self.page_text(http, form_path).await);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        http.post(self.url(action))
            .form(&all)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {action}: {e}"))
    }

    /// Writes an article through the editor's form (with its CSRF token) and returns its id;
    /// `fields` are the form's fields, `action` among them (`save`, `publish`, …).
    pub async fn write_article(
        &self,
        http: &reqwest::Client,
        fields: &[(&str, &str)],
    ) -> gazette_core::ArticleId {
        let response = self
            .submit_form(http, "/admin/articles/new", "/admin/articles/new", fields)
            .await;
        assert_eq!(response.status(), 303, "the article is saved");
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default();
        let id = location
            .trim_start_matches("/admin/articles/")
            .trim_end_matches("?saved=1");
        gazette_core::ArticleId(
            id.parse()
                .unwrap_or_else(|e| panic!("no article id in {location}: {e}")),
        )
    }

    /// What a reader's browser gets for `path` without following redirects: the status and
    /// the `Location` header (empty when there is none).
    pub async fn status_and_location(&self, path: &str) -> (u16, String) {
        let response = client()
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (response.status().as_u16(), location)
    }

    /// Signs `http` in through the sign-in form, as a browser would.
    pub async fn sign_in(
        &self,
        http: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let form = http
            .get(self.url("/admin/sign-in"))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .unwrap_or_else(|e| panic!("GET /admin/sign-in: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("reading the sign-in form: {e}"));
        http.post(self.url("/admin/sign-in"))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf", &csrf_of(&form)),
                ("next", "/admin/"),
            ])
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /admin/sign-in: {e}"))
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
