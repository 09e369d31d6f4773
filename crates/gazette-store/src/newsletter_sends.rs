//! What newsletters wait for and remember: articles an editor chose to send when they are
//! published (`newsletter_sends`), how far each digest has covered, and the daily count of
//! each newsletter's subscribers (`newsletter_tallies`). The jobs are the node's; these are
//! their reads and writes.

use gazette_core::{ArticleId, NewsletterId, PersonId};
use jiff::Timestamp;

use crate::issues::IssueId;
use crate::query::Param;
use crate::rows::RowExt;
use crate::sql::FromRow;
use crate::{NewJob, Store, StoreError, WriteTx};

/// The job that makes the issues waiting for an article's publication.
pub const SEND_ON_PUBLICATION: &str = "newsletter_on_publication";

/// The job that makes the digests that are due.
pub const MAKE_DIGESTS: &str = "newsletter_digests";

/// [`SEND_ON_PUBLICATION`] for `article`, due at `due_at`; one per article, so asking again
/// moves it.
pub fn publication_job(article: ArticleId, due_at: Timestamp) -> NewJob {
    NewJob::new(
        SEND_ON_PUBLICATION,
        serde_json::json!({ "article": article.0 }),
        due_at,
    )
    .dedupe_key(format!("{SEND_ON_PUBLICATION}:{}", article.0))
}

/// [`MAKE_DIGESTS`], due at `due_at`: one in the cluster.
pub fn digests_job(due_at: Timestamp) -> NewJob {
    NewJob::new(MAKE_DIGESTS, serde_json::json!({}), due_at).dedupe_key(MAKE_DIGESTS)
}

struct Newsletter(NewsletterId);

impl FromRow for Newsletter {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.int("newsletter_id").map(|id| Self(NewsletterId(id)))
    }
}

struct Covered(Option<Timestamp>);

impl FromRow for Covered {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.opt_time("covered").map(Self)
    }
}

/// A newsletter's subscribers on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The journal's local day, `YYYY-MM-DD`.
    pub day: String,
    pub confirmed: i64,
    pub pending: i64,
}

impl FromRow for Tally {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Self {
            day: row.text("day")?,
            confirmed: row.int("confirmed")?,
            pending: row.int("pending")?,
        })
    }
}

impl WriteTx {
    /// Counts every newsletter's subscribers as of `day` (counted again the same day, the
    /// newer count stays); how many newsletters.
    pub async fn record_newsletter_tallies(&mut self, day: &str) -> Result<u64, StoreError> {
        // `where true`: SQLite reads `on conflict` after a bare select as part of a join.
        let sql = "insert into newsletter_tallies (newsletter_id, day, confirmed, pending) \
            select n.id, $1, \
                (select count(*) from subscriptions s \
                    where s.newsletter_id = n.id and s.confirmed_at is not null), \
                (select count(*) from subscriptions s \
                    where s.newsletter_id = n.id and s.confirmed_at is null) \
            from newsletters n where true \
            on conflict (newsletter_id, day) do update set \
                confirmed = excluded.confirmed, pending = excluded.pending";
        self.execute(sql, &[Param::Text(day.to_owned())]).await
    }

    /// Records that `article` goes to `newsletters` when it is published, leaving out any it
    /// already went to; how many were recorded.
    pub async fn request_newsletter_sends(
        &mut self,
        article: ArticleId,
        newsletters: &[NewsletterId],
        by: PersonId,
    ) -> Result<u64, StoreError> {
        let mut recorded = 0;
        for newsletter in newsletters {
            let sql = "insert into newsletter_sends \
                    (article_id, newsletter_id, requested_by, requested_at) \
                select $1, $2, $3, $4 where not exists (select 1 from newsletter_issues \
                    where newsletter_id = $2 and article_id = $1) \
                on conflict do nothing";
            let params = [
                Param::Int(article.0),
                Param::Int(newsletter.0),
                Param::Int(by.0),
                Param::Time(self.now),
            ];
            recorded += self.execute(sql, &params).await?;
        }
        Ok(recorded)
    }

    /// Takes the waiting send of `article` to `newsletter`: true when it was still waiting
    /// (this unit of work makes its issue), false when another did.
    pub async fn take_newsletter_send(
        &mut self,
        article: ArticleId,
        newsletter: NewsletterId,
    ) -> Result<bool, StoreError> {
        let sql = "delete from newsletter_sends where article_id = $1 and newsletter_id = $2";
        let params = [Param::Int(article.0), Param::Int(newsletter.0)];
        Ok(self.execute(sql, &params).await? == 1)
    }

    /// Records the moment a digest covers up to.
    pub async fn set_issue_covers_until(
        &mut self,
        issue: IssueId,
        until: Timestamp,
    ) -> Result<(), StoreError> {
        let sql = "update newsletter_issues set covers_until = $1 where id = $2";
        self.execute(sql, &[Param::Time(until), Param::Int(issue.0)])
            .await?;
        Ok(())
    }
}

impl Store {
    /// The newsletters `article` waits to go to.
    pub async fn newsletter_sends_of(
        &self,
        article: ArticleId,
    ) -> Result<Vec<NewsletterId>, StoreError> {
        let sql = "select newsletter_id from newsletter_sends where article_id = $1 \
            order by newsletter_id";
        let rows: Vec<Newsletter> = self.fetch_all(sql, &[Param::Int(article.0)]).await?;
        Ok(rows.into_iter().map(|n| n.0).collect())
    }

    /// The newsletters `article` went to.
    pub async fn newsletters_sent(
        &self,
        article: ArticleId,
    ) -> Result<Vec<NewsletterId>, StoreError> {
        let sql = "select distinct newsletter_id from newsletter_issues where article_id = $1 \
            order by newsletter_id";
        let rows: Vec<Newsletter> = self.fetch_all(sql, &[Param::Int(article.0)]).await?;
        Ok(rows.into_iter().map(|n| n.0).collect())
    }

    /// `newsletter`'s latest `limit` daily counts, newest first.
    pub async fn newsletter_tallies(
        &self,
        newsletter: NewsletterId,
        limit: u64,
    ) -> Result<Vec<Tally>, StoreError> {
        let sql = "select day, confirmed, pending from newsletter_tallies \
            where newsletter_id = $1 order by day desc limit $2";
        let params = [
            Param::Int(newsletter.0),
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        ];
        self.fetch_all(sql, &params).await
    }

    /// The moment `newsletter`'s last digest covered up to, if it made one.
    pub async fn digest_covered_until(
        &self,
        newsletter: NewsletterId,
    ) -> Result<Option<Timestamp>, StoreError> {
        let sql = "select max(covers_until) as covered from newsletter_issues \
            where newsletter_id = $1";
        let row: Option<Covered> = self
            .fetch_optional(sql, &[Param::Int(newsletter.0)])
            .await?;
        Ok(row.and_then(|c| c.0))
    }
}
