//! Sending newsletter issues: the `send_newsletter` job, one per issue, run by whichever node
//! claims it. It claims deliveries in batches (marked `sending` before each SMTP transaction),
//! sends each through one pooled connection and settles it after, so that a message goes at
//! most once: a node that dies mid-batch leaves `sending` rows whose lease lapses into
//! `unknown`, never sent again on their own (see `gazette-store`'s `issues`).

use anyhow::Context as _;
use gazette_core::newsletter::links::{LinkPurpose, token};
use gazette_core::{Newsletter, Publication};
use gazette_newsroom::newsletters::issues::{PREFERENCES_MARK, UNSUBSCRIBE_MARK};
use gazette_store::{
    BoxFuture, ClaimedJob, Delivery, Issue, IssueId, IssueStatus, SEND_NEWSLETTER, Settled, Store,
    sending_job,
};
use jiff::SignedDuration;
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::config::SmtpConfig;
use crate::relay::{Handed, Lane, Relay};
use crate::runner::{JobHandler, Stopping};

/// Deliveries in SMTP transactions at once, each lane over its own connection.
const IN_FLIGHT: usize = 8;
/// Deliveries claimed at once: as many as are in flight. A claimed delivery is `sending` to
/// the store whether or not its transaction has begun, so a node that dies leaves no more
/// `unknown` than the messages it was handing over.
const BATCH: i64 = IN_FLIGHT as i64;
/// How long a claimed batch is this node's without news from it. The sender renews it every
/// [`HEARTBEAT`] while it works through the batch, so a slow relay keeps its batch, and a
/// node that died lets its batch turn `unknown` a minute later.
const DELIVERY_LEASE: SignedDuration = SignedDuration::from_secs(60);
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(20);
/// A temporarily refused delivery (4xx) is tried again after these pauses, then fails.
const DEFERRALS: [SignedDuration; 4] = [
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(30),
    SignedDuration::from_hours(2),
    SignedDuration::from_hours(8),
];

/// Sends newsletter issues through the operator's SMTP server.
#[derive(Debug)]
pub struct SendNewsletter {
    smtp: SmtpConfig,
    stopping: Stopping,
}

impl SendNewsletter {
    pub fn new(smtp: SmtpConfig, stopping: Stopping) -> Self {
        Self { smtp, stopping }
    }
}

/// How far a sender got.
enum Sent {
    /// Nothing is left for it: the issue is sent, or waits for deferred deliveries.
    AllItCould,
    /// The node is stopping: the batch in hand was settled, the rest is for another sender.
    Stopped,
}

impl JobHandler for SendNewsletter {
    fn kind(&self) -> &'static str {
        SEND_NEWSLETTER
    }

    fn run<'a>(
        &'a self,
        store: &'a Store,
        job: &'a ClaimedJob,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            let id = job
                .number("issue")
                .map(IssueId)
                .context("the newsletter job names no issue")?;
            match send_issue(store, &self.smtp, &self.stopping, id).await? {
                Sent::AllItCould => store.complete_job(job).await?,
                // Back in the queue, due now: another node takes it at once, or this one
                // when it starts again.
                Sent::Stopped => {
                    let rest = sending_job(id, store.clock().now())
                        .dedupe_key(format!("{SEND_NEWSLETTER}:handed-over:{}", id.0));
                    store.complete_job_and_enqueue(job, rest).await?;
                }
            }
            Ok(())
        })
    }
}

/// Sends what of an issue is due, then marks it sent or comes back for what was deferred.
async fn send_issue(
    store: &Store,
    smtp: &SmtpConfig,
    stopping: &Stopping,
    id: IssueId,
) -> anyhow::Result<Sent> {
    store.expire_deliveries().await?;
    let Some(issue) = store.issue(id).await? else {
        return Ok(Sent::AllItCould);
    };
    if issue.status != IssueStatus::Sending {
        return Ok(Sent::AllItCould); // paused or cancelled: resuming queues the job again
    }
    let newsletter = store
        .newsletter(issue.newsletter)
        .await?
        .context("the issue's newsletter is gone")?;
    let publication = store.publication().await?.context("no publication")?;
    let secret = store.server_secret().await?.context("no server secret")?;
    let dkim = crate::mail::dkim_signer(smtp)?;
    let letter = Letter::new(&issue, &newsletter, &publication, &secret, dkim)?;
    let pace = tokio::sync::Mutex::new(Pace::new(smtp.max_per_minute));
    let relay = Relay::new(smtp);
    let mut lanes: Vec<Lane> = std::iter::repeat_with(Lane::default)
        .take(IN_FLIGHT)
        .collect();
    loop {
        if stopping.requested() {
            close(lanes).await;
            return Ok(Sent::Stopped);
        }
        // A relay that does not answer is found before anything is claimed: the job is tried
        // again later, and no delivery turns `unknown` for it.
        if let Some(first) = lanes.first_mut() {
            first.ready(&relay).await?;
        }
        let batch = store.claim_deliveries(id, BATCH, DELIVERY_LEASE).await?;
        if batch.deliveries.is_empty() {
            break;
        }
        let queue = std::sync::Mutex::new(batch.deliveries.iter());
        let sending = lanes.iter_mut().map(|lane| async {
            // The lock is held for `next` only, never across a wait.
            while let Some(delivery) = queue.lock().ok().and_then(|mut q| q.next()) {
                pace.lock().await.wait().await;
                let settled = deliver(store, &relay, lane, &letter, delivery).await?;
                store
                    .settle_delivery(id, delivery.subscriber, &settled)
                    .await?;
            }
            Ok::<_, anyhow::Error>(())
        });
        let renewing = async {
            loop {
                tokio::time::sleep(HEARTBEAT).await;
                if let Err(error) = store.extend_deliveries(id, &batch, DELIVERY_LEASE).await {
                    return error;
                }
            }
        };
        tokio::select! {
            outcomes = futures_util::future::join_all(sending) => {
                outcomes.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
            }
            error = renewing => return Err(error.into()),
        }
    }
    close(lanes).await;
    // Deferred deliveries, and batches another sender holds (which may have died with it),
    // are looked at again when they are due.
    if !store.finish_issue(id).await?
        && let Some(again_at) = store.next_wakeup(id).await?
    {
        // A key of its own: this job's row is still claimed, and completing it removes it.
        let job = sending_job(id, again_at).dedupe_key(format!("{SEND_NEWSLETTER}:again:{}", id.0));
        store
            .write(|tx| Box::pin(async move { tx.enqueue_job(&job).await }))
            .await?;
    }
    Ok(Sent::AllItCould)
}

/// One delivery's SMTP transaction, and what became of it.
async fn deliver(
    store: &Store,
    relay: &Relay,
    lane: &mut Lane,
    letter: &Letter,
    delivery: &Delivery,
) -> anyhow::Result<Settled> {
    if store.suppression(&delivery.email).await?.is_some() {
        return Ok(Settled::Suppressed);
    }
    let (message, message_id) = match letter.to(delivery, store.clock().now()) {
        Ok(built) => built,
        Err(error) => {
            return Ok(Settled::Failed {
                error: format!("{error:#}"),
            });
        }
    };
    Ok(match lane.send(relay, &message).await {
        Handed::Taken => Settled::Sent { message_id },
        Handed::Refused(error)
            if error.is_permanent() && refuses_the_address(&error.to_string()) =>
        {
            let address = delivery.email.clone();
            store
                .write(|tx| {
                    Box::pin(async move {
                        tx.suppress(&address, gazette_core::Suppression::Bounced)
                            .await
                    })
                })
                .await?;
            Settled::Bounced {
                error: error.to_string(),
            }
        }
        // Refused for good, but not for the address's sake (a policy, the sender, the
        // message): the address stays, and an editor sees why.
        Handed::Refused(error) if error.is_permanent() => Settled::Failed {
            error: error.to_string(),
        },
        Handed::Refused(error) => deferred(store, delivery, error.to_string()),
        // Nothing reached the relay: as a refusal for now.
        Handed::Unreachable(error) => deferred(store, delivery, format!("{error:#}")),
        Handed::Unsure(error) => Settled::Unknown { error },
    })
}

/// A delivery refused for now: tried again after its next pause, or failed after the last.
fn deferred(store: &Store, delivery: &Delivery, error: String) -> Settled {
    let tries = usize::try_from(delivery.attempt).unwrap_or(usize::MAX);
    match DEFERRALS.get(tries.saturating_sub(1)) {
        Some(pause) => Settled::Deferred {
            again_at: store.clock().now() + *pause,
            error,
        },
        None => Settled::Failed {
            error: format!("refused {tries} times, last: {error}"),
        },
    }
}

/// Says goodbye to the relay on every lane.
async fn close(lanes: Vec<Lane>) {
    for mut lane in lanes {
        lane.close().await;
    }
}

/// An issue ready to be addressed: its parts, and what every copy's headers share.
struct Letter {
    issue: IssueId,
    from: Mailbox,
    subject: String,
    text: String,
    html: String,
    list_id: String,
    base: String,
    host: String,
    secret: String,
    /// Signs each copy, when the operator gave a DKIM key.
    dkim: Option<lettre::message::dkim::DkimConfig>,
}

impl Letter {
    fn new(
        issue: &Issue,
        newsletter: &Newsletter,
        publication: &Publication,
        secret: &str,
        dkim: Option<lettre::message::dkim::DkimConfig>,
    ) -> anyhow::Result<Self> {
        let base = publication
            .base_url
            .as_ref()
            .context("the publication has no address (base_url): links in mail need one")?;
        let host = base.host_str().unwrap_or("localhost").to_owned();
        let from = format!("{} <{}>", newsletter.sender_name, newsletter.sender_email)
            .parse()
            .context("the newsletter's sender")?;
        Ok(Self {
            issue: issue.id,
            from,
            subject: issue.subject.clone(),
            text: issue.text.clone(),
            html: issue.html.clone(),
            list_id: format!("{} <{}.{host}>", newsletter.name, newsletter.slug),
            base: base.as_str().trim_end_matches('/').to_owned(),
            host,
            secret: secret.to_owned(),
            dkim,
        })
    }

    /// The copy for one subscriber, with its own links; and its `Message-ID`.
    fn to(&self, delivery: &Delivery, now: jiff::Timestamp) -> anyhow::Result<(Message, String)> {
        let link = |purpose, route| {
            let token = token(
                &self.secret,
                purpose,
                delivery.subscriber,
                &delivery.email,
                now,
            );
            format!("{}/newsletters/{route}/{token}", self.base)
        };
        let preferences = link(LinkPurpose::Preferences, "preferences");
        let unsubscribe = link(LinkPurpose::Unsubscribe, "unsubscribe");
        let own = |part: &str| {
            part.replace(PREFERENCES_MARK, &preferences)
                .replace(UNSUBSCRIBE_MARK, &unsubscribe)
        };
        // Unique per issue, reader and attempt: a resent copy is a new message.
        let message_id = format!(
            "<issue-{}.{}.{}@{}>",
            self.issue.0, delivery.subscriber.0, delivery.attempt, self.host
        );
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        let to: Mailbox = delivery.email.parse().context("the subscriber's address")?;
        let parts = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(own(&self.text)),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(own(&self.html)),
            );
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(self.subject.clone())
            .message_id(Some(message_id.clone()))
            .date_now()
            .raw_header(header("List-Id", self.list_id.clone()))
            .raw_header(header("List-Unsubscribe", format!("<{unsubscribe}>")))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned(),
            ))
            .multipart(parts)
            .context("building the issue's message")?;
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        Ok((message, message_id))
    }
}

/// Keeps a sender under the relay's rate: at most `max_per_minute` messages a minute, evenly
/// spaced (none when there is no limit).
struct Pace {
    interval: Option<std::time::Duration>,
    next: tokio::time::Instant,
}

impl Pace {
    fn new(max_per_minute: Option<u32>) -> Self {
        Self {
            interval: max_per_minute.map(|rate| std::time::Duration::from_secs(60) / rate.max(1)),
            next: tokio::time::Instant::now(),
        }
    }

    /// Waits until the next message may go.
    async fn wait(&mut self) {
        let Some(interval) = self.interval else {
            return;
        };
        tokio::time::sleep_until(self.next).await;
        self.next = self.next.max(tokio::time::Instant::now()) + interval;
    }
}

/// Whether a permanent refusal is about the recipient's address: an enhanced status code of
/// the addressing class (RFC 3463, `5.1.x`: no such mailbox, bad address). A relay that
/// refuses every message for its own reasons (`5.7.1` relaying denied, a sender not allowed)
/// must not suppress the whole list.
fn refuses_the_address(response: &str) -> bool {
    response
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|word| word.starts_with("5.1.") && word.len() > 4)
}

#[cfg(test)]
mod tests {
    use super::{Pace, refuses_the_address};

    #[tokio::test(start_paused = true)]
    async fn a_rate_spaces_the_messages_evenly() {
        let start = tokio::time::Instant::now();
        let mut pace = Pace::new(Some(120));
        for _ in 0..5 {
            pace.wait().await;
        }
        // The first goes at once, then one every half second (on tokio's paused clock).
        assert_eq!(start.elapsed(), std::time::Duration::from_secs(2));
        let mut unpaced = Pace::new(None);
        let start = tokio::time::Instant::now();
        for _ in 0..5 {
            unpaced.wait().await;
        }
        assert_eq!(start.elapsed(), std::time::Duration::ZERO);
    }

    #[test]
    fn only_addressing_refusals_suppress_the_address() {
        assert!(refuses_the_address(
            "permanent error (550): 5.1.1 <nobody@example.org>: Recipient address rejected"
        ));
        assert!(refuses_the_address("550 5.1.10 Recipient not found"));
        assert!(!refuses_the_address("554 5.7.1 Relay access denied"));
        assert!(!refuses_the_address("550 Requested action not taken"));
        assert!(!refuses_the_address("552 5.3.4 Message too big"));
    }
}
