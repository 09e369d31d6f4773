//! What the REST API says of the site (types, statuses, taxonomies, settings, the signed-in
//! user, revisions), and categories and tags edited through it.

use gazette_core::{Role, Status};
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Writer, answer};

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
