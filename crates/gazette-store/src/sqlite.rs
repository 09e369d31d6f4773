//! The SQLite backend: WAL mode, one writer connection (`BEGIN IMMEDIATE`) and a pool of
//! readers. Times are stored as UTC epoch microseconds.

pub(crate) mod articles;
pub(crate) mod changes;
pub(crate) mod jobs;
pub(crate) mod media;
pub(crate) mod migrations;
pub(crate) mod query;

use std::path::Path;
use std::str::FromStr as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use crate::store::{ACQUIRE_TIMEOUT, redact_url};
use crate::{Constraint, StoreError, StoreOptions};

pub(crate) type Conn = sqlx::SqliteConnection;

/// How long a writer waits for another process (a CLI command) holding the write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The open SQLite database.
pub(crate) struct SqliteDb {
    /// Exactly one connection: SQLite allows one writer at a time, and queueing writers here
    /// is cheaper than letting them fight over the file lock.
    writer: SqlitePool,
    readers: SqlitePool,
}

/// Set when a statement or a commit failed because the file could not be written (a full
/// disk, an I/O error, a read-only file): SQLite may have rolled the transaction back itself,
/// and the driver's idea of the writer's transaction no longer matches, so every later `BEGIN`
/// would fail. The next unit of work replaces the writer. Process-wide, as the error mapping
/// that sees these failures is: another store in the process at worst reopens its writer once.
static WRITER_SUSPECT: AtomicBool = AtomicBool::new(false);

/// The writer's page cache (`PRAGMA cache_size`, negative: KiB) in a process that writes in
/// bulk: 64 MiB, so that an import's one large unit of work does not spill its pages to the
/// WAL and search them there (an import of 100,000 posts: 132 s with SQLite's default 2 MiB,
/// 112 s with this). SQLite keeps every page a connection touched until its cache is full, so
/// a cache this size stays full once filled.
const BULK_WRITER_CACHE: &str = "-65536";

/// The writer's page cache in a serving node: SQLite's default, 2 MiB. Its writes are small
/// units of work; with the bulk size, publishing 4,000 posts grew the node's heap from 36 to
/// 120 MiB, with 8 MiB to 58 MiB and with this to 54 MiB, at the same speed.
const SERVING_WRITER_CACHE: &str = "-2048";

/// Each reader's page cache: 512 KiB. Readers read pages from the operating system's cache
/// (a `pread`, not a mapping, so the node's resident size stays bounded: see `connect`), and
/// SQLite keeps what a reader read until its cache is full: eight readers at SQLite's default
/// 2 MiB each would add 16 MiB to a serving node's heap as the journal is read.
const READER_CACHE: &str = "-512";

impl SqliteDb {
    /// Opens the file `url` names; `options.create_if_missing` says whether a missing file is
    /// created or refused with [`StoreError::NoDatabase`].
    pub(crate) async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let (readers, create) = (options.max_connections, options.create_if_missing);
        let writer_cache = if options.bulk_writes {
            BULK_WRITER_CACHE
        } else {
            SERVING_WRITER_CACHE
        };
        let connect_options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl {
                url: redact_url(url),
                reason: e.to_string(),
            })?
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let path = connect_options.get_filename().to_owned();
        if !url.contains(":memory:") && !url.contains("mode=memory") {
            if !create && !path.exists() {
                return Err(StoreError::NoDatabase {
                    backend: crate::BackendKind::Sqlite,
                    name: path.display().to_string(),
                });
            }
            create_owner_only(&path)?;
        }
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(connect_options.clone().pragma("cache_size", writer_cache))
            .await
            .map_err(|error| connect_error(error, &path))?;
        // Readers do not map the file (`mmap_size` 0, SQLite's default, said here). Each
        // connection would map it on its own, and resident memory counts a mapped page once
        // per mapping: with the mapping, a node serving a 1.1 GB journal with eight readers
        // showed 8.4 GiB resident, and the soak took the node past 100 MiB. Since listings
        // read from covering indexes, the mapping saves nothing measurable on an uncached
        // page (decisions log).
        let readers = SqlitePoolOptions::new()
            .max_connections(readers.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(
                connect_options
                    .read_only(true)
                    .pragma("mmap_size", "0")
                    .pragma("cache_size", READER_CACHE),
            )
            .await
            .map_err(|error| connect_error(error, &path))?;
        Ok(Self { writer, readers })
    }

    pub(crate) async fn reader(&self) -> Result<PoolConnection<Sqlite>, StoreError> {
        self.readers
            .acquire()
            .await
            .map_err(StoreError::Unavailable)
    }

    /// Records that a unit of work failed to commit (see [`WRITER_SUSPECT`]).
    pub(crate) fn commit_failed(&self) {
        WRITER_SUSPECT.store(true, Ordering::Release);
    }

    /// The writer, for single statements outside a unit of work (claiming a job).
    pub(crate) async fn writer(&self) -> Result<PoolConnection<Sqlite>, StoreError> {
        self.writer.acquire().await.map_err(StoreError::Unavailable)
    }

    /// Takes the write lock up front (`BEGIN IMMEDIATE`), so a unit of work never fails halfway
    /// because another process started writing first.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, Sqlite>, StoreError> {
        if WRITER_SUSPECT.swap(false, Ordering::AcqRel) {
            let writer = self.writer().await.inspect_err(|_| {
                // Not replaced this time: the next unit of work tries again.
                WRITER_SUSPECT.store(true, Ordering::Release);
            })?;
            // Closing it makes the pool open a fresh one for the `BEGIN` below.
            let _ = writer.close().await;
        }
        self.writer
            .begin_with("begin immediate")
            .await
            .map_err(StoreError::Unavailable)
    }

    pub(crate) async fn vacuum_into(
        &self,
        destination: &std::path::Path,
    ) -> Result<(), StoreError> {
        let path = destination.to_str().ok_or_else(|| StoreError::Io {
            path: destination.display().to_string(),
            cause: std::io::Error::other("the backup path must be valid UTF-8"),
        })?;
        // SQLite fills an empty file as readily as a new one, and this one is private.
        create_owner_only(destination)?;
        sqlx::query("vacuum into $1")
            .bind(path)
            .execute(&mut *self.reader().await?)
            .await
            .map_err(map_error)?;
        Ok(())
    }

    /// How many reader connections are open.
    pub(crate) fn reader_count(&self) -> u32 {
        self.readers.size()
    }

    /// Whether every open reader connection is back in the pool.
    pub(crate) fn readers_idle(&self) -> bool {
        self.readers.num_idle() >= self.readers.size() as usize
    }

    /// Open and idle connections, writer included.
    pub(crate) fn pool_stats(&self) -> crate::PoolStats {
        crate::PoolStats {
            size: self.readers.size() + self.writer.size(),
            idle: u32::try_from(self.readers.num_idle() + self.writer.num_idle())
                .unwrap_or(u32::MAX),
        }
    }

    pub(crate) async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
    }
}

/// A file that is not a database (`SQLITE_NOTADB`) is told apart from one that cannot be
/// reached: the fix is to point `database_url` elsewhere, not to wait.
fn connect_error(error: sqlx::Error, path: &Path) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("26") => {
            StoreError::NotADatabase {
                name: path.display().to_string(),
            }
        }
        _ => StoreError::Unavailable(error),
    }
}

/// Creates an empty database file readable and writable by its owner only (0600 on Unix, set
/// explicitly so the umask cannot open it), before SQLite would create it under the umask;
/// SQLite gives the `-wal` and `-shm` files the database's mode. A file that exists keeps its
/// mode: the operator chose it.
fn create_owner_only(path: &Path) -> Result<(), StoreError> {
    let io = |cause| StoreError::Io {
        path: path.display().to_string(),
        cause,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(error) => return Err(io(error)),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(())
}

/// A time as stored: UTC epoch microseconds.
pub(crate) fn db_time(time: Timestamp) -> i64 {
    time.as_microsecond()
}

pub(crate) fn from_micros(micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|e| StoreError::corrupt("timestamp", e))
}

/// Maps SQLite's errors onto the store's, naming constraints as PostgreSQL does.
pub(crate) fn map_error(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) => match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict {
                constraint: constraint_from_message(db.message()),
            },
            sqlx::error::ErrorKind::ForeignKeyViolation => StoreError::InvalidReference,
            // SQLITE_READONLY (8), SQLITE_IOERR (10), SQLITE_FULL (13), with their extended
            // codes: the file cannot be written now (a full disk, a read-only mount). Nothing
            // was written; it is the machine's trouble, worth retrying once it is fixed.
            _ if file_trouble(&error).is_some() => {
                WRITER_SUSPECT.store(true, Ordering::Release);
                StoreError::Unavailable(error)
            }
            _ => StoreError::Database(error),
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
            StoreError::Unavailable(error)
        }
        _ => StoreError::Database(error),
    }
}

/// Why SQLite could not write its file, from the primary result code (the low byte of the
/// extended one): `SQLITE_READONLY` (8), `SQLITE_FULL` (13), `SQLITE_IOERR` (10).
pub(crate) fn file_trouble(error: &sqlx::Error) -> Option<crate::FileTrouble> {
    let sqlx::Error::Database(db) = error else {
        return None;
    };
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
    let code = db.code()?.parse::<i64>().ok()?;
    match code & 0xff {
        8 => Some(crate::FileTrouble::ReadOnly),
        13 => Some(crate::FileTrouble::Full),
        10 => Some(crate::FileTrouble::Io),
        _ => None,
    }
}

/// SQLite says `UNIQUE constraint failed: people.email_normalized` (or `index 'pages_path'`).
fn constraint_from_message(message: &str) -> Constraint {
    let columns = message
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(message);
    match columns {
        "people.email_normalized" => Constraint::PersonEmail,
        "people.slug" => Constraint::PersonSlug,
        "sections.slug" => Constraint::SectionSlug,
        "tags.slug" => Constraint::TagSlug,
        "articles.slug" => Constraint::ArticleSlug,
        "articles.legacy_wp_id" => Constraint::ArticleLegacyId,
        "article_authors.article_id, article_authors.person_id" => Constraint::ArticleAuthorOnce,
        "index 'pages_path'" => Constraint::PagePath,
        "media.path" => Constraint::MediaPath,
        "redirects.source_key" => Constraint::RedirectSource,
        "jobs.dedupe_key" => Constraint::JobDedupeKey,
        "idempotency_keys.scope, idempotency_keys.key" => Constraint::IdempotencyKey,
        other => Constraint::Other(other.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// Page caches fill with every page read or written and stay full, so their sizes are what
    /// a serving node's heap grows by as its journal changes: the writer's small when serving,
    /// large only for a process that writes in bulk; the readers' small always.
    #[tokio::test]
    async fn page_caches_are_sized_for_what_the_process_writes() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite:{}", dir.path().join("journal.db").display());
        let serving = StoreOptions::new(Arc::new(gazette_core::SystemClock));
        for (options, expected) in [
            (serving.clone(), SERVING_WRITER_CACHE),
            (serving.for_bulk_writes(), BULK_WRITER_CACHE),
        ] {
            let db = SqliteDb::connect(&url, &options).await.expect("opens");
            let mut writer = db.writer().await.expect("a writer");
            let size: i64 = sqlx::query_scalar("pragma cache_size")
                .fetch_one(&mut *writer)
                .await
                .expect("reads the pragma");
            assert_eq!(size.to_string(), expected, "bulk: {}", options.bulk_writes);
            let mut reader = db.reader().await.expect("a reader");
            let size: i64 = sqlx::query_scalar("pragma cache_size")
                .fetch_one(&mut *reader)
                .await
                .expect("reads the pragma");
            assert_eq!(size.to_string(), READER_CACHE);
        }
    }

    /// Resident memory counts a mapped page once per mapping, so readers that mapped the file
    /// would each count the journal again: a reader reads through the operating system's
    /// cache instead, and the file never appears among the process's mappings.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn readers_do_not_map_the_database_file() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("mapped-or-not.db");
        let url = format!("sqlite:{}", file.display());
        let options = StoreOptions::new(Arc::new(gazette_core::SystemClock));
        let db = SqliteDb::connect(&url, &options).await.expect("opens");
        let mut writer = db.writer().await.expect("a writer");
        sqlx::query("create table pages (body text)")
            .execute(&mut *writer)
            .await
            .expect("creates a table");
        sqlx::query("insert into pages values (zeroblob(100000))")
            .execute(&mut *writer)
            .await
            .expect("writes a row");
        sqlx::query("pragma wal_checkpoint(truncate)")
            .execute(&mut *writer)
            .await
            .expect("moves the row into the file");
        let mut reader = db.reader().await.expect("a reader");
        let length: i64 = sqlx::query_scalar("select length(body) from pages")
            .fetch_one(&mut *reader)
            .await
            .expect("reads the row");
        assert_eq!(length, 100_000);
        let maps = std::fs::read_to_string("/proc/self/maps").expect("reads the mappings");
        let name = file.display().to_string();
        assert!(
            !maps.lines().any(|line| line.ends_with(&name)),
            "a connection maps {name}"
        );
    }
}
