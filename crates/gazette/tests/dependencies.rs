//! One test per optional test dependency: it fails under `CI` when the dependency is missing,
//! so CI can never pass by skipping the tests that need it. These tests are never ignored
//! themselves (the tests that need a dependency are, where the build found it missing).

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
fn lighthouse_is_configured() {
    required_under_ci(
        gazette_testkit::lighthouse::cli().is_some(),
        gazette_testkit::lighthouse::LIGHTHOUSE_VAR,
    );
}

#[test]
fn feed_validators_are_configured() {
    use gazette_testkit::feed_validators as v;
    required_under_ci(v::python().is_some(), v::PYTHON_VAR);
    required_under_ci(v::xmllint().is_some(), v::XMLLINT_VAR);
    required_under_ci(v::sitemap_xsd().is_some(), v::SITEMAP_XSD_VAR);
    required_under_ci(v::jsonfeedvalidator().is_some(), v::JSONFEEDVALIDATOR_VAR);
}

#[test]
fn dkimpy_is_configured() {
    required_under_ci(
        gazette_testkit::dkim::dkimpy().is_some(),
        gazette_testkit::dkim::DKIMPY_VAR,
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
        assert!(configured, "CI must set {variable} as .ci/run does");
    }
}

#[test]
fn php_is_configured() {
    required_under_ci(
        gazette_testkit::configured_file("PHP", "GAZETTE_TEST_PHP").is_some(),
        "GAZETTE_TEST_PHP",
    );
}

#[test]
fn wordpress_formatting_functions_are_configured() {
    required_under_ci(
        gazette_testkit::configured_file(
            "WordPress's formatting.php",
            "GAZETTE_TEST_WORDPRESS_FORMATTING",
        )
        .is_some(),
        "GAZETTE_TEST_WORDPRESS_FORMATTING",
    );
}

#[test]
fn wxr_fixtures_are_configured() {
    required_under_ci(
        gazette_testkit::wxr_fixtures().is_some(),
        "GAZETTE_TEST_WXR_FIXTURES",
    );
}

#[test]
fn wpapi_is_configured() {
    required_under_ci(
        gazette_testkit::configured_file("wpapi", "GAZETTE_TEST_WPAPI").is_some(),
        "GAZETTE_TEST_WPAPI",
    );
}

#[test]
fn wordpress_recordings_are_configured() {
    let dir = std::env::var_os("GAZETTE_TEST_WORDPRESS_RECORDED")
        .map(std::path::PathBuf::from)
        .filter(|dir| dir.join("posts-get.json").is_file());
    required_under_ci(dir.is_some(), "GAZETTE_TEST_WORDPRESS_RECORDED");
}
