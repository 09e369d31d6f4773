//! The privacy tools cover newsletters: an export shows a reader's subscriptions with the
//! consent each was given, and an erasure forgets them and keeps the address out for good.

use gazette_core::{Cadence, Email, Suppression};
use gazette_testkit::Backend;
use gazette_testkit::smtp::SmtpSink;

use super::{add_newsletter, journal};

gazette_testkit::on_both_backends!(an_export_shows_the_consent_and_an_erasure_forgets_it);

async fn an_export_shows_the_consent_and_an_erasure_forgets_it(backend: Backend) {
    let sink = SmtpSink::start().await;
    let Some(app) = journal(backend, &sink).await else {
        return;
    };
    let morning = add_newsletter(&app, "morning", Cadence::EachArticle).await;
    let email = Email::parse("Reader@example.org").unwrap();
    let asked = email.clone();
    let consent = gazette_store::NewConsent {
        form: "/newsletters/".to_owned(),
        wording: "Send me the morning briefing.".to_owned(),
    };
    app.store
        .write(|tx| {
            Box::pin(async move {
                let id = tx
                    .request_subscription(&asked, &[morning], &consent)
                    .await?;
                tx.confirm_subscriber(id).await
            })
        })
        .await
        .unwrap();

    let exported = gazette_newsroom::privacy::export(&app.store, &email)
        .await
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&exported).unwrap();
    let newsletters = &json["newsletters"];
    assert_eq!(newsletters["status"], "confirmed", "{exported}");
    let subscription = &newsletters["subscriptions"][0];
    assert_eq!(subscription["newsletter"], "The morning briefing");
    assert_eq!(subscription["consent_form"], "/newsletters/");
    assert_eq!(
        subscription["consent_wording"],
        "Send me the morning briefing."
    );

    let erased = gazette_newsroom::privacy::erase(&app.store, &email)
        .await
        .unwrap();
    assert!(erased.subscriber);
    assert!(
        app.store
            .subscriber_by_email("reader@example.org")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.store.suppression("reader@example.org").await.unwrap(),
        Some(Suppression::Erased)
    );
    let after = gazette_newsroom::privacy::export(&app.store, &email)
        .await
        .unwrap();
    assert!(!after.contains("morning briefing"), "{after}");
}
