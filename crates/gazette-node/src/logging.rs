//! Structured logs through tracing: text for people, JSON for log collectors.
//!
//! Access lines (one per request) wait in memory and reach stderr in batches: at 60,000 cached
//! requests a second, a write per line cost a tenth of the server's time in system calls and
//! in threads waiting for stderr's lock. Every other event is written at once, after the
//! access lines before it, so the log keeps its order.

use std::io::{IsTerminal as _, Write};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

use tracing::Metadata;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

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
/// operator can turn up one module without editing configuration. Colours only on a terminal
/// (and never with `NO_COLOR`): a log written to a file or a journal must not fill with
/// escape sequences.
pub fn init(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(LogWriter);
    let result = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
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

/// Chooses each event's writer from its target.
struct LogWriter;

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LogLine;

    fn make_writer(&'a self) -> LogLine {
        LogLine::Now
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> LogLine {
        if meta.target() == gazette_web::ACCESS_LOG_TARGET {
            LogLine::Batched
        } else {
            LogLine::Now
        }
    }
}

/// Where one formatted event goes.
enum LogLine {
    /// Into the waiting access lines.
    Batched,
    /// To stderr at once, after the access lines waiting.
    Now,
}

impl Write for LogLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut pending = pending_access();
        match self {
            LogLine::Batched => {
                pending.extend_from_slice(bytes);
                if pending.len() >= ACCESS_BATCH_BYTES {
                    write_out(&mut pending);
                }
                Ok(bytes.len())
            }
            LogLine::Now => {
                write_out(&mut pending);
                // Still holding the waiting lines, so no access line slips in before this one,
                // nor into it: the whole event is written under the lock.
                std::io::stderr().write_all(bytes).map(|()| bytes.len())
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
