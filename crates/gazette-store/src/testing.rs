//! Throwaway databases for tests (feature `testing`).
//!
//! SQLite: a file in a temporary directory. PostgreSQL: `GAZETTE_TEST_DATABASE_URL` names a
//! server; the first test of a process migrates a template database (named after a hash of the
//! migrations, built once under an advisory lock), then every test clones it with
//! `create database … template …` and drops its clone afterwards. Clones left behind by a
//! crashed run are swept at the next start: their names carry the process id.
//!
//! An optional dependency that is absent skips its tests locally but fails them when `CI` is
//! set, so CI can never pass by skipping.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gazette_core::SystemClock;
use sha2::{Digest, Sha256};
use sqlx::{Connection as _, Row as _};
use tokio::sync::OnceCell;

use crate::{Store, StoreOptions};

/// The variable naming the PostgreSQL server tests use.
pub const POSTGRES_URL_VAR: &str = "GAZETTE_TEST_DATABASE_URL";

/// Says whether an optional test dependency is there. Locally a missing one skips (returns
/// false with a note); under `CI` it fails the test.
pub fn dependency_available(name: &str, variable: &str, available: bool) -> bool {
    if available {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{name} is required when CI is set: set {variable} (see .ci/run)"
    );
    eprintln!("skipping: {name} is not configured ({variable} is unset)");
    false
}

/// The PostgreSQL server URL, if tests should use one.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|u| !u.is_empty());
    dependency_available("PostgreSQL", POSTGRES_URL_VAR, url.is_some())
        .then_some(url)
        .flatten()
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    _dir: Option<tempfile::TempDir>,
    postgres_clone: Option<PostgresClone>,
}

#[derive(Debug)]
struct PostgresClone {
    admin_url: String,
    name: String,
}

impl TestDatabase {
    /// A fresh, empty SQLite file.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir()
            .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
        let url = format!("sqlite:{}", dir.path().join("gazette.db").display());
        Self {
            url,
            _dir: Some(dir),
            postgres_clone: None,
        }
    }

    /// A fresh, migrated PostgreSQL database, or None when PostgreSQL is not configured.
    pub async fn postgres() -> Option<Self> {
        let admin_url = postgres_url()?;
        let template = template_database(&admin_url).await;
        Some(Self::create_postgres(admin_url, &format!(" template \"{template}\"")).await)
    }

    /// An empty PostgreSQL database with no schema at all (for first-run tests).
    pub async fn postgres_empty() -> Option<Self> {
        let admin_url = postgres_url()?;
        Some(Self::create_postgres(admin_url, "").await)
    }

    /// Creates a database named after this process (so a later sweep can tell it is stale),
    /// with `options` appended to `create database`.
    async fn create_postgres(admin_url: String, options: &str) -> Self {
        let name = format!(
            "gazette_t_{}_{}",
            std::process::id(),
            NEXT_CLONE.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = admin_connection(&admin_url).await;
        SWEPT.get_or_init(|| sweep_leftovers(&mut admin)).await;
        sqlx::raw_sql(&format!("create database \"{name}\"{options}"))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let _ = admin.close().await;
        Self {
            url: database_url(&admin_url, &name),
            _dir: None,
            postgres_clone: Some(PostgresClone { admin_url, name }),
        }
    }

    /// A database the test made itself (on a throwaway cluster); nothing is dropped after.
    pub fn at_url(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            _dir: None,
            postgres_clone: None,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Opens (and migrates) a store on this database with a small pool.
    pub async fn store(&self, clock: Arc<dyn gazette_core::Clock>) -> Store {
        let store = Store::connect(
            &self.url,
            StoreOptions {
                max_connections: 3,
                ..StoreOptions::new(clock)
            },
        )
        .await
        .unwrap_or_else(|e| panic!("cannot open test store: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("cannot migrate test store: {e}"));
        store
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(clone) = self.postgres_clone.take() else {
            return;
        };
        // Drop runs inside a test's runtime, which cannot block on itself: use a thread with
        // its own small runtime. `with (force)` ends any connection the test left open.
        let dropper = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&clone.admin_url).await {
                    let _ = sqlx::raw_sql(&format!(
                        "drop database if exists \"{}\" with (force)",
                        clone.name
                    ))
                    .execute(&mut admin)
                    .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = dropper.join();
    }
}

static NEXT_CLONE: AtomicU64 = AtomicU64::new(0);
static TEMPLATE: OnceCell<String> = OnceCell::const_new();
/// Leftovers of crashed runs are swept once per test process.
static SWEPT: OnceCell<()> = OnceCell::const_new();

/// Serialises template building across test processes ("gztpl" in ASCII).
const TEMPLATE_LOCK_KEY: i64 = 0x0067_7a74_706c;

fn database_url(admin_url: &str, database: &str) -> String {
    match url::Url::parse(admin_url) {
        Ok(mut url) => {
            url.set_path(&format!("/{database}"));
            url.to_string()
        }
        Err(e) => panic!("{POSTGRES_URL_VAR} is not a URL: {e}"),
    }
}

async fn admin_connection(admin_url: &str) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}: {e}"))
}

/// The migrated template database for this build's migrations, built once.
async fn template_database(admin_url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("gazette_tpl_{}", migrations_hash());
            let mut admin = admin_connection(admin_url).await;
            let lock = sqlx::query("select pg_advisory_lock($1)").bind(TEMPLATE_LOCK_KEY);
            lock.execute(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("advisory lock: {e}"));
            sweep_leftovers(&mut admin).await;
            let exists = sqlx::query("select 1 from pg_database where datname = $1")
                .bind(&name)
                .fetch_optional(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("cannot list databases: {e}"))
                .is_some();
            if !exists {
                build_template(&mut admin, admin_url, &name).await;
            }
            let _ = admin.close().await; // closing releases the advisory lock
            name
        })
        .await
        .clone()
}

async fn build_template(admin: &mut sqlx::PgConnection, admin_url: &str, name: &str) {
    let building = format!("{name}_building");
    let _ = sqlx::raw_sql(&format!(
        "drop database if exists \"{building}\" with (force)"
    ))
    .execute(&mut *admin)
    .await;
    sqlx::raw_sql(&format!("create database \"{building}\""))
        .execute(&mut *admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create the template database: {e}"));
    let store = Store::connect(
        &database_url(admin_url, &building),
        StoreOptions {
            max_connections: 2,
            ..StoreOptions::new(Arc::new(SystemClock))
        },
    )
    .await
    .unwrap_or_else(|e| panic!("cannot open the template database: {e}"));
    store
        .migrate()
        .await
        .unwrap_or_else(|e| panic!("cannot migrate the template database: {e}"));
    store.close().await;
    // Renamed only once complete, so a half-built template is never cloned. The server may
    // take a moment to notice the store's connections closed, so retry briefly.
    let rename = format!("alter database \"{building}\" rename to \"{name}\"");
    for attempt in 1.. {
        match sqlx::raw_sql(&rename).execute(&mut *admin).await {
            Ok(_) => break,
            Err(e) if attempt < 50 => {
                tracing::debug!(%e, "template still in use; retrying");
                // Only our own closed store's sessions can be there; under load the server
                // can be slow to reap them, so end them.
                let _ = sqlx::query(
                    "select pg_terminate_backend(pid) from pg_stat_activity \
                     where datname = $1 and pid <> pg_backend_pid()",
                )
                .bind(&building)
                .execute(&mut *admin)
                .await;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => {
                let holders: Vec<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
                    "select application_name, state, query from pg_stat_activity where datname = $1",
                )
                .bind(&building)
                .fetch_all(&mut *admin)
                .await
                .unwrap_or_default();
                panic!("cannot finish the template database: {e}; connected: {holders:?}")
            }
        }
    }
}

/// Drops test databases whose process is gone, and templates of other migration sets.
async fn sweep_leftovers(admin: &mut sqlx::PgConnection) {
    let Ok(rows) = sqlx::query("select datname from pg_database where datname like 'gazette\\_t%'")
        .fetch_all(&mut *admin)
        .await
    else {
        return;
    };
    let current_template = format!("gazette_tpl_{}", migrations_hash());
    for row in rows {
        let Ok(name) = row.try_get::<String, _>("datname") else {
            continue;
        };
        let stale = if let Some(rest) = name.strip_prefix("gazette_t_") {
            let pid = rest.split('_').next().unwrap_or("");
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
        } else {
            name.starts_with("gazette_tpl_")
                && name != current_template
                && !name.ends_with("_building")
        };
        if stale {
            let _ = sqlx::raw_sql(&format!("drop database if exists \"{name}\" with (force)"))
                .execute(&mut *admin)
                .await;
        }
    }
}

fn migrations_hash() -> String {
    let mut hasher = Sha256::new();
    for migration in crate::postgres::migrations::MIGRATIONS {
        hasher.update(migration.version.to_le_bytes());
        hasher.update(migration.sql.as_bytes());
    }
    hex::encode(&hasher.finalize()[..6])
}
