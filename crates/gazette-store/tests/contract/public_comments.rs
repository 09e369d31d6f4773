//! The public comment listings of the store contract: what WordPress's REST API lists,
//! paged and counted by the database, and the newest replies of a page of posts at once.

use gazette_core::{ArticleId, Clock as _, CommentId, CommentStatus, Status};
use gazette_store::{CommentOrder, NewArticle, PublicCommentQuery};
use jiff::SignedDuration;

use super::{Harness, add_article, article, harness};

store_contract!(
    public_comments_are_paged_and_counted_in_the_database,
    public_comments_filter_by_post_parent_text_ids_and_time,
    the_newest_replies_of_several_articles_come_in_one_call,
);

async fn public_article(h: &Harness, headline: &str, password: Option<&str>) -> ArticleId {
    let mut new: NewArticle = article(headline);
    new.status = Status::Published;
    new.published_at = Some(h.clock.now());
    new.password = password.map(str::to_owned);
    add_article(&h.store, new).await.unwrap().id
}

/// A comment written now (the clock then moves a minute on), with `status`.
async fn comment_on(
    h: &Harness,
    article: ArticleId,
    body: &str,
    status: CommentStatus,
    parent: Option<CommentId>,
) -> CommentId {
    let mut new = super::comments::comment(article, "reader@example.org", body, status);
    new.parent = parent;
    new.depth = i64::from(parent.is_some());
    let id = super::comments::insert(h, new).await.id();
    h.clock.advance(SignedDuration::from_mins(1));
    id
}

async fn public_comments_are_paged_and_counted_in_the_database(h: Harness) {
    let a = public_article(&h, "Open", None).await;
    let locked = public_article(&h, "Locked", Some("secret")).await;
    let draft = add_article(&h.store, article("Draft")).await.unwrap().id;
    let mut shown = Vec::new();
    for n in 0..25 {
        shown.push(comment_on(&h, a, &format!("c{n}"), CommentStatus::Approved, None).await);
    }
    comment_on(&h, a, "held", CommentStatus::Pending, None).await;
    comment_on(&h, a, "spam", CommentStatus::Spam, None).await;
    comment_on(&h, locked, "locked", CommentStatus::Approved, None).await;
    comment_on(&h, draft, "draft", CommentStatus::Approved, None).await;

    let every = PublicCommentQuery::default();
    let page = h.store.public_comments(&every, 0, 10).await.unwrap();
    assert_eq!(page.total, 25, "only approved comments of public articles");
    let newest_first: Vec<CommentId> = shown.iter().rev().copied().collect();
    let ids = |listing: &gazette_store::CommentListing| -> Vec<CommentId> {
        listing.comments.iter().map(|c| c.id).collect()
    };
    assert_eq!(ids(&page), newest_first[..10], "one page, newest first");
    let last = h.store.public_comments(&every, 20, 10).await.unwrap();
    assert_eq!(last.total, 25);
    assert_eq!(ids(&last), newest_first[20..]);
    let past = h.store.public_comments(&every, 30, 10).await.unwrap();
    assert_eq!((past.total, past.comments.len()), (25, 0));

    let oldest_first = PublicCommentQuery {
        ascending: true,
        ..PublicCommentQuery::default()
    };
    let page = h.store.public_comments(&oldest_first, 5, 3).await.unwrap();
    assert_eq!(ids(&page), shown[5..8]);
    let by_id = PublicCommentQuery {
        order_by: CommentOrder::Id,
        ..PublicCommentQuery::default()
    };
    let page = h.store.public_comments(&by_id, 0, 2).await.unwrap();
    assert_eq!(ids(&page), newest_first[..2]);
}

async fn public_comments_filter_by_post_parent_text_ids_and_time(h: Harness) {
    let a = public_article(&h, "A", None).await;
    let b = public_article(&h, "B", None).await;
    let start = h.clock.now();
    let top = comment_on(&h, a, "Glaciers melt.", CommentStatus::Approved, None).await;
    let reply = comment_on(&h, a, "Indeed.", CommentStatus::Approved, Some(top)).await;
    let other = comment_on(&h, b, "Snow fell.", CommentStatus::Approved, None).await;
    // Attached under the top comment, answering the reply.
    let mut deep = super::comments::comment(a, "x@example.org", "Deep.", CommentStatus::Approved);
    deep.parent = Some(top);
    deep.answered = Some(reply);
    deep.depth = 1;
    deep.author_name = "Ada Lovelace".to_owned();
    let deep = super::comments::insert(&h, deep).await.id();

    let find = |query: PublicCommentQuery| {
        let store = h.store.clone();
        async move {
            let listing = store.public_comments(&query, 0, 100).await.unwrap();
            let ids: Vec<CommentId> = listing.comments.iter().map(|c| c.id).collect();
            assert_eq!(listing.total, ids.len() as u64);
            ids
        }
    };
    let query = |edit: &dyn Fn(&mut PublicCommentQuery)| {
        let mut query = PublicCommentQuery {
            ascending: true,
            order_by: CommentOrder::Id,
            ..PublicCommentQuery::default()
        };
        edit(&mut query);
        query
    };
    assert_eq!(find(query(&|q| q.articles = vec![b])).await, [other]);
    assert_eq!(
        find(query(&|q| q.articles = vec![a, b])).await,
        [top, reply, other, deep]
    );
    assert_eq!(find(query(&|q| q.parents = vec![None])).await, [top, other]);
    assert_eq!(find(query(&|q| q.parents = vec![Some(top)])).await, [reply]);
    assert_eq!(
        find(query(&|q| q.parents = vec![Some(reply), None])).await,
        [top, other, deep]
    );
    assert_eq!(
        find(query(&|q| q.include = vec![reply, deep])).await,
        [reply, deep]
    );
    assert_eq!(
        find(query(&|q| q.exclude = vec![top, reply])).await,
        [other, deep]
    );
    let text = |t: &str| {
        let t = t.to_owned();
        query(&move |q| q.search = Some(t.clone()))
    };
    assert_eq!(find(text("LOVELACE")).await, [deep]);
    assert_eq!(find(text("glaciers")).await, [top]);
    assert_eq!(find(text("example.org")).await, Vec::<CommentId>::new());
    assert_eq!(find(text("203.0.113")).await, Vec::<CommentId>::new());
    assert_eq!(
        find(text("%")).await,
        Vec::<CommentId>::new(),
        "wildcards are text"
    );
    let minute = |n: i64| start + SignedDuration::from_mins(n);
    assert_eq!(
        find(query(&|q| {
            q.after = Some(minute(0));
            q.before = Some(minute(2));
        }))
        .await,
        [reply],
        "strictly between"
    );
    let by = |order: CommentOrder, ascending: bool| {
        query(&move |q| {
            q.order_by = order;
            q.ascending = ascending;
        })
    };
    assert_eq!(
        find(by(CommentOrder::Article, false)).await,
        [other, deep, reply, top]
    );
    assert_eq!(
        find(by(CommentOrder::Parent, true)).await,
        [top, other, reply, deep]
    );
    assert_eq!(
        find(by(CommentOrder::Date, false)).await,
        [deep, other, reply, top]
    );
}

async fn the_newest_replies_of_several_articles_come_in_one_call(h: Harness) {
    let busy = public_article(&h, "Busy", None).await;
    let quiet = public_article(&h, "Quiet", None).await;
    let silent = public_article(&h, "Silent", None).await;
    let locked = public_article(&h, "Locked", Some("secret")).await;
    let mut on_busy = Vec::new();
    for n in 0..5 {
        on_busy.push(comment_on(&h, busy, &format!("b{n}"), CommentStatus::Approved, None).await);
    }
    let on_quiet = comment_on(&h, quiet, "q", CommentStatus::Approved, None).await;
    comment_on(&h, quiet, "held", CommentStatus::Pending, None).await;
    comment_on(&h, locked, "hidden", CommentStatus::Approved, None).await;

    let found = h
        .store
        .recent_public_comments_of(&[busy, quiet, silent, locked], 3)
        .await
        .unwrap();
    let ids = |article: ArticleId| -> Option<Vec<CommentId>> {
        found
            .get(&article)
            .map(|comments| comments.iter().map(|c| c.id).collect())
    };
    assert_eq!(
        ids(busy),
        Some(vec![on_busy[4], on_busy[3], on_busy[2]]),
        "the newest three, newest first"
    );
    assert_eq!(ids(quiet), Some(vec![on_quiet]));
    assert_eq!(ids(silent), None);
    assert_eq!(
        ids(locked),
        None,
        "a protected article's comments are not public"
    );
    assert!(
        h.store
            .recent_public_comments_of(&[], 3)
            .await
            .unwrap()
            .is_empty()
    );
}
