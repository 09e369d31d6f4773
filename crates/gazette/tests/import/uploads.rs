//! `--media-dir`: uploads copied into the media library with their old addresses kept.

use std::sync::Arc;

use gazette_testkit::{Backend, TestApp};
use gazette_wordpress::import::{ImportOptions, import_wxr};
use reqwest::StatusCode;

use super::THEME_DATA;

/// `--media-dir`: the images the folder holds are copied into the media library and every
/// old address of them leads there; the missing ones keep their old URLs and are listed.
async fn uploads_are_copied_and_their_addresses_kept(backend: Backend) {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) = TestApp::spawn_with(backend, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let uploads = tempfile::tempdir().unwrap();
    for (relative, width, height) in [
        ("2013/03/image-alignment-580x300.jpg", 580, 300),
        ("2008/06/dsc20050102_192118_51.jpg", 640, 480),
    ] {
        let path = uploads.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, gazette_media::fixtures::halves_jpeg(width, height)).unwrap();
    }
    let options = ImportOptions {
        media: Some(gazette_wordpress::import::media::MediaFolders {
            uploads: uploads.path().to_owned(),
            media: gazette_media::MediaStore::directory(app.media_dir()),
        }),
        ..ImportOptions::default()
    };
    let report = import_wxr(
        &app.store,
        &root.join(THEME_DATA),
        &options,
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    assert_eq!(report.copied_media, 2, "{}", report.text());
    assert_eq!(report.missing_files.len(), 37 - 2, "{}", report.text());
    assert!(
        report.text().contains("2008/06/img_8399.jpg"),
        "{}",
        report.text()
    );

    // The post showing the image shows the copy; the featured image is the library's.
    let aligned = app
        .store
        .article(gazette_core::ArticleId(1177))
        .await
        .unwrap()
        .unwrap();
    let body = aligned.body_html.as_str();
    assert!(
        body.contains("src=\"/media/2013/03/image-alignment-580x300.jpg"),
        "{body}"
    );
    assert!(!body.contains("files.wordpress.com/2013/03/image-alignment-580x300.jpg"));
    let featured = app
        .store
        .article(gazette_core::ArticleId(51))
        .await
        .unwrap()
        .unwrap()
        .featured_image
        .unwrap();
    assert_eq!(featured.src, "/media/2008/06/dsc20050102_192118_51.jpg");
    assert!(featured.media.is_some());

    app.caught_up().await;
    let copy = "/media/2013/03/image-alignment-580x300.jpg";
    let served = app.get(copy).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    for old in [
        "/wp-content/uploads/2013/03/image-alignment-580x300.jpg",
        "/?attachment_id=967",
        "/2013/01/10/markup-image-alignment/image-alignment-580x300/",
    ] {
        let response = app.get(old).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(response.headers()["location"], copy, "{old}");
    }
    let sized = app
        .get("/wp-content/uploads/2008/06/dsc20050102_192118_51-300x225.jpg")
        .await;
    assert_eq!(
        sized.headers()["location"],
        "/media/2008/06/dsc20050102_192118_51.jpg"
    );
    assert_eq!(
        app.get("/wp-content/uploads/2008/06/img_8399.jpg")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // A second run copies nothing again.
    let again = import_wxr(
        &app.store,
        &root.join(THEME_DATA),
        &options,
        Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    assert_eq!(again.copied_media, 0, "{}", again.text());
    let paths = [
        "2013/03/image-alignment-580x300.jpg".to_owned(),
        "2013/03/image-alignment-580x300-2.jpg".to_owned(),
    ];
    assert_eq!(app.store.media_by_paths(&paths).await.unwrap().len(), 1);
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn uploads_are_copied_and_their_addresses_kept_on_sqlite() {
    uploads_are_copied_and_their_addresses_kept(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(all(gazette_test_database_url, gazette_test_wxr_fixtures)),
    ignore = "needs GAZETTE_TEST_DATABASE_URL and GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
async fn uploads_are_copied_and_their_addresses_kept_on_postgres() {
    uploads_are_copied_and_their_addresses_kept(Backend::Postgres).await;
}
