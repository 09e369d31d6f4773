//! Gazette's storage: every read and every unit of work, on SQLite or PostgreSQL.
//!
//! The backend is picked at run time from the database URL. Each resource has a module here
//! (`people`, `articles`, …) that defines its public API and dispatches to the backend modules
//! `sqlite/` and `postgres/`, which hold that backend's SQL. Rows are decoded into domain types
//! once, in the resource module, through [`rows::RowExt`].
//!
//! Every write is a unit of work ([`Store::write`]) that commits its rows together with the
//! change-log rows describing them; followers on every node tail that log.

mod app_passwords;
mod articles;
mod changes;
mod comments;
mod error;
mod idempotency;
mod imports;
mod issues;
mod jobs;
mod listings;
mod media;
mod media_references;
mod media_usage;
mod migrate;
mod newsletter_sends;
mod newsletters;
mod newsroom;
mod notes;
mod pages;
mod people;
mod postgres;
mod presence;
mod public_comments;
mod query;
mod redirects;
mod revisions;
mod rows;
mod sessions;
mod settings;
mod share_links;
mod sitemaps;
mod sql;
mod sqlite;
mod store;
mod subscriber_lists;
mod subscribers;
mod taxonomy;
#[cfg(feature = "testing")]
pub mod testing;

pub use articles::{NewArticle, PUBLISH_SCHEDULED};

/// The kind of the job that sends one email; its payload is `{"to", "subject", "text"}`.
pub const SEND_EMAIL: &str = "send_email";
/// The job kind that writes an uploaded image's narrower variants (payload: `media_id`).
pub const MEDIA_VARIANTS: &str = "media_variants";
/// The job kind that removes media files no row names any more (payload: `paths`, a list of
/// object names). It is queued by the unit of work that stopped naming them, so a crash leaves
/// neither an orphan nor a dangling reference.
pub const MEDIA_REMOVE_FILES: &str = "media_remove_files";
pub use app_passwords::AppPassword;
pub use changes::{Change, ChangeId, ChangeKind, ChangeSubscription};
pub use comments::{CommentFilter, CommentListing, Inserted, NewComment};
pub use error::{Constraint, FileTrouble, StoreError};
pub use idempotency::{
    BadKey, CreatedRecord, IDEMPOTENCY_KEY_LIFETIME, IdempotencyKey, MAX_KEY_LENGTH, Once,
};
pub use imports::{ImportedArticle, ImportedComment, ImportedPage, PageComment, WordPressKind};
pub use issues::{
    ClaimedBatch, Delivery, Issue, IssueId, IssueStatus, NewIssue, Progress, SEND_NEWSLETTER,
    Settled, sending_job,
};
pub use jobs::{ClaimedJob, JobId, JobRetry, JobStats, NewJob, retry_delay};
pub use listings::{
    AddressDetails, ArticleFilter, ArticleListing, ArticleOrder, ArticleQuery, DeskFilter,
    MonthAddresses,
};
pub use media::{MediaFilter, MediaPage, MediaText, NewMedia};
pub use media_references::ReferenceOwner;
pub use media_usage::{MediaDeletion, MediaUsage};
pub use migrate::{LATEST_SCHEMA_VERSION, MigrationReport};
pub use newsletter_sends::{MAKE_DIGESTS, SEND_ON_PUBLICATION, digests_job, publication_job};
pub use newsletters::{NewNewsletter, SubscriberCounts};
pub use newsroom::{ThrottleKeys, ThrottleState, TokenPurpose};
pub use notes::{Mention, Note};
pub use pages::NewPage;
pub use people::NewPerson;
pub use presence::Presence;
pub use public_comments::{CommentOrder, PublicCommentQuery};
pub use revisions::{Revision, RevisionId};
pub use share_links::ShareLink;
pub use sitemaps::{ArchiveDates, NewestArchived, PublishedMonth};
pub use store::{
    BackendKind, BootstrapLock, BoxFuture, PoolStats, Store, StoreOptions, WriteTx, redact_url,
};
pub use subscriber_lists::{ExportLine, Imported, SubscriberQuery};
pub use subscribers::{CONFIRMATION_INTERVAL, NewConsent};
pub use taxonomy::{NewSection, NewTag};
