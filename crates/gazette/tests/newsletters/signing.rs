//! Mail signed with the journal's DKIM key, checked by a real verifier (PyPI's dkimpy), and
//! the back office's warning when it is not; and a sending rate the relay sets.

use gazette_core::{Cadence, Publication};
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp, TestOptions, dkim};

use super::sending::subscribe;
use super::{BASE, add_newsletter, journal};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_dkimpy),
    ignore = "needs GAZETTE_TEST_DKIMPY and GAZETTE_TEST_PYTHON (see README)"
)]
async fn issues_and_notices_are_signed_with_the_journals_key() {
    let sink = SmtpSink::start().await;
    let keys = tempfile::tempdir().unwrap();
    let (key_file, public_key) = dkim::make_key(keys.path());
    let mut publication = Publication::sample();
    publication.base_url = Some(format!("{BASE}/").parse().unwrap());
    let setting = |name: &str, value: &str| (name.to_owned(), value.to_owned());
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        env: vec![
            setting("GAZETTE_SMTP_DKIM_DOMAIN", "example.org"),
            setting("GAZETTE_SMTP_DKIM_SELECTOR", "gazette"),
            setting("GAZETTE_SMTP_DKIM_KEY_FILE", key_file.to_str().unwrap()),
        ],
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let letters = add_newsletter(&app, "letters", Cadence::ByHand).await;
    subscribe(&app, letters, "ann@example.org", true).await;
    let admin = app.admin_client().await;
    let page = app.page_text(&admin, "/admin/newsletters/").await;
    assert!(!page.contains("dkim-warning"), "signed: no warning");

    let article = app
        .store
        .articles_with_status(gazette_core::Status::Published, 1)
        .await
        .unwrap()
        .remove(0);
    let edit = format!("/admin/newsletters/{}", letters.0);
    let csrf = gazette_testkit::csrf_of(&app.page_text(&admin, &edit).await);
    let form = [("csrf", csrf), ("article", article.id.0.to_string())];
    for action in ["send", "test"] {
        let sent = admin
            .post(app.url(&format!("{edit}/{action}")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303, "{action}");
    }
    sink.wait_for(2).await;
    for message in sink.messages() {
        assert!(message.data.contains("DKIM-Signature:"), "{}", message.data);
        assert!(message.data.contains("d=example.org") && message.data.contains("s=gazette"));
        assert_eq!(
            dkim::verifies(&message.data, &public_key),
            Some(true),
            "the signature holds, for {:?}",
            message.to
        );
        let tampered = message.data.replace("Leave", "Stay");
        assert_ne!(tampered, message.data);
        assert_eq!(
            dkim::verifies(&tampered, &public_key),
            Some(false),
            "a changed body fails: the verifier really checks"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_mail_is_warned_about_in_the_back_office() {
    let sink = SmtpSink::start().await;
    let app = journal(Backend::Sqlite, &sink).await.unwrap();
    let admin = app.admin_client().await;
    let page = app.page_text(&admin, "/admin/newsletters/").await;
    assert!(page.contains("id=\"dkim-warning\""), "{page}");
    assert!(page.contains("smtp.dkim_key_file"));
}
