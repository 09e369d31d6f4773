//! Development-only helpers: a real Gazette node on `127.0.0.1:0` over a throwaway SQLite file
//! or PostgreSQL database, with a manual clock and a cookie-aware HTTP client.
//!
//! ```ignore
//! let Some(app) = TestApp::spawn(Backend::Postgres).await else { return }; // skipped locally
//! assert_eq!(app.get("/healthz").await.status(), 200);
//! ```
//!
//! A test that can only skip without a dependency is also marked, so that a run without it
//! reports it as ignored, with the cfg its crate's build script sets from the variable (see
//! `build-support/test_dependencies.rs`):
//!
//! ```ignore
//! #[cfg_attr(not(gazette_test_vnu), ignore = "needs GAZETTE_TEST_VNU (see README)")]
//! ```

mod app;
pub mod browser;
pub mod corpora;
mod dependency;
pub mod dkim;
pub mod feed_validators;
pub mod jobs;
pub mod lighthouse;
pub mod s3;
pub mod smtp;
pub mod throwaway_postgres;
pub mod validators;

pub use app::{TestApp, TestOptions};
pub use dependency::{configured_file, wxr_fixtures};
pub use gazette_store::testing::{TestDatabase, dependency_available, postgres_url};
use jiff::Timestamp;

/// Declares `mod sqlite` and `mod postgres`, each with one `#[tokio::test]` per name that
/// calls the `async fn name(backend: Backend)` of the same name in the enclosing module.
///
/// The PostgreSQL tests are ignored where `cfg(gazette_test_database_url)` is not set (the
/// calling crate's build script sets it, see `build-support/test_dependencies.rs`), so a run
/// without a server reports them as ignored rather than passed. A test that needs another
/// dependency on both backends names its cfg and variable:
///
/// ```ignore
/// on_both_backends!(
///     plain,
///     #[needs(gazette_test_wxr_fixtures, "GAZETTE_TEST_WXR_FIXTURES")]
///     reads_the_fixtures,
/// );
/// ```
#[macro_export]
macro_rules! on_both_backends {
    ($( $(#[needs($cfg:ident, $variable:literal)])? $name:ident ),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               $( #[cfg_attr(not($cfg), ignore = concat!("needs ", $variable, " (see README)"))] )?
               async fn $name() { super::$name($crate::Backend::Sqlite).await; } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(
                   not(all(gazette_test_database_url $(, $cfg)?)),
                   ignore = concat!(
                       "needs GAZETTE_TEST_DATABASE_URL" $(, " and ", $variable)?, " (see README)"
                   )
               )]
               async fn $name() { super::$name($crate::Backend::Postgres).await; } )*
        }
    };
}

/// A cookie-keeping HTTP client that does not follow redirects: a browser of its own, for
/// tests that need several people signed in at once.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("HTTP client: {e}"))
}

/// The value of the first `name="csrf"` field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf field in the page"))
        + marker.len();
    let len = html[start..].find('"').unwrap_or(0);
    html[start..start + len].to_owned()
}

/// The password of the administrator every test app starts with.
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";
pub const ADMIN_EMAIL: &str = "admin@example.org";

/// Which database a test app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The moment every test app's clock starts at.
pub fn start_time() -> Timestamp {
    Timestamp::from_second(1_780_000_000).unwrap_or(Timestamp::UNIX_EPOCH) // 2026-05-28T20:26:40Z
}
