//! Embedded replies, each post's own; terms in name order, page after page.

use gazette_core::{Clock as _, CommentStatus, Slug};
use gazette_store::{ImportedComment, NewTag};
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::Value;

use super::super::json;
use super::{approved, ids, import_comments, published, total};

gazette_testkit::on_both_backends!(
    embedded_replies_are_each_posts_own,
    terms_come_in_name_order_page_after_page,
);

async fn embedded_replies_are_each_posts_own(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let busy = published(&app, "Busy").await;
    let quiet = published(&app, "Quiet").await;
    let silent = published(&app, "Silent").await;
    let first = app.clock.now() - SignedDuration::from_hours(1);
    let at = |n: i64| first + SignedDuration::from_secs(n);
    let base = 4_000_000;
    let mut comments: Vec<ImportedComment> = (0..101)
        .map(|n| approved(busy, base + n, at(n), &format!("Busy {n}.")))
        .collect();
    comments.push(approved(quiet, base + 200, at(5), "Quiet, older."));
    comments.push(approved(quiet, base + 201, at(500), "Quiet, newer."));
    let mut held = approved(quiet, base + 202, at(600), "Held.");
    held.comment.status = CommentStatus::Pending;
    comments.push(held);
    import_comments(&app, comments).await;

    let path = format!(
        "/wp-json/wp/v2/posts?include={},{},{}&_embed=replies&orderby=id&order=asc",
        busy.0, quiet.0, silent.0
    );
    let (status, _, posts) = json(&app, &path).await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    let posts = posts.as_array().unwrap();
    assert_eq!(posts.len(), 3);
    let replies = |post: &Value| -> Vec<i64> {
        let embedded = &post["_embedded"]["replies"][0];
        for reply in embedded.as_array().into_iter().flatten() {
            assert_eq!(reply["post"], post["id"], "{reply}");
        }
        ids(embedded)
    };
    let busy_replies = replies(&posts[0]);
    assert_eq!(busy_replies.len(), 100, "at most 100 under a post");
    assert_eq!(busy_replies[0], base + 100, "newest first");
    assert_eq!(busy_replies[99], base + 1);
    assert_eq!(replies(&posts[1]), [base + 201, base + 200]);
    assert!(
        posts[2]["_embedded"].get("replies").is_none(),
        "{}",
        posts[2]
    );
}

/// Categories and tags come from the site's snapshot by name (WordPress's default order),
/// then id, so paging through them meets each once, even across snapshots.
async fn terms_come_in_name_order_page_after_page(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let names = ["Zoology", "quarts", "Books", "economy", "Quarts"];
    for (n, name) in names.into_iter().enumerate() {
        let slug = Slug::parse(&format!("term-{n}")).unwrap();
        let section = gazette_store::NewSection {
            slug: slug.clone(),
            name: name.to_owned(),
            description: String::new(),
            parent: None,
        };
        let tag = NewTag {
            slug,
            name: name.to_owned(),
            description: String::new(),
        };
        app.store
            .write(|tx| {
                Box::pin(async move {
                    tx.insert_section(&section).await?;
                    tx.insert_tag(&tag).await
                })
            })
            .await
            .unwrap();
    }
    app.caught_up().await;
    for route in ["categories", "tags"] {
        let (_, headers, all) = json(&app, &format!("/wp-json/wp/v2/{route}?per_page=100")).await;
        let all = all.as_array().unwrap().clone();
        let key = |term: &Value| {
            (
                term["name"].as_str().unwrap().to_lowercase(),
                term["id"].as_i64().unwrap(),
            )
        };
        let keys: Vec<(String, i64)> = all.iter().map(key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{route} by name, then id");
        let mut paged = Vec::new();
        for page in 1..=total(&headers).div_ceil(2) {
            // A write between pages makes a new snapshot: the order must not change with it.
            published(&app, &format!("Between {route} pages {page}")).await;
            app.caught_up().await;
            let (_, _, items) = json(
                &app,
                &format!("/wp-json/wp/v2/{route}?per_page=2&page={page}"),
            )
            .await;
            paged.extend(ids(&items));
        }
        let all_ids: Vec<i64> = all.iter().map(|t| t["id"].as_i64().unwrap()).collect();
        assert_eq!(paged, all_ids, "{route}: every term once");
        let (_, _, found) = json(&app, &format!("/wp-json/wp/v2/{route}?search=QUARTS")).await;
        assert_eq!(ids(&found).len(), 2, "{route}: {found}");
    }
}
