//! The [`Store`] handle, units of work ([`WriteTx`]) and the dispatch to the backend modules.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gazette_core::Clock;
use jiff::Timestamp;
use tokio::sync::watch;

use crate::changes::{ChangeKind, ChangeSubscription, PendingChange};
use crate::{StoreError, postgres, sqlite};

mod units;

/// A boxed future that may cross threads: what a unit of work's closure returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs `$body` against whichever backend `$db` holds, with `backend` naming that backend's
/// module, so one expression serves both.
macro_rules! on_backend {
    ($db:expr, $handle:ident => $body:expr) => {
        match $db {
            crate::store::Backend::Sqlite($handle) => {
                use crate::sqlite as backend;
                $body
            }
            crate::store::Backend::Postgres($handle) => {
                use crate::postgres as backend;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

/// The same for a unit of work's open transaction. A statement the database refused for
/// contention (a deadlock, a serialization failure) marks the unit of work, so
/// [`Store::write`] knows to run it again whatever error type its closure turned that into.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {{
        // In an async block, so that a `?` inside `$body` ends the block, not the function,
        // and its error is seen here.
        let result = match &mut $tx.conn {
            crate::store::TxConn::Sqlite($conn) => {
                use crate::sqlite as backend;
                let $conn = &mut **$conn;
                async { $body }.await
            }
            crate::store::TxConn::Postgres($conn) => {
                use crate::postgres as backend;
                let $conn = &mut **$conn;
                async { $body }.await
            }
        };
        if let Err(crate::StoreError::Contended(_)) = &result {
            $tx.contended = true;
        }
        result
    }};
}
pub(crate) use on_tx;

/// Connections the store holds open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

pub(crate) enum Backend {
    Sqlite(sqlite::SqliteDb),
    Postgres(postgres::PgDb),
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Read connections (SQLite) or pool size (PostgreSQL).
    pub max_connections: u32,
    pub clock: Arc<dyn Clock>,
    /// Whether a SQLite file that does not exist is created (PostgreSQL databases never are).
    /// Commands that only work on an existing journal turn it off, so a mistyped `--data`
    /// creates nothing.
    pub create_if_missing: bool,
    /// Whether this process writes in bulk (an import, a generated corpus), for which SQLite's
    /// writer keeps a large page cache; a serving node's writes are small and frequent.
    pub bulk_writes: bool,
    /// PostgreSQL: whether commits NOTIFY the other nodes and this one LISTENs. Off for
    /// engines without LISTEN/NOTIFY (CockroachDB, YugabyteDB): other nodes' changes and jobs
    /// are then found by polling (`gazette_node::follower::POLL_INTERVAL`).
    pub notifications: bool,
}

impl StoreOptions {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            max_connections: 8,
            clock,
            create_if_missing: true,
            bulk_writes: false,
            notifications: true,
        }
    }

    /// The same options, for a process that writes in bulk.
    pub fn for_bulk_writes(self) -> Self {
        Self {
            bulk_writes: true,
            ..self
        }
    }

    /// The same options, refusing to create a database that does not exist.
    pub fn existing_only(self) -> Self {
        Self {
            create_if_missing: false,
            ..self
        }
    }
}

/// A handle on the store; cheap to clone, shared by every part of a node.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    clock: Arc<dyn Clock>,
    /// PostgreSQL: NOTIFY on commit and LISTEN ([`StoreOptions::notifications`]).
    notifications: bool,
    /// Bumped after every local commit that wrote changes (and, on PostgreSQL, on every
    /// NOTIFY from other nodes), to wake this node's follower.
    changes_signal: watch::Sender<u64>,
    /// The same for jobs enqueued, to wake the job runner.
    jobs_signal: watch::Sender<u64>,
    /// The PostgreSQL LISTEN task, started by the first subscription.
    listener: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut listener) = self.listener.lock()
            && let Some(task) = listener.take()
        {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.kind())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the store a URL names: `sqlite:PATH` (created if missing, unless the options say
    /// otherwise) or `postgres://…`/`postgresql://…`. Fails fast when the database cannot be
    /// reached, and with [`StoreError::NoDatabase`] when it does not exist.
    pub async fn connect(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite(sqlite::SqliteDb::connect(url, &options).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(postgres::PgDb::connect(url, options.max_connections).await?)
        } else {
            return Err(StoreError::BadUrl {
                url: redact_url(url),
                reason: "it must start with sqlite: or postgres:// (postgresql:// works too)"
                    .to_owned(),
            });
        };
        Ok(Self {
            inner: Arc::new(Inner {
                backend,
                clock: options.clock,
                notifications: options.notifications,
                changes_signal: watch::Sender::new(0),
                jobs_signal: watch::Sender::new(0),
                listener: Mutex::new(None),
            }),
        })
    }

    /// The connection pool's size and idle connections, for `/metrics`.
    pub fn pool_stats(&self) -> PoolStats {
        match self.backend() {
            Backend::Sqlite(db) => db.pool_stats(),
            Backend::Postgres(db) => db.pool_stats(),
        }
    }

    pub fn kind(&self) -> BackendKind {
        match self.inner.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.inner.backend
    }

    async fn begin(&self) -> Result<WriteTx, StoreError> {
        let conn = match &self.inner.backend {
            Backend::Sqlite(db) => TxConn::Sqlite(db.begin_write().await?),
            Backend::Postgres(db) => TxConn::Postgres(db.begin_write().await?),
        };
        Ok(WriteTx {
            conn,
            store: self.clone(),
            now: self.now(),
            pending: Vec::new(),
            enqueued_jobs: false,
            contended: false,
        })
    }

    /// Wakes when changes were committed here or (PostgreSQL) on another node.
    pub fn subscribe_changes(&self) -> ChangeSubscription {
        self.ensure_listener();
        ChangeSubscription::new(self.inner.changes_signal.subscribe())
    }

    /// Wakes when jobs were enqueued here or (PostgreSQL) on another node.
    pub fn subscribe_jobs(&self) -> ChangeSubscription {
        self.ensure_listener();
        ChangeSubscription::new(self.inner.jobs_signal.subscribe())
    }

    fn ensure_listener(&self) {
        let Backend::Postgres(db) = &self.inner.backend else {
            return;
        };
        if !self.inner.notifications {
            return;
        }
        let Ok(mut listener) = self.inner.listener.lock() else {
            return;
        };
        if listener.is_none() {
            *listener = Some(db.spawn_listener(
                self.inner.changes_signal.clone(),
                self.inner.jobs_signal.clone(),
            ));
        }
    }

    /// Holds the cluster-wide first-run claim (a leased row of `gazette_claims`, which engines
    /// without advisory locks support too), so nodes starting together bootstrap once. A no-op
    /// on SQLite, whose single writer already serialises bootstrapping.
    pub async fn bootstrap_lock(&self) -> Result<BootstrapLock, StoreError> {
        match &self.inner.backend {
            Backend::Sqlite(_) => Ok(BootstrapLock(None)),
            Backend::Postgres(db) => Ok(BootstrapLock(Some(db.first_run_claim().await?))),
        }
    }

    /// A consistent online copy of a SQLite store into `destination` (a file that must not
    /// exist yet). PostgreSQL stores are backed up with pg_dump instead.
    pub async fn backup_sqlite_into(
        &self,
        destination: &std::path::Path,
    ) -> Result<(), StoreError> {
        match &self.inner.backend {
            Backend::Sqlite(db) => db.vacuum_into(destination).await,
            Backend::Postgres(_) => Err(StoreError::BadUrl {
                url: "postgres".to_owned(),
                reason: "online backups of PostgreSQL are made with pg_dump".to_owned(),
            }),
        }
    }

    /// Lets the query planner learn the shape of the data. Without statistics SQLite assumes
    /// `status = 'published'` is selective and scans every article to count a tag's (27 ms
    /// on 100,000 articles, against 1 ms with them). SQLite runs `PRAGMA optimize`, bounded by
    /// `analysis_limit` so that it stays quick on any size; PostgreSQL's autovacuum keeps its
    /// own statistics, so there is nothing to do.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Backend::Sqlite(db) = &self.inner.backend {
            let conn = &mut *db.writer().await?;
            crate::sqlite::query::execute(conn, "pragma analysis_limit = 1000", &[]).await?;
            crate::sqlite::query::execute(conn, "pragma optimize = 0x10002", &[]).await?;
        }
        Ok(())
    }

    /// Brings the query planner's statistics up to date after writing many rows at once (an
    /// import, a generated corpus). PostgreSQL's autovacuum analyses a table only some time
    /// after it changed; until then the planner believed 715 published articles of 100,000
    /// and read all of them for a section's page 50 (100 ms instead of 3). Vacuuming also
    /// marks the new rows visible to all in the visibility map, without which an index-only
    /// scan still reads each row (2,914 rows, 8.6 ms → 0.4 ms for the same page). SQLite's
    /// `refresh_statistics` does the rest there. About 2 s at 100,000 articles.
    pub async fn analyze_after_bulk_write(&self) -> Result<(), StoreError> {
        match &self.inner.backend {
            Backend::Sqlite(_) => self.refresh_statistics().await,
            Backend::Postgres(db) => {
                // On its own connection, outside any transaction: VACUUM refuses to run
                // inside a transaction block.
                let conn = &mut *db.writer().await?;
                sqlx::raw_sql("vacuum (analyze)")
                    .execute(conn)
                    .await
                    .map_err(crate::postgres::map_error)?;
                Ok(())
            }
        }
    }

    /// Closes every connection; pending work on other handles fails afterwards.
    pub async fn close(&self) {
        match &self.inner.backend {
            Backend::Sqlite(db) => db.close().await,
            Backend::Postgres(db) => db.close().await,
        }
    }
}

/// Holds the first-run lock until dropped (closing its connection releases it).
#[derive(Debug)]
pub struct BootstrapLock(
    #[expect(dead_code, reason = "held only to keep the claim")]
    Option<postgres::first_run_claim::FirstRunClaim>,
);

pub(crate) enum TxConn {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// An open unit of work. Its methods write rows and record the matching changes; nothing is
/// visible to anyone else until [`Store::write`] commits it.
pub struct WriteTx {
    pub(crate) conn: TxConn,
    store: Store,
    /// The unit's single notion of "now", so every row it writes carries the same time.
    pub(crate) now: Timestamp,
    pending: Vec<PendingChange>,
    pub(crate) enqueued_jobs: bool,
    /// A statement was refused for contention: the unit of work may run again.
    pub(crate) contended: bool,
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx")
            .field("now", &self.now)
            .field("pending_changes", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl WriteTx {
    /// The time this unit of work runs at.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Records that an entity changed; the change row is written at commit.
    pub fn record_change(&mut self, kind: ChangeKind, entity_id: Option<i64>) {
        self.pending.push(PendingChange { kind, entity_id });
    }

    /// Records a bulk change (an import): consumers answer it with a full purge or rebuild.
    pub fn record_bulk_change(&mut self) {
        self.record_change(ChangeKind::Bulk, None);
    }

    async fn commit(mut self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut self.pending);
        let now = self.now;
        let notify = self.store.inner.notifications;
        if !pending.is_empty() {
            on_tx!(self, conn => backend::changes::append(conn, &pending, now, notify).await)?;
        }
        if self.enqueued_jobs && notify {
            on_tx!(self, conn => backend::jobs::notify_enqueued(conn).await)?;
        }
        match self.conn {
            // SQLite commits in this process: a failed commit is a rollback.
            TxConn::Sqlite(tx) => tx.commit().await.map_err(|error| {
                if let Backend::Sqlite(db) = &self.store.inner.backend {
                    db.commit_failed();
                }
                crate::sqlite::map_error(error)
            })?,
            TxConn::Postgres(tx) => tx.commit().await.map_err(|error| {
                match crate::postgres::map_error(error) {
                    // The connection failed (or the server ended the session) during COMMIT:
                    // it may have committed first. A refusal the server states (a deferred
                    // check, a serialization failure) is a rollback and stays what it is.
                    StoreError::Unavailable(cause) => StoreError::OutcomeUnknown(cause),
                    other => other,
                }
            })?,
        }
        if !pending.is_empty() {
            self.store
                .inner
                .changes_signal
                .send_modify(|n| *n = n.wrapping_add(1));
        }
        if self.enqueued_jobs {
            self.store
                .inner
                .jobs_signal
                .send_modify(|n| *n = n.wrapping_add(1));
        }
        Ok(())
    }
}

/// `url` with any password, in the user information or a `password=` query parameter,
/// replaced by `***`, for error messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some(authority) = url.find("://").map(|index| index + 3) else {
        return redact_query(url);
    };
    let (scheme, rest) = url.split_at(authority);
    let Some((user_info, host)) = rest.rsplit_once('@') else {
        return format!("{scheme}{}", redact_query(rest));
    };
    let user = match user_info.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => user_info.to_owned(),
    };
    format!("{scheme}{user}@{}", redact_query(host))
}

fn redact_query(text: &str) -> String {
    let Some((base, query)) = text.split_once('?') else {
        return text.to_owned();
    };
    let parameters: Vec<String> = query
        .split('&')
        .map(|parameter| match parameter.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => parameter.to_owned(),
        })
        .collect();
    format!("{base}?{}", parameters.join("&"))
}

/// How long a store waits for a connection before reporting the database unavailable.
pub(crate) const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
