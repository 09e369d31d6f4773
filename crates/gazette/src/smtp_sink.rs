//! `gazette dev smtp-sink`: an SMTP server that takes every message and writes down who got
//! which (`unix-ms<TAB>recipient<TAB>Message-ID`, a line per recipient, flushed at once), for
//! the newsletter benchmark and crash tests: a separate process outlives the node it receives
//! from, so what the relay took is known after the node is killed.
//!
//! It answers on cue by the recipient's address: a local part containing `+450` is deferred
//! (`450 4.2.0`), `+550` refused as an unknown mailbox (`550 5.1.1`), and `+421` makes it
//! close the connection (`421 4.3.2`), as a relay that is shutting down does. It accepts AUTH
//! PLAIN and LOGIN (any credentials unless `--user` and `--password` are given). It has no TLS:
//! it is for a relay on the same machine.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::fs::OpenOptions;
use tokio::io::{AsyncBufReadExt as _, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

/// What the sink was asked to be.
#[derive(Debug, Clone)]
pub struct SinkOptions {
    pub listen: String,
    pub log: PathBuf,
    /// Credentials AUTH must give; None accepts any.
    pub credentials: Option<(String, String)>,
}

/// Runs the sink until the process is stopped.
pub async fn run(options: SinkOptions) -> anyhow::Result<()> {
    let listener = TcpListener::bind(&options.listen)
        .await
        .with_context(|| format!("cannot listen on {}", options.listen))?;
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&options.log)
        .await
        .with_context(|| format!("cannot open the log {}", options.log.display()))?;
    // Scripts wait for this line (on standard error, like every command's report) to send.
    eprintln!("listening on {}", listener.local_addr()?);
    let log = Arc::new(Mutex::new(log));
    let credentials = Arc::new(options.credentials);
    loop {
        let (stream, _) = listener.accept().await.context("accepting a connection")?;
        let (log, credentials) = (log.clone(), credentials.clone());
        tokio::spawn(async move {
            // A client that hangs up mid-way is its own business.
            let _ = session(stream, &log, credentials.as_ref().as_ref()).await;
        });
    }
}

/// One SMTP session.
async fn session(
    stream: TcpStream,
    log: &Mutex<tokio::fs::File>,
    credentials: Option<&(String, String)>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut recipients: Vec<String> = Vec::new();
    let mut authenticated = credentials.is_none();
    reply(&mut write, "220 gazette-sink ESMTP").await?;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                reply(
                    &mut write,
                    "250-gazette-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME",
                )
                .await?;
            }
            "HELO" => reply(&mut write, "250 gazette-sink").await?,
            "AUTH" => {
                let given = auth(command, &mut lines, &mut write).await?;
                authenticated = credentials.is_none_or(|expected| given.as_ref() == Some(expected));
                let answer = if authenticated {
                    "235 2.7.0 Authentication successful"
                } else {
                    "535 5.7.8 Authentication credentials invalid"
                };
                reply(&mut write, answer).await?;
            }
            "MAIL" if !authenticated => {
                reply(&mut write, "530 5.7.0 Authentication required").await?;
            }
            "MAIL" => {
                recipients.clear();
                reply(&mut write, "250 2.1.0 OK").await?;
            }
            "RCPT" => {
                let address = command
                    .split_once(':')
                    .map_or("", |(_, a)| a.trim().trim_start_matches('<'))
                    .trim_end_matches('>')
                    .to_owned();
                if address.contains("+421") {
                    reply(&mut write, "421 4.3.2 Service shutting down").await?;
                    return Ok(());
                } else if address.contains("+450") {
                    reply(&mut write, "450 4.2.0 Mailbox busy, try again later").await?;
                } else if address.contains("+550") {
                    reply(&mut write, "550 5.1.1 No such user here").await?;
                } else {
                    recipients.push(address);
                    reply(&mut write, "250 2.1.5 OK").await?;
                }
            }
            "DATA" => {
                reply(&mut write, "354 End data with <CR><LF>.<CR><LF>").await?;
                let message_id = read_data(&mut lines).await?;
                record(log, &recipients, &message_id).await?;
                recipients.clear();
                reply(&mut write, "250 2.0.0 OK: queued").await?;
            }
            "RSET" => {
                recipients.clear();
                reply(&mut write, "250 OK").await?;
            }
            "NOOP" => reply(&mut write, "250 OK").await?,
            "QUIT" => {
                reply(&mut write, "221 Bye").await?;
                return Ok(());
            }
            _ => reply(&mut write, "502 5.5.2 Command not implemented").await?,
        }
    }
}

async fn reply(write: &mut (impl AsyncWrite + Unpin), text: &str) -> std::io::Result<()> {
    write.write_all(format!("{text}\r\n").as_bytes()).await
}

/// The credentials of an AUTH PLAIN (inline or on the next line) or AUTH LOGIN exchange.
async fn auth(
    command: &str,
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    write: &mut tokio::net::tcp::OwnedWriteHalf,
) -> std::io::Result<Option<(String, String)>> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut words = command.split_whitespace().skip(1);
    let mechanism = words.next().unwrap_or_default().to_ascii_uppercase();
    let mut next_line = async |prompt: &str| -> std::io::Result<String> {
        reply(write, prompt).await?;
        let mut line = String::new();
        lines.read_line(&mut line).await?;
        Ok(line.trim().to_owned())
    };
    let decode = |text: &str| {
        engine
            .decode(text)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    Ok(match mechanism.as_str() {
        "PLAIN" => {
            let encoded = match words.next() {
                Some(inline) => inline.to_owned(),
                None => next_line("334 ").await?,
            };
            decode(&encoded).and_then(|plain| {
                let mut parts = plain.split('\0').skip(1);
                Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
            })
        }
        "LOGIN" => {
            let user = next_line("334 VXNlcm5hbWU6").await?;
            let password = next_line("334 UGFzc3dvcmQ6").await?;
            decode(&user).zip(decode(&password))
        }
        _ => None,
    })
}

/// Reads a message up to its lone dot; its `Message-ID`, or `-`.
async fn read_data(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<String> {
    let mut message_id = String::from("-");
    let mut in_headers = true;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 || line == ".\r\n" || line == ".\n" {
            return Ok(message_id);
        }
        if in_headers {
            if line.trim().is_empty() {
                in_headers = false;
            } else if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("message-id")
            {
                message_id = value.trim().to_owned();
            }
        }
    }
}

/// Writes down the message's recipients, at once, so a crash loses nothing taken.
async fn record(
    log: &Mutex<tokio::fs::File>,
    recipients: &[String],
    message_id: &str,
) -> std::io::Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut text = String::new();
    for recipient in recipients {
        text.push_str(&format!("{now}\t{recipient}\t{message_id}\n"));
    }
    let mut log = log.lock().await;
    log.write_all(text.as_bytes()).await?;
    log.flush().await
}
