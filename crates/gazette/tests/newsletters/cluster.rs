//! Two nodes on one PostgreSQL database share an issue's sending: each mails through its own
//! relay (a sink each), and between them every subscriber gets the issue once.

use std::collections::HashSet;

use gazette_core::Cadence;
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestOptions};

use super::sending::subscribe;
use super::{BASE, add_newsletter};

const READERS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn two_nodes_share_a_send_and_nobody_gets_it_twice() {
    let (sink_a, sink_b) = (SmtpSink::start().await, SmtpSink::start().await);
    // A pace both nodes keep (5 ms a message), so the second joins while the first works.
    let node = |port: u16| {
        let mut publication = gazette_core::Publication::sample();
        publication.base_url = Some(format!("{BASE}/").parse().unwrap());
        TestOptions {
            demo: true,
            publication: Some(publication),
            smtp_port: Some(port),
            env: vec![("GAZETTE_SMTP_MAX_PER_MINUTE".to_owned(), "12000".to_owned())],
            ..TestOptions::default()
        }
    };
    let Some(a) = gazette_testkit::TestApp::spawn_with(Backend::Postgres, node(sink_a.port)).await
    else {
        return;
    };
    let b = a.spawn_beside(node(sink_b.port)).await;
    let letters = add_newsletter(&a, "letters", Cadence::ByHand).await;
    for n in 0..READERS {
        subscribe(&a, letters, &format!("reader{n}@example.org"), true).await;
    }
    let issue = gazette_store::NewIssue {
        newsletter: letters,
        slug: "1-together".to_owned(),
        subject: "Sent by two".to_owned(),
        article: None,
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only: false,
    };
    let queued = gazette_newsroom::newsletters::issues::send(&a.store, issue)
        .await
        .unwrap();
    assert_eq!(queued.deliveries, READERS as u64);
    a.node().jobs.wake();
    b.node().jobs.wake();

    let mut done = false;
    for _ in 0..600 {
        if sink_a.messages().len() + sink_b.messages().len() >= READERS {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(done, "every reader was mailed");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let recipients = |sink: &SmtpSink| -> Vec<String> {
        sink.messages().into_iter().flat_map(|m| m.to).collect()
    };
    let (by_a, by_b) = (recipients(&sink_a), recipients(&sink_b));
    let all: HashSet<&String> = by_a.iter().chain(&by_b).collect();
    assert_eq!(by_a.len() + by_b.len(), READERS, "nobody got it twice");
    assert_eq!(all.len(), READERS, "and nobody was left out");
    assert!(
        !by_a.is_empty() && !by_b.is_empty(),
        "both nodes sent: {} and {}",
        by_a.len(),
        by_b.len()
    );
    let progress = a.store.issue_progress(queued.issue).await.unwrap();
    assert_eq!(progress.sent, READERS as i64);
}
