//! The lead story and slots editors choose for the home page, and the fallback to the latest
//! articles.

use gazette_core::{ArticleId, Status};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, client, csrf_of};

use super::between;

gazette_testkit::on_both_backends!(editors_choose_the_lead_story_and_slots);

async fn editors_choose_the_lead_story_and_slots(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let articles = app
        .store
        .published_articles(&ArticleFilter::All, 0, 100)
        .await
        .unwrap()
        .articles;
    let (newest, older, oldest) = (&articles[0], &articles[4], articles.last().unwrap());
    let lead_heading = |html: &str| {
        between(
            between(html, "<section class=\"lead\"", "</section>"),
            "<h3",
            "</h3>",
        )
        .to_owned()
    };
    let home = app.page_text(&client(), "/").await;
    assert!(lead_heading(&home).contains(&newest.headline) || articles.iter().any(|a| a.sticky));

    let form = app.page_text(&http, "/admin/home").await;
    let choose = |lead: ArticleId, slot: ArticleId| {
        vec![
            ("csrf", csrf_of(&form)),
            ("lead", lead.0.to_string()),
            ("slot_0", slot.0.to_string()),
            ("slot_1", "0".to_owned()),
            ("slot_2", lead.0.to_string()),
            ("slot_3", "0".to_owned()),
        ]
    };
    let saved = http
        .post(app.url("/admin/home"))
        .form(&choose(oldest.id, older.id))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    let home = app.page_text(&client(), "/").await;
    assert!(
        lead_heading(&home).contains(&oldest.headline),
        "the chosen lead"
    );
    let latest = between(&home, "<section class=\"latest\"", "</section>");
    let first_card = between(latest, "<h3", "</h3>");
    assert!(
        first_card.contains(&older.headline),
        "the first slot opens the list"
    );
    assert_eq!(
        latest.matches(&oldest.headline).count(),
        0,
        "the lead is not repeated"
    );

    // The lead is unpublished: the home page falls back to the newest (or sticky) article.
    let id = oldest.id;
    app.store
        .write(|tx| {
            Box::pin(async move {
                let mut article = tx.article(id).await?.unwrap();
                article.status = Status::Draft;
                tx.update_article(&article).await
            })
        })
        .await
        .unwrap();
    app.caught_up().await;
    let home = app.page_text(&client(), "/").await;
    assert!(!home.contains(&oldest.headline));
    assert!(!lead_heading(&home).is_empty(), "a lead is still shown");

    // An unpublished article cannot be chosen.
    let form = app.page_text(&http, "/admin/home").await;
    let refused = http
        .post(app.url("/admin/home"))
        .form(&[("csrf", csrf_of(&form)), ("lead", oldest.id.0.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("not published"));
}
