//! Structured logs through tracing: text for people, JSON for log collectors.
//!
//! Access lines (one per request) are formatted by a layer of their own (`access_lines`),
//! wait in memory and reach stderr in batches: at 60,000 cached requests a second, a write per
//! line cost a tenth of the server's time in system calls and in threads waiting for stderr's
//! lock. Every other event goes through tracing-subscriber's formatter and is written at once,
//! after the access lines before it, so the log keeps its order.

mod access_lines;

use std::io::{IsTerminal as _, Write};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

use crate::config::LogFormat;

/// Access lines waiting for stderr are written once they fill this many bytes (a couple of
/// hundred lines) ...
const ACCESS_BATCH_BYTES: usize = 32 * 1024;

/// ... or after this long, whichever comes first, so a quiet journal's log still follows its
/// requests closely (nginx's `access_log … buffer= flush=` makes the same trade).
const ACCESS_FLUSH_EVERY: Duration = Duration::from_millis(250);

/// Access lines not yet written.
static PENDING_ACCESS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Installs the global subscriber. `RUST_LOG`, when set, wins over the configured level so an
/// operator can turn up one module without editing configuration (access lines are the
/// `gazette::access` target at `info`). Colours only on a terminal (and never with
/// `NO_COLOR`): a log written to a file or a journal must not fill with escape sequences.
pub fn init(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let formatter = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(LogWriter);
    let formatter = match format {
        LogFormat::Json => formatter.json().boxed(),
        LogFormat::Text => formatter.boxed(),
    };
    let not_access = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_target(gazette_web::ACCESS_LOG_TARGET, LevelFilter::OFF);
    let result = tracing_subscriber::registry()
        .with(filter)
        .with(formatter.with_filter(not_access))
        .with(access_lines::AccessLines { format })
        .try_init();
    // Already installed (tests start several nodes in one process): keep the first.
    if result.is_ok() {
        start_flushing();
    }
}

/// Writes the access lines still waiting. Call before the process exits.
pub fn flush() {
    let mut pending = pending_access();
    write_out(&mut pending);
}

/// A thread that writes waiting access lines every `ACCESS_FLUSH_EVERY`.
fn start_flushing() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("log-flush".into())
            .spawn(|| {
                loop {
                    std::thread::sleep(ACCESS_FLUSH_EVERY);
                    flush();
                }
            });
        if let Err(error) = spawned {
            // Lines still reach stderr once a batch fills and at exit.
            eprintln!("warning: the access log will be written in batches only: {error}");
        }
    });
}

/// The waiting access lines. A thread that panicked while holding them left whole lines (each
/// is appended in one call), so they are still worth writing.
fn pending_access() -> MutexGuard<'static, Vec<u8>> {
    PENDING_ACCESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes `pending` to stderr and empties it, even when stderr is gone: a log nobody reads must
/// not grow in memory.
fn write_out(pending: &mut Vec<u8>) {
    if pending.is_empty() {
        return;
    }
    // Nowhere to report a failed write to stderr.
    let _ = std::io::stderr().write_all(pending);
    pending.clear();
    if pending.capacity() > 4 * ACCESS_BATCH_BYTES {
        pending.shrink_to(ACCESS_BATCH_BYTES);
    }
}

/// Adds one formatted access line to those waiting, writing them out once they fill a batch.
fn queue_access_line(line: &[u8]) {
    let mut pending = pending_access();
    pending.extend_from_slice(line);
    if pending.len() >= ACCESS_BATCH_BYTES {
        write_out(&mut pending);
    }
}

/// The formatter's writer: every event it formats goes to stderr at once.
struct LogWriter;

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LogLine;

    fn make_writer(&'a self) -> LogLine {
        LogLine
    }
}

/// One formatted event, written after the access lines waiting.
struct LogLine;

impl Write for LogLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut pending = pending_access();
        write_out(&mut pending);
        // Still holding the waiting lines, so no access line slips in before this one, nor
        // into it: the whole event is written under the lock.
        std::io::stderr().write_all(bytes).map(|()| bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
