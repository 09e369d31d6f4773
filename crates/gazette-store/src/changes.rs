//! The change log: an append-only record of what changed, tailed by every node's follower.

use jiff::Timestamp;
use tokio::sync::watch;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

/// A change's position in the log. Ids are gapless and visible in commit order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ChangeId(pub i64);

/// What kind of entity changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    Settings,
    Person,
    Section,
    Tag,
    Article,
    Page,
    /// A comment became visible or stopped being visible (entity: the article).
    Comment,
    /// A media item was added, described, given its variants or deleted.
    Media,
    /// A redirect rule was added, changed or removed.
    Redirect,
    /// Many things at once (an import): consumers purge or rebuild everything.
    Bulk,
}

impl ChangeKind {
    const ALL: [ChangeKind; 10] = [
        Self::Settings,
        Self::Person,
        Self::Section,
        Self::Tag,
        Self::Article,
        Self::Page,
        Self::Comment,
        Self::Media,
        Self::Redirect,
        Self::Bulk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Settings => "settings",
            Self::Person => "person",
            Self::Section => "section",
            Self::Tag => "tag",
            Self::Article => "article",
            Self::Page => "page",
            Self::Comment => "comment",
            Self::Media => "media",
            Self::Redirect => "redirect",
            Self::Bulk => "bulk",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }
}

/// One row of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: ChangeId,
    pub kind: ChangeKind,
    pub entity_id: Option<i64>,
    pub at: Timestamp,
}

/// A change recorded in an open unit of work, written at commit.
#[derive(Debug, Clone)]
pub(crate) struct PendingChange {
    pub kind: ChangeKind,
    pub entity_id: Option<i64>,
}

pub(crate) fn change_from_row(row: &impl RowExt) -> Result<Change, StoreError> {
    let kind = row.text("kind")?;
    Ok(Change {
        id: ChangeId(row.int("id")?),
        kind: ChangeKind::parse(&kind).ok_or_else(|| StoreError::corrupt("change kind", kind))?,
        entity_id: row.opt_int("entity_id")?,
        at: row.time("at")?,
    })
}

/// Wakes a waiting task when something was committed.
#[derive(Debug)]
pub struct ChangeSubscription {
    receiver: watch::Receiver<u64>,
}

impl ChangeSubscription {
    pub(crate) fn new(receiver: watch::Receiver<u64>) -> Self {
        Self { receiver }
    }

    /// Waits for the next signal. Signals that arrived since the last call wake it at once.
    pub async fn changed(&mut self) {
        if self.receiver.changed().await.is_err() {
            // The store is gone; never wake again rather than spin.
            std::future::pending::<()>().await;
        }
    }
}

impl crate::sql::FromRow for Change {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        change_from_row(row)
    }
}

/// `min(id)`, which is null on an empty log.
struct OldestId(Option<i64>);

impl crate::sql::FromRow for OldestId {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.opt_int("id").map(Self)
    }
}

impl Store {
    /// Up to `limit` changes after `after`, oldest first.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn changes_after(
        &self,
        after: ChangeId,
        limit: i64,
    ) -> Result<Vec<Change>, StoreError> {
        let sql = "select id, kind, entity_id, at from changes where id > $1 order by id limit $2";
        self.fetch_all(sql, &[Param::Int(after.0), Param::Int(limit)])
            .await
    }

    /// The newest committed change's id (0 when nothing was ever written).
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn latest_change_id(&self) -> Result<ChangeId, StoreError> {
        on_backend!(self.backend(), db => backend::changes::latest(&mut *db.reader().await?).await)
    }

    /// The oldest change still kept, if any.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn oldest_change_id(&self) -> Result<Option<ChangeId>, StoreError> {
        let oldest: Option<OldestId> = self
            .fetch_optional("select min(id) as id from changes", &[])
            .await?;
        Ok(oldest.and_then(|o| o.0).map(ChangeId))
    }

    /// Deletes changes older than `before`, always keeping the newest one so the head of the
    /// log stays known. Returns how many were deleted.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn prune_changes(&self, before: Timestamp) -> Result<u64, StoreError> {
        let sql = "delete from changes where at < $1 and id < (select max(id) from changes)";
        self.execute_now(sql, &[Param::Time(before)]).await
    }
}
