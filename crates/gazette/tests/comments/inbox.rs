//! Staff at the comment inbox: moderators working it within their roles, editing and replying
//! from it, and administrators setting the comment policy.

use gazette_core::{CommentPolicy, CommentStatus, ModerationMode};
use gazette_testkit::{Backend, client, csrf_of};
use reqwest::StatusCode;

use super::{app, comment_in, comment_on, form, newest, page, post, signed_in};

gazette_testkit::on_both_backends!(
    moderators_work_the_inbox_within_their_roles,
    staff_edit_and_reply_from_the_inbox,
    administrators_set_the_comment_policy,
);

async fn moderators_work_the_inbox_within_their_roles(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let held = comment_on(
        &app,
        article.id,
        "Moderate this one.",
        "inbox@reader.example",
    )
    .await;

    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let (status, inbox) = page(&editor, &app, "/admin/comments/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("Moderate this one."));
    assert!(
        inbox.contains("inbox@reader.example"),
        "staff see the email"
    );
    assert!(
        inbox.contains("First comment from this email address."),
        "and why it was held"
    );
    let (_, history) = page(
        &editor,
        &app,
        "/admin/comments/?email=INBOX%40reader.example",
    )
    .await;
    assert!(
        history.contains("Comments by inbox@reader.example")
            && history.contains("Moderate this one."),
        "{history}"
    );

    // An author moderates only comments on their own articles; a contributor none.
    let author = signed_in(&app, "Otto", Role::Author).await;
    let (_, own_inbox) = page(&author, &app, "/admin/comments/").await;
    assert!(
        !own_inbox.contains("Moderate this one."),
        "not Otto's article"
    );
    let csrf = csrf_of(&own_inbox);
    let refused = post(
        &app,
        &author,
        "/admin/comments/",
        &[
            ("csrf", csrf.as_str()),
            ("do", &format!("approve:{}", held.0)),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.comment(held).await.unwrap().unwrap().status,
        CommentStatus::Pending
    );
    let contributor = signed_in(&app, "Cora", Role::Contributor).await;
    assert_eq!(
        page(&contributor, &app, "/admin/comments/").await.0,
        StatusCode::FORBIDDEN
    );

    let csrf = csrf_of(&inbox);
    let without_csrf = post(
        &app,
        &editor,
        "/admin/comments/",
        &[("do", format!("approve:{}", held.0))],
    )
    .await;
    assert!(without_csrf.status().is_client_error());
    let approved = post(
        &app,
        &editor,
        "/admin/comments/",
        &[
            ("csrf", csrf.clone()),
            ("do", format!("approve:{}", held.0)),
            ("back", "/admin/comments/?status=pending".to_owned()),
        ],
    )
    .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);
    assert!(
        approved.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/admin/comments/?status=pending&done=")
    );
    app.caught_up().await;
    assert!(app.get_text(&path).await.1.contains("Moderate this one."));

    // Bulk: two more held comments to spam at once.
    let mut ids = Vec::new();
    for n in 0..2 {
        let fields = form(
            article.id,
            &format!("Bulk {n}."),
            &format!("bulk{n}@reader.example"),
        );
        ids.push(comment_in(
            &post(&app, &client(), "/comments/", &fields).await,
        ));
    }
    let mut fields = vec![
        ("csrf".to_owned(), csrf),
        ("bulk_action".to_owned(), "spam".to_owned()),
    ];
    fields.extend(
        ids.iter()
            .map(|id| ("comment".to_owned(), id.0.to_string())),
    );
    post(&app, &editor, "/admin/comments/", &fields).await;
    for id in ids {
        assert_eq!(
            app.store.comment(id).await.unwrap().unwrap().status,
            CommentStatus::Spam
        );
    }
}

async fn staff_edit_and_reply_from_the_inbox(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let held = comment_on(&app, article.id, "Is this tru?", "asker@reader.example").await;
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let (_, inbox) = page(&editor, &app, "/admin/comments/").await;
    let csrf = csrf_of(&inbox);

    let reply = post(
        &app,
        &editor,
        &format!("/admin/comments/{}/reply", held.0),
        &[
            ("csrf", csrf.as_str()),
            ("body", "Yes: see the *second* paragraph."),
        ],
    )
    .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.comment(held).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "replying approves"
    );

    let (status, edit_form) =
        page(&editor, &app, &format!("/admin/comments/{}/edit", held.0)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(edit_form.contains("Is this tru?"));
    let empty = post(
        &app,
        &editor,
        &format!("/admin/comments/{}/edit", held.0),
        &[
            ("csrf", csrf.as_str()),
            ("name", "Asker"),
            ("url", ""),
            ("body", "  "),
        ],
    )
    .await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let fixed = post(
        &app,
        &editor,
        &format!("/admin/comments/{}/edit", held.0),
        &[
            ("csrf", csrf.as_str()),
            ("name", "Asker"),
            ("url", ""),
            ("body", "Is this true?"),
        ],
    )
    .await;
    assert_eq!(fixed.status(), StatusCode::SEE_OTHER);

    app.caught_up().await;
    let (_, public) = app.get_text(&path).await;
    assert!(public.contains("Is this true?") && !public.contains("Is this tru?"));
    assert!(public.contains("Yes: see the *second* paragraph."));
    assert!(public.contains(r#"<span class="staff-badge">Staff</span>"#));
    assert!(
        public.contains(r#"<ol class="children">"#),
        "the reply is threaded"
    );
    assert!(
        !public.contains("edna@example.org"),
        "staff emails are not published either"
    );
}

async fn administrators_set_the_comment_policy(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let editor = signed_in(&app, "Edna", Role::Editor).await;
    assert_eq!(
        page(&editor, &app, "/admin/settings/comments").await.0,
        StatusCode::FORBIDDEN
    );

    let admin = client();
    app.sign_in(
        &admin,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    let (status, form_page) = page(&admin, &app, "/admin/settings/comments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form_page.contains(r#"value="trust_approved" checked"#));
    let csrf = csrf_of(&form_page);
    let fields = vec![
        ("csrf", csrf.as_str()),
        ("enabled", "1"),
        ("moderation", "hold_all"),
        ("max_links", "1"),
        ("min_seconds", "5"),
        ("moderation_list", "casino\n\n203.0.113.0/24\n"),
        ("block_list", ""),
        ("per_page", "20"),
        ("close_after_days", "14"),
        ("anonymise_ip_after_days", "10"),
        ("privacy_page", "/about/"),
    ];
    let bad = [fields.clone(), vec![("thread_depth", "zero")]].concat();
    let refused = post(&app, &admin, "/admin/settings/comments", &bad).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Give a whole number from 1 to 10.")
    );
    let good = [fields, vec![("thread_depth", "3")]].concat();
    let saved = post(&app, &admin, "/admin/settings/comments", &good).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    let policy = app.store.publication().await.unwrap().unwrap().comments;
    assert_eq!(policy.moderation, ModerationMode::HoldAll);
    assert_eq!(policy.moderation_list, ["casino", "203.0.113.0/24"]);
    assert_eq!(
        (
            policy.thread_depth,
            policy.per_page,
            policy.close_after_days
        ),
        (3, 20, Some(14))
    );
    assert_eq!(policy.privacy_page.as_deref(), Some("/about/"));
    assert!(!policy.notify_moderators);

    // The site follows at once: the form links the new privacy page.
    app.caught_up().await;
    let (_, path) = newest(&app).await;
    let (_, html) = app.get_text(&path).await;
    assert!(html.contains(r#"<p class="comment-privacy"><a href="/about/">"#));
}
