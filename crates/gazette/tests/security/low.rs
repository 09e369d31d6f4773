//! The review's low findings, one test each.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use gazette_core::{ArticleId, BodyFormat, Role, Status};
use gazette_testkit::{Backend, TestApp, TestOptions};
use reqwest::Method;
use serde_json::json;

use super::support::{ApiClient, form_fields, with};

gazette_testkit::on_both_backends!(
    only_those_who_edit_others_work_choose_the_lead_story,
    a_markdown_article_survives_a_rest_round_trip,
    others_private_and_trashed_articles_stay_off_the_desk,
    back_office_notices_are_gazettes_own_words,
    the_unlock_cookie_is_secure_behind_https,
    a_nodes_data_is_its_owners_only,
    media_used_outside_articles_cannot_be_deleted,
);

const PASSWORD: &str = "a long enough password";

async fn signed_in(
    app: &TestApp,
    name: &str,
    role: Role,
) -> (reqwest::Client, gazette_core::Person) {
    let person = app.add_staff(name, role, PASSWORD).await;
    let http = gazette_testkit::client();
    let response = app.sign_in(&http, person.email.as_str(), PASSWORD).await;
    assert_eq!(response.status(), 303, "{name} signs in");
    (http, person)
}

/// Only roles that may edit others' articles make one sticky (the home page's lead), as in
/// WordPress: an author's form has no box, a forged field changes nothing, and the API
/// answers `rest_cannot_assign_sticky`.
async fn only_those_who_edit_others_work_choose_the_lead_story(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (author, author_person) = signed_in(&app, "Aurora", Role::Author).await;
    let page = app.page_text(&author, "/admin/articles/new").await;
    assert!(
        !page.contains("name=\"sticky\""),
        "no lead-story box for an author"
    );
    let id = app
        .write_article(
            &author,
            &[
                ("headline", "My scoop"),
                ("body", "Text."),
                ("sticky", "1"),
                ("action", "publish"),
            ],
        )
        .await;
    assert!(!app.store.article(id).await.unwrap().unwrap().sticky);

    let api = ApiClient::of(&app, &author_person).await;
    let (status, body) = api
        .send(
            Method::POST,
            &format!("/wp-json/wp/v2/posts/{id}"),
            Some(json!({ "sticky": true })),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(body["code"], "rest_cannot_assign_sticky");
    assert!(!app.store.article(id).await.unwrap().unwrap().sticky);

    let (editor, _) = signed_in(&app, "Edna", Role::Editor).await;
    let path = format!("/admin/articles/{id}");
    let page = app.page_text(&editor, &path).await;
    let fields = with(form_fields(&page, "class=\"editor\""), "sticky", "1");
    let fields = with(fields, "action", "publish");
    let response = editor
        .post(app.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        app.store.article(id).await.unwrap().unwrap().sticky,
        "an editor may"
    );

    // The author saving their article again leaves the editor's choice alone.
    let page = app.page_text(&author, &path).await;
    let fields = with(form_fields(&page, "class=\"editor\""), "action", "publish");
    author
        .post(app.url(&path))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert!(app.store.article(id).await.unwrap().unwrap().sticky);
    app.shutdown().await;
}

/// A Markdown article's `content.raw` is its Markdown, and sending it back keeps Markdown.
async fn a_markdown_article_survives_a_rest_round_trip(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (editor, person) = signed_in(&app, "Edna", Role::Editor).await;
    let source =
        "A *bold* claim.\n\n> Quoted, with [a link](https://example.org/).\n\n- one\n- two";
    let id = app
        .write_article(
            &editor,
            &[
                ("headline", "Round trip"),
                ("body", source),
                ("action", "publish"),
            ],
        )
        .await;
    let before = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(before.body_format, BodyFormat::Markdown);

    let api = ApiClient::of(&app, &person).await;
    let (status, post) = api
        .send(
            Method::GET,
            &format!("/wp-json/wp/v2/posts/{id}?context=edit"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        post["content"]["raw"], source,
        "content.raw is the Markdown"
    );
    let (status, _) = api
        .send(
            Method::POST,
            &format!("/wp-json/wp/v2/posts/{id}"),
            Some(json!({ "content": post["content"]["raw"] })),
        )
        .await;
    assert_eq!(status, 200);
    let after = app.store.article(ArticleId(id.0)).await.unwrap().unwrap();
    assert_eq!(after.body_format, BodyFormat::Markdown, "still Markdown");
    assert_eq!(after.body_source, source);
    assert_eq!(after.body_html, before.body_html, "rendered the same");
    app.shutdown().await;
}

/// Moves an article to `status` directly in the store (the editor has no "private" action).
async fn set_status(app: &TestApp, id: ArticleId, status: Status) {
    app.store
        .write(|tx| {
            Box::pin(async move {
                let mut article = tx.article(id).await?.unwrap();
                article.status = status;
                tx.update_article(&article).await
            })
        })
        .await
        .unwrap();
}

/// The desk lists others' articles only where WordPress's post list shows them to the role:
/// published, scheduled, pending and drafts for everyone, but others' private and trashed
/// ones only to those who edit others' work. Filters, search and bulk actions tell nothing
/// more: a bulk action answers the same for someone else's private or trashed article as
/// for an id that does not exist.
async fn others_private_and_trashed_articles_stay_off_the_desk(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (editor, edna) = signed_in(&app, "Edna", Role::Editor).await;
    let write = |headline: &'static str, action: &'static str| {
        let app = &app;
        let editor = &editor;
        async move {
            let fields = [
                ("headline", headline),
                ("body", "Text."),
                ("action", action),
            ];
            app.write_article(editor, &fields).await
        }
    };
    write("Open council news", "publish").await;
    write("Draft budget story", "save").await;
    let private = write("Secret merger plan", "publish").await;
    set_status(&app, private, Status::Private).await;
    let trashed = write("Binned scandal", "publish").await;
    set_status(&app, trashed, Status::Trashed).await;

    let (contributor, _) = signed_in(&app, "Cara", Role::Contributor).await;
    let own_trashed = app
        .write_article(
            &contributor,
            &[
                ("headline", "Cara withdrawn piece"),
                ("body", "Mine."),
                ("action", "save"),
            ],
        )
        .await;
    set_status(&app, own_trashed, Status::Trashed).await;
    let (author, _) = signed_in(&app, "Aurora", Role::Author).await;
    let own_private = app
        .write_article(
            &author,
            &[
                ("headline", "Aurora private note"),
                ("body", "Mine."),
                ("action", "publish"),
            ],
        )
        .await;
    set_status(&app, own_private, Status::Private).await;

    let desks = [
        "/admin/".to_owned(),
        "/admin/?status=private".to_owned(),
        "/admin/?status=trashed".to_owned(),
        "/admin/?q=secret".to_owned(),
        "/admin/?q=binned&status=trashed".to_owned(),
        format!("/admin/?author={}", edna.id.0),
        format!("/admin/?author={}&status=private", edna.id.0),
        format!("/admin/?author={}&status=trashed", edna.id.0),
    ];
    for (http, who) in [(&contributor, "a contributor"), (&author, "an author")] {
        let mut seen = String::new();
        for desk in &desks {
            let page = app.page_text(http, desk).await;
            for (hidden, id) in [("Secret merger plan", private), ("Binned scandal", trashed)] {
                assert!(!page.contains(hidden), "{who} sees {hidden:?} on {desk}");
                assert!(
                    !page.contains(&format!("/admin/articles/{id}\"")),
                    "{who} sees the id of {hidden:?} on {desk}"
                );
            }
            seen.push_str(&page);
        }
        assert!(
            seen.contains("Open council news"),
            "{who} sees others' published work"
        );
        assert!(
            seen.contains("Draft budget story"),
            "{who} sees others' drafts, as in WordPress"
        );
    }
    let trash = app.page_text(&contributor, "/admin/?status=trashed").await;
    assert!(
        trash.contains("Cara withdrawn piece"),
        "a contributor sees their own trash"
    );
    let private_tab = app.page_text(&author, "/admin/?status=private").await;
    assert!(
        private_tab.contains("Aurora private note"),
        "an author sees their own private work"
    );
    let everything = app.page_text(&editor, "/admin/?status=private").await;
    assert!(
        everything.contains("Secret merger plan") && everything.contains("Aurora private note")
    );
    let bin = app.page_text(&editor, "/admin/?status=trashed").await;
    assert!(bin.contains("Binned scandal") && bin.contains("Cara withdrawn piece"));

    // A bulk action on someone else's private or trashed article, or on no article at all,
    // answers alike.
    for action in ["trash", "restore", "publish"] {
        let mut answers = Vec::new();
        for id in [private.0, trashed.0, 999_999] {
            let csrf = gazette_testkit::csrf_of(&app.page_text(&contributor, "/admin/").await);
            let response = contributor
                .post(app.url("/admin/bulk"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("bulk_action", action),
                    ("article", &id.to_string()),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 303);
            answers.push(response.headers()["location"].to_str().unwrap().to_owned());
        }
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{action}: {answers:?}"
        );
    }
    let untouched = app.store.article(private).await.unwrap().unwrap();
    assert_eq!(untouched.status, Status::Private);
    app.shutdown().await;
}

/// The page a redirect leads to, read by the same browser.
async fn followed(app: &TestApp, http: &reqwest::Client, response: reqwest::Response) -> String {
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    app.page_text(http, &location).await
}

/// A back-office notice comes from a key Gazette knows, never from the link's own words: a
/// link to a page with `?done=` (or `deleted=`, `saved=`, `imported=`) text shows nothing,
/// and the notices Gazette's own redirects ask for still show.
async fn back_office_notices_are_gazettes_own_words(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let lure = "Your%20session%20expired%2C%20sign%20in%20at%20evil.example";
    for page in [
        "/admin/?done=",
        "/admin/comments/?status=all&done=",
        "/admin/pages?done=",
        "/admin/tags?done=",
        "/admin/sections?done=",
        "/admin/media/?deleted=",
        "/admin/media/?done=",
        "/admin/menus?saved=",
        "/admin/redirects/?imported=",
    ] {
        let text = app.page_text(&http, &format!("{page}{lure}")).await;
        assert!(
            !text.contains("evil.example"),
            "{page} shows the link's text"
        );
        assert!(
            !text.contains("class=\"notice\""),
            "{page} shows a notice for an unknown key"
        );
    }

    // The notices Gazette asks for itself.
    let tag = app
        .submit_form(
            &http,
            "/admin/tags",
            "/admin/tags",
            &[("name", "Harbour"), ("slug", ""), ("description", "")],
        )
        .await;
    assert!(followed(&app, &http, tag).await.contains("Saved."));
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "To the bin"),
                ("body", "Text."),
                ("action", "save"),
            ],
        )
        .await;
    let csrf = gazette_testkit::csrf_of(&app.page_text(&http, "/admin/").await);
    let bulk = http
        .post(app.url("/admin/bulk"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("bulk_action", "trash"),
            ("article", &id.0.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        followed(&app, &http, bulk)
            .await
            .contains("1 changed, 0 not allowed")
    );
    let erased = app
        .submit_form(
            &http,
            "/admin/comments/",
            "/admin/comments/erase",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert!(
        followed(&app, &http, erased)
            .await
            .contains("data from 0 comment(s).")
    );
    app.shutdown().await;
}

/// The cookie that unlocks a password-protected article is `Secure` when the reader came
/// over HTTPS (through a trusted proxy), so it never travels in clear text afterwards.
async fn the_unlock_cookie_is_secure_behind_https(backend: Backend) {
    let options = TestOptions {
        demo: true,
        trusted_proxies: vec!["127.0.0.1/32".into()],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let http = app.admin_client().await;
    let fields = [
        ("headline", "Members only"),
        ("body", "Text."),
        ("password", "open sesame"),
        ("action", "publish"),
    ];
    let id = app.write_article(&http, &fields).await;
    let path = app.published_path(id).await;
    let unlock = |https: bool| {
        let mut request = gazette_testkit::client()
            .post(app.url(&path))
            .form(&[("password", "open sesame")]);
        if https {
            request = request.header("X-Forwarded-Proto", "https");
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 303);
            response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    let secure = unlock(true).await;
    assert!(
        secure.starts_with("gazette_unlock_") && secure.ends_with("; Secure"),
        "{secure}"
    );
    let plain = unlock(false).await;
    assert!(!plain.contains("Secure"), "{plain}");
    app.shutdown().await;
}

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

/// Sends a form read from `page` (the first whose tag contains `marker`) with `changes`.
async fn resubmit(
    app: &TestApp,
    http: &reqwest::Client,
    page: &str,
    marker: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let text = app.page_text(http, page).await;
    let mut fields = form_fields(&text, marker);
    for (name, value) in changes {
        fields = with(fields, name, value);
    }
    let action = page.split('?').next().unwrap();
    http.post(app.url(action))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// An image is in use, and cannot be deleted, when it is the publication's logo or favicon,
/// an author's photo, or in an earlier revision of an article (which a restore would bring
/// back); the refusal names the place. An unused image still goes.
async fn media_used_outside_articles_cannot_be_deleted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let logo = super::support::upload_png(&app, &http, "a.png").await;
    let favicon = super::support::upload_png(&app, &http, "b.png").await;
    let photo = super::support::upload_png(&app, &http, "c.png").await;
    let revised = super::support::upload_png(&app, &http, "d.png").await;
    let unused = super::support::upload_png(&app, &http, "e.png").await;

    let settings = [("logo", logo.url()), ("favicon", favicon.url())];
    let settings: Vec<(&str, &str)> = settings.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let saved = resubmit(
        &app,
        &http,
        "/admin/settings",
        "action=\"/admin/settings\"",
        &settings,
    )
    .await;
    assert_eq!(saved.status(), 303, "settings saved");
    let saved = resubmit(
        &app,
        &http,
        "/admin/profile",
        "class=\"settings\"",
        &[("photo", &photo.url())],
    )
    .await;
    assert_eq!(saved.status(), 303, "profile saved");
    let body = format!("Before:\n\n![Old picture]({})", revised.url());
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "Harbour story"),
                ("body", &body),
                ("action", "publish"),
            ],
        )
        .await;
    let path = format!("/admin/articles/{id}");
    let edited = resubmit(
        &app,
        &http,
        &path,
        "class=\"editor\"",
        &[("body", "No picture now."), ("action", "publish")],
    )
    .await;
    assert_eq!(edited.status(), 303, "article saved again");
    assert!(
        !app.store
            .article(id)
            .await
            .unwrap()
            .unwrap()
            .body_source
            .contains(&revised.path)
    );

    for (media, place) in [
        (&logo, "Publication logo"),
        (&favicon, "Publication favicon"),
        (&photo, "Author photo"),
        (&revised, "Earlier revision of “Harbour story”"),
    ] {
        let item = format!("/admin/media/{}", media.id.0);
        let page = app.page_text(&http, &item).await;
        assert!(page.contains(place), "the item page names {place}");
        let refused = http
            .post(app.url(&format!("{item}/delete")))
            .form(&[("csrf", gazette_testkit::csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 409, "{place}");
        let text = refused.text().await.unwrap();
        assert!(
            text.contains("nothing was deleted") && text.contains(place),
            "{place}: {text}"
        );
        assert!(
            app.store.media(media.id).await.unwrap().is_some(),
            "{place}"
        );
    }

    let page = app
        .page_text(&http, &format!("/admin/media/{}", unused.id.0))
        .await;
    let deleted = http
        .post(app.url(&format!("/admin/media/{}/delete", unused.id.0)))
        .form(&[("csrf", gazette_testkit::csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    assert!(app.store.media(unused.id).await.unwrap().is_none());
    app.shutdown().await;
}
