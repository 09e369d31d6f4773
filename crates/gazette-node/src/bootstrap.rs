//! First run: a database with no editorial settings gets them (from the operator's seed), the
//! server secret, an administrator and, unless declined, the demo journal. It all happens in
//! one unit of work under the cluster-wide bootstrap lock, so it happens once and completely.
//! The journal itself is the newsroom's [`Seed`]; an import into a new journal writes the same
//! seed in its own unit of work, without the demo.

use anyhow::Context as _;
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, Publication};
use gazette_newsroom::journal::{self, NewJournal, Seed};
use gazette_store::{MigrationReport, Store, StoreError};

use crate::demo;

/// The variable that sets the first administrator's password.
pub const ADMIN_PASSWORD_VAR: &str = "GAZETTE_ADMIN_PASSWORD";

/// What the first run needs to know.
#[derive(Debug, Clone)]
pub struct FirstRun {
    pub admin_email: Email,
    /// From `GAZETTE_ADMIN_PASSWORD`; None generates one.
    pub admin_password: Option<String>,
    pub with_demo: bool,
    pub publication: Publication,
}

impl FirstRun {
    /// The journal this first run creates.
    pub fn journal(&self) -> NewJournal<'_> {
        NewJournal {
            admin_email: &self.admin_email,
            admin_password: self.admin_password.as_deref(),
            publication: &self.publication,
        }
    }

    /// The administrator's password when the operator chose one, checked against the policy.
    fn check_password(&self) -> anyhow::Result<()> {
        journal::check_password(self.admin_password.as_deref())
            .with_context(|| format!("{ADMIN_PASSWORD_VAR} is not an acceptable password"))?;
        Ok(())
    }

    /// Prepares the journal's seed, hashing the administrator's password.
    pub fn seed(&self, hasher: &PasswordHasher) -> anyhow::Result<Seed> {
        self.check_password()?;
        Seed::prepare(&self.journal(), hasher).context("preparing the first administrator")
    }
}

/// What bootstrapping did.
#[derive(Debug)]
pub enum Bootstrapped {
    /// The database was already set up.
    Existing { migrations: MigrationReport },
    /// This was the first run.
    FirstRun {
        migrations: MigrationReport,
        admin_email: Email,
        /// Set when the password was generated: it must be shown to the operator once.
        generated_password: Option<NewPassword>,
    },
}

/// Migrates the schema and, on a first run, seeds the database.
pub async fn bootstrap(
    store: &Store,
    first_run: &FirstRun,
    hasher: &PasswordHasher,
) -> anyhow::Result<Bootstrapped> {
    // Check the password before touching anything, so a bad one changes nothing.
    first_run.check_password()?;
    let _lock = store
        .bootstrap_lock()
        .await
        .context("taking the first-run lock")?;
    let migrations = store
        .migrate()
        .await
        .context("migrating the database schema")?;
    if store.publication().await?.is_some() {
        return Ok(Bootstrapped::Existing { migrations });
    }
    let seed = first_run.seed(hasher)?;
    let generated_password = seed.generated_password.clone();
    let with_demo = first_run.with_demo;
    let seeded = store
        .write(|tx| {
            Box::pin(async move {
                seed.write(tx).await?;
                if with_demo {
                    demo::write_demo_journal(tx).await?;
                }
                Ok(())
            })
        })
        .await;
    match seeded {
        Ok(()) => {}
        // SQLite has no cluster lock: two processes starting at once both find an empty
        // database, and the second one's seeding collides with the first's and rolls back.
        Err(error)
            if matches!(error, StoreError::Conflict { .. })
                && store.publication().await?.is_some() =>
        {
            return Ok(Bootstrapped::Existing { migrations });
        }
        Err(error) => return Err(anyhow::Error::new(error).context("seeding the new journal")),
    }
    Ok(Bootstrapped::FirstRun {
        migrations,
        admin_email: first_run.admin_email.clone(),
        generated_password,
    })
}
