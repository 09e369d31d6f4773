//! The API read like WordPress's: discovery, posts, pages, categories, tags and users in
//! WordPress's shapes, its paging headers and its errors.

use gazette_core::Status;
use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

use super::{administrator, comment, json};

/// A WordPress route pattern in OpenAPI's syntax: `(?P<id>[\\d]+)` becomes `{id}`.
fn openapi_path(route: &str) -> String {
    let mut path = String::new();
    let mut rest = route;
    while let Some(start) = rest.find("(?P<") {
        path.push_str(&rest[..start]);
        let (name, tail) = rest[start + 4..].split_once('>').unwrap();
        path.push_str(&format!("{{{name}}}"));
        rest = tail.split_once(')').unwrap().1;
    }
    path + rest
}

/// WordPress's dates: `2026-11-29T09:30:00`, without an offset.
fn is_wordpress_date(value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default();
    text.len() == 19 && jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M:%S", text).is_ok()
}

async fn the_api_reads_like_wordpress(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.caught_up().await;

    // Discovery: the header on pages, the link in their head, and the index.
    let home = app.get("/").await;
    let link = home.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.contains("rel=\"https://api.w.org/\""), "{link}");
    assert!(
        home.text()
            .await
            .unwrap()
            .contains("<link rel=\"https://api.w.org/\"")
    );
    let (status, _, index) = json(&app, "/wp-json/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(index["namespaces"], serde_json::json!(["wp/v2"]));
    assert!(index["routes"]["/wp/v2/posts"].is_object(), "{index}");

    // Posts: published only, newest first, WordPress's fields and paging headers.
    let published = app
        .store
        .articles_with_status(Status::Published, 10_000)
        .await
        .unwrap();
    let (status, headers, posts) = json(&app, "/wp-json/wp/v2/posts?per_page=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["x-wp-total"].to_str().unwrap(),
        published.len().to_string()
    );
    let pages = published.len().div_ceil(2);
    assert_eq!(
        headers["x-wp-totalpages"].to_str().unwrap(),
        pages.to_string()
    );
    assert!(headers["link"].to_str().unwrap().contains("rel=\"next\""));
    let posts = posts.as_array().unwrap();
    assert_eq!(posts.len(), 2);
    let first = &posts[0];
    for field in [
        "id",
        "slug",
        "status",
        "type",
        "link",
        "author",
        "sticky",
        "categories",
        "tags",
        "_links",
    ] {
        assert!(!first[field].is_null(), "{field} missing from {first}");
    }
    assert!(
        is_wordpress_date(&first["date"]) && is_wordpress_date(&first["date_gmt"]),
        "{first}"
    );
    assert_eq!(first["type"], "post");
    assert!(!first["title"]["rendered"].as_str().unwrap().is_empty());
    let id = first["id"].as_i64().unwrap();
    let (status, _, one) = json(&app, &format!("/wp-json/wp/v2/posts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], id);
    // The link is the article's public address.
    let link = url::Url::parse(one["link"].as_str().unwrap()).unwrap();
    assert_eq!(app.get(link.path()).await.status(), StatusCode::OK);

    // Filters: a category's posts all carry it; a slug finds its post.
    let category = one["categories"][0].as_i64().unwrap();
    let (_, _, filtered) = json(
        &app,
        &format!("/wp-json/wp/v2/posts?categories={category}&per_page=100"),
    )
    .await;
    let filtered = filtered.as_array().unwrap();
    assert!(!filtered.is_empty());
    assert!(filtered.iter().all(|p| {
        p["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == category)
    }));
    let slug = one["slug"].as_str().unwrap();
    let (_, headers, by_slug) = json(&app, &format!("/wp-json/wp/v2/posts?slug={slug}")).await;
    assert_eq!(by_slug[0]["id"], id);
    assert_eq!(headers["x-wp-total"], "1");

    // Categories, tags and users, without private fields.
    let (status, _, categories) = json(&app, "/wp-json/wp/v2/categories?per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        categories
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == category)
    );
    let (status, _, tags) = json(&app, "/wp-json/wp/v2/tags").await;
    assert_eq!(status, StatusCode::OK);
    assert!(tags.is_array());
    let users = app.get("/wp-json/wp/v2/users").await.text().await.unwrap();
    assert!(!users.contains('@'), "no email leaves the API: {users}");
    let (status, _, pages_list) = json(&app, "/wp-json/wp/v2/pages").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        pages_list
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["type"] == "page")
    );

    // Comments: approved ones on public posts, without private fields; held ones not at all.
    let post = id;
    for (status, body) in [
        (gazette_core::CommentStatus::Approved, "Seen by all."),
        (
            gazette_core::CommentStatus::Pending,
            "Waiting for a moderator.",
        ),
    ] {
        let new = comment(gazette_core::ArticleId(post), status, body);
        app.store
            .write(|tx| Box::pin(async move { tx.insert_comment(&new).await }))
            .await
            .unwrap();
    }
    app.caught_up().await;
    let (status, _, comments) = json(
        &app,
        &format!("/wp-json/wp/v2/comments?per_page=100&post={post}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let comments = comments.as_array().unwrap();
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert!(
        comments[0]["content"]["rendered"]
            .as_str()
            .unwrap()
            .contains("Seen by all.")
    );
    let (_, _, of_post) = json(
        &app,
        &format!("/wp-json/wp/v2/comments?post={post}&per_page=100"),
    )
    .await;
    assert!(
        of_post
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["post"] == post)
    );
    let raw = app
        .get("/wp-json/wp/v2/comments?per_page=100")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains("author_email") && !raw.contains("author_ip"),
        "{raw}"
    );
    let comment = comments[0]["id"].as_i64().unwrap();
    let (status, _, one) = json(&app, &format!("/wp-json/wp/v2/comments/{comment}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], comment);

    // Sites without pretty links use ?rest_route=; it leads to the same answer.
    let routed = app.get("/?rest_route=/wp/v2/posts&per_page=2").await;
    assert_eq!(routed.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        routed.headers()["location"],
        "/wp-json/wp/v2/posts?per_page=2"
    );

    // _fields trims each item, dotted paths included; context=edit needs an editor.
    let (_, _, trimmed) = json(
        &app,
        "/wp-json/wp/v2/posts?per_page=2&_fields=id,title.rendered",
    )
    .await;
    assert_eq!(
        trimmed[0],
        serde_json::json!({ "id": first["id"], "title": { "rendered": first["title"]["rendered"] } })
    );
    let (status, _, body) = json(&app, "/wp-json/wp/v2/posts?context=edit").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "rest_forbidden_context");

    // The OpenAPI document describes every route the index lists, and no other.
    let (status, _, openapi) = json(&app, "/wp-json/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(openapi["openapi"], "3.1.0");
    let documented: std::collections::BTreeSet<String> = openapi["paths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let listed: std::collections::BTreeSet<String> = index["routes"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|route| route.as_str() != "/")
        .map(|route| format!("/wp-json{}", openapi_path(route)))
        .collect();
    assert_eq!(documented, listed);
    // Every documented method of every path is routed: never `rest_no_route` or 405.
    for (path, operations) in openapi["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{id}", "1")
            .replace("{parent}", "1")
            .replace("{type}", "post")
            .replace("{status}", "publish")
            .replace("{taxonomy}", "category");
        let route = index["routes"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(route, _)| format!("/wp-json{}", openapi_path(route)) == *path)
            .unwrap()
            .1;
        for method in operations.as_object().unwrap().keys() {
            let upper = method.to_uppercase();
            assert!(
                route["methods"]
                    .as_array()
                    .unwrap()
                    .contains(&upper.clone().into()),
                "{upper} {path} is documented but not in the index"
            );
            let response = app
                .client
                .request(
                    reqwest::Method::from_bytes(upper.as_bytes()).unwrap(),
                    format!("http://{}{concrete}", app.address),
                )
                .send()
                .await
                .unwrap();
            assert_ne!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{upper} {path}"
            );
            let body = response.text().await.unwrap();
            assert!(
                !body.contains("rest_no_route"),
                "{upper} {path} is documented but not routed"
            );
        }
    }

    // Search finds words in public articles, never in a password-protected one's text.
    let mut protected = gazette_store::NewArticle::draft(
        "A locked story",
        "The word zanzibarquokka is behind the password.",
        gazette_render::render_body(
            gazette_core::BodyFormat::Markdown,
            "The word zanzibarquokka is behind the password.",
        ),
        gazette_render::RENDER_VERSION,
    );
    protected.status = Status::Published;
    protected.password = Some("secret".into());
    protected.published_at = Some(gazette_core::Clock::now(&*app.clock));
    protected.slug = gazette_core::Slug::parse("a-locked-story").unwrap();
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(protected).await }))
        .await
        .unwrap();
    // Anonymous reads come from the page cache, which follows the change log.
    app.caught_up().await;
    let (_, headers, found) = json(&app, "/wp-json/wp/v2/posts?search=zanzibarquokka").await;
    assert_eq!(headers["x-wp-total"], "0", "{found}");
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/posts?search=locked%20story").await;
    assert_eq!(
        headers["x-wp-total"], "0",
        "the headline of a protected article is not searched either"
    );
    let headline_word = first["title"]["rendered"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_owned();
    let (_, headers, _) = json(
        &app,
        &format!("/wp-json/wp/v2/posts?search={headline_word}"),
    )
    .await;
    assert_ne!(headers["x-wp-total"], "0");

    // WordPress's errors, with its codes and statuses.
    for (path, status, code) in [
        (
            "/wp-json/wp/v2/posts/999999",
            StatusCode::NOT_FOUND,
            "rest_post_invalid_id",
        ),
        (
            "/wp-json/wp/v2/posts?per_page=0",
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
        ),
        (
            "/wp-json/wp/v2/posts?per_page=101",
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
        ),
        (
            "/wp-json/wp/v2/posts?page=9999",
            StatusCode::BAD_REQUEST,
            "rest_post_invalid_page_number",
        ),
        (
            "/wp-json/wp/v2/posts?status=draft",
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
        ),
        (
            "/wp-json/wp/v2/nothing",
            StatusCode::NOT_FOUND,
            "rest_no_route",
        ),
        (
            "/wp-json/wp/v2/categories/999999",
            StatusCode::NOT_FOUND,
            "rest_term_invalid",
        ),
        (
            "/wp-json/wp/v2/users/999999",
            StatusCode::NOT_FOUND,
            "rest_user_invalid_id",
        ),
    ] {
        let (got, _, body) = json(&app, path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["code"], code, "{path}: {body}");
        assert_eq!(body["data"]["status"], status.as_u16(), "{path}");
    }
    let (_, _, invalid) = json(&app, "/wp-json/wp/v2/posts?per_page=0").await;
    assert!(
        invalid["data"]["params"]["per_page"].is_string(),
        "{invalid}"
    );

    // What readers cannot see, the API does not show: a draft is neither listed, searched nor
    // read without credentials, and is read with them.
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/posts").await;
    let total_before = headers["x-wp-total"].clone();
    let mut draft = gazette_store::NewArticle::draft(
        "An unfinished quokkafjord story",
        "The word quokkafjord is not public yet.",
        gazette_render::render_body(
            gazette_core::BodyFormat::Markdown,
            "The word quokkafjord is not public yet.",
        ),
        gazette_render::RENDER_VERSION,
    );
    draft.slug = gazette_core::Slug::parse("an-unfinished-story").unwrap();
    let draft = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_article(draft).await }))
        .await
        .unwrap();
    assert_eq!(draft.status, Status::Draft);
    app.caught_up().await;
    let draft_path = format!("/wp-json/wp/v2/posts/{}", draft.id.0);
    let (status, _, body) = json(&app, &draft_path).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "rest_forbidden", "{body}");
    let (status, _, body) = json(&app, &format!("{draft_path}?context=edit")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    for listing in [
        "/wp-json/wp/v2/posts?search=quokkafjord".to_owned(),
        format!("/wp-json/wp/v2/posts?include={}", draft.id.0),
        "/wp-json/wp/v2/posts?slug=an-unfinished-story".to_owned(),
    ] {
        let (status, headers, found) = json(&app, &listing).await;
        assert_eq!(status, StatusCode::OK, "{listing}: {found}");
        assert_eq!(found, serde_json::json!([]), "{listing}");
        assert_eq!(headers["x-wp-total"], "0", "{listing}");
    }
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/posts").await;
    assert_eq!(
        headers["x-wp-total"], total_before,
        "the total counts published posts only"
    );
    let admin = administrator(&app).await;
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, admin.id, "drafts")
        .await
        .unwrap();
    let seen: Value = {
        let response = app
            .client
            .get(app.url(&format!("{draft_path}?context=edit")))
            .basic_auth(admin.email.as_str(), Some(&secret))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "with credentials");
        response.json().await.unwrap()
    };
    assert_eq!(seen["id"], draft.id.0, "{seen}");
    assert_eq!(seen["status"], "draft", "{seen}");
    assert_eq!(seen["title"]["raw"], "An unfinished quokkafjord story");
}

#[tokio::test]
async fn the_api_reads_like_wordpress_on_sqlite() {
    the_api_reads_like_wordpress(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn the_api_reads_like_wordpress_on_postgres() {
    the_api_reads_like_wordpress(Backend::Postgres).await;
}
