//! `StoreError`: what can go wrong in the store, identical on both backends.

/// A uniqueness rule the store enforces. Both backends report violations as the same variant,
/// so callers map them to stable error codes without knowing the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    PersonEmail,
    PersonSlug,
    SectionSlug,
    TagSlug,
    ArticleSlug,
    ArticleLegacyId,
    ArticleAuthorOnce,
    PagePath,
    MediaPath,
    RedirectSource,
    JobDedupeKey,
    IdempotencyKey,
    /// A uniqueness rule this list does not name yet (its database name).
    Other(String),
}

impl Constraint {
    /// A stable name for logs and error bodies.
    pub fn name(&self) -> &str {
        match self {
            Self::PersonEmail => "people.email",
            Self::PersonSlug => "people.slug",
            Self::SectionSlug => "sections.slug",
            Self::TagSlug => "tags.slug",
            Self::ArticleSlug => "articles.slug",
            Self::ArticleLegacyId => "articles.legacy_wp_id",
            Self::ArticleAuthorOnce => "article_authors.person",
            Self::PagePath => "pages.path",
            Self::MediaPath => "media.path",
            Self::RedirectSource => "redirects.source",
            Self::JobDedupeKey => "jobs.dedupe_key",
            Self::IdempotencyKey => "idempotency_keys.key",
            Self::Other(name) => name,
        }
    }
}

impl std::fmt::Display for Constraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a SQLite database file could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileTrouble {
    /// A read-only file system, or a file or folder Gazette may not write.
    ReadOnly,
    /// No room left on the disk.
    Full,
    /// The disk failed to read or write.
    Io,
}

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database URL {url:?} is not usable: {reason}")]
    BadUrl { url: String, reason: String },
    // The cause is part of the message, not a `source`, so error chains print it once.
    #[error("could not reach the database: {0}")]
    Unavailable(sqlx::Error),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{constraint} is already taken")]
    Conflict { constraint: Constraint },
    #[error("a referenced record does not exist (or is still referenced)")]
    InvalidReference,
    #[error("the job's claim expired and another node took it over")]
    LostClaim,
    #[error("stored {what} is invalid: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("migration {version} ({name}) failed: {cause}")]
    Migration {
        version: i64,
        name: &'static str,
        cause: sqlx::Error,
    },
    /// The schema is newer than this binary knows, and its rolling-upgrade rule no longer
    /// supports it: it needs a binary that knows version `needs` or later.
    #[error(
        "the database schema is at version {found}, which needs a Gazette that knows schema version {needs} or later (this one knows {known}); upgrade Gazette"
    )]
    SchemaTooNew { found: i64, known: i64, needs: i64 },
    /// The database the URL names does not exist: a SQLite file opened without creating it
    /// ([`crate::StoreOptions::create_if_missing`]), or a PostgreSQL database nobody created.
    #[error("the database {name} does not exist")]
    NoDatabase {
        backend: crate::BackendKind,
        /// The SQLite file's path or the PostgreSQL database's name.
        name: String,
    },
    /// The file a `sqlite:` URL names holds something else than a database.
    #[error("{name} is not a SQLite database")]
    NotADatabase { name: String },
    /// The database exists but nothing was ever migrated into it.
    #[error("the database holds no Gazette schema yet")]
    NoSchema,
    /// The schema is from an older Gazette: this binary would misread it until it is migrated.
    #[error(
        "the database schema is at version {found}, older than this binary's ({known}); it needs migrating"
    )]
    SchemaTooOld { found: i64, known: i64 },
    /// The database gave up this unit of work because it raced with another (a deadlock or a
    /// serialization failure): nothing was written, and trying again will do.
    #[error("the database gave up a unit of work that raced with another: {0}")]
    Contended(sqlx::Error),
    /// The connection failed while the unit of work was committing: it may or may not have been
    /// saved, and only looking can tell. Never reported as success, never retried blindly.
    #[error("the connection to the database was lost while committing: {0}")]
    OutcomeUnknown(sqlx::Error),
    /// An idempotency key came back with a different request than the one that used it.
    #[error("the idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("I/O error on {path}: {cause}")]
    Io { path: String, cause: std::io::Error },
}

impl StoreError {
    pub(crate) fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> Self {
        Self::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }

    /// What the database itself said, without the driver's framing ("error returned from
    /// database: (code: 1) …"), for messages that explain the error in their own words.
    pub fn database_said(&self) -> Option<String> {
        let cause = match self {
            Self::Unavailable(cause)
            | Self::OutcomeUnknown(cause)
            | Self::Contended(cause)
            | Self::Database(cause)
            | Self::Migration { cause, .. } => cause,
            _ => return None,
        };
        Some(match cause {
            sqlx::Error::Database(db) => db.message().to_owned(),
            other => other.to_string(),
        })
    }

    /// When the database's file could not be written (SQLite), why: the operator's fix
    /// differs for each.
    pub fn file_trouble(&self) -> Option<FileTrouble> {
        match self {
            Self::Unavailable(cause) => crate::sqlite::file_trouble(cause),
            _ => None,
        }
    }

    /// Whether no connection could be had within the pool's wait (the database is down or
    /// frozen), as opposed to one connection found broken, which the next attempt replaces.
    pub fn waited_in_vain(&self) -> bool {
        matches!(self, Self::Unavailable(sqlx::Error::PoolTimedOut))
    }

    /// Whether the error is a conflict on the given constraint.
    pub fn is_conflict(&self, constraint: &Constraint) -> bool {
        matches!(self, Self::Conflict { constraint: c } if c == constraint)
    }
}
