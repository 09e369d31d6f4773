//! Mail about comments: held comments mailed to moderators, and reply notifications that
//! need a confirmed subscription and go once.

use gazette_core::{ArticleId, CommentPolicy, CommentStatus, ModerationMode, Publication};
use gazette_testkit::{Backend, TestApp, TestOptions, client, csrf_of};
use reqwest::StatusCode;

use super::{comment_in, form, newest, page, post, with};

gazette_testkit::on_both_backends!(
    held_comments_are_mailed_to_moderators,
    reply_notifications_need_a_confirmed_subscription_and_go_once,
    a_suppressed_address_is_not_asked_to_confirm_replies,
);

/// The demo journal at `https://news.example.org/` under `policy`, mailing through `sink`.
async fn mailing_journal(
    backend: Backend,
    sink: &gazette_testkit::smtp::SmtpSink,
    policy: CommentPolicy,
) -> Option<TestApp> {
    let publication = Publication {
        base_url: Some("https://news.example.org/".parse().unwrap()),
        comments: policy,
        ..Publication::sample()
    };
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    TestApp::spawn_with(backend, options).await
}

async fn held_comments_are_mailed_to_moderators(backend: Backend) {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let policy = Publication::sample().comments;
    let Some(app) = mailing_journal(backend, &sink, policy).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    post(
        &app,
        &client(),
        "/comments/",
        &form(article.id, "Please moderate me.", "held@reader.example"),
    )
    .await;
    let message = sink.wait_for(1).await;
    let text = message.text();
    assert!(text.contains("Please moderate me."), "{text}");
    assert!(text.contains("First comment from this email address."));
    assert!(text.contains("https://news.example.org/admin/comments/"));
}

fn mails_to(sink: &gazette_testkit::smtp::SmtpSink, address: &str) -> Vec<String> {
    sink.messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|to| to.eq_ignore_ascii_case(address)))
        .map(|m| m.text())
        .collect()
}

/// The path of the first `/comments/replies/` link in a message.
fn subscription_link(message: &str) -> String {
    let at = message
        .find("https://news.example.org/comments/replies/")
        .expect(message)
        + "https://news.example.org".len();
    message[at..].split_whitespace().next().unwrap().to_owned()
}

async fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("timed out");
}

async fn reply_notifications_need_a_confirmed_subscription_and_go_once(backend: Backend) {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let policy = CommentPolicy {
        moderation: ModerationMode::ApproveClean,
        moderation_list: vec!["hold me".to_owned()],
        ..CommentPolicy::default()
    };
    let Some(app) = mailing_journal(backend, &sink, policy).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let ann = "ann@subscriber.example";

    // A held comment asks for replies: nothing goes to its author until it is approved.
    let held = with(
        form(article.id, "Please hold me.", "held@subscriber.example"),
        "subscribe_replies",
        "yes",
    );
    let held = comment_in(&post(&app, &client(), "/comments/", &held).await);
    sink.wait_for(1).await; // the moderators' notice
    assert!(mails_to(&sink, "held@subscriber.example").is_empty());
    assert_eq!(
        app.store.comment(held).await.unwrap().unwrap().status,
        CommentStatus::Pending
    );

    // Ann's comment is published at once, so she is asked to confirm; opening the link
    // changes nothing, the button does.
    let asked = with(
        form(article.id, "Tell me of replies.", ann),
        "subscribe_replies",
        "yes",
    );
    let first = comment_in(&post(&app, &client(), "/comments/", &asked).await);
    wait_until(|| mails_to(&sink, ann).len() == 1).await;
    let link = subscription_link(&mails_to(&sink, ann)[0]);
    assert!(link.starts_with("/comments/replies/confirm."), "{link}");
    let (status, confirm_page) = app.get_text(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm_page.contains("Yes, email me replies"));
    let stored = |id| {
        let store = app.store.clone();
        async move { store.comment(id).await.unwrap().unwrap().reply_subscription }
    };
    assert_eq!(
        stored(first).await,
        gazette_core::ReplySubscription::Requested
    );
    let forged = link.replace("confirm.", "stop.");
    assert_eq!(app.get_text(&forged).await.0, StatusCode::NOT_FOUND);
    let confirmed = client().post(app.url(&link)).send().await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(
        stored(first).await,
        gazette_core::ReplySubscription::Confirmed
    );

    // Bob replies: Ann hears of it once, even if the reply is unapproved and approved again.
    let reply = with(
        form(article.id, "Here is a reply.", "bob@replier.example"),
        "comment_parent",
        &first.0.to_string(),
    );
    let reply = comment_in(&post(&app, &client(), "/comments/", &reply).await);
    wait_until(|| mails_to(&sink, ann).len() == 2).await;
    let notice = mails_to(&sink, ann)[1].clone();
    assert!(
        notice.contains("Here is a reply.") && notice.contains(&format!("#comment-{}", reply.0)),
        "{notice}"
    );
    assert!(
        !notice.contains("bob@replier.example"),
        "the replier's address stays private"
    );
    let admin = client();
    let signed_in = app
        .sign_in(
            &admin,
            gazette_testkit::ADMIN_EMAIL,
            gazette_testkit::ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "signed in");
    let (status, inbox) = page(&admin, &app, "/admin/comments/?status=all").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&inbox);
    for (action, status) in [
        ("unapprove", CommentStatus::Pending),
        ("approve", CommentStatus::Approved),
    ] {
        let moved = post(
            &app,
            &admin,
            "/admin/comments/",
            &[
                ("csrf", csrf.clone()),
                ("do", format!("{action}:{}", reply.0)),
            ],
        )
        .await;
        assert_eq!(moved.status(), StatusCode::SEE_OTHER, "{action}");
        assert_eq!(
            moved.headers()["location"],
            format!(
                "/admin/comments/?done=moved&to={}&changed=1&refused=0",
                status.as_str()
            )
            .as_str(),
            "{action} moved the reply"
        );
        assert_eq!(
            app.store.comment(reply).await.unwrap().unwrap().status,
            status,
            "{action}"
        );
    }
    mail_queue_flushed(&app, &sink, article.id, "first-sentinel@subscriber.example").await;
    assert_eq!(mails_to(&sink, ann).len(), 2, "one notice per reply");

    // The stop link in the notice ends it.
    let stop = subscription_link(&notice);
    assert!(stop.starts_with("/comments/replies/stop."), "{stop}");
    let stopped = client().post(app.url(&stop)).send().await.unwrap();
    assert_eq!(stopped.status(), StatusCode::OK);
    assert_eq!(stored(first).await, gazette_core::ReplySubscription::None);
    let again = with(
        form(article.id, "Another reply.", "carl@replier.example"),
        "comment_parent",
        &first.0.to_string(),
    );
    let again = comment_in(&post(&app, &client(), "/comments/", &again).await);
    assert_eq!(
        app.store.comment(again).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "published at once, so it would have been a notice"
    );
    mail_queue_flushed(
        &app,
        &sink,
        article.id,
        "second-sentinel@subscriber.example",
    )
    .await;
    assert_eq!(mails_to(&sink, ann).len(), 2, "no mail after stopping");
}

/// The suppression list newsletters keep is every reader mail's: a bounced address is not
/// asked to confirm reply notices.
async fn a_suppressed_address_is_not_asked_to_confirm_replies(backend: Backend) {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let policy = CommentPolicy {
        moderation: ModerationMode::ApproveClean,
        ..Publication::sample().comments
    };
    let Some(app) = mailing_journal(backend, &sink, policy).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let bounced = "bounced@subscriber.example";
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.suppress(bounced, gazette_core::Suppression::Bounced)
                    .await
            })
        })
        .await
        .unwrap();
    let asked = with(
        form(article.id, "Tell me of replies.", bounced),
        "subscribe_replies",
        "yes",
    );
    let comment = comment_in(&post(&app, &client(), "/comments/", &asked).await);
    assert_eq!(
        app.store.comment(comment).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "published at once, so it would have been asked"
    );
    mail_queue_flushed(&app, &sink, article.id, "sentinel@subscriber.example").await;
    assert!(
        mails_to(&sink, bounced).is_empty(),
        "nothing to a bounced address"
    );
}

/// Returns once every mail enqueued before the call has been delivered: a new top-level
/// comment from `address` that asks for replies is published at once, so its author is asked
/// to confirm, and the one job runner sends mail in the order it was enqueued.
async fn mail_queue_flushed(
    app: &TestApp,
    sink: &gazette_testkit::smtp::SmtpSink,
    article: ArticleId,
    address: &str,
) {
    let asked = with(
        form(article, &format!("A sentinel from {address}."), address),
        "subscribe_replies",
        "yes",
    );
    let sentinel = comment_in(&post(app, &client(), "/comments/", &asked).await);
    assert_eq!(
        app.store.comment(sentinel).await.unwrap().unwrap().status,
        CommentStatus::Approved,
        "the sentinel is published at once"
    );
    wait_until(|| mails_to(sink, address).len() == 1).await;
}
