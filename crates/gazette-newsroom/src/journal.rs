//! Creating a journal: its editorial settings, the server secret and the first administrator,
//! written together in one unit of work so that a journal exists completely or not at all.
//!
//! A first run (`gazette serve`, `gazette migrate`) and an import into an empty store both
//! create journals; each prepares a [`Seed`] before its unit of work and writes it inside.

use gazette_core::password::{NewPassword, PasswordError, PasswordHasher};
use gazette_core::{Email, Publication, Role, Slug};
use gazette_store::{NewPerson, StoreError, WriteTx};

/// How a journal comes to exist: the commands that create one.
pub const MAKE_A_JOURNAL: &str = "run `gazette migrate` (`gazette migrate --no-demo` for an \
     empty journal), `gazette serve`, or `gazette import wxr FILE` first, with the same --data \
     or --database";

/// What the operator says a new journal starts with.
#[derive(Debug, Clone)]
pub struct NewJournal<'a> {
    pub admin_email: &'a Email,
    /// The administrator's password as the operator gave it; None generates one.
    pub admin_password: Option<&'a str>,
    pub publication: &'a Publication,
}

/// Why a journal's seed could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The password breaks the policy; the error says how.
    #[error(transparent)]
    UnacceptablePassword(PasswordError),
    #[error("hashing the administrator's password failed")]
    Hashing(#[source] PasswordError),
}

/// A new journal made ready before its unit of work: the password checked and hashed (hashing
/// is slow, and a refused password must change nothing) and the server secret drawn.
#[derive(Clone)]
pub struct Seed {
    /// The editorial settings the journal starts with; an import replaces some of them.
    pub publication: Publication,
    admin: NewPerson,
    secret: String,
    /// Set when the password was generated: it must be shown to the operator once.
    pub generated_password: Option<NewPassword>,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seed")
            .field("admin_email", &self.admin.email)
            .finish_non_exhaustive()
    }
}

/// Checks the operator's password against the policy without hashing it, so a refused one
/// can stop a command before it touches anything.
pub fn check_password(password: Option<&str>) -> Result<Option<NewPassword>, SeedError> {
    password
        .map(NewPassword::parse)
        .transpose()
        .map_err(SeedError::UnacceptablePassword)
}

impl Seed {
    /// Checks and hashes the administrator's password (generating one when none was given)
    /// and draws the server secret.
    pub fn prepare(journal: &NewJournal<'_>, hasher: &PasswordHasher) -> Result<Self, SeedError> {
        let (password, generated_password) = match check_password(journal.admin_password)? {
            Some(supplied) => (supplied, None),
            None => {
                let generated = NewPassword::generate();
                (generated.clone(), Some(generated))
            }
        };
        let admin = NewPerson {
            display_name: "Administrator".to_owned(),
            slug: administrator_slug(),
            email: journal.admin_email.clone(),
            role: Role::Administrator,
            password_hash: Some(hasher.hash(&password).map_err(SeedError::Hashing)?),
            bio: String::new(),
            active: true,
        };
        Ok(Self {
            publication: journal.publication.clone(),
            admin,
            secret: gazette_core::session::SessionToken::generate()
                .expose()
                .to_owned(),
            generated_password,
        })
    }

    /// The first administrator's email.
    pub fn admin_email(&self) -> &Email {
        &self.admin.email
    }

    /// Writes the editorial settings, the server secret and the administrator.
    pub async fn write(&self, tx: &mut WriteTx) -> Result<(), StoreError> {
        tx.put_publication(&self.publication).await?;
        tx.ensure_server_secret(&self.secret).await?;
        tx.insert_person(&self.admin).await?;
        Ok(())
    }
}

fn administrator_slug() -> Slug {
    Slug::parse("administrator").unwrap_or_else(|_| unreachable!("a literal, valid slug"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal<'a>(
        email: &'a Email,
        password: Option<&'a str>,
        publication: &'a Publication,
    ) -> NewJournal<'a> {
        NewJournal {
            admin_email: email,
            admin_password: password,
            publication,
        }
    }

    #[test]
    fn a_short_password_is_refused_before_anything_is_hashed() {
        let email = Email::parse("admin@example.org").expect("a valid email");
        let publication = Publication::sample();
        let refused = Seed::prepare(
            &journal(&email, Some("short"), &publication),
            &PasswordHasher::cheap_for_tests(),
        );
        assert!(
            matches!(
                refused,
                Err(SeedError::UnacceptablePassword(PasswordError::TooShort))
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn a_missing_password_is_generated_and_shown_once() {
        let email = Email::parse("admin@example.org").expect("a valid email");
        let publication = Publication::sample();
        let seed = Seed::prepare(
            &journal(&email, None, &publication),
            &PasswordHasher::cheap_for_tests(),
        )
        .expect("a seed");
        assert!(seed.generated_password.is_some());
        let given = Seed::prepare(
            &journal(&email, Some("a long enough passphrase"), &publication),
            &PasswordHasher::cheap_for_tests(),
        )
        .expect("a seed");
        assert!(
            given.generated_password.is_none(),
            "an operator's password is never shown back"
        );
        assert_eq!(given.admin_email(), &email);
    }
}
