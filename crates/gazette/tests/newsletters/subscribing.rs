//! Asking for newsletters, confirming, choosing and leaving.

use gazette_core::{Cadence, Clock as _, SubscriberStatus, Suppression};
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp};
use jiff::SignedDuration;
use reqwest::StatusCode;

use super::{add_newsletter, add_newsletter_for, form_token, journal, link};

gazette_testkit::on_both_backends!(
    a_reader_subscribes_confirms_chooses_and_leaves_in_one_click,
    asking_again_reveals_nothing_and_mails_once_a_day,
    bad_forms_are_refused_with_what_is_wrong,
    pages_offer_the_newsletters_that_carry_them,
);

/// Sends the form as a reader would, a while after opening it.
async fn ask(app: &TestApp, email: &str, newsletters: &[i64]) -> reqwest::Response {
    let page = app.get("/newsletters/").await.text().await.unwrap();
    app.clock.advance(SignedDuration::from_secs(20));
    let mut fields = vec![
        ("email".to_owned(), email.to_owned()),
        ("form_token".to_owned(), form_token(&page)),
        ("fax".to_owned(), String::new()),
    ];
    for id in newsletters {
        fields.push(("newsletter".to_owned(), id.to_string()));
    }
    app.client
        .post(app.url("/newsletters/"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn subscriber_of(app: &TestApp, message: &str) -> gazette_core::Subscriber {
    let path = link(message, "/newsletters/confirm/");
    let token = path.rsplit('/').next().unwrap();
    let claim = gazette_core::newsletter::links::LinkClaim::parse(token).unwrap();
    app.store
        .subscriber(claim.subscriber)
        .await
        .unwrap()
        .unwrap()
}

async fn a_reader_subscribes_confirms_chooses_and_leaves_in_one_click(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::Daily { minute: 7 * 60 }).await;
    let weekly = add_newsletter(
        &app,
        "week",
        Cadence::Weekly {
            weekday: 5,
            minute: 17 * 60,
        },
    )
    .await;

    let page = app.get("/newsletters/").await;
    let status = page.status();
    let page = page.text().await.unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("The morning briefing") && page.contains("every day at 07:00"),
        "{page}"
    );
    assert!(page.contains("every Friday at 17:00"), "{page}");
    assert!(page.contains("no tracking"), "the page says there is none");

    let asked = ask(&app, "Reader@Example.org", &[morning.0]).await;
    assert_eq!(asked.status(), 200);
    assert!(
        asked
            .text()
            .await
            .unwrap()
            .contains("a confirmation email is on its way")
    );
    let confirmation = sink.wait_for(1).await.text();
    assert!(
        confirmation.contains("Confirm your subscription"),
        "{confirmation}"
    );
    // Gmail and others refuse mail without one; lettre adds none by itself.
    assert!(
        confirmation.contains("\r\nMessage-ID: <mail-"),
        "{confirmation}"
    );
    let subscriber = subscriber_of(&app, &confirmation).await;
    assert_eq!(
        subscriber.status,
        SubscriberStatus::Pending,
        "nothing before confirming"
    );
    assert_eq!(subscriber.subscriptions[0].consent.form, "/newsletters/");
    assert!(
        subscriber.subscriptions[0]
            .consent
            .wording
            .contains("I agree")
    );

    // A mail scanner opens the link: nothing changes.
    let confirm = link(&confirmation, "/newsletters/confirm/");
    let opened = app.get(&confirm).await;
    assert_eq!(opened.status(), 200);
    assert!(opened.text().await.unwrap().contains("<button"));
    let still = app.store.subscriber(subscriber.id).await.unwrap().unwrap();
    assert_eq!(
        still.status,
        SubscriberStatus::Pending,
        "a GET changes nothing"
    );

    let confirmed = app.client.post(app.url(&confirm)).send().await.unwrap();
    assert_eq!(confirmed.status(), 200);
    let confirmed = confirmed.text().await.unwrap();
    assert!(
        confirmed.contains("Your subscription is confirmed"),
        "{confirmed}"
    );
    let now = app.store.subscriber(subscriber.id).await.unwrap().unwrap();
    assert_eq!(now.status, SubscriberStatus::Confirmed);

    // Preferences, reached from the confirmation page: the weekly one as well.
    let at = confirmed
        .find("/newsletters/preferences/")
        .expect("a preferences link");
    let preferences = confirmed[at..].split('"').next().unwrap().to_owned();
    let chosen = app
        .client
        .post(app.url(&preferences))
        .form(&[
            ("newsletter", morning.0.to_string()),
            ("newsletter", weekly.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), 200);
    let both = app.store.subscriber(subscriber.id).await.unwrap().unwrap();
    assert_eq!(both.subscriptions.len(), 2);

    // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click`, with no cookie and no page.
    let token = preferences.rsplit('/').next().unwrap();
    let claim = gazette_core::newsletter::links::LinkClaim::parse(token).unwrap();
    let unsubscribe = format!(
        "/newsletters/unsubscribe/{}",
        gazette_core::newsletter::links::token(
            &app.store.server_secret().await.unwrap().unwrap(),
            gazette_core::newsletter::links::LinkPurpose::Unsubscribe,
            claim.subscriber,
            &both.email,
            app.clock.now(),
        )
    );
    let forged = app
        .client
        .post(app.url(&preferences.replace("/preferences/", "/unsubscribe/")))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        404,
        "a preferences token cannot unsubscribe"
    );
    let left = reqwest::Client::new()
        .post(app.url(&unsubscribe))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 200);
    let gone = app.store.subscriber(subscriber.id).await.unwrap().unwrap();
    assert_eq!(gone.status, SubscriberStatus::Left);
    assert!(gone.subscriptions.is_empty());
    assert_eq!(
        app.store.suppression("reader@example.org").await.unwrap(),
        Some(Suppression::Left)
    );

    // The old confirmation link, pressed again, does not undo leaving.
    let pressed = app.client.post(app.url(&confirm)).send().await.unwrap();
    assert_eq!(pressed.status(), 200);
    let still_gone = app.store.subscriber(subscriber.id).await.unwrap().unwrap();
    assert_eq!(still_gone.status, SubscriberStatus::Left);
    assert_eq!(
        app.store.suppression("reader@example.org").await.unwrap(),
        Some(Suppression::Left)
    );
}

async fn asking_again_reveals_nothing_and_mails_once_a_day(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::EachArticle).await;
    let first = ask(&app, "twice@example.org", &[morning.0]).await;
    let first = first.text().await.unwrap();
    sink.wait_for(1).await;
    let again = ask(&app, "twice@example.org", &[morning.0]).await;
    assert_eq!(again.status(), 200);
    let again = again.text().await.unwrap();
    let answer = |page: &str| page.contains("a confirmation email is on its way");
    assert!(answer(&first) && answer(&again), "the same answer");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1, "one confirmation a day at most");

    // A bounced address gets nothing, and the reader is told the same.
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.suppress("bounced@example.org", Suppression::Bounced)
                    .await
            })
        })
        .await
        .unwrap();
    let bounced = ask(&app, "bounced@example.org", &[morning.0]).await;
    assert!(answer(&bounced.text().await.unwrap()));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1, "nothing to a suppressed address");
}

async fn bad_forms_are_refused_with_what_is_wrong(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::EachArticle).await;
    let not_email = ask(&app, "not an address", &[morning.0]).await;
    assert_eq!(not_email.status(), StatusCode::BAD_REQUEST);
    assert!(
        not_email
            .text()
            .await
            .unwrap()
            .contains("Enter a valid email address")
    );
    let nothing = ask(&app, "a@example.org", &[]).await;
    assert_eq!(nothing.status(), StatusCode::BAD_REQUEST);
    assert!(
        nothing
            .text()
            .await
            .unwrap()
            .contains("Choose at least one newsletter")
    );
    let unknown = ask(&app, "a@example.org", &[morning.0 + 100]).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let hurried = app
        .client
        .post(app.url("/newsletters/"))
        .form(&[
            ("email", "a@example.org"),
            ("newsletter", &morning.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        hurried.status(),
        StatusCode::OK,
        "no form token: one more step"
    );
    assert!(hurried.text().await.unwrap().contains("One more step"));
    let forged = app
        .client
        .post(app.url("/newsletters/"))
        .form(&[
            ("email", "a@example.org"),
            ("newsletter", &morning.0.to_string()),
            ("form_token", "1700000000.00.forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST, "a forged token");
    assert!(forged.text().await.unwrap().contains("Reload the page"));
    let forged = app
        .get("/newsletters/confirm/c.1.99999999999.0123456789abcdef0123456789abcdef")
        .await;
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    let page = forged.text().await.unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.contains("<main"),
        "a broken link lands on the journal's themed page: {page}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(sink.messages().is_empty(), "no mail for any of them");
}

/// The `value` of the first `<input name="{name}"` after `from` in a page.
fn input_value(page: &str, from: &str, name: &str) -> String {
    let start = page.find(from).expect(from);
    let field = format!("name=\"{name}\" value=\"");
    let at = page[start..].find(&field).expect(&field) + start + field.len();
    page[at..].split('"').next().unwrap().to_owned()
}

async fn pages_offer_the_newsletters_that_carry_them(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let sections = app.store.sections().await.unwrap();
    let child = sections.iter().find(|s| s.parent.is_some()).unwrap();
    let parent = child.parent.unwrap();
    let parent_section = sections.iter().find(|s| s.id == parent).unwrap();
    assert!(
        parent_section.parent.is_none(),
        "a top section: /category/{{slug}}/"
    );
    let other = sections
        .iter()
        .find(|s| s.id != parent && s.id != child.id && s.parent != Some(parent))
        .unwrap();
    let article = app
        .store
        .published_articles(
            &gazette_store::ArticleFilter::InSections(vec![child.id]),
            0,
            1,
        )
        .await
        .unwrap()
        .articles
        .remove(0);
    let path = app.published_path(article.id).await;
    // Read before any newsletter exists: the cached pages must not keep showing none.
    let before = app.get(&path).await.text().await.unwrap();
    assert!(!before.contains("newsletter-signup"));
    assert!(
        !app.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("newsletter-signup")
    );

    let carrying = add_newsletter_for(&app, "parent", Cadence::EachArticle, vec![parent]).await;
    let by_hand = add_newsletter(&app, "letters", Cadence::ByHand).await;
    let elsewhere =
        add_newsletter_for(&app, "elsewhere", Cadence::EachArticle, vec![other.id]).await;
    let offers = |page: &str, id: gazette_core::NewsletterId| {
        page.contains(&format!("name=\"newsletter\" value=\"{}\"", id.0))
    };
    let article_page = app.get(&path).await.text().await.unwrap();
    assert!(article_page.contains("newsletter-signup"), "{article_page}");
    assert!(
        offers(&article_page, carrying) && offers(&article_page, by_hand),
        "the newsletter of the article's parent section, and the one sent by hand"
    );
    assert!(!offers(&article_page, elsewhere), "not another section's");
    let home = app.get("/").await.text().await.unwrap();
    assert!(offers(&home, carrying) && offers(&home, by_hand) && offers(&home, elsewhere));
    let section_page = app
        .get(&format!("/category/{}/", parent_section.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(offers(&section_page, carrying) && !offers(&section_page, elsewhere));
    assert_eq!(
        input_value(&article_page, "newsletter-signup", "form_token"),
        "",
        "a shared page carries no token; its script asks for one"
    );

    // Sent without scripts (no token): the same request comes back for one more press.
    let email = "reader@example.org";
    let again = app
        .client
        .post(app.url("/newsletters/"))
        .form(&[
            ("newsletter", carrying.0.to_string()),
            ("email", email.to_owned()),
            ("fax", String::new()),
            ("form_token", String::new()),
            ("form", path.clone()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let again = again.text().await.unwrap();
    assert!(again.contains("One more step"), "{again}");
    assert_eq!(input_value(&again, "newsletter-form", "form"), path);
    assert!(
        again.contains(&format!("value=\"{email}\"")),
        "the address is kept"
    );
    assert!(
        again.contains(&format!(
            "id=\"newsletter-{}\" name=\"newsletter\" value=\"{}\" checked",
            carrying.0, carrying.0
        )),
        "the choice is kept"
    );
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        sink.messages().is_empty(),
        "nothing sent before the second press"
    );

    app.clock.advance(SignedDuration::from_secs(20));
    let asked = app
        .client
        .post(app.url("/newsletters/"))
        .form(&[
            ("newsletter", carrying.0.to_string()),
            ("email", email.to_owned()),
            ("fax", String::new()),
            ("form_token", form_token(&again)),
            ("form", path.clone()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        asked
            .text()
            .await
            .unwrap()
            .contains("a confirmation email is on its way")
    );
    let confirmation = sink.wait_for(1).await.text();
    let subscriber = subscriber_of(&app, &confirmation).await;
    assert_eq!(
        subscriber.subscriptions[0].consent.form, path,
        "the consent names the page the reader started on"
    );
}

/// The confirmation is the theme's, in the journal's language, with a plain-text and an HTML
/// part, both carrying the reader's own link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_confirmation_is_in_the_journals_language_with_both_parts() {
    let sink = SmtpSink::start().await;
    let mut publication = gazette_core::Publication::sample();
    publication.base_url = Some(format!("{}/", super::BASE).parse().unwrap());
    publication.language = gazette_core::LanguageTag::parse("fr").unwrap();
    let options = gazette_testkit::TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..gazette_testkit::TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let letters = add_newsletter(&app, "matin", Cadence::ByHand).await;
    assert_eq!(
        ask(&app, "lectrice@example.org", &[letters.0])
            .await
            .status(),
        StatusCode::OK
    );
    let message = sink.wait_for(1).await.text();
    assert!(
        message.contains("Subject: [The Gazette Chronicle] Confirmez votre inscription"),
        "{message}"
    );
    assert!(
        message.contains("Content-Type: text/plain") && message.contains("Content-Type: text/html"),
        "both parts: {message}"
    );
    assert!(message.contains("<html lang=\"fr\">"), "{message}");
    assert!(message.contains("Confirmer mon inscription"), "{message}");
    let own_link = format!("{}/newsletters/confirm/", super::BASE);
    assert_eq!(
        message.matches(&own_link).count(),
        2,
        "the link in each part: {message}"
    );
    assert!(
        message.contains(&format!("href=\"{own_link}")),
        "a button: {message}"
    );
    assert!(
        !message.contains(gazette_newsroom::newsletters::CONFIRM_MARK),
        "{message}"
    );
}
