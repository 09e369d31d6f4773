//! `gazette dev smtp-sink`, the separate SMTP process the newsletter benchmark sends to: it
//! asks for the credentials it was given, writes down each message taken (recipient and
//! Message-ID), and defers or refuses on cue, which the sender settles as deferred and bounced.
//! Given a certificate, it requires STARTTLS, which the node speaks when it trusts the relay's
//! authority (`smtp.ca_file`).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gazette_core::{Cadence, Email, NewsletterId, Publication, Slug, Suppression};
use gazette_store::{IssueId, NewConsent, NewIssue, NewJob, NewNewsletter, SEND_EMAIL};
use gazette_testkit::{Backend, TestApp, TestOptions};

use super::gazette;
use super::newsletter_crash::Stopped;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sink_logs_what_it_took_and_answers_on_cue() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &[]);
    let app = node(sink.port, &[]).await;
    let issue = send_an_issue(
        &app,
        &[
            "ann@example.org",
            "bob+550@example.org",
            "cat+450@example.org",
        ],
    )
    .await;

    let mut progress = app.store.issue_progress(issue).await.unwrap();
    for _ in 0..200 {
        progress = app.store.issue_progress(issue).await.unwrap();
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
    let logged = sink.logged();
    let lines: Vec<&str> = logged.lines().collect();
    assert_eq!(lines.len(), 1, "{logged}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(fields[1], "ann@example.org");
    assert!(fields[2].starts_with("<issue-"), "{logged}");
}

/// With a certificate the sink asks for STARTTLS before anything else; the node, trusting the
/// authority that signed it, upgrades both its newsletter connections and its notices'.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sink_requires_starttls_and_the_node_speaks_it() {
    let dir = tempfile::tempdir().unwrap();
    let (authority, certificate, key) = certificates(dir.path());
    let kept = dir.path().join("kept");
    std::fs::create_dir(&kept).unwrap();
    let sink = Sink::start(
        dir.path(),
        &[
            "--tls-cert",
            certificate.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--keep",
            kept.to_str().unwrap(),
        ],
    );
    let greeting = sink.converse(&["EHLO client.example.org", "MAIL FROM:<a@example.org>"]);
    assert!(greeting.contains("250-STARTTLS"), "{greeting}");
    assert!(
        !greeting.contains("AUTH"),
        "no AUTH in the clear: {greeting}"
    );
    assert!(
        greeting.contains("530 5.7.0"),
        "no MAIL in the clear: {greeting}"
    );

    let app = node(
        sink.port,
        &[
            ("GAZETTE_SMTP_TLS", "starttls"),
            ("GAZETTE_SMTP_CA_FILE", authority.to_str().unwrap()),
        ],
    )
    .await;
    let issue = send_an_issue(&app, &["ann@example.org", "bob@example.org"]).await;
    let notice = NewJob::new(
        SEND_EMAIL,
        serde_json::json!({ "to": "cat@example.org", "subject": "A notice", "text": "Hello" }),
        app.store.clock().now(),
    );
    app.store
        .write(|tx| Box::pin(async move { tx.enqueue_job(&notice).await }))
        .await
        .unwrap();
    app.node().jobs.wake();
    for _ in 0..400 {
        if sink.logged().lines().count() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let logged = sink.logged();
    let mut readers: Vec<&str> = logged
        .lines()
        .filter_map(|line| line.split('\t').nth(1))
        .collect();
    readers.sort_unstable();
    assert_eq!(
        readers,
        ["ann@example.org", "bob@example.org", "cat@example.org"],
        "{logged}"
    );
    assert_eq!(app.store.issue_progress(issue).await.unwrap().sent, 2);
    // --keep wrote each whole message, in the log's order.
    let notice = std::fs::read_dir(&kept)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .find(|message| message.contains("Subject: A notice"))
        .unwrap_or_else(|| panic!("the notice was not kept in {}", kept.display()));
    assert!(notice.contains("To: cat@example.org"), "{notice}");
    assert!(
        notice.contains("\r\n\r\nHello"),
        "headers, then the body: {notice}"
    );
}

/// A running `gazette dev smtp-sink` (stopped when dropped), whose AUTH wants `relay` and
/// `a relay password`.
struct Sink {
    port: u16,
    log: PathBuf,
    _process: Stopped,
}

impl Sink {
    fn start(dir: &Path, extra: &[&str]) -> Self {
        let log = dir.join("sink.log");
        let mut args = vec![
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
        ];
        args.extend_from_slice(extra);
        let mut child = gazette(&args).stderr(Stdio::piped()).spawn().unwrap();
        let mut first = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let process = Stopped(child);
        let port = first
            .trim()
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("the sink did not say where it listens: {first:?}"));
        Self {
            port,
            log,
            _process: process,
        }
    }

    /// What the sink took so far (empty before the first message).
    fn logged(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Says `commands` over a plain connection, then QUIT; everything the sink answered.
    fn converse(&self, commands: &[&str]) -> String {
        let mut socket = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut said = String::new();
        for command in commands.iter().chain(&["QUIT"]) {
            said.push_str(command);
            said.push_str("\r\n");
        }
        socket.write_all(said.as_bytes()).unwrap();
        let mut answers = String::new();
        socket.read_to_string(&mut answers).unwrap();
        answers
    }
}

/// A node sending through the sink with its credentials and `env`.
async fn node(port: u16, env: &[(&str, &str)]) -> TestApp {
    let mut publication = Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let mut settings = vec![
        ("GAZETTE_SMTP_USERNAME", "relay"),
        ("GAZETTE_SMTP_PASSWORD", "a relay password"),
    ];
    settings.extend_from_slice(env);
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(port),
        env: settings
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        ..TestOptions::default()
    };
    TestApp::spawn_with(Backend::Sqlite, options).await.unwrap()
}

/// A certificate authority, and a certificate it signed for 127.0.0.1 with its key, made by
/// Debian's `openssl` as an organisation makes its own.
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let openssl = |args: &str| {
        let made = Command::new("openssl")
            .current_dir(dir)
            .args(args.split(' '))
            .output()
            .unwrap_or_else(|e| panic!("running openssl: {e}"));
        assert!(made.status.success(), "openssl {args}: {made:?}");
    };
    let key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    openssl(&format!(
        "req -x509 {key} -keyout ca.key -out ca.pem -days 2 -subj /CN=Test-Relay-Authority"
    ));
    openssl(&format!(
        "req {key} -keyout relay.key -out relay.csr -subj /CN=127.0.0.1"
    ));
    std::fs::write(
        dir.join("relay.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        "x509 -req -in relay.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
         -extfile relay.ext -out relay.pem",
    );
    (
        dir.join("ca.pem"),
        dir.join("relay.pem"),
        dir.join("relay.key"),
    )
}

/// Sends a newsletter issue to `readers`, each a confirmed subscriber.
async fn send_an_issue(app: &TestApp, readers: &[&str]) -> IssueId {
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
    let letters: NewsletterId = gazette_newsroom::newsletters::save(&app.store, None, new)
        .await
        .unwrap();
    for reader in readers {
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
    queued.issue
}
