//! Housekeeping jobs every cluster runs once a day: pruning the change log (and refreshing the
//! query planner's statistics), keeping the promise about commenters' data (IP addresses
//! anonymised after the policy's days, rate counters forgotten once their window is over),
//! forgetting failed sign-ins and share links once nothing needs them any more, and counting
//! each newsletter's subscribers.

use gazette_store::{BoxFuture, ClaimedJob, NewJob, Store};
use jiff::{SignedDuration, Timestamp};

use crate::runner::JobHandler;

/// How long changes stay in the log. A node that was down longer rebuilds its caches.
pub const CHANGE_RETENTION: SignedDuration = SignedDuration::from_hours(7 * 24);
const EVERY: SignedDuration = SignedDuration::from_hours(24);
/// Rate counters older than this have no window left to count in.
const COUNTER_RETENTION: SignedDuration = SignedDuration::from_hours(24);

/// One daily chore: what it is called and what it does.
#[derive(Debug, Clone, Copy)]
pub struct Daily {
    kind: &'static str,
    chore: for<'a> fn(&'a Store, Timestamp) -> BoxFuture<'a, anyhow::Result<()>>,
}

/// Deletes changes older than [`CHANGE_RETENTION`].
pub const PRUNE_CHANGE_LOG: Daily = Daily {
    kind: "prune_change_log",
    chore: |store, now| {
        Box::pin(async move {
            // Pruning is idempotent, so it may run outside the unit that completes the job.
            let pruned = store.prune_changes(now - CHANGE_RETENTION).await?;
            tracing::info!(pruned, "pruned the change log");
            // The journal grows: keep the query planner's statistics current.
            store.refresh_statistics().await?;
            Ok(())
        })
    },
};

/// Clears commenters' IP addresses older than the comment policy allows, and old counters.
pub const FORGET_COMMENTERS: Daily = Daily {
    kind: "forget_commenter_addresses",
    chore: |store, now| {
        Box::pin(async move {
            let policy = store
                .publication()
                .await?
                .map(|p| p.comments)
                .unwrap_or_default();
            let keep = SignedDuration::from_hours(policy.anonymise_ip_after_days.max(0) * 24);
            let (anonymised, counters) = store
                .write(|tx| {
                    Box::pin(async move {
                        let anonymised = tx.anonymise_comment_addresses(now - keep).await?;
                        let counters = tx.prune_rate_counters(now - COUNTER_RETENTION).await?;
                        Ok::<_, gazette_store::StoreError>((anonymised, counters))
                    })
                })
                .await?;
            tracing::info!(anonymised, counters, "forgot old commenter addresses");
            Ok(())
        })
    },
};

/// Forgets failed sign-ins whose window is over and whose lock has ended, share links that
/// have expired, and editor pages closed without saying so.
pub const FORGET_EXPIRED_ACCESS: Daily = Daily {
    kind: "forget_expired_access",
    chore: |store, now| {
        Box::pin(async move {
            let failures = forget_sign_in_failures(store, now).await?;
            let links = store
                .write(|tx| Box::pin(async move { tx.prune_share_links().await }))
                .await?;
            let pages = gazette_newsroom::presence::forget_silent(store).await?;
            tracing::info!(
                failures,
                links,
                pages,
                "forgot old failed sign-ins, share links and editor pages"
            );
            Ok(())
        })
    },
};

/// Counts each newsletter's subscribers for the journal's local day, so editors see the counts
/// over time.
pub const TALLY_NEWSLETTERS: Daily = Daily {
    kind: "tally_newsletters",
    chore: |store, now| {
        Box::pin(async move {
            let zone = store
                .publication()
                .await?
                .map_or(jiff::tz::TimeZone::UTC, |p| p.time_zone.zone());
            let day = now.to_zoned(zone).date().to_string();
            let counted = store
                .write(|tx| Box::pin(async move { tx.record_newsletter_tallies(&day).await }))
                .await?;
            tracing::info!(counted, "counted the newsletters' subscribers");
            Ok(())
        })
    },
};

/// The daily chore's work: deletes the failed sign-in counts nothing reads any more (every
/// window over, every lock ended); returns how many.
pub async fn forget_sign_in_failures(store: &Store, now: Timestamp) -> anyhow::Result<u64> {
    let window_start = now - gazette_newsroom::accounts::throttle::ACCOUNT_WINDOW;
    let forgotten = store
        .write(|tx| Box::pin(async move { tx.prune_sign_in_throttle(window_start).await }))
        .await?;
    Ok(forgotten)
}

impl Daily {
    /// The chore's job, due at `at`. Its dedupe key keeps one such job in the cluster.
    pub fn job(&self, at: Timestamp) -> NewJob {
        NewJob::new(self.kind, serde_json::json!({}), at).dedupe_key(self.kind)
    }
}

impl JobHandler for Daily {
    fn kind(&self) -> &'static str {
        self.kind
    }

    /// Does the chore, then schedules itself for the next day.
    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let now = store.clock().now();
            (self.chore)(store, now).await?;
            store
                .complete_job_and_enqueue(job, self.job(now + EVERY))
                .await?;
            Ok(())
        })
    }
}
