//! Low findings on files: a node's data, backups and exports are their owner's only.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use gazette_testkit::{Backend, TestApp};

use super::PASSWORD;

gazette_testkit::on_both_backends!(a_nodes_data_is_its_owners_only);

fn mode(path: &Path) -> u32 {
    let metadata = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    metadata.permissions().mode() & 0o777
}

/// A running node's directories are its owner's only, and so is a SQLite database with its
/// write-ahead log and shared-memory file.
async fn a_nodes_data_is_its_owners_only(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    assert_eq!(mode(&app.media_dir()), 0o700, "the media directory");
    assert_eq!(
        mode(&app.data_dir().join("index")),
        0o700,
        "the search index"
    );
    if let Some(file) = app.database_url().strip_prefix("sqlite:") {
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{file}{suffix}");
            assert_eq!(mode(Path::new(&path)), 0o600, "{path}");
        }
    }
    app.shutdown().await;
}

/// Runs the gazette binary under a umask that takes nothing away, so only modes Gazette sets
/// itself are private.
fn gazette_under_open_umask(args: &[&str]) {
    let mut command = std::process::Command::new("/bin/sh");
    command
        .arg("-c")
        .arg("umask 000 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .env_remove("RUST_LOG")
        .env("GAZETTE_ADMIN_PASSWORD", PASSWORD);
    for (key, _) in std::env::vars() {
        if key.starts_with("GAZETTE_") && !key.starts_with("GAZETTE_TEST_") {
            command.env_remove(key);
        }
    }
    let output = command.stdin(std::process::Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "gazette {args:?}: {stderr}");
}

/// The data directory Gazette creates is 0700 and its database 0600, set by Gazette whatever
/// the umask; a data directory the operator made keeps its mode. Backups and exports too.
#[test]
fn the_cli_keeps_data_backups_and_exports_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    gazette_under_open_umask(&["migrate", "--data", &path("new/live")]);
    for made in ["new", "new/live"] {
        assert_eq!(mode(&dir.path().join(made)), 0o700, "{made}");
    }
    assert_eq!(mode(&dir.path().join("new/live/gazette.db")), 0o600);

    let chosen = dir.path().join("chosen");
    std::fs::create_dir(&chosen).unwrap();
    std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o750)).unwrap();
    gazette_under_open_umask(&["migrate", "--no-demo", "--data", &path("chosen")]);
    assert_eq!(mode(&chosen), 0o750, "the operator's choice stands");
    assert_eq!(mode(&chosen.join("gazette.db")), 0o600);

    gazette_under_open_umask(&[
        "backup",
        &path("copies/monday"),
        "--data",
        &path("new/live"),
    ]);
    for made in ["copies", "copies/monday", "copies/monday/media"] {
        assert_eq!(mode(&dir.path().join(made)), 0o700, "{made}");
    }
    assert_eq!(mode(&dir.path().join("copies/monday/gazette.db")), 0o600);

    // A leftover partial export, readable by all, does not make the export readable.
    let leftover = dir.path().join(".journal.xml.partial");
    std::fs::write(&leftover, "").unwrap();
    std::fs::set_permissions(&leftover, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = path("journal.xml");
    gazette_under_open_umask(&[
        "export",
        "wxr",
        "--data",
        &path("new/live"),
        "--output",
        &output,
    ]);
    assert_eq!(mode(Path::new(&output)), 0o600);
}
