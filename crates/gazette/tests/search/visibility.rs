//! Only what readers may see is ever found.

use gazette_core::{Clock as _, Status};
use gazette_testkit::{Backend, TestApp};

use super::{headlines, publish, search};

gazette_testkit::on_both_backends!(only_what_readers_may_see_is_found);

async fn only_what_readers_may_see_is_found(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let draft = app
        .write_article(
            &http,
            &[
                ("headline", "Narwhal draft"),
                ("body", "Narwhal text."),
                ("action", "save"),
            ],
        )
        .await;
    publish(
        &app,
        &http,
        &[
            ("headline", "Narwhal behind a password"),
            ("body", "Narwhal secrets."),
            ("password", "letmein"),
        ],
    )
    .await;
    let future = (app.clock.now() + jiff::SignedDuration::from_hours(48))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    app.write_article(
        &http,
        &[
            ("headline", "Narwhal embargo"),
            ("body", "Narwhal later."),
            ("publish_at", &future),
            ("action", "schedule"),
        ],
    )
    .await;
    let public = publish(
        &app,
        &http,
        &[
            ("headline", "Narwhal sighting"),
            ("body", "A narwhal was seen."),
        ],
    )
    .await;
    app.caught_up().await;
    assert_eq!(
        headlines(&search(&app, "narwhal").await),
        ["Narwhal sighting"]
    );

    // Made private in the store (as an import does): gone from search.
    let mut article = app.store.article(public).await.unwrap().unwrap();
    article.status = Status::Private;
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap();
    app.caught_up().await;
    assert!(headlines(&search(&app, "narwhal").await).is_empty());

    // The draft, once published, is found.
    let mut article = app.store.article(draft).await.unwrap().unwrap();
    article.status = Status::Published;
    article.published_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&article).await }))
        .await
        .unwrap();
    app.caught_up().await;
    assert_eq!(headlines(&search(&app, "narwhal").await), ["Narwhal draft"]);

    // The scheduled one appears when its time comes.
    app.clock.advance(jiff::SignedDuration::from_hours(49));
    app.node().jobs.wake();
    for _ in 0..100 {
        app.caught_up().await;
        if headlines(&search(&app, "narwhal").await).len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut found = headlines(&search(&app, "narwhal").await);
    found.sort();
    assert_eq!(found, ["Narwhal draft", "Narwhal embargo"]);
}
