//! Open redirects. `GET //evil.example/feed/rss2/` answered `301 Location: //evil.example/feed/`
//! and `/\host` counted as a path on this site. Every redirect Gazette emits must keep the
//! browser on this site unless an administrator typed an external address: hostile paths
//! (`//`, `/\`, `/%2F%2F`, `/%5C`, tabs and newlines, full-width solidus, dot segments) are
//! fed to each redirect source, and every `Location` that comes back is resolved as a browser
//! resolves it (WHATWG URL parsing) and must name this host.

use std::time::Duration;

use gazette_core::{Clock as _, PermalinkPattern, Publication};
use gazette_store::NewArticle;
use gazette_testkit::{Backend, TestApp, TestOptions, csrf_of};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

gazette_testkit::on_both_backends!(
    hostile_paths_never_redirect_off_site,
    sign_in_never_sends_anyone_off_site,
    rules_and_settings_refuse_paths_that_leave_the_site,
    an_empty_permalink_field_never_makes_a_host,
);

/// Pieces hostile paths are made of: each is something a browser or a decoding proxy may
/// turn into a slash, a host or nothing.
const ATOMS: &[&str] = &[
    "/",
    "//",
    "\\",
    "/\\",
    "%2F",
    "%2f",
    "%5C",
    "%5c",
    "\t",
    "\n",
    "\r\n",
    "%09",
    "%0A",
    "\u{FF0F}",
    "%EF%BC%8F",
    ".",
    "..",
    "%2e%2e",
    "%2E",
    "evil.example",
    "@evil.example",
    "evil.example:80",
    "%00",
    "%20",
];

/// Endings that reach a redirect source: WordPress's feed spellings, archive spellings
/// without their final slash, `/page/1/`, plain links, old uploads and split posts.
const ENDINGS: &[&str] = &[
    "/feed/rss2/",
    "/feed/rss/",
    "/feed/rdf/",
    "/feed/rss2",
    "/feed/rdf",
    "/feed/atom",
    "/tag/climate",
    "/category/world",
    "/page/1/",
    "/2026/05",
    "/?p=1",
    "/?cat=1",
    "/wp-content/uploads/2026/01/a.jpg",
    "/2/",
    "/feed",
    "",
    "/",
];

/// What a hostile request is answered with: its status and `Location`, if any. Sent as raw
/// bytes, since HTTP client libraries refuse to send most of these paths.
async fn raw_get(app: &TestApp, target: &[u8]) -> (u16, Option<String>) {
    let mut stream = tokio::net::TcpStream::connect(app.address).await.unwrap();
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: journal.test\r\nConnection: close\r\n\r\n");
    stream.write_all(&request).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    let head = String::from_utf8_lossy(&answer);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let location = head
        .lines()
        .take_while(|line| !line.is_empty())
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("location")
                .then(|| value.trim().to_owned())
        });
    (status, location)
}

/// Panics unless a browser that asked for `asked` and was told `location` stays on this
/// site.
fn assert_on_site(asked: &str, location: &str) {
    let base = url::Url::parse("http://journal.test/some/page/").unwrap();
    let from = url::Url::parse(&format!("http://journal.test{asked}")).unwrap_or(base);
    assert_eq!(from.host_str(), Some("journal.test"), "{asked:?} is a path");
    let to = from.join(location);
    assert!(
        to.as_ref()
            .is_ok_and(|to| to.host_str() == Some("journal.test")
                && to.scheme() == "http"
                && to.port().is_none()),
        "GET {asked:?} redirected off site: Location {location:?} -> {to:?}"
    );
}

/// A hostile path made of `atoms`, before one of the redirecting endings.
fn hostile_path() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(ATOMS), 1..6),
        prop::sample::select(ENDINGS),
    )
        .prop_map(|(atoms, ending)| format!("/{}{ending}", atoms.concat()))
}

async fn hostile_paths_never_redirect_off_site(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // The reported case first, and its relatives, by hand.
    for path in [
        "//evil.example/feed/rss2/",
        "/\\evil.example/feed/rss2/",
        "///evil.example/feed/rdf/",
        "//evil.example/tag/climate",
        "/\\/evil.example/feed/rss2",
        "/\u{FF0F}evil.example/feed/rss2/",
    ] {
        let (_, location) = raw_get(&app, path.as_bytes()).await;
        if let Some(location) = location {
            assert_on_site(path, &location);
        }
    }
    let redirects = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = tokio::task::block_in_place(|| {
        let handle = tokio::runtime::Handle::current();
        runner.run(&hostile_path(), |path| {
            let (status, location) = handle.block_on(raw_get(&app, path.as_bytes()));
            if let Some(location) = location {
                redirects.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                assert_on_site(&path, &location);
            }
            prop_assert!(status < 500, "GET {path:?} answered {status}");
            Ok(())
        })
    });
    outcome.unwrap();
    let redirects = redirects.into_inner();
    assert!(
        redirects > 50,
        "the paths reached redirect sources ({redirects} redirects)"
    );
    app.shutdown().await;
}

async fn sign_in_never_sends_anyone_off_site(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = app.admin_client().await;
    for next in [
        "/admin/..//evil.example/feed/rss2/",
        "/admin/%2e%2e//evil.example/",
        "/admin/../\\evil.example/",
        "/admin/..%2F..%2F/evil.example/",
        "//evil.example/admin/",
        "/admin/\u{FF0F}evil.example",
    ] {
        let path = format!("/admin/sign-in?next={}", percent(next));
        let response = admin.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{next}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert_on_site(&path, &location);
        assert!(
            location.starts_with("/admin/") && !location.contains(".."),
            "{next:?} -> {location:?}"
        );
    }
    app.shutdown().await;
}

async fn rules_and_settings_refuse_paths_that_leave_the_site(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = app.admin_client().await;
    for target in [
        "/\\evil.example/",
        "/x/..//evil.example/",
        "/%2F%2Fevil.example/",
    ] {
        let csrf = csrf_of(&app.page_text(&admin, "/admin/redirects/").await);
        let response = admin
            .post(app.url("/admin/redirects/"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("source", "/old"),
                ("target", target),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "rule to {target:?} refused");
    }
    // An administrator's external address is theirs to choose.
    let csrf = csrf_of(&app.page_text(&admin, "/admin/redirects/").await);
    let response = admin
        .post(app.url("/admin/redirects/"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("source", "/old"),
            ("target", "https://elsewhere.example/new"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    app.caught_up().await;
    let (status, location) = raw_get(&app, b"/old?next=//evil.example").await;
    assert_eq!(status, 301);
    assert_eq!(
        location.as_deref(),
        Some("https://elsewhere.example/new?next=//evil.example")
    );

    let save_privacy_page = |privacy_page: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let page = app.page_text(admin, "/admin/settings/comments").await;
            let response = admin
                .post(app.url("/admin/settings/comments"))
                .form(&[
                    ("csrf", csrf_of(&page).as_str()),
                    ("moderation", "trust_approved"),
                    ("max_links", "2"),
                    ("thread_depth", "5"),
                    ("per_page", "0"),
                    ("anonymise_ip_after_days", "30"),
                    ("min_seconds", "3"),
                    ("enabled", "on"),
                    ("privacy_page", privacy_page),
                ])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    assert_eq!(save_privacy_page("/privacy-policy/").await.0, 303);
    for privacy_page in [
        "/\\evil.example/",
        "/\t/evil.example/",
        "/x/../../evil.example",
    ] {
        let (status, page) = save_privacy_page(privacy_page).await;
        assert_eq!(status, 400, "privacy page {privacy_page:?} refused: {page}");
        assert!(page.contains("Give a path on this site"), "{page}");
    }
    app.shutdown().await;
}

async fn an_empty_permalink_field_never_makes_a_host(backend: Backend) {
    assert!(PermalinkPattern::parse("//evil.example/%postname%/").is_err());
    let publication = Publication {
        permalink: PermalinkPattern::parse("/%author%/%postname%/").unwrap(),
        ..Publication::sample()
    };
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            publication: Some(publication),
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    // An article nobody signed (an import can make one) under a pattern that names the author.
    let mut new = NewArticle::draft(
        "Unsigned",
        "Text.",
        gazette_core::SafeHtml::from_text("Text."),
        gazette_render::RENDER_VERSION,
    );
    new.status = gazette_core::Status::Published;
    new.published_at = Some(app.clock.now());
    let article = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let asked = format!("/?p={}", article.id);
    let (status, location) = raw_get(&app, asked.as_bytes()).await;
    assert_eq!(status, 301);
    let location = location.unwrap();
    assert_on_site(&asked, &location);
    let (status, _) = raw_get(&app, location.as_bytes()).await;
    assert_eq!(status, 200, "{location} is the article");
    app.shutdown().await;
}

fn percent(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
