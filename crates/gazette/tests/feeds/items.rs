//! Feed items keep their identity, and minor edits are not announced.

use gazette_core::Clock as _;
use gazette_testkit::Backend;
use serde_json::Value;

use super::{BASE, app, newest_open_article, valid_feed};

gazette_testkit::on_both_backends!(items_keep_their_identity_and_minor_edits_are_not_announced);

async fn items_keep_their_identity_and_minor_edits_are_not_announced(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let article = newest_open_article(&app).await;
    let entry = |feed: &Value| {
        feed["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == article.headline.as_str())
            .cloned()
            .unwrap()
    };
    let before = entry(&valid_feed(&app, "/feed/atom/").await);

    // A typo fixed and a new slug: same id, same updated time.
    app.clock.advance(jiff::SignedDuration::from_hours(2));
    let mut edited = article.clone();
    edited.headline = format!("{} (corrected)", article.headline);
    edited.slug = gazette_core::Slug::parse("a-corrected-slug").unwrap();
    let saved = edited.clone();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&saved).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let after = valid_feed(&app, "/feed/atom/").await;
    let after = after["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == before["id"])
        .cloned()
        .expect("the same id after a new slug");
    assert_eq!(
        after["updated"], before["updated"],
        "a minor edit is not announced"
    );
    assert!(after["link"].as_str().unwrap().contains("a-corrected-slug"));

    // A significant update moves `updated`, never the id.
    let mut significant = edited;
    significant.significantly_updated_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&significant).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let later = valid_feed(&app, "/feed/atom/").await;
    let later = later["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == before["id"])
        .cloned()
        .unwrap();
    assert_ne!(later["updated"], before["updated"], "{later}");

    // An imported article keeps its WordPress guid.
    let mut imported = newest_open_article(&app).await;
    imported.legacy_guid = Some("http://old.example/?p=123".to_owned());
    let guid_holder = imported.clone();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&guid_holder).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let (_, rss) = app.get_text("/feed/").await;
    assert!(
        rss.contains(r#"<guid isPermaLink="false">http://old.example/?p=123</guid>"#),
        "{rss}"
    );
}
