//! Lighthouse, Google's page audit, run from npm's `lighthouse` (`GAZETTE_TEST_LIGHTHOUSE`
//! names its `cli/index.js`) with the system's Node.js on Debian's Chromium, in its default
//! phone emulation with simulated throttling. It needs no network: everything it loads comes
//! from the page's own server.
//!
//! Lighthouse starts its own Chromium; hold [`crate::browser::exclusive`] while it runs, so
//! one Chromium runs at a time and the performance audit measures the page, not contention.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::configured_file;

pub const LIGHTHOUSE_VAR: &str = "GAZETTE_TEST_LIGHTHOUSE";

/// The four categories a page is scored in.
pub const CATEGORIES: [&str; 4] = ["performance", "accessibility", "best-practices", "seo"];

/// Chromium's flags for tests (see ARCHITECTURE, "Tests"); Lighthouse gives it a fresh profile.
const CHROMIUM_FLAGS: &str = "--headless --no-sandbox --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --no-first-run";

/// Lighthouse's CLI; None when not configured (skipped locally, a panic under `CI`).
pub fn cli() -> Option<PathBuf> {
    configured_file("Lighthouse", LIGHTHOUSE_VAR)
}

/// What Lighthouse found on one page.
#[derive(Debug)]
pub struct Report {
    /// Each category's score, from 0 to 1.
    pub scores: BTreeMap<String, f64>,
    /// The audits that cost their category points.
    pub failing: Vec<Failing>,
}

/// An audit that did not get full marks.
#[derive(Debug)]
pub struct Failing {
    pub category: &'static str,
    /// A metric timed on this machine (paint times, blocking time, speed index): its score
    /// follows the machine's load as much as the page, so a test reports it but cannot hold
    /// the page to it.
    pub timing: bool,
    /// `id (score) title: value`, then the elements it names, one per indented line.
    pub text: String,
}

/// Audits `url` with the Lighthouse CLI at `cli`; panics, with Lighthouse's output, if it
/// cannot.
pub async fn audit(cli: &Path, url: &str) -> Report {
    let cli = cli.to_owned();
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || run(&cli, &url))
        .await
        .unwrap_or_else(|e| panic!("Lighthouse's task failed: {e}"))
}

fn run(cli: &Path, url: &str) -> Report {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let report = out.path().join("report.json");
    let chromium = std::env::var_os(crate::browser::CHROMIUM_VAR)
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let output = Command::new("node")
        .arg(cli)
        .arg(url)
        .arg(format!("--chrome-flags={CHROMIUM_FLAGS}"))
        .arg(format!("--only-categories={}", CATEGORIES.join(",")))
        .args(["--output=json", "--quiet", "--disable-full-page-screenshot"])
        .arg(format!("--output-path={}", report.display()))
        .env("CHROME_PATH", &chromium)
        // Lighthouse keeps its settings under the home directory; a test leaves none behind.
        .env("XDG_CONFIG_HOME", out.path())
        .output()
        .unwrap_or_else(|e| panic!("running node {}: {e}", cli.display()));
    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| {
        panic!(
            "Lighthouse wrote no report for {url} ({e}; {}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let lhr: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("Lighthouse's report for {url} is not JSON: {e}"));
    if let Some(error) = lhr["runtimeError"]["message"].as_str() {
        panic!("Lighthouse could not audit {url}: {error}");
    }
    Report {
        scores: scores(&lhr),
        failing: failing(&lhr),
    }
}

fn scores(lhr: &Value) -> BTreeMap<String, f64> {
    CATEGORIES
        .iter()
        .map(|name| {
            let score = lhr["categories"][name]["score"].as_f64().unwrap_or(0.0);
            ((*name).to_owned(), score)
        })
        .collect()
}

/// Lighthouse's metrics measured in time on the machine that runs it. Layout shift is a metric
/// too, but it does not depend on the machine, so it is held to full marks.
const TIMED_METRICS: &[&str] = &[
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "speed-index",
    "interactive",
    "max-potential-fid",
];

/// The audits that weigh in a category's score and did not get full marks.
fn failing(lhr: &Value) -> Vec<Failing> {
    let mut found = Vec::new();
    for name in CATEGORIES {
        let refs = lhr["categories"][name]["auditRefs"].as_array();
        for reference in refs.into_iter().flatten() {
            let audit = &lhr["audits"][reference["id"].as_str().unwrap_or_default()];
            let weighs = reference["weight"].as_f64().unwrap_or(0.0) > 0.0;
            let score = audit["score"].as_f64();
            if weighs && score.is_some_and(|s| s < 1.0) {
                let mut lines = vec![format!(
                    "{} ({}) {}: {}",
                    audit["id"].as_str().unwrap_or("?"),
                    score.unwrap_or(0.0),
                    audit["title"].as_str().unwrap_or(""),
                    audit["displayValue"].as_str().unwrap_or(""),
                )];
                lines.extend(offending_elements(audit));
                let id = audit["id"].as_str().unwrap_or_default();
                found.push(Failing {
                    category: name,
                    timing: TIMED_METRICS.contains(&id),
                    text: lines.join("\n"),
                });
            }
        }
    }
    found
}

/// The elements or resources an audit names (at most five), indented.
fn offending_elements(audit: &Value) -> Vec<String> {
    let items = audit["details"]["items"].as_array();
    items
        .into_iter()
        .flatten()
        .take(5)
        .map(|item| {
            let node = &item["node"];
            let what = node["selector"]
                .as_str()
                .or(item["url"].as_str())
                .unwrap_or("?");
            let why = node["explanation"]
                .as_str()
                .unwrap_or("")
                .replace('\n', " ");
            format!("    {what} {why}")
        })
        .collect()
}
