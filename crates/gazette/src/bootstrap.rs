//! First run: a database with no editorial settings gets them (from the operator's seed), the
//! server secret, an administrator and, unless declined, the demo journal. It all happens in
//! one unit of work under the cluster-wide bootstrap lock, so it happens once and completely.

use anyhow::Context as _;
use gazette_core::password::{NewPassword, PasswordHasher};
use gazette_core::{Email, Publication, Role, Slug};
use gazette_store::{MigrationReport, NewPerson, Store, StoreError};

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
    let supplied = first_run
        .admin_password
        .as_deref()
        .map(NewPassword::parse)
        .transpose()
        .with_context(|| format!("{ADMIN_PASSWORD_VAR} is not an acceptable password"))?;
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
    let publication = first_run.publication.clone();
    let with_demo = first_run.with_demo;
    let secret = gazette_core::session::SessionToken::generate()
        .expose()
        .to_owned();
    let seeded = store
        .write(|tx| {
            Box::pin(async move {
                tx.put_publication(&publication).await?;
                tx.ensure_server_secret(&secret).await?;
                tx.insert_person(&admin).await?;
                if with_demo {
                    demo::write_demo_journal(tx).await?;
                }
                Ok::<_, StoreError>(())
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
