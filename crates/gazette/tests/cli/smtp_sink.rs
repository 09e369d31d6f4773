//! `gazette dev smtp-sink`, the separate SMTP process the newsletter benchmark sends to: it
//! asks for the credentials it was given, writes down each message taken (recipient and
//! Message-ID), and defers or refuses on cue, which the sender settles as deferred and bounced.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use gazette_core::{Cadence, Email, Publication, Slug, Suppression};
use gazette_store::{NewConsent, NewIssue, NewNewsletter};
use gazette_testkit::{Backend, TestApp, TestOptions};

use super::gazette;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sink_logs_what_it_took_and_answers_on_cue() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sink.log");
    let mut child = gazette(&[
        "dev",
        "smtp-sink",
        "--listen",
        "127.0.0.1:0",
        "--log",
        log.to_str().unwrap(),
        "--user",
        "relay",
        "--password",
        "a relay password",
    ])
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _sink = super::newsletter_crash::Stopped(child);
    let port: u16 = first
        .trim()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .expect(&first);

    let mut publication = Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let setting = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(port),
        env: vec![
            setting("GAZETTE_SMTP_USERNAME", "relay"),
            setting("GAZETTE_SMTP_PASSWORD", "a relay password"),
        ],
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let new = NewNewsletter {
        slug: Slug::parse("letters").unwrap(),
        name: "Letters".to_owned(),
        description: String::new(),
        cadence: Cadence::ByHand,
        sections: Vec::new(),
        sender_name: "The Desk".to_owned(),
        sender_email: "desk@news.example.org".to_owned(),
        footer: "1 Press Street".to_owned(),
    };
    let letters = gazette_newsroom::newsletters::save(&app.store, None, new)
        .await
        .unwrap();
    for reader in [
        "ann@example.org",
        "bob+550@example.org",
        "cat+450@example.org",
    ] {
        let email = Email::parse(reader).unwrap();
        let consent = NewConsent {
            form: "/newsletters/".to_owned(),
            wording: "Yes".to_owned(),
        };
        app.store
            .write(|tx| {
                Box::pin(async move {
                    let id = tx
                        .request_subscription(&email, &[letters], &consent)
                        .await?;
                    tx.confirm_subscriber(id).await
                })
            })
            .await
            .unwrap();
    }
    let issue = NewIssue {
        newsletter: letters,
        slug: "1-first".to_owned(),
        subject: "First".to_owned(),
        article: None,
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only: false,
    };
    let queued = gazette_newsroom::newsletters::issues::send(&app.store, issue)
        .await
        .unwrap();
    app.node().jobs.wake();

    let mut progress = app.store.issue_progress(queued.issue).await.unwrap();
    for _ in 0..200 {
        progress = app.store.issue_progress(queued.issue).await.unwrap();
        if progress.sent + progress.bounced + progress.deferred == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(
        (progress.sent, progress.bounced, progress.deferred),
        (1, 1, 1),
        "{progress:?}"
    );
    assert_eq!(
        app.store.suppression("bob+550@example.org").await.unwrap(),
        Some(Suppression::Bounced)
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = logged.lines().collect();
    assert_eq!(lines.len(), 1, "{logged}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(fields[1], "ann@example.org");
    assert!(fields[2].starts_with("<issue-"), "{logged}");
}
