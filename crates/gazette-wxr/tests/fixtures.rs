//! Every WordPress export in `../shared/fixtures/wxr/` gets a written-down verdict: which
//! records it holds, or why it is refused. The theme unit test data is checked against the
//! counts WordPress itself shows after importing it.

#![expect(
    clippy::unwrap_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use gazette_wxr::php::{self, PhpValue};
use gazette_wxr::{Entry, Item, WxrError, WxrReader};

/// A fixture's path; the fixtures are found by `gazette_testkit::wxr_fixtures`, and each test
/// that reads them is ignored where the build found none (`cfg(gazette_test_wxr_fixtures)`) and
/// starts with `if fixtures().is_none() { return; }`, for fixtures gone since the build.
fn fixture(path: &str) -> PathBuf {
    fixtures().unwrap().join(path)
}

fn fixtures() -> Option<PathBuf> {
    gazette_testkit::wxr_fixtures()
}

/// Every record of a file, or the error that stopped the reading.
fn read(path: &str) -> Result<Vec<Entry>, WxrError> {
    let file = std::fs::File::open(fixture(path)).unwrap();
    WxrReader::new(std::io::BufReader::new(file)).collect()
}

fn read_str(text: &str) -> Result<Vec<Entry>, WxrError> {
    WxrReader::new(text.as_bytes()).collect()
}

/// Authors, categories, tags, other terms, items and comments.
#[derive(Debug, PartialEq, Eq)]
struct Counts(usize, usize, usize, usize, usize, usize);

fn counts(entries: &[Entry]) -> Counts {
    let mut c = Counts(0, 0, 0, 0, 0, 0);
    for entry in entries {
        match entry {
            Entry::Author(_) => c.0 += 1,
            Entry::Category(_) => c.1 += 1,
            Entry::Tag(_) => c.2 += 1,
            Entry::Term(_) => c.3 += 1,
            Entry::Item(item) => {
                c.4 += 1;
                c.5 += item.comments.len();
            }
        }
    }
    c
}

fn items(entries: &[Entry]) -> Vec<&Item> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Item(item) => Some(item.as_ref()),
            _ => None,
        })
        .collect()
}

enum Verdict {
    Reads(Counts),
    Refused(&'static str),
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn every_fixture_gets_its_verdict() {
    if fixtures().is_none() {
        return;
    }
    use Verdict::{Reads, Refused};
    let verdicts = [
        (
            "importer-suite/a11y-unit-test-data.xml",
            Reads(Counts(0, 27, 61, 5, 154, 29)),
        ),
        (
            "importer-suite/authors-multiline.xml",
            Reads(Counts(3, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/backslashes.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/blank-lines.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/cdata-edge.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/chunked-meta.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/crazy-cdata-escaped.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        // `]]>` in plain text: not XML. WordPress's regex fallback would guess; we refuse.
        (
            "importer-suite/crazy-cdata.xml",
            Refused("line 18, column 73: the text contains \"]]>\" outside a CDATA section"),
        ),
        (
            "importer-suite/invalid-version-tag.xml",
            Refused("line 33: the export's version is \"abc\""),
        ),
        (
            "importer-suite/large-authors.xml",
            Reads(Counts(300, 0, 0, 0, 0, 0)),
        ),
        (
            "importer-suite/malformed-simple.xml",
            Refused("line 14, column 1: the file ends while <item> is still open: it is truncated"),
        ),
        (
            "importer-suite/malformed.xml",
            Refused("line 90, column 1: </channel> closes <notachanneltag>"),
        ),
        (
            "importer-suite/missing-tags.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/missing-version-tag.xml",
            Refused("it has no <wp:wxr_version>"),
        ),
        (
            "importer-suite/multiple-cdata.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/namespace-edge-cases.xml",
            Reads(Counts(2, 0, 0, 2, 6, 0)),
        ),
        (
            "importer-suite/post-content-blank-lines.xml",
            Reads(Counts(1, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/slashes.xml",
            Reads(Counts(1, 1, 1, 0, 1, 1)),
        ),
        (
            "importer-suite/small-export.xml",
            Reads(Counts(3, 30, 3, 0, 11, 1)),
        ),
        (
            "importer-suite/term-formats.xml",
            Reads(Counts(0, 2, 3, 2, 0, 0)),
        ),
        (
            "importer-suite/term-meta.xml",
            Reads(Counts(0, 0, 0, 1, 0, 0)),
        ),
        (
            "importer-suite/test-serialized-comment-meta.xml",
            Reads(Counts(0, 0, 0, 0, 1, 1)),
        ),
        (
            "importer-suite/test-serialized-postmeta-no-cdata.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/test-serialized-postmeta-with-cdata.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/test-serialized-term-meta.xml",
            Reads(Counts(0, 1, 1, 1, 1, 0)),
        ),
        (
            "importer-suite/test-utw-post-meta-import.xml",
            Reads(Counts(0, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/theme-unit-test-data.xml",
            Reads(Counts(2, 68, 110, 7, 186, 33)),
        ),
        (
            "importer-suite/valid-wxr-1.0.xml",
            Reads(Counts(0, 5, 4, 0, 6, 1)),
        ),
        (
            "importer-suite/valid-wxr-1.1.xml",
            Reads(Counts(1, 1, 1, 1, 2, 1)),
        ),
        (
            "importer-suite/wxr-base-url-rewriting.xml",
            Reads(Counts(1, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/wxr-comprehensive.xml",
            Reads(Counts(2, 2, 2, 0, 2, 1)),
        ),
        (
            "importer-suite/wxr-css-urls.xml",
            Reads(Counts(1, 1, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/wxr-flat-attachment-different-site.xml",
            Reads(Counts(1, 0, 0, 0, 2, 0)),
        ),
        (
            "importer-suite/wxr-flat-attachment-same-site.xml",
            Reads(Counts(1, 0, 0, 0, 2, 0)),
        ),
        (
            "importer-suite/wxr-simple.xml",
            Reads(Counts(1, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/wxr-utf-8-challenges.xml",
            Reads(Counts(1, 0, 0, 0, 1, 0)),
        ),
        (
            "importer-suite/wxr-with-sub-data.xml",
            Reads(Counts(0, 0, 0, 1, 1, 1)),
        ),
        (
            "theme-test-data/64-block-test-data.xml",
            Reads(Counts(2, 7, 4, 13, 72, 2)),
        ),
        (
            "theme-test-data/theme-preview.xml",
            Reads(Counts(0, 0, 0, 0, 7, 2)),
        ),
        (
            "theme-test-data/themeunittestdata.wordpress.xml",
            Reads(Counts(2, 68, 110, 7, 186, 33)),
        ),
    ];
    let mut listed: Vec<&str> = verdicts.iter().map(|(path, _)| *path).collect();
    listed.sort_unstable();
    let mut on_disk = Vec::new();
    for dir in ["importer-suite", "theme-test-data"] {
        for entry in std::fs::read_dir(fixture(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".xml") {
                on_disk.push(format!("{dir}/{name}"));
            }
        }
    }
    on_disk.sort_unstable();
    assert_eq!(listed, on_disk, "every fixture has a verdict");

    for (path, verdict) in verdicts {
        match (verdict, read(path)) {
            (Reads(expected), Ok(entries)) => assert_eq!(counts(&entries), expected, "{path}"),
            (Refused(message), Err(error)) => {
                assert!(error.to_string().contains(message), "{path}: {error}");
            }
            (Reads(_), Err(error)) => panic!("{path} was refused: {error}"),
            (Refused(message), Ok(_)) => {
                panic!("{path} was read, but should be refused: {message}")
            }
        }
    }
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn the_theme_unit_test_data_holds_what_wordpress_imports() {
    if fixtures().is_none() {
        return;
    }
    let entries = read("theme-test-data/themeunittestdata.wordpress.xml").unwrap();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut comments: BTreeMap<String, usize> = BTreeMap::new();
    for item in items(&entries) {
        *kinds
            .entry(format!("{} {}", item.post_type, item.status))
            .or_default() += 1;
        for comment in &item.comments {
            let kind = match comment.kind.as_str() {
                "" | "comment" => "comment",
                other => other,
            };
            *comments
                .entry(format!("{kind} {}", comment.approved))
                .or_default() += 1;
        }
    }
    let expected_kinds: BTreeMap<String, usize> = [
        ("attachment inherit", 37),
        ("nav_menu_item publish", 70),
        ("page publish", 21),
        ("post draft", 1),
        ("post future", 1),
        ("post publish", 56),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(kinds, expected_kinds);
    let expected_comments: BTreeMap<String, usize> = [
        ("comment 0", 3),
        ("comment 1", 26),
        ("pingback 1", 2),
        ("trackback 1", 2),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(comments, expected_comments);
    let published: Vec<&Item> = items(&entries)
        .into_iter()
        .filter(|i| i.post_type == "post" && i.status == "publish")
        .collect();
    assert_eq!(
        published
            .iter()
            .filter(|i| !i.post_password.is_empty())
            .count(),
        1
    );
    assert_eq!(published.iter().filter(|i| i.is_sticky).count(), 1);
    // Threads survive: some comments answer others.
    let replies = items(&entries)
        .iter()
        .flat_map(|i| &i.comments)
        .filter(|c| c.parent.is_some())
        .count();
    assert!(replies > 0);
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn namespaces_are_matched_by_uri_never_by_prefix() {
    if fixtures().is_none() {
        return;
    }
    let entries = read("importer-suite/namespace-edge-cases.xml").unwrap();
    let logins: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Author(a) => Some(a.login.as_str()),
            _ => None,
        })
        .collect();
    // `wp:` bound to example.com is not WordPress's; `wp2:` bound to export/1.1/ is.
    assert_eq!(logins, ["real_user", "version_conflict"]);
    let terms: Vec<Option<i64>> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Term(t) => Some(t.term_id),
            _ => None,
        })
        .collect();
    assert_eq!(terms, [Some(100), Some(102)]);
    let items = items(&entries);
    let by_title = |title: &str| *items.iter().find(|i| i.title == title).unwrap();
    let mixed = by_title("Mixed Namespaces");
    assert_eq!(mixed.post_id, Some(1), "the first post_id counts");
    let keys: Vec<&str> = mixed.meta.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        ["normal_key"],
        "postmeta in a hijacked namespace is ignored"
    );
    assert_eq!(
        by_title("No Prefix").post_id,
        Some(2),
        "a default namespace counts"
    );
    let hijacked = by_title("Hijacked Namespace");
    assert_eq!(hijacked.post_id, None);
    assert!(hijacked.meta.is_empty());
    assert!(
        by_title("Namespace Bomb").content.contains("&lol1;"),
        "CDATA is text"
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn cdata_split_around_its_terminator_is_joined() {
    if fixtures().is_none() {
        return;
    }
    let entries = read("importer-suite/crazy-cdata-escaped.xml").unwrap();
    let item = items(&entries)[0];
    assert_eq!(item.content, "Content with nested <![CDATA[ tags ]]> :)");
    assert_eq!(item.meta_value("Closing CDATA"), Some("]]>"));
    assert_eq!(
        item.meta_value("Alot of CDATA"),
        Some("This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>")
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn serialized_meta_decodes_with_or_without_cdata() {
    if fixtures().is_none() {
        return;
    }
    for path in [
        "importer-suite/test-serialized-postmeta-with-cdata.xml",
        "importer-suite/test-serialized-postmeta-no-cdata.xml",
    ] {
        let entries = read(path).unwrap();
        let item = items(&entries)[0];
        let serialized: Vec<&str> = item
            .meta
            .iter()
            .map(|m| m.value.as_str())
            .filter(|v| php::looks_serialized(v))
            .collect();
        assert!(!serialized.is_empty(), "{path}");
        for value in serialized {
            let decoded =
                php::unserialize(value).unwrap_or_else(|e| panic!("{path}: {e}: {value}"));
            assert!(matches!(decoded, PhpValue::Array(_)), "{path}: {value}");
        }
    }
    let entries = read("importer-suite/test-serialized-postmeta-with-cdata.xml").unwrap();
    let item = items(&entries)[0];
    let special = item
        .meta
        .iter()
        .find(|m| m.value.contains("special_post_title"))
        .unwrap();
    let decoded = php::unserialize(&special.value).unwrap();
    assert_eq!(
        decoded.get("special_post_title").and_then(PhpValue::as_str),
        Some("A special title")
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn truncated_files_are_refused_wherever_they_stop() {
    if fixtures().is_none() {
        return;
    }
    let whole = std::fs::read_to_string(fixture("importer-suite/small-export.xml")).unwrap();
    let mut refused = 0;
    for percent in (5..100).step_by(5) {
        let mut cut = whole.len() * percent / 100;
        while !whole.is_char_boundary(cut) {
            cut -= 1;
        }
        let error = read_str(&whole[..cut]).expect_err("a truncated file is refused");
        assert!(error.to_string().contains("line "), "{error}");
        refused += 1;
    }
    assert_eq!(refused, 19);
    assert!(read_str(&whole).is_ok());
}

#[test]
fn doctypes_and_undefined_entities_are_refused() {
    let with_doctype = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&lol;</title></item></channel></rss>"#;
    let error = read_str(with_doctype).unwrap_err().to_string();
    assert!(
        error.contains("line 2") && error.contains("DOCTYPE"),
        "{error}"
    );

    let undefined = r#"<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Fish &chips;</title></item></channel></rss>"#;
    let error = read_str(undefined).unwrap_err().to_string();
    assert!(
        error.contains("line 3") && error.contains("&chips;"),
        "{error}"
    );

    let entities = r#"<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Fish &amp; chips &#8211; &#x2019;</title></item></channel></rss>"#;
    let entries = read_str(entities).unwrap();
    assert_eq!(items(&entries)[0].title, "Fish & chips – ’");
}
