//! One test per optional test dependency: it fails under `CI` when the dependency is missing,
//! so CI can never pass by skipping the tests that need it.

#[test]
fn postgres_is_configured() {
    let configured = gazette_testkit::postgres_url().is_some();
    if std::env::var_os("CI").is_some() {
        assert!(configured, "CI must set GAZETTE_TEST_DATABASE_URL");
    }
}
