//! `gazette dev smtp-sink`: an SMTP server that takes every message and writes down who got
//! which (`unix-ms<TAB>recipient<TAB>Message-ID<TAB>bytes`, a line per recipient, flushed at
//! once), for the newsletter benchmark and crash tests: a separate process outlives the node
//! it receives from, so what the relay took is known after the node is killed. With
//! `--keep DIR` it also writes each whole message there, to read what readers would get.
//!
//! It answers on cue by the recipient's address: a local part containing `+450` is deferred
//! (`450 4.2.0`), `+550` refused as an unknown mailbox (`550 5.1.1`), and `+421` makes it
//! close the connection (`421 4.3.2`), as a relay that is shutting down does. It accepts AUTH
//! PLAIN and LOGIN (any credentials unless `--user` and `--password` are given). Given a
//! certificate and key, it offers STARTTLS and requires it before AUTH and MAIL, as relays on
//! port 587 do.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::fs::OpenOptions;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt as _, AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader,
};
use tokio::net::TcpListener;
use tokio::sync::Mutex;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

/// What the sink was asked to be.
#[derive(Debug, Clone)]
pub struct SinkOptions {
    pub listen: String,
    pub log: PathBuf,
    /// Credentials AUTH must give; None accepts any.
    pub credentials: Option<(String, String)>,
    /// The certificate chain and key files STARTTLS offers; None offers no TLS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// A directory to write each whole message to.
    pub keep: Option<PathBuf>,
}

/// What every session shares.
struct Shared {
    log: Mutex<tokio::fs::File>,
    credentials: Option<(String, String)>,
    tls: Option<TlsAcceptor>,
    /// Where each whole message is written (`000001.eml`, …), when asked.
    keep: Option<PathBuf>,
    kept: std::sync::atomic::AtomicU64,
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
    let shared = Arc::new(Shared {
        log: Mutex::new(log),
        credentials: options.credentials,
        tls: options
            .tls
            .map(|(cert, key)| acceptor(&cert, &key))
            .transpose()?,
        keep: options.keep,
        kept: std::sync::atomic::AtomicU64::new(0),
    });
    // Scripts wait for this line (on standard error, like every command's report) to send.
    eprintln!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await.context("accepting a connection")?;
        let shared = shared.clone();
        tokio::spawn(async move {
            // A client that hangs up mid-way is its own business.
            let _ = connection(stream, &shared).await;
        });
    }
}

/// Reads the certificate chain and key STARTTLS offers.
fn acceptor(cert: &std::path::Path, key: &std::path::Path) -> anyhow::Result<TlsAcceptor> {
    use pki_types::pem::PemObject as _;
    let chain = pki_types::CertificateDer::pem_file_iter(cert)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .with_context(|| format!("cannot read the certificates in {}", cert.display()))?;
    let key = pki_types::PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("cannot read the private key in {}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("setting up TLS")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("the certificate does not match its key")?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// One connection: a session in the clear, then, after STARTTLS, another over TLS.
async fn connection(stream: tokio::net::TcpStream, shared: &Shared) -> std::io::Result<()> {
    let Some(plain) = session(stream, shared, Layer::Plain).await? else {
        return Ok(());
    };
    let Some(tls) = &shared.tls else {
        return Ok(());
    };
    let encrypted = tls.accept(plain).await?;
    session(encrypted, shared, Layer::Encrypted).await?;
    Ok(())
}

/// Whether a session runs in the clear or over TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Plain,
    Encrypted,
}

/// One SMTP session; the stream back when the client asked for STARTTLS.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    shared: &Shared,
    layer: Layer,
) -> std::io::Result<Option<S>> {
    let (read, mut write) = tokio::io::split(stream);
    let mut lines = BufReader::new(read);
    let mut recipients: Vec<String> = Vec::new();
    let credentials = shared.credentials.as_ref();
    let mut authenticated = credentials.is_none();
    let offers_tls = layer == Layer::Plain && shared.tls.is_some();
    if layer == Layer::Plain {
        reply(&mut write, "220 gazette-sink ESMTP").await?;
    }
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let command = line.trim_end();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" if offers_tls => {
                reply(
                    &mut write,
                    "250-gazette-sink\r\n250-STARTTLS\r\n250 8BITMIME",
                )
                .await?;
            }
            "EHLO" => {
                reply(
                    &mut write,
                    "250-gazette-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME",
                )
                .await?;
            }
            "STARTTLS" if offers_tls => {
                reply(&mut write, "220 2.0.0 Ready to start TLS").await?;
                // Whatever the client sent after STARTTLS, before the handshake, is dropped
                // (RFC 3207): it could be an attacker's injection.
                return Ok(Some(lines.into_inner().unsplit(write)));
            }
            "AUTH" | "MAIL" if offers_tls => {
                reply(&mut write, "530 5.7.0 Must issue a STARTTLS command first").await?;
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
                    return Ok(None);
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
                // A message cut off before its dot (the client died) was never taken.
                let Some(taken) = read_data(&mut lines).await? else {
                    return Ok(None);
                };
                record(shared, &recipients, &taken).await?;
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
                return Ok(None);
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
    lines: &mut (impl AsyncBufRead + Unpin),
    write: &mut (impl AsyncWrite + Unpin),
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

/// A message as taken: its `Message-ID` (or `-`) and its text, dot-unstuffed.
struct Taken {
    message_id: String,
    text: String,
}

/// Reads a message up to its lone dot; None when the client hung up before the dot.
async fn read_data(lines: &mut (impl AsyncBufRead + Unpin)) -> std::io::Result<Option<Taken>> {
    let mut message_id = String::from("-");
    let mut text = String::new();
    let mut in_headers = true;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        if line == ".\r\n" || line == ".\n" {
            return Ok(Some(Taken { message_id, text }));
        }
        text.push_str(line.strip_prefix('.').unwrap_or(&line));
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

/// Writes down the message's recipients, at once, so a crash loses nothing taken; and the
/// whole message, when asked to keep them.
async fn record(shared: &Shared, recipients: &[String], taken: &Taken) -> std::io::Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut lines = String::new();
    for recipient in recipients {
        lines.push_str(&format!(
            "{now}\t{recipient}\t{}\t{}\n",
            taken.message_id,
            taken.text.len()
        ));
    }
    let mut log = shared.log.lock().await;
    if let Some(dir) = &shared.keep {
        // Under the log's lock, so the numbers follow the log's order.
        let number = shared
            .kept
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        tokio::fs::write(dir.join(format!("{number:06}.eml")), &taken.text).await?;
    }
    log.write_all(lines.as_bytes()).await?;
    log.flush().await
}
