//! The `gazette` binary as an operator runs it: bad configuration stops with a message that
//! names the setting and the fix, `user add`, `backup` restorable with `--data`, and `serve`
//! shutting down cleanly on SIGTERM.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_gazette");

#[path = "cli/first_command.rs"]
mod first_command;

/// Runs gazette with a clean `GAZETTE_*` environment and no PostgreSQL test variable leaking
/// in as configuration.
fn gazette(args: &[&str]) -> Command {
    let mut command = Command::new(BINARY);
    command
        .args(args)
        .env_remove("RUST_LOG")
        .env("GAZETTE_ADMIN_PASSWORD", "a long enough password");
    for (key, _) in std::env::vars() {
        if key.starts_with("GAZETTE_") && !key.starts_with("GAZETTE_TEST_") {
            command.env_remove(key);
        }
    }
    command
}

fn run(command: &mut Command) -> (bool, String) {
    let Output { status, stderr, .. } = command.stdin(Stdio::null()).output().unwrap();
    (
        status.success(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn data_arg(dir: &Path) -> String {
    dir.to_str().unwrap().to_owned()
}

#[test]
fn help_lists_every_command() {
    let output = gazette(&["--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in [
        "serve", "migrate", "user", "backup", "privacy", "search", "dev",
    ] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn the_corpus_generator_fills_a_store_and_writes_the_same_journal_as_wxr() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let wxr = dir.path().join("corpus.xml");
    let wxr_arg = wxr.to_str().unwrap();

    let refused = gazette(&["dev", "corpus", "--data", &data, "--articles", "5"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("gazette migrate --no-demo"));

    let migrated = gazette(&["migrate", "--no-demo", "--data", &data])
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let args = [
        "dev",
        "corpus",
        "--data",
        &data,
        "--articles",
        "40",
        "--comments",
        "120",
    ];
    let made = gazette(&args).args(["--wxr", wxr_arg]).output().unwrap();
    let report = String::from_utf8_lossy(&made.stderr);
    assert!(made.status.success(), "{report}");
    assert!(
        report.contains("Wrote 40 articles and 120 comments into the store"),
        "{report}"
    );
    let export = std::fs::read_to_string(&wxr).unwrap();
    assert_eq!(export.matches("<item>").count(), 40);
    assert_eq!(export.matches("<wp:comment>").count(), 120);

    // The index over the generated store, and the benchmark's comparison, run.
    let reindexed = gazette(&["search", "reindex", "--data", &data])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&reindexed.stderr);
    assert!(report.contains("Indexed 40 articles"), "{report}");
    let bench = gazette(&[
        "dev",
        "bench-search",
        "--data",
        &data,
        "--queries",
        "50",
        "--like-queries",
        "5",
    ])
    .output()
    .unwrap();
    let table = String::from_utf8_lossy(&bench.stdout);
    assert!(
        bench.status.success(),
        "{}",
        String::from_utf8_lossy(&bench.stderr)
    );
    assert!(
        table.contains("| tantivy index | 50 |") && table.contains("| SQL LIKE scan | 5 |"),
        "{table}"
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn a_dry_run_import_reports_what_an_export_holds_or_why_it_is_refused() {
    let Some(fixtures) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let theme = fixtures.join("theme-test-data/themeunittestdata.wordpress.xml");
    let checked = gazette(&["import", "wxr", "--dry-run", theme.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        report.contains("Posts: 58 (1 drafts, 1 scheduled, 56 published)"),
        "{report}"
    );
    assert!(report.contains("Nothing was written"));

    let truncated = fixtures.join("importer-suite/malformed-simple.xml");
    let refused = gazette(&["import", "wxr", "--dry-run", truncated.to_str().unwrap()])
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        message.contains("cannot be imported: line 14, column 1"),
        "{message}"
    );

    // Without --dry-run it writes; a refused file writes nothing; a second run changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let migrated = gazette(&["migrate", "--no-demo", "--data", data])
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let import = |file: &std::path::Path| {
        gazette(&["import", "wxr", "--data", data, file.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let refused = import(&truncated);
    assert!(!refused.status.success());
    let imported = import(&theme);
    let report = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(
        report.contains("Articles: 58 (1 draft, 56 published, 1 scheduled)."),
        "{report}"
    );
    assert!(
        report.contains("People: 2. Sections: 68. Tags: 110."),
        "{report}"
    );
    let again = import(&theme);
    let report = String::from_utf8_lossy(&again.stdout);
    assert!(report.contains("Articles: 0."), "{report}");
    assert!(report.contains("Already imported before"), "{report}");

    // The journal exports to a file, which appears only once complete; a destination that
    // cannot be written is named and leaves nothing behind.
    let export = |output: &std::path::Path| {
        gazette(&[
            "export",
            "wxr",
            "--data",
            data,
            "--output",
            output.to_str().unwrap(),
        ])
        .output()
        .unwrap()
    };
    let exported_to = dir.path().join("journal.xml");
    let exported = export(&exported_to);
    let summary = String::from_utf8_lossy(&exported.stderr);
    assert!(exported.status.success(), "{summary}");
    assert!(
        summary.contains("Exported 58 articles (33 comments in all"),
        "{summary}"
    );
    let checked = gazette(&["import", "wxr", "--dry-run", exported_to.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(report.contains("Posts: 58"), "{report}");
    let unwritable = dir.path().join("missing-folder/journal.xml");
    let failed = export(&unwritable);
    let message = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(message.contains("missing-folder"), "{message}");
    assert!(!dir.path().join("missing-folder").exists());
}

/// Environment, `gazette.toml` contents, and what the error message must mention.
type ConfigCase = (
    Vec<(&'static str, &'static str)>,
    &'static str,
    Vec<&'static str>,
);

#[test]
fn bad_configuration_names_the_setting_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let cases: Vec<ConfigCase> = vec![
        (
            vec![],
            "colour = \"blue\"\n",
            vec!["colour", "gazette.toml"],
        ),
        (
            vec![],
            "[publication]\nissn = \"2330-7170\"\n",
            vec!["publication.issn", "X"],
        ),
        (
            vec![],
            "[publication]\ntime_zone = \"Mars/Olympus\"\n",
            vec!["publication.time_zone"],
        ),
        (
            vec![("GAZETTE_DATABASE_URL", "mysql://root:hunter2@db/g")],
            "",
            vec!["database_url", "postgres://", "***"],
        ),
        (vec![("GAZETTE_COLOUR", "blue")], "", vec!["GAZETTE_COLOUR"]),
        (vec![("GAZETTE_LISTEN", "everywhere")], "", vec!["listen"]),
    ];
    for (env, file, expected) in cases {
        std::fs::write(dir.path().join("gazette.toml"), file).unwrap();
        let mut command = gazette(&["migrate", "--data", &data]);
        command.envs(env.iter().copied());
        let (ok, stderr) = run(&mut command);
        assert!(!ok, "{file} {env:?} should fail");
        for needle in expected {
            assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
        }
        assert!(
            !stderr.contains("hunter2"),
            "passwords are never printed: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_unreachable_database_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run(&mut gazette(&[
        "migrate",
        "--data",
        &data_arg(dir.path()),
        "--database",
        "postgres://nobody:secret@127.0.0.1:1/gazette",
    ]));
    assert!(!ok);
    assert!(
        stderr.contains("cannot open the database") && stderr.contains("database_url"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn migrate_seeds_once_and_user_add_creates_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data, "--no-demo"]));
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Created a new journal with administrator admin@localhost"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("shown only now"),
        "the password came from the environment"
    );
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data]));
    assert!(
        ok && stderr.contains("up to date") && !stderr.contains("Created"),
        "{stderr}"
    );

    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "ed@example.org",
        "--name",
        "Ed Itor",
        "--role",
        "editor",
    ]));
    assert!(ok, "{stderr}");

    // An application password for the REST API, printed once on stdout.
    let made = gazette(&[
        "user",
        "app-password",
        "--data",
        &data,
        "--email",
        "ed@example.org",
        "--name",
        "Newsletter service",
    ])
    .output()
    .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let secret = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    assert_eq!(secret.split(' ').map(str::len).collect::<Vec<_>>(), [4; 6]);
    let (made_one, why) = run(&mut gazette(&[
        "user",
        "app-password",
        "--data",
        &data,
        "--email",
        "nobody@example.org",
        "--name",
        "x",
    ]));
    assert!(
        !made_one && why.contains("no account has the email"),
        "{why}"
    );
    assert!(
        stderr.contains("Added Ed Itor <ed@example.org> as editor")
            && stderr.contains("Password (shown only now): "),
        "{stderr}"
    );
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "ED@example.org",
        "--name",
        "Ed Again",
    ]));
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "x@example.org",
        "--name",
        "X",
        "--role",
        "king",
    ]));
    assert!(
        !ok && stderr.contains("--role \"king\" is not a role"),
        "{stderr}"
    );
    let mut with_stdin = gazette(&[
        "user",
        "add",
        "--data",
        &data,
        "--email",
        "pw@example.org",
        "--name",
        "Pat",
        "--password-stdin",
    ]);
    let mut child = with_stdin
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("at least 10 characters"),
        "{stderr}"
    );

    // `user list` prints every account; `user reset-password` sets a new one.
    let listed = gazette(&["user", "list", "--data", &data])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(
        stdout.starts_with("email\tname\trole\tactive\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ed@example.org\tEd Itor\teditor\tyes"),
        "{stdout}"
    );
    assert!(stdout.contains("admin@localhost\t"), "{stdout}");
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "reset-password",
        "--data",
        &data,
        "--email",
        "ed@example.org",
    ]));
    assert!(ok, "{stderr}");
    assert!(
        stderr
            .contains("Set a new password for Ed Itor <ed@example.org>; signed out 0 session(s) and revoked 1 application password(s).")
            && stderr.contains("Password (shown only now): "),
        "{stderr}"
    );
    let (ok, stderr) = run(&mut gazette(&[
        "user",
        "reset-password",
        "--data",
        &data,
        "--email",
        "nobody@example.org",
    ]));
    assert!(
        !ok && stderr.contains("no account has the email nobody@example.org"),
        "{stderr}"
    );
}

/// A first run whose output goes to a file (a pipe here, as to a journal or a log file) has no
/// colour codes in it: colours are for terminals.
#[test]
fn logs_that_are_not_on_a_terminal_have_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let mut child = gazette(&["serve", "--data", &data, "--listen", "127.0.0.1:0"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.contains("Gazette is serving"))
        .take(200)
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        lines.iter().any(|l| l.contains("INFO")),
        "the first run logs: {lines:#?}"
    );
    assert!(
        lines.iter().all(|l| !l.contains('\u{1b}')),
        "no escape sequences: {lines:#?}"
    );
}

/// Starts `gazette serve` on an ephemeral port; returns the child and its address.
fn start_server(data: &str) -> (std::process::Child, String) {
    let mut child = gazette(&["serve", "--data", data, "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .take(200)
        .map_while(Result::ok)
        .find_map(|line| {
            let rest = line.split("Gazette is serving http://").nth(1)?;
            rest.split('/').next().map(str::to_owned)
        });
    let Some(address) = address else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start");
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

fn http_get(address: &str, path: &str) -> String {
    use std::io::Read as _;
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Polls `/readyz` (the node reports ready once its follower has caught up) for up to 10 s.
fn becomes_ready(address: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if http_get(address, "/readyz").starts_with("HTTP/1.1 200") {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn send_sigterm(child: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits up to 20 s for the server to exit, and requires a clean exit.
fn exits_cleanly(child: &mut std::process::Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "a clean exit after SIGTERM: {status}");
            return;
        }
        assert!(Instant::now() < deadline, "no exit within 20 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn terminate(child: &mut std::process::Child) {
    send_sigterm(child);
    exits_cleanly(child);
}

/// An HTTP/1.1 response read to the end of its connection.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Parses one whole response; panics if it is cut short (fewer bytes than its
/// `Content-Length`, or chunks without the last, empty one).
fn parse_answer(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut rest = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    if answer
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .unwrap_or_else(|| panic!("a chunk size line is cut short"));
            let size_line = String::from_utf8_lossy(&rest[..end]);
            let size = usize::from_str_radix(size_line.split(';').next().unwrap().trim(), 16)
                .unwrap_or_else(|e| panic!("chunk size {size_line:?}: {e}"));
            rest = &rest[end + 2..];
            if size == 0 {
                assert!(rest.starts_with(b"\r\n"), "the last chunk is cut short");
                break;
            }
            assert!(rest.len() >= size + 2, "a chunk is cut short");
            answer.body.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
    } else if let Some(length) = answer.header("content-length") {
        let length: usize = length.parse().unwrap();
        assert_eq!(rest.len(), length, "the body is as long as announced");
        answer.body = rest.to_vec();
    } else {
        answer.body = rest.to_vec();
    }
    answer
}

/// GETs `path` on a connection of its own.
fn fetch(address: &str, path: &str) -> Answer {
    use std::io::Read as _;
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_answer(&raw)
}

#[test]
fn serve_answers_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_server(&data_arg(dir.path()));
    let healthy = http_get(&address, "/healthz").starts_with("HTTP/1.1 200");
    let ready = becomes_ready(&address);
    terminate(&mut child);
    assert!(healthy && ready, "healthy: {healthy}, ready: {ready}");
    assert!(std::net::TcpStream::connect(&address).is_err());
}

/// A request in flight when SIGTERM arrives is answered in full before the server exits: an
/// app posts a comment whose body is still arriving when the signal comes, and the rest of
/// it is sent only once the server has stopped taking new connections.
#[test]
fn a_request_in_flight_at_sigterm_is_answered_in_full() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_server(&data_arg(dir.path()));
    assert!(becomes_ready(&address), "the server never became ready");
    let posts = fetch(&address, "/wp-json/wp/v2/posts?per_page=1");
    assert_eq!(posts.status, 200, "{}", posts.text());
    let posts: serde_json::Value = serde_json::from_slice(&posts.body).unwrap();
    let post = posts[0]["id"].as_i64().unwrap();

    // A long comment, so that its body can arrive in pieces.
    let words = "the slow reader's long comment arrives in pieces ".repeat(140);
    let content = format!("Still typing: {words}and done.");
    let body = serde_json::to_vec(&serde_json::json!({
        "post": post,
        "author_name": "Slow Reader",
        "author_email": "slow@reader.example",
        "content": content,
    }))
    .unwrap();
    assert!(body.len() > 6_000, "comments may be 8,000 characters long");
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /wp-json/wp/v2/comments HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    )
    .unwrap();
    // `100 Continue` comes once the handler reads the body: the request is in the server's
    // hands, not in a queue.
    let mut interim = Vec::new();
    let mut byte = [0u8; 1];
    while !interim.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        interim.push(byte[0]);
    }
    let interim = String::from_utf8_lossy(&interim).into_owned();
    assert!(interim.starts_with("HTTP/1.1 100 Continue"), "{interim}");
    let (first, last) = body.split_at(body.len() / 3);
    stream.write_all(first).unwrap();

    send_sigterm(&child);
    // Once new connections are refused, the server is shutting down.
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&address).is_ok() {
        assert!(
            Instant::now() < deadline,
            "still taking connections 20 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server exited with a request in flight"
    );
    for piece in last.chunks(1024) {
        stream.write_all(piece).unwrap();
        stream.flush().unwrap();
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let answer = parse_answer(&raw);
    assert_eq!(answer.status, 201, "{}", answer.text());
    let comment: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(comment["post"], post, "{comment}");
    let rendered = comment["content"]["rendered"].as_str().unwrap();
    assert!(
        rendered.contains("Still typing:") && rendered.contains("and done."),
        "the whole body was read: {rendered}"
    );
    exits_cleanly(&mut child);
    assert!(std::net::TcpStream::connect(&address).is_err());
}

#[test]
fn a_backup_serves_the_same_journal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let backup = dir.path().join("backup");
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data_arg(&data)]));
    assert!(ok, "{stderr}");
    // Besides the demo, an article of this journal's own: a backup that started a new journal
    // would have the demo's articles, not this one.
    let token = format!("canary{}", std::process::id());
    let canary = dir.path().join("canary.xml");
    write_canary_export(&canary, &token);
    let (ok, stderr) = run(&mut gazette(&[
        "import",
        "wxr",
        "--data",
        &data_arg(&data),
        &data_arg(&canary),
    ]));
    assert!(ok, "{stderr}");
    std::fs::create_dir_all(data.join("media/2026/05")).unwrap();
    std::fs::write(data.join("media/2026/05/photo.jpg"), b"not really a jpeg").unwrap();
    let (ok, stderr) = run(&mut gazette(&[
        "backup",
        &data_arg(&backup),
        "--data",
        &data_arg(&data),
    ]));
    assert!(ok, "{stderr}");
    assert!(stderr.contains("1 media file(s)"), "{stderr}");
    assert_eq!(
        std::fs::read(backup.join("media/2026/05/photo.jpg")).unwrap(),
        b"not really a jpeg"
    );
    // Never overwrite an existing backup.
    let (ok, stderr) = run(&mut gazette(&[
        "backup",
        &data_arg(&backup),
        "--data",
        &data_arg(&data),
    ]));
    assert!(!ok && stderr.contains("is not empty"), "{stderr}");
    // The copy is a complete data directory: it migrates as "up to date" and serves.
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data_arg(&backup)]));
    assert!(
        ok && stderr.contains("up to date") && !stderr.contains("Created"),
        "{stderr}"
    );
    // The journal and its copy, served side by side, show the same articles, page for page.
    let (mut original, original_address) = start_server(&data_arg(&data));
    let (mut copy, copy_address) = start_server(&data_arg(&backup));
    let ready = becomes_ready(&original_address) && becomes_ready(&copy_address);
    let seen = ready.then(|| {
        (
            journal_as_read(&original_address),
            journal_as_read(&copy_address),
        )
    });
    terminate(&mut original);
    terminate(&mut copy);
    let (original, copy) = seen.expect("both servers become ready");
    assert!(
        original.len() > 10,
        "the demo's articles and the canary: {:?}",
        original.keys()
    );
    assert!(
        original.values().any(|page| page.contains(&token)),
        "the canary article is served"
    );
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        copy.keys().collect::<Vec<_>>(),
        "the same pages"
    );
    for (path, page) in &original {
        assert!(page == &copy[path], "{path} differs in the backup");
    }
}

/// A WordPress export of one published post whose text holds `token`.
fn write_canary_export(path: &Path, token: &str) {
    let channel = gazette_wxr::Channel {
        title: "Canary".into(),
        link: "https://canary.example".into(),
        base_site_url: "https://canary.example".into(),
        base_blog_url: "https://canary.example".into(),
        ..gazette_wxr::Channel::default()
    };
    let mut writer = gazette_wxr::WxrWriter::new(Vec::new(), &channel).unwrap();
    let item = gazette_wxr::Item {
        title: "Harbour wall holds".into(),
        link: "https://canary.example/harbour-wall-holds/".into(),
        content: format!("The harbour wall held through the night ({token})."),
        post_id: Some(9001),
        post_date: "2026-01-02 03:04:05".into(),
        post_date_gmt: "2026-01-02 03:04:05".into(),
        post_name: "harbour-wall-holds".into(),
        status: "publish".into(),
        post_type: "post".into(),
        ..gazette_wxr::Item::default()
    };
    writer
        .write(&gazette_wxr::Entry::Item(Box::new(item)))
        .unwrap();
    std::fs::write(path, writer.finish().unwrap()).unwrap();
}

/// What a reader finds on the server at `address`, by path: the home page, the REST API's
/// posts and pages, every post's and page's own page, and the media file; the server's own
/// address in them is replaced so that two servers compare.
fn journal_as_read(address: &str) -> std::collections::BTreeMap<String, String> {
    let mut read = std::collections::BTreeMap::new();
    let mut get = |path: &str| {
        let answer = fetch(address, path);
        assert_eq!(answer.status, 200, "GET {path} on {address}");
        let text = answer.text().replace(address, "journal.example");
        read.insert(path.to_owned(), text.clone());
        text
    };
    get("/");
    get("/media/2026/05/photo.jpg");
    for listing in [
        "/wp-json/wp/v2/posts?per_page=100",
        "/wp-json/wp/v2/pages?per_page=100",
    ] {
        let items: serde_json::Value = serde_json::from_str(&get(listing)).unwrap();
        let items = items.as_array().unwrap();
        assert!(items.len() < 100, "one page of {listing} holds them all");
        for item in items {
            let link = item["link"].as_str().unwrap();
            let path = link
                .strip_prefix("http://journal.example")
                .unwrap_or_else(|| panic!("{link} is not on the server"));
            get(path);
        }
    }
    read
}

#[test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
fn backup_of_postgres_points_to_pg_dump() {
    let Some(url) = gazette_testkit::postgres_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run(&mut gazette(&[
        "backup",
        &data_arg(&dir.path().join("b")),
        "--database",
        &url,
    ]));
    assert!(!ok && stderr.contains("pg_dump"), "{stderr}");
}

fn http_post_form(address: &str, path: &str, body: &str) -> String {
    use std::io::Read as _;
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// A comment is committed before the reader is redirected: killing the server right after the
/// redirect (SIGKILL, no shutdown) loses nothing. Then the commenter's data is exported and
/// erased from the command line.
#[test]
fn a_redirected_comment_survives_a_crash_and_privacy_commands_find_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let (mut child, address) = start_server(&data);
    assert!(becomes_ready(&address));
    let response = http_post_form(
        &address,
        "/comments/",
        "comment_post_ID=1&comment=Survives+a+crash&author=Kim&email=Kim%40crash.example",
    );
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    assert!(response.contains("#comment-"), "{response}");
    child.kill().unwrap();
    child.wait().unwrap();

    let export = |expect: &str| {
        let output = gazette(&[
            "privacy",
            "export",
            "--email",
            "kim@CRASH.example",
            "--data",
            &data,
        ])
        .output()
        .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains(expect), "{stdout}");
        stdout
    };
    let before = export("Survives a crash");
    assert!(before.contains("\"ip_address\": \"127.0.0.1\""), "{before}");
    assert!(
        before.contains("\"email\": \"Kim@crash.example\""),
        "{before}"
    );

    let (ok, stderr) = run(&mut gazette(&[
        "privacy",
        "erase",
        "--email",
        "kim@crash.example",
        "--data",
        &data,
    ]));
    assert!(ok && stderr.contains("from 1 comment(s)"), "{stderr}");
    let after = export("\"comments\": []");
    assert!(!after.contains("Survives a crash"));

    let (ok, stderr) = run(&mut gazette(&[
        "privacy",
        "erase",
        "--email",
        "not an address",
        "--data",
        &data,
    ]));
    assert!(
        !ok && stderr.contains("--email \"not an address\" is not an email address"),
        "{stderr}"
    );
}

/// `kill -9` in the middle of an import leaves the store as it was, and running the import
/// again completes it: the whole import is one unit of work.
#[test]
fn an_import_killed_while_writing_can_be_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let data = data.to_str().unwrap();
    let export = dir.path().join("corpus.xml");
    let generated = gazette(&[
        "dev",
        "corpus",
        "--articles",
        "3000",
        "--comments",
        "3000",
        "--no-store",
        "--wxr",
        export.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert!(generated.status.success());
    assert!(
        gazette(&["migrate", "--no-demo", "--data", data])
            .output()
            .unwrap()
            .status
            .success()
    );
    let mut import = gazette(&["import", "wxr", "--data", data, export.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Without a terminal the import says when its second pass starts writing.
    let stderr = BufReader::new(import.stderr.take().unwrap());
    let writing = stderr
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("writing it"));
    assert!(writing, "the import never started writing");
    assert!(
        import.try_wait().unwrap().is_none(),
        "the import ended before it was killed"
    );
    import.kill().unwrap();
    import.wait().unwrap();

    let again = gazette(&["import", "wxr", "--data", data, export.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        report.contains("Articles: 3000 (3000 published)."),
        "nothing of the killed run was kept, and this one wrote everything: {report}"
    );
}
