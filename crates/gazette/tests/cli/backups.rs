//! `backup`: a backup serves the same journal as the one it was made from, and a PostgreSQL
//! journal's backup points to `pg_dump`.

use std::path::Path;

use super::{becomes_ready, data_arg, fetch, gazette, run, start_server, terminate};

#[test]
fn a_backup_serves_the_same_journal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let backup = dir.path().join("backup");
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data_arg(&data)]));
    assert!(ok, "{stderr}");
    // Besides the demo, an article of this journal's own: a backup that started a new journal
    // would have the demo's articles, not this one.
    let token = format!("canary{}", std::process::id());
    let canary = dir.path().join("canary.xml");
    write_canary_export(&canary, &token);
    let (ok, stderr) = run(&mut gazette(&[
        "import",
        "wxr",
        "--data",
        &data_arg(&data),
        &data_arg(&canary),
    ]));
    assert!(ok, "{stderr}");
    std::fs::create_dir_all(data.join("media/2026/05")).unwrap();
    std::fs::write(data.join("media/2026/05/photo.jpg"), b"not really a jpeg").unwrap();
    let (ok, stderr) = run(&mut gazette(&[
        "backup",
        &data_arg(&backup),
        "--data",
        &data_arg(&data),
    ]));
    assert!(ok, "{stderr}");
    assert!(stderr.contains("1 media file(s)"), "{stderr}");
    assert_eq!(
        std::fs::read(backup.join("media/2026/05/photo.jpg")).unwrap(),
        b"not really a jpeg"
    );
    // Never overwrite an existing backup.
    let (ok, stderr) = run(&mut gazette(&[
        "backup",
        &data_arg(&backup),
        "--data",
        &data_arg(&data),
    ]));
    assert!(!ok && stderr.contains("is not empty"), "{stderr}");
    // The copy is a complete data directory: it migrates as "up to date" and serves.
    let (ok, stderr) = run(&mut gazette(&["migrate", "--data", &data_arg(&backup)]));
    assert!(
        ok && stderr.contains("up to date") && !stderr.contains("Created"),
        "{stderr}"
    );
    // The journal and its copy, served side by side, show the same articles, page for page.
    let (mut original, original_address) = start_server(&data_arg(&data));
    let (mut copy, copy_address) = start_server(&data_arg(&backup));
    let ready = becomes_ready(&original_address) && becomes_ready(&copy_address);
    let seen = ready.then(|| {
        (
            journal_as_read(&original_address),
            journal_as_read(&copy_address),
        )
    });
    terminate(&mut original);
    terminate(&mut copy);
    let (original, copy) = seen.expect("both servers become ready");
    assert!(
        original.len() > 10,
        "the demo's articles and the canary: {:?}",
        original.keys()
    );
    assert!(
        original.values().any(|page| page.contains(&token)),
        "the canary article is served"
    );
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        copy.keys().collect::<Vec<_>>(),
        "the same pages"
    );
    for (path, page) in &original {
        assert!(page == &copy[path], "{path} differs in the backup");
    }
}

/// A WordPress export of one published post whose text holds `token`.
fn write_canary_export(path: &Path, token: &str) {
    let channel = gazette_wxr::Channel {
        title: "Canary".into(),
        link: "https://canary.example".into(),
        base_site_url: "https://canary.example".into(),
        base_blog_url: "https://canary.example".into(),
        ..gazette_wxr::Channel::default()
    };
    let mut writer = gazette_wxr::WxrWriter::new(Vec::new(), &channel).unwrap();
    let item = gazette_wxr::Item {
        title: "Harbour wall holds".into(),
        link: "https://canary.example/harbour-wall-holds/".into(),
        content: format!("The harbour wall held through the night ({token})."),
        post_id: Some(9001),
        post_date: "2026-01-02 03:04:05".into(),
        post_date_gmt: "2026-01-02 03:04:05".into(),
        post_name: "harbour-wall-holds".into(),
        status: "publish".into(),
        post_type: "post".into(),
        ..gazette_wxr::Item::default()
    };
    writer
        .write(&gazette_wxr::Entry::Item(Box::new(item)))
        .unwrap();
    std::fs::write(path, writer.finish().unwrap()).unwrap();
}

/// What a reader finds on the server at `address`, by path: the home page, the REST API's
/// posts and pages, every post's and page's own page, and the media file; the server's own
/// address in them is replaced so that two servers compare.
fn journal_as_read(address: &str) -> std::collections::BTreeMap<String, String> {
    let mut read = std::collections::BTreeMap::new();
    let mut get = |path: &str| {
        let answer = fetch(address, path);
        assert_eq!(answer.status, 200, "GET {path} on {address}");
        let text = answer.text().replace(address, "journal.example");
        read.insert(path.to_owned(), text.clone());
        text
    };
    get("/");
    get("/media/2026/05/photo.jpg");
    for listing in [
        "/wp-json/wp/v2/posts?per_page=100",
        "/wp-json/wp/v2/pages?per_page=100",
    ] {
        let items: serde_json::Value = serde_json::from_str(&get(listing)).unwrap();
        let items = items.as_array().unwrap();
        assert!(items.len() < 100, "one page of {listing} holds them all");
        for item in items {
            let link = item["link"].as_str().unwrap();
            let path = link
                .strip_prefix("http://journal.example")
                .unwrap_or_else(|| panic!("{link} is not on the server"));
            get(path);
        }
    }
    read
}

#[test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
fn backup_of_postgres_points_to_pg_dump() {
    let Some(url) = gazette_testkit::postgres_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run(&mut gazette(&[
        "backup",
        &data_arg(&dir.path().join("b")),
        "--database",
        &url,
    ]));
    assert!(!ok && stderr.contains("pg_dump"), "{stderr}");
}
