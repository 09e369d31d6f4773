//! One test per optional test dependency: it fails under `CI` when the dependency is missing,
//! so CI can never pass by skipping the tests that need it.

#[test]
fn postgres_is_configured() {
    let configured = gazette_testkit::postgres_url().is_some();
    if std::env::var_os("CI").is_some() {
        assert!(configured, "CI must set GAZETTE_TEST_DATABASE_URL");
    }
}

// The file-valued dependencies: their helpers already panic under `CI` with what to set when the
// variable is unset or names a missing file; the assertion states the rule here too.

#[test]
fn chromedriver_is_configured() {
    required_under_ci(
        gazette_testkit::browser::chromedriver().is_some(),
        "GAZETTE_TEST_CHROMEDRIVER",
    );
}

#[test]
fn nu_html_checker_is_configured() {
    required_under_ci(
        gazette_testkit::validators::nu_html_checker().is_some(),
        "GAZETTE_TEST_VNU",
    );
}

#[test]
fn axe_core_is_configured() {
    required_under_ci(
        gazette_testkit::browser::axe_core().is_some(),
        "GAZETTE_TEST_AXE",
    );
}

#[test]
fn naughty_strings_are_configured() {
    required_under_ci(
        gazette_testkit::corpora::naughty_strings().is_some(),
        "GAZETTE_TEST_BLNS",
    );
}

#[test]
fn xss_polyglots_are_configured() {
    required_under_ci(
        gazette_testkit::corpora::xss_polyglots("alert").is_some(),
        "GAZETTE_TEST_XSS_POLYGLOTS",
    );
}

fn required_under_ci(configured: bool, variable: &str) {
    if std::env::var_os("CI").is_some() {
        assert!(configured, "CI must set {variable} to an existing file");
    }
}
