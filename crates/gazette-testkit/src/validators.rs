//! Real validators run from the Rust tests. The Nu HTML Checker is `vnu.jar` from `tools/`
//! (`npm ci --prefix tools`), run with the system `java`; its path is in `GAZETTE_TEST_VNU`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::configured_file;

pub const VNU_VAR: &str = "GAZETTE_TEST_VNU";

/// The path of `vnu.jar`; None when not configured (skipped locally, a panic under `CI`).
pub fn nu_html_checker() -> Option<PathBuf> {
    configured_file("the Nu HTML Checker (vnu.jar)", VNU_VAR)
}

/// Every error the Nu HTML Checker reports for one HTML document, as
/// `line:column: message (extract: "…")`; warnings and info messages are left out.
/// None when the checker is not configured.
pub fn nu_html_errors(html: &str) -> Option<Vec<String>> {
    let jar = nu_html_checker()?;
    let mut child = vnu(&jar)
        .arg("-")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run java (needed by {VNU_VAR}): {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        // vnu reads all of its input before writing anything, so this cannot deadlock.
        stdin
            .write_all(html.as_bytes())
            .unwrap_or_else(|e| panic!("writing the document to vnu: {e}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for vnu: {e}"));
    Some(errors(&output).into_iter().map(|(_, e)| e).collect())
}

/// [`nu_html_errors`] for many `(name, html)` documents in one `java` run (a run costs about a
/// second, mostly JVM start-up): each error is prefixed with its document's name.
pub fn nu_html_errors_many(documents: &[(String, String)]) -> Option<Vec<String>> {
    let jar = nu_html_checker()?;
    if documents.is_empty() {
        return Some(Vec::new());
    }
    // Files are named by index, so any name works and vnu's `file:` URLs map back simply.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let files: Vec<PathBuf> = documents
        .iter()
        .enumerate()
        .map(|(i, (_, html))| {
            let file = dir.path().join(format!("{i}.html"));
            std::fs::write(&file, html)
                .unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
            file
        })
        .collect();
    let output = vnu(&jar)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run java (needed by {VNU_VAR}): {e}"));
    let errors = errors(&output)
        .into_iter()
        .map(|(url, error)| {
            let name = url
                .as_deref()
                .and_then(|u| u.rsplit('/').next())
                .and_then(|f| f.strip_suffix(".html"))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| documents.get(i))
                .map_or("?", |(name, _)| name.as_str());
            format!("{name}: {error}")
        })
        .collect();
    Some(errors)
}

fn vnu(jar: &Path) -> Command {
    let mut command = Command::new("java");
    command
        .arg("-jar")
        .arg(jar)
        .args(["--format", "json", "--stdout"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// The errors in vnu's JSON report, each with the URL of its document (absent for stdin).
/// "non-document-error" (a document that could not be read) counts: nothing was checked.
fn errors(output: &std::process::Output) -> Vec<(Option<String>, String)> {
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu ({}) did not print a JSON report ({e}); stderr: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let messages = report["messages"].as_array().map_or(&[][..], Vec::as_slice);
    messages
        .iter()
        .filter(|m| matches!(m["type"].as_str(), Some("error" | "non-document-error")))
        .map(|m| {
            let text = m["message"].as_str().unwrap_or("(no message)");
            let line = m.get("firstLine").or(m.get("lastLine"));
            let column = m.get("firstColumn").or(m.get("lastColumn"));
            let error = match (line, column, m["extract"].as_str()) {
                (Some(l), Some(c), Some(extract)) => {
                    format!("{l}:{c}: {text} (extract: {extract:?})")
                }
                (Some(l), Some(c), None) => format!("{l}:{c}: {text}"),
                _ => text.to_owned(),
            };
            (m["url"].as_str().map(str::to_owned), error)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Valid</title></head><body><p>Hello</p></body></html>\n";
    const INVALID: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>Invalid</title></head><body><p><div></div></p></body></html>\n";

    #[test]
    #[cfg_attr(not(gazette_test_vnu), ignore = "needs GAZETTE_TEST_VNU (see README)")]
    fn vnu_reports_errors_with_their_position() {
        let Some(errors) = nu_html_errors(INVALID) else {
            return;
        };
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].starts_with("2:"), "{errors:#?}");
        assert!(errors[0].contains("“p” end tag"), "{errors:#?}");
        assert!(errors[0].contains("extract: "), "{errors:#?}");
        assert_eq!(nu_html_errors(VALID), Some(vec![]));
    }

    #[test]
    #[cfg_attr(not(gazette_test_vnu), ignore = "needs GAZETTE_TEST_VNU (see README)")]
    fn vnu_checks_many_documents_in_one_run() {
        let documents = [
            ("valid", VALID),
            ("invalid", INVALID),
            ("also valid", VALID),
        ]
        .map(|(name, html)| (name.to_owned(), html.to_owned()));
        let Some(errors) = nu_html_errors_many(&documents) else {
            return;
        };
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].starts_with("invalid: 2:"), "{errors:#?}");
        assert_eq!(nu_html_errors_many(&[]), Some(vec![]));
    }
}
