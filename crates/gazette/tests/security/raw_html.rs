//! Raw HTML from a lower role went live when an editor saved it. A contributor's article (in
//! the editor, or through `/wp-json/` as `pending`) was rendered with the policy of whoever
//! saved it last, so an editor pressing Publish, restoring a revision or sending `content`
//! through the API published the contributor's `<meta http-equiv=refresh>` and event
//! handlers. Trust now belongs to the source: only an editor who ticks "Allow raw HTML"
//! restores it, and previews show exactly what will be published.

use gazette_core::{ArticleId, Role};
use gazette_testkit::{Backend, TestApp, csrf_of};
use reqwest::Method;
use serde_json::json;

use super::support::{ApiClient, form_fields, with};

gazette_testkit::on_both_backends!(
    an_editor_publishing_a_contributors_draft_publishes_it_sanitised,
    restoring_a_revision_keeps_its_sources_trust,
    the_api_keeps_a_lower_roles_source_untrusted,
    previews_show_what_will_be_published,
);

const HOSTILE: &str = "<p onclick=\"steal()\">Read on.</p>\n\n\
    <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">";
const PASSWORD: &str = "a long enough password";

async fn signed_in(app: &TestApp, name: &str, role: Role) -> reqwest::Client {
    let person = app.add_staff(name, role, PASSWORD).await;
    let http = gazette_testkit::client();
    let response = app.sign_in(&http, person.email.as_str(), PASSWORD).await;
    assert_eq!(response.status(), 303, "{name} signs in");
    http
}

/// The editor form of an article, submitted as it stands with `changes` and `action`.
async fn save_as_shown(
    app: &TestApp,
    http: &reqwest::Client,
    id: ArticleId,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let path = format!("/admin/articles/{id}");
    let page = app.page_text(http, &path).await;
    let mut fields = form_fields(&page, "class=\"editor\"");
    for (name, value) in changes {
        fields = with(fields, name, value);
    }
    http.post(app.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn public_page(app: &TestApp, id: ArticleId) -> String {
    app.caught_up().await;
    let path = app.published_path(id).await;
    app.page_text(&app.client, &path).await
}

fn is_sanitised(page: &str) -> bool {
    !page.contains("steal()") && !page.contains("http-equiv=\"refresh\"")
}

async fn an_editor_publishing_a_contributors_draft_publishes_it_sanitised(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let contributor = signed_in(&app, "Connie", Role::Contributor).await;
    let id = app
        .write_article(
            &contributor,
            &[
                ("headline", "An open letter"),
                ("body", HOSTILE),
                ("action", "submit"),
            ],
        )
        .await;
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let page = app
        .page_text(&editor, &format!("/admin/articles/{id}"))
        .await;
    let raw_box = &page[page
        .find("name=\"allow_raw_html\"")
        .expect("the box is offered")..];
    assert!(
        !raw_box[..raw_box.find('>').unwrap()].contains("checked"),
        "a contributor's source is not trusted"
    );
    assert!(
        page.contains("onclick=&quot;…&quot; on &lt;p&gt;") && page.contains("&lt;meta&gt;"),
        "the box lists what the sanitiser removes"
    );

    // Publish as shown: the box stays unticked.
    let response = save_as_shown(&app, &editor, id, &[("action", "publish")]).await;
    assert_eq!(response.status(), 303);
    let published = public_page(&app, id).await;
    assert!(published.contains("Read on."));
    assert!(is_sanitised(&published), "{published}");

    // Saved again by the editor, still without the box: still untrusted.
    save_as_shown(&app, &editor, id, &[("action", "publish")]).await;
    assert!(is_sanitised(&public_page(&app, id).await));

    // Ticking the box is the editor's explicit decision.
    let response = save_as_shown(
        &app,
        &editor,
        id,
        &[("action", "publish"), ("allow_raw_html", "1")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert!(public_page(&app, id).await.contains("onclick=\"steal()\""));
    app.shutdown().await;
}

async fn restoring_a_revision_keeps_its_sources_trust(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let author = signed_in(&app, "Aurora", Role::Author).await;
    let id = app
        .write_article(
            &author,
            &[
                ("headline", "A column"),
                ("body", HOSTILE),
                ("action", "publish"),
            ],
        )
        .await;
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let response = save_as_shown(
        &app,
        &editor,
        id,
        &[
            ("body", "Clean text."),
            ("allow_raw_html", "1"),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let revisions = app.store.revisions(id).await.unwrap();
    let first = revisions.last().unwrap();
    assert!(
        first.body_source.contains("steal()"),
        "the author's revision"
    );

    let path = format!("/admin/articles/{id}/revisions/{}", first.id.0);
    let csrf = csrf_of(&app.page_text(&editor, &path).await);
    let restored = editor
        .post(app.url(&format!("{path}/restore")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 303);
    let page = public_page(&app, id).await;
    assert!(page.contains("Read on."), "the revision is back");
    assert!(
        is_sanitised(&page),
        "restored by an editor, still the author's source: {page}"
    );
    app.shutdown().await;
}

async fn the_api_keeps_a_lower_roles_source_untrusted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let contributor = app.add_staff("Connie", Role::Contributor, PASSWORD).await;
    let editor = app.add_staff("Edna", Role::Editor, PASSWORD).await;
    let (contributor, editor) = (
        ApiClient::of(&app, &contributor).await,
        ApiClient::of(&app, &editor).await,
    );
    let (status, post) = contributor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Pending letter", "content": HOSTILE, "status": "pending" })),
        )
        .await;
    assert_eq!(status, 201, "{post}");
    let id = ArticleId(post["id"].as_i64().unwrap());
    // The editor's client sends the content back, as a "publish" button in an app would.
    let (status, _) = editor
        .send(
            Method::POST,
            &format!("/wp-json/wp/v2/posts/{id}"),
            Some(json!({ "content": HOSTILE, "status": "publish" })),
        )
        .await;
    assert_eq!(status, 200);
    assert!(is_sanitised(&public_page(&app, id).await));
    let (_, shown) = editor
        .send(Method::GET, &format!("/wp-json/wp/v2/posts/{id}"), None)
        .await;
    assert!(
        !shown["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("steal()")
    );

    // An editor's own new writing keeps its HTML, as in WordPress.
    let (status, own) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Interactive map", "content": HOSTILE, "status": "publish" })),
        )
        .await;
    assert_eq!(status, 201);
    let own = ArticleId(own["id"].as_i64().unwrap());
    assert!(public_page(&app, own).await.contains("onclick=\"steal()\""));
    app.shutdown().await;
}

async fn previews_show_what_will_be_published(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let contributor = signed_in(&app, "Connie", Role::Contributor).await;
    let untrusted = app
        .write_article(&contributor, &[("headline", "Letter"), ("body", HOSTILE)])
        .await;
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let trusted = app
        .write_article(&editor, &[("headline", "Widget"), ("body", HOSTILE)])
        .await;

    for (id, raw) in [(untrusted, false), (trusted, true)] {
        let response = editor
            .get(app.url(&format!("/preview/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            policy.contains("sandbox") && !policy.contains("allow-same-origin"),
            "previews run in an opaque origin: {policy}"
        );
        let page = response.text().await.unwrap();
        assert_eq!(
            page.contains("onclick=\"steal()\""),
            raw,
            "preview of {id}: {page}"
        );
    }

    // The editor's live preview: raw only when the box is ticked by someone who may.
    let page = app
        .page_text(&editor, &format!("/admin/articles/{trusted}"))
        .await;
    let frame = &page[page.find("id=\"live-preview\"").unwrap()..];
    let frame = &frame[..frame.find('>').unwrap()];
    assert!(
        frame.contains("sandbox") && !frame.contains("allow-same-origin"),
        "the live preview is a sandboxed frame: {frame}"
    );
    let csrf = csrf_of(&page);
    for (http, csrf, ticked, raw) in [
        (&editor, csrf.clone(), "1", true),
        (&editor, csrf, "", false),
    ] {
        let response = http
            .post(app.url("/admin/render"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", HOSTILE),
                ("body_format", "markdown"),
                ("raw_html_box", "1"),
                ("allow_raw_html", ticked),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        let html = response.text().await.unwrap();
        assert_eq!(html.contains("onclick=\"steal()\""), raw, "{html}");
    }
    let page = app.page_text(&contributor, "/admin/articles/new").await;
    let html = contributor
        .post(app.url("/admin/render"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("body", HOSTILE),
            ("body_format", "markdown"),
            ("raw_html_box", "1"),
            ("allow_raw_html", "1"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("steal()"),
        "a contributor's preview is sanitised: {html}"
    );
    app.shutdown().await;
}
