//! The comment part of the store contract.

use gazette_core::{ArticleId, Clock as _, CommentKind, CommentStatus, PersonId, SafeHtml};
use gazette_store::{ChangeKind, CommentFilter, Inserted, NewComment};
use jiff::SignedDuration;

use super::{Harness, add_article, add_person, all_changes, article, harness};

store_contract!(
    comments_round_trip_and_only_approved_ones_are_public,
    a_repeated_submission_finds_the_first_comment,
    only_visible_changes_are_recorded,
    moderation_lists_filter_and_count,
    rate_counters_count_within_a_window,
    erasing_a_commenter_keeps_the_threads,
    old_addresses_are_anonymised,
);

pub(super) fn comment(
    article: ArticleId,
    email: &str,
    body: &str,
    status: CommentStatus,
) -> NewComment {
    NewComment {
        article,
        parent: None,
        depth: 0,
        status,
        kind: CommentKind::Comment,
        author_name: "Reader".to_owned(),
        author_email: email.to_owned(),
        author_url: "https://reader.example/".to_owned(),
        author_ip: Some("203.0.113.9".to_owned()),
        user_agent: "Test/1.0".to_owned(),
        person: None,
        body: body.to_owned(),
        body_html: SafeHtml::from_text(body),
        score: 2,
        reasons: vec!["First comment.".to_owned(), "No token.".to_owned()],
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
        answered: None,
    }
}

pub(super) async fn insert(h: &Harness, new: NewComment) -> Inserted {
    h.store
        .write(|tx| Box::pin(async move { tx.insert_comment(&new).await }))
        .await
        .unwrap()
}

async fn set_status(h: &Harness, id: gazette_core::CommentId, status: CommentStatus) {
    h.store
        .write(|tx| Box::pin(async move { tx.set_comment_status(id, status).await }))
        .await
        .unwrap()
        .unwrap();
}

async fn comments_round_trip_and_only_approved_ones_are_public(h: Harness) {
    let a = add_article(&h.store, article("Commented")).await.unwrap();
    let mut ann = comment(a.id, "Ann@Example.org", "First!", CommentStatus::Approved);
    ann.commenter_key = Some("ann-browser".to_owned());
    let first = insert(&h, ann).await.id();
    let mut reply = comment(a.id, "bob@example.org", "A reply", CommentStatus::Pending);
    reply.parent = Some(first);
    reply.depth = 1;
    let reply = insert(&h, reply).await.id();
    insert(
        &h,
        comment(a.id, "spam@example.org", "Buy", CommentStatus::Spam),
    )
    .await;

    let stored = h.store.comment(first).await.unwrap().unwrap();
    assert_eq!(stored.author_email, "Ann@Example.org");
    assert_eq!(stored.author_ip.as_deref(), Some("203.0.113.9"));
    assert_eq!(stored.reasons, ["First comment.", "No token."]);
    assert_eq!(stored.created_at, super::start_time());

    let public = h.store.article_comments(a.id, &[]).await.unwrap();
    assert_eq!(public.iter().map(|c| c.id).collect::<Vec<_>>(), [first]);
    // The author of the held reply sees it too; nobody sees the spam.
    let own = h.store.article_comments(a.id, &[reply]).await.unwrap();
    assert_eq!(own.iter().map(|c| c.id).collect::<Vec<_>>(), [first, reply]);
    assert_eq!(own[1].parent, Some(first));

    // An article comes with its count of approved comments: not the held one, not the spam.
    let loaded = h.store.article(a.id).await.unwrap().unwrap();
    assert_eq!(loaded.approved_comments, 1);
    let uncommented = add_article(&h.store, article("Quiet")).await.unwrap();
    let both = h
        .store
        .articles_by_ids(&[a.id, uncommented.id])
        .await
        .unwrap();
    let counts: Vec<u64> = both.iter().map(|a| a.approved_comments).collect();
    assert_eq!(counts, [1, 0]);
    let known = |email: &'static str, name: &'static str, key: &'static str| {
        let store = h.store.clone();
        async move { store.has_approved_comment(email, name, key).await.unwrap() }
    };
    assert!(known("ann@example.org", "READER", "ann-browser").await);
    assert!(
        !known("ann@example.org", "Someone Else", "ann-browser").await,
        "the email alone is no proof"
    );
    assert!(
        !known("ann@example.org", "Reader", "another-browser").await,
        "nor are the email and the name"
    );
    assert!(!known("bob@example.org", "Reader", "ann-browser").await);
    assert!(h.store.is_duplicate_comment(a.id, "First!").await.unwrap());
    assert!(!h.store.is_duplicate_comment(a.id, "Second!").await.unwrap());
}

async fn a_repeated_submission_finds_the_first_comment(h: Harness) {
    let a = add_article(&h.store, article("Twice")).await.unwrap();
    let mut new = comment(a.id, "ann@example.org", "Once", CommentStatus::Pending);
    new.submission_key = Some("key-1".to_owned());
    let first = insert(&h, new.clone()).await;
    let second = insert(&h, new).await;
    assert!(matches!(first, Inserted::New(_)));
    assert_eq!(second, Inserted::Again(first.id()));
    // Two identical submissions racing: one comment, and both learn its id.
    let mut racing = comment(a.id, "ann@example.org", "Racing", CommentStatus::Pending);
    racing.submission_key = Some("key-2".to_owned());
    let (x, y) = tokio::join!(insert(&h, racing.clone()), insert(&h, racing));
    assert_eq!(x.id(), y.id());
    let all = h
        .store
        .moderation_comments(&CommentFilter::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(all.total, 2);
}

async fn only_visible_changes_are_recorded(h: Harness) {
    let a = add_article(&h.store, article("Changes")).await.unwrap();
    let before = all_changes(&h.store).await.len();
    let held = insert(
        &h,
        comment(a.id, "a@example.org", "held", CommentStatus::Pending),
    )
    .await
    .id();
    insert(
        &h,
        comment(a.id, "s@example.org", "spam", CommentStatus::Spam),
    )
    .await;
    assert_eq!(
        all_changes(&h.store).await.len(),
        before,
        "held and spam comments change no page"
    );
    set_status(&h, held, CommentStatus::Approved).await;
    set_status(&h, held, CommentStatus::Spam).await;
    let changes = all_changes(&h.store).await;
    let comment_changes: Vec<_> = changes[before..]
        .iter()
        .map(|c| (c.kind, c.entity_id))
        .collect();
    assert_eq!(
        comment_changes,
        [
            (ChangeKind::Comment, Some(a.id.0)),
            (ChangeKind::Comment, Some(a.id.0))
        ]
    );
}

async fn moderation_lists_filter_and_count(h: Harness) {
    let author = add_person(&h.store, "Ada Writer", "ada@example.org")
        .await
        .unwrap();
    let mut mine = article("Mine");
    mine.authors = vec![author.id];
    let mine = add_article(&h.store, mine).await.unwrap();
    let other = add_article(&h.store, article("Other")).await.unwrap();
    for n in 0..3 {
        insert(
            &h,
            comment(
                mine.id,
                "x@example.org",
                &format!("m{n}"),
                CommentStatus::Pending,
            ),
        )
        .await;
    }
    insert(
        &h,
        comment(other.id, "x@example.org", "o", CommentStatus::Approved),
    )
    .await;
    insert(
        &h,
        comment(other.id, "y@example.org", "s", CommentStatus::Spam),
    )
    .await;

    let pending = CommentFilter {
        status: Some(CommentStatus::Pending),
        ..CommentFilter::default()
    };
    let page = h.store.moderation_comments(&pending, 0, 2).await.unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.comments.len(), 2);
    assert_eq!(page.comments[0].body, "m2", "newest first");
    let by_author = CommentFilter {
        on_articles_by: Some(author.id),
        ..CommentFilter::default()
    };
    assert_eq!(
        h.store
            .moderation_comments(&by_author, 0, 10)
            .await
            .unwrap()
            .total,
        3
    );
    let nobody = CommentFilter {
        on_articles_by: Some(PersonId(9999)),
        ..CommentFilter::default()
    };
    assert_eq!(
        h.store
            .moderation_comments(&nobody, 0, 10)
            .await
            .unwrap()
            .total,
        0
    );
    let of_x = CommentFilter {
        email: Some("x@example.org".to_owned()),
        article: Some(other.id),
        ..CommentFilter::default()
    };
    assert_eq!(
        h.store
            .moderation_comments(&of_x, 0, 10)
            .await
            .unwrap()
            .total,
        1
    );
    let counts = h.store.comment_status_counts(None).await.unwrap();
    assert_eq!(counts.get(&CommentStatus::Pending), Some(&3));
    assert_eq!(counts.get(&CommentStatus::Spam), Some(&1));
    assert_eq!(counts.get(&CommentStatus::Trash), None);
    let own = h
        .store
        .comment_status_counts(Some(author.id))
        .await
        .unwrap();
    assert_eq!(own.get(&CommentStatus::Pending), Some(&3));
    assert_eq!(
        own.get(&CommentStatus::Spam),
        None,
        "the spam is on another article"
    );
}

async fn rate_counters_count_within_a_window(h: Harness) {
    let window = SignedDuration::from_mins(10);
    let count = |key: &'static str| {
        let store = h.store.clone();
        async move {
            store
                .write(|tx| Box::pin(async move { tx.count_event(key, window).await }))
                .await
                .unwrap()
        }
    };
    assert_eq!(count("ip:1").await, 1);
    assert_eq!(count("ip:1").await, 2);
    assert_eq!(count("ip:2").await, 1);
    h.clock.advance(SignedDuration::from_mins(11));
    assert_eq!(count("ip:1").await, 1, "a new window starts again at one");
    let cutoff = h.clock.now() - SignedDuration::from_mins(5);
    let pruned = h
        .store
        .write(|tx| Box::pin(async move { tx.prune_rate_counters(cutoff).await }))
        .await
        .unwrap();
    assert_eq!(pruned, 1, "only ip:2's window is over");
}

async fn erasing_a_commenter_keeps_the_threads(h: Harness) {
    let a = add_article(&h.store, article("Erase")).await.unwrap();
    let id = insert(
        &h,
        comment(
            a.id,
            "Gone@Example.org",
            "my words",
            CommentStatus::Approved,
        ),
    )
    .await
    .id();
    insert(
        &h,
        comment(
            a.id,
            "stay@example.org",
            "other words",
            CommentStatus::Approved,
        ),
    )
    .await;
    let erased = h
        .store
        .write(|tx| Box::pin(async move { tx.erase_commenter("gone@example.org").await }))
        .await
        .unwrap();
    assert_eq!(erased, 1);
    let after = h.store.comment(id).await.unwrap().unwrap();
    assert_eq!(after.author_name, "Anonymous");
    assert_eq!(after.author_email, "");
    assert_eq!(after.author_url, "");
    assert_eq!(after.author_ip, None);
    assert_eq!(after.body, "my words");
    assert!(
        h.store
            .comments_by_email("gone@example.org")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        h.store
            .comments_by_email("stay@example.org")
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn old_addresses_are_anonymised(h: Harness) {
    let a = add_article(&h.store, article("Old")).await.unwrap();
    let old = insert(
        &h,
        comment(a.id, "a@example.org", "old", CommentStatus::Approved),
    )
    .await
    .id();
    h.clock.advance(SignedDuration::from_hours(24 * 40));
    let new = insert(
        &h,
        comment(a.id, "a@example.org", "new", CommentStatus::Approved),
    )
    .await
    .id();
    let cutoff = h.clock.now() - SignedDuration::from_hours(24 * 30);
    let cleared = h
        .store
        .write(|tx| Box::pin(async move { tx.anonymise_comment_addresses(cutoff).await }))
        .await
        .unwrap();
    assert_eq!(cleared, 1);
    assert_eq!(h.store.comment(old).await.unwrap().unwrap().author_ip, None);
    assert!(
        h.store
            .comment(new)
            .await
            .unwrap()
            .unwrap()
            .author_ip
            .is_some()
    );
}
