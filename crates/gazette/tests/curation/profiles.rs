//! Authors' profiles, filled in by them and seen by readers.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp, client};

gazette_testkit::on_both_backends!(authors_fill_in_profiles_readers_see);

async fn authors_fill_in_profiles_readers_see(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let ann = app
        .add_staff("Annlee", Role::Author, "a long password")
        .await;
    let http = client();
    app.sign_in(&http, ann.email.as_str(), "a long password")
        .await;
    let refused = app
        .submit_form(
            &http,
            "/admin/profile",
            "/admin/profile",
            &[
                ("name", "Ann Lee"),
                ("photo", "javascript:x"),
                ("links", "Site https://ann.example/"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"photo-problem\"") && html.contains("Line 1: write Label"));
    let saved = app
        .submit_form(
            &http,
            "/admin/profile",
            "/admin/profile",
            &[
                ("name", "Ann B. Lee"),
                ("bio", "Covers the harbour."),
                ("photo", "/media/2026/01/ann.jpg"),
                (
                    "links",
                    "Website = https://ann.example/\nMastodon = https://social.example/@ann",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    // Readers find an author's archive once they have published work.
    app.write_article(
        &http,
        &[
            ("headline", "Harbour news"),
            ("body", "Boats."),
            ("action", "publish"),
        ],
    )
    .await;
    app.caught_up().await;
    let archive = app
        .page_text(&client(), &format!("/author/{}/", ann.slug))
        .await;
    assert!(archive.contains("Ann B. Lee"));
    assert!(archive.contains("Covers the harbour."));
    assert!(archive.contains("<img class=\"author-photo\" src=\"/media/2026/01/ann.jpg\""));
    assert!(archive.contains("<a href=\"https://social.example/@ann\" rel=\"me\">Mastodon</a>"));
    // Only administrators edit someone else's.
    assert_eq!(
        http.get(app.url("/admin/people/1/profile"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let admin = app.admin_client().await;
    let path = format!("/admin/people/{}/profile", ann.id.0);
    assert_eq!(
        admin.get(app.url(&path)).send().await.unwrap().status(),
        200
    );
}
