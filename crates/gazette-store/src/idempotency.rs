//! Idempotency keys. A client that could not learn whether a create happened (its connection
//! dropped, or the server answered "outcome unknown") sends the request again with the same
//! key; the unit of work that made the record also stored the key, so the second request
//! finds the first one's record instead of making another. Both happen in one unit of work, so
//! there is no moment where the record exists without its key.

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::query::Param;
use crate::rows::RowExt;
use crate::sql::FromRow;
use crate::{StoreError, WriteTx};

/// How long a key is kept: a client retrying later than this is making a new request.
pub const IDEMPOTENCY_KEY_LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// The longest key accepted; the IETF draft suggests UUIDs, 36 characters.
pub const MAX_KEY_LENGTH: usize = 255;

/// A key a request came with, tied to who sent it and to what it asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    scope: String,
    key: String,
    request_hash: String,
}

/// Why a key was refused before anything was looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadKey {
    Empty,
    TooLong,
    /// Only visible ASCII characters are accepted (a UUID, a random token).
    NotVisibleAscii,
}

impl BadKey {
    /// What is wrong, for an error message.
    pub fn explain(self) -> &'static str {
        match self {
            Self::Empty => "The idempotency key is empty.",
            Self::TooLong => "The idempotency key is longer than 255 characters.",
            Self::NotVisibleAscii => {
                "The idempotency key may hold only visible ASCII characters (a UUID works)."
            }
        }
    }
}

impl IdempotencyKey {
    /// `key` as sent by `scope` (`person:12`, or `readers` for the public comment form) with
    /// `request`, the parts that identify what was asked (the method and path, the body),
    /// hashed one after the other so that a large upload is never copied to be hashed.
    pub fn new(scope: &str, key: &str, request: &[&[u8]]) -> Result<Self, BadKey> {
        if key.is_empty() {
            return Err(BadKey::Empty);
        }
        if key.len() > MAX_KEY_LENGTH {
            return Err(BadKey::TooLong);
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(BadKey::NotVisibleAscii);
        }
        let mut hash = Sha256::new();
        for part in request {
            hash.update(part);
            hash.update([0]);
        }
        Ok(Self {
            scope: scope.to_owned(),
            key: key.to_owned(),
            request_hash: hex::encode(hash.finalize()),
        })
    }
}

/// The record a create made, by kind (`article`, `page`, `media`, `comment`, `section`,
/// `tag`) and id: what a repeated request is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatedRecord {
    pub kind: &'static str,
    pub id: i64,
}

/// Every kind of record a key can name, so a stored kind reads back as the same `&'static str`.
const KINDS: [&str; 6] = ["article", "page", "media", "comment", "section", "tag"];

/// What a unit of work with a key did.
#[derive(Debug)]
pub enum Once<T> {
    /// It ran, and stored its key.
    Done(T),
    /// An earlier request with the same key made this record; nothing ran.
    Repeated(CreatedRecord),
}

impl<T> Once<T> {
    /// What the unit of work made, when it ran (`None` when an earlier request had).
    pub fn done(self) -> Option<T> {
        match self {
            Self::Done(value) => Some(value),
            Self::Repeated(_) => None,
        }
    }
}

struct StoredKey {
    request_hash: String,
    record: CreatedRecord,
}

impl FromRow for StoredKey {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        let kind = row.text("kind")?;
        let kind = KINDS
            .into_iter()
            .find(|k| *k == kind)
            .ok_or_else(|| StoreError::corrupt("idempotency key", format!("kind {kind:?}")))?;
        Ok(Self {
            request_hash: row.text("request_hash")?,
            record: CreatedRecord {
                kind,
                id: row.int("record_id")?,
            },
        })
    }
}

impl WriteTx {
    /// The record an earlier request with `key` made, if any; `KeyReused` when that request
    /// asked something else.
    pub(crate) async fn record_of_key(
        &mut self,
        key: &IdempotencyKey,
    ) -> Result<Option<CreatedRecord>, StoreError> {
        let sql = "select request_hash, kind, record_id from idempotency_keys \
                   where scope = $1 and key = $2 and created_at > $3";
        let params = [
            Param::Text(key.scope.clone()),
            Param::Text(key.key.clone()),
            Param::Time(self.oldest_kept_key()?),
        ];
        let Some(stored) = self.fetch_optional::<StoredKey>(sql, &params).await? else {
            return Ok(None);
        };
        if stored.request_hash != key.request_hash {
            return Err(StoreError::IdempotencyKeyReused);
        }
        Ok(Some(stored.record))
    }

    /// Claims `key` for this unit of work before its work runs, forgetting the scope's keys
    /// past their day. A concurrent request with the same key waits here until the first one
    /// ends; when that one stored the key, this is a conflict, which runs the unit of work
    /// again ([`crate::Store::write_once`]) to find its record. Claiming first matters: the
    /// work itself could otherwise fail on the first request's record (a slug it took) before
    /// the key was ever compared.
    pub(crate) async fn claim_key(&mut self, key: &IdempotencyKey) -> Result<(), StoreError> {
        let forget = "delete from idempotency_keys where scope = $1 and created_at <= $2";
        let params = [
            Param::Text(key.scope.clone()),
            Param::Time(self.oldest_kept_key()?),
        ];
        self.execute(forget, &params).await?;
        // The record is not known yet; `settle_key` names it before the unit commits, so no
        // one ever reads the placeholder.
        let sql = "insert into idempotency_keys \
                   (scope, key, request_hash, kind, record_id, created_at) \
                   values ($1, $2, $3, '', 0, $4)";
        let params = [
            Param::Text(key.scope.clone()),
            Param::Text(key.key.clone()),
            Param::Text(key.request_hash.clone()),
            Param::Time(self.now),
        ];
        self.execute(sql, &params).await.map(drop)
    }

    /// Names the record the work made under the key this unit of work claimed.
    pub(crate) async fn settle_key(
        &mut self,
        key: &IdempotencyKey,
        record: CreatedRecord,
    ) -> Result<(), StoreError> {
        let sql = "update idempotency_keys set kind = $3, record_id = $4 \
                   where scope = $1 and key = $2";
        let params = [
            Param::Text(key.scope.clone()),
            Param::Text(key.key.clone()),
            Param::Text(record.kind.to_owned()),
            Param::Int(record.id),
        ];
        self.execute(sql, &params).await.map(drop)
    }

    fn oldest_kept_key(&self) -> Result<Timestamp, StoreError> {
        self.now
            .checked_sub(IDEMPOTENCY_KEY_LIFETIME)
            .map_err(|e| StoreError::corrupt("clock", e.to_string()))
    }
}
