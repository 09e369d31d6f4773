//! Newsletters as editors define them: the back office's form checked into a definition, and
//! saved (a new one, or one's definition replaced).

use gazette_core::{Cadence, Email, NewsletterId, SectionId, Slug};
use gazette_store::{NewNewsletter, Store, StoreError};

/// A newsletter's definition as the back office's form sends it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct DefinitionFields {
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    pub description: String,
    /// `each`, `daily`, `weekly` or `by_hand`.
    pub cadence: String,
    /// `HH:MM`, local time, for digests.
    pub time: String,
    /// `1` (Monday) to `7`, for a weekly digest.
    pub weekday: String,
    pub sections: Vec<SectionId>,
    pub sender_name: String,
    pub sender_email: String,
    pub footer: String,
}

/// Checks a definition: what is wrong is said in words an editor can act on.
pub fn definition(fields: DefinitionFields) -> Result<NewNewsletter, String> {
    let name = fields.name.trim().to_owned();
    if name.is_empty() {
        return Err("Give the newsletter a name.".to_owned());
    }
    let slug = match fields.slug.trim() {
        "" => Slug::from_headline(&name),
        text => Slug::parse(text).map_err(|e| format!("The address: {e}."))?,
    };
    let cadence = cadence(&fields)?;
    if cadence != Cadence::ByHand && fields.sections.is_empty() {
        return Err(
            "Choose the sections whose articles it carries, or send it by hand.".to_owned(),
        );
    }
    let sender_email = Email::parse(fields.sender_email.trim())
        .map_err(|_| "The sender's address must be an email address, such as news@example.org.")?;
    let sender_name = fields.sender_name.trim().to_owned();
    if sender_name.is_empty() {
        return Err("Give the sender's name, as readers will see it.".to_owned());
    }
    let footer = fields.footer.trim().to_owned();
    if footer.is_empty() {
        return Err(
            "Give the journal's postal address for the footer: anti-spam laws require it in \
             every issue."
                .to_owned(),
        );
    }
    Ok(NewNewsletter {
        slug,
        name,
        description: fields.description.trim().to_owned(),
        cadence,
        sections: if cadence == Cadence::ByHand {
            Vec::new()
        } else {
            fields.sections
        },
        sender_name,
        sender_email: sender_email.as_str().to_owned(),
        footer,
    })
}

fn cadence(fields: &DefinitionFields) -> Result<Cadence, String> {
    let minute = || {
        let (hours, minutes) = fields.time.trim().split_once(':').ok_or(())?;
        let (hours, minutes): (u16, u16) = (
            hours.parse().map_err(|_| ())?,
            minutes.parse().map_err(|_| ())?,
        );
        if hours < 24 && minutes < 60 {
            Ok(hours * 60 + minutes)
        } else {
            Err(())
        }
    };
    let time_error =
        || "Give the time of the digest as hours and minutes, such as 07:30.".to_owned();
    match fields.cadence.as_str() {
        "each" => Ok(Cadence::EachArticle),
        "by_hand" => Ok(Cadence::ByHand),
        "daily" => Ok(Cadence::Daily {
            minute: minute().map_err(|()| time_error())?,
        }),
        "weekly" => {
            let weekday = fields
                .weekday
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|d| (1..=7).contains(d))
                .ok_or("Choose the day of the weekly digest.")?;
            Ok(Cadence::Weekly {
                weekday,
                minute: minute().map_err(|()| time_error())?,
            })
        }
        _ => Err("Choose what the newsletter carries, and when.".to_owned()),
    }
}

/// Why a definition was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveRefusal {
    #[error("another newsletter has the address “{0}”; choose another")]
    SlugTaken(String),
    #[error("no such newsletter")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
}

/// Creates a newsletter (`id` None) or replaces one's definition.
pub async fn save(
    store: &Store,
    id: Option<NewsletterId>,
    newsletter: NewNewsletter,
) -> Result<NewsletterId, SaveRefusal> {
    let slug = newsletter.slug.to_string();
    let saved = store
        .write(move |tx| {
            Box::pin(async move {
                let saved = match id {
                    None => Some(tx.insert_newsletter(&newsletter).await?),
                    Some(id) => tx.update_newsletter(id, &newsletter).await?.then_some(id),
                };
                // The digest job comes back at the next digest's time: this one's may be sooner.
                tx.enqueue_job(&gazette_store::digests_job(tx.now()))
                    .await?;
                Ok(saved)
            })
        })
        .await;
    match saved {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(SaveRefusal::NotFound),
        // The slug is a newsletter's only unique field.
        Err(StoreError::Conflict { .. }) => Err(SaveRefusal::SlugTaken(slug)),
        Err(error) => Err(SaveRefusal::Store(error)),
    }
}
