//! Newsletter subscribers, their subscriptions with the consent each was given, and the
//! suppression list every reader mail consults (newsletters and comment-reply notices alike).
//!
//! The double opt-in lives here as states: a request records the address as pending with the
//! newsletters it asked for; only a confirmation (the link in the one mail a pending address
//! gets, at most once a day) makes them confirmed; leaving them all puts the address on the
//! suppression list, by hash.

use gazette_core::newsletter::{Consent, Subscription, address_hash};
use gazette_core::{Email, NewsletterId, Subscriber, SubscriberId, SubscriberStatus, Suppression};
use jiff::SignedDuration;

use crate::query::Param;
use crate::rows::RowExt;
use crate::sql::{FromRow, Id};
use crate::{Store, StoreError, WriteTx};

/// At most one confirmation mail per address in this time.
pub const CONFIRMATION_INTERVAL: SignedDuration = SignedDuration::from_hours(24);

/// The consent a request or an import comes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    /// The form's address, or an import's source.
    pub form: String,
    pub wording: String,
}

/// A subscriber, and its subscriptions: read alike in and out of a unit of work.
const SUBSCRIBER_BY_ID: &str =
    "select id, email, status, created_at, confirmed_at from subscribers where id = $1";
const SUBSCRIPTIONS_OF: &str = "select newsletter_id, created_at, consent_form, \
    consent_wording, confirmed_at from subscriptions where subscriber_id = $1 \
    order by newsletter_id";
/// Why an address is suppressed, by its hash.
const SUPPRESSION_OF: &str = "select reason from mail_suppressions where address_hash = $1";

impl FromRow for Suppression {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        let reason = row.text("reason")?;
        Suppression::parse(&reason).ok_or_else(|| StoreError::corrupt("suppression reason", reason))
    }
}

impl FromRow for Subscriber {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        let status = row.text("status")?;
        Ok(Subscriber {
            id: SubscriberId(row.int("id")?),
            email: row.text("email")?,
            status: SubscriberStatus::parse(&status)
                .ok_or_else(|| StoreError::corrupt("subscriber status", status))?,
            created_at: row.time("created_at")?,
            confirmed_at: row.opt_time("confirmed_at")?,
            subscriptions: Vec::new(),
        })
    }
}

impl FromRow for Subscription {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Subscription {
            newsletter: NewsletterId(row.int("newsletter_id")?),
            consent: Consent {
                at: row.time("created_at")?,
                form: row.text("consent_form")?,
                wording: row.text("consent_wording")?,
            },
            confirmed_at: row.opt_time("confirmed_at")?,
        })
    }
}

/// An address as the suppression list and the unique index know it.
fn normalized(email: &str) -> String {
    email.trim().to_lowercase()
}

impl WriteTx {
    /// Records a request to receive `newsletters` at `email`: the address is pending unless
    /// it confirmed before, and each newsletter not yet received waits for a confirmation,
    /// with this consent. Never tells whether the address was known.
    pub async fn request_subscription(
        &mut self,
        email: &Email,
        newsletters: &[NewsletterId],
        consent: &NewConsent,
    ) -> Result<SubscriberId, StoreError> {
        let sql = "insert into subscribers (email, email_normalized, status, created_at) \
            values ($1, $2, 'pending', $3) \
            on conflict (email_normalized) do update set \
                status = case when subscribers.status = 'left' then 'pending' \
                              else subscribers.status end \
            returning id";
        let params = [
            Param::Text(email.as_str().to_owned()),
            Param::Text(email.normalized()),
            Param::Time(self.now),
        ];
        let id = self.fetch_one::<Id>(sql, &params).await?.0;
        for newsletter in newsletters {
            // A newsletter already confirmed keeps its consent; a pending one takes the newer.
            let sql = "insert into subscriptions (subscriber_id, newsletter_id, created_at, \
                    consent_form, consent_wording) values ($1, $2, $3, $4, $5) \
                on conflict (subscriber_id, newsletter_id) do update set \
                    created_at = excluded.created_at, consent_form = excluded.consent_form, \
                    consent_wording = excluded.consent_wording \
                where subscriptions.confirmed_at is null";
            let params = [
                Param::Int(id),
                Param::Int(newsletter.0),
                Param::Time(self.now),
                Param::Text(consent.form.clone()),
                Param::Text(consent.wording.clone()),
            ];
            self.execute(sql, &params).await?;
        }
        Ok(SubscriberId(id))
    }

    /// Records that a confirmation is being mailed to the subscriber; false when one went in
    /// the last [`CONFIRMATION_INTERVAL`], so that a form cannot be used to flood an address.
    pub async fn claim_confirmation_mail(&mut self, id: SubscriberId) -> Result<bool, StoreError> {
        let sql = "update subscribers set confirmation_sent_at = $2 where id = $1 \
            and (confirmation_sent_at is null or confirmation_sent_at <= $3)";
        let params = [
            Param::Int(id.0),
            Param::Time(self.now),
            Param::Time(self.now - CONFIRMATION_INTERVAL),
        ];
        self.execute(sql, &params).await.map(|n| n == 1)
    }

    /// Confirms the address and every newsletter it asked for; lifts its own leaving from
    /// the suppression list (the reader asked again and confirmed), nothing else.
    pub async fn confirm_subscriber(&mut self, id: SubscriberId) -> Result<(), StoreError> {
        let now = Param::Time(self.now);
        let sql = "update subscribers set status = 'confirmed', \
            confirmed_at = coalesce(confirmed_at, $2) where id = $1";
        let params = [Param::Int(id.0), now.clone()];
        self.execute(sql, &params).await?;
        let sql = "update subscriptions set confirmed_at = $2 \
            where subscriber_id = $1 and confirmed_at is null";
        self.execute(sql, &params).await?;
        let Some(subscriber) = self.subscriber(id).await? else {
            return Ok(());
        };
        let hash = address_hash(&normalized(&subscriber.email));
        let sql = "delete from mail_suppressions where address_hash = $1 and reason = $2";
        let params = [
            Param::Text(hash),
            Param::Text(Suppression::Left.as_str().to_owned()),
        ];
        self.execute(sql, &params).await?;
        Ok(())
    }

    /// Sets what a confirmed subscriber receives, from its preferences page: chosen
    /// newsletters it did not have start now, with this consent; the others stop.
    pub async fn set_subscriptions(
        &mut self,
        id: SubscriberId,
        chosen: &[NewsletterId],
        consent: &NewConsent,
    ) -> Result<(), StoreError> {
        let had = self
            .subscriber(id)
            .await?
            .map(|s| s.subscriptions)
            .unwrap_or_default();
        for stopped in had.iter().filter(|s| !chosen.contains(&s.newsletter)) {
            let sql = "delete from subscriptions where subscriber_id = $1 and newsletter_id = $2";
            let params = [Param::Int(id.0), Param::Int(stopped.newsletter.0)];
            self.execute(sql, &params).await?;
        }
        for newsletter in chosen {
            // The page was reached through a link mailed to the address: a choice made there
            // is confirmed, and one the reader had keeps its first consent.
            let sql = "insert into subscriptions (subscriber_id, newsletter_id, created_at, \
                    consent_form, consent_wording, confirmed_at) values ($1, $2, $3, $4, $5, $3) \
                on conflict (subscriber_id, newsletter_id) do update set \
                    confirmed_at = coalesce(subscriptions.confirmed_at, excluded.confirmed_at)";
            let params = [
                Param::Int(id.0),
                Param::Int(newsletter.0),
                Param::Time(self.now),
                Param::Text(consent.form.clone()),
                Param::Text(consent.wording.clone()),
            ];
            self.execute(sql, &params).await?;
        }
        Ok(())
    }

    /// Leaves every newsletter: no subscription is left, and the address is suppressed.
    pub async fn leave_all(&mut self, id: SubscriberId) -> Result<(), StoreError> {
        let Some(subscriber) = self.subscriber(id).await? else {
            return Ok(());
        };
        let sql = "delete from subscriptions where subscriber_id = $1";
        self.execute(sql, &[Param::Int(id.0)]).await?;
        let sql = "update subscribers set status = 'left' where id = $1";
        self.execute(sql, &[Param::Int(id.0)]).await?;
        self.suppress(&subscriber.email, Suppression::Left).await
    }

    /// Puts an address (in any case) on the suppression list. A reason already there stays,
    /// except leaving, which a reason that stands for good (a bounce, a complaint, an
    /// erasure) replaces: only leaving is lifted by a new consent.
    pub async fn suppress(&mut self, email: &str, reason: Suppression) -> Result<(), StoreError> {
        let sql = "insert into mail_suppressions (address_hash, reason, created_at) \
            values ($1, $2, $3) on conflict (address_hash) do update \
            set reason = excluded.reason, created_at = excluded.created_at \
            where mail_suppressions.reason = 'left' and excluded.reason <> 'left'";
        let params = [
            Param::Text(address_hash(&normalized(email))),
            Param::Text(reason.as_str().to_owned()),
            Param::Time(self.now),
        ];
        self.execute(sql, &params).await?;
        Ok(())
    }

    /// Why an address (in any case) must not be mailed, if it must not.
    pub async fn suppression(&mut self, email: &str) -> Result<Option<Suppression>, StoreError> {
        let params = [Param::Text(address_hash(&normalized(email)))];
        self.fetch_optional(SUPPRESSION_OF, &params).await
    }

    /// Forgets the subscriber at `email` (any case) with its subscriptions and deliveries, and
    /// keeps the address off every mailing list for good; whether there was one.
    pub async fn erase_subscriber(&mut self, email: &str) -> Result<bool, StoreError> {
        let sql = "delete from subscribers where email_normalized = $1";
        let erased = self.execute(sql, &[Param::Text(normalized(email))]).await? > 0;
        self.suppress(email, Suppression::Erased).await?;
        Ok(erased)
    }

    /// A subscriber with its subscriptions, read in this unit of work.
    pub async fn subscriber(&mut self, id: SubscriberId) -> Result<Option<Subscriber>, StoreError> {
        let params = [Param::Int(id.0)];
        let Some(mut subscriber) = self
            .fetch_optional::<Subscriber>(SUBSCRIBER_BY_ID, &params)
            .await?
        else {
            return Ok(None);
        };
        subscriber.subscriptions = self.fetch_all(SUBSCRIPTIONS_OF, &params).await?;
        Ok(Some(subscriber))
    }
}

impl Store {
    /// A subscriber with its subscriptions.
    pub async fn subscriber(&self, id: SubscriberId) -> Result<Option<Subscriber>, StoreError> {
        let params = [Param::Int(id.0)];
        let Some(mut subscriber) = self
            .fetch_optional::<Subscriber>(SUBSCRIBER_BY_ID, &params)
            .await?
        else {
            return Ok(None);
        };
        subscriber.subscriptions = self.fetch_all(SUBSCRIPTIONS_OF, &params).await?;
        Ok(Some(subscriber))
    }

    /// The subscriber at `email` (any case), with its subscriptions.
    pub async fn subscriber_by_email(&self, email: &str) -> Result<Option<Subscriber>, StoreError> {
        let sql = "select id from subscribers where email_normalized = $1";
        let found: Option<Id> = self
            .fetch_optional(sql, &[Param::Text(normalized(email))])
            .await?;
        match found {
            Some(Id(id)) => self.subscriber(SubscriberId(id)).await,
            None => Ok(None),
        }
    }

    /// Why an address (in any case) must not be mailed, if it must not.
    pub async fn suppression(&self, email: &str) -> Result<Option<Suppression>, StoreError> {
        let params = [Param::Text(address_hash(&normalized(email)))];
        self.fetch_optional(SUPPRESSION_OF, &params).await
    }
}
