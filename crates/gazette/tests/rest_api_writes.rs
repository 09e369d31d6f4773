//! Writing through the WordPress REST API, over HTTP: readers' comments sent by apps,
//! moderation, and posts, pages and media changed with an application password.

use gazette_core::{ArticleId, CommentId, CommentStatus, Person, Role, Status};
use gazette_testkit::{Backend, TestApp, TestOptions};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A signed-in API client: one person's application password over HTTP Basic.
struct Writer<'a> {
    app: &'a TestApp,
    user: String,
    secret: String,
    person: Person,
}

impl<'a> Writer<'a> {
    async fn with_role(app: &'a TestApp, role: Role) -> Self {
        let person = app
            .store
            .people()
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.role == role)
            .unwrap();
        Self::of(app, person).await
    }

    async fn new_staff(app: &'a TestApp, name: &str, role: Role) -> Self {
        let person = app.add_staff(name, role, "a long password").await;
        Self::of(app, person).await
    }

    async fn of(app: &'a TestApp, person: Person) -> Self {
        let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, person.id, "tests")
            .await
            .unwrap();
        Self {
            app,
            user: person.email.as_str().to_owned(),
            secret,
            person,
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("http://{}{path}", self.app.address);
        let mut request = self
            .app
            .client
            .request(method, &url)
            .basic_auth(&self.user, Some(&self.secret));
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request).await
    }
}

async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, body)
}

/// An anonymous request with a JSON body.
async fn anonymous(app: &TestApp, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
    let url = format!("http://{}{path}", app.address);
    answer(app.client.request(method, &url).json(&body)).await
}

async fn published_article(app: &TestApp) -> ArticleId {
    app.store
        .articles_with_status(Status::Published, 1)
        .await
        .unwrap()
        .first()
        .unwrap()
        .id
}

/// Apps post readers' comments through the form's defences, always held; moderators see
/// emails and addresses in `context=edit`, approve, correct, reply, trash and delete.
async fn comments_are_posted_and_moderated(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let article = published_article(&app).await;
    let reader = json!({
        "post": article.0,
        "author_name": "Ada Reader",
        "author_email": "ada@example.org",
        "author_url": "https://ada.example.org/",
        "content": "A thoughtful reply, sent from an app.",
    });
    let (status, created) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        reader.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "hold", "{created}");
    assert_eq!(created["author_name"], "Ada Reader");
    assert!(created.get("author_email").is_none(), "{created}");
    let id = created["id"].as_i64().unwrap();
    let stored = app.store.comment(CommentId(id)).await.unwrap().unwrap();
    assert_eq!(stored.status, CommentStatus::Pending);
    assert!(
        stored.reasons.iter().any(|r| r.contains("REST API")),
        "{:?}",
        stored.reasons
    );
    assert_eq!(stored.author_ip.as_deref(), Some("127.0.0.1"));
    // Held: not for readers, not listed.
    let (status, _) = answer(app.client.get(format!(
        "http://{}/wp-json/wp/v2/comments/{id}",
        app.address
    )))
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The same comment sent again is the same comment, not a second one.
    let (status, again) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        reader.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again["id"], id);

    // What the form refuses, the API refuses, in WordPress's words.
    let with = |change: Value| {
        let mut body = reader.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    for (body, status, code) in [
        (
            with(json!({ "content": "  " })),
            400,
            "rest_comment_content_invalid",
        ),
        (
            with(json!({ "author_email": "" })),
            400,
            "rest_invalid_param",
        ),
        (
            with(json!({ "author_email": "not an email" })),
            400,
            "rest_invalid_param",
        ),
        (
            with(json!({ "author_url": "javascript:alert(1)" })),
            400,
            "rest_invalid_param",
        ),
        (
            with(json!({ "post": 999_999 })),
            403,
            "rest_comment_invalid_post_id",
        ),
        (with(json!({ "post": "first" })), 400, "rest_invalid_param"),
        (
            json!({ "content": "Where?" }),
            403,
            "rest_comment_invalid_post_id",
        ),
        (
            with(json!({ "status": "approved" })),
            401,
            "rest_comment_invalid_author",
        ),
    ] {
        let (got, answer) =
            anonymous(&app, Method::POST, "/wp-json/wp/v2/comments", body.clone()).await;
        assert_eq!(got.as_u16(), status, "{body} → {answer}");
        assert_eq!(answer["code"], code, "{body} → {answer}");
    }
    let (_, missing) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        with(json!({ "author_email": "" })),
    )
    .await;
    assert!(
        missing["data"]["params"]["author_email"].is_string(),
        "{missing}"
    );

    // A moderator sees what readers do not, and publishes it.
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let path = format!("/wp-json/wp/v2/comments/{id}");
    let (status, edit) = editor
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{edit}");
    assert_eq!(edit["author_email"], "ada@example.org");
    assert_eq!(edit["author_ip"], "127.0.0.1");
    assert_eq!(
        edit["content"]["raw"],
        "A thoughtful reply, sent from an app."
    );
    let (status, _) = answer(
        app.client
            .get(format!("http://{}{path}?context=edit", app.address)),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, approved) = editor
        .send(Method::POST, &path, Some(json!({ "status": "approved" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let (status, public) = answer(app.client.get(format!("http://{}{path}", app.address))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(public.get("author_email").is_none() && public.get("author_ip").is_none());
    let (status, _) = editor
        .send(Method::PATCH, &path, Some(json!({ "status": "sideways" })))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, corrected) = editor
        .send(
            Method::PUT,
            &path,
            Some(json!({ "content": "A thoughtful reply, corrected." })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        corrected["content"]["raw"],
        "A thoughtful reply, corrected."
    );

    // A moderator's own comment is published at once, under their name.
    let (status, reply) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": article.0, "parent": id, "content": "Thank you." })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["status"], "approved");
    assert_eq!(reply["author"], editor.person.id.0);
    assert_eq!(reply["parent"], id);
    let reply_id = reply["id"].as_i64().unwrap();

    // Trash, then delete for good: the reply moves up to the top of the thread.
    let (status, trashed) = editor.send(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trashed["status"], "trash");
    let (status, deleted) = editor
        .send(Method::DELETE, &format!("{path}?force=true"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], true);
    assert_eq!(deleted["previous"]["id"], id);
    assert!(app.store.comment(CommentId(id)).await.unwrap().is_none());
    let moved = app
        .store
        .comment(CommentId(reply_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.parent, None);

    // Nobody else moderates.
    let (status, refused) = anonymous(
        &app,
        Method::POST,
        &format!("/wp-json/wp/v2/comments/{reply_id}"),
        json!({ "status": "spam" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["code"], "rest_cannot_edit");
    let (status, _) = editor
        .send(Method::GET, "/wp-json/wp/v2/comments/999999", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn comments_are_posted_and_moderated_on_sqlite() {
    comments_are_posted_and_moderated(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn comments_are_posted_and_moderated_on_postgres() {
    comments_are_posted_and_moderated(Backend::Postgres).await;
}

/// With the setting off, apps cannot post readers' comments; the form still works.
#[tokio::test]
async fn anonymous_api_comments_can_be_turned_off() {
    let publication = gazette_core::Publication {
        comments: gazette_core::CommentPolicy {
            api_comments: false,
            ..gazette_core::CommentPolicy::default()
        },
        ..gazette_core::Publication::sample()
    };
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(Backend::Sqlite, options).await else {
        return;
    };
    let article = published_article(&app).await;
    let (status, refused) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        json!({ "post": article.0, "author_name": "A", "author_email": "a@example.org", "content": "Hi" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["code"], "rest_comment_login_required");
}

/// Posts are created, changed, scheduled, trashed and deleted under the newsroom's rules,
/// and what readers see follows.
async fn posts_are_written_under_the_newsroom_rules(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let section = app.store.sections().await.unwrap()[0].id.0;
    let (status, draft) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Rivers rise", "content": "<p>Water.</p>", "categories": [section] })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["title"]["raw"], "Rivers rise");
    let id = draft["id"].as_i64().unwrap();
    let path = format!("/wp-json/wp/v2/posts/{id}");

    // Only its editors read a draft, and the edit context needs credentials.
    assert_eq!(app.get(&path).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get(&format!("{path}?context=edit")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, raw) = editor
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(raw["content"]["raw"], "<p>Water.</p>");

    // Published, it is on the site; a new slug keeps the old address redirecting.
    let (status, published) = editor
        .send(Method::PATCH, &path, Some(json!({ "status": "publish" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["status"], "publish");
    assert_eq!(published["title"]["rendered"], "Rivers rise");
    app.caught_up().await;
    let old_link = url::Url::parse(published["link"].as_str().unwrap()).unwrap();
    assert_eq!(app.get(old_link.path()).await.status(), StatusCode::OK);
    let (status, renamed) = editor
        .send(
            Method::POST,
            &path,
            Some(json!({ "slug": "rivers-rise-again", "title": "Rivers rise again" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["slug"], "rivers-rise-again");
    app.caught_up().await;
    let moved = app.get(old_link.path()).await;
    assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
    let revisions = app.store.revisions(ArticleId(id)).await.unwrap();
    assert_eq!(revisions.len(), 2, "one revision per published save");

    // Scheduling: `publish` with a date ahead is a future post.
    let tomorrow = gazette_core::Clock::now(&*app.clock) + jiff::SignedDuration::from_hours(24);
    let date = tomorrow
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let (status, scheduled) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Tomorrow's news", "status": "publish", "date_gmt": date })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{scheduled}");
    assert_eq!(scheduled["status"], "future");
    assert_eq!(scheduled["date_gmt"], date);

    // Bad changes are named.
    for (body, code) in [
        (json!({ "status": "sideways" }), "rest_invalid_param"),
        (json!({ "title": "  " }), "rest_invalid_param"),
        (json!({ "categories": "first" }), "rest_invalid_param"),
        (json!({ "categories": [999_999] }), "rest_invalid_param"),
        (json!({ "sticky": "maybe" }), "rest_invalid_param"),
        (json!({ "date": "yesterday" }), "rest_invalid_param"),
        (json!({ "status": "future" }), "rest_invalid_param"),
    ] {
        let (status, error) = editor.send(Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {error}");
        assert_eq!(error["code"], code, "{body}");
    }
    let (status, error) = editor
        .send(
            Method::PUT,
            "/wp-json/wp/v2/posts/999999",
            Some(json!({ "title": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["code"], "rest_post_invalid_id");

    // A contributor drafts and submits, but neither publishes nor touches others' work.
    let contributor = Writer::new_staff(&app, "Carla", Role::Contributor).await;
    let (status, refused) = contributor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Mine", "status": "publish" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["code"], "rest_cannot_publish");
    let (status, pending) = contributor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Mine", "status": "pending" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(pending["status"], "pending");
    for (method, body) in [
        (Method::POST, Some(json!({ "title": "Theirs now" }))),
        (Method::DELETE, None),
    ] {
        let (status, refused) = contributor.send(method, &path, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    }
    let (status, _) = anonymous(&app, Method::DELETE, &path, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Trash takes it off the site; force deletes it and its comments for good.
    let (status, trashed) = editor.send(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trashed["status"], "trash");
    app.caught_up().await;
    assert_eq!(app.get(&path).await.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = editor.send(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::GONE);
    let (status, deleted) = editor
        .send(Method::DELETE, &format!("{path}?force=true"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], true);
    assert_eq!(deleted["previous"]["id"], id);
    assert!(app.store.article(ArticleId(id)).await.unwrap().is_none());
    let (status, gone) = editor.send(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(gone["code"], "rest_post_invalid_id");
}

#[tokio::test]
async fn posts_are_written_under_the_newsroom_rules_on_sqlite() {
    posts_are_written_under_the_newsroom_rules(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn posts_are_written_under_the_newsroom_rules_on_postgres() {
    posts_are_written_under_the_newsroom_rules(Backend::Postgres).await;
}

/// Pages are written by those who manage them, at their addresses, and deleted for good.
async fn pages_are_written_by_their_managers(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let (status, page) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Corrections policy", "content": "<p>We correct.</p>", "status": "publish" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{page}");
    assert_eq!(page["status"], "publish");
    assert_eq!(page["slug"], "corrections-policy");
    let id = page["id"].as_i64().unwrap();
    app.caught_up().await;
    let (status, html) = app.get_text("/corrections-policy/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("We correct."), "{html}");

    let path = format!("/wp-json/wp/v2/pages/{id}");
    let (status, moved) = editor
        .send(Method::PATCH, &path, Some(json!({ "slug": "corrections" })))
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["content"]["raw"], "<p>We correct.</p>");
    app.caught_up().await;
    assert_eq!(
        app.get("/corrections-policy/").await.status(),
        StatusCode::MOVED_PERMANENTLY
    );

    for (body, code) in [
        (json!({ "status": "pending" }), "rest_invalid_param"),
        (json!({ "parent": id }), "rest_invalid_param"),
        (json!({ "title": "" }), "rest_invalid_param"),
    ] {
        let (status, error) = editor.send(Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {error}");
        assert_eq!(error["code"], code);
    }
    let author = Writer::with_role(&app, Role::Author).await;
    let (status, refused) = author
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Mine" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["code"], "rest_cannot_create");

    let (status, refused) = editor.send(Method::DELETE, &path, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["code"], "rest_trash_not_supported");
    let (status, deleted) = editor
        .send(Method::DELETE, &format!("{path}?force=true"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], true);
    app.caught_up().await;
    let (status, _) = editor.send(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_are_written_by_their_managers_on_sqlite() {
    pages_are_written_by_their_managers(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn pages_are_written_by_their_managers_on_postgres() {
    pages_are_written_by_their_managers(Backend::Postgres).await;
}

/// Images are uploaded through the media pipeline, as a raw body or a form, by those who
/// may upload; the library reads like WordPress's attachments.
async fn media_is_uploaded_through_the_pipeline(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let url = format!("http://{}/wp-json/wp/v2/media", app.address);
    let raw = |bytes: Vec<u8>, disposition: Option<&str>| {
        let mut request = app
            .client
            .post(&url)
            .basic_auth(&editor.user, Some(&editor.secret))
            .header("content-type", "image/png")
            .body(bytes);
        if let Some(disposition) = disposition {
            request = request.header("content-disposition", disposition);
        }
        request
    };
    let (status, created) = answer(raw(
        gazette_media::fixtures::plain_png(800, 600),
        Some("attachment; filename=\"harbour.png\""),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["media_type"], "image");
    assert_eq!(created["mime_type"], "image/png");
    assert_eq!(created["media_details"]["width"], 800);
    assert_eq!(created["media_details"]["sizes"]["full"]["width"], 800);
    let source = url::Url::parse(created["source_url"].as_str().unwrap()).unwrap();
    let image = app.get(source.path()).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    let id = created["id"].as_i64().unwrap();
    let stored = app
        .store
        .media(gazette_core::MediaId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.uploaded_by, Some(editor.person.id));

    // A form with a `file` field, its alt text and caption.
    let boundary = "gazette-test-boundary";
    let mut form = Vec::new();
    for (name, value) in [("alt_text", "The harbour at dawn"), ("caption", "Dawn.")] {
        form.extend(
            format!(
                "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    form.extend(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"dawn.png\"\r\ncontent-type: image/png\r\n\r\n").as_bytes(),
    );
    form.extend(gazette_media::fixtures::plain_png(400, 300));
    form.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, from_form) = answer(
        app.client
            .post(&url)
            .basic_auth(&editor.user, Some(&editor.secret))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(form),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{from_form}");
    assert_eq!(from_form["alt_text"], "The harbour at dawn");
    assert_eq!(from_form["caption"]["rendered"], "<p>Dawn.</p>\n");

    // The whole library, newest first, for those who may upload; for anyone else only what
    // published articles feature (the rest may be for stories not out yet).
    let (status, listed) = editor.send(Method::GET, "/wp-json/wp/v2/media", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed[0]["id"], from_form["id"]);
    let (_, public) = answer(app.client.get(&url)).await;
    assert!(
        !public.as_array().unwrap().iter().any(|m| m["id"] == id),
        "{public}"
    );
    let (status, _) = answer(app.client.get(format!("{url}/{id}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let article = published_article(&app).await;
    let (status, _) = editor
        .send(
            Method::PATCH,
            &format!("/wp-json/wp/v2/posts/{}", article.0),
            Some(json!({ "featured_media": id })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, public) = answer(app.client.get(&url)).await;
    assert!(
        public.as_array().unwrap().iter().any(|m| m["id"] == id),
        "{public}"
    );
    let (status, one) = answer(app.client.get(format!("{url}/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], id);

    // What is refused, and why.
    for (request, status, code) in [
        (
            app.client
                .post(&url)
                .header("content-disposition", "attachment; filename=x.png")
                .body(gazette_media::fixtures::plain_png(10, 10)),
            StatusCode::UNAUTHORIZED,
            "rest_cannot_create",
        ),
        (
            raw(gazette_media::fixtures::plain_png(10, 10), None),
            StatusCode::BAD_REQUEST,
            "rest_upload_no_content_disposition",
        ),
        (
            raw(
                b"<?php echo 1; ?>".to_vec(),
                Some("attachment; filename=shell.png"),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "rest_upload_sideload_error",
        ),
        (
            raw(Vec::new(), Some("attachment; filename=empty.png")),
            StatusCode::BAD_REQUEST,
            "rest_upload_no_data",
        ),
    ] {
        let (got, error) = answer(request).await;
        assert_eq!(got, status, "{error}");
        assert_eq!(error["code"], code);
    }
    let (status, missing) = answer(app.client.get(format!("{url}/999999"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["code"], "rest_post_invalid_id");
}

#[tokio::test]
async fn media_is_uploaded_through_the_pipeline_on_sqlite() {
    media_is_uploaded_through_the_pipeline(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn media_is_uploaded_through_the_pipeline_on_postgres() {
    media_is_uploaded_through_the_pipeline(Backend::Postgres).await;
}

/// Types, statuses, taxonomies, search, settings, the signed-in user and revisions read like
/// WordPress's; categories and tags are edited by those who manage them.
async fn the_site_describes_itself_and_terms_are_edited(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let get = |path: &str| answer(app.client.get(format!("http://{}{path}", app.address)));
    let (status, types) = get("/wp-json/wp/v2/types").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(types["post"]["rest_base"], "posts");
    assert_eq!(types["attachment"]["rest_base"], "media");
    let (status, missing) = get("/wp-json/wp/v2/types/product").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["code"], "rest_type_invalid");
    let (_, taxonomies) = get("/wp-json/wp/v2/taxonomies").await;
    assert_eq!(taxonomies["category"]["hierarchical"], true);
    assert_eq!(taxonomies["post_tag"]["rest_base"], "tags");
    let (_, statuses) = get("/wp-json/wp/v2/statuses/publish").await;
    assert_eq!(statuses["slug"], "publish");

    // Search finds published posts by their words, as WordPress's search results.
    let article = app
        .store
        .articles_with_status(Status::Published, 1)
        .await
        .unwrap()
        .remove(0);
    let word = article
        .headline
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned();
    let (status, found) = get(&format!("/wp-json/wp/v2/search?search={word}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == article.id.0 && r["type"] == "post"),
        "{word}: {found}"
    );

    // Settings are for administrators.
    let (status, refused) = get("/wp-json/wp/v2/settings").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["code"], "rest_forbidden");
    let admin = Writer::with_role(&app, Role::Administrator).await;
    let (status, settings) = admin
        .send(Method::GET, "/wp-json/wp/v2/settings", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let name = app.store.publication().await.unwrap().unwrap().name;
    assert_eq!(settings["title"], name.as_str());
    let (status, changed) = admin
        .send(
            Method::POST,
            "/wp-json/wp/v2/settings",
            Some(json!({ "description": "News that matters" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["description"], "News that matters");
    let (status, refused) = admin
        .send(
            Method::POST,
            "/wp-json/wp/v2/settings",
            Some(json!({ "posts_per_page": 5 })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    let author = Writer::with_role(&app, Role::Author).await;
    let (status, _) = author
        .send(Method::GET, "/wp-json/wp/v2/settings", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, me) = author
        .send(Method::GET, "/wp-json/wp/v2/users/me", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["id"], author.person.id.0);
    let (status, _) = get("/wp-json/wp/v2/users/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Revisions: one per published save, for those who may edit the post.
    let path = format!("/wp-json/wp/v2/posts/{}", article.id.0);
    let (status, _) = admin
        .send(
            Method::POST,
            &path,
            Some(json!({ "title": "A new headline" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, revisions) = admin
        .send(Method::GET, &format!("{path}/revisions"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{revisions}");
    assert_eq!(revisions[0]["title"]["rendered"], "A new headline");
    assert_eq!(revisions[0]["parent"], article.id.0);
    let revision = revisions[0]["id"].as_i64().unwrap();
    let (status, one) = admin
        .send(Method::GET, &format!("{path}/revisions/{revision}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], revision);
    let (status, _) = get(&format!("{path}/revisions")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Categories and tags.
    let (status, category) = admin
        .send(
            Method::POST,
            "/wp-json/wp/v2/categories",
            Some(json!({ "name": "Science", "description": "Findings." })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{category}");
    assert_eq!(category["slug"], "science");
    assert!(
        category["link"]
            .as_str()
            .unwrap()
            .ends_with("/category/science/")
    );
    let category_id = category["id"].as_i64().unwrap();
    let (status, child) = admin
        .send(
            Method::POST,
            "/wp-json/wp/v2/categories",
            Some(json!({ "name": "Space", "parent": category_id })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(child["parent"], category_id);
    let (status, taken) = admin
        .send(
            Method::POST,
            "/wp-json/wp/v2/categories",
            Some(json!({ "name": "Science" })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(taken["code"], "term_exists");
    let (status, looped) = admin
        .send(
            Method::POST,
            &format!("/wp-json/wp/v2/categories/{category_id}"),
            Some(json!({ "parent": child["id"] })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{looped}");
    let (status, renamed) = admin
        .send(
            Method::PATCH,
            &format!("/wp-json/wp/v2/categories/{category_id}"),
            Some(json!({ "name": "Sciences", "slug": "sciences" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(renamed["name"], "Sciences");
    let (status, in_use) = admin
        .send(
            Method::DELETE,
            &format!("/wp-json/wp/v2/categories/{category_id}?force=true"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{in_use}");
    let (status, tag) = admin
        .send(
            Method::POST,
            "/wp-json/wp/v2/tags",
            Some(json!({ "name": "Mars" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let tag_path = format!("/wp-json/wp/v2/tags/{}", tag["id"]);
    let (status, described) = admin
        .send(
            Method::POST,
            &tag_path,
            Some(json!({ "description": "The red planet." })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(described["description"], "The red planet.");
    assert_eq!(described["name"], "Mars");
    let (status, _) = admin.send(Method::DELETE, &tag_path, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, deleted) = admin
        .send(Method::DELETE, &format!("{tag_path}?force=true"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["deleted"], true);
    let (status, refused) = author
        .send(
            Method::POST,
            "/wp-json/wp/v2/tags",
            Some(json!({ "name": "Venus" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["code"], "rest_cannot_create");
}

#[tokio::test]
async fn the_site_describes_itself_and_terms_are_edited_on_sqlite() {
    the_site_describes_itself_and_terms_are_edited(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn the_site_describes_itself_and_terms_are_edited_on_postgres() {
    the_site_describes_itself_and_terms_are_edited(Backend::Postgres).await;
}

/// The posts collection combines its filters and orders as WordPress's does.
async fn posts_are_filtered_and_ordered(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let get = |path: String| answer(app.client.get(format!("http://{}{path}", app.address)));
    let published = app
        .store
        .articles_with_status(Status::Published, 1000)
        .await
        .unwrap();
    let tagged = published
        .iter()
        .find(|a| !a.tags.is_empty() && a.primary_section.is_some())
        .unwrap();
    let (section, tag, author) = (
        tagged.primary_section.unwrap().0,
        tagged.tags[0].0,
        tagged.authors[0].0,
    );
    let (status, both) = get(format!(
        "/wp-json/wp/v2/posts?categories={section}&tags[]={tag}&author={author}&per_page=100"
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{both}");
    let both = both.as_array().unwrap();
    assert!(both.iter().any(|p| p["id"] == tagged.id.0));
    for post in both {
        assert!(
            post["categories"]
                .as_array()
                .unwrap()
                .contains(&section.into())
        );
        assert!(post["tags"].as_array().unwrap().contains(&tag.into()));
        assert_eq!(post["author"], author);
    }

    // `_embed` puts the author and terms inside the post; a post's terms list alone.
    let (status, embedded) = get(format!("/wp-json/wp/v2/posts/{}?_embed=1", tagged.id.0)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        embedded["_embedded"]["author"][0]["id"], author,
        "{embedded}"
    );
    let terms = &embedded["_embedded"]["wp:term"];
    assert!(
        terms[0]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == section)
    );
    assert!(terms[1].as_array().unwrap().iter().any(|t| t["id"] == tag));
    let (_, only_author) = get(format!(
        "/wp-json/wp/v2/posts?_embed=author&include={}",
        tagged.id.0
    ))
    .await;
    let keys: Vec<&String> = only_author[0]["_embedded"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["author"]);
    let (_, post_tags) = get(format!(
        "/wp-json/wp/v2/tags?post={}&per_page=100",
        tagged.id.0
    ))
    .await;
    let mut listed: Vec<i64> = post_tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let mut expected: Vec<i64> = tagged.tags.iter().map(|t| t.0).collect();
    listed.sort_unstable();
    expected.sort_unstable();
    assert_eq!(listed, expected);

    let (_, by_id) = get("/wp-json/wp/v2/posts?orderby=id&order=asc&per_page=100".into()).await;
    let ids: Vec<i64> = by_id
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert_eq!(ids.len(), published.len());

    let (_, newest) = get("/wp-json/wp/v2/posts?per_page=100".into()).await;
    let dates: Vec<&str> = newest
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["date_gmt"].as_str().unwrap())
        .collect();
    let middle = dates[dates.len() / 2];
    let (_, after) = get(format!("/wp-json/wp/v2/posts?after={middle}Z&per_page=100")).await;
    let after = after.as_array().unwrap();
    assert!(!after.is_empty());
    assert!(
        after
            .iter()
            .all(|p| p["date_gmt"].as_str().unwrap() > middle)
    );
    let (_, before) = get(format!(
        "/wp-json/wp/v2/posts?before={middle}Z&per_page=100"
    ))
    .await;
    assert!(
        before
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["date_gmt"].as_str().unwrap() < middle)
    );

    let editor = Writer::with_role(&app, Role::Administrator).await;
    let (status, _) = editor
        .send(
            Method::PATCH,
            &format!("/wp-json/wp/v2/posts/{}", tagged.id.0),
            Some(json!({ "sticky": true })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, sticky) = get("/wp-json/wp/v2/posts?sticky=true".into()).await;
    let sticky = sticky.as_array().unwrap();
    assert!(sticky.iter().any(|p| p["id"] == tagged.id.0));
    assert!(sticky.iter().all(|p| p["sticky"] == true));
    let (_, not_sticky) = get("/wp-json/wp/v2/posts?sticky=false&per_page=100".into()).await;
    assert!(
        not_sticky
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["sticky"] == false)
    );

    for bad in [
        "orderby=popularity",
        "order=sideways",
        "before=someday",
        "sticky=maybe",
        "status=lost",
    ] {
        let (status, error) = get(format!("/wp-json/wp/v2/posts?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error["code"], "rest_invalid_param", "{bad}");
    }

    // Drafts are listed for those who may edit them.
    let (status, _) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Unfinished" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = get("/wp-json/wp/v2/posts?status=draft".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, drafts) = editor
        .send(Method::GET, "/wp-json/wp/v2/posts?status=draft", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let drafts = drafts.as_array().unwrap();
    assert!(
        drafts
            .iter()
            .any(|p| p["title"]["rendered"] == "Unfinished")
    );
    assert!(drafts.iter().all(|p| p["status"] == "draft"));
}

#[tokio::test]
async fn posts_are_filtered_and_ordered_on_sqlite() {
    posts_are_filtered_and_ordered(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn posts_are_filtered_and_ordered_on_postgres() {
    posts_are_filtered_and_ordered(Backend::Postgres).await;
}

/// The back office makes application passwords (shown once), shows when each was last used,
/// and revokes them; a revoked password no longer opens the API.
async fn application_passwords_are_managed_in_the_back_office(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = gazette_testkit::client();
    app.sign_in(
        &http,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    let screen = "/admin/account/app-passwords";
    let page = app.page_text(&http, screen).await;
    assert!(
        page.contains("You have no application passwords."),
        "{page}"
    );
    let csrf = gazette_testkit::csrf_of(&page);
    let make = |name: &str| {
        http.post(app.url(screen))
            .form(&[("csrf", csrf.as_str()), ("name", name)])
            .send()
    };
    let refused = make("  ").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let made = make("Newsletter service").await.unwrap();
    assert_eq!(made.status(), StatusCode::OK);
    let page = made.text().await.unwrap();
    let start = page.find("<code class=\"secret\">").unwrap() + "<code class=\"secret\">".len();
    let secret = page[start..start + 29].to_owned();
    assert_eq!(secret.split(' ').count(), 6, "{secret}");
    assert!(
        !app.page_text(&http, screen).await.contains(&secret),
        "shown once"
    );

    // The password opens the API, and its use is noted.
    let me = format!("http://{}/wp-json/wp/v2/users/me", app.address);
    let use_it = || {
        app.client
            .get(&me)
            .basic_auth(gazette_testkit::ADMIN_EMAIL, Some(&secret))
            .send()
    };
    assert_eq!(use_it().await.unwrap().status(), StatusCode::OK);
    let admin = app
        .store
        .person_by_email(&gazette_core::Email::parse(gazette_testkit::ADMIN_EMAIL).unwrap())
        .await
        .unwrap()
        .unwrap();
    let passwords = app.store.app_passwords(admin.id).await.unwrap();
    assert_eq!(passwords.len(), 1);
    assert!(passwords[0].last_used_at.is_some());
    assert!(!app.page_text(&http, screen).await.contains("Never"));

    // Revoked, it is refused.
    let revoke = http
        .post(app.url(&format!("{screen}/{}/revoke", passwords[0].id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::SEE_OTHER);
    let refused = use_it().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    // Without the form's token nothing is revoked or made.
    let forged = http
        .post(app.url(screen))
        .form(&[("name", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(app.store.app_passwords(admin.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn application_passwords_are_managed_in_the_back_office_on_sqlite() {
    application_passwords_are_managed_in_the_back_office(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn application_passwords_are_managed_in_the_back_office_on_postgres() {
    application_passwords_are_managed_in_the_back_office(Backend::Postgres).await;
}

/// Every write route answers bad input with WordPress's error body and a 4xx: malformed
/// JSON, bodies too large, wrong types (the Big List of Naughty Strings in every text field is
/// [`naughty_strings_are_stored_or_refused_never_a_server_error`]). Nothing is a 5xx.
async fn bad_input_is_refused_never_a_server_error(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let (_, comment) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": article.0, "content": "A note." })),
        )
        .await;
    let comment = comment["id"].as_i64().unwrap();
    let section = app.store.sections().await.unwrap()[0].id.0;
    let tag = app.store.tags().await.unwrap()[0].id.0;
    let page = app.store.pages().await.unwrap()[0].id.0;
    let writes: Vec<(Method, String)> = vec![
        (Method::POST, "/wp-json/wp/v2/posts".into()),
        (Method::PUT, format!("/wp-json/wp/v2/posts/{}", article.0)),
        (Method::POST, "/wp-json/wp/v2/pages".into()),
        (Method::PATCH, format!("/wp-json/wp/v2/pages/{page}")),
        (Method::POST, "/wp-json/wp/v2/comments".into()),
        (Method::POST, format!("/wp-json/wp/v2/comments/{comment}")),
        (Method::POST, "/wp-json/wp/v2/categories".into()),
        (Method::POST, format!("/wp-json/wp/v2/categories/{section}")),
        (Method::POST, "/wp-json/wp/v2/tags".into()),
        (Method::PUT, format!("/wp-json/wp/v2/tags/{tag}")),
        (Method::POST, "/wp-json/wp/v2/settings".into()),
    ];
    let url = |path: &str| format!("http://{}{path}", app.address);
    let huge = "x".repeat(5 << 20);
    let wrong_types = json!({
        "title": 5, "content": [1], "status": {}, "post": "first", "parent": "none",
        "categories": "a,b", "tags": [true], "name": 7, "slug": false, "sticky": "perhaps",
        "date": 12, "author_email": [], "description": {}, "featured_media": "image",
    });
    for (method, path) in &writes {
        for (what, body) in [
            ("malformed JSON", "{\"title\":".to_owned()),
            ("a JSON array", "[1, 2]".to_owned()),
            ("a body too large", format!("{{\"title\":\"{huge}\"}}")),
            ("wrong types", wrong_types.to_string()),
        ] {
            let response = app
                .client
                .request(method.clone(), url(path))
                .basic_auth(&editor.user, Some(&editor.secret))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let error: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
            assert!(
                status.is_client_error(),
                "{method} {path} with {what}: {status} {error}"
            );
            assert!(
                error["code"].is_string() && error["data"]["status"] == status.as_u16(),
                "{error}"
            );
        }
    }
    let media = app
        .client
        .post(url("/wp-json/wp/v2/media"))
        .basic_auth(&editor.user, Some(&editor.secret))
        .header("content-disposition", "attachment; filename=huge.png")
        .body(vec![0u8; 30 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(media.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// Naughty strings are text like any other: in every text field of posts, comments (staff's
/// and anonymous) and tags, and in a search, they are stored or refused, never a 5xx.
async fn naughty_strings_are_stored_or_refused_never_a_server_error(backend: Backend) {
    let Some(strings) = gazette_testkit::corpora::naughty_strings() else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let url = |path: &str| format!("http://{}{path}", app.address);
    for (n, text) in strings.iter().enumerate().step_by(7) {
        for (method, path, body) in [
            (
                Method::POST,
                "/wp-json/wp/v2/posts".to_owned(),
                json!({ "title": text, "content": text, "excerpt": text, "slug": text }),
            ),
            (
                Method::POST,
                "/wp-json/wp/v2/comments".to_owned(),
                json!({ "post": article.0, "content": text }),
            ),
            (
                Method::POST,
                "/wp-json/wp/v2/tags".to_owned(),
                json!({ "name": format!("{text} {n}"), "description": text }),
            ),
        ] {
            let (status, answer) = editor.send(method, &path, Some(body)).await;
            assert!(!status.is_server_error(), "{path} with {text:?}: {answer}");
        }
        let (status, answer) = anonymous(
            &app,
            Method::POST,
            "/wp-json/wp/v2/comments",
            json!({ "post": article.0, "author_name": text, "author_email": "n@example.org", "author_url": text, "content": text }),
        )
        .await;
        assert!(
            !status.is_server_error(),
            "anonymous comment {text:?}: {answer}"
        );
        let query: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let listed = app
            .client
            .get(url(&format!(
                "/wp-json/wp/v2/posts?search={query}&slug={query}&before={query}"
            )))
            .send()
            .await
            .unwrap();
        assert!(!listed.status().is_server_error(), "search {text:?}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_never_a_server_error_on_sqlite() {
    bad_input_is_refused_never_a_server_error(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn bad_input_is_refused_never_a_server_error_on_postgres() {
    bad_input_is_refused_never_a_server_error(Backend::Postgres).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_blns),
    ignore = "needs GAZETTE_TEST_BLNS (see README)"
)]
async fn naughty_strings_are_stored_or_refused_never_a_server_error_on_sqlite() {
    naughty_strings_are_stored_or_refused_never_a_server_error(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_blns)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_BLNS (see README)"
)]
async fn naughty_strings_are_stored_or_refused_never_a_server_error_on_postgres() {
    naughty_strings_are_stored_or_refused_never_a_server_error(Backend::Postgres).await;
}

/// `context=edit` lists show raw fields (and commenters' emails) to those who may edit what
/// is listed, and only that.
async fn edit_context_is_for_those_who_may_edit(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let author = Writer::with_role(&app, Role::Author).await;
    let (status, posts) = editor
        .send(
            Method::GET,
            "/wp-json/wp/v2/posts?context=edit&per_page=100",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    assert!(posts[0]["content"]["raw"].is_string());
    let (status, own) = author
        .send(
            Method::GET,
            "/wp-json/wp/v2/posts?context=edit&per_page=100",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.as_array().unwrap().len() < posts.as_array().unwrap().len());
    for post in own.as_array().unwrap() {
        let id = ArticleId(post["id"].as_i64().unwrap());
        let stored = app.store.article(id).await.unwrap().unwrap();
        assert!(stored.authors.contains(&author.person.id), "{post}");
    }
    let (status, _) = anonymous(
        &app,
        Method::GET,
        "/wp-json/wp/v2/posts?context=edit",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let article = published_article(&app).await;
    let (status, _) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        json!({ "post": article.0, "author_name": "Ada", "author_email": "ada@example.org", "content": "Hello." }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": article.0, "content": "Welcome." })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, comments) = editor
        .send(Method::GET, "/wp-json/wp/v2/comments?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(comments[0]["author_email"].is_string(), "{comments}");
    // Signed in but not allowed: 403, as WordPress answers once a client has signed in.
    let (status, _) = author
        .send(Method::GET, "/wp-json/wp/v2/comments?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, public) = anonymous(&app, Method::GET, "/wp-json/wp/v2/comments", json!({})).await;
    assert!(public[0].get("author_email").is_none());

    let (status, draft) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Coming soon" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/wp-json/wp/v2/pages/{}", draft["id"]);
    let (status, seen) = editor
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["title"]["raw"], "Coming soon");
    assert_eq!(seen["status"], "draft");
    let (status, _) = anonymous(&app, Method::GET, &path, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = author
        .send(Method::GET, &format!("{path}?context=edit"), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Their own account, with WordPress's names for what they may do.
    let (status, me) = author
        .send(Method::GET, "/wp-json/wp/v2/users/me?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["roles"], json!(["author"]));
    assert_eq!(me["capabilities"]["publish_posts"], true);
    assert!(me["capabilities"].get("moderate_comments").is_none());
    assert_eq!(me["email"], author.user);

    // Terms: for those who manage them. Media: raw fields for those who may upload.
    let (status, _) = editor
        .send(Method::GET, "/wp-json/wp/v2/categories?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = author
        .send(Method::GET, "/wp-json/wp/v2/tags?context=edit", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let upload = app
        .client
        .post(format!("http://{}/wp-json/wp/v2/media", app.address))
        .basic_auth(&editor.user, Some(&editor.secret))
        .header("content-disposition", "attachment; filename=tram.png")
        .body(gazette_media::fixtures::plain_png(40, 30))
        .send()
        .await
        .unwrap();
    let uploaded: Value = serde_json::from_str(&upload.text().await.unwrap()).unwrap();
    let path = format!("/wp-json/wp/v2/media/{}?context=edit", uploaded["id"]);
    let (status, media) = editor.send(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(media["title"]["raw"], "tram");
    let (status, _) = anonymous(&app, Method::GET, &path, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn edit_context_is_for_those_who_may_edit_on_sqlite() {
    edit_context_is_for_those_who_may_edit(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn edit_context_is_for_those_who_may_edit_on_postgres() {
    edit_context_is_for_those_who_may_edit(Backend::Postgres).await;
}

/// What a review found, each kept from coming back: held comments show the neutral avatar;
/// a signed-in person comments only on posts they may read, while comments are open; ids
/// given twice count once; long and reserved titles still make usable slugs or say why;
/// forms take PHP's lists; long searches answer; deleting a comment moves its whole thread
/// up a level.
async fn review_findings_stay_fixed(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let (_, held) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        json!({ "post": article.0, "author_name": "Guess", "author_email": "someone@example.org", "content": "Probing." }),
    )
    .await;
    let (_, other) = anonymous(
        &app,
        Method::POST,
        "/wp-json/wp/v2/comments",
        json!({ "post": article.0, "author_name": "Other", "author_email": "other@example.org", "content": "Also held." }),
    )
    .await;
    assert_eq!(
        held["author_avatar_urls"], other["author_avatar_urls"],
        "held comments share the neutral avatar"
    );

    // A contributor cannot comment on someone else's draft.
    let (_, draft) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Embargoed" })),
        )
        .await;
    let contributor = Writer::new_staff(&app, "Carla", Role::Contributor).await;
    let (status, refused) = contributor
        .send(
            Method::POST,
            "/wp-json/wp/v2/comments",
            Some(json!({ "post": draft["id"], "content": "Peek." })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["code"], "rest_cannot_read_post");

    // Ids given twice count once; a long title makes a slug twice over.
    let section = app.store.sections().await.unwrap()[0].id.0;
    let tag = app.store.tags().await.unwrap()[0].id.0;
    let long = "a".repeat(250);
    for _ in 0..2 {
        let (status, post) = editor
            .send(
                Method::POST,
                "/wp-json/wp/v2/posts",
                Some(json!({ "title": long, "categories": [section, section], "tags": [tag, tag, tag.to_string()] })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{post}");
        assert_eq!(post["categories"], json!([section]));
        assert_eq!(post["tags"], json!([tag]));
    }
    let (status, reserved) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/pages",
            Some(json!({ "title": "Search" })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reserved}");
    assert!(reserved["data"]["params"]["slug"].is_string());

    // A form body's PHP lists.
    let response = app
        .client
        .post(format!("http://{}/wp-json/wp/v2/posts", app.address))
        .basic_auth(&editor.user, Some(&editor.secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "title=From+a+form&tags%5B%5D={tag}&categories%5B%5D={section}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let from_form: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(from_form["tags"], json!([tag]));
    assert_eq!(from_form["categories"], json!([section]));

    // A search of a thousand words answers (as one phrase, as WordPress searches them).
    let words = vec!["glacier"; 1000].join("+");
    let (status, _) = anonymous(
        &app,
        Method::GET,
        &format!("/wp-json/wp/v2/posts?search={words}"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Deleting a comment moves its replies, and theirs, up one level.
    let mut parent = None;
    let mut ids = Vec::new();
    for n in 0..3 {
        let mut body = json!({ "post": article.0, "content": format!("Level {n}.") });
        if let Some(parent) = parent {
            body["parent"] = json!(parent);
        }
        let (_, made) = editor
            .send(Method::POST, "/wp-json/wp/v2/comments", Some(body))
            .await;
        let id = made["id"].as_i64().unwrap();
        ids.push(id);
        parent = Some(id);
    }
    let depth = |id: i64| {
        let store = &app.store;
        async move { store.comment(CommentId(id)).await.unwrap().unwrap().depth }
    };
    assert_eq!((depth(ids[1]).await, depth(ids[2]).await), (1, 2));
    let (status, _) = editor
        .send(
            Method::DELETE,
            &format!("/wp-json/wp/v2/comments/{}?force=true", ids[0]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((depth(ids[1]).await, depth(ids[2]).await), (0, 1));

    // A protected post opens with its password, as on its page.
    let (_, locked) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/posts",
            Some(json!({ "title": "Members only", "content": "<p>Inside.</p>", "status": "publish", "password": "open sesame" })),
        )
        .await;
    let path = format!("/wp-json/wp/v2/posts/{}", locked["id"]);
    let (_, closed) = anonymous(&app, Method::GET, &path, json!({})).await;
    assert_eq!(closed["content"]["rendered"], "");
    assert_eq!(closed["content"]["protected"], true);
    let (status, opened) = anonymous(
        &app,
        Method::GET,
        &format!("{path}?password=open+sesame"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        opened["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("Inside.")
    );
    let (status, wrong) = anonymous(
        &app,
        Method::GET,
        &format!("{path}?password=guess"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(wrong["code"], "rest_post_incorrect_password");

    // The journal's name keeps the back office's limits.
    let (status, _) = editor
        .send(
            Method::POST,
            "/wp-json/wp/v2/settings",
            Some(json!({ "title": "n".repeat(201) })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn review_findings_stay_fixed_on_sqlite() {
    review_findings_stay_fixed(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn review_findings_stay_fixed_on_postgres() {
    review_findings_stay_fixed(Backend::Postgres).await;
}

/// With the database gone, a write and a read answer 503 with `Retry-After`, as WordPress's
/// JSON and as the themed page: the client may retry, and nothing claims our code failed.
async fn a_lost_database_answers_503_with_retry_after(backend: Backend) {
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            no_page_cache: true,
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let writer = Writer::with_role(&app, Role::Administrator).await;
    let article = published_article(&app).await;
    let page = app.published_path(article).await;
    app.store.close().await;

    let url = format!("http://{}/wp-json/wp/v2/posts", app.address);
    let response = app
        .client
        .post(&url)
        .basic_auth(&writer.user, Some(&writer.secret))
        .json(&json!({ "title": "During the outage", "status": "draft" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "rest_unavailable", "{body}");
    assert_eq!(body["data"]["status"], 503, "{body}");

    let response = app.get(&page).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
}

#[tokio::test]
async fn a_lost_database_answers_503_with_retry_after_on_sqlite() {
    a_lost_database_answers_503_with_retry_after(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn a_lost_database_answers_503_with_retry_after_on_postgres() {
    a_lost_database_answers_503_with_retry_after(Backend::Postgres).await;
}
