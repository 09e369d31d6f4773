//! Snapshot tests of the public pages: the exact HTML of the demo journal's home, an article,
//! an archive and an error page, so that any change to markup shows up in review.
//!
//! Test apps run on a manual clock and a fresh database, so dates and ids are already stable;
//! only the stylesheet's content hash and the test server's address (its port is random) are
//! redacted. When a change is intended, run
//! `UPDATE_SNAPSHOTS=1 cargo test -p gazette --test snapshots` and review the diff of
//! `tests/snapshots/`.

use std::path::PathBuf;

use gazette_testkit::{Backend, TestApp};

/// `/assets/{hash}/` → `/assets/HASH/`: the hash changes with every stylesheet edit.
fn redact(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("/assets/") {
        let (before, after) = rest.split_at(at + "/assets/".len());
        out.push_str(before);
        let hash_len = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hash_len > 0 && after[hash_len..].starts_with('/') {
            out.push_str("HASH");
            rest = &after[hash_len..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn check(name: &str, html: &str) {
    check_file(&format!("{name}.html"), &redact(html));
}

/// Item ids are UUIDs under the installation's random secret: `urn:uuid:ID`.
fn redact_uuids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("urn:uuid:") {
        let (before, after) = rest.split_at(at + "urn:uuid:".len());
        out.push_str(before);
        out.push_str("ID");
        rest = &after[after.len().min(36)..];
    }
    out.push_str(rest);
    out
}

fn check_file(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/snapshots/{name}"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(expected.lines().count().min(actual.lines().count()), |n| n);
        let new = path.with_file_name(format!("{name}.new"));
        std::fs::write(&new, actual).unwrap();
        panic!(
            "{name} differs from its snapshot from line {}: expected {:?}, got {:?}. The new \
             output is in {}; if the change is intended, run with UPDATE_SNAPSHOTS=1.",
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or(""),
            new.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_match_their_snapshots() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    // Without a base_url, links start with the address the test server listens on.
    let page = |path: String| {
        let app = &app;
        async move {
            app.get_text(&path)
                .await
                .1
                .replace(&app.url(""), "http://ORIGIN")
        }
    };
    let home = page("/".to_owned()).await;
    check("home", &home);
    let lead = home.split("card-headline\"><a href=\"").nth(1).unwrap();
    let article = page(lead[..lead.find('"').unwrap()].to_owned()).await;
    check("article", &article);
    check("section", &page("/category/world/".to_owned()).await);
    check("not-found", &page("/no-such-page/".to_owned()).await);
}

/// The journal's feeds in each format, its sitemaps and robots.txt, with a public address set
/// as in production.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_and_sitemaps_match_their_snapshots() {
    let publication = gazette_core::Publication {
        base_url: Some("https://journal.example".parse().unwrap()),
        ..gazette_core::Publication::sample()
    };
    let options = gazette_testkit::TestOptions {
        demo: true,
        publication: Some(publication),
        ..gazette_testkit::TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    for (path, file) in [
        ("/feed/", "feed.rss.xml"),
        ("/feed/atom/", "feed.atom.xml"),
        ("/category/economy/feed/json/", "economy.feed.json"),
        ("/sitemap.xml", "sitemap.xml"),
        ("/sitemap-sections.xml", "sitemap-sections.xml"),
        ("/news-sitemap.xml", "news-sitemap.xml"),
        ("/robots.txt", "robots.txt"),
    ] {
        let (status, body) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        check_file(file, &redact_uuids(&body));
    }
}

#[test]
fn uuids_are_redacted() {
    assert_eq!(
        redact_uuids("<id>urn:uuid:0a1b2c3d-0000-5000-8000-000000000000</id>"),
        "<id>urn:uuid:ID</id>"
    );
}

#[test]
fn redaction_replaces_only_asset_hashes() {
    assert_eq!(
        redact(r#"<link href="/assets/0a1b2c/style.css"><a href="/assets/x">"#),
        r#"<link href="/assets/HASH/style.css"><a href="/assets/x">"#
    );
}
