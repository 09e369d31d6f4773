//! Real validators for feeds and sitemaps, run from the Rust tests:
//!
//! - Python's `feedparser` (and `jsonschema`), through the interpreter in `GAZETTE_TEST_PYTHON`
//!   (Debian's `/usr/bin/python3` with `python3-feedparser` and `python3-jsonschema`);
//! - `xmllint` (Debian's `libxml2-utils`) in `GAZETTE_TEST_XMLLINT`, for RELAX NG and XSD;
//! - the sitemaps.org `sitemap.xsd` from the npm package `sitemap` in `GAZETTE_TEST_SITEMAP_XSD`;
//! - PyPI's `jsonfeedvalidator`, installed with `pip --target` (its `validator.py` named by
//!   `GAZETTE_TEST_JSONFEEDVALIDATOR`) and run by the same Python.
//!
//! Each is skipped locally when unset and required under `CI`, like every `GAZETTE_TEST_*`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::configured_file;

pub const PYTHON_VAR: &str = "GAZETTE_TEST_PYTHON";
pub const XMLLINT_VAR: &str = "GAZETTE_TEST_XMLLINT";
pub const SITEMAP_XSD_VAR: &str = "GAZETTE_TEST_SITEMAP_XSD";
pub const JSONFEEDVALIDATOR_VAR: &str = "GAZETTE_TEST_JSONFEEDVALIDATOR";

pub fn python() -> Option<PathBuf> {
    configured_file("Python 3 with feedparser and jsonschema", PYTHON_VAR)
}

pub fn xmllint() -> Option<PathBuf> {
    configured_file("xmllint", XMLLINT_VAR)
}

pub fn sitemap_xsd() -> Option<PathBuf> {
    configured_file("the sitemaps.org sitemap.xsd", SITEMAP_XSD_VAR)
}

/// The `jsonfeedvalidator/validator.py` of PyPI's `jsonfeedvalidator`, installed with
/// `pip install --target`.
pub fn jsonfeedvalidator() -> Option<PathBuf> {
    configured_file("PyPI's jsonfeedvalidator", JSONFEEDVALIDATOR_VAR)
}

/// What feedparser made of a feed: `{"bozo": bool, "bozo_exception": str, "version": str,
/// "feed": {...}, "entries": [{...}]}` with the fields our tests look at. None when Python is
/// not configured.
pub fn feedparser(document: &str) -> Option<Value> {
    const SCRIPT: &str = r#"
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
def entry(e):
    return {
        "id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
        "published": e.get("published"), "updated": e.get("updated"),
        "summary": e.get("summary"), "authors": [a.get("name") for a in e.get("authors", [])],
        "tags": [t.get("term") for t in e.get("tags", [])],
        "content": [c.get("value") for c in e.get("content", [])],
        "media": [m.get("url") for m in e.get("media_content", [])] + [l.get("href") for l in e.get("links", []) if l.get("rel") == "enclosure"],
    }
print(json.dumps({
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "version": d.version,
    "feed": {"title": d.feed.get("title"), "link": d.feed.get("link"), "language": d.feed.get("language")},
    "entries": [entry(e) for e in d.entries],
}))
"#;
    let python = python()?;
    let output = run_with_input(Command::new(&python).args(["-c", SCRIPT]), document);
    assert!(
        output.status.success(),
        "feedparser failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("feedparser's report: {e}")),
    )
}

/// The errors `jsonschema` finds in `document` against the JSON Schema at `schema` (empty when
/// valid). None when Python is not configured.
pub fn json_schema_errors(document: &str, schema: &Path) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
instance = json.loads(sys.stdin.read())
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
for error in validator.iter_errors(instance):
    print("/".join(str(p) for p in error.absolute_path) + ": " + error.message)
"#;
    let python = python()?;
    let output = run_with_input(
        Command::new(&python).args(["-c", SCRIPT]).arg(schema),
        document,
    );
    assert!(
        output.status.success(),
        "jsonschema failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(lines(&output.stdout))
}

/// What PyPI's `jsonfeedvalidator` finds wrong with a JSON Feed (empty when valid). None when
/// it or Python is not configured. The validator knows JSON Feed 1.0, which had no `authors`
/// and `language`: those two 1.1 fields are taken out before it looks (the project's own 1.1
/// schema checks them), everything else it judges as it stands.
pub fn jsonfeed_errors(document: &str) -> Option<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys
from jsonfeedvalidator.validator import validate_feed
feed = json.loads(sys.stdin.read())
for holder in [feed] + feed.get("items", []):
    holder.pop("authors", None)
    holder.pop("language", None)
for error in validate_feed(feed):
    print("/".join(str(p) for p in error.absolute_path) + ": " + error.message)
"#;
    let (python, module) = (python()?, jsonfeedvalidator()?);
    // `…/target/jsonfeedvalidator/validator.py`: the target directory is what Python imports from.
    let target = module
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new("."));
    let output = run_with_input(
        Command::new(&python)
            .args(["-c", SCRIPT])
            .env("PYTHONPATH", target),
        document,
    );
    assert!(
        output.status.success(),
        "jsonfeedvalidator failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(lines(&output.stdout))
}

/// xmllint's complaints about `document` against a RELAX NG schema (XML syntax); empty when
/// valid. None when xmllint is not configured.
pub fn relax_ng_errors(document: &str, schema: &Path) -> Option<Vec<String>> {
    xmllint_errors(document, "--relaxng", schema)
}

/// xmllint's complaints about `document` against an XML Schema; empty when valid.
pub fn xsd_errors(document: &str, schema: &Path) -> Option<Vec<String>> {
    xmllint_errors(document, "--schema", schema)
}

fn xmllint_errors(document: &str, flag: &str, schema: &Path) -> Option<Vec<String>> {
    let xmllint = xmllint()?;
    let output = run_with_input(
        Command::new(&xmllint)
            .args(["--noout", "--nonet", flag])
            .arg(schema)
            .arg("-"),
        document,
    );
    if output.status.success() {
        return Some(Vec::new());
    }
    // "- validates" / "- fails to validate" is the verdict; the other lines are the reasons.
    let mut errors: Vec<String> = lines(&output.stderr)
        .into_iter()
        .filter(|l| !l.ends_with("validates"))
        .collect();
    if errors.is_empty() {
        errors.push(format!("xmllint exited with {}", output.status));
    }
    Some(errors)
}

pub(crate) fn run_with_input(command: &mut Command, input: &str) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        // Both tools read all of their input before writing much, so this cannot deadlock.
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("writing to {command:?}: {e}"));
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for {command:?}: {e}"))
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}
