//! Newsletter issues and their deliveries. An issue is what one newsletter sent once; its
//! deliveries are one row per subscriber, queued when the issue is made, *claimed* (marked
//! `sending`, with a lease) before the SMTP transaction and *settled* after it. A row still
//! `sending` when its lease lapses belongs to a node that died mid-transaction: it becomes
//! `unknown`, for an editor to resend, and is never sent again on its own. So a message goes
//! at most once, and no subscriber is silently skipped.

use gazette_core::{ArticleId, NewsletterId, SubscriberId};
use jiff::{SignedDuration, Timestamp};

use crate::query::Param;
use crate::rows::RowExt;
use crate::sql::{FromRow, Id};
use crate::store::on_backend;
use crate::{Store, StoreError, WriteTx};

/// The job that sends an issue's deliveries.
pub const SEND_NEWSLETTER: &str = "send_newsletter";

/// The job that sends `issue`'s deliveries from `due_at`: one per issue, so queuing it again
/// (resuming) moves it instead of adding a second.
pub fn sending_job(issue: IssueId, due_at: Timestamp) -> crate::NewJob {
    crate::NewJob::new(
        SEND_NEWSLETTER,
        serde_json::json!({ "issue": issue.0 }),
        due_at,
    )
    .dedupe_key(format!("{SEND_NEWSLETTER}:{}", issue.0))
}

/// How many senders an issue gets: on a cluster, that many nodes share its deliveries (each
/// claims its own batches); a single node runs them one after the other, the second finding
/// nothing left.
pub const SENDERS: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IssueId(pub i64);

/// An issue to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIssue {
    pub newsletter: NewsletterId,
    /// Its address under the newsletter's, for the web version.
    pub slug: String,
    pub subject: String,
    /// The article it carries, when it carries one.
    pub article: Option<ArticleId>,
    pub html: String,
    pub text: String,
    /// No web version.
    pub subscribers_only: bool,
}

/// Where an issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueStatus {
    Sending,
    Paused,
    Cancelled,
    Sent,
}

impl IssueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Paused => "paused",
            Self::Cancelled => "cancelled",
            Self::Sent => "sent",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Self::Sending, Self::Paused, Self::Cancelled, Self::Sent]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// An issue as made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub id: IssueId,
    pub newsletter: NewsletterId,
    pub slug: String,
    pub subject: String,
    pub article: Option<ArticleId>,
    pub html: String,
    pub text: String,
    pub subscribers_only: bool,
    pub status: IssueStatus,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl FromRow for Issue {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        let status = row.text("status")?;
        Ok(Self {
            id: IssueId(row.int("id")?),
            newsletter: NewsletterId(row.int("newsletter_id")?),
            slug: row.text("slug")?,
            subject: row.text("subject")?,
            article: row.opt_int("article_id")?.map(ArticleId),
            html: row.text("html")?,
            text: row.text("text")?,
            subscribers_only: row.flag("subscribers_only")?,
            status: IssueStatus::parse(&status)
                .ok_or_else(|| StoreError::corrupt("issue status", status))?,
            created_at: row.time("created_at")?,
            finished_at: row.opt_time("finished_at")?,
        })
    }
}

const ISSUE_COLUMNS: &str = "id, newsletter_id, slug, subject, article_id, html, text, \
    subscribers_only, status, created_at, finished_at";

/// Deliveries claimed together, and the token that holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedBatch {
    pub deliveries: Vec<Delivery>,
    token: String,
}

/// A delivery claimed for sending: to whom, and how many times it was tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub subscriber: SubscriberId,
    pub email: String,
    /// 1 on the first try.
    pub attempt: i64,
}

impl FromRow for Delivery {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Self {
            subscriber: SubscriberId(row.int("subscriber_id")?),
            email: row.text("email")?,
            attempt: row.int("attempts")?,
        })
    }
}

/// What became of one delivery's SMTP transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// The relay took it, as this `Message-ID`.
    Sent { message_id: String },
    /// A temporary refusal (4xx): tried again from `again_at`.
    Deferred { again_at: Timestamp, error: String },
    /// A permanent refusal (5xx) of the address.
    Bounced { error: String },
    /// Not sent for a reason of its own (a suppressed address, a message that could not be
    /// built): never tried again.
    Failed { error: String },
    /// Its address may not be mailed (left, bounced, complained, erased) since it was queued.
    Suppressed,
    /// The transaction failed in a way that does not tell whether the relay took the message
    /// (the connection dropped): listed for an editor, never sent again on its own.
    Unknown { error: String },
}

impl Settled {
    fn status(&self) -> &'static str {
        match self {
            Self::Sent { .. } => "sent",
            Self::Deferred { .. } => "deferred",
            Self::Bounced { .. } => "bounced",
            Self::Failed { .. } => "failed",
            Self::Suppressed => "cancelled",
            Self::Unknown { .. } => "unknown",
        }
    }
}

/// How an issue's deliveries stand, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub deferred: i64,
    pub failed: i64,
    pub bounced: i64,
    pub unknown: i64,
    pub cancelled: i64,
}

struct StatusCount(String, i64);

impl FromRow for StatusCount {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Self(row.text("status")?, row.int("n")?))
    }
}

impl WriteTx {
    /// Makes an issue and queues a delivery for every confirmed subscriber of its newsletter;
    /// the issue's id and how many were queued.
    pub async fn insert_issue(&mut self, issue: &NewIssue) -> Result<(IssueId, u64), StoreError> {
        let sql = "insert into newsletter_issues (newsletter_id, slug, subject, article_id, html, \
                text, subscribers_only, status, created_at) \
            values ($1, $2, $3, $4, $5, $6, $7, 'sending', $8) returning id";
        let params = [
            Param::Int(issue.newsletter.0),
            Param::Text(issue.slug.clone()),
            Param::Text(issue.subject.clone()),
            issue.article.map_or(Param::Null, |a| Param::Int(a.0)),
            Param::Text(issue.html.clone()),
            Param::Text(issue.text.clone()),
            Param::Bool(issue.subscribers_only),
            Param::Time(self.now),
        ];
        let id = IssueId(self.fetch_one::<Id>(sql, &params).await?.0);
        let queue = "insert into deliveries (issue_id, subscriber_id, status, updated_at) \
            select $1, s.subscriber_id, 'queued', $2 \
            from subscriptions s join subscribers b on b.id = s.subscriber_id \
            where s.newsletter_id = $3 and s.confirmed_at is not null \
              and b.status = 'confirmed'";
        let params = [
            Param::Int(id.0),
            Param::Time(self.now),
            Param::Int(issue.newsletter.0),
        ];
        let queued = self.execute(queue, &params).await?;
        Ok((id, queued))
    }

    /// Moves an issue from one of `from` to `to`; false when it was in none of them. Pausing
    /// and cancelling stop what is not claimed yet; what is being sent finishes.
    pub async fn move_issue(
        &mut self,
        id: IssueId,
        from: &[IssueStatus],
        to: IssueStatus,
    ) -> Result<bool, StoreError> {
        let mut moved = false;
        for status in from {
            let sql = "update newsletter_issues set status = $1 where id = $2 and status = $3";
            let params = [
                Param::Text(to.as_str().to_owned()),
                Param::Int(id.0),
                Param::Text(status.as_str().to_owned()),
            ];
            moved |= self.execute(sql, &params).await? == 1;
        }
        if moved && to == IssueStatus::Cancelled {
            let sql = "update deliveries set status = 'cancelled', updated_at = $2 \
                where issue_id = $1 and status in ('queued', 'deferred')";
            self.execute(sql, &[Param::Int(id.0), Param::Time(self.now)])
                .await?;
        }
        Ok(moved)
    }

    /// Queues the issue's [`SENDERS`] sending jobs, due now.
    pub async fn enqueue_senders(&mut self, issue: IssueId) -> Result<(), StoreError> {
        let now = self.now;
        for sender in 1..=SENDERS {
            let job = sending_job(issue, now);
            let job = if sender == 1 {
                job
            } else {
                job.dedupe_key(format!("{SEND_NEWSLETTER}:{}:{sender}", issue.0))
            };
            self.enqueue_job(&job).await?;
        }
        Ok(())
    }

    /// Queues an issue's `unknown` deliveries again, at an editor's word (those readers may
    /// get it twice); how many. A finished issue goes back to sending; a cancelled one is left.
    pub async fn resend_unknown(&mut self, id: IssueId) -> Result<u64, StoreError> {
        let sql = "update deliveries set status = 'queued', claim_token = null, \
                lease_until = null, next_at = null, error = null, updated_at = $2 \
            where issue_id = $1 and status = 'unknown' and exists (select 1 \
                from newsletter_issues where id = $1 and status <> 'cancelled')";
        let queued = self
            .execute(sql, &[Param::Int(id.0), Param::Time(self.now)])
            .await?;
        if queued > 0 {
            let sql = "update newsletter_issues set status = 'sending', finished_at = null \
                where id = $1 and status = 'sent'";
            self.execute(sql, &[Param::Int(id.0)]).await?;
        }
        Ok(queued)
    }
}

impl Store {
    /// One issue.
    pub async fn issue(&self, id: IssueId) -> Result<Option<Issue>, StoreError> {
        let sql = format!("select {ISSUE_COLUMNS} from newsletter_issues where id = $1");
        self.fetch_optional(&sql, &[Param::Int(id.0)]).await
    }

    /// A newsletter's issues, newest first.
    pub async fn issues_of(&self, newsletter: NewsletterId) -> Result<Vec<Issue>, StoreError> {
        let sql = format!(
            "select {ISSUE_COLUMNS} from newsletter_issues where newsletter_id = $1 \
             order by created_at desc, id desc"
        );
        self.fetch_all(&sql, &[Param::Int(newsletter.0)]).await
    }

    /// Claims up to `batch` deliveries of a sending issue that are due, for `lease`: each is
    /// marked `sending` before its SMTP transaction, on whichever node claims it. Only the
    /// deliveries are locked (`skip locked` on PostgreSQL): the issue's status is read in an
    /// `exists`, since locking the issue's row too made a second sender find nothing while the
    /// first was claiming, and stop. Batches come in no promised order: ordering them would
    /// sort every waiting delivery at each claim.
    pub async fn claim_deliveries(
        &self,
        issue: IssueId,
        batch: i64,
        lease: SignedDuration,
    ) -> Result<ClaimedBatch, StoreError> {
        let now = self.now();
        let token = gazette_core::session::SessionToken::generate()
            .expose()
            .to_owned();
        let skip_locked = on_backend!(self.backend(), _db => backend::jobs::SKIP_LOCKED);
        let claim = format!(
            "update deliveries set status = 'sending', claim_token = $2, lease_until = $3, \
                 attempts = attempts + 1, updated_at = $4 \
             where issue_id = $1 and subscriber_id in ( \
                 select d.subscriber_id from deliveries d \
                 where d.issue_id = $1 \
                   and exists (select 1 from newsletter_issues i \
                               where i.id = $1 and i.status = 'sending') \
                   and d.status in ('queued', 'deferred') \
                   and (d.next_at is null or d.next_at <= $4) \
                 limit $5{skip_locked})"
        );
        let params = [
            Param::Int(issue.0),
            Param::Text(token.clone()),
            Param::Time(now + lease),
            Param::Time(now),
            Param::Int(batch),
        ];
        self.execute_now(&claim, &params).await?;
        let claimed = "select d.subscriber_id, b.email, d.attempts from deliveries d \
            join subscribers b on b.id = d.subscriber_id \
            where d.issue_id = $1 and d.claim_token = $2 and d.status = 'sending' \
            order by d.subscriber_id";
        let deliveries = self
            .fetch_all(claimed, &[Param::Int(issue.0), Param::Text(token.clone())])
            .await?;
        Ok(ClaimedBatch { deliveries, token })
    }

    /// Holds what is left of a claimed batch for another `lease` from now (the sender's
    /// heartbeat while it works through the batch).
    pub async fn extend_deliveries(
        &self,
        issue: IssueId,
        batch: &ClaimedBatch,
        lease: SignedDuration,
    ) -> Result<(), StoreError> {
        let sql = "update deliveries set lease_until = $3 \
            where issue_id = $1 and claim_token = $2 and status = 'sending'";
        let params = [
            Param::Int(issue.0),
            Param::Text(batch.token.clone()),
            Param::Time(self.now() + lease),
        ];
        self.execute_now(sql, &params).await?;
        Ok(())
    }

    /// Records what became of a claimed delivery.
    pub async fn settle_delivery(
        &self,
        issue: IssueId,
        subscriber: SubscriberId,
        settled: &Settled,
    ) -> Result<(), StoreError> {
        let (message_id, error, again_at) = match settled {
            Settled::Sent { message_id } => (Some(message_id.clone()), None, None),
            Settled::Deferred { again_at, error } => (None, Some(error.clone()), Some(*again_at)),
            Settled::Bounced { error } | Settled::Failed { error } | Settled::Unknown { error } => {
                (None, Some(error.clone()), None)
            }
            Settled::Suppressed => (None, None, None),
        };
        let sql = "update deliveries set status = $3, message_id = $4, error = $5, next_at = $6, \
                lease_until = null, claim_token = null, updated_at = $7 \
            where issue_id = $1 and subscriber_id = $2 and status = 'sending'";
        let params = [
            Param::Int(issue.0),
            Param::Int(subscriber.0),
            Param::Text(settled.status().to_owned()),
            message_id.map_or(Param::NullText, Param::Text),
            error.map_or(Param::NullText, Param::Text),
            again_at.map_or(Param::NullTime, Param::Time),
            Param::Time(self.now()),
        ];
        self.execute_now(sql, &params).await?;
        Ok(())
    }

    /// Deliveries still `sending` whose lease lapsed (their node died mid-transaction) become
    /// `unknown`; how many.
    pub async fn expire_deliveries(&self) -> Result<u64, StoreError> {
        let sql = "update deliveries set status = 'unknown', claim_token = null, updated_at = $1 \
            where status = 'sending' and lease_until <= $1";
        self.execute_now(sql, &[Param::Time(self.now())]).await
    }

    /// Marks a sending issue sent once nothing of it is left to send; whether it is.
    pub async fn finish_issue(&self, issue: IssueId) -> Result<bool, StoreError> {
        let sql = "update newsletter_issues set status = 'sent', finished_at = $2 \
            where id = $1 and status = 'sending' and not exists ( \
                select 1 from deliveries where issue_id = $1 \
                  and status in ('queued', 'sending', 'deferred'))";
        Ok(self
            .execute_now(sql, &[Param::Int(issue.0), Param::Time(self.now())])
            .await?
            == 1)
    }

    /// When the issue's sender should look again, if anything of it waits: the earliest time
    /// a deferred delivery may be tried again, or a claim held by another (perhaps dead)
    /// sender lapses.
    pub async fn next_wakeup(&self, issue: IssueId) -> Result<Option<Timestamp>, StoreError> {
        struct Next(Option<Timestamp>);
        impl FromRow for Next {
            fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
                row.opt_time("next_at").map(Self)
            }
        }
        let sql = "select min(case when status = 'deferred' then next_at else lease_until end) \
                as next_at \
            from deliveries where issue_id = $1 and status in ('deferred', 'sending')";
        let next: Option<Next> = self.fetch_optional(sql, &[Param::Int(issue.0)]).await?;
        Ok(next.and_then(|Next(at)| at))
    }

    /// How an issue's deliveries stand.
    pub async fn issue_progress(&self, issue: IssueId) -> Result<Progress, StoreError> {
        let sql = "select status, count(*) as n from deliveries where issue_id = $1 \
            group by status";
        let counts: Vec<StatusCount> = self.fetch_all(sql, &[Param::Int(issue.0)]).await?;
        let mut progress = Progress::default();
        for StatusCount(status, n) in counts {
            let slot = match status.as_str() {
                "queued" => &mut progress.queued,
                "sending" => &mut progress.sending,
                "sent" => &mut progress.sent,
                "deferred" => &mut progress.deferred,
                "failed" => &mut progress.failed,
                "bounced" => &mut progress.bounced,
                "unknown" => &mut progress.unknown,
                "cancelled" => &mut progress.cancelled,
                other => return Err(StoreError::corrupt("delivery status", other)),
            };
            *slot = n;
        }
        Ok(progress)
    }
}
