//! The PostgreSQL backend: one pool, `timestamptz` times, LISTEN/NOTIFY to wake other nodes,
//! `for update skip locked` job claims, and a one-row counter that orders change ids.

pub(crate) mod articles;
pub(crate) mod changes;
pub(crate) mod first_run_claim;
pub(crate) mod jobs;
pub(crate) mod media;
pub(crate) mod migrations;
pub(crate) mod query;

use std::str::FromStr as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{Connection as _, PgPool, Postgres};
use time::OffsetDateTime;
use tokio::sync::watch;

use crate::store::redact_url;

/// How long a request waits for a connection: while the server is down, every new connection
/// is refused until this passes, so it is what a reader waits for the 503 (SQLite's writer,
/// which queues behind a busy file, waits longer).
const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// A pooled connection idle longer than this is pinged before it is used again: a restarted
/// server or a dropped network ends connections while they wait in the pool.
const CHECK_IDLE_AFTER: Duration = Duration::from_secs(5);
use crate::{Constraint, StoreError};

pub(crate) type Conn = sqlx::PgConnection;

/// NOTIFY channels: committed changes and enqueued jobs.
pub(crate) const CHANGES_CHANNEL: &str = "gazette_changes";
pub(crate) const JOBS_CHANNEL: &str = "gazette_jobs";

/// The open PostgreSQL database.
pub(crate) struct PgDb {
    pool: PgPool,
}

impl PgDb {
    pub(crate) async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl {
                url: redact_url(url),
                reason: e.to_string(),
            })?
            .application_name("gazette");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(2))
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            // sqlx pings every connection it hands out: a round trip before each statement
            // (7 % of an uncached article page's CPU at 100,000 articles). A connection used
            // moments ago is alive, so only one that sat idle is checked.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > CHECK_IDLE_AFTER || idle_since_a_failure(meta.idle_for) {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options.clone())
            .await
            .map_err(|error| connect_error(error, &options))?;
        Ok(Self { pool })
    }

    pub(crate) async fn reader(&self) -> Result<PoolConnection<Postgres>, StoreError> {
        self.pool.acquire().await.map_err(StoreError::Unavailable)
    }

    pub(crate) async fn writer(&self) -> Result<PoolConnection<Postgres>, StoreError> {
        self.reader().await
    }

    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, Postgres>, StoreError> {
        self.pool.begin().await.map_err(StoreError::Unavailable)
    }

    /// How many connections are open (readers and writers share the pool here).
    pub(crate) fn reader_count(&self) -> u32 {
        self.pool.size()
    }

    /// Whether every open connection is back in the pool.
    pub(crate) fn readers_idle(&self) -> bool {
        self.pool.num_idle() >= self.pool.size() as usize
    }

    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub(crate) fn pool_stats(&self) -> crate::PoolStats {
        crate::PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
        }
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// Takes the first-run claim (a leased row, so engines without advisory locks work too).
    pub(crate) async fn first_run_claim(
        &self,
    ) -> Result<first_run_claim::FirstRunClaim, StoreError> {
        first_run_claim::take(&self.pool).await
    }

    /// Forwards NOTIFYs from every node to this process's signals. Notifications can be lost
    /// while reconnecting, so it signals once after each reconnect, and followers also poll.
    pub(crate) fn spawn_listener(
        &self,
        changes: watch::Sender<u64>,
        jobs: watch::Sender<u64>,
    ) -> tokio::task::JoinHandle<()> {
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let bump = |signal: &watch::Sender<u64>| signal.send_modify(|n| *n = n.wrapping_add(1));
            loop {
                let mut listener = match PgListener::connect_with(&pool).await {
                    Ok(listener) => listener,
                    Err(error) => {
                        tracing::warn!(%error, "could not LISTEN for changes; retrying");
                        tokio::time::sleep(Duration::from_secs(2)).await;
                        continue;
                    }
                };
                if let Err(error) = listener.listen_all([CHANGES_CHANNEL, JOBS_CHANNEL]).await {
                    tracing::warn!(%error, "could not LISTEN for changes; retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
                bump(&changes);
                bump(&jobs);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(note)) if note.channel() == JOBS_CHANNEL => bump(&jobs),
                        Ok(Some(_)) => bump(&changes),
                        // The session was lost (the next call connects again): what was
                        // sent meanwhile is gone, so followers and runners look for themselves.
                        Ok(None) => {
                            tracing::warn!("lost the LISTEN connection; reconnecting");
                            bump(&changes);
                            bump(&jobs);
                        }
                        Err(error) => {
                            tracing::warn!(%error, "lost the LISTEN connection; reconnecting");
                            break;
                        }
                    }
                }
            }
        })
    }
}

/// A time as stored: `timestamptz`.
pub(crate) fn db_time(time: Timestamp) -> OffsetDateTime {
    // Every jiff timestamp fits in OffsetDateTime's range (±9999 years).
    OffsetDateTime::from_unix_timestamp_nanos(time.as_nanosecond())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub(crate) fn from_offset(time: OffsetDateTime) -> Result<Timestamp, StoreError> {
    Timestamp::from_nanosecond(time.unix_timestamp_nanos())
        .map_err(|e| StoreError::corrupt("timestamp", e))
}

/// Maps PostgreSQL's errors onto the store's by constraint name.
/// A database that does not exist (`invalid_catalog_name`) is told apart from a server that
/// does not answer: the fix is to create it, not to wait for it.
fn connect_error(error: sqlx::Error, options: &PgConnectOptions) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("3D000") => {
            StoreError::NoDatabase {
                backend: crate::BackendKind::Postgres,
                // Without a database in the URL, PostgreSQL uses the user's name.
                name: options
                    .get_database()
                    .unwrap_or(options.get_username())
                    .to_owned(),
            }
        }
        _ => StoreError::Unavailable(error),
    }
}

/// When a connection last failed (microseconds since [`clock_start`]), or 0. A server restart
/// or `pg_terminate_backend` ends every session at once, so after one connection fails, every
/// connection that sat idle since then is checked before use: one request learns of the
/// failure, the next ones get live connections. Process-wide: a failure seen by one store
/// costs another store's connections a ping at most.
static LAST_FAILURE: AtomicU64 = AtomicU64::new(0);

fn clock_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn record_failure() {
    let at = u64::try_from(clock_start().elapsed().as_micros()).unwrap_or(u64::MAX);
    LAST_FAILURE.store(at.max(1), Ordering::Relaxed);
}

/// Whether a connection idle for `idle_for` was already idle when a connection last failed.
fn idle_since_a_failure(idle_for: Duration) -> bool {
    let failed_at = LAST_FAILURE.load(Ordering::Relaxed);
    if failed_at == 0 {
        return false;
    }
    let idle_from = clock_start().elapsed().saturating_sub(idle_for);
    idle_from <= Duration::from_micros(failed_at)
}

pub(crate) fn map_error(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) => match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict {
                constraint: constraint_from_name(db.constraint().unwrap_or("")),
            },
            sqlx::error::ErrorKind::ForeignKeyViolation => StoreError::InvalidReference,
            // deadlock_detected, serialization_failure: rolled back, safe to try again.
            _ if matches!(db.code().as_deref(), Some("40P01" | "40001")) => {
                StoreError::Contended(error)
            }
            // The server ended the session (57P01 admin shutdown, 57P02 crash shutdown, 57P03
            // starting up) or the connection failed (class 08): not our fault, worth retrying.
            _ if db
                .code()
                .is_some_and(|code| code.starts_with("57P") || code.starts_with("08")) =>
            {
                record_failure();
                StoreError::Unavailable(error)
            }
            _ => StoreError::Database(error),
        },
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => {
            record_failure();
            StoreError::Unavailable(error)
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => StoreError::Unavailable(error),
        _ => StoreError::Database(error),
    }
}

fn constraint_from_name(name: &str) -> Constraint {
    match name {
        "people_email_unique" => Constraint::PersonEmail,
        "people_slug_unique" => Constraint::PersonSlug,
        "sections_slug_unique" => Constraint::SectionSlug,
        "tags_slug_unique" => Constraint::TagSlug,
        "articles_slug_unique" => Constraint::ArticleSlug,
        "articles_legacy_wp_id_unique" => Constraint::ArticleLegacyId,
        "article_authors_once" => Constraint::ArticleAuthorOnce,
        "pages_path" => Constraint::PagePath,
        "media_path_key" => Constraint::MediaPath,
        "redirects_source_key_key" => Constraint::RedirectSource,
        "jobs_dedupe_key_unique" => Constraint::JobDedupeKey,
        "idempotency_keys_pkey" => Constraint::IdempotencyKey,
        other => Constraint::Other(other.to_owned()),
    }
}
