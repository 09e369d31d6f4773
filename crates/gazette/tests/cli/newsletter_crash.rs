//! A newsletter's sending killed mid-way (`kill -9` of `gazette serve`) and started again:
//! nobody gets the issue twice, nobody is silently skipped, and what was in flight when the
//! node died is listed `unknown`, no more than one batch of it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gazette_core::{Cadence, Email, NewsletterId, Slug, SystemClock};
use gazette_store::{
    IssueId, IssueStatus, NewConsent, NewIssue, NewNewsletter, Store, StoreOptions,
};
use gazette_testkit::smtp::SmtpSink;

use super::{becomes_ready, data_arg, exits_cleanly, send_sigterm, start_server};

/// Enough that the node is killed with most of them still to send.
const SUBSCRIBERS: usize = 1_500;
/// The sender's batch (`gazette-node`'s `newsletter_mail::BATCH`): at most this many are in
/// flight when the node dies.
const BATCH: usize = 8;

#[test]
fn a_send_killed_midway_sends_nothing_twice_and_skips_nobody() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sink = runtime.block_on(SmtpSink::start());
    let journal = Journal::with_a_queued_issue(&runtime, &sink);
    let (data, database, issue) = (&journal.data, &journal.database, journal.issue);

    let mut child = journal.serve_until_a_quarter_is_sent(&sink);
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let at_the_kill = sink.messages().len();
    assert!(
        at_the_kill < SUBSCRIBERS,
        "killed mid-way: {at_the_kill} sent"
    );

    // Started again, the node sends the rest; the dead node's batch lapses into `unknown`.
    let (child, address) = start_server(data);
    let mut child = Stopped(child);
    assert!(becomes_ready(&address));
    let deadline = Instant::now() + Duration::from_secs(240);
    while runtime.block_on(status(database, issue)) != IssueStatus::Sent {
        assert!(
            Instant::now() < deadline,
            "the issue was not finished after the restart"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    send_sigterm(&child.0);
    exits_cleanly(&mut child.0);

    let mut received: HashMap<String, usize> = HashMap::new();
    for message in sink.messages() {
        for to in message.to {
            *received.entry(to).or_default() += 1;
        }
    }
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    let progress = runtime.block_on(async {
        let store = open(database).await;
        let progress = store.issue_progress(issue).await.unwrap();
        store.close().await;
        progress
    });
    let sent = usize::try_from(progress.sent).unwrap();
    let unknown = usize::try_from(progress.unknown).unwrap();
    assert_eq!(sent + unknown, SUBSCRIBERS, "no silent gap: {progress:?}");
    assert!(
        unknown <= BATCH,
        "unknown ≤ one batch in flight: {progress:?}"
    );
    assert!(
        received.len() >= sent,
        "every delivery marked sent reached the relay"
    );
    assert!(
        received.len() <= sent + unknown,
        "whatever reached the relay is either sent or unknown"
    );
    eprintln!(
        "killed after {at_the_kill} messages; {sent} sent, {unknown} unknown, {} received",
        received.len()
    );
}

/// A node asked to stop (SIGTERM) in the middle of a send finishes the batch in hand and
/// stops within seconds, not when the whole list is sent; started again, it sends the rest.
/// Nothing is left `unknown`, since nothing was cut off.
#[test]
fn a_send_asked_to_stop_hands_the_rest_over() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sink = runtime.block_on(SmtpSink::start());
    let journal = Journal::with_a_queued_issue(&runtime, &sink);
    let (data, database, issue) = (&journal.data, &journal.database, journal.issue);

    let mut child = journal.serve_until_a_quarter_is_sent(&sink);
    send_sigterm(&child.0);
    exits_cleanly(&mut child.0);
    let stopped = runtime.block_on(progress(database, issue));
    assert!(
        usize::try_from(stopped.sent).unwrap() < SUBSCRIBERS,
        "the node stopped before the end of the list: {stopped:?}"
    );
    assert_eq!(
        (stopped.sending, stopped.unknown),
        (0, 0),
        "the batch in hand was settled: {stopped:?}"
    );
    assert_eq!(
        sink.messages().len(),
        usize::try_from(stopped.sent).unwrap()
    );

    let (child, address) = start_server(data);
    let mut child = Stopped(child);
    assert!(becomes_ready(&address));
    let deadline = Instant::now() + Duration::from_secs(120);
    while runtime.block_on(status(database, issue)) != IssueStatus::Sent {
        assert!(Instant::now() < deadline, "the rest was not sent");
        std::thread::sleep(Duration::from_millis(200));
    }
    send_sigterm(&child.0);
    exits_cleanly(&mut child.0);
    let mut readers: Vec<String> = sink.messages().into_iter().flat_map(|m| m.to).collect();
    readers.sort();
    readers.dedup();
    assert_eq!(sink.messages().len(), SUBSCRIBERS, "each reader once");
    assert_eq!(readers.len(), SUBSCRIBERS, "each reader once");
}

/// A journal made by a first run, with a newsletter of [`SUBSCRIBERS`] confirmed readers and
/// an issue queued while no node runs; mail goes to `sink`.
struct Journal {
    _dir: tempfile::TempDir,
    data: String,
    database: std::path::PathBuf,
    issue: IssueId,
}

impl Journal {
    fn with_a_queued_issue(runtime: &tokio::runtime::Runtime, sink: &SmtpSink) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = data_arg(dir.path());
        std::fs::write(
            dir.path().join("gazette.toml"),
            format!(
                "[smtp]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"desk@news.example.org\"\n\
                 tls = \"none\"\n\n[publication]\nbase_url = \"https://news.example.org/\"\n",
                sink.port
            ),
        )
        .unwrap();
        let (child, address) = start_server(&data);
        let mut child = Stopped(child);
        assert!(becomes_ready(&address));
        send_sigterm(&child.0);
        exits_cleanly(&mut child.0);
        let database = dir.path().join("gazette.db");
        let issue = runtime.block_on(queue_an_issue(&database));
        Self {
            _dir: dir,
            data,
            database,
            issue,
        }
    }

    /// Starts a node on the journal and returns it once a quarter of the readers have the
    /// issue, mid-send.
    fn serve_until_a_quarter_is_sent(&self, sink: &SmtpSink) -> Stopped {
        let (child, address) = start_server(&self.data);
        let child = Stopped(child);
        assert!(becomes_ready(&address));
        let deadline = Instant::now() + Duration::from_secs(60);
        while sink.messages().len() < SUBSCRIBERS / 4 {
            assert!(Instant::now() < deadline, "the sending did not start");
            std::thread::sleep(Duration::from_millis(5));
        }
        child
    }
}

async fn progress(database: &Path, issue: IssueId) -> gazette_store::Progress {
    let store = open(database).await;
    let progress = store.issue_progress(issue).await.unwrap();
    store.close().await;
    progress
}

/// A server process that is killed if the test ends early (a failed assertion), so that no
/// server outlives its test.
pub(super) struct Stopped(pub(super) std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn open(database: &Path) -> Store {
    let url = format!("sqlite:{}", database.display());
    Store::connect(&url, StoreOptions::new(Arc::new(SystemClock)))
        .await
        .unwrap()
}

async fn status(database: &Path, issue: IssueId) -> IssueStatus {
    let store = open(database).await;
    let status = store.issue(issue).await.unwrap().unwrap().status;
    store.close().await;
    status
}

/// A newsletter with its confirmed subscribers, and an issue of it queued.
async fn queue_an_issue(database: &Path) -> IssueId {
    let store = open(database).await;
    let new = NewNewsletter {
        slug: Slug::parse("morning").unwrap(),
        name: "Morning".to_owned(),
        description: String::new(),
        cadence: Cadence::ByHand,
        sections: Vec::new(),
        sender_name: "The Desk".to_owned(),
        sender_email: "desk@news.example.org".to_owned(),
        footer: "1 Press Street".to_owned(),
    };
    let newsletter: NewsletterId = gazette_newsroom::newsletters::save(&store, None, new)
        .await
        .unwrap();
    store
        .write(|tx| {
            Box::pin(async move {
                let consent = NewConsent {
                    form: "/newsletters/".to_owned(),
                    wording: "Yes".to_owned(),
                };
                for n in 0..SUBSCRIBERS {
                    let email = Email::parse(&format!("reader{n}@example.org")).unwrap();
                    let id = tx
                        .request_subscription(&email, &[newsletter], &consent)
                        .await?;
                    tx.confirm_subscriber(id).await?;
                }
                Ok::<_, gazette_store::StoreError>(())
            })
        })
        .await
        .unwrap();
    let issue = NewIssue {
        newsletter,
        slug: "1-first".to_owned(),
        subject: "The first issue".to_owned(),
        article: None,
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only: false,
    };
    let queued = gazette_newsroom::newsletters::issues::send(&store, issue)
        .await
        .unwrap();
    assert_eq!(queued.deliveries, u64::try_from(SUBSCRIBERS).unwrap());
    store.close().await;
    queued.issue
}
