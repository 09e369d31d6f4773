//! Prometheus metrics, written in the text exposition format by hand (a dozen series do not
//! justify a metrics crate). Served on a separate listen address (`--metrics-listen`), never
//! on the public one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use gazette_store::{JobStats, PoolStats};

use crate::cache::CacheStats;
use crate::locks::lock;
use crate::striped::Striped;

/// Latency histogram bucket bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The route a response answered, for metrics labels; set by handlers as a response
/// extension (paths themselves are unbounded and would explode the series count).
#[derive(Debug, Clone, Copy)]
pub struct RouteLabel(pub &'static str);

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn add(&mut self, other: &Self) {
        for (count, more) in self.counts.iter_mut().zip(other.counts) {
            *count += more;
        }
        self.count += other.count;
        self.sum += other.sum;
    }
}

#[derive(Debug, Default)]
struct Series {
    requests: BTreeMap<(&'static str, u16), u64>,
    latency: BTreeMap<&'static str, Histogram>,
    password_checks: u64,
}

impl Series {
    fn add(&mut self, other: &Self) {
        for (key, count) in &other.requests {
            *self.requests.entry(*key).or_default() += count;
        }
        for (route, histogram) in &other.latency {
            self.latency.entry(route).or_default().add(histogram);
        }
        self.password_checks += other.password_checks;
    }
}

/// Request counters and latency histograms of this node: each request is recorded in its
/// thread's stripe, without waiting on the other cores, and the stripes are added up when the
/// metrics are read.
#[derive(Debug, Default)]
pub struct Metrics(Striped<Mutex<Series>>);

impl Metrics {
    pub fn record(&self, route: &'static str, status: u16, elapsed: Duration) {
        let mut series = lock(self.0.mine());
        *series.requests.entry((route, status)).or_default() += 1;
        let histogram = series.latency.entry(route).or_default();
        let seconds = elapsed.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// One sign-in password verified (each costs tens of milliseconds and ~19 MiB).
    pub fn count_password_check(&self) {
        lock(self.0.mine()).password_checks += 1;
    }

    /// Everything in the text exposition format.
    pub fn render(&self, cache: CacheStats, pool: PoolStats, jobs: Option<JobStats>) -> String {
        let mut out = String::new();
        let mut series = Series::default();
        for stripe in self.0.all() {
            series.add(&lock(stripe));
        }
        header(
            &mut out,
            "gazette_http_requests_total",
            "counter",
            "HTTP requests answered, by route and status.",
        );
        for ((route, status), count) in &series.requests {
            let _ = writeln!(
                out,
                "gazette_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }
        header(
            &mut out,
            "gazette_sign_in_password_checks_total",
            "counter",
            "Sign-in passwords verified; refused attempts cost none.",
        );
        let _ = writeln!(
            out,
            "gazette_sign_in_password_checks_total {}",
            series.password_checks
        );
        header(
            &mut out,
            "gazette_http_request_duration_seconds",
            "histogram",
            "Time to answer, by route.",
        );
        for (route, h) in &series.latency {
            for (bound, count) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "gazette_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "gazette_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "gazette_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "gazette_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        drop(series);
        let gauges: [(&str, &str, &str, String); 10] = [
            (
                "gazette_page_cache_hits_total",
                "counter",
                "Public pages served from the page cache.",
                cache.hits.to_string(),
            ),
            (
                "gazette_page_cache_misses_total",
                "counter",
                "Public pages rendered because the cache had no fresh copy.",
                cache.misses.to_string(),
            ),
            (
                "gazette_page_cache_last_copies_served_total",
                "counter",
                "Out-of-date pages served, marked stale, because the database did not answer.",
                cache.last_copies_served.to_string(),
            ),
            (
                "gazette_page_cache_entries",
                "gauge",
                "Pages held in the page cache.",
                cache.entries.to_string(),
            ),
            (
                "gazette_page_cache_bytes",
                "gauge",
                "Bytes held in the page cache, all encodings.",
                cache.bytes.to_string(),
            ),
            (
                "gazette_page_cache_generation",
                "gauge",
                "The content generation (moves on every change that empties the cache).",
                cache.generation.to_string(),
            ),
            (
                "gazette_store_connections",
                "gauge",
                "Open database connections.",
                pool.size.to_string(),
            ),
            (
                "gazette_store_connections_idle",
                "gauge",
                "Idle database connections.",
                pool.idle.to_string(),
            ),
            (
                "gazette_jobs_pending",
                "gauge",
                "Jobs waiting, due or not.",
                jobs.map_or("NaN".into(), |j| j.pending.to_string()),
            ),
            (
                "gazette_jobs_due",
                "gauge",
                "Jobs whose time has come.",
                jobs.map_or("NaN".into(), |j| j.due.to_string()),
            ),
        ];
        for (name, kind, help, value) in gauges {
            header(&mut out, name, kind, help);
            let _ = writeln!(out, "{name} {value}");
        }
        header(
            &mut out,
            "gazette_jobs_failed",
            "gauge",
            "Jobs that used every attempt and wait for an operator.",
        );
        let _ = writeln!(
            out,
            "gazette_jobs_failed {}",
            jobs.map_or("NaN".into(), |j| j.failed.to_string())
        );
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_and_bucketed() {
        let metrics = Metrics::default();
        metrics.record("article", 200, Duration::from_micros(700));
        metrics.record("article", 200, Duration::from_millis(30));
        metrics.record("article", 404, Duration::from_millis(2));
        let text = metrics.render(CacheStats::default(), PoolStats::default(), None);
        assert!(
            text.contains("gazette_http_requests_total{route=\"article\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(text.contains("gazette_http_requests_total{route=\"article\",status=\"404\"} 1"));
        assert!(text.contains(
            "gazette_http_request_duration_seconds_bucket{route=\"article\",le=\"0.001\"} 1"
        ));
        assert!(text.contains(
            "gazette_http_request_duration_seconds_bucket{route=\"article\",le=\"0.05\"} 3"
        ));
        assert!(text.contains("gazette_http_request_duration_seconds_count{route=\"article\"} 3"));
    }

    #[test]
    fn every_thread_counts() {
        let metrics = Metrics::default();
        std::thread::scope(|scope| {
            for _ in 0..10 {
                scope.spawn(|| {
                    metrics.record("home", 200, Duration::from_micros(100));
                    metrics.count_password_check();
                });
            }
        });
        let text = metrics.render(CacheStats::default(), PoolStats::default(), None);
        assert!(text.contains("gazette_http_requests_total{route=\"home\",status=\"200\"} 10"));
        assert!(text.contains("gazette_http_request_duration_seconds_count{route=\"home\"} 10"));
        assert!(
            text.contains("gazette_sign_in_password_checks_total 10"),
            "{text}"
        );
    }
}
