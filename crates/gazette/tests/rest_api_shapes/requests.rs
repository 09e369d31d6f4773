//! The requests of the recording script sent to Gazette, the content seeded for them, and
//! the test that compares each answer's status and shape with WordPress's recording.

use std::collections::{BTreeMap, BTreeSet};

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{KNOWN, compare, recordings};

/// One request of the recording script, as sent to Gazette.
struct Request {
    slug: &'static str,
    method: Method,
    path: String,
    auth: Auth,
    body: Option<Body>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    None,
    App,
    WrongPassword,
}

enum Body {
    Json(Value),
    Raw(&'static str),
    Png(Vec<u8>),
}

fn request(slug: &'static str, method: Method, path: String, auth: Auth) -> Request {
    Request {
        slug,
        method,
        path,
        auth,
        body: None,
    }
}

/// A signed-in client of the journal, for seeding it through the API.
struct Seeder<'a> {
    app: &'a TestApp,
    user: String,
    secret: String,
}

impl Seeder<'_> {
    async fn send(
        &self,
        method: Method,
        path: &str,
        auth: Auth,
        body: Option<&Body>,
    ) -> (StatusCode, Value) {
        let url = format!("http://{}/wp-json{path}", self.app.address);
        let mut builder = self.app.client.request(method, &url);
        builder = match auth {
            Auth::None => builder,
            Auth::App => builder.basic_auth(&self.user, Some(&self.secret)),
            Auth::WrongPassword => builder.basic_auth(&self.user, Some("wrong password")),
        };
        builder = match body {
            None => builder,
            Some(Body::Json(value)) => builder.json(value),
            Some(Body::Raw(text)) => builder
                .header("content-type", "application/json")
                .body(*text),
            Some(Body::Png(bytes)) => builder
                .header("content-type", "image/png")
                .header("content-disposition", "attachment; filename=pixel.png")
                .body(bytes.clone()),
        };
        let response = builder.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn create(&self, path: &str, body: Value) -> i64 {
        let (status, created) = self
            .send(Method::POST, path, Auth::App, Some(&Body::Json(body)))
            .await;
        assert!(status.is_success(), "{path}: {created}");
        created["id"].as_i64().unwrap()
    }
}

async fn shapes_match_wordpress(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let dir = recordings();
    let admin = app
        .store
        .people()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.role == Role::Administrator)
        .unwrap();
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, admin.id, "shapes")
        .await
        .unwrap();
    let seeder = Seeder {
        app: &app,
        user: admin.email.as_str().to_owned(),
        secret,
    };

    // The recorded site's content, made through the API.
    let (status, media) = seeder
        .send(
            Method::POST,
            "/wp/v2/media",
            Auth::App,
            Some(&Body::Png(gazette_media::fixtures::plain_png(640, 480))),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{media}");
    let media = media["id"].as_i64().unwrap();
    let world = seeder
        .create(
            "/wp/v2/categories",
            json!({ "name": "Glaciology", "description": "Ice and what melts it." }),
        )
        .await;
    let climate = seeder
        .create("/wp/v2/tags", json!({ "name": "Meltwater" }))
        .await;
    let post = seeder
        .create(
            "/wp/v2/posts",
            json!({
                "title": "Alpine glaciers shrink again",
                "content": "<p>Alpine glaciers lost another record share of their ice this summer, surveyors say.</p><blockquote><p>We are watching them disappear in real time.</p><cite>A glaciologist</cite></blockquote>",
                "excerpt": "Surveyors report another record loss of glacier ice.",
                "status": "publish",
                "categories": [world],
                "tags": [climate],
                "featured_media": media,
            }),
        )
        .await;
    seeder
        .create(
            &format!("/wp/v2/posts/{post}"),
            json!({ "content": "<p>Alpine glaciers lost another record share of their ice this summer, surveyors say.</p><p>Update: the survey was repeated in September.</p>" }),
        )
        .await;
    let protected = seeder
        .create("/wp/v2/posts", json!({ "title": "Members briefing", "content": "<p>Locked.</p>", "status": "publish", "password": "secret", "categories": [world] }))
        .await;
    let draft = seeder
        .create(
            "/wp/v2/posts",
            json!({ "title": "Unfinished", "status": "draft" }),
        )
        .await;
    let page = seeder
        .create(
            "/wp/v2/pages",
            json!({ "title": "About us", "content": "<p>Who we are.</p>", "status": "publish" }),
        )
        .await;
    let (_, reader) = seeder
        .send(
            Method::POST,
            "/wp/v2/comments",
            Auth::None,
            Some(&Body::Json(json!({ "post": post, "author_name": "Ada Reader", "author_email": "ada@example.org", "author_url": "https://ada.example.org/", "content": "Sad news." }))),
        )
        .await;
    let comment = reader["id"].as_i64().unwrap();
    seeder
        .create(
            &format!("/wp/v2/comments/{comment}"),
            json!({ "status": "approved" }),
        )
        .await;
    seeder
        .create(
            "/wp/v2/comments",
            json!({ "post": post, "parent": comment, "content": "Thank you." }),
        )
        .await;
    let (_, revisions) = seeder
        .send(
            Method::GET,
            &format!("/wp/v2/posts/{post}/revisions"),
            Auth::App,
            None,
        )
        .await;
    let revision = revisions[0]["id"].as_i64().unwrap();
    app.caught_up().await;

    let v2 = |path: &str| format!("/wp/v2{path}");
    let get = |slug, path: String| request(slug, Method::GET, path, Auth::None);
    let get_signed_in = |slug, path: String| request(slug, Method::GET, path, Auth::App);
    let mut requests = vec![
        get("index", "/".into()),
        get("posts-list", v2("/posts")),
        get("posts-list-page-2", v2("/posts?per_page=1&page=2")),
        get("posts-get", v2(&format!("/posts/{post}"))),
        get("posts-get-protected", v2(&format!("/posts/{protected}"))),
        get("posts-get-embed", v2(&format!("/posts/{post}?_embed=1"))),
        get_signed_in("posts-get-edit", v2(&format!("/posts/{post}?context=edit"))),
        get("posts-list-edit-anon", v2("/posts?context=edit")),
        get("posts-get-missing", v2("/posts/999999")),
        get("posts-get-draft-anon", v2(&format!("/posts/{draft}"))),
        get("posts-list-per-page-101", v2("/posts?per_page=101")),
        get("posts-list-page-99", v2("/posts?page=99")),
        get("route-missing", v2("/nope")),
        get("posts-list-bad-after", v2("/posts?after=notadate")),
        get_signed_in("posts-revisions", v2(&format!("/posts/{post}/revisions"))),
        get_signed_in(
            "posts-revision-get",
            v2(&format!("/posts/{post}/revisions/{revision}")),
        ),
        get("pages-list", v2("/pages")),
        get("pages-get", v2(&format!("/pages/{page}"))),
        get("categories-list", v2("/categories")),
        get("categories-get", v2(&format!("/categories/{world}"))),
        get("tags-list", v2("/tags")),
        get("tags-get", v2(&format!("/tags/{climate}"))),
        get("users-list", v2("/users")),
        get("users-get", v2(&format!("/users/{}", admin.id.0))),
        get_signed_in("users-me", v2("/users/me")),
        get("comments-list", v2("/comments")),
        get(
            "comments-list-by-post",
            v2(&format!("/comments?post={post}")),
        ),
        get("comments-get", v2(&format!("/comments/{comment}"))),
        get_signed_in(
            "comments-get-edit",
            v2(&format!("/comments/{comment}?context=edit")),
        ),
        get("media-list", v2("/media")),
        get("media-get", v2(&format!("/media/{media}"))),
        get("types-list", v2("/types")),
        get("types-get-post", v2("/types/post")),
        get("statuses-list", v2("/statuses")),
        get("statuses-get-publish", v2("/statuses/publish")),
        get("taxonomies-list", v2("/taxonomies")),
        get("taxonomies-get-category", v2("/taxonomies/category")),
        get("search", v2("/search?search=glacier")),
        get_signed_in("settings-get", v2("/settings")),
        get("settings-get-anon", v2("/settings")),
    ];
    let new_post = json!({ "title": "Written by an app", "content": "<p>Hello.</p>", "status": "publish", "categories": [world], "tags": [climate] });
    let write = |slug, method, path: String, auth, body| Request {
        slug,
        method,
        path,
        auth,
        body: Some(body),
    };
    requests.extend([
        write(
            "posts-create",
            Method::POST,
            v2("/posts"),
            Auth::App,
            Body::Json(new_post.clone()),
        ),
        write(
            "posts-create-bad-json",
            Method::POST,
            v2("/posts"),
            Auth::App,
            Body::Raw("{\"title\":"),
        ),
        write(
            "posts-create-anon",
            Method::POST,
            v2("/posts"),
            Auth::None,
            Body::Json(new_post.clone()),
        ),
        write(
            "posts-create-bad-password",
            Method::POST,
            v2("/posts"),
            Auth::WrongPassword,
            Body::Json(new_post),
        ),
    ]);

    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut note = |slug: &str, difference: String| {
        found.entry(difference).or_default().insert(slug.to_owned());
    };
    // The writes that act on what `posts-create` and friends made are sent after them.
    let mut made: BTreeMap<&str, i64> = BTreeMap::new();
    let mut pending: Vec<Request> = requests;
    let later = |made: &BTreeMap<&str, i64>| -> Vec<Request> {
        let new_post = made["posts-create"];
        let new_comment = made["comments-create"];
        vec![
            write(
                "posts-update",
                Method::POST,
                v2(&format!("/posts/{new_post}")),
                Auth::App,
                Body::Json(json!({ "title": "changed" })),
            ),
            request(
                "posts-trash",
                Method::DELETE,
                v2(&format!("/posts/{new_post}")),
                Auth::App,
            ),
            request(
                "posts-delete-force",
                Method::DELETE,
                v2(&format!("/posts/{new_post}?force=true")),
                Auth::App,
            ),
            write(
                "comments-update-hold",
                Method::POST,
                v2(&format!("/comments/{new_comment}")),
                Auth::App,
                Body::Json(json!({ "status": "hold" })),
            ),
            request(
                "comments-delete",
                Method::DELETE,
                v2(&format!("/comments/{new_comment}")),
                Auth::App,
            ),
        ]
    };
    pending.extend([
        write("pages-create", Method::POST, v2("/pages"), Auth::App, Body::Json(json!({ "title": "Corrections policy", "content": "<p>We correct.</p>", "status": "publish" }))),
        write("media-upload", Method::POST, v2("/media"), Auth::App, Body::Png(gazette_media::fixtures::plain_png(200, 160))),
        write("comments-create-anon", Method::POST, v2("/comments"), Auth::None, Body::Json(json!({ "post": post, "author_name": "Anon Reader", "author_email": "anon@example.org", "content": "First!" }))),
        write("comments-create", Method::POST, v2("/comments"), Auth::App, Body::Json(json!({ "post": post, "content": "An editor's note." }))),
        write("categories-create", Method::POST, v2("/categories"), Auth::App, Body::Json(json!({ "name": "Science", "description": "Findings." }))),
        write("tags-update", Method::POST, v2(&format!("/tags/{climate}")), Auth::App, Body::Json(json!({ "description": "Our planet's weather." }))),
    ]);
    let mut second_round = false;
    loop {
        for sent in std::mem::take(&mut pending) {
            let recorded: Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join(format!("{}.json", sent.slug))).unwrap(),
            )
            .unwrap();
            let (status, body) = seeder
                .send(sent.method, &sent.path, sent.auth, sent.body.as_ref())
                .await;
            if status.is_success() {
                made.insert(sent.slug, body["id"].as_i64().unwrap_or(0));
            }
            let wp_status = recorded["status"].as_u64().unwrap();
            if u64::from(status.as_u16()) != wp_status {
                // An error against an item: the bodies are not comparable.
                note(
                    sent.slug,
                    format!("status {} {wp_status}/{}", sent.slug, status.as_u16()),
                );
                continue;
            }
            let mut differences = BTreeSet::new();
            compare("", &recorded["body"], &body, &mut differences);
            for difference in differences {
                // A list's items read like single items.
                let difference = difference.replacen(" [].", " ", 1);
                note(sent.slug, difference);
            }
        }
        if second_round {
            break;
        }
        second_round = true;
        pending = later(&made);
    }

    let known: BTreeSet<&str> = KNOWN.iter().map(|(d, _)| *d).collect();
    let undocumented: Vec<String> = found
        .iter()
        .filter(|(d, _)| !known.contains(d.as_str()))
        .map(|(d, slugs)| {
            format!(
                "{d}    ({})",
                slugs.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    let gone: Vec<&&str> = known.iter().filter(|d| !found.contains_key(**d)).collect();
    assert!(
        undocumented.is_empty() && gone.is_empty(),
        "undocumented differences from WordPress:\n{}\n\ndocumented differences that no longer occur:\n{gone:#?}",
        undocumented.join("\n")
    );
}

#[tokio::test]
async fn shapes_match_wordpress_on_sqlite() {
    shapes_match_wordpress(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn shapes_match_wordpress_on_postgres() {
    shapes_match_wordpress(Backend::Postgres).await;
}
