//! Access lines, formatted by hand.
//!
//! One line per request is the log's busiest event: a profile of cached hits put about a tenth
//! of the server's own (user-space) time in tracing-subscriber's formatter (timestamps built
//! field by field, every value through `fmt::Debug`, the styling machinery even with colours
//! off). This layer writes the same line, in the same text or JSON shape as the formatter
//! writes every other event, straight into the batch of waiting access lines.

use std::cell::RefCell;
use std::fmt::{Debug, Write as _};
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

use crate::config::LogFormat;

/// Writes the events of `gazette_web::ACCESS_LOG_TARGET` (and only those) as access lines.
pub(super) struct AccessLines {
    pub(super) format: LogFormat,
}

impl<S: Subscriber> Layer<S> for AccessLines {
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        thread_local! {
            static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        SCRATCH.with_borrow_mut(|line| {
            line.clear();
            if access_line(self.format, event, line) {
                super::queue_access_line(line);
            }
        });
    }
}

/// Appends `event`'s access line to `line`, or nothing when it is some other event.
fn access_line(format: LogFormat, event: &Event<'_>, line: &mut Vec<u8>) -> bool {
    let meta = event.metadata();
    if meta.target() != gazette_web::ACCESS_LOG_TARGET {
        return false;
    }
    let level = meta.level().as_str();
    match format {
        LogFormat::Text => text_line(line, level, meta.target(), event),
        LogFormat::Json => json_line(line, level, meta.target(), event),
    }
    true
}

/// `2026-12-06T15:18:34.195808Z  INFO gazette::access: request method=GET path="/" …`
fn text_line(line: &mut Vec<u8>, level: &str, target: &str, event: &Event<'_>) {
    write_timestamp(line);
    // The formatter right-aligns levels in five columns.
    let _ = write!(line, " {level:>5} {target}: ");
    event.record(&mut Fields {
        line,
        json: false,
        first: true,
    });
    line.push(b'\n');
}

/// `{"timestamp":"…","level":"INFO","fields":{"message":"request",…},"target":"gazette::access"}`
fn json_line(line: &mut Vec<u8>, level: &str, target: &str, event: &Event<'_>) {
    line.extend_from_slice(b"{\"timestamp\":\"");
    write_timestamp(line);
    let _ = write!(line, "\",\"level\":\"{level}\",\"fields\":{{");
    event.record(&mut Fields {
        line,
        json: true,
        first: true,
    });
    line.extend_from_slice(b"},\"target\":");
    json_string(line, target);
    line.extend_from_slice(b"}\n");
}

/// The wall-clock time in RFC 3339 with microseconds, in UTC. The seconds' part is formatted
/// once a second per thread.
fn write_timestamp(line: &mut Vec<u8>) {
    thread_local! {
        static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = since_epoch.as_secs();
    SECOND.with_borrow_mut(|(second, formatted)| {
        if *second != seconds {
            *second = seconds;
            formatted.clear();
            let at = i64::try_from(seconds)
                .ok()
                .and_then(|s| jiff::Timestamp::from_second(s).ok())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            // Whole seconds print without a fraction: `2026-12-06T15:18:34Z`.
            let _ = write!(formatted, "{at}");
            formatted.pop();
        }
        line.extend_from_slice(formatted.as_bytes());
    });
    let _ = write!(line, ".{:06}Z", since_epoch.subsec_micros());
}

/// Fields as the formatter writes them. Text: the message bare, then `name=value`, strings
/// quoted and escaped as Rust's `Debug` does. JSON: one object, numbers and booleans as such,
/// everything else a string.
struct Fields<'a> {
    line: &'a mut Vec<u8>,
    json: bool,
    first: bool,
}

impl Fields<'_> {
    fn name(&mut self, field: &Field) {
        if !std::mem::take(&mut self.first) {
            self.line.push(if self.json { b',' } else { b' ' });
        }
        if self.json {
            json_string(self.line, field.name());
            self.line.push(b':');
        } else if field.name() != "message" {
            self.line.extend_from_slice(field.name().as_bytes());
            self.line.push(b'=');
        }
    }

    /// A number or a boolean, written the same way in both shapes.
    fn bare(&mut self, field: &Field, value: impl std::fmt::Display) {
        self.name(field);
        let _ = write!(self.line, "{value}");
    }
}

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.name(field);
        if self.json {
            json_string(self.line, value);
        } else if needs_no_escape(value) {
            self.line.push(b'"');
            self.line.extend_from_slice(value.as_bytes());
            self.line.push(b'"');
        } else {
            let _ = write!(self.line, "{value:?}");
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.bare(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.bare(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.bare(field, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.name(field);
        if self.json {
            json_string(self.line, &format!("{value:?}"));
        } else {
            let _ = write!(self.line, "{value:?}");
        }
    }
}

/// Printable ASCII without quotes or backslashes reads the same quoted as `Debug` would write
/// it; anything else goes through `Debug`, so the line stays exactly the formatter's.
fn needs_no_escape(value: &str) -> bool {
    value
        .bytes()
        .all(|b| (b == b' ' || b.is_ascii_graphic()) && b != b'"' && b != b'\\')
}

/// `value` as a JSON string, escaped by serde_json as the JSON formatter does.
fn json_string(line: &mut Vec<u8>, value: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *line, value);
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// The lines the formatter writes for the same event, and ours.
    fn both(format: LogFormat, emit: impl Fn()) -> (String, String) {
        let theirs = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let theirs = Arc::clone(&theirs);
            move || Captured(Arc::clone(&theirs))
        };
        let formatter = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(writer);
        let subscriber = match format {
            LogFormat::Text => tracing_subscriber::registry().with(formatter.boxed()),
            LogFormat::Json => tracing_subscriber::registry().with(formatter.json().boxed()),
        };
        tracing::subscriber::with_default(subscriber, &emit);
        let theirs = String::from_utf8(theirs.lock().unwrap().clone()).unwrap();

        let ours = Arc::new(Mutex::new(Vec::new()));
        let subscriber = tracing_subscriber::registry().with(Capturing {
            format,
            lines: Arc::clone(&ours),
        });
        tracing::subscriber::with_default(subscriber, &emit);
        let ours = String::from_utf8(ours.lock().unwrap().clone()).unwrap();
        (theirs, ours)
    }

    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Our lines, written into a buffer of their own instead of the process's batch.
    struct Capturing {
        format: LogFormat,
        lines: Arc<Mutex<Vec<u8>>>,
    }

    impl<S: Subscriber> Layer<S> for Capturing {
        fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
            let mut lines = self.lines.lock().unwrap();
            access_line(self.format, event, &mut lines);
        }
    }

    fn access_event(path: &str) {
        // The middleware logs an `http::Method` through `Display`, as this.
        let method = "GET";
        tracing::info!(
            target: gazette_web::ACCESS_LOG_TARGET,
            %method,
            path,
            route = "content",
            status = 404_u16,
            micros = 1234_u64,
            "request"
        );
    }

    /// The timestamps differ between two runs; everything after them must not.
    fn without_time(line: &str, format: LogFormat) -> String {
        match format {
            LogFormat::Text => line.split_once(' ').map(|(_, rest)| rest.to_owned()),
            LogFormat::Json => line
                .split_once("\",\"level\"")
                .map(|(_, rest)| rest.to_owned()),
        }
        .unwrap_or_default()
    }

    #[test]
    fn lines_read_exactly_as_the_formatters() {
        let paths = [
            "/",
            "/2026/12/06/a-story/",
            "/a\"b/",
            "/a\\b/",
            "/caf%C3%A9/",
            "/café/",
            "/tab\there/",
            "/x{y}/",
        ];
        for format in [LogFormat::Text, LogFormat::Json] {
            for path in paths {
                let (theirs, ours) = both(format, || access_event(path));
                assert_eq!(
                    without_time(&ours, format),
                    without_time(&theirs, format),
                    "{format:?} for {path:?}"
                );
                assert!(ours.ends_with('\n') && ours.matches('\n').count() == 1);
            }
        }
    }

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        let (_, ours) = both(LogFormat::Text, || access_event("/"));
        let stamp = ours.split(' ').next().unwrap_or_default();
        let parsed: jiff::Timestamp = stamp.parse().unwrap();
        let age = jiff::Timestamp::now().duration_since(parsed);
        assert!(age.as_secs() < 60, "{stamp}");
        // 2026-12-06T15:18:34.195808Z
        assert_eq!(stamp.len(), 27, "{stamp}");
        assert!(
            stamp.ends_with('Z') && stamp.as_bytes()[19] == b'.',
            "{stamp}"
        );
    }

    #[test]
    fn other_events_are_not_access_lines() {
        let (_, ours) = both(LogFormat::Text, || {
            tracing::info!(target: "gazette_node::runner", "job done");
        });
        assert_eq!(ours, "");
    }
}
