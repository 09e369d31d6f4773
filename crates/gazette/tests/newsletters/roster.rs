//! Subscribers in the back office: importing another service's export (with the editor's word
//! that its readers consented), searching, exporting, and the counts over time.

use gazette_core::{Cadence, SubscriberStatus, Suppression};
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp, csrf_of};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use super::{add_newsletter, journal};

gazette_testkit::on_both_backends!(an_editor_imports_searches_and_exports_subscribers,);

const MAILCHIMP: &str = "Email Address,First Name,OPTIN_TIME,UNSUB_TIME,CLEAN_TIME\n\
    ann@example.org,Ann,2024-01-01 10:00:00,,\n\
    bob@example.org,Bob,2024-01-01 10:00:00,2025-02-02 10:00:00,\n\
    cat@example.org,Cat,2024-01-01 10:00:00,,2025-03-03 10:00:00\n\
    gone@example.org,Gone,2024-01-01 10:00:00,,\n";

async fn import(
    app: &TestApp,
    admin: &reqwest::Client,
    newsletter: i64,
    consented: bool,
) -> reqwest::Response {
    let page = app.page_text(admin, "/admin/subscribers/").await;
    let mut form = Form::new()
        .text("csrf", csrf_of(&page))
        .text("newsletter", newsletter.to_string())
        .text("source", "Mailchimp, March 2026")
        .text("consent_wording", "Yes, send me the letters")
        .part(
            "file",
            Part::bytes(MAILCHIMP.as_bytes().to_vec()).file_name("members.csv"),
        );
    if consented {
        form = form.text("consented", "yes");
    }
    admin
        .post(app.url("/admin/subscribers/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn an_editor_imports_searches_and_exports_subscribers(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let letters = add_newsletter(&app, "letters", Cadence::ByHand).await;
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.suppress("gone@example.org", Suppression::Complained)
                    .await
            })
        })
        .await
        .unwrap();
    let admin = app.admin_client().await;

    let unvouched = import(&app, &admin, letters.0, false).await;
    assert_eq!(unvouched.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unvouched.text().await.unwrap().contains("consented"));
    assert!(
        app.store
            .subscriber_by_email("ann@example.org")
            .await
            .unwrap()
            .is_none()
    );

    let imported = import(&app, &admin, letters.0, true).await;
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    let location = imported.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("added=1&known=0&withheld=2&suppressed=1"),
        "{location}"
    );
    let ann = app
        .store
        .subscriber_by_email("ann@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann.status, SubscriberStatus::Confirmed);
    assert_eq!(
        ann.subscriptions[0].consent.form,
        "import: Mailchimp, March 2026"
    );
    assert_eq!(
        ann.subscriptions[0].consent.wording,
        "Yes, send me the letters"
    );
    assert_eq!(
        app.store.suppression("bob@example.org").await.unwrap(),
        Some(Suppression::Left)
    );
    assert_eq!(
        app.store.suppression("cat@example.org").await.unwrap(),
        Some(Suppression::Bounced)
    );
    assert!(
        app.store
            .subscriber_by_email("gone@example.org")
            .await
            .unwrap()
            .is_none()
    );
    assert!(sink.messages().is_empty(), "an import mails no one");

    let again = import(&app, &admin, letters.0, true).await;
    let location = again.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("added=0&known=1"),
        "the same file again: {location}"
    );

    let found = app
        .page_text(&admin, "/admin/subscribers/?q=ANN&status=confirmed")
        .await;
    assert!(found.contains("ann@example.org") && found.contains("The letters briefing"));
    assert!(!found.contains("bob@example.org"));
    let none = app
        .page_text(&admin, "/admin/subscribers/?q=ann&status=left")
        .await;
    assert!(
        !none.contains("ann@example.org"),
        "the status filter applies"
    );

    let export = admin
        .get(app.url("/admin/subscribers/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = export.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("email,status,newsletter,subscribed_at,confirmed_at,source")
    );
    let ann_line = lines
        .find(|l| l.starts_with("ann@example.org"))
        .expect(&csv);
    assert!(
        ann_line.contains(",confirmed,letters,")
            && ann_line.ends_with(",\"import: Mailchimp, March 2026\""),
        "{ann_line}"
    );

    // The next day's count shows the imported reader on the newsletter's page.
    app.clock.advance(jiff::SignedDuration::from_hours(25));
    app.node().jobs.wake();
    let page = format!("/admin/newsletters/{}", letters.0);
    let mut counted = String::new();
    for _ in 0..100 {
        counted = app.page_text(&admin, &page).await;
        if counted.contains("Subscribers over time") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    assert!(
        counted.contains("Subscribers over time") && counted.contains("<td>1</td><td>0</td>"),
        "{counted}"
    );

    // Readers and authors do not see subscribers.
    let anonymous = app.get("/admin/subscribers/export.csv").await;
    assert_ne!(anonymous.status(), 200);
}
