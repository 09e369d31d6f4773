//! Editorial notes: staff-only remarks on an article ("check the figures with the council",
//! "@ann can you add a photo?"). Whoever may edit an article may note on it. A note that
//! mentions someone by `@` and their author slug emails them, in the unit of work that keeps
//! the note, and shows on their dashboard. Readers never see notes, and revisions do not hold
//! them.

use gazette_core::desk::may_edit;
use gazette_core::{ArticleId, Person, PersonId, Publication};
use gazette_store::{Note, Store, StoreError};

/// The longest note, in characters.
pub const MAX_CHARS: usize = 5000;

/// Why a note was not kept.
#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("there is no such article")]
    NotFound,
    #[error("only those who may edit the article may note on it")]
    Forbidden,
    #[error("{0}")]
    Invalid(String),
}

/// The slugs `@`-mentioned in `text`, each once, in order.
pub fn mentioned_slugs(text: &str) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for (at, _) in text.match_indices('@') {
        // An address (ann@example.org) mentions nobody.
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        let slug: String = text[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .trim_end_matches('-')
            .to_ascii_lowercase();
        if !slug.is_empty() && !slugs.contains(&slug) {
            slugs.push(slug);
        }
    }
    slugs
}

/// What adding a note did.
#[derive(Debug, Clone)]
pub struct Added {
    pub note: Note,
    /// The people it mentions (emailed).
    pub mentioned: Vec<PersonId>,
    /// Mentions that name nobody on the staff.
    pub unknown: Vec<String>,
}

/// Adds `by`'s note on `article`, emailing the active staff it mentions (not `by`).
pub async fn add(
    store: &Store,
    publication: &Publication,
    by: &Person,
    article: ArticleId,
    body: &str,
) -> Result<Added, NoteError> {
    let body = body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(NoteError::Invalid("Write the note first.".to_owned()));
    }
    if body.chars().count() > MAX_CHARS {
        return Err(NoteError::Invalid(format!(
            "A note may be at most {MAX_CHARS} characters; split it in two."
        )));
    }
    let current = store.article(article).await?.ok_or(NoteError::NotFound)?;
    if !may_edit(by, &current) {
        return Err(NoteError::Forbidden);
    }
    let people = store.people().await?;
    let mut mentioned: Vec<Person> = Vec::new();
    let mut unknown = Vec::new();
    for slug in mentioned_slugs(&body) {
        match people.iter().find(|p| p.active && p.slug.as_str() == slug) {
            Some(person) if person.id != by.id => mentioned.push(person.clone()),
            Some(_) => {}
            None => unknown.push(slug),
        }
    }
    let ids: Vec<PersonId> = mentioned.iter().map(|p| p.id).collect();
    let subject = format!(
        "[{}] {} mentioned you on “{}”",
        publication.name, by.display_name, current.headline
    );
    let link = publication
        .base_url
        .as_ref()
        .map(|base| {
            format!(
                "\n\nOpen the article: {}/admin/articles/{}#notes",
                base.as_str().trim_end_matches('/'),
                article.0
            )
        })
        .unwrap_or_default();
    let text = format!(
        "{} wrote a note on “{}”:\n\n{body}{link}\n",
        by.display_name, current.headline
    );
    let author = by.id;
    let note = store
        .write(|tx| {
            let (ids, mentioned, body) = (ids.clone(), mentioned.clone(), body.clone());
            let (subject, text) = (subject.clone(), text.clone());
            Box::pin(async move {
                let note = tx.insert_note(article, author, &body, &ids).await?;
                for person in &mentioned {
                    crate::outbox::enqueue_email(tx, person.email.as_str(), &subject, &text)
                        .await?;
                }
                Ok::<_, StoreError>(note)
            })
        })
        .await?;
    Ok(Added {
        note,
        mentioned: ids,
        unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::mentioned_slugs;

    #[test]
    fn mentions_are_at_signs_before_a_slug() {
        assert_eq!(
            mentioned_slugs("@ann, can you ask @Bob-Desk? (cc @ann) mail ann@example.org; @- @"),
            ["ann", "bob-desk"]
        );
    }
}
