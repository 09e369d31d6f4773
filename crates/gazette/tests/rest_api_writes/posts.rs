//! Posts written through the REST API under the newsroom's rules, and the posts collection's
//! filters and orders.

use gazette_core::{ArticleId, Role, Status};
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Writer, anonymous, answer};

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
