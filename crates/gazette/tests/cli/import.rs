//! Importing from the command line: the corpus generator fills a store and writes the same
//! journal as WXR, and a dry-run import reports what an export holds or why it is refused.

use super::{data_arg, gazette};

#[test]
fn the_corpus_generator_fills_a_store_and_writes_the_same_journal_as_wxr() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let wxr = dir.path().join("corpus.xml");
    let wxr_arg = wxr.to_str().unwrap();

    let refused = gazette(&["dev", "corpus", "--data", &data, "--articles", "5"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("gazette migrate --no-demo"));

    let migrated = gazette(&["migrate", "--no-demo", "--data", &data])
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let args = [
        "dev",
        "corpus",
        "--data",
        &data,
        "--articles",
        "40",
        "--comments",
        "120",
    ];
    let made = gazette(&args).args(["--wxr", wxr_arg]).output().unwrap();
    let report = String::from_utf8_lossy(&made.stderr);
    assert!(made.status.success(), "{report}");
    assert!(
        report.contains("Wrote 40 articles and 120 comments into the store"),
        "{report}"
    );
    let export = std::fs::read_to_string(&wxr).unwrap();
    assert_eq!(export.matches("<item>").count(), 40);
    assert_eq!(export.matches("<wp:comment>").count(), 120);

    // The index over the generated store, and the benchmark's comparison, run.
    let reindexed = gazette(&["search", "reindex", "--data", &data])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&reindexed.stderr);
    assert!(report.contains("Indexed 40 articles"), "{report}");
    let bench = gazette(&[
        "dev",
        "bench-search",
        "--data",
        &data,
        "--queries",
        "50",
        "--like-queries",
        "5",
    ])
    .output()
    .unwrap();
    let table = String::from_utf8_lossy(&bench.stdout);
    assert!(
        bench.status.success(),
        "{}",
        String::from_utf8_lossy(&bench.stderr)
    );
    assert!(
        table.contains("| tantivy index | 50 |") && table.contains("| SQL LIKE scan | 5 |"),
        "{table}"
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn a_dry_run_import_reports_what_an_export_holds_or_why_it_is_refused() {
    let Some(fixtures) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let theme = fixtures.join("theme-test-data/themeunittestdata.wordpress.xml");
    let checked = gazette(&["import", "wxr", "--dry-run", theme.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        report.contains("Posts: 58 (1 drafts, 1 scheduled, 56 published)"),
        "{report}"
    );
    assert!(report.contains("Nothing was written"));

    let truncated = fixtures.join("importer-suite/malformed-simple.xml");
    let refused = gazette(&["import", "wxr", "--dry-run", truncated.to_str().unwrap()])
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        message.contains("cannot be imported: line 14, column 1"),
        "{message}"
    );

    // Without --dry-run it writes; a refused file writes nothing; a second run changes nothing.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let migrated = gazette(&["migrate", "--no-demo", "--data", data])
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let import = |file: &std::path::Path| {
        gazette(&["import", "wxr", "--data", data, file.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let refused = import(&truncated);
    assert!(!refused.status.success());
    let imported = import(&theme);
    let report = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(
        report.contains("Articles: 58 (1 draft, 56 published, 1 scheduled)."),
        "{report}"
    );
    assert!(
        report.contains("People: 2. Sections: 68. Tags: 110."),
        "{report}"
    );
    let again = import(&theme);
    let report = String::from_utf8_lossy(&again.stdout);
    assert!(report.contains("Articles: 0."), "{report}");
    assert!(report.contains("Already imported before"), "{report}");

    // The journal exports to a file, which appears only once complete; a destination that
    // cannot be written is named and leaves nothing behind.
    let export = |output: &std::path::Path| {
        gazette(&[
            "export",
            "wxr",
            "--data",
            data,
            "--output",
            output.to_str().unwrap(),
        ])
        .output()
        .unwrap()
    };
    let exported_to = dir.path().join("journal.xml");
    let exported = export(&exported_to);
    let summary = String::from_utf8_lossy(&exported.stderr);
    assert!(exported.status.success(), "{summary}");
    assert!(
        summary.contains("Exported 58 articles (33 comments in all"),
        "{summary}"
    );
    let checked = gazette(&["import", "wxr", "--dry-run", exported_to.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(report.contains("Posts: 58"), "{report}");
    let unwritable = dir.path().join("missing-folder/journal.xml");
    let failed = export(&unwritable);
    let message = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success());
    assert!(message.contains("missing-folder"), "{message}");
    assert!(!dir.path().join("missing-folder").exists());
}
