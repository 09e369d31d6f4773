//! The jobs that make newsletter issues from what is published (the sending itself is
//! `newsletter_mail`'s):
//! - `newsletter_on_publication`: an article an editor chose to send goes out once it is
//!   published, at its scheduled time if it had one;
//! - `newsletter_digests`: each daily or weekly digest at its local time (the journal's time
//!   zone, so across daylight-saving changes), from what its sections published since the
//!   last one, skipped when there is nothing new.
//!
//! Both make the issue's parts from the theme (`gazette_web::compose_*`) before the unit of
//! work that queues it.

use anyhow::Context as _;
use gazette_core::{ArticleId, Newsletter, SectionId, Status};
use gazette_newsroom::newsletters::on_publication;
use gazette_store::{
    ArticleFilter, BoxFuture, ClaimedJob, MAKE_DIGESTS, NewIssue, SEND_ON_PUBLICATION, Store,
    digests_job, publication_job,
};
use gazette_web::AppState;
use jiff::{SignedDuration, Timestamp};

use crate::runner::JobHandler;

/// How soon to look again at an article whose scheduled time has come but which the
/// scheduler has not published yet.
const SCHEDULER_GRACE: SignedDuration = SignedDuration::from_secs(30);
/// How often the digest job looks when no digest is due sooner (a newsletter defined
/// meanwhile moves it forward).
const DIGEST_IDLE: SignedDuration = SignedDuration::from_hours(6);
/// The most articles one digest lists.
const DIGEST_MAX_ARTICLES: u64 = 50;

/// Makes the issues waiting for an article's publication.
#[derive(Debug, Clone)]
pub struct SendOnPublication {
    state: AppState,
}

impl SendOnPublication {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl JobHandler for SendOnPublication {
    fn kind(&self) -> &'static str {
        SEND_ON_PUBLICATION
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let id = job
                .number("article")
                .map(ArticleId)
                .context("the newsletter job names no article")?;
            if !self.state.mail_enabled() {
                // The editor offers no newsletter without mail; what waits keeps waiting.
                store.complete_job(job).await?;
                return Ok(());
            }
            match look_again_at(store, &self.state, id).await? {
                None => store.complete_job(job).await?,
                Some(at) => {
                    store
                        .complete_job_and_enqueue(job, publication_job(id, at))
                        .await?;
                }
            }
            Ok(())
        })
    }
}

/// Makes the article's waiting issues if it is out; when it is still to come, the moment to
/// look again.
async fn look_again_at(
    store: &Store,
    state: &AppState,
    id: ArticleId,
) -> anyhow::Result<Option<Timestamp>> {
    let now = store.clock().now();
    let Some(article) = store.article(id).await? else {
        return Ok(None);
    };
    match (article.status, article.published_at) {
        // Published with a date still to come: out at that date, as readers see it.
        (Status::Published, Some(at)) if at > now => return Ok(Some(at)),
        (Status::Published, _) => {}
        (Status::Scheduled, at) => {
            let soonest = now + SCHEDULER_GRACE;
            return Ok(Some(at.map_or(soonest, |at| at.max(soonest))));
        }
        // Withdrawn before it came out: the send was for that publication.
        _ => {
            on_publication::withdraw(store, id).await?;
            return Ok(None);
        }
    }
    let newsletters = store.newsletters().await?;
    for waiting in store.newsletter_sends_of(id).await? {
        let Some(newsletter) = newsletters.iter().find(|n| n.id == waiting) else {
            continue;
        };
        let issue = gazette_web::compose_article_issue(state, newsletter, &article, false)
            .await
            .map_err(|e| anyhow::anyhow!("making the issue of “{}”: {e}", article.headline))?;
        on_publication::issue_waiting(store, id, issue).await?;
    }
    Ok(None)
}

/// Makes the digests that are due.
#[derive(Debug, Clone)]
pub struct MakeDigests {
    state: AppState,
}

impl MakeDigests {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

impl JobHandler for MakeDigests {
    fn kind(&self) -> &'static str {
        MAKE_DIGESTS
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let now = store.clock().now();
            if !self.state.mail_enabled() {
                // No relay to send them through: no digest is made, and none piles up.
                store
                    .complete_job_and_enqueue(job, digests_job(now + DIGEST_IDLE))
                    .await?;
                return Ok(());
            }
            let zone = store
                .publication()
                .await?
                .map(|p| p.time_zone.zone())
                .unwrap_or(jiff::tz::TimeZone::UTC);
            let newsletters = store.newsletters().await?;
            for newsletter in &newsletters {
                make_digest_if_due(store, &self.state, newsletter, now, &zone).await?;
            }
            let next = newsletters
                .iter()
                .filter_map(|n| n.cadence.next_slot(now, &zone))
                .min()
                .unwrap_or(now + DIGEST_IDLE)
                .min(now + DIGEST_IDLE);
            store
                .complete_job_and_enqueue(job, digests_job(next))
                .await?;
            Ok(())
        })
    }
}

async fn make_digest_if_due(
    store: &Store,
    state: &AppState,
    newsletter: &Newsletter,
    now: Timestamp,
    zone: &jiff::tz::TimeZone,
) -> anyhow::Result<()> {
    let cadence = newsletter.cadence;
    let (Some(slot), Some(reach)) = (cadence.last_slot(now, zone), cadence.first_reach()) else {
        return Ok(());
    };
    let covered = store.digest_covered_until(newsletter.id).await?;
    if covered.is_some_and(|until| until >= slot) {
        return Ok(());
    }
    // From the last digest, or a period back (never before the newsletter existed).
    let from = covered.unwrap_or_else(|| (slot - reach).max(newsletter.created_at));
    let sections = with_descendants(store, &newsletter.sections).await?;
    let mut articles = store
        .published_articles(&ArticleFilter::InSections(sections), 0, DIGEST_MAX_ARTICLES)
        .await?
        .articles;
    articles.retain(|a| a.published_at.is_some_and(|at| at > from && at <= slot));
    if articles.is_empty() {
        tracing::info!(newsletter = %newsletter.slug, "nothing new for the digest: skipped");
        return Ok(());
    }
    let parts = gazette_web::compose_digest(state, newsletter, slot, &articles)
        .await
        .map_err(|e| anyhow::anyhow!("making the digest of {}: {e}", newsletter.name))?;
    let day = slot.to_zoned(zone.clone()).date();
    let issue = NewIssue {
        newsletter: newsletter.id,
        slug: day.to_string(),
        subject: parts.subject,
        article: None,
        html: parts.html,
        text: parts.text,
        subscribers_only: false,
    };
    on_publication::make_digest(store, issue, slot).await?;
    Ok(())
}

/// The sections and every section under them.
async fn with_descendants(store: &Store, roots: &[SectionId]) -> anyhow::Result<Vec<SectionId>> {
    let sections = store.sections().await?;
    let mut found = roots.to_vec();
    let mut at = 0;
    while at < found.len() {
        let parent = found[at];
        found.extend(
            sections
                .iter()
                .filter(|s| s.parent == Some(parent) && !found.contains(&s.id))
                .map(|s| s.id)
                .collect::<Vec<_>>(),
        );
        at += 1;
    }
    Ok(found)
}
