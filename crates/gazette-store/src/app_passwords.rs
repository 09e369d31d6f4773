//! Application passwords' records: who they belong to, their names, and a hash of each.

use gazette_core::PersonId;
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// One application password, without its secret (which is never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPassword {
    pub id: i64,
    pub person: PersonId,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, person_id, name, created_at, last_used_at";

fn from_row(row: &impl RowExt) -> Result<AppPassword, StoreError> {
    Ok(AppPassword {
        id: row.int("id")?,
        person: PersonId(row.int("person_id")?),
        name: row.text("name")?,
        created_at: row.time("created_at")?,
        last_used_at: row.opt_time("last_used_at")?,
    })
}

impl WriteTx {
    /// Records a new application password by the hash of its secret.
    pub async fn insert_app_password(
        &mut self,
        person: PersonId,
        name: &str,
        secret_hash: &str,
    ) -> Result<AppPassword, StoreError> {
        let sql = format!(
            "insert into app_passwords (person_id, name, secret_hash, created_at) \
             values ($1, $2, $3, $4) returning {COLUMNS}"
        );
        let params = [
            Param::Int(person.0),
            Param::Text(name.to_owned()),
            Param::Text(secret_hash.to_owned()),
            Param::Time(self.now),
        ];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &params).await?;
            rows.first().map(from_row).transpose()?.ok_or(StoreError::InvalidReference)
        })
    }

    /// Notes that an application password was just used.
    pub async fn touch_app_password(&mut self, id: i64) -> Result<(), StoreError> {
        let sql = "update app_passwords set last_used_at = $2 where id = $1";
        let params = [Param::Int(id), Param::Time(self.now)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(())
    }

    /// Revokes one of `person`'s application passwords; false if they have no such one.
    pub async fn revoke_app_password(
        &mut self,
        person: PersonId,
        id: i64,
    ) -> Result<bool, StoreError> {
        let sql = "delete from app_passwords where id = $1 and person_id = $2";
        let params = [Param::Int(id), Param::Int(person.0)];
        let gone = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        Ok(gone > 0)
    }
}

impl WriteTx {
    /// Revokes every application password of `person` (their password was reset); returns
    /// how many.
    pub async fn revoke_app_passwords_of(&mut self, person: PersonId) -> Result<u64, StoreError> {
        let sql = "delete from app_passwords where person_id = $1";
        let params = [Param::Int(person.0)];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)
    }
}

impl Store {
    /// A person's application passwords, oldest first.
    pub async fn app_passwords(&self, person: PersonId) -> Result<Vec<AppPassword>, StoreError> {
        let sql = format!("select {COLUMNS} from app_passwords where person_id = $1 order by id");
        let params = [Param::Int(person.0)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(from_row).collect()
        })
    }

    /// The application password whose secret hashes to `secret_hash`.
    pub async fn app_password_by_hash(
        &self,
        secret_hash: &str,
    ) -> Result<Option<AppPassword>, StoreError> {
        let sql = format!("select {COLUMNS} from app_passwords where secret_hash = $1");
        let params = [Param::Text(secret_hash.to_owned())];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.first().map(from_row).transpose()
        })
    }
}
