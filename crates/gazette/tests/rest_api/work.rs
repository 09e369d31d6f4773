//! The API does the work a page needs, not the work of the whole collection: comments are
//! filtered, paged and counted in the database, whatever their number; searches go through
//! the node's index (every word, in the article's own text) and are paged there; `_embed`
//! reads the replies of a whole page of posts at once. Each test counts what comes back past
//! the caps the API once had (10,000 comments, 1,000 search matches), so it fails if a
//! listing is loaded whole and cut again.

use gazette_core::{
    ArticleId, Clock as _, CommentId, CommentStatus, SafeHtml, Slug, Status, TagId,
};
use gazette_store::{ImportedArticle, ImportedComment, NewArticle, NewTag};
use gazette_testkit::{Backend, TestApp};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::Value;

use super::json;

gazette_testkit::on_both_backends!(
    comments_are_paged_and_counted_in_the_database,
    comments_are_filtered_like_wordpress,
    searches_go_through_the_index_and_are_paged_there,
    embedded_replies_are_each_posts_own,
    terms_come_in_name_order_page_after_page,
);

/// More comments than the old in-memory listing read (10,000).
const MANY_COMMENTS: i64 = 10_001;
/// More matches than the old search loaded (1,000).
const MANY_ARTICLES: i64 = 1_001;

/// A published article without a password, written now.
async fn published(app: &TestApp, headline: &str) -> ArticleId {
    let mut new = NewArticle::draft(
        headline,
        "Plain words.",
        SafeHtml::assume_sanitized("<p>Plain words.</p>".into()),
        gazette_render::RENDER_VERSION,
    );
    new.status = Status::Published;
    new.published_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap()
        .id
}

/// An approved comment with its id and time, for a bulk import.
fn approved(article: ArticleId, id: i64, at: Timestamp, body: &str) -> ImportedComment {
    ImportedComment {
        id: CommentId(id),
        comment: super::comment(article, CommentStatus::Approved, body),
        created_at: at,
    }
}

/// Stores comments in bulk (as an import does: thousands in a few statements) and waits
/// for the node to follow.
async fn import_comments(app: &TestApp, comments: Vec<ImportedComment>) {
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.import_comments(comments).await?;
                tx.finish_import().await
            })
        })
        .await
        .unwrap();
    app.caught_up().await;
}

fn ids(body: &Value) -> Vec<i64> {
    body.as_array()
        .unwrap_or_else(|| panic!("not a list: {body}"))
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

fn total(headers: &reqwest::header::HeaderMap) -> u64 {
    headers["x-wp-total"].to_str().unwrap().parse().unwrap()
}

async fn comments_are_paged_and_counted_in_the_database(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let article = published(&app, "A busy thread").await;
    let first = app.clock.now() - SignedDuration::from_hours(10);
    // Comment n is n seconds newer than the first, so ids and dates agree.
    let base = 1_000_000;
    let comments = (0..MANY_COMMENTS)
        .map(|n| {
            let at = first + SignedDuration::from_secs(n);
            approved(article, base + n, at, &format!("Comment {n}."))
        })
        .collect();
    import_comments(&app, comments).await;
    let newest = base + MANY_COMMENTS - 1;

    let path = format!("/wp-json/wp/v2/comments?post={}&per_page=100", article.0);
    let (status, headers, page) = json(&app, &path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        total(&headers),
        MANY_COMMENTS as u64,
        "every comment counts"
    );
    assert_eq!(headers["x-wp-totalpages"], "101");
    let page = ids(&page);
    assert_eq!(page.len(), 100, "a page holds per_page comments");
    assert_eq!(page[0], newest, "newest first");
    assert!(page.windows(2).all(|w| w[0] > w[1]), "{page:?}");

    // The last page holds the oldest comment, past any cap.
    let (status, _, last) = json(&app, &format!("{path}&page=101")).await;
    assert_eq!(status, StatusCode::OK, "{last}");
    assert_eq!(ids(&last), [base]);
    let (status, _, oldest) = json(
        &app,
        &format!(
            "/wp-json/wp/v2/comments?post={}&per_page=2&order=asc",
            article.0
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{oldest}");
    assert_eq!(ids(&oldest), [base, base + 1]);

    // Every public comment, across articles, is counted too.
    let (_, headers, _) = json(&app, "/wp-json/wp/v2/comments?per_page=1").await;
    assert!(total(&headers) >= MANY_COMMENTS as u64);
}

/// `post` (several), `parent` (0 for the top level), `search` (author's name and text,
/// never emails or addresses), `include`, `exclude`, `before`, `after`, `order` and
/// `orderby`, as WordPress reads them.
async fn comments_are_filtered_like_wordpress(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let a = published(&app, "First story").await;
    let b = published(&app, "Second story").await;
    let mut locked = NewArticle::draft(
        "Members only",
        "Locked.",
        SafeHtml::assume_sanitized("<p>Locked.</p>".into()),
        gazette_render::RENDER_VERSION,
    );
    locked.status = Status::Published;
    locked.password = Some("secret".into());
    locked.published_at = Some(app.clock.now());
    let locked = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_article(locked).await }))
        .await
        .unwrap()
        .id;
    let start = app.clock.now();
    let at = |minutes: i64| start + SignedDuration::from_mins(minutes);
    let base = 3_000_000;
    let mut top = approved(a, base, at(1), "Glaciers melt.");
    top.comment.author_name = "Ada Lovelace".into();
    let mut reply = approved(a, base + 1, at(2), "Indeed they do.");
    reply.comment.parent = Some(CommentId(base));
    reply.comment.depth = 1;
    let mut other = approved(b, base + 2, at(3), "Snow fell.");
    other.comment.author_name = "Bob".into();
    let mut held = approved(a, base + 4, at(5), "Held back.");
    held.comment.status = CommentStatus::Pending;
    let hidden = approved(locked, base + 5, at(6), "Behind the password.");
    import_comments(&app, vec![top, reply, other, held, hidden]).await;
    // Attached under the top comment, answering the reply (a thread at its deepest), as the
    // comment form stores it (imports know no such replies).
    app.clock.set(at(4));
    let mut answer = super::comment(a, CommentStatus::Approved, "Not everywhere.");
    answer.parent = Some(CommentId(base));
    answer.answered = Some(CommentId(base + 1));
    answer.depth = 1;
    let answer = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_comment(&answer).await }))
        .await
        .unwrap()
        .id()
        .0;
    app.caught_up().await;

    let listed = |query: String| {
        let app = &app;
        async move {
            let path = format!("/wp-json/wp/v2/comments?{query}");
            let (status, headers, body) = json(app, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            assert_eq!(total(&headers), ids(&body).len() as u64, "{path}");
            ids(&body)
        }
    };
    let ab = format!("post={},{}", a.0, b.0);
    assert_eq!(
        listed(ab.clone()).await,
        [answer, base + 2, base + 1, base],
        "approved comments of public posts, newest first"
    );
    assert_eq!(
        listed(format!("post[]={}&post[]={}", a.0, b.0)).await.len(),
        4
    );
    assert_eq!(
        listed(format!("post={}", locked.0)).await,
        Vec::<i64>::new()
    );
    assert_eq!(listed(format!("{ab}&parent=0")).await, [base + 2, base]);
    assert_eq!(listed(format!("{ab}&parent={base}")).await, [base + 1]);
    assert_eq!(listed(format!("{ab}&parent={}", base + 1)).await, [answer]);
    assert_eq!(
        listed(format!("{ab}&parent=0,{}", base + 1)).await,
        [answer, base + 2, base]
    );
    assert_eq!(listed(format!("{ab}&search=lovelace")).await, [base]);
    assert_eq!(listed(format!("{ab}&search=SNOW")).await, [base + 2]);
    for private in ["reader@example.org", "192.0.2.7", "Held"] {
        assert_eq!(
            listed(format!("{ab}&search={private}")).await,
            Vec::<i64>::new(),
            "{private} is not searched"
        );
    }
    assert_eq!(
        listed(format!("{ab}&include={},{}", base, base + 4)).await,
        [base],
        "include never shows what is not public"
    );
    assert_eq!(
        listed(format!("{ab}&exclude={},{}", base, answer)).await,
        [base + 2, base + 1]
    );
    let time = |minutes: i64| at(minutes).to_string();
    assert_eq!(
        listed(format!("{ab}&after={}&before={}", time(1), time(4))).await,
        [base + 2, base + 1],
        "after and before are strict"
    );
    assert_eq!(
        listed(format!("{ab}&order=asc")).await,
        [base, base + 1, base + 2, answer]
    );
    let (_, headers, paged) = json(
        &app,
        &format!("/wp-json/wp/v2/comments?{ab}&orderby=id&order=asc&per_page=2&page=2"),
    )
    .await;
    assert_eq!(total(&headers), 4);
    assert_eq!(ids(&paged), [base + 2, answer]);
    assert_eq!(
        listed(format!("{ab}&orderby=post&order=asc")).await,
        [base, base + 1, answer, base + 2]
    );

    for bad in [
        "orderby=author",
        "order=sideways",
        "parent=x",
        "after=yesterday",
    ] {
        let (status, _, body) = json(&app, &format!("/wp-json/wp/v2/comments?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["code"], "rest_invalid_param", "{bad}");
    }
}

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
