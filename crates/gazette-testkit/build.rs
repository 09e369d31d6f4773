//! `cfg(gazette_test_…)` for the kit's own tests of the browser and the Nu HTML Checker (see
//! `build-support/test_dependencies.rs`).

include!("../../build-support/test_dependencies.rs");

fn main() {
    declare_test_dependencies(&[
        "GAZETTE_TEST_CHROMEDRIVER",
        "GAZETTE_TEST_AXE",
        "GAZETTE_TEST_VNU",
    ]);
}
