//! Comments paged, counted and filtered in the database, whatever their number.

use gazette_core::{Clock as _, CommentId, CommentStatus, SafeHtml, Status};
use gazette_store::NewArticle;
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;
use reqwest::StatusCode;

use super::super::json;
use super::{MANY_COMMENTS, approved, ids, import_comments, published, total};

gazette_testkit::on_both_backends!(
    comments_are_paged_and_counted_in_the_database,
    comments_are_filtered_like_wordpress,
);

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
    let mut answer = super::super::comment(a, CommentStatus::Approved, "Not everywhere.");
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
