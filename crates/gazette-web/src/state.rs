//! The state every handler receives.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use gazette_core::Authority;
use gazette_core::password::{NewPassword, PasswordHash, PasswordHasher};
use gazette_store::Store;
use ipnet::IpNet;

use crate::after_answer::AfterAnswer;
use crate::cache::{CacheOptions, PageCache};
use crate::kernel::origin::KnownHosts;
use crate::kernel::site::{Site, SiteError};
use crate::locks::{lock, read, write};
use crate::metrics::Metrics;
use crate::theme::{Theme, ThemeError};

/// After a snapshot rebuild waited in vain for a database connection, others are refused at
/// once for this long. (A broken connection is not such a failure: the next ask gets a new
/// one.) One public request asks for the snapshot several times (redirect rules, its
/// origin, the page, the error page), and each ask would otherwise wait out the pool's wait
/// for a connection again: 12 s instead of 3 for a page during an outage, measured.
const RELOAD_PAUSE: Duration = Duration::from_secs(1);

/// What the web layer needs from the node's configuration.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Proxies whose `Forwarded` / `X-Forwarded-*` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The address the public server listens on (its port once bound): a `Host` naming it,
    /// or `localhost` on its port, may shape the links of cached pages.
    pub listen: Option<SocketAddr>,
    /// The operator's other host names for this node (`allowed_hosts`).
    pub allowed_hosts: Vec<Authority>,
    /// Checks staff passwords at sign-in (cheap only in tests).
    pub hasher: PasswordHasher,
    /// Whether an SMTP server is configured, so links can be sent by email.
    pub mail_enabled: bool,
    /// Whether that mail is signed with the journal's DKIM key.
    pub mail_signed: bool,
    /// The secret the relay's bounce and complaint webhooks prove themselves with.
    pub webhook_secret: Option<String>,
    /// A directory whose files override the embedded theme's (`--theme`).
    pub theme_dir: Option<PathBuf>,
    /// Where uploaded media live (served at `/media/`).
    pub media: gazette_media::MediaStore,
    pub cache: CacheOptions,
    /// The node's search index; None serves search from nothing (a clear "unavailable" page).
    pub search: Option<Arc<gazette_search::SearchIndex>>,
}

/// Shared application state: cheap to clone (one `Arc`).
#[derive(Debug, Clone)]
pub struct AppState(Arc<App>);

#[derive(Debug)]
struct App {
    /// The content store; every read and write goes through it.
    store: Store,
    /// Whether this node may take traffic (`/readyz`).
    readiness: Arc<Readiness>,
    theme: Theme,
    cache: Arc<PageCache>,
    /// The last site snapshot; rebuilt when the cache's site generation moves past it.
    site: RwLock<Option<Arc<Site>>>,
    /// Held while the snapshot is rebuilt, so a burst of requests after a change rebuilds once.
    site_reload: tokio::sync::Mutex<()>,
    /// When a rebuild last failed for want of the database (see [`RELOAD_PAUSE`]).
    reload_failed_at: std::sync::Mutex<Option<Instant>>,
    media: gazette_media::MediaStore,
    metrics: Metrics,
    trusted_proxies: Vec<IpNet>,
    /// Hosts whose name the links of cached pages may carry (see `origin`).
    known_hosts: KnownHosts,
    hasher: PasswordHasher,
    mail_enabled: bool,
    mail_signed: bool,
    webhook_secret: Option<String>,
    /// Verified against when a sign-in names no account, so that takes as long as a real check.
    dummy_password_hash: PasswordHash,
    /// Password checks take turns (see `admin::sign_in`).
    sign_in_gate: tokio::sync::Semaphore,
    search: Option<Arc<gazette_search::SearchIndex>>,
    after_answer: AfterAnswer,
}

impl AppState {
    /// Loads the theme (failing at start-up, not on the first request, if an override is
    /// broken) and builds the state.
    pub fn new(
        store: Store,
        readiness: Arc<Readiness>,
        options: WebOptions,
    ) -> Result<Self, ThemeError> {
        let theme = Theme::load(options.theme_dir.as_deref())?;
        let dummy_password_hash = options
            .hasher
            .hash(&NewPassword::generate())
            .unwrap_or_else(|_| PasswordHash::from_stored(String::new()));
        Ok(Self(Arc::new(App {
            store,
            readiness,
            theme,
            cache: Arc::new(PageCache::new(options.cache)),
            site: RwLock::new(None),
            site_reload: tokio::sync::Mutex::new(()),
            reload_failed_at: std::sync::Mutex::new(None),
            media: options.media,
            metrics: Metrics::default(),
            trusted_proxies: options.trusted_proxies,
            known_hosts: KnownHosts::new(options.listen, &options.allowed_hosts),
            hasher: options.hasher,
            mail_enabled: options.mail_enabled,
            mail_signed: options.mail_signed,
            webhook_secret: options.webhook_secret,
            dummy_password_hash,
            sign_in_gate: tokio::sync::Semaphore::new(1),
            search: options.search,
            after_answer: AfterAnswer::default(),
        })))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// Work handlers started after answering, which a stopping node waits for.
    pub fn after_answer(&self) -> &AfterAnswer {
        &self.0.after_answer
    }

    /// The node's search index, when it has one.
    pub fn search(&self) -> Option<&Arc<gazette_search::SearchIndex>> {
        self.0.search.as_ref()
    }

    pub fn readiness(&self) -> &Readiness {
        &self.0.readiness
    }

    pub fn theme(&self) -> &Theme {
        &self.0.theme
    }

    /// The page cache; the node's follower invalidates it on every content change.
    pub fn page_cache(&self) -> &Arc<PageCache> {
        &self.0.cache
    }

    /// The media store (a directory or a bucket).
    pub fn media(&self) -> &gazette_media::MediaStore {
        &self.0.media
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn trusted_proxies(&self) -> &[IpNet] {
        &self.0.trusted_proxies
    }

    /// Hosts whose name the links of cached pages may carry.
    pub(crate) fn known_hosts(&self) -> &KnownHosts {
        &self.0.known_hosts
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.0.hasher
    }

    pub fn mail_enabled(&self) -> bool {
        self.0.mail_enabled
    }

    /// The relay webhooks' secret, when the operator set one.
    pub(crate) fn webhook_secret(&self) -> Option<&str> {
        self.0.webhook_secret.as_deref()
    }

    /// Whether mail is signed with DKIM (the back office warns when it is not).
    pub fn mail_signed(&self) -> bool {
        self.0.mail_signed
    }

    pub(crate) fn sign_in_gate(&self) -> &tokio::sync::Semaphore {
        &self.0.sign_in_gate
    }

    pub(crate) fn dummy_password_hash(&self) -> &PasswordHash {
        &self.0.dummy_password_hash
    }

    /// The site snapshot for the current content generation.
    pub async fn site(&self) -> Result<Arc<Site>, SiteError> {
        let generation = self.0.cache.site_generation();
        if let Some(site) = self.current_site(generation) {
            return Ok(site);
        }
        self.reload_allowed()?;
        let _reloading = self.0.site_reload.lock().await;
        if let Some(site) = self.current_site(generation) {
            return Ok(site); // another request rebuilt it while we waited
        }
        self.reload_allowed()?;
        let loaded = Site::load(&self.0.store, &self.0.theme, generation).await;
        if let Err(SiteError::Store(error)) = &loaded
            && error.waited_in_vain()
        {
            *lock(&self.0.reload_failed_at) = Some(Instant::now());
        }
        let site = Arc::new(loaded?);
        let mut slot = write(&self.0.site);
        // Keep whichever snapshot is newer if two requests rebuilt at once.
        if slot.as_ref().is_none_or(|old| old.generation <= generation) {
            *slot = Some(site.clone());
        }
        Ok(site)
    }

    /// Refuses a rebuild for a moment after one failed for want of the database.
    fn reload_allowed(&self) -> Result<(), SiteError> {
        let failed_at = *lock(&self.0.reload_failed_at);
        match failed_at {
            Some(at) if at.elapsed() < RELOAD_PAUSE => Err(SiteError::DatabaseResting),
            _ => Ok(()),
        }
    }

    /// A snapshot read now and not cached: for answering a write with what it just changed,
    /// before the change feed has reached this node's cache.
    pub(crate) async fn fresh_site(&self) -> Result<Arc<Site>, SiteError> {
        let generation = self.0.cache.site_generation();
        Ok(Arc::new(
            Site::load(&self.0.store, &self.0.theme, generation).await?,
        ))
    }

    /// The site snapshot, if the current one is loaded already: for answering from the page
    /// cache without waiting for a reload.
    pub(crate) fn loaded_site(&self) -> Option<Arc<Site>> {
        self.current_site(self.0.cache.site_generation())
    }

    /// The last site snapshot loaded, however old: for response headers, which must not wait
    /// for a reload.
    pub(crate) fn last_site(&self) -> Option<Arc<Site>> {
        read(&self.0.site).clone()
    }

    fn current_site(&self, generation: u64) -> Option<Arc<Site>> {
        let slot = read(&self.0.site);
        slot.as_ref()
            .filter(|site| site.generation == generation)
            .cloned()
    }
}

/// What a node must have done before it reports ready. Flags are set by the parts of the node
/// that own them (the follower sets `caught_up`).
#[derive(Debug, Default)]
pub struct Readiness {
    caught_up: AtomicBool,
    /// Set when the database last failed to answer (the follower's reads, `/readyz`, a
    /// request's page), cleared when it last answered: cached pages then say they may be stale.
    database_down: AtomicBool,
}

impl Readiness {
    /// The follower has applied every change that existed when the node started.
    pub fn set_caught_up(&self) {
        self.caught_up.store(true, Ordering::Release);
    }

    pub fn is_caught_up(&self) -> bool {
        self.caught_up.load(Ordering::Acquire)
    }

    /// Records whether the database just answered.
    pub fn set_database_reachable(&self, reachable: bool) {
        self.database_down.store(!reachable, Ordering::Release);
    }

    /// Whether the database failed to answer the last time it was asked.
    pub fn is_database_down(&self) -> bool {
        self.database_down.load(Ordering::Acquire)
    }
}
