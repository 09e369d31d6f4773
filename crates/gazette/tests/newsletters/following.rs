//! Newsletters that follow publication: an article an editor ticks goes out when it is
//! published (at its scheduled time if it has one), once; a digest comes at its local time
//! across a daylight-saving change and skips a day with nothing new; and an editor previews
//! an issue and sends it to their own address before anything goes to readers.

use std::time::Duration;

use gazette_core::{ArticleId, Cadence, Clock as _, Publication, SectionId, Status};
use gazette_store::NewArticle;
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{ADMIN_EMAIL, Backend, TestApp, TestOptions, csrf_of};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;

use super::sending::subscribe;
use super::{BASE, add_newsletter, add_newsletter_for, journal};

gazette_testkit::on_both_backends!(
    a_ticked_newsletter_gets_the_article_when_it_is_published_once,
    a_scheduled_article_goes_out_at_its_time,
    a_digest_comes_at_its_local_time_across_daylight_saving,
    an_editor_previews_and_tests_an_issue_before_sending,
);

/// Submits the new-article form with `fields`; the article's id.
async fn new_article(app: &TestApp, admin: &reqwest::Client, fields: &[(&str, &str)]) -> ArticleId {
    let page = app.page_text(admin, "/admin/articles/new").await;
    let mut form = vec![
        ("csrf".to_owned(), csrf_of(&page)),
        ("body".to_owned(), "What happened today.".to_owned()),
    ];
    form.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let saved = admin
        .post(app.url("/admin/articles/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text().await.unwrap()
    );
    let location = saved.headers()["location"].to_str().unwrap();
    ArticleId(
        location
            .trim_start_matches("/admin/articles/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap(),
    )
}

/// Nothing more arrives at the sink for a while (the runner has been woken meanwhile).
async fn quiet(app: &TestApp, sink: &SmtpSink, expected: usize) {
    app.node().jobs.wake();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(sink.messages().len(), expected, "no other mail");
}

async fn a_ticked_newsletter_gets_the_article_when_it_is_published_once(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let letters = add_newsletter(&app, "letters", Cadence::ByHand).await;
    subscribe(&app, letters, "ann@example.org", true).await;
    let admin = app.admin_client().await;
    let form = app.page_text(&admin, "/admin/articles/new").await;
    assert!(
        form.contains("Send to The letters briefing"),
        "the editor offers it"
    );

    let id = new_article(
        &app,
        &admin,
        &[
            ("headline", "The harbour reopens"),
            ("action", "publish"),
            ("send_newsletter", &letters.0.to_string()),
        ],
    )
    .await;
    let message = sink.wait_for(1).await;
    assert_eq!(message.to, ["ann@example.org"]);
    assert!(message.text().contains("The harbour reopens"));

    // Published again with the box ticked: it went already, so nothing more goes.
    let path = format!("/admin/articles/{}", id.0);
    let page = app.page_text(&admin, &path).await;
    assert!(
        page.contains("The letters briefing: sent"),
        "the editor says so"
    );
    let resave = admin
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", field(&page, "version")),
            ("headline", "The harbour reopens".to_owned()),
            ("body", "What happened today, corrected.".to_owned()),
            ("action", "publish".to_owned()),
            ("send_newsletter", letters.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resave.status(), StatusCode::SEE_OTHER);
    quiet(&app, &sink, 1).await;
    assert_eq!(app.store.issues_of(letters).await.unwrap().len(), 1);
}

fn field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker).expect(&marker) + marker.len();
    page[at..].split('"').next().unwrap().to_owned()
}

async fn a_scheduled_article_goes_out_at_its_time(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let letters = add_newsletter(&app, "letters", Cadence::ByHand).await;
    subscribe(&app, letters, "ann@example.org", true).await;
    let admin = app.admin_client().await;
    // The sample journal keeps UTC: the form's local time is UTC.
    let at = app.clock.now() + SignedDuration::from_hours(2);
    let local = at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let id = new_article(
        &app,
        &admin,
        &[
            ("headline", "Tomorrow's budget"),
            ("publish_at", &local),
            ("action", "schedule"),
            ("send_newsletter", &letters.0.to_string()),
        ],
    )
    .await;
    let page = app
        .page_text(&admin, &format!("/admin/articles/{}", id.0))
        .await;
    assert!(
        page.contains("goes out when the article is published"),
        "waiting"
    );
    quiet(&app, &sink, 0).await;

    app.clock.advance(SignedDuration::from_hours(3));
    app.node().jobs.wake();
    let message = sink.wait_for(1).await;
    assert!(message.text().contains("Tomorrow's budget") || message.text().contains("Tomorrow"));
    let article = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(article.status, Status::Published);
}

/// The sample journal in Paris time.
async fn journal_in_paris(backend: Backend, sink: &SmtpSink) -> Option<TestApp> {
    let mut publication = Publication::sample();
    publication.base_url = Some(format!("{BASE}/").parse().unwrap());
    publication.time_zone = gazette_core::TimeZoneName::parse("Europe/Paris").unwrap();
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    TestApp::spawn_with(backend, options).await
}

/// Publishes an article in `section` at `at`.
async fn published(app: &TestApp, headline: &str, section: SectionId, at: Timestamp) {
    let author = app
        .store
        .people()
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap()
        .id;
    let body = "Reported from the scene.";
    let mut article = NewArticle::draft(
        headline,
        body,
        gazette_render::render_body(gazette_core::BodyFormat::Markdown, body),
        gazette_render::RENDER_VERSION,
    );
    article.slug = gazette_core::Slug::from_headline(headline);
    article.status = Status::Published;
    article.published_at = Some(at);
    article.primary_section = Some(section);
    article.authors = vec![author];
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(article).await }))
        .await
        .unwrap();
}

/// Sets the clock, wakes the runner, and waits a moment for what is due.
async fn at(app: &TestApp, when: &str) {
    app.clock.set(when.parse().unwrap());
    app.node().jobs.wake();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

async fn a_digest_comes_at_its_local_time_across_daylight_saving(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal_in_paris(backend, &sink).await else {
        return;
    };
    app.clock.set("2027-03-26T12:00:00Z".parse().unwrap());
    let section = app.store.sections().await.unwrap()[0].id;
    let daily = add_newsletter_for(
        &app,
        "day",
        Cadence::Daily { minute: 7 * 60 },
        vec![section],
    )
    .await;
    subscribe(&app, daily, "ann@example.org", true).await;
    published(
        &app,
        "Thursday's storm",
        section,
        "2027-03-26T15:00:00Z".parse().unwrap(),
    )
    .await;

    // 07:00 in Paris is 06:00 UTC in winter.
    at(&app, "2027-03-27T05:59:00Z").await;
    assert!(sink.messages().is_empty(), "not before its time");
    at(&app, "2027-03-27T06:00:30Z").await;
    let first = sink.wait_for(1).await.text();
    assert!(first.contains("Thursday's storm"), "{first}");
    assert!(
        first.contains("27 March 2027"),
        "the subject names the local day: {first}"
    );

    // Summer time from the 28th: 07:00 in Paris is 05:00 UTC.
    published(
        &app,
        "Saturday's match",
        section,
        "2027-03-27T20:00:00Z".parse().unwrap(),
    )
    .await;
    at(&app, "2027-03-28T04:59:00Z").await;
    assert_eq!(sink.messages().len(), 1, "not before 07:00 local");
    at(&app, "2027-03-28T05:00:30Z").await;
    let second = sink.wait_for(2).await.text();
    assert!(second.contains("Saturday's match"), "{second}");
    assert!(
        !second.contains("Thursday's storm"),
        "only what is new since the last one"
    );

    // Nothing new by the next morning: no digest.
    at(&app, "2027-03-29T05:00:30Z").await;
    quiet(&app, &sink, 2).await;
    assert_eq!(app.store.issues_of(daily).await.unwrap().len(), 2);
}

async fn an_editor_previews_and_tests_an_issue_before_sending(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let letters = add_newsletter(&app, "letters", Cadence::ByHand).await;
    subscribe(&app, letters, "ann@example.org", true).await;
    let article = app
        .store
        .articles_with_status(Status::Published, 1)
        .await
        .unwrap()
        .remove(0);
    let admin = app.admin_client().await;
    let page = format!("/admin/newsletters/{}", letters.0);
    let csrf = csrf_of(&app.page_text(&admin, &page).await);
    let form = [
        ("csrf", csrf.clone()),
        ("article", article.id.0.to_string()),
    ];

    let preview = admin
        .post(app.url(&format!("{page}/preview")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    let policy = preview.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.starts_with("sandbox"), "{policy}");
    let html = preview.text().await.unwrap();
    assert!(
        html.contains(&article.headline.replace('\'', "&#x27;"))
            || html.contains(&article.headline),
        "{html}"
    );
    assert!(!html.contains("%%gazette-"), "no reader's marks left");
    assert!(html.contains(&format!("href=\"{BASE}/")), "absolute links");

    let tested = admin
        .post(app.url(&format!("{page}/test")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(tested.status(), StatusCode::SEE_OTHER);
    assert!(
        tested.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?done=tested")
    );
    let message = sink.wait_for(1).await;
    assert_eq!(message.to, [ADMIN_EMAIL], "to the editor only");
    let text = message.text();
    assert!(text.contains("[Test]"), "{text}");
    assert!(text.contains("multipart/alternative") && text.contains("text/html"));
    quiet(&app, &sink, 1).await;
    assert!(
        app.store.issues_of(letters).await.unwrap().is_empty(),
        "no issue was made"
    );

    // A password-protected article goes by its headline and link: mail cannot ask for the
    // password.
    let secret = "Only for those who know the word.";
    let mut protected = NewArticle::draft(
        "A briefing for members",
        secret,
        gazette_render::render_body(gazette_core::BodyFormat::Markdown, secret),
        gazette_render::RENDER_VERSION,
    );
    protected.slug = gazette_core::Slug::parse("members-briefing").unwrap();
    protected.status = Status::Published;
    protected.published_at = Some(app.clock.now());
    protected.password = Some("letmein".to_owned());
    protected.authors = article.authors.clone();
    let protected = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_article(protected).await }))
        .await
        .unwrap();
    let preview = admin
        .post(app.url(&format!("{page}/preview")))
        .form(&[("csrf", csrf), ("article", protected.id.0.to_string())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("A briefing for members"), "{preview}");
    assert!(
        !preview.contains(secret),
        "the protected text stays on the site"
    );
}
