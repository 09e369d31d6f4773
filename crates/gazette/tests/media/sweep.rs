//! `gazette media sweep`'s check: objects nothing names (past their grace hour) are orphans,
//! library files the store lacks are dangling, and files the journal's texts name (the demo's
//! illustrations) are neither.

use gazette_media::MediaStore;
use gazette_testkit::{Backend, TestApp};
use jiff::{SignedDuration, Timestamp};

use super::{upload, uploaded_id, with_variants};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_finds_orphans_and_dangling_files() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let http = app.admin_client().await;
    let bytes = gazette_media::fixtures::halves_jpeg(1200, 800);
    let id = uploaded_id(&upload(&app, &http, "harbour.jpg", bytes, "The harbour").await);
    let media = with_variants(&app, id).await;
    app.caught_up().await;
    let objects = MediaStore::directory(app.media_dir());
    objects
        .put_new(
            "2026/01/stray.jpg",
            b"an upload whose row never came".to_vec().into(),
        )
        .await
        .unwrap();
    let lost = media.variant_path(media.variant_widths[0]);
    std::fs::remove_file(app.media_dir().join(&lost)).unwrap();

    let sweep = || gazette_newsroom::media_sweep::sweep(&app.store, &objects);
    let fresh = sweep().await.unwrap();
    assert!(
        fresh.orphans.is_empty(),
        "a new object may be an upload in flight: {fresh:?}"
    );

    // The objects' times are the file system's; the journal's clock moves past the grace hour.
    app.clock
        .set(Timestamp::now() + SignedDuration::from_hours(2));
    let report = sweep().await.unwrap();
    let orphans: Vec<&str> = report.orphans.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(
        orphans,
        ["2026/01/stray.jpg"],
        "the demo's illustrations are named by articles"
    );
    assert_eq!(report.dangling, [(id, lost)]);

    gazette_newsroom::media_sweep::remove_orphans(&objects, &report)
        .await
        .unwrap();
    assert!(sweep().await.unwrap().orphans.is_empty());
    assert!(
        objects.info(&media.path).await.unwrap().is_some(),
        "named files stay"
    );
}
