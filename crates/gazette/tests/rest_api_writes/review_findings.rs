//! Findings of reviews of the REST API's writes, kept fixed.

use gazette_core::{CommentId, Role};
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Writer, anonymous, published_article};

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
