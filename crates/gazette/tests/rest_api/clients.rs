//! A real third-party WordPress client, the npm package `wpapi`, finds the API from the site's
//! pages and reads it.

use gazette_core::Status;
use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

use super::administrator;

/// A real third-party client, the npm package `wpapi` (in `tools/`, run with the machine's
/// Node.js), finds the API from the site's pages and reads it.
async fn a_real_wordpress_client_reads_the_journal(backend: Backend) {
    let Some(wpapi) = gazette_testkit::configured_file("wpapi", "GAZETTE_TEST_WPAPI") else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.caught_up().await;
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wordpress/rest-client.js");
    let site = format!("http://{}/", app.address);
    let published_before = app
        .store
        .articles_with_status(Status::Published, 10_000)
        .await
        .unwrap()
        .len();
    let admin = administrator(&app).await;
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, admin.id, "wpapi test")
        .await
        .unwrap();
    let user = admin.email.as_str().to_owned();
    let image = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(image.path(), gazette_media::fixtures::plain_png(800, 600)).unwrap();
    let image_path = image.path().to_owned();
    // On a blocking thread: the server runs on this test's runtime meanwhile.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .arg(&wpapi)
            .arg(&site)
            .arg(&user)
            .arg(&secret)
            .arg(&image_path)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(read["total"], published_before, "{read}");
    let first: Vec<i64> = serde_json::from_value(read["firstIds"].clone()).unwrap();
    let next: Vec<i64> = serde_json::from_value(read["nextIds"].clone()).unwrap();
    assert_eq!(first.len(), 2);
    assert!(next.iter().all(|id| !first.contains(id)), "{read}");
    assert_eq!(read["one"]["id"], first[0]);
    assert_eq!(read["bySlug"], serde_json::json!([first[0]]));
    let article = app
        .store
        .article(gazette_core::ArticleId(first[0]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        read["one"]["title"],
        gazette_render::escape_html(&article.headline)
    );
    let category = read["one"]["categories"][0].clone();
    assert!(
        read["inCategory"]
            .as_array()
            .unwrap()
            .iter()
            .all(|categories| categories.as_array().unwrap().contains(&category)),
        "{read}"
    );
    assert!(!read["users"].as_array().unwrap().is_empty());
    assert_eq!(read["missing"]["code"], "rest_post_invalid_id");
    assert_eq!(read["missing"]["status"], 404);

    // Without credentials nothing is written; with an application password the post is
    // published and readers find it at its link.
    assert_eq!(read["anonymous"]["code"], "rest_cannot_create", "{read}");
    assert_eq!(read["anonymous"]["status"], 401);
    assert_eq!(read["created"]["status"], "publish", "{read}");
    app.caught_up().await;
    let link = url::Url::parse(read["created"]["link"].as_str().unwrap()).unwrap();
    let (status, page) = app.get_text(link.path()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Written through the REST API."), "{page}");

    // The reader's comment is held: stored, not listed with the post's comments.
    assert_eq!(read["comment"]["status"], "hold", "{read}");
    let comment_id = read["comment"]["id"].as_i64().unwrap();
    let held = app
        .store
        .comment(gazette_core::CommentId(comment_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.status, gazette_core::CommentStatus::Pending);
    assert_eq!(held.author_email, "ada@example.org");
    assert!(
        !read["postComments"]
            .as_array()
            .unwrap()
            .contains(&comment_id.into()),
        "{read}"
    );

    // The image went through the media pipeline and is served.
    assert_eq!(read["uploaded"]["alt"], "The harbour", "{read}");
    assert_eq!(read["uploaded"]["width"], 800);
    let source = url::Url::parse(read["uploaded"]["source"].as_str().unwrap()).unwrap();
    let image = app.get(source.path()).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wpapi),
    ignore = "needs GAZETTE_TEST_WPAPI (see README)"
)]
async fn a_real_wordpress_client_reads_the_journal_on_sqlite() {
    a_real_wordpress_client_reads_the_journal(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_wpapi)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_WPAPI (see README)"
)]
async fn a_real_wordpress_client_reads_the_journal_on_postgres() {
    a_real_wordpress_client_reads_the_journal(Backend::Postgres).await;
}
