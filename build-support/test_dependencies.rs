// Shared by the build scripts of the crates whose tests need an optional dependency (PostgreSQL,
// a browser, a validator, a corpus, PHP…): each `build.rs` is `include!` of this file and a
// `main` naming its `GAZETTE_TEST_*` variables.
//
// For every variable it declares `cfg(gazette_test_…)` (the variable's name in lower case) and
// sets it when the dependency is there, so a test that could only skip says so at compile time:
//
//     #[cfg_attr(not(gazette_test_vnu), ignore = "needs GAZETTE_TEST_VNU (see README)")]
//
// and a local run reports it as ignored instead of `ok`. Under `CI` every cfg is set whatever the
// variables say: nothing is ignored there, and a missing dependency fails its tests as before.
// The tests keep their own checks at run time: a file that went away after the build still skips
// locally and fails under `CI`.

use std::path::{Path, PathBuf};

/// Declares `cfg(gazette_test_…)` for each of `variables` and sets it when the dependency is
/// there: for `GAZETTE_TEST_DATABASE_URL` a non-empty value; for `GAZETTE_TEST_WXR_FIXTURES` a
/// directory holding `theme-test-data/` (by default `../shared/fixtures/wxr` beside the
/// project); for every other variable an existing file. Under `CI`, always.
fn declare_test_dependencies(variables: &[&str]) {
    emit("rerun-if-changed=build.rs");
    emit("rerun-if-changed=../../build-support/test_dependencies.rs");
    emit("rerun-if-env-changed=CI");
    let ci = std::env::var_os("CI").is_some();
    for variable in variables {
        let cfg = variable.to_ascii_lowercase();
        emit(&format!("rustc-check-cfg=cfg({cfg})"));
        emit(&format!("rerun-if-env-changed={variable}"));
        let value = std::env::var_os(variable)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let present = match *variable {
            "GAZETTE_TEST_DATABASE_URL" => value.is_some(),
            "GAZETTE_TEST_WXR_FIXTURES" => {
                let named = value.is_some();
                let dir = value.unwrap_or_else(|| {
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/wxr")
                });
                present_or_warn(variable, &dir.join("theme-test-data"), named)
            }
            _ => value.is_some_and(|file| present_or_warn(variable, &file, true)),
        };
        if present || ci {
            emit(&format!("rustc-cfg={cfg}"));
        }
    }
}

/// Whether `path` exists; Cargo runs the script again if it changes or goes. A path that is not
/// there cannot be watched (Cargo would run the script, and rebuild the crate, every time), so
/// when a variable names one a warning says how to have it looked at again.
fn present_or_warn(variable: &str, path: &Path, named: bool) -> bool {
    if path.exists() {
        emit(&format!("rerun-if-changed={}", path.display()));
        return true;
    }
    if named {
        emit(&format!(
            "warning={variable}: {} does not exist, so the tests that need it are ignored; \
             once it is there, `touch {}/build.rs`",
            path.display(),
            env!("CARGO_MANIFEST_DIR")
        ));
    }
    false
}

/// One instruction to Cargo (clippy lets build scripts print).
fn emit(instruction: &str) {
    println!("cargo::{instruction}");
}
