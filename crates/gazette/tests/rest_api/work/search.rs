//! Searches through the node's index, paged there.

use gazette_core::{ArticleId, Clock as _, SafeHtml, Slug, Status, TagId};
use gazette_store::{ImportedArticle, NewArticle, NewTag};
use gazette_testkit::{Backend, TestApp};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;

use super::super::json;
use super::{MANY_ARTICLES, ids, total};

gazette_testkit::on_both_backends!(searches_go_through_the_index_and_are_paged_there);

/// A run of imported articles, each with `word` in its body, one second apart (the oldest
/// first, its id `base`), the oldest with the word in its headline too.
fn dispatches(base: i64, first: Timestamp, word: &str, tag: TagId) -> Vec<ImportedArticle> {
    (0..MANY_ARTICLES)
        .map(|n| {
            let headline = if n == 0 {
                format!("{word} at the top")
            } else {
                format!("Dispatch {n}")
            };
            let text = format!("Today's {word} count is {n}.");
            let mut article = NewArticle::draft(
                &headline,
                &text,
                SafeHtml::assume_sanitized(format!("<p>{text}</p>")),
                gazette_render::RENDER_VERSION,
            );
            let at = first + SignedDuration::from_secs(n);
            article.id = Some(ArticleId(base + n));
            article.slug = Slug::parse(&format!("dispatch-{n}")).unwrap();
            article.status = Status::Published;
            article.published_at = Some(at);
            if n == 1 {
                article.tags = vec![tag];
            }
            ImportedArticle {
                article,
                created_at: at,
                updated_at: at,
            }
        })
        .collect()
}

async fn searches_go_through_the_index_and_are_paged_there(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let tag = NewTag {
        slug: Slug::parse("zyzzyvas").unwrap(),
        name: "Zyzzyvas".into(),
        description: String::new(),
    };
    let tag = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_tag(&tag).await }))
        .await
        .unwrap()
        .id;
    let base = 500_000;
    let first = app.clock.now() - SignedDuration::from_hours(2);
    let articles = dispatches(base, first, "Quokkas", tag);
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.import_articles(articles).await?;
                tx.finish_import().await
            })
        })
        .await
        .unwrap();
    app.caught_up().await;
    let newest = base + MANY_ARTICLES - 1;

    // WordPress's default order for a search is the date; every match counts and pages.
    let (status, headers, page) =
        json(&app, "/wp-json/wp/v2/posts?search=quokkas&per_page=100").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(total(&headers), MANY_ARTICLES as u64);
    let page = ids(&page);
    assert_eq!(page.len(), 100);
    assert_eq!(page[..3], [newest, newest - 1, newest - 2]);
    let (status, _, last) = json(
        &app,
        "/wp-json/wp/v2/posts?search=quokkas&per_page=100&page=11",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{last}");
    assert_eq!(ids(&last), [base]);
    let (_, _, oldest) = json(
        &app,
        "/wp-json/wp/v2/posts?search=quokkas&per_page=2&order=asc",
    )
    .await;
    assert_eq!(ids(&oldest), [base, base + 1]);

    // Relevance only when asked for: the headline's match comes first.
    let (_, headers, best) = json(
        &app,
        "/wp-json/wp/v2/posts?search=quokkas&orderby=relevance&per_page=3",
    )
    .await;
    assert_eq!(total(&headers), MANY_ARTICLES as u64);
    assert_eq!(ids(&best)[0], base, "{best}");
    let (_, _, best_desc) = json(
        &app,
        "/wp-json/wp/v2/posts?search=quokkas&orderby=relevance&order=desc&per_page=3",
    )
    .await;
    assert_eq!(ids(&best_desc)[0], base, "order does not undo relevance");

    // Every word must match, in the article's own text: not in its tags' names.
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/posts?search=quokkas%20platypus").await;
    assert_eq!(total(&headers), 0);
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/posts?search=zyzzyvas").await;
    assert_eq!(
        total(&headers),
        0,
        "WordPress searches titles, excerpts and content"
    );
    let (_, headers, _) = json(
        &app,
        "/wp-json/wp/v2/posts?search=dispatch%20quokkas&per_page=1",
    )
    .await;
    assert_eq!(total(&headers), (MANY_ARTICLES - 1) as u64);

    // Filters the index cannot apply, and other orders, are applied to its matches.
    let demo = app
        .store
        .articles_with_status(Status::Published, 10_000)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id.0)
        .find(|id| *id < base)
        .unwrap();
    let (_, headers, included) = json(
        &app,
        &format!(
            "/wp-json/wp/v2/posts?search=quokkas&include={base},{},{demo}",
            base + 5
        ),
    )
    .await;
    assert_eq!(total(&headers), 2);
    assert_eq!(ids(&included), [base + 5, base]);
    let (_, _, by_relevance) = json(
        &app,
        &format!(
            "/wp-json/wp/v2/posts?search=quokkas&include={},{base}&orderby=relevance",
            base + 5
        ),
    )
    .await;
    assert_eq!(ids(&by_relevance), [base, base + 5]);
    let (_, headers, by_id) = json(
        &app,
        "/wp-json/wp/v2/posts?search=quokkas&orderby=id&order=asc&per_page=3&page=2",
    )
    .await;
    assert_eq!(total(&headers), MANY_ARTICLES as u64);
    assert_eq!(ids(&by_id), [base + 3, base + 4, base + 5]);
    let after = (first + SignedDuration::from_secs(MANY_ARTICLES - 3)).to_string();
    let (_, headers, recent) = json(
        &app,
        &format!("/wp-json/wp/v2/posts?search=quokkas&after={after}"),
    )
    .await;
    assert_eq!(total(&headers), 2);
    assert_eq!(ids(&recent), [newest, newest - 1]);

    // The search route pages the index too, best matches first, as WordPress's does.
    let (status, headers, results) =
        json(&app, "/wp-json/wp/v2/search?search=quokkas&per_page=5").await;
    assert_eq!(status, StatusCode::OK, "{results}");
    assert_eq!(total(&headers), MANY_ARTICLES as u64);
    let results = ids(&results);
    assert_eq!(results.len(), 5);
    assert_eq!(results[0], base);
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/search?per_page=1").await;
    assert!(
        total(&headers) > MANY_ARTICLES as u64,
        "without words, every post"
    );

    // Readers' search page still finds names.
    let (status, html) = app.get_text("/search/?q=zyzzyvas").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Dispatch 1<"), "{html}");
}
