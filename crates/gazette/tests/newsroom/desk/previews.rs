//! Previews: unpublished articles for staff and share links only, and the live preview and
//! autosave the editor script speaks to.

use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;

use super::{admin, csrf_of, field, saved_id, submit};

gazette_testkit::on_both_backends!(
    unpublished_articles_preview_for_staff_and_share_links_only,
    live_preview_and_autosave_speak_to_the_editor_script,
);

async fn unpublished_articles_preview_for_staff_and_share_links_only(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Embargoed report"),
                ("body", "Numbers inside."),
            ],
        )
        .await,
    );
    let preview = format!("/preview/{}", id.0);
    let staff_view = client.get(app.url(&preview)).send().await.unwrap();
    assert_eq!(staff_view.status(), 200);
    assert_eq!(staff_view.headers()["x-robots-tag"], "noindex");
    assert!(staff_view.text().await.unwrap().contains("Numbers inside."));
    assert_eq!(app.get(&preview).await.status(), 404, "not for the public");

    let editor = client
        .get(app.url(&format!("/admin/articles/{}", id.0)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let shared = client
        .post(app.url(&format!("/admin/articles/{}/share", id.0)))
        .form(&[("csrf", csrf_of(&editor))])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "id=\"share-link\" value=\"";
    let at = shared.find(marker).unwrap() + marker.len();
    let link = shared[at..at + shared[at..].find('"').unwrap()].replace("&amp;", "&");
    let anonymous = app.get(&link).await;
    assert_eq!(anonymous.status(), 200, "{link}");
    let text = anonymous.text().await.unwrap();
    assert!(text.contains("Numbers inside."), "{link}: {text}");
    let tampered = link.replace(&format!("/preview/{}", id.0), "/preview/1");
    assert_eq!(
        app.get(&tampered).await.status(),
        404,
        "a link is for one article"
    );
    app.clock.advance(SignedDuration::from_hours(7 * 24 + 1));
    assert_eq!(app.get(&link).await.status(), 404, "links expire");
}

async fn live_preview_and_autosave_speak_to_the_editor_script(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let editor = client
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        editor.contains("/editor.js\" defer></script>"),
        "the script is linked"
    );
    let csrf = csrf_of(&editor);
    let rendered = client
        .post(app.url("/admin/render"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("body", "> A *quote*\n\n<script>alert(1)</script>"),
            ("body_format", "markdown"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rendered.contains("<blockquote>") && rendered.contains("<em>quote</em>"),
        "{rendered}"
    );
    assert!(!rendered.contains("<script"), "sanitised like any body");
    let forged = client
        .post(app.url("/admin/render"))
        .form(&[("csrf", "x"), ("body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    // Autosave: JSON with the version the next save must name.
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[("headline", "Autosaved draft")],
        )
        .await,
    );
    let path = format!("/admin/articles/{}", id.0);
    let page = client
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    app.clock.advance(SignedDuration::from_secs(1));
    let autosave = client
        .post(app.url(&path))
        .header("x-gazette-autosave", "1")
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", field(&page, "version")),
            ("headline", "Autosaved draft".into()),
            ("body", "Typed so far".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(autosave.status(), 200);
    let answer: serde_json::Value = autosave.json().await.unwrap();
    let stored = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(stored.body_source, "Typed so far");
    assert_eq!(
        answer["version"],
        stored.updated_at.as_microsecond().to_string()
    );
    // The old version is now stale, and says so in JSON.
    let stale = client
        .post(app.url(&path))
        .header("x-gazette-autosave", "1")
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", field(&page, "version")),
            ("headline", "Autosaved draft".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
}
