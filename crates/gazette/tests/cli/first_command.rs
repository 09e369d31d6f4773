//! A journal's first command: `import wxr` creates the journal it imports into (on SQLite, in
//! a data directory that does not exist yet, and on an empty PostgreSQL database), while
//! every command that needs a journal says which command makes one, creates nothing and never
//! shows the database's raw error.

use std::path::Path;

use super::{data_arg, gazette, run};

/// A small WordPress export whose channel names the publication.
fn harbour_export(dir: &Path) -> std::path::PathBuf {
    let channel = gazette_wxr::Channel {
        title: "The Harbour Herald".into(),
        link: "https://harbour.example".into(),
        description: "News from the quays".into(),
        language: "en-US".into(),
        base_site_url: "https://harbour.example".into(),
        base_blog_url: "https://harbour.example".into(),
        ..gazette_wxr::Channel::default()
    };
    let mut writer = gazette_wxr::WxrWriter::new(Vec::new(), &channel).unwrap();
    for (id, slug, local, utc) in [
        (7, "tides", "2021-01-15 23:30:00", "2021-01-16 04:30:00"),
        (8, "ferries", "2021-07-10 09:00:00", "2021-07-10 13:00:00"),
    ] {
        let item = gazette_wxr::Item {
            title: format!("About {slug}"),
            link: format!("https://harbour.example/{slug}/"),
            creator: "kim".into(),
            content: "Text.".into(),
            post_id: Some(id),
            post_date: local.into(),
            post_date_gmt: utc.into(),
            post_name: slug.into(),
            status: "publish".into(),
            post_type: "post".into(),
            ..gazette_wxr::Item::default()
        };
        writer
            .write(&gazette_wxr::Entry::Item(Box::new(item)))
            .unwrap();
    }
    let path = dir.join("harbour.xml");
    std::fs::write(&path, writer.finish().unwrap()).unwrap();
    path
}

/// `store` is `["--data", DIR]` or `["--database", URL, "--data", DIR]`.
fn import_creates_the_journal(store: &[&str], export: &Path) {
    let mut command = gazette(&["import", "wxr"]);
    command
        .args(store)
        .args(["--admin-email", "editor@harbour.example"])
        .arg(export)
        .env_remove("GAZETTE_ADMIN_PASSWORD");
    let output = command.output().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for line in [
        "Journal: created, with the administrator editor@harbour.example and no demo content.",
        "Setting: name \"The Harbour Herald\" (from the export's channel title).",
        "Setting: tagline and description \"News from the quays\" (from the export's channel description).",
        "Setting: language en-US (from the export's channel language \"en-US\").",
        "Articles: 2 (2 published).",
    ] {
        assert!(report.contains(line), "expected {line:?} in:\n{report}");
    }
    assert!(
        !stderr.contains("error") && !stderr.contains("no such table"),
        "{stderr}"
    );
    // Generated, so shown once, on stderr only.
    assert_eq!(
        stderr
            .matches("Administrator password (shown only now): ")
            .count(),
        1,
        "{stderr}"
    );
    assert!(!report.contains("shown only now"), "{report}");

    let listed = gazette(&["user", "list"]).args(store).output().unwrap();
    let accounts = String::from_utf8_lossy(&listed.stdout);
    assert!(
        accounts.contains("editor@harbour.example\tAdministrator\tadministrator\tyes"),
        "{accounts}"
    );
    // The journal holds what was imported and nothing else: no demo articles.
    let exported = gazette(&["export", "wxr"]).args(store).output().unwrap();
    let wxr = String::from_utf8_lossy(&exported.stdout);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert!(wxr.contains("<title>The Harbour Herald</title>"), "{wxr}");
    assert!(wxr.contains("<language>en-US</language>"), "{wxr}");
    assert_eq!(wxr.matches("<wp:post_type><![CDATA[post]]>").count(), 2);

    // Run again, the import finds the journal it made and changes nothing.
    let again = gazette(&["import", "wxr"])
        .args(store)
        .arg(export)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{report}");
    assert!(
        report.contains("Articles: 0.") && !report.contains("Journal: created"),
        "{report}"
    );
}

#[test]
fn import_wxr_creates_the_journal_in_a_directory_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let export = harbour_export(dir.path());
    let data = dir.path().join("not").join("yet");
    import_creates_the_journal(&["--data", &data_arg(&data)], &export);
}

#[test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
fn import_wxr_creates_the_journal_in_an_empty_postgres_database() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(database) = runtime.block_on(gazette_testkit::TestDatabase::postgres_empty()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let export = harbour_export(dir.path());
    let data = data_arg(dir.path());
    import_creates_the_journal(&["--database", database.url(), "--data", &data], &export);
}

/// Every command that needs a journal, with what it needs besides; `dest` is a directory
/// `backup` may create.
fn commands_needing_a_journal(dest: &str) -> Vec<Vec<String>> {
    let email = "someone@example.org";
    [
        vec!["user", "list"],
        vec!["user", "reset-password", "--email", email],
        vec!["user", "app-password", "--email", email, "--name", "Script"],
        vec!["export", "wxr"],
        vec!["search", "reindex"],
        vec!["privacy", "export", "--email", email],
        vec!["privacy", "erase", "--email", email],
        vec!["dev", "corpus", "--articles", "1"],
        vec!["dev", "bench-search"],
        vec!["backup", dest],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(str::to_owned).collect())
    .collect()
}

/// What a command that needs a journal must say on a store without one.
fn says_to_make_a_journal_first(args: &[String], stderr: &str) {
    assert!(
        stderr.contains("has no journal yet")
            && stderr.contains("gazette migrate")
            && stderr.contains("gazette serve"),
        "{args:?}: {stderr}"
    );
    for raw in [
        "no such table",
        "does not exist",
        "error returned from database",
        "database error",
    ] {
        assert!(!stderr.contains(raw), "{args:?}: {stderr}");
    }
}

#[test]
fn commands_on_a_data_directory_without_a_journal_say_which_command_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let dest = data_arg(&dir.path().join("backup"));
    for args in commands_needing_a_journal(&dest) {
        let (ok, stderr) = run(gazette(&[])
            .args(&args)
            .args(["--data", &data_arg(&missing)]));
        assert!(!ok, "{args:?}");
        says_to_make_a_journal_first(&args, &stderr);
    }
    // Checking an export writes nothing either.
    let export = harbour_export(dir.path());
    let (ok, stderr) = run(gazette(&["import", "wxr", "--dry-run", "--data"])
        .arg(&missing)
        .arg(&export));
    assert!(ok, "{stderr}");
    // Nor does an import of a file that is refused: the journal would have been its first.
    let refused = dir.path().join("refused.xml");
    std::fs::write(&refused, "<rss><channel><item>").unwrap();
    let (ok, stderr) = run(gazette(&["import", "wxr", "--data"])
        .arg(&missing)
        .arg(&refused));
    assert!(!ok && stderr.contains("cannot be imported"), "{stderr}");
    assert!(
        !missing.exists() && !dir.path().join("backup").exists(),
        "a command created a store"
    );

    // An empty database file (left by an interrupted first run) is no journal either.
    std::fs::create_dir(&missing).unwrap();
    std::fs::write(missing.join("gazette.db"), b"").unwrap();
    for args in commands_needing_a_journal(&dest) {
        let (ok, stderr) = run(gazette(&[])
            .args(&args)
            .args(["--data", &data_arg(&missing)]));
        assert!(!ok, "{args:?}");
        says_to_make_a_journal_first(&args, &stderr);
    }
}

#[test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
fn commands_on_an_empty_postgres_database_say_which_command_to_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(database) = runtime.block_on(gazette_testkit::TestDatabase::postgres_empty()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dest = data_arg(&dir.path().join("backup"));
    for args in commands_needing_a_journal(&dest) {
        let (ok, stderr) = run(gazette(&[]).args(&args).args([
            "--database",
            database.url(),
            "--data",
            &data_arg(dir.path()),
        ]));
        assert!(!ok, "{args:?}");
        if args[0] == "backup" {
            assert!(stderr.contains("pg_dump"), "{stderr}");
            continue;
        }
        says_to_make_a_journal_first(&args, &stderr);
    }
}

#[test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
fn a_postgres_database_that_was_never_created_is_named_with_the_fix() {
    let Some(server) = gazette_testkit::postgres_url() else {
        return;
    };
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path("/gazette_never_created");
    let dir = tempfile::tempdir().unwrap();
    for args in [vec!["migrate"], vec!["user", "list"]] {
        let (ok, stderr) =
            run(gazette(&args).args(["--database", url.as_str(), "--data", &data_arg(dir.path())]));
        assert!(!ok, "{args:?}");
        assert!(
            stderr.contains("has no database \"gazette_never_created\"")
                && stderr.contains("createdb gazette_never_created"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("error returned from database"), "{stderr}");
    }
}

#[test]
fn a_file_that_is_not_a_database_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gazette.db"),
        b"certainly not SQLite ".repeat(100),
    )
    .unwrap();
    for args in [vec!["user", "list"], vec!["migrate"]] {
        let (ok, stderr) = run(gazette(&args).args(["--data", &data_arg(dir.path())]));
        assert!(!ok, "{args:?}");
        assert!(
            stderr.contains("is not a SQLite database") && stderr.contains("database_url"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains("error returned from database") && !stderr.contains("(code: "),
            "{stderr}"
        );
    }
}
