//! Low findings on articles: who chooses the lead story, Markdown through the REST API, and
//! others' private and trashed articles kept off the desk.

use gazette_core::{ArticleId, BodyFormat, Role, Status};
use gazette_testkit::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use super::super::support::{ApiClient, form_fields, with};
use super::signed_in;

gazette_testkit::on_both_backends!(
    only_those_who_edit_others_work_choose_the_lead_story,
    a_markdown_article_survives_a_rest_round_trip,
    others_private_and_trashed_articles_stay_off_the_desk,
);

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

/// Moves an article to `status` directly in the store (the editor has no "private" action).
async fn set_status(app: &TestApp, id: ArticleId, status: Status) {
    app.store
        .write(|tx| {
            Box::pin(async move {
                let mut article = tx.article(id).await?.unwrap();
                article.status = status;
                tx.update_article(&article).await
            })
        })
        .await
        .unwrap();
}

/// The desk lists others' articles only where WordPress's post list shows them to the role:
/// published, scheduled, pending and drafts for everyone, but others' private and trashed
/// ones only to those who edit others' work. Filters, search and bulk actions tell nothing
/// more: a bulk action answers the same for someone else's private or trashed article as
/// for an id that does not exist.
async fn others_private_and_trashed_articles_stay_off_the_desk(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (editor, edna) = signed_in(&app, "Edna", Role::Editor).await;
    let write = |headline: &'static str, action: &'static str| {
        let app = &app;
        let editor = &editor;
        async move {
            let fields = [
                ("headline", headline),
                ("body", "Text."),
                ("action", action),
            ];
            app.write_article(editor, &fields).await
        }
    };
    write("Open council news", "publish").await;
    write("Draft budget story", "save").await;
    let private = write("Secret merger plan", "publish").await;
    set_status(&app, private, Status::Private).await;
    let trashed = write("Binned scandal", "publish").await;
    set_status(&app, trashed, Status::Trashed).await;

    let (contributor, _) = signed_in(&app, "Cara", Role::Contributor).await;
    let own_trashed = app
        .write_article(
            &contributor,
            &[
                ("headline", "Cara withdrawn piece"),
                ("body", "Mine."),
                ("action", "save"),
            ],
        )
        .await;
    set_status(&app, own_trashed, Status::Trashed).await;
    let (author, _) = signed_in(&app, "Aurora", Role::Author).await;
    let own_private = app
        .write_article(
            &author,
            &[
                ("headline", "Aurora private note"),
                ("body", "Mine."),
                ("action", "publish"),
            ],
        )
        .await;
    set_status(&app, own_private, Status::Private).await;

    let desks = [
        "/admin/".to_owned(),
        "/admin/articles?status=private".to_owned(),
        "/admin/articles?status=trashed".to_owned(),
        "/admin/articles?q=secret".to_owned(),
        "/admin/articles?q=binned&status=trashed".to_owned(),
        format!("/admin/articles?author={}", edna.id.0),
        format!("/admin/articles?author={}&status=private", edna.id.0),
        format!("/admin/articles?author={}&status=trashed", edna.id.0),
    ];
    for (http, who) in [(&contributor, "a contributor"), (&author, "an author")] {
        let mut seen = String::new();
        for desk in &desks {
            let page = app.page_text(http, desk).await;
            for (hidden, id) in [("Secret merger plan", private), ("Binned scandal", trashed)] {
                assert!(!page.contains(hidden), "{who} sees {hidden:?} on {desk}");
                assert!(
                    !page.contains(&format!("/admin/articles/{id}\"")),
                    "{who} sees the id of {hidden:?} on {desk}"
                );
            }
            seen.push_str(&page);
        }
        assert!(
            seen.contains("Open council news"),
            "{who} sees others' published work"
        );
        assert!(
            seen.contains("Draft budget story"),
            "{who} sees others' drafts, as in WordPress"
        );
    }
    let trash = app
        .page_text(&contributor, "/admin/articles?status=trashed")
        .await;
    assert!(
        trash.contains("Cara withdrawn piece"),
        "a contributor sees their own trash"
    );
    let private_tab = app
        .page_text(&author, "/admin/articles?status=private")
        .await;
    assert!(
        private_tab.contains("Aurora private note"),
        "an author sees their own private work"
    );
    let everything = app
        .page_text(&editor, "/admin/articles?status=private")
        .await;
    assert!(
        everything.contains("Secret merger plan") && everything.contains("Aurora private note")
    );
    let bin = app
        .page_text(&editor, "/admin/articles?status=trashed")
        .await;
    assert!(bin.contains("Binned scandal") && bin.contains("Cara withdrawn piece"));

    // A bulk action on someone else's private or trashed article, or on no article at all,
    // answers alike.
    for action in ["trash", "restore", "publish"] {
        let mut answers = Vec::new();
        for id in [private.0, trashed.0, 999_999] {
            let csrf = gazette_testkit::csrf_of(&app.page_text(&contributor, "/admin/").await);
            let response = contributor
                .post(app.url("/admin/bulk"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("bulk_action", action),
                    ("article", &id.to_string()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303);
            answers.push(response.headers()["location"].to_str().unwrap().to_owned());
        }
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{action}: {answers:?}"
        );
    }
    let untouched = app.store.article(private).await.unwrap().unwrap();
    assert_eq!(untouched.status, Status::Private);
    app.shutdown().await;
}
