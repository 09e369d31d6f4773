//! Importing WordPress's own exports: what `--dry-run` reports, what the import writes on both
//! backends, and every old URL answering afterwards.
//!
//! The tests are in one module per topic; the helpers they share are here.

use std::sync::Arc;

use gazette_testkit::TestApp;
use gazette_wordpress::import::survey::{Survey, survey};
use gazette_wordpress::import::{ImportOptions, Report, import_wxr};

#[path = "import/addresses.rs"]
mod addresses;
#[path = "import/dates.rs"]
mod dates;
#[path = "import/dry_run.rs"]
mod dry_run;
#[path = "import/menus_and_comments.rs"]
mod menus_and_comments;
#[path = "import/seo.rs"]
mod seo;
#[path = "import/uploads.rs"]
mod uploads;

fn survey_of(path: &str) -> Option<Survey> {
    let root = gazette_testkit::wxr_fixtures()?;
    let file = std::fs::File::open(root.join(path)).unwrap();
    Some(survey(std::io::BufReader::new(file), |_| {}).unwrap())
}

const THEME_DATA: &str = "theme-test-data/themeunittestdata.wordpress.xml";

async fn import(app: &TestApp, path: &std::path::Path) -> Report {
    import_wxr(
        &app.store,
        path,
        &ImportOptions::default(),
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap()
}

/// The published posts' and pages' old addresses (path and query), from the export itself.
fn published_links(path: &std::path::Path) -> Vec<(String, String)> {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    gazette_wxr::WxrReader::new(file)
        .map(Result::unwrap)
        .filter_map(|entry| match entry {
            gazette_wxr::Entry::Item(item)
                if item.status == "publish"
                    && ["post", "page"].contains(&item.post_type.as_str()) =>
            {
                let link = url::Url::parse(&item.link).unwrap();
                let query = link.query().map(|q| format!("?{q}")).unwrap_or_default();
                Some((item.post_type.clone(), format!("{}{query}", link.path())))
            }
            _ => None,
        })
        .collect()
}
