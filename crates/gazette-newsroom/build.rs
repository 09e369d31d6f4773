//! `cfg(gazette_test_database_url)` for the newsroom's PostgreSQL runs (see
//! `build-support/test_dependencies.rs`).

include!("../../build-support/test_dependencies.rs");

fn main() {
    declare_test_dependencies(&["GAZETTE_TEST_DATABASE_URL"]);
}
