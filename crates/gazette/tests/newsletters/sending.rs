//! Sending an article to a newsletter from the back office: one message per confirmed,
//! unsuppressed subscriber, multipart, with each reader's own links and the list headers
//! mail providers ask bulk senders for; the sending page counts what happened.

use gazette_core::{Cadence, Suppression};
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp, csrf_of};
use reqwest::StatusCode;

use super::{BASE, add_newsletter, journal};

gazette_testkit::on_both_backends!(
    an_article_goes_to_each_confirmed_subscriber_once,
    an_editor_pauses_resumes_and_cancels_an_issue,
    an_issue_has_a_web_version_unless_it_is_for_subscribers_only,
);

/// A subscriber of `newsletter` at `email`, confirmed or not.
pub(super) async fn subscribe(
    app: &TestApp,
    newsletter: gazette_core::NewsletterId,
    email: &str,
    confirmed: bool,
) {
    let email = gazette_core::Email::parse(email).unwrap();
    let consent = gazette_store::NewConsent {
        form: "/newsletters/".to_owned(),
        wording: "Yes".to_owned(),
    };
    app.store
        .write(|tx| {
            Box::pin(async move {
                let id = tx
                    .request_subscription(&email, &[newsletter], &consent)
                    .await?;
                if confirmed {
                    tx.confirm_subscriber(id).await?;
                }
                Ok::<_, gazette_store::StoreError>(())
            })
        })
        .await
        .unwrap();
}

/// A header's value in a raw message (unfolded), if it has the header.
fn header(message: &str, name: &str) -> Option<String> {
    let unfolded = message
        .replace("\r\n", "\n")
        .replace("\n ", " ")
        .replace("\n\t", " ");
    let head = unfolded.split("\n\n").next()?;
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

async fn an_article_goes_to_each_confirmed_subscriber_once(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::ByHand).await;
    subscribe(&app, morning, "ann@example.org", true).await;
    subscribe(&app, morning, "bob@example.org", true).await;
    subscribe(&app, morning, "pending@example.org", false).await;
    subscribe(&app, morning, "gone@example.org", true).await;
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.suppress("gone@example.org", Suppression::Complained)
                    .await
            })
        })
        .await
        .unwrap();
    let article = app
        .store
        .articles_with_status(gazette_core::Status::Published, 1)
        .await
        .unwrap()
        .remove(0);

    let admin = app.admin_client().await;
    let page = format!("/admin/newsletters/{}", morning.0);
    let csrf = csrf_of(&app.page_text(&admin, &page).await);
    let sent = admin
        .post(app.url(&format!("{page}/send")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("article", &article.id.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let progress_page = sent.headers()["location"].to_str().unwrap().to_owned();

    sink.wait_for(2).await;
    let mut finished = false;
    for _ in 0..200 {
        let text = app.page_text(&admin, &progress_page).await;
        if text.contains("<strong>sent</strong>") {
            finished = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(finished, "the issue is marked sent");
    let messages = sink.messages();
    let to: Vec<String> = messages.iter().flat_map(|m| m.to.clone()).collect();
    assert_eq!(to.len(), 2, "{to:?}");
    assert!(to.iter().any(|t| t == "ann@example.org") && to.iter().any(|t| t == "bob@example.org"));
    let progress = app.page_text(&admin, &progress_page).await;
    assert!(progress.contains("<td>2</td>"), "two sent: {progress}");

    for message in &messages {
        let raw = &message.data;
        let unsubscribe = header(raw, "List-Unsubscribe").expect("List-Unsubscribe");
        assert!(
            unsubscribe.starts_with(&format!("<{BASE}/newsletters/unsubscribe/u.")),
            "{unsubscribe}"
        );
        assert_eq!(
            header(raw, "List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(
            header(raw, "List-Id").unwrap().contains("morning."),
            "{raw}"
        );
        assert!(header(raw, "Message-ID").unwrap().starts_with("<issue-"));
        assert!(header(raw, "Date").is_some());
        assert!(header(raw, "Precedence").is_none(), "no Precedence header");
        assert!(
            header(raw, "Content-Type")
                .unwrap()
                .starts_with("multipart/alternative")
        );
        let text = message.text();
        assert!(
            text.contains("text/plain") && text.contains("text/html"),
            "both parts"
        );
        assert!(text.contains(&article.headline), "{text}");
        assert!(
            !text.contains("%%gazette"),
            "every reader's own links are filled in"
        );
        assert!(
            text.contains("1 Press Street"),
            "the footer's postal address"
        );
    }

    // Ann's own one-click link takes her off at once; Bob stays.
    let ann = messages
        .iter()
        .find(|m| m.to.iter().any(|t| t == "ann@example.org"))
        .unwrap();
    let link = header(&ann.data, "List-Unsubscribe").unwrap();
    let path = link
        .trim_matches(|c| c == '<' || c == '>')
        .trim_start_matches(BASE)
        .to_owned();
    let left = reqwest::Client::new()
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 200);
    assert_eq!(
        app.store.suppression("ann@example.org").await.unwrap(),
        Some(Suppression::Left)
    );
    assert_eq!(
        app.store.suppression("bob@example.org").await.unwrap(),
        None
    );
}

/// Without an SMTP server no node sends, so the issue waits while the editor controls it.
async fn an_editor_pauses_resumes_and_cancels_an_issue(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::ByHand).await;
    for n in 0..3 {
        subscribe(&app, morning, &format!("r{n}@example.org"), true).await;
    }
    let issue = gazette_store::NewIssue {
        newsletter: morning,
        slug: "1-first".to_owned(),
        subject: "The first issue".to_owned(),
        article: None,
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only: false,
    };
    let queued = gazette_newsroom::newsletters::issues::send(&app.store, issue)
        .await
        .unwrap();
    assert_eq!(queued.deliveries, 3);
    let admin = app.admin_client().await;
    let page = format!("/admin/newsletters/{}/issues/{}", morning.0, queued.issue.0);
    let act = |what: &'static str| {
        let (admin, page, app) = (admin.clone(), page.clone(), &app);
        async move {
            let csrf = csrf_of(&app.page_text(&admin, &page).await);
            admin
                .post(app.url(&page))
                .form(&[("csrf", csrf.as_str()), ("do", what)])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let status = || async { app.store.issue(queued.issue).await.unwrap().unwrap().status };
    assert!(
        app.page_text(&admin, &page)
            .await
            .contains("<strong>sending</strong>")
    );
    assert_eq!(act("pause").await, StatusCode::SEE_OTHER);
    assert_eq!(status().await, gazette_store::IssueStatus::Paused);
    assert_eq!(act("resume").await, StatusCode::SEE_OTHER);
    assert_eq!(status().await, gazette_store::IssueStatus::Sending);
    assert_eq!(act("cancel").await, StatusCode::SEE_OTHER);
    assert_eq!(status().await, gazette_store::IssueStatus::Cancelled);
    let progress = app.store.issue_progress(queued.issue).await.unwrap();
    assert_eq!(
        (progress.cancelled, progress.queued),
        (3, 0),
        "nothing left to send"
    );
    assert_eq!(
        act("resume").await,
        StatusCode::CONFLICT,
        "a cancelled issue stays so"
    );
    assert_eq!(act("explode").await, StatusCode::BAD_REQUEST);
}

async fn an_issue_has_a_web_version_unless_it_is_for_subscribers_only(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::ByHand).await;
    let article = app
        .store
        .articles_with_status(gazette_core::Status::Published, 1)
        .await
        .unwrap()
        .remove(0);
    let issue = |slug: &str, subscribers_only| gazette_store::NewIssue {
        newsletter: morning,
        slug: slug.to_owned(),
        subject: format!("Issue {slug}"),
        article: Some(article.id),
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only,
    };
    for (slug, only) in [("1-open", false), ("2-closed", true)] {
        gazette_newsroom::newsletters::issues::send(&app.store, issue(slug, only))
            .await
            .unwrap();
    }
    let (status, page) = app.get_text("/newsletters/morning/1-open/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Issue 1-open"), "{page}");
    let path = app.article_path(&article).await;
    assert!(
        page.contains(&format!("href=\"{path}\"")),
        "links to the article: {page}"
    );
    assert!(page.contains("class=\"entry-content\""), "carries its body");
    assert!(
        !page.contains("%%gazette"),
        "no reader's own links on the web"
    );
    let (status, _) = app.get_text("/newsletters/morning/2-closed/").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "subscribers only");
    assert_eq!(
        app.get_text("/newsletters/evening/1-open/").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, listing) = app.get_text("/newsletters/").await;
    assert!(
        listing.contains("/newsletters/morning/1-open/"),
        "{listing}"
    );
    assert!(!listing.contains("2-closed"));
}
