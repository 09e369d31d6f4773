//! Articles through the newsroom: the rules every surface's saves share.

use gazette_core::{Article, ArticleId, BodyFormat, Email, Person, Role, Slug, Status};
use gazette_newsroom::articles::{self, Save, SaveError};
use gazette_store::testing::TestDatabase;
use gazette_store::{NewPerson, Store};

use super::open;

on_both_backends!(
    a_published_save_keeps_a_revision_and_the_old_address,
    a_save_from_an_older_version_is_stale_and_writes_nothing,
    a_contributor_may_write_but_not_publish,
    bulk_moves_count_what_the_person_may_not_change,
    the_edits_own_refusal_comes_back_untouched,
);

/// Each article's address in these tests: its slug.
fn address(article: &Article) -> String {
    format!("/{}/", article.slug)
}

async fn person(store: &Store, name: &str, role: Role) -> Person {
    let new = NewPerson {
        display_name: name.to_owned(),
        slug: Slug::from_headline(name),
        email: Email::parse(&format!("{}@example.org", name.to_lowercase())).unwrap(),
        role,
        password_hash: None,
        bio: String::new(),
        active: true,
    };
    gazette_newsroom::accounts::add(store, new).await.unwrap()
}

async fn write(store: &Store, by: &Person, headline: &str, status: Status) -> Article {
    let mut article = articles::blank(by, BodyFormat::Markdown);
    article.headline = headline.to_owned();
    article.slug = Slug::from_headline(headline);
    article.status = status;
    article.published_at = (status == Status::Published).then(|| store.clock().now());
    articles::create::<()>(store, by, article, Some(vec!["Transport".to_owned()]), None)
        .await
        .unwrap()
        .done()
        .unwrap()
}

fn retitle(slug: &'static str) -> impl Fn(&Article) -> Result<Article, ()> {
    move |current| {
        let mut edited = current.clone();
        edited.headline = format!("{} (updated)", current.headline);
        edited.slug = Slug::parse(slug).unwrap();
        Ok(edited)
    }
}

async fn a_published_save_keeps_a_revision_and_the_old_address(database: TestDatabase) {
    let store = open(&database).await;
    let editor = person(&store, "Eda", Role::Editor).await;
    let article = write(&store, &editor, "Night buses return", Status::Published).await;
    assert_eq!(article.tags.len(), 1, "a tag named in the save is made");
    let save = Save {
        id: article.id,
        by: &editor,
        started_from: Some(article.updated_at),
        tag_names: None,
        edit: retitle("night-buses-are-back"),
    };
    let saved = articles::save(&store, &address, save).await.unwrap();
    assert_eq!(saved.headline, "Night buses return (updated)");
    assert_eq!(saved.tags, article.tags, "tags not named are kept");
    let revisions = store.revisions(article.id).await.unwrap();
    assert_eq!(revisions.len(), 2, "the first publication and this save");
    let retired = store.retired_paths_of(&[article.id]).await.unwrap();
    assert_eq!(
        retired,
        vec![(article.id, "/night-buses-return/".to_owned())]
    );
}

async fn a_save_from_an_older_version_is_stale_and_writes_nothing(database: TestDatabase) {
    let (store, clock) = super::open_with_clock(&database).await;
    let author = person(&store, "Ann", Role::Author).await;
    let article = write(&store, &author, "Harbour vote", Status::Draft).await;
    // A version is the time of a save: a save in the same microsecond would look unchanged.
    clock.advance(jiff::SignedDuration::from_secs(5));
    let first = Save {
        id: article.id,
        by: &author,
        started_from: Some(article.updated_at),
        tag_names: None,
        edit: retitle("harbour-vote-today"),
    };
    articles::save(&store, &address, first).await.unwrap();
    let second = Save {
        id: article.id,
        by: &author,
        started_from: Some(article.updated_at),
        tag_names: None,
        edit: retitle("harbour-vote-tomorrow"),
    };
    match articles::save(&store, &address, second).await {
        Err(SaveError::Stale(theirs)) => assert_eq!(theirs.slug.as_str(), "harbour-vote-today"),
        other => panic!("a stale save must be refused, got {other:?}"),
    }
    let stored = store.article(article.id).await.unwrap().unwrap();
    assert_eq!(stored.slug.as_str(), "harbour-vote-today");
}

async fn a_contributor_may_write_but_not_publish(database: TestDatabase) {
    let store = open(&database).await;
    let contributor = person(&store, "Cleo", Role::Contributor).await;
    let mut ready = articles::blank(&contributor, BodyFormat::Markdown);
    ready.headline = "Straight to the front page".to_owned();
    ready.slug = Slug::from_headline(&ready.headline);
    ready.status = Status::Published;
    assert!(matches!(
        articles::create::<()>(&store, &contributor, ready, None, None).await,
        Err(SaveError::StatusNotAllowed)
    ));
    let draft = write(&store, &contributor, "Market day", Status::Draft).await;
    let publish = Save {
        id: draft.id,
        by: &contributor,
        started_from: None,
        tag_names: None,
        edit: |current: &Article| {
            let mut edited = current.clone();
            edited.status = Status::Published;
            Ok::<_, ()>(edited)
        },
    };
    assert!(matches!(
        articles::save(&store, &address, publish).await,
        Err(SaveError::StatusNotAllowed)
    ));
    let stored = store.article(draft.id).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Draft, "nothing was written");
    assert!(store.revisions(draft.id).await.unwrap().is_empty());
}

async fn bulk_moves_count_what_the_person_may_not_change(database: TestDatabase) {
    let store = open(&database).await;
    let ann = person(&store, "Ann", Role::Author).await;
    let bob = person(&store, "Bob", Role::Author).await;
    let own = write(&store, &ann, "Ann's draft", Status::Draft).await;
    let others = write(&store, &bob, "Bob's draft", Status::Draft).await;
    let ids = [own.id, others.id, ArticleId(9_999), own.id];
    let outcome = articles::move_each(&store, &ann, &ids, Status::Trashed)
        .await
        .unwrap();
    assert_eq!((outcome.changed, outcome.refused), (1, 2));
    let status = |id| {
        let store = store.clone();
        async move { store.article(id).await.unwrap().unwrap().status }
    };
    assert_eq!(status(own.id).await, Status::Trashed);
    assert_eq!(status(others.id).await, Status::Draft);
    // Restoring brings back only what is in the trash.
    let outcome = articles::move_each(&store, &ann, &[own.id], Status::Draft)
        .await
        .unwrap();
    assert_eq!((outcome.changed, outcome.refused), (1, 0));
    let again = articles::move_each(&store, &ann, &[own.id], Status::Draft)
        .await
        .unwrap();
    assert_eq!((again.changed, again.refused), (0, 0));
}

async fn the_edits_own_refusal_comes_back_untouched(database: TestDatabase) {
    let store = open(&database).await;
    let editor = person(&store, "Eda", Role::Editor).await;
    let article = write(&store, &editor, "Tide tables", Status::Draft).await;
    let save = Save {
        id: article.id,
        by: &editor,
        started_from: None,
        tag_names: None,
        edit: |_: &Article| Err::<Article, _>("the headline is empty"),
    };
    assert!(matches!(
        articles::save(&store, &address, save).await,
        Err(SaveError::Refused("the headline is empty"))
    ));
}
