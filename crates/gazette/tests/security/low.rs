//! The review's low findings, one test each.

use gazette_core::{ArticleId, BodyFormat, Role};
use gazette_testkit::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use crate::support::{ApiClient, form_fields, with};

gazette_testkit::on_both_backends!(
    only_those_who_edit_others_work_choose_the_lead_story,
    a_markdown_article_survives_a_rest_round_trip,
);

const PASSWORD: &str = "a long enough password";

async fn signed_in(
    app: &TestApp,
    name: &str,
    role: Role,
) -> (reqwest::Client, gazette_core::Person) {
    let person = app.add_staff(name, role, PASSWORD).await;
    let http = gazette_testkit::client();
    let response = app.sign_in(&http, person.email.as_str(), PASSWORD).await;
    assert_eq!(response.status(), 303, "{name} signs in");
    (http, person)
}

/// Only roles that may edit others' articles make one sticky (the home page's lead), as in
/// WordPress: an author's form has no box, a forged field changes nothing, and the API
/// answers `rest_cannot_assign_sticky`.
async fn only_those_who_edit_others_work_choose_the_lead_story(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (author, author_person) = signed_in(&app, "Aurora", Role::Author).await;
    let page = app.page_text(&author, "/admin/articles/new").await;
    assert!(
        !page.contains("name=\"sticky\""),
        "no lead-story box for an author"
    );
    let id = app
        .write_article(
            &author,
            &[
                ("headline", "My scoop"),
                ("body", "Text."),
                ("sticky", "1"),
                ("action", "publish"),
            ],
        )
        .await;
    assert!(!app.store.article(id).await.unwrap().unwrap().sticky);

    let api = ApiClient::of(&app, &author_person).await;
    let (status, body) = api
        .send(
            Method::POST,
            &format!("/wp-json/wp/v2/posts/{id}"),
            Some(json!({ "sticky": true })),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(body["code"], "rest_cannot_assign_sticky");
    assert!(!app.store.article(id).await.unwrap().unwrap().sticky);

    let (editor, _) = signed_in(&app, "Edna", Role::Editor).await;
    let path = format!("/admin/articles/{id}");
    let page = app.page_text(&editor, &path).await;
    let fields = with(form_fields(&page, "class=\"editor\""), "sticky", "1");
    let fields = with(fields, "action", "publish");
    let response = editor
        .post(app.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        app.store.article(id).await.unwrap().unwrap().sticky,
        "an editor may"
    );

    // The author saving their article again leaves the editor's choice alone.
    let page = app.page_text(&author, &path).await;
    let fields = with(form_fields(&page, "class=\"editor\""), "action", "publish");
    author
        .post(app.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert!(app.store.article(id).await.unwrap().unwrap().sticky);
    app.shutdown().await;
}

/// A Markdown article's `content.raw` is its Markdown, and sending it back keeps Markdown.
async fn a_markdown_article_survives_a_rest_round_trip(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (editor, person) = signed_in(&app, "Edna", Role::Editor).await;
    let source =
        "A *bold* claim.\n\n> Quoted, with [a link](https://example.org/).\n\n- one\n- two";
    let id = app
        .write_article(
            &editor,
            &[
                ("headline", "Round trip"),
                ("body", source),
                ("action", "publish"),
            ],
        )
        .await;
    let before = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(before.body_format, BodyFormat::Markdown);

    let api = ApiClient::of(&app, &person).await;
    let (status, post) = api
        .send(
            Method::GET,
            &format!("/wp-json/wp/v2/posts/{id}?context=edit"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        post["content"]["raw"], source,
        "content.raw is the Markdown"
    );
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/wp-json/wp/v2/posts/{id}"),
            Some(json!({ "content": post["content"]["raw"] })),
        )
        .await;
    assert_eq!(status, 200);
    let after = app.store.article(ArticleId(id.0)).await.unwrap().unwrap();
    assert_eq!(after.body_format, BodyFormat::Markdown, "still Markdown");
    assert_eq!(after.body_source, source);
    assert_eq!(after.body_html, before.body_html, "rendered the same");
    app.shutdown().await;
}
