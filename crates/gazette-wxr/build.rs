//! `cfg(gazette_test_wxr_fixtures)` for the tests that read WordPress's own exports (see
//! `build-support/test_dependencies.rs`).

include!("../../build-support/test_dependencies.rs");

fn main() {
    declare_test_dependencies(&["GAZETTE_TEST_WXR_FIXTURES"]);
}
