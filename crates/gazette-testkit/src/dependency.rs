//! Optional test dependencies named by a file path in a `GAZETTE_TEST_*` variable: absent, their
//! tests skip locally; under `CI` they fail, so CI can never pass by skipping. Those tests are
//! marked `ignore` where the build found the dependency missing (`cfg(gazette_test_…)`, see
//! `build-support/test_dependencies.rs`), so these checks matter when a file goes after the build.

use std::path::PathBuf;

/// The existing file `variable` names; None (skip) when it is unset or missing, a panic saying
/// what to set when `CI` is set.
pub fn configured_file(name: &str, variable: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    let problem = match &path {
        None => format!("{variable} is unset"),
        Some(p) if !p.is_file() => format!("{variable}={} is not a file", p.display()),
        Some(_) => return path,
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "{name} is required when CI is set, but {problem}: see .ci/run"
    );
    eprintln!("skipping: {name} is not configured ({problem})");
    None
}

/// The WordPress exports of `../shared/fixtures/wxr/` (or the directory
/// `GAZETTE_TEST_WXR_FIXTURES` names); None (skip) when missing, a panic under `CI`.
pub fn wxr_fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("GAZETTE_TEST_WXR_FIXTURES")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/wxr")
        });
    if dir.join("theme-test-data").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the WordPress export fixtures are required when CI is set, but {} holds none: set GAZETTE_TEST_WXR_FIXTURES (see .ci/run)",
        dir.display()
    );
    eprintln!(
        "skipping: no WordPress export fixtures at {}",
        dir.display()
    );
    None
}
