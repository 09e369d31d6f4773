//! Related articles at the end of an article.

use gazette_testkit::{Backend, TestApp};

use super::publish;

gazette_testkit::on_both_backends!(articles_end_with_related_articles);

async fn articles_end_with_related_articles(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let mut ids = Vec::new();
    for (headline, tags) in [
        ("Wildfire season starts early", "Wildfires"),
        ("Firefighters ask for more planes", "Wildfires"),
        ("Insurers count wildfire losses", "Wildfires"),
        ("A recipe for plum cake", "Baking"),
    ] {
        ids.push(
            publish(
                &app,
                &http,
                &[
                    ("headline", headline),
                    ("body", "Dry forests burned across the hills this summer."),
                    ("tags", tags),
                ],
            )
            .await,
        );
    }
    app.caught_up().await;
    let path = app.published_path(ids[0]).await;
    let (_, html) = app.get_text(&path).await;
    let start = html
        .find(r#"<aside class="related""#)
        .expect("a related list");
    let related = &html[start..start + html[start..].find("</aside>").unwrap()];
    let items = related.matches("<li>").count();
    assert!((1..=5).contains(&items), "{related}");
    assert!(
        !related.contains("Wildfire season starts early"),
        "never itself"
    );
    let first = related
        .find("Firefighters")
        .or_else(|| related.find("Insurers"));
    let cake = related.find("plum cake");
    assert!(first.is_some(), "shared tags come first: {related}");
    if let (Some(first), Some(cake)) = (first, cake) {
        assert!(first < cake, "{related}");
    }
}
