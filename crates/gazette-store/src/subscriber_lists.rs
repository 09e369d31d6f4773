//! Subscribers as editors see them: a searchable list, an export, and imports from another
//! service (Mailchimp, Substack, Ghost), whose readers consented there.

use gazette_core::{Email, NewsletterId, Subscriber, SubscriberId, SubscriberStatus, Suppression};
use jiff::Timestamp;

use crate::query::Param;
use crate::rows::RowExt;
use crate::sql::FromRow;
use crate::subscribers::NewConsent;
use crate::{Store, StoreError, WriteTx};

/// Which subscribers the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriberQuery {
    /// Part of the address, any case; empty for all.
    pub search: String,
    pub status: Option<SubscriberStatus>,
}

/// What importing one address did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// A new subscriber, or a new newsletter for one.
    Added,
    /// It had every newsletter already.
    Known,
    /// On the suppression list: left alone, never mailed.
    Suppressed,
}

/// One subscription as exported: a line per subscriber and newsletter (a subscriber with
/// none has one line without a newsletter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLine {
    pub subscriber: SubscriberId,
    pub email: String,
    pub status: String,
    pub newsletter: Option<String>,
    pub subscribed_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    /// The form or import it came from.
    pub source: Option<String>,
}

impl FromRow for ExportLine {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Self {
            subscriber: SubscriberId(row.int("id")?),
            email: row.text("email")?,
            status: row.text("status")?,
            newsletter: row.opt_text("slug")?,
            subscribed_at: row.time("created_at")?,
            confirmed_at: row.opt_time("confirmed_at")?,
            source: row.opt_text("consent_form")?,
        })
    }
}

struct Count(i64);

impl FromRow for Count {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.int("total").map(Self)
    }
}

struct Found(SubscriberId);

impl FromRow for Found {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        row.int("id").map(|id| Self(SubscriberId(id)))
    }
}

fn filter(query: &SubscriberQuery) -> (String, Vec<Param>) {
    let pattern = format!(
        "%{}%",
        query.search.trim().to_lowercase().replace(['%', '_'], "")
    );
    let mut params = vec![Param::Text(pattern)];
    let mut sql = String::from("lower(email) like $1");
    if let Some(status) = query.status {
        params.push(Param::Text(status.as_str().to_owned()));
        sql.push_str(" and status = $2");
    }
    (sql, params)
}

impl Store {
    /// A page of subscribers, newest first, with their subscriptions, and how many match.
    pub async fn subscriber_list(
        &self,
        query: &SubscriberQuery,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Subscriber>, u64), StoreError> {
        let (condition, mut params) = filter(query);
        let total = format!("select count(*) as total from subscribers where {condition}");
        let Count(total) = self
            .fetch_optional(&total, &params)
            .await?
            .unwrap_or(Count(0));
        let n = params.len();
        let page = format!(
            "select id from subscribers where {condition} order by id desc limit ${} offset ${}",
            n + 1,
            n + 2
        );
        params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        params.push(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let ids: Vec<Found> = self.fetch_all(&page, &params).await?;
        let mut subscribers = Vec::with_capacity(ids.len());
        for Found(id) in ids {
            if let Some(subscriber) = self.subscriber(id).await? {
                subscribers.push(subscriber);
            }
        }
        Ok((subscribers, u64::try_from(total).unwrap_or(0)))
    }

    /// The export's lines for up to `limit` subscribers after `after` (by id, so a long export
    /// reads in pages while readers keep subscribing).
    pub async fn subscriber_export_page(
        &self,
        after: SubscriberId,
        limit: u64,
    ) -> Result<Vec<ExportLine>, StoreError> {
        let sql = "select s.id, s.email, s.status, coalesce(u.created_at, s.created_at) as created_at, \
                u.confirmed_at, n.slug, u.consent_form \
            from (select * from subscribers where id > $1 order by id limit $2) s \
            left join subscriptions u on u.subscriber_id = s.id \
            left join newsletters n on n.id = u.newsletter_id \
            order by s.id, n.slug";
        let params = [
            Param::Int(after.0),
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        ];
        self.fetch_all(sql, &params).await
    }
}

impl WriteTx {
    /// Adds a reader who consented elsewhere (an import) to `newsletters`, confirmed, unless
    /// the address is suppressed. Importing the same list again changes nothing.
    pub async fn import_subscriber(
        &mut self,
        email: &Email,
        newsletters: &[NewsletterId],
        consent: &NewConsent,
    ) -> Result<Imported, StoreError> {
        if self.suppression(email.as_str()).await?.is_some() {
            return Ok(Imported::Suppressed);
        }
        let before = self.confirmed_subscriptions(email).await?;
        let id = self
            .request_subscription(email, newsletters, consent)
            .await?;
        self.confirm_subscriber(id).await?;
        let after = self.confirmed_subscriptions(email).await?;
        Ok(if after > before {
            Imported::Added
        } else {
            Imported::Known
        })
    }

    async fn confirmed_subscriptions(&mut self, email: &Email) -> Result<i64, StoreError> {
        let sql = "select count(*) as total from subscriptions u \
            join subscribers s on s.id = u.subscriber_id \
            where s.email_normalized = $1 and u.confirmed_at is not null";
        let found: Option<Count> = self
            .fetch_optional(sql, &[Param::Text(email.normalized())])
            .await?;
        Ok(found.map_or(0, |c| c.0))
    }

    /// Puts an address a list service had marked on the suppression list (an import of its
    /// unsubscribed or cleaned readers), unless it is there already.
    pub async fn import_suppression(
        &mut self,
        email: &Email,
        reason: Suppression,
    ) -> Result<(), StoreError> {
        if self.suppression(email.as_str()).await?.is_none() {
            self.suppress(email.as_str(), reason).await?;
        }
        Ok(())
    }
}
