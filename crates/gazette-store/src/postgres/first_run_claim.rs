//! The first-run claim: a row of `gazette_claims` held with a lease, so nodes starting together
//! migrate and seed once. A session advisory lock would do on PostgreSQL itself, but
//! PostgreSQL-compatible engines such as CockroachDB lack them; a row, a unique key and the
//! server's clock work everywhere. A holder that dies leaves a claim that expires after its
//! lease; a live one renews it while it works.

use std::time::Duration;

use sqlx::PgPool;

use super::map_error;
use crate::StoreError;

const NAME: &str = "first_run";
/// How long a claim lasts unless renewed: a dead holder delays the others this long at most.
const LEASE: &str = "30 seconds";
const RENEW_EVERY: Duration = Duration::from_secs(10);
const RETRY_EVERY: Duration = Duration::from_millis(200);

/// The held claim; dropping it gives it up.
#[derive(Debug)]
pub struct FirstRunClaim {
    pool: PgPool,
    holder: String,
    renewing: tokio::task::JoinHandle<()>,
}

/// Waits for the claim and takes it.
pub(crate) async fn take(pool: &PgPool) -> Result<FirstRunClaim, StoreError> {
    make_table(pool).await?;
    let holder = format!(
        "{}:{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    );
    // Taken when nobody holds it, or its holder's lease ran out.
    let take = format!(
        "insert into gazette_claims (name, holder, until) values ($1, $2, now() + interval '{LEASE}') \
         on conflict (name) do update set holder = excluded.holder, until = excluded.until \
         where gazette_claims.until < now() returning holder"
    );
    loop {
        let taken: Option<String> = sqlx::query_scalar(&take)
            .bind(NAME)
            .bind(&holder)
            .fetch_optional(pool)
            .await
            .map_err(map_error)?;
        if taken.is_some() {
            break;
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
    let renewing = tokio::spawn(renew(pool.clone(), holder.clone()));
    Ok(FirstRunClaim {
        pool: pool.clone(),
        holder,
        renewing,
    })
}

/// Makes `gazette_claims` when missing. Two nodes creating it at once may collide in the
/// catalogue: the loser finds it made.
pub(crate) async fn make_table(pool: &PgPool) -> Result<(), StoreError> {
    let made = sqlx::raw_sql(
        "create table if not exists gazette_claims (\
             name text primary key, holder text not null, until timestamptz not null)",
    )
    .execute(pool)
    .await;
    match made {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(db))
            if matches!(db.code().as_deref(), Some("23505" | "42P07")) =>
        {
            Ok(())
        }
        Err(error) => Err(map_error(error)),
    }
}

async fn renew(pool: PgPool, holder: String) {
    let renew = format!(
        "update gazette_claims set until = now() + interval '{LEASE}' where name = $1 and holder = $2"
    );
    loop {
        tokio::time::sleep(RENEW_EVERY).await;
        if let Err(error) = sqlx::query(&renew)
            .bind(NAME)
            .bind(&holder)
            .execute(&pool)
            .await
        {
            tracing::warn!(%error, "could not renew the first-run claim");
        }
    }
}

impl Drop for FirstRunClaim {
    fn drop(&mut self) {
        self.renewing.abort();
        let (pool, holder) = (self.pool.clone(), std::mem::take(&mut self.holder));
        // Given up in the background; if that fails, the lease runs out.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let give_up = "delete from gazette_claims where name = $1 and holder = $2";
                let _ = sqlx::query(give_up)
                    .bind(NAME)
                    .bind(holder)
                    .execute(&pool)
                    .await;
            });
        }
    }
}
