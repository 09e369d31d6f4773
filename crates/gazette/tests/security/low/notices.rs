//! Low finding: back-office notices are Gazette's own words, never a link's.

use gazette_testkit::{Backend, TestApp};

gazette_testkit::on_both_backends!(back_office_notices_are_gazettes_own_words);

/// The page a redirect leads to, read by the same browser.
async fn followed(app: &TestApp, http: &reqwest::Client, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    app.page_text(http, &location).await
}

/// A back-office notice comes from a key Gazette knows, never from the link's own words: a
/// link to a page with `?done=` (or `deleted=`, `saved=`, `imported=`) text shows nothing,
/// and the notices Gazette's own redirects ask for still show.
async fn back_office_notices_are_gazettes_own_words(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let lure = "Your%20session%20expired%2C%20sign%20in%20at%20evil.example";
    for page in [
        "/admin/articles?done=",
        "/admin/comments/?status=all&done=",
        "/admin/pages?done=",
        "/admin/tags?done=",
        "/admin/sections?done=",
        "/admin/media/?deleted=",
        "/admin/media/?done=",
        "/admin/menus?saved=",
        "/admin/redirects/?imported=",
    ] {
        let text = app.page_text(&http, &format!("{page}{lure}")).await;
        assert!(
            !text.contains("evil.example"),
            "{page} shows the link's text"
        );
        assert!(
            !text.contains("class=\"notice\""),
            "{page} shows a notice for an unknown key"
        );
    }

    // The notices Gazette asks for itself.
    let tag = app
        .submit_form(
            &http,
            "/admin/tags",
            "/admin/tags",
            &[("name", "Harbour"), ("slug", ""), ("description", "")],
        )
        .await;
    assert!(followed(&app, &http, tag).await.contains("Saved."));
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "To the bin"),
                ("body", "Text."),
                ("action", "save"),
            ],
        )
        .await;
    let csrf = gazette_testkit::csrf_of(&app.page_text(&http, "/admin/").await);
    let bulk = http
        .post(app.url("/admin/bulk"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("bulk_action", "trash"),
            ("article", &id.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        followed(&app, &http, bulk)
            .await
            .contains("1 changed, 0 not allowed")
    );
    let erased = app
        .submit_form(
            &http,
            "/admin/comments/",
            "/admin/comments/erase",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert!(
        followed(&app, &http, erased)
            .await
            .contains("data from 0 comment(s).")
    );
    app.shutdown().await;
}
