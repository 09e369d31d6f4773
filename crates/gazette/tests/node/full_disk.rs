//! A SQLite journal whose disk fills up: writes answer 503 with `Retry-After` (never 500),
//! reads go on, nothing acknowledged is lost, and writes resume once there is room again. One
//! whose file system is read-only is refused at start with a message naming the fix. The file
//! system is a small tmpfs the test mounts (it needs root, which CI has; without it the test
//! is skipped locally and fails under CI).

use std::path::Path;
use std::process::Command;

use gazette_core::Role;
use gazette_testkit::{TestApp, TestDatabase, TestOptions};
use serde_json::json;

/// A tmpfs of `megabytes` at `at`; unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(at: &Path, megabytes: u32) -> Option<Self> {
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            assert!(
                std::env::var_os("CI").is_none(),
                "mounting a tmpfs is required under CI (the tests run as root there)"
            );
            eprintln!("skipping: cannot mount a tmpfs here (not root?)");
            return None;
        }
        Some(Self(at.to_owned()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

async fn create(app: &TestApp, user: &str, secret: &str, title: &str) -> reqwest::Response {
    app.client
        .post(app.url("/wp-json/wp/v2/posts"))
        .basic_auth(user, Some(secret))
        .json(&json!({ "title": title, "status": "draft" }))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_disk) = SmallDisk::mount(dir.path(), 16) else {
        return;
    };
    let url = format!("sqlite:{}", dir.path().join("gazette.db").display());
    let app = TestApp::spawn_on(TestDatabase::at_url(url), TestOptions::default()).await;
    let editor = app.add_staff("desk", Role::Editor, "a long password").await;
    let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, editor.id, "tests")
        .await
        .unwrap();
    let user = editor.email.as_str().to_owned();
    let mut kept = Vec::new();
    for n in 0..3 {
        let title = format!("Saved before the disk filled {n}");
        assert_eq!(create(&app, &user, &secret, &title).await.status(), 201);
        kept.push(title);
    }

    // Fill every byte left.
    let filler = dir.path().join("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k"])
        .arg(format!("of={}", filler.display()))
        .output()
        .unwrap();
    for n in 0..3 {
        let refused = create(&app, &user, &secret, &format!("No room {n}")).await;
        assert_eq!(refused.status(), 503, "a full disk is not our failure");
        assert!(refused.headers().contains_key("retry-after"));
    }
    assert_eq!(app.get("/").await.status(), 200, "reading goes on");

    std::fs::remove_file(&filler).unwrap();

    // Not once, but every time: the writer that saw the failure is replaced.
    for _ in 0..2 {
        let resumed = create(&app, &user, &secret, "Room again").await;
        assert_eq!(resumed.status(), 201, "writes resume without a restart");
    }
    kept.push("Room again".to_owned());
    let drafts = app
        .store
        .articles_with_status(gazette_core::Status::Draft, 50)
        .await
        .unwrap();
    let headlines: Vec<&str> = drafts.iter().map(|a| a.headline.as_str()).collect();
    for title in &kept {
        assert!(
            headlines.contains(&title.as_str()),
            "{title} was kept: {headlines:?}"
        );
    }
    assert!(
        !headlines.iter().any(|h| h.starts_with("No room")),
        "nothing refused was half-written: {headlines:?}"
    );
}

/// Runs the `gazette` binary with `args`; whether it succeeded, and what it printed.
fn gazette(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .env("GAZETTE_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

async fn article_count(database: &Path) -> usize {
    let url = format!("sqlite:{}", database.display());
    let clock = std::sync::Arc::new(gazette_core::SystemClock);
    let store = gazette_store::Store::connect(&url, gazette_store::StoreOptions::new(clock))
        .await
        .unwrap();
    let published = store
        .articles_with_status(gazette_core::Status::Published, 10_000)
        .await
        .unwrap();
    store.close().await;
    published.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_database_is_refused_with_the_fix_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_disk) = SmallDisk::mount(dir.path(), 64) else {
        return;
    };
    let data = dir.path().join("data");
    let data_arg = data.display().to_string();
    let (made, printed) = gazette(&["migrate", "--data", &data_arg]);
    assert!(made, "{printed}");
    let before = article_count(&data.join("gazette.db")).await;
    assert!(before > 0, "the demo journal was made");
    // The folders a node makes on its first start, so the database is what it meets first.
    for folder in ["media", "index"] {
        std::fs::create_dir_all(data.join(folder)).unwrap();
    }

    let remounted = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(remounted.success(), "remounting read-only");
    let (served, printed) = gazette(&["serve", "--data", &data_arg, "--listen", "127.0.0.1:0"]);
    assert!(
        !served,
        "a journal it cannot write is not served: {printed}"
    );
    assert!(
        printed.contains("cannot be written") && printed.contains("read-only"),
        "the message names the trouble and its fix: {printed}"
    );
    assert!(!printed.contains("did not answer"), "{printed}");

    let remounted = Command::new("mount")
        .args(["-o", "remount,rw"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(remounted.success(), "remounting read-write");
    assert_eq!(article_count(&data.join("gazette.db")).await, before);
}
