//! The site as configured: a theme directory overriding single files, French publications
//! speaking French, and metrics served on their own address.

use gazette_core::{LanguageTag, Publication, TimeZoneName};
use gazette_testkit::{Backend, TestApp, TestOptions};

gazette_testkit::on_both_backends!(
    french_publications_speak_french,
    metrics_are_served_on_their_own_address,
);

/// `--theme DIR` replaces single files; the stylesheet moves to its new content hash and is
/// served immutable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_directory_overrides_single_files() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(theme.path().join("assets")).unwrap();
    std::fs::create_dir_all(theme.path().join("messages")).unwrap();
    std::fs::write(
        theme.path().join("assets/style.css"),
        "body { color: #222 }",
    )
    .unwrap();
    std::fs::write(
        theme.path().join("messages/en.toml"),
        "[home]\nlatest = \"Fresh off the press\"\n",
    )
    .unwrap();
    let options = TestOptions {
        demo: true,
        theme_dir: Some(theme.path().to_owned()),
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let (_, html) = app.get_text("/").await;
    assert!(
        html.contains("Fresh off the press"),
        "the overriding message is used"
    );
    assert!(
        html.contains("Skip to content"),
        "messages it does not override fall back"
    );
    let start = html.find("href=\"/assets/").unwrap() + 6;
    let css_url = &html[start..start + html[start..].find('"').unwrap()];
    let css = app.get(css_url).await;
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(css.text().await.unwrap(), "body { color: #222 }");
    let head = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.text().await.unwrap().is_empty(), "HEAD has no body");
}

async fn french_publications_speak_french(backend: Backend) {
    let mut publication = Publication::sample();
    publication.name = "Le Courrier du Soir".to_owned();
    publication.language = LanguageTag::parse("fr-FR").unwrap();
    publication.time_zone = TimeZoneName::parse("Europe/Paris").unwrap();
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (_, html) = app.get_text("/").await;
    assert!(html.contains("<html lang=\"fr-FR\">"));
    assert!(html.contains("Dernières nouvelles") && html.contains("Aller au contenu"));
    let months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    assert!(months.iter().any(|m| html.contains(m)), "dates in French");
    let tag = app.store.tags().await.unwrap().into_iter().next().unwrap();
    let (_, html) = app.get_text(&format!("/tag/{}/", tag.slug)).await;
    assert!(html.contains("Sujet : "));
    let count = &html[html.find("archive-count\">").unwrap()..];
    assert!(
        count.get(..40).unwrap_or(count).contains(" article"),
        "{count}"
    );
    let (code, html) = app.get_text("/nulle-part/").await;
    assert_eq!(code, 404);
    assert!(html.contains("Page introuvable"));
}

async fn metrics_are_served_on_their_own_address(backend: Backend) {
    let options = TestOptions {
        demo: true,
        metrics: true,
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    app.get("/").await;
    app.get("/").await;
    app.get("/no-such-page/").await;
    let metrics_address = app.node().metrics_address.unwrap();
    let text = reqwest::get(format!("http://{metrics_address}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("gazette_http_requests_total{route=\"home\",status=\"200\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("gazette_http_requests_total{route=\"content\",status=\"404\"} 1"),
        "{text}"
    );
    assert!(text.contains("gazette_page_cache_hits_total 1"), "{text}");
    assert!(
        text.contains("gazette_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"} 2")
    );
    assert!(text.contains("gazette_store_connections "));
    assert!(text.contains("gazette_jobs_pending "));
    assert_eq!(
        app.get("/metrics/").await.status(),
        404,
        "not on the public address"
    );
}

/// The address of the asset `name` as `html` links it.
fn asset_address(html: &str, name: &str) -> String {
    let end = html.find(&format!("/{name}\"")).unwrap() + name.len() + 1;
    let start = html[..end].rfind("\"/assets/").unwrap() + 1;
    html[start..end].to_owned()
}

/// Theme assets go out in the encoding the client prefers, each with its own ETag, kept for
/// good and revalidated with a 304; the Markdown editor's bundle stays within its budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_assets_are_compressed_and_revalidated() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let http = app.admin_client().await;
    let page = http
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap();
    let editor = asset_address(&page.text().await.unwrap(), "markdown-editor.js");
    let committed = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../gazette-web/theme/assets/markdown-editor.js"),
    )
    .unwrap();

    let plain = app.get(&editor).await;
    assert_eq!(plain.headers().get("content-encoding"), None);
    assert_eq!(plain.bytes().await.unwrap(), committed);
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(app.url(&editor))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        let headers = response.headers().clone();
        assert_eq!(headers["content-encoding"], encoding);
        assert_eq!(headers["vary"], "Accept-Encoding");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
        let size = response.bytes().await.unwrap().len();
        assert!(size < 250 * 1024, "{encoding}: {size} bytes");
        assert!(size < committed.len() / 2, "{encoding}: {size} bytes");
        let again = app
            .client
            .get(app.url(&editor))
            .header("accept-encoding", encoding)
            .header("if-none-match", headers["etag"].clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{encoding}");
    }
}

/// The Markdown editor's library writes its own stylesheet: back-office pages allow styles
/// from our files and from that response's nonce only, never inline styles in general.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_office_styles_need_the_pages_nonce() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let http = app.admin_client().await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let page = http
            .get(app.url("/admin/articles/new"))
            .send()
            .await
            .unwrap();
        let policy = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = page.text().await.unwrap();
        let start = html.find("<meta name=\"style-nonce\" content=\"").unwrap() + 34;
        let nonce = &html[start..start + html[start..].find('"').unwrap()];
        assert!(nonce.len() >= 22, "{nonce}");
        assert!(
            policy.ends_with(&format!("; style-src 'self' 'nonce-{nonce}'")),
            "{policy}"
        );
        assert!(policy.starts_with("default-src 'self';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        nonces.push(nonce.to_owned());
    }
    assert_ne!(nonces[0], nonces[1], "a nonce is never used twice");
    let public = app.get("/").await;
    let policy = public.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        !policy.contains("nonce-"),
        "public pages are cached: no nonce in {policy}"
    );
}
