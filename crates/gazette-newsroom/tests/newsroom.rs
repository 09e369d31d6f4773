//! The newsroom's rules without a server: on a real SQLite file, and on PostgreSQL when
//! `GAZETTE_TEST_DATABASE_URL` names one.

#![expect(
    clippy::unwrap_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

use std::sync::Arc;

use gazette_core::comment::FormAge;
use gazette_core::{
    ClientAddress, CommentPolicy, CommentStatus, Email, ManualClock, Person, Publication, Role,
    SafeHtml, SectionId, Slug, Status,
};
use gazette_newsroom::comments::intake::{self, Intake, IntakeError, Sender, Source};
use gazette_newsroom::comments::mail::Journal;
use gazette_newsroom::comments::moderation;
use gazette_newsroom::terms::{self, Kind, SectionDeletion, TermDraft};
use gazette_store::testing::TestDatabase;
use gazette_store::{Inserted, NewArticle, Store};

/// Runs each test on a fresh SQLite file and, as `postgres::…`, on a fresh PostgreSQL
/// database (ignored when `GAZETTE_TEST_DATABASE_URL` is unset, failing under `CI`).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::TestDatabase::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(
                    not(gazette_test_database_url),
                    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
                )]
                async fn $name() {
                    let Some(database) = super::TestDatabase::postgres().await else {
                        return;
                    };
                    super::$name(database).await;
                }
            )*
        }
    };
}

#[path = "newsroom/articles.rs"]
mod articles;
#[path = "newsroom/running.rs"]
mod running;

on_both_backends!(
    a_renamed_section_keeps_its_old_archive_answering,
    only_an_empty_section_is_deleted,
    an_app_comment_is_held_and_sending_it_again_finds_the_same_comment,
    one_email_may_send_five_comments_in_ten_minutes,
);

async fn open(database: &TestDatabase) -> Store {
    open_with_clock(database).await.0
}

async fn open_with_clock(database: &TestDatabase) -> (Store, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new("2026-05-01T09:00:00Z".parse().unwrap()));
    let store = database.store(clock.clone()).await;
    store.migrate().await.unwrap();
    (store, clock)
}

fn draft(name: &str, parent: Option<SectionId>) -> TermDraft {
    TermDraft {
        name: name.to_owned(),
        slug: Slug::parse(&name.to_lowercase()).unwrap(),
        description: String::new(),
        parent,
    }
}

async fn a_renamed_section_keeps_its_old_archive_answering(database: TestDatabase) {
    let store = open(&database).await;
    let world = terms::create(&store, Kind::Section, draft("World", None), None)
        .await
        .unwrap()
        .done()
        .unwrap();
    terms::save(&store, Kind::Section, world, draft("International", None))
        .await
        .unwrap();
    let rules: Vec<(String, String)> = store
        .redirects()
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.rule.source, r.rule.target))
        .collect();
    assert_eq!(
        rules,
        vec![(
            "/category/world/".to_owned(),
            "/category/international/".to_owned()
        )]
    );
    // Creating a section where an old archive was takes the address back.
    terms::create(&store, Kind::Section, draft("World", None), None)
        .await
        .unwrap()
        .done()
        .unwrap();
    assert!(store.redirects().await.unwrap().is_empty());
}

async fn only_an_empty_section_is_deleted(database: TestDatabase) {
    let store = open(&database).await;
    let world = SectionId(
        terms::create(&store, Kind::Section, draft("World", None), None)
            .await
            .unwrap()
            .done()
            .unwrap(),
    );
    let europe = SectionId(
        terms::create(&store, Kind::Section, draft("Europe", Some(world)), None)
            .await
            .unwrap()
            .done()
            .unwrap(),
    );
    let holding = terms::delete_section(&store, world).await.unwrap();
    assert_eq!(holding, SectionDeletion::InUse);
    assert_eq!(
        terms::delete_section(&store, europe).await.unwrap(),
        SectionDeletion::Deleted
    );
    assert_eq!(
        terms::delete_section(&store, europe).await.unwrap(),
        SectionDeletion::Missing
    );
    assert_eq!(
        terms::delete_section(&store, world).await.unwrap(),
        SectionDeletion::Deleted
    );
}

fn person(role: Role) -> Person {
    Person {
        id: gazette_core::PersonId(7),
        display_name: "Sam".to_owned(),
        slug: Slug::parse("sam").unwrap(),
        email: Email::parse("sam@example.org").unwrap(),
        role,
        bio: String::new(),
        password_hash: None,
        active: true,
        created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
    }
}

#[test]
fn moderators_are_editors_and_authors_on_their_own_articles() {
    assert_eq!(moderation::scope(&person(Role::Editor)), Ok(None));
    assert_eq!(moderation::scope(&person(Role::Administrator)), Ok(None));
    assert_eq!(
        moderation::scope(&person(Role::Author)),
        Ok(Some(gazette_core::PersonId(7)))
    );
    assert!(moderation::scope(&person(Role::Contributor)).is_err());
}

async fn published_article(store: &Store) -> gazette_core::Article {
    let mut new = NewArticle::draft(
        "Night buses return",
        "Body.",
        SafeHtml::assume_sanitized("<p>Body.</p>".into()),
        1,
    );
    new.status = Status::Published;
    new.published_at = Some(store.clock().now());
    store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap()
}

fn intake_settings() -> Intake {
    Intake {
        policy: CommentPolicy::default(),
        mail_enabled: false,
        journal: Arc::new(Journal {
            publication: Publication::sample(),
            server_secret: "secret".to_owned(),
            article_path: Arc::new(|article| format!("/{}/", article.slug)),
        }),
    }
}

fn reader_comment(article: &gazette_core::Article, email: &str, text: &str) -> intake::Submission {
    intake::Submission {
        article: article.clone(),
        parent: None,
        author: "Ada Reader".to_owned(),
        email: Email::parse(email).unwrap(),
        url: String::new(),
        text: text.to_owned(),
        wants_replies: false,
        honeypot_filled: false,
    }
}

fn sender(address: &str) -> Sender {
    Sender {
        address: ClientAddress::new(address.parse().unwrap()),
        user_agent: "test".to_owned(),
    }
}

fn from_form(nonce: &str) -> Source {
    Source::Form {
        form_age: FormAge::Seconds(60),
        nonce: Some(nonce.to_owned()),
        commenter_key: None,
    }
}

async fn an_app_comment_is_held_and_sending_it_again_finds_the_same_comment(
    database: TestDatabase,
) {
    let store = open(&database).await;
    let article = published_article(&store).await;
    let comment = reader_comment(&article, "ada@example.org", "A fair point about buses.");
    let (first, status) = intake::take(
        &store,
        &intake_settings(),
        &comment,
        &sender("192.0.2.1"),
        &Source::Api { once: None },
    )
    .await
    .unwrap();
    assert_eq!(status, CommentStatus::Pending);
    assert!(matches!(first, Inserted::New(_)));
    let (again, _) = intake::take(
        &store,
        &intake_settings(),
        &comment,
        &sender("192.0.2.1"),
        &Source::Api { once: None },
    )
    .await
    .unwrap();
    assert_eq!(again, Inserted::Again(first.id()));
    let stored = store.comments_by_email("ada@example.org").await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, CommentStatus::Pending);
}

async fn one_email_may_send_five_comments_in_ten_minutes(database: TestDatabase) {
    let (store, clock) = open_with_clock(&database).await;
    let article = published_article(&store).await;
    for n in 0..5 {
        let comment = reader_comment(&article, "ada@example.org", &format!("Point {n}."));
        let address = format!("192.0.2.{}", n + 1);
        intake::take(
            &store,
            &intake_settings(),
            &comment,
            &sender(&address),
            &from_form(&format!("nonce-{n}")),
        )
        .await
        .unwrap();
    }
    let sixth = reader_comment(&article, "ada@example.org", "Point 6.");
    for attempt in 0..2 {
        let refused = intake::take(
            &store,
            &intake_settings(),
            &sixth,
            &sender("198.51.100.9"),
            &from_form(&format!("nonce-late-{attempt}")),
        )
        .await;
        assert!(
            matches!(refused, Err(IntakeError::RateLimited)),
            "{refused:?}"
        );
    }
    // Ten minutes on, Ada may write again.
    clock.advance(jiff::SignedDuration::from_mins(11));
    intake::take(
        &store,
        &intake_settings(),
        &sixth,
        &sender("198.51.100.9"),
        &from_form("nonce-later"),
    )
    .await
    .unwrap();
    // Another reader from the same address is not held back by Ada's limit.
    let other = reader_comment(&article, "bea@example.org", "Another view.");
    intake::take(
        &store,
        &intake_settings(),
        &other,
        &sender("192.0.2.1"),
        &from_form("nonce-bea"),
    )
    .await
    .unwrap();
}
