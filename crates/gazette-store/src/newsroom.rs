//! Newsroom bookkeeping: failed sign-in counters shared by every node, and the retired paths
//! of articles that must keep answering with a redirect.
//!
//! The SQL is the same on both backends (`insert … on conflict … returning` exists in both),
//! so it lives here and each backend only binds and runs it.

use gazette_core::ArticleId;
use jiff::{SignedDuration, Timestamp};

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// The keys one sign-in attempt is counted under. Made by the web layer from a keyed hash of
/// the typed email (never the email itself, which may be megabytes long or a password typed
/// in the wrong field), so every key is short and says nothing about what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKeys {
    /// The account across every address.
    pub account: String,
    /// The start of the keys of the account from one address (`{pair_prefix}{address}`).
    pub pair_prefix: String,
}

impl ThrottleKeys {
    /// The keys of an account whose typed email hashes to `email_hash` (hex).
    pub fn for_account(email_hash: &str) -> Self {
        Self {
            account: format!("account:{email_hash}"),
            pair_prefix: format!("pair:{email_hash}|"),
        }
    }

    /// The key of this account tried from the client counted as `address`.
    pub fn pair(&self, address: &str) -> String {
        format!("{}{address}", self.pair_prefix)
    }

    /// The key of a client across every account.
    pub fn address(address: &str) -> String {
        format!("address:{address}")
    }
}

/// Failed sign-ins counted for one key (an account or a client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    /// Failures since `window_started_at`.
    pub failures: i64,
    pub window_started_at: Timestamp,
    pub locked_until: Option<Timestamp>,
}

fn throttle_from_row(row: &impl RowExt) -> Result<ThrottleState, StoreError> {
    Ok(ThrottleState {
        failures: row.int("failures")?,
        window_started_at: row.time("window_started_at")?,
        locked_until: row.opt_time("locked_until")?,
    })
}

impl WriteTx {
    /// Counts one failed sign-in for `key`. Failures older than `window` are forgotten: the
    /// count starts again at one. Atomic, so concurrent failures on several nodes all count.
    pub async fn count_sign_in_failure(
        &mut self,
        key: &str,
        window: SignedDuration,
    ) -> Result<ThrottleState, StoreError> {
        let sql =
            "insert into sign_in_throttle (key, failures, window_started_at) values ($1, 1, $2)
            on conflict (key) do update set
                failures = case when sign_in_throttle.window_started_at < $3 then 1
                                else sign_in_throttle.failures + 1 end,
                window_started_at = case when sign_in_throttle.window_started_at < $3 then $2
                                         else sign_in_throttle.window_started_at end
            returning failures, window_started_at, locked_until";
        let params = [
            Param::Text(key.to_owned()),
            Param::Time(self.now),
            Param::Time(self.now - window),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first()
                .map(throttle_from_row)
                .ok_or_else(|| StoreError::corrupt("sign_in_throttle", "upsert returned no row"))?
        })
    }

    /// Refuses sign-ins for `key` until `until`.
    pub async fn lock_sign_in(&mut self, key: &str, until: Timestamp) -> Result<(), StoreError> {
        let sql = "update sign_in_throttle set locked_until = $2 where key = $1";
        let params = [Param::Text(key.to_owned()), Param::Time(until)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Forgets every lock and failure of an account, from any address (its password was
    /// just reset by its owner). `account` is the account's part of the keys: see
    /// [`ThrottleKeys`].
    pub async fn clear_account_sign_in_failures(
        &mut self,
        account: &ThrottleKeys,
    ) -> Result<(), StoreError> {
        let sql = "delete from sign_in_throttle where key = $1 or key like $2";
        let params = [
            Param::Text(account.account.clone()),
            Param::Text(format!("{}%", account.pair_prefix)),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Forgets the counts whose window started before `window_start` and whose lock, if any,
    /// has ended by `now`; returns how many.
    pub async fn prune_sign_in_throttle(
        &mut self,
        window_start: Timestamp,
    ) -> Result<u64, StoreError> {
        let sql = "delete from sign_in_throttle where window_started_at < $1 \
                   and (locked_until is null or locked_until < $2)";
        let params = [Param::Time(window_start), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }

    /// Forgets the failures of `key` (a successful sign-in).
    pub async fn clear_sign_in_failures(&mut self, key: &str) -> Result<(), StoreError> {
        let sql = "delete from sign_in_throttle where key = $1";
        let params = [Param::Text(key.to_owned())];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Remembers that `path` was the article's URL, so it keeps answering with a redirect to
    /// the current one. A path retired twice points at the latest article that had it.
    pub async fn retire_article_path(
        &mut self,
        path: &str,
        article: ArticleId,
    ) -> Result<(), StoreError> {
        let sql = "insert into article_paths (path, article_id, retired_at) values ($1, $2, $3)
            on conflict (path) do update set article_id = $2, retired_at = $3";
        let params = [
            Param::Text(path.to_owned()),
            Param::Int(article.0),
            Param::Time(self.now),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }
}

impl Store {
    /// The failed sign-ins counted for `key`, if any.
    pub async fn sign_in_throttle(&self, key: &str) -> Result<Option<ThrottleState>, StoreError> {
        let sql =
            "select failures, window_started_at, locked_until from sign_in_throttle where key = $1";
        let params = [Param::Text(key.to_owned())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.first().map(throttle_from_row).transpose()
        })
    }

    /// Every key failed sign-ins are counted under now, for operators and tests.
    pub async fn sign_in_throttle_keys(&self) -> Result<Vec<String>, StoreError> {
        let sql = "select key from sign_in_throttle order by key";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter().map(|row| row.text("key")).collect()
        })
    }

    /// The article a retired path belonged to.
    pub async fn article_for_retired_path(
        &self,
        path: &str,
    ) -> Result<Option<ArticleId>, StoreError> {
        let sql = "select article_id from article_paths where path = $1";
        let params = [Param::Text(path.to_owned())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.first().map(|row| row.int("article_id").map(ArticleId)).transpose()
        })
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Choosing a new password after "forgot my password".
    Reset,
    /// Choosing a first password after an invitation.
    Invite,
    /// Signing in without a password, asked for when an account is being guessed at.
    SignIn,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Invite => "invite",
            Self::SignIn => "sign_in",
        }
    }
}

impl WriteTx {
    /// Keeps a one-time link's token (its hash) for `person`, valid until `expires_at`.
    pub async fn insert_one_time_token(
        &mut self,
        token: &gazette_core::session::TokenHash,
        person: gazette_core::PersonId,
        purpose: TokenPurpose,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = "insert into one_time_tokens (token_hash, person_id, purpose, created_at, expires_at) \
                   values ($1, $2, $3, $4, $5)";
        let params = [
            Param::Text(token.0.clone()),
            Param::Int(person.0),
            Param::Text(purpose.as_str().to_owned()),
            Param::Time(self.now),
            Param::Time(expires_at),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Revokes every unused one-time link of a person (their password just changed).
    pub async fn delete_one_time_tokens_of(
        &mut self,
        person: gazette_core::PersonId,
    ) -> Result<(), StoreError> {
        let sql = "delete from one_time_tokens where person_id = $1 and used_at is null";
        let params = [Param::Int(person.0)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Uses a one-time token: the person it was for, if it is valid, unused and unexpired.
    /// Atomic, so a link clicked twice at once works once.
    pub async fn use_one_time_token(
        &mut self,
        token: &gazette_core::session::TokenHash,
        purpose: TokenPurpose,
    ) -> Result<Option<gazette_core::PersonId>, StoreError> {
        let sql = "update one_time_tokens set used_at = $3 \
                   where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3 \
                   returning person_id";
        let params = [
            Param::Text(token.0.clone()),
            Param::Text(purpose.as_str().to_owned()),
            Param::Time(self.now),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(|row| row.int("person_id").map(gazette_core::PersonId)).transpose()
        })
    }
}

impl Store {
    /// The person a one-time token is for, if it is still usable (without using it).
    pub async fn one_time_token_person(
        &self,
        token: &gazette_core::session::TokenHash,
        purpose: TokenPurpose,
    ) -> Result<Option<gazette_core::PersonId>, StoreError> {
        let sql = "select person_id from one_time_tokens \
                   where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3";
        let params = [
            Param::Text(token.0.clone()),
            Param::Text(purpose.as_str().to_owned()),
            Param::Time(self.now()),
        ];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.first().map(|row| row.int("person_id").map(gazette_core::PersonId)).transpose()
        })
    }

    /// When the newest one-time token of this purpose was made for `person`.
    pub async fn latest_one_time_token(
        &self,
        person: gazette_core::PersonId,
        purpose: TokenPurpose,
    ) -> Result<Option<Timestamp>, StoreError> {
        let sql = "select max(created_at) as latest from one_time_tokens where person_id = $1 and purpose = $2";
        let params = [
            Param::Int(person.0),
            Param::Text(purpose.as_str().to_owned()),
        ];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            match rows.first() {
                Some(row) => row.opt_time("latest"),
                None => Ok(None),
            }
        })
    }
}
