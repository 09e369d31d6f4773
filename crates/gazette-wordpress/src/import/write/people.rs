//! The export's authors: each becomes a person without sign-in (until invited), or is matched
//! to a person already here by email address.

use anyhow::Context as _;
use gazette_core::{Email, PersonId, Role, Slug};
use gazette_store::{NewPerson, WordPressKind, WriteTx};
use gazette_wxr::Author;

use super::Writer;

impl Writer {
    /// An author: a person without sign-in (until invited), found by email when already here.
    pub(super) async fn person(&mut self, tx: &mut WriteTx, author: &Author) -> anyhow::Result<()> {
        let login = author.login.clone();
        if let Some(id) = author.id.and_then(|id| self.ids.people.get(&id)) {
            self.ids.people_by_login.insert(login, PersonId(*id));
            return Ok(());
        }
        let slug =
            Slug::parse(&login.to_lowercase()).unwrap_or_else(|_| Slug::from_headline(&login));
        let email = match Email::parse(&author.email) {
            Ok(email) => email,
            Err(_) => {
                self.report.warn(format!(
                    "Author {login} has no usable email address ({:?}); they were given {slug}@imported.invalid, to be changed before inviting them.",
                    author.email
                ));
                Email::parse(&format!("{slug}@imported.invalid"))
                    .with_context(|| format!("making an address for author {login}"))?
            }
        };
        let existing = tx.person_id_by_email(&email).await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let display_name = if author.display_name.is_empty() {
                    login.clone()
                } else {
                    author.display_name.clone()
                };
                let new = NewPerson {
                    display_name,
                    slug: self.free_person_slug(tx, slug).await?,
                    email,
                    role: Role::Author,
                    password_hash: None,
                    bio: String::new(),
                    active: true,
                };
                self.report.created.people += 1;
                tx.insert_person(&new).await?.id
            }
        };
        if let Some(wp_id) = author.id {
            tx.record_wordpress_ids(WordPressKind::Author, &[(wp_id, id.0)])
                .await?;
            self.ids.people.insert(wp_id, id.0);
        }
        self.ids.people_by_login.insert(login, id);
        Ok(())
    }

    async fn free_person_slug(&mut self, tx: &mut WriteTx, slug: Slug) -> anyhow::Result<Slug> {
        let mut candidate = slug.clone();
        let mut n = 2;
        while tx.person_slug_taken(&candidate).await? {
            candidate = Slug::parse(&format!("{slug}-{n}"))?;
            n += 1;
        }
        Ok(candidate)
    }
}
