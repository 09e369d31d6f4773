//! The store contract: every store method behaves the same on SQLite and PostgreSQL.
//!
//! One module per part of the store. Each contract `async fn` in them takes a fresh, migrated
//! store and a manual clock; the `store_contract!` macro runs it once per backend. PostgreSQL
//! runs need `GAZETTE_TEST_DATABASE_URL`: without it they are ignored
//! (`cfg(gazette_test_database_url)`, set by `build.rs`), and under `CI` they fail instead.

#![expect(
    clippy::unwrap_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

use std::sync::Arc;

use gazette_core::password::PasswordHash;
use gazette_core::{Email, ManualClock, Role, SafeHtml, SectionId, Slug};
use gazette_store::testing::TestDatabase;
use gazette_store::{ChangeId, NewArticle, NewPerson, NewSection, NewTag, Store, StoreError};
use jiff::Timestamp;

struct Harness {
    store: Store,
    clock: Arc<ManualClock>,
    _db: TestDatabase,
}

fn start_time() -> Timestamp {
    "2026-05-04T08:00:00Z".parse().unwrap()
}

async fn harness(db: TestDatabase) -> Harness {
    let clock = Arc::new(ManualClock::new(start_time()));
    let store = db.store(clock.clone()).await;
    Harness {
        store,
        clock,
        _db: db,
    }
}

macro_rules! store_contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::harness(gazette_store::testing::TestDatabase::sqlite()).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(
                    not(gazette_test_database_url),
                    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
                )]
                async fn $name() {
                    let Some(db) = gazette_store::testing::TestDatabase::postgres().await else { return };
                    super::$name(super::harness(db).await).await;
                }
            )*
        }
    };
}

#[path = "contract/articles.rs"]
mod articles;
#[path = "contract/changes.rs"]
mod changes;
#[path = "contract/comments.rs"]
mod comments;
#[path = "contract/connection.rs"]
mod connection;
#[path = "contract/issues.rs"]
mod issues;
#[path = "contract/jobs.rs"]
mod jobs;
#[path = "contract/listings.rs"]
mod listings;
#[path = "contract/media.rs"]
mod media;
#[path = "contract/newsletters.rs"]
mod newsletters;
#[path = "contract/people.rs"]
mod people;
#[path = "contract/presence.rs"]
mod presence;
#[path = "contract/public_comments.rs"]
mod public_comments;
#[path = "contract/published.rs"]
mod published;
#[path = "contract/redirects.rs"]
mod redirects;
#[path = "contract/schema.rs"]
mod schema;
#[path = "contract/settings.rs"]
mod settings;
#[path = "contract/sitemaps.rs"]
mod sitemaps;

// ---------------------------------------------------------------------------------------------
// Helpers

async fn add_person(
    store: &Store,
    name: &str,
    email: &str,
) -> Result<gazette_core::Person, StoreError> {
    let new = NewPerson {
        display_name: name.to_owned(),
        slug: Slug::from_headline(name),
        email: Email::parse(email).unwrap(),
        role: Role::Author,
        password_hash: Some(PasswordHash::from_stored("$argon2id$fake".to_owned())),
        bio: format!("{name} writes about things."),
        active: true,
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
        .await
}

async fn add_section(
    store: &Store,
    slug: &str,
    parent: Option<SectionId>,
) -> Result<gazette_core::Section, StoreError> {
    let new = NewSection {
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_uppercase(),
        description: String::new(),
        parent,
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_section(&new).await }))
        .await
}

async fn add_tag(store: &Store, slug: &str) -> gazette_core::Tag {
    let new = NewTag {
        slug: Slug::parse(slug).unwrap(),
        name: slug.to_owned(),
        description: "d".to_owned(),
    };
    store
        .write(|tx| Box::pin(async move { tx.insert_tag(&new).await }))
        .await
        .unwrap()
}

fn article(headline: &str) -> NewArticle {
    NewArticle::draft(
        headline,
        "Body *text*.",
        SafeHtml::assume_sanitized("<p>Body <em>text</em>.</p>".into()),
        1,
    )
}

async fn add_article(store: &Store, new: NewArticle) -> Result<gazette_core::Article, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
}

async fn all_changes(store: &Store) -> Vec<gazette_store::Change> {
    store.changes_after(ChangeId(0), 10_000).await.unwrap()
}
