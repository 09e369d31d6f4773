//! Forms sent twice: the new-article, new-page, section and tag forms and the library's upload
//! form carry an idempotency key their page made, so a form sent again (the browser's
//! "resend", a retry after an "outcome unknown" page) makes its record once.

use gazette_core::Status;
use gazette_testkit::{Backend, TestApp, csrf_of};
use reqwest::multipart::{Form, Part};

use super::{admin, field, saved_id, submit_from};

gazette_testkit::on_both_backends!(
    a_new_article_form_sent_twice_makes_one_article,
    an_upload_form_sent_twice_keeps_one_image,
    page_and_section_forms_sent_twice_make_one_each,
);

async fn a_new_article_form_sent_twice_makes_one_article(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let page = app.page_text(&client, "/admin/articles/new").await;
    let key = field(&page, "idempotency_key");
    assert_eq!(key.len(), 32, "the form carries a fresh key: {key:?}");
    let another = app.page_text(&client, "/admin/articles/new").await;
    assert_ne!(field(&another, "idempotency_key"), key, "each form its own");

    let changes = [
        ("headline", "Ferry strike ends"),
        ("idempotency_key", key.as_str()),
    ];
    let first = saved_id(&submit_from(&app, &client, "/admin/articles/new", &page, &changes).await);
    let again = saved_id(&submit_from(&app, &client, "/admin/articles/new", &page, &changes).await);
    assert_eq!(
        first, again,
        "the second sending opens the first one's article"
    );
    let drafts = app
        .store
        .articles_with_status(Status::Draft, 1000)
        .await
        .unwrap();
    let made = drafts
        .iter()
        .filter(|a| a.headline == "Ferry strike ends")
        .count();
    assert_eq!(made, 1);

    // The same key with other fields is refused with a page that says why.
    let changed = [
        ("headline", "Ferry strike goes on"),
        ("idempotency_key", key.as_str()),
    ];
    let refused = submit_from(&app, &client, "/admin/articles/new", &page, &changed).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("already used for a different request")
    );

    // An editor page for an existing article has no key: saving it is not a create.
    let editor = app
        .page_text(&client, &format!("/admin/articles/{}", first.0))
        .await;
    assert!(!editor.contains("name=\"idempotency_key\""));
}

async fn an_upload_form_sent_twice_keeps_one_image(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let page = app.page_text(&client, "/admin/media/").await;
    let key = field(&page, "idempotency_key");
    assert!(!key.is_empty(), "the upload form carries a key");
    let send = || {
        let form = Form::new()
            .text("csrf", csrf_of(&page))
            .text("idempotency_key", key.clone())
            .part(
                "file",
                Part::bytes(gazette_media::fixtures::plain_png(320, 200)).file_name("pier.png"),
            )
            .text("alt", "The pier at low tide");
        client.post(app.url("/admin/media/")).multipart(form).send()
    };
    let first = send().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(first.status(), 303);
    assert_eq!(
        first.headers()["location"],
        again.headers()["location"],
        "both sendings lead to the same image"
    );
    let id: i64 = first.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/admin/media/")
        .trim_end_matches("?uploaded")
        .parse()
        .unwrap();
    let next = gazette_core::MediaId(id + 1);
    assert!(app.store.media(next).await.unwrap().is_none(), "one image");
}

async fn page_and_section_forms_sent_twice_make_one_each(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    for (form_path, action, fields) in [
        (
            "/admin/pages/new",
            "/admin/pages/new",
            vec![("title", "Corrections policy"), ("body", "We correct.")],
        ),
        (
            "/admin/sections",
            "/admin/sections",
            vec![("name", "Harbour")],
        ),
        ("/admin/tags", "/admin/tags", vec![("name", "Ferries")]),
    ] {
        let page = app.page_text(&client, form_path).await;
        let key = field(&page, "idempotency_key");
        assert!(!key.is_empty(), "{form_path} carries a key");
        let mut sent = vec![("csrf", csrf_of(&page)), ("idempotency_key", key)];
        sent.extend(
            fields
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned())),
        );
        for _ in 0..2 {
            let response = client
                .post(app.url(action))
                .form(&sent)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303, "{action}");
        }
    }
    let pages = app.store.pages().await.unwrap();
    let made = pages.iter().filter(|p| p.title == "Corrections policy");
    assert_eq!(made.count(), 1);
    let sections = app.store.sections().await.unwrap();
    assert_eq!(sections.iter().filter(|s| s.name == "Harbour").count(), 1);
    let tags = app.store.tags().await.unwrap();
    assert_eq!(tags.iter().filter(|t| t.name == "Ferries").count(), 1);
}
