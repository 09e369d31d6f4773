//! `cfg(gazette_test_…)` for every optional dependency of the integration tests, so a test that
//! could only skip shows as ignored (see `build-support/test_dependencies.rs`).
//! `GAZETTE_TEST_WORDPRESS_RECORDED` is not among them: its tests fall back on the recordings
//! committed beside `tests/wordpress/record-wordpress.sh`, so they never skip.

include!("../../build-support/test_dependencies.rs");

fn main() {
    declare_test_dependencies(&[
        "GAZETTE_TEST_DATABASE_URL",
        "GAZETTE_TEST_CHROMEDRIVER",
        "GAZETTE_TEST_AXE",
        "GAZETTE_TEST_VNU",
        "GAZETTE_TEST_LIGHTHOUSE",
        "GAZETTE_TEST_BLNS",
        "GAZETTE_TEST_XSS_POLYGLOTS",
        "GAZETTE_TEST_WPAPI",
        "GAZETTE_TEST_WXR_FIXTURES",
        "GAZETTE_TEST_PHP",
        "GAZETTE_TEST_WORDPRESS_FORMATTING",
        "GAZETTE_TEST_WEED",
        "GAZETTE_TEST_PATRONI",
        "GAZETTE_TEST_DKIMPY",
    ]);
}
