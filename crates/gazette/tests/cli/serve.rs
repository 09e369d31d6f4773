//! `serve` under signals: it answers and stops cleanly on SIGTERM, a request in flight is
//! answered in full, a comment survives a crash right after its redirect, and an import killed
//! while writing can be run again, and every request's access line reaches the log.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{
    becomes_ready, data_arg, exits_cleanly, fetch, gazette, http_get, parse_answer, run,
    send_sigterm, start_server, terminate,
};

#[test]
fn serve_answers_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_server(&data_arg(dir.path()));
    let healthy = http_get(&address, "/healthz").starts_with("HTTP/1.1 200");
    let ready = becomes_ready(&address);
    // The server restarted itself with two malloc arenas and a fixed threshold for large
    // blocks (same process id, see `malloc.rs`).
    let environment = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap_or_default();
    let has = |setting: &[u8]| environment.split(|b| *b == 0).any(|pair| pair == setting);
    let bounded = has(b"MALLOC_ARENA_MAX=2") && has(b"MALLOC_MMAP_THRESHOLD_=131072");
    terminate(&mut child);
    assert!(healthy && ready, "healthy: {healthy}, ready: {ready}");
    assert!(
        bounded,
        "serve runs with MALLOC_ARENA_MAX=2 and MALLOC_MMAP_THRESHOLD_=131072"
    );
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

/// Access lines are written in batches, yet each request's line reaches the log while the
/// server runs, and none is lost when it stops.
#[test]
fn every_request_reaches_the_access_log_running_and_at_exit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address, log) = super::start_server_logged(&data_arg(dir.path()));
    let first = http_get(&address, "/no-story-here-while-running/");
    assert!(first.starts_with("HTTP/1.1 404"), "{first}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while log.lines_with("/no-story-here-while-running/").is_empty() {
        assert!(
            Instant::now() < deadline,
            "the request's access line was not written within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let line = log.lines_with("/no-story-here-while-running/").remove(0);
    assert!(
        line.contains("status=404") && line.contains("GET"),
        "{line}"
    );

    for n in 0..50 {
        let answer = http_get(&address, &format!("/no-story-{n}-before-exit/"));
        assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    }
    terminate(&mut child);
    // The reader thread takes the last lines from the pipe after the exit.
    let deadline = Instant::now() + Duration::from_secs(10);
    while log.lines_with("-before-exit/").len() < 50 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let written = log.lines_with("-before-exit/");
    assert_eq!(written.len(), 50, "{written:#?}");
}
