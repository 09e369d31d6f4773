//! Posts keep the day WordPress dated them in the site's time zone.

use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;

use super::import;

/// A WordPress export of published posts `(id, slug, post_date, post_date_gmt)`, each linked
/// at WordPress's default address for its local date.
fn export_with_dated_posts(posts: &[(i64, &str, &str, &str)]) -> tempfile::NamedTempFile {
    let channel = gazette_wxr::Channel {
        title: "Old site".into(),
        link: "https://old.example".into(),
        base_site_url: "https://old.example".into(),
        base_blog_url: "https://old.example".into(),
        ..gazette_wxr::Channel::default()
    };
    let mut writer = gazette_wxr::WxrWriter::new(Vec::new(), &channel).unwrap();
    for (id, slug, local, utc) in posts {
        let day = local[..10].replace('-', "/");
        let item = gazette_wxr::Item {
            title: format!("Post {slug}"),
            link: format!("https://old.example/{day}/{slug}/"),
            content: "Text.".into(),
            post_id: Some(*id),
            post_date: (*local).to_owned(),
            post_date_gmt: (*utc).to_owned(),
            post_name: (*slug).to_owned(),
            status: "publish".into(),
            post_type: "post".into(),
            ..gazette_wxr::Item::default()
        };
        writer
            .write(&gazette_wxr::Entry::Item(Box::new(item)))
            .unwrap();
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), writer.finish().unwrap()).unwrap();
    file
}

/// A site on New York time: −5:00 in January, −4:00 in July. The post written at 23:30 on
/// 15 January (04:30 UTC the next day) keeps the address WordPress gave it.
async fn late_evening_posts_keep_their_day(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let file = export_with_dated_posts(&[
        (
            21,
            "late-edition",
            "2021-01-15 23:30:00",
            "2021-01-16 04:30:00",
        ),
        (
            22,
            "morning-ferry",
            "2021-07-10 09:00:00",
            "2021-07-10 13:00:00",
        ),
    ]);
    let report = import(&app, file.path()).await;
    app.caught_up().await;
    for path in ["/2021/01/15/late-edition/", "/2021/07/10/morning-ferry/"] {
        let response = app.get(path).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{path} answered {:?}\n{}",
            response.headers().get("location"),
            report.text()
        );
    }
    let publication = app.store.publication().await.unwrap().unwrap();
    assert_eq!(publication.time_zone.as_str(), "America/New_York");
    assert!(
        report
            .text()
            .contains("Setting: time zone America/New_York (inferred:"),
        "{}",
        report.text()
    );
}

#[tokio::test]
async fn late_evening_posts_keep_their_day_on_sqlite() {
    late_evening_posts_keep_their_day(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn late_evening_posts_keep_their_day_on_postgres() {
    late_evening_posts_keep_their_day(Backend::Postgres).await;
}
