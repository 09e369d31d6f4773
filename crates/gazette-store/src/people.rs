//! People: staff accounts and bylines.

use std::collections::HashMap;

use gazette_core::password::PasswordHash;
use gazette_core::profile::AuthorProfile;
use gazette_core::{Email, Person, PersonId, Role, Slug};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A person to create.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub display_name: String,
    pub slug: Slug,
    pub email: Email,
    pub role: Role,
    pub password_hash: Option<PasswordHash>,
    pub bio: String,
    pub active: bool,
}

/// The columns `person_from_row` reads, in every backend's queries.
pub(crate) const PERSON_COLUMNS: &str =
    "id, email, display_name, slug, bio, role, password_hash, active, created_at";

pub(crate) fn person_from_row(row: &impl RowExt) -> Result<Person, StoreError> {
    let role = row.text("role")?;
    Ok(Person {
        id: PersonId(row.int("id")?),
        display_name: row.text("display_name")?,
        slug: Slug::parse(&row.text("slug")?).map_err(|e| StoreError::corrupt("person slug", e))?,
        bio: row.text("bio")?,
        email: Email::parse(&row.text("email")?)
            .map_err(|e| StoreError::corrupt("person email", e))?,
        role: Role::parse(&role).ok_or_else(|| StoreError::corrupt("role", role))?,
        password_hash: row
            .opt_text("password_hash")?
            .map(PasswordHash::from_stored),
        active: row.flag("active")?,
        created_at: row.time("created_at")?,
    })
}

impl crate::sql::FromRow for Person {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        person_from_row(row)
    }
}

/// How a person is looked up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PersonKey<'a> {
    Id(PersonId),
    Email(&'a str),
    Slug(&'a str),
}

impl PersonKey<'_> {
    /// The column it is found by, and the value.
    fn column_and_value(self) -> (&'static str, Param) {
        match self {
            Self::Id(id) => ("id", Param::Int(id.0)),
            Self::Email(email) => ("email_normalized", Param::Text(email.to_owned())),
            Self::Slug(slug) => ("slug", Param::Text(slug.to_owned())),
        }
    }
}

impl WriteTx {
    /// Creates a person. A taken email (case-insensitively) or slug is a `Conflict`.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_person(&mut self, new: &NewPerson) -> Result<Person, StoreError> {
        let now = self.now;
        let sql = "insert into people (email, email_normalized, display_name, slug, bio, role, \
                   password_hash, active, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                   returning id";
        let params = [
            Param::Text(new.email.as_str().to_owned()),
            Param::Text(new.email.normalized()),
            Param::Text(new.display_name.clone()),
            Param::Text(new.slug.as_str().to_owned()),
            Param::Text(new.bio.clone()),
            Param::Text(new.role.as_str().to_owned()),
            Param::opt_text(new.password_hash.as_ref().map(PasswordHash::as_str)),
            Param::Bool(new.active),
            Param::Time(now),
        ];
        let crate::sql::Id(row_id) = self.fetch_one(sql, &params).await?;
        self.record_change(ChangeKind::Person, Some(row_id));
        Ok(Person {
            id: PersonId(row_id),
            display_name: new.display_name.clone(),
            slug: new.slug.clone(),
            bio: new.bio.clone(),
            email: new.email.clone(),
            role: new.role,
            password_hash: new.password_hash.clone(),
            active: new.active,
            created_at: now,
        })
    }

    /// Replaces a person's password hash.
    #[tracing::instrument(skip(self, hash))]
    pub async fn set_password(
        &mut self,
        id: PersonId,
        hash: &PasswordHash,
    ) -> Result<(), StoreError> {
        let sql = "update people set password_hash = $1 where id = $2";
        let params = [Param::Text(hash.as_str().to_owned()), Param::Int(id.0)];
        if self.execute(sql, &params).await? == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound { what: "person" })
        }
    }
}

impl Store {
    /// The people with a byline on at least one published article: the authors readers may
    /// look up (with those who are still active).
    pub async fn people_with_published_work(
        &self,
    ) -> Result<std::collections::HashSet<PersonId>, StoreError> {
        let sql = "select distinct aa.person_id from article_authors aa \
                   join articles a on a.id = aa.article_id where a.status = 'published'";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter().map(|row| row.int("person_id").map(PersonId)).collect()
        })
    }
}

impl Store {
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn person(&self, id: PersonId) -> Result<Option<Person>, StoreError> {
        self.find_person(PersonKey::Id(id)).await
    }

    /// Looks a person up by email, ignoring case.
    #[tracing::instrument(skip_all, level = "debug")]
    pub async fn person_by_email(&self, email: &Email) -> Result<Option<Person>, StoreError> {
        self.find_person(PersonKey::Email(&email.normalized()))
            .await
    }

    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn person_by_slug(&self, slug: &Slug) -> Result<Option<Person>, StoreError> {
        self.find_person(PersonKey::Slug(slug.as_str())).await
    }

    async fn find_person(&self, key: PersonKey<'_>) -> Result<Option<Person>, StoreError> {
        let (column, value) = key.column_and_value();
        let sql = format!("select {PERSON_COLUMNS} from people where {column} = $1");
        self.fetch_optional(&sql, &[value]).await
    }

    /// Everyone, by display name.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        let sql = format!("select {PERSON_COLUMNS} from people order by display_name, id");
        self.fetch_all(&sql, &[]).await
    }
}

impl WriteTx {
    /// Saves what readers see of a person: name, bio, photo and links; false if there is no
    /// such person.
    pub async fn update_profile(
        &mut self,
        person: PersonId,
        display_name: &str,
        bio: &str,
        profile: &AuthorProfile,
    ) -> Result<bool, StoreError> {
        let links = serde_json::to_string(&profile.links)
            .map_err(|e| StoreError::corrupt("profile links", e))?;
        let params = [
            Param::Int(person.0),
            Param::Text(display_name.to_owned()),
            Param::Text(bio.to_owned()),
        ];
        let sql = "update people set display_name = $2, bio = $3 where id = $1";
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched == 0 {
            return Ok(false);
        }
        let sql = "insert into author_profiles (person_id, photo, links) values ($1, $2, $3) \
             on conflict (person_id) do update set photo = excluded.photo, links = excluded.links";
        let params = [
            Param::Int(person.0),
            Param::opt_text(profile.photo.as_deref()),
            Param::Text(links),
        ];
        on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        self.record_change(ChangeKind::Person, Some(person.0));
        Ok(true)
    }
}

impl Store {
    /// Every author profile that was filled in.
    pub async fn author_profiles(&self) -> Result<HashMap<PersonId, AuthorProfile>, StoreError> {
        let sql = "select person_id, photo, links from author_profiles";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter()
                .map(|row| {
                    let links = serde_json::from_str(&row.text("links")?)
                        .map_err(|e| StoreError::corrupt("profile links", e))?;
                    Ok((
                        PersonId(row.int("person_id")?),
                        AuthorProfile { photo: row.opt_text("photo")?, links },
                    ))
                })
                .collect()
        })
    }
}
