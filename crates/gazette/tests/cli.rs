//! The `gazette` binary as an operator runs it: bad configuration stops with a message that
//! names the setting and the fix, `user add`, `backup` restorable with `--data`, and `serve`
//! shutting down cleanly on SIGTERM.
//!
//! The tests are in one module per topic; the helpers they share are here.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_gazette");

#[path = "cli/backups.rs"]
mod backups;
#[path = "cli/commands.rs"]
mod commands;
#[path = "cli/configuration.rs"]
mod configuration;
#[path = "cli/first_command.rs"]
mod first_command;
#[path = "cli/import.rs"]
mod import;
#[path = "cli/media.rs"]
mod media;
#[path = "cli/newsletter_crash.rs"]
mod newsletter_crash;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/smtp_sink.rs"]
mod smtp_sink;

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

/// Starts `gazette serve` on an ephemeral port; returns the child and its address.
fn start_server(data: &str) -> (std::process::Child, String) {
    let (child, address, _log) = start_server_logged(data);
    (child, address)
}

/// Starts `gazette serve` like `start_server`, and also returns the lines it writes to stderr,
/// growing as it writes them.
fn start_server_logged(data: &str) -> (std::process::Child, String, ServerLog) {
    let mut child = gazette(&["serve", "--data", data, "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = ServerLog::default();
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
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines {
            match line {
                Ok(line) => kept.0.lock().unwrap().push(line),
                // A line that is not UTF-8 is skipped, not the rest of the log.
                Err(error) if error.kind() == std::io::ErrorKind::InvalidData => continue,
                Err(_) => break,
            }
        }
    });
    (child, address, log)
}

/// What a server wrote to stderr after its address.
#[derive(Clone, Default)]
struct ServerLog(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl ServerLog {
    /// The lines so far that contain `text`.
    fn lines_with(&self, text: &str) -> Vec<String> {
        let lines = self.0.lock().unwrap();
        lines.iter().filter(|l| l.contains(text)).cloned().collect()
    }
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
