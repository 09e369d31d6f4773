//! First run: a database with no editorial settings gets them (from the operator's seed), the
//! server secret, an administrator and, unless declined, the demo journal. It all happens in
//! one unit of work under the cluster-wide bootstrap lock, so it happens once and completely.
//! An import into a new journal writes the same [`Seed`] in its own unit of work.

use anyhow::Context as _;
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, Publication, Role, Slug};
use gazette_store::{MigrationReport, NewPerson, Store, StoreError, WriteTx};

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
    /// The administrator's password when the operator chose one, checked against the policy.
    fn supplied_password(&self) -> anyhow::Result<Option<NewPassword>> {
        self.admin_password
            .as_deref()
            .map(NewPassword::parse)
            .transpose()
            .with_context(|| format!("{ADMIN_PASSWORD_VAR} is not an acceptable password"))
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

/// What a first run writes, made ready before its unit of work: the password checked and
/// hashed (hashing is slow, and a refused password must change nothing) and the server secret
/// drawn.
#[derive(Clone)]
pub struct Seed {
    /// The editorial settings the journal starts with; an import replaces some of them.
    pub publication: Publication,
    admin: NewPerson,
    secret: String,
    with_demo: bool,
    /// Set when the password was generated: it must be shown to the operator once.
    pub generated_password: Option<NewPassword>,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seed")
            .field("admin_email", &self.admin.email)
            .field("with_demo", &self.with_demo)
            .finish_non_exhaustive()
    }
}

impl Seed {
    /// Checks and hashes the administrator's password (generating one when none was given).
    pub fn prepare(first_run: &FirstRun, hasher: &PasswordHasher) -> anyhow::Result<Self> {
        let supplied = first_run.supplied_password()?;
        let generated_password = supplied.is_none().then(NewPassword::generate);
        let password = supplied
            .or_else(|| generated_password.clone())
            .context("no administrator password")?;
        let admin = NewPerson {
            display_name: "Administrator".to_owned(),
            slug: Slug::parse("administrator").context("the administrator's slug")?,
            email: first_run.admin_email.clone(),
            role: Role::Administrator,
            password_hash: Some(hasher.hash(&password)?),
            bio: String::new(),
            active: true,
        };
        Ok(Self {
            publication: first_run.publication.clone(),
            admin,
            secret: gazette_core::session::SessionToken::generate()
                .expose()
                .to_owned(),
            with_demo: first_run.with_demo,
            generated_password,
        })
    }

    /// The first administrator's email.
    pub fn admin_email(&self) -> &Email {
        &self.admin.email
    }

    /// Writes the editorial settings, the server secret, the administrator and, when asked
    /// for, the demo journal.
    pub async fn write(&self, tx: &mut WriteTx) -> Result<(), StoreError> {
        tx.put_publication(&self.publication).await?;
        tx.ensure_server_secret(&self.secret).await?;
        tx.insert_person(&self.admin).await?;
        if self.with_demo {
            demo::write_demo_journal(tx).await?;
        }
        Ok(())
    }
}

/// Migrates the schema and, on a first run, seeds the database.
pub async fn bootstrap(
    store: &Store,
    first_run: &FirstRun,
    hasher: &PasswordHasher,
) -> anyhow::Result<Bootstrapped> {
    // Check the password before touching anything, so a bad one changes nothing.
    first_run.supplied_password()?;
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
    let seed = Seed::prepare(first_run, hasher)?;
    let generated_password = seed.generated_password.clone();
    let seeded = store
        .write(|tx| Box::pin(async move { seed.write(tx).await }))
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
