//! `gazette media migrate` into a real S3 server (SeaweedFS): every object copied and
//! verified, a second run copying nothing, a name the bucket holds with other bytes refused
//! and named; and `backup` of a journal whose media are in the bucket.

use gazette_testkit::s3::{BucketAccess, S3Server};

use super::{data_arg, gazette, run};

fn with_bucket<'a>(
    command: &'a mut std::process::Command,
    bucket: &BucketAccess,
) -> &'a mut std::process::Command {
    command.envs(bucket.env())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(gazette_test_weed),
    ignore = "needs GAZETTE_TEST_WEED (see README)"
)]
async fn a_media_directory_moves_into_a_bucket_verified_and_resumable() {
    let Some(s3) = S3Server::start().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, stderr) = run(&mut gazette(&[
        "migrate",
        "--no-demo",
        "--data",
        &data_arg(&data),
    ]));
    assert!(ok, "{stderr}");
    let files = [
        ("2026/05/photo.jpg", &b"a photograph"[..]),
        ("2026/05/photo-640w.jpg", b"its variant"),
        ("demo/chart.svg", b"<svg/>"),
    ];
    for (path, bytes) in files {
        let file = data.join("media").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
    let bucket = s3.bucket("migrated");
    let migrate = |to: &str| {
        let mut command = gazette(&["media", "migrate", "--to", to, "--data", &data_arg(&data)]);
        with_bucket(&mut command, &bucket);
        run(&mut command)
    };

    let (ok, stderr) = migrate("s3://gazette-tests/migrated");
    assert!(ok, "{stderr}");
    assert!(stderr.contains("3 object(s) copied"), "{stderr}");
    assert!(
        stderr.contains("Restart the nodes"),
        "the bucket is already configured: {stderr}"
    );
    let objects = crate::media::bucket::store_of(&bucket);
    for (path, bytes) in files {
        assert_eq!(
            objects.read(path).await.unwrap().as_deref(),
            Some(bytes),
            "{path}"
        );
    }

    let (ok, stderr) = migrate("s3://gazette-tests/migrated");
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("0 object(s) copied") && stderr.contains("3 already there"),
        "a second run copies nothing: {stderr}"
    );

    objects
        .put_new("2026/06/clash.jpg", b"someone else's".to_vec().into())
        .await
        .unwrap();
    std::fs::create_dir_all(data.join("media/2026/06")).unwrap();
    std::fs::write(data.join("media/2026/06/clash.jpg"), b"ours").unwrap();
    let (ok, stderr) = migrate("s3://gazette-tests/migrated");
    assert!(!ok, "a clash fails the run");
    assert!(
        stderr.contains("2026/06/clash.jpg") && stderr.contains("different bytes"),
        "{stderr}"
    );
    assert_eq!(
        objects.read("2026/06/clash.jpg").await.unwrap().as_deref(),
        Some(&b"someone else's"[..]),
        "nothing is overwritten"
    );

    let (ok, stderr) = migrate("https://example.org/bucket");
    assert!(!ok && stderr.contains("s3://"), "{stderr}");
    let (ok, stderr) = run(&mut gazette(&[
        "media",
        "migrate",
        "--to",
        "s3://x",
        "--data",
        &data_arg(&data),
    ]));
    assert!(
        !ok && stderr.contains("[media_bucket]"),
        "no bucket configured: {stderr}"
    );

    // A backup of a journal whose media are in the bucket holds them as files.
    std::fs::remove_dir_all(data.join("media")).unwrap();
    let backup = dir.path().join("backup");
    let mut command = gazette(&["backup", &data_arg(&backup), "--data", &data_arg(&data)]);
    let (ok, stderr) = run(with_bucket(&mut command, &bucket));
    assert!(ok, "{stderr}");
    assert!(stderr.contains("4 media file(s)"), "{stderr}");
    assert_eq!(
        std::fs::read(backup.join("media/2026/05/photo.jpg")).unwrap(),
        b"a photograph"
    );
}
