//! Newsletters as editors define them: name, what they carry and when, who sends them. The
//! readers who receive them are in `subscribers`. No public page but `/newsletters/` shows
//! them, and it is not cached, so writing one records no change for the caches.

use std::collections::HashMap;

use gazette_core::{Cadence, Newsletter, NewsletterId, SectionId, Slug};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::sql::{FromRow, Id};
use crate::{Store, StoreError, WriteTx};

/// A newsletter's definition, to create or replace one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNewsletter {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub cadence: Cadence,
    pub sections: Vec<SectionId>,
    pub sender_name: String,
    pub sender_email: String,
    pub footer: String,
}

/// A newsletter's subscribers, by where they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubscriberCounts {
    /// Addresses that confirmed it: each issue goes to them.
    pub confirmed: i64,
    /// Addresses that asked and have not confirmed yet.
    pub pending: i64,
}

const COLUMNS: &str = "id, slug, name, description, cadence, send_minute, send_weekday, \
    sender_name, sender_email, footer, created_at";

impl FromRow for Newsletter {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        let cadence = row.text("cadence")?;
        Ok(Newsletter {
            id: NewsletterId(row.int("id")?),
            slug: Slug::parse(&row.text("slug")?)
                .map_err(|e| StoreError::corrupt("newsletter slug", e))?,
            name: row.text("name")?,
            description: row.text("description")?,
            cadence: Cadence::from_parts(
                &cadence,
                row.opt_int("send_minute")?,
                row.opt_int("send_weekday")?,
            )
            .ok_or_else(|| StoreError::corrupt("newsletter cadence", cadence))?,
            sections: Vec::new(),
            sender_name: row.text("sender_name")?,
            sender_email: row.text("sender_email")?,
            footer: row.text("footer")?,
            created_at: row.time("created_at")?,
        })
    }
}

/// One row of `newsletter_sections`.
struct Carried(NewsletterId, SectionId);

impl FromRow for Carried {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        Ok(Self(
            NewsletterId(row.int("newsletter_id")?),
            SectionId(row.int("section_id")?),
        ))
    }
}

/// One newsletter's counts.
struct Counted(NewsletterId, SubscriberCounts);

impl FromRow for Counted {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        let counts = SubscriberCounts {
            confirmed: row.int("confirmed")?,
            pending: row.int("pending")?,
        };
        Ok(Self(NewsletterId(row.int("newsletter_id")?), counts))
    }
}

fn definition_params(newsletter: &NewNewsletter) -> Vec<Param> {
    let (cadence, minute, weekday) = newsletter.cadence.parts();
    let optional = |value: Option<i64>| value.map_or(Param::Null, Param::Int);
    vec![
        Param::Text(newsletter.slug.as_str().to_owned()),
        Param::Text(newsletter.name.clone()),
        Param::Text(newsletter.description.clone()),
        Param::Text(cadence.to_owned()),
        optional(minute.map(i64::from)),
        optional(weekday.map(i64::from)),
        Param::Text(newsletter.sender_name.clone()),
        Param::Text(newsletter.sender_email.clone()),
        Param::Text(newsletter.footer.clone()),
    ]
}

impl WriteTx {
    /// Creates a newsletter; `Conflict` when its slug is taken.
    pub async fn insert_newsletter(
        &mut self,
        newsletter: &NewNewsletter,
    ) -> Result<NewsletterId, StoreError> {
        let sql = "insert into newsletters (slug, name, description, cadence, send_minute, \
            send_weekday, sender_name, sender_email, footer, created_at) \
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id";
        let mut params = definition_params(newsletter);
        params.push(Param::Time(self.now));
        let id = NewsletterId(self.fetch_one::<Id>(sql, &params).await?.0);
        self.set_newsletter_sections(id, &newsletter.sections)
            .await?;
        Ok(id)
    }

    /// Replaces a newsletter's definition; false when there is no such newsletter.
    pub async fn update_newsletter(
        &mut self,
        id: NewsletterId,
        newsletter: &NewNewsletter,
    ) -> Result<bool, StoreError> {
        let sql = "update newsletters set slug = $1, name = $2, description = $3, cadence = $4, \
            send_minute = $5, send_weekday = $6, sender_name = $7, sender_email = $8, \
            footer = $9 where id = $10";
        let mut params = definition_params(newsletter);
        params.push(Param::Int(id.0));
        if self.execute(sql, &params).await? == 0 {
            return Ok(false);
        }
        self.set_newsletter_sections(id, &newsletter.sections)
            .await?;
        Ok(true)
    }

    async fn set_newsletter_sections(
        &mut self,
        id: NewsletterId,
        sections: &[SectionId],
    ) -> Result<(), StoreError> {
        let forget = "delete from newsletter_sections where newsletter_id = $1";
        self.execute(forget, &[Param::Int(id.0)]).await?;
        for section in sections {
            let sql = "insert into newsletter_sections (newsletter_id, section_id) values ($1, $2) \
                on conflict do nothing";
            self.execute(sql, &[Param::Int(id.0), Param::Int(section.0)])
                .await?;
        }
        // Article, section and home pages offer the newsletters: they are made again.
        self.record_change(ChangeKind::Settings, None);
        Ok(())
    }
}

impl Store {
    /// Every newsletter, by name.
    pub async fn newsletters(&self) -> Result<Vec<Newsletter>, StoreError> {
        let sql = format!("select {COLUMNS} from newsletters order by name, id");
        let sections = "select newsletter_id, section_id from newsletter_sections \
            order by newsletter_id, section_id";
        let mut newsletters: Vec<Newsletter> = self.fetch_all(&sql, &[]).await?;
        let carried: Vec<Carried> = self.fetch_all(sections, &[]).await?;
        for newsletter in &mut newsletters {
            newsletter.sections = carried
                .iter()
                .filter(|Carried(id, _)| *id == newsletter.id)
                .map(|Carried(_, section)| *section)
                .collect();
        }
        Ok(newsletters)
    }

    /// How many addresses each newsletter goes to, and how many wait for their confirmation.
    pub async fn newsletter_counts(
        &self,
    ) -> Result<HashMap<NewsletterId, SubscriberCounts>, StoreError> {
        let sql = "select newsletter_id, \
                sum(case when confirmed_at is null then 0 else 1 end) as confirmed, \
                sum(case when confirmed_at is null then 1 else 0 end) as pending \
            from subscriptions group by newsletter_id";
        let counted: Vec<Counted> = self.fetch_all(sql, &[]).await?;
        Ok(counted
            .into_iter()
            .map(|Counted(id, counts)| (id, counts))
            .collect())
    }

    /// One newsletter by its id.
    pub async fn newsletter(&self, id: NewsletterId) -> Result<Option<Newsletter>, StoreError> {
        Ok(self.newsletters().await?.into_iter().find(|n| n.id == id))
    }
}
