//! Structured data and sharing tags over HTTP on both backends: schema.org JSON-LD on articles
//! (by genre, with authors, publisher, sections, keywords and the journal as a Periodical with
//! its ISSNs) and on the home page; OpenGraph and Twitter cards on every page; markup in a
//! headline cannot break out of the JSON-LD script. Without a `base_url`, links are absolute
//! only for a host the node knows (its listen address, localhost, `allowed_hosts`), and a copy
//! made for one host never reaches another.

use gazette_core::{Genre, Issn, Publication};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, TestOptions, client};
use serde_json::Value;

gazette_testkit::on_both_backends!(
    articles_describe_themselves_to_search_engines,
    the_home_page_names_the_periodical_and_every_page_can_be_shared,
    markup_in_a_headline_stays_inside_its_json_string,
    without_a_base_url_the_listen_address_gets_absolute_links,
    an_unknown_host_gets_paths_and_its_copy_reaches_no_one_else,
    an_allowed_host_gets_absolute_links_cached_for_it_alone,
);

const BASE: &str = "https://journal.example";

async fn app(backend: Backend) -> Option<TestApp> {
    let publication = Publication {
        base_url: Some(BASE.parse().unwrap()),
        eissn: Some(Issn::parse("2049-3630").unwrap()),
        logo: Some("/media/demo/logo.svg".to_owned()),
        ..Publication::sample()
    };
    TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            publication: Some(publication),
            ..TestOptions::default()
        },
    )
    .await
}

/// The page's one JSON-LD block, parsed.
fn json_ld(html: &str) -> Value {
    let open = r#"<script type="application/ld+json">"#;
    assert_eq!(html.matches(open).count(), 1, "one JSON-LD block");
    let start = html.find(open).unwrap() + open.len();
    let end = html[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

/// The content of `<meta {attribute}="{key}" content="…">`, unescaped enough for tests.
fn meta(html: &str, attribute: &str, key: &str) -> Option<String> {
    let marker = format!(r#"<meta {attribute}="{key}" content=""#);
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&amp;", "&")
            .replace("&#x2f;", "/"),
    )
}

async fn articles_describe_themselves_to_search_engines(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let articles = app
        .store
        .published_articles(&ArticleFilter::All, 0, 100)
        .await
        .unwrap()
        .articles;
    for (genre, expected) in [
        (Genre::News, "NewsArticle"),
        (Genre::Opinion, "OpinionNewsArticle"),
        (Genre::Analysis, "AnalysisNewsArticle"),
    ] {
        let article = articles
            .iter()
            .find(|a| a.genre == genre && a.password.is_none())
            .unwrap_or_else(|| panic!("a demo article of genre {genre:?}"));
        let path = app.published_path(article.id).await;
        let (_, html) = app.get_text(&path).await;
        let data = json_ld(&html);
        let url = format!("{BASE}{path}");
        assert_eq!(data["@context"], "https://schema.org");
        assert_eq!(data["@type"], expected, "{data:#}");
        assert_eq!(data["headline"], article.headline.as_str());
        assert_eq!(data["mainEntityOfPage"]["@id"], url.as_str());
        assert_eq!(data["url"], url.as_str());
        assert!(!data["description"].as_str().unwrap().is_empty());
        let published = article
            .published_at
            .unwrap()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        assert_eq!(data["datePublished"], published.as_str());
        assert!(data["dateModified"].is_string());
        let author = &data["author"][0];
        assert_eq!(author["@type"], "Person");
        assert!(
            author["url"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{BASE}/author/")),
            "{author}"
        );
        assert_eq!(data["publisher"]["@type"], "NewsMediaOrganization");
        assert_eq!(data["publisher"]["name"], "The Gazette Chronicle");
        assert_eq!(
            data["publisher"]["logo"]["url"],
            format!("{BASE}/media/demo/logo.svg")
        );
        assert_eq!(data["isPartOf"]["@type"], "Periodical");
        assert_eq!(
            data["isPartOf"]["issn"],
            serde_json::json!(["2434-561X", "2049-3630"])
        );
        assert!(
            data["articleSection"]
                .as_array()
                .is_some_and(|s| !s.is_empty()),
            "{data:#}"
        );
        assert!(
            data["image"][0].as_str().unwrap().starts_with(BASE),
            "{data:#}"
        );
        assert!(data.get("isAccessibleForFree").is_none());

        assert_eq!(meta(&html, "property", "og:type").unwrap(), "article");
        assert_eq!(meta(&html, "property", "og:url").unwrap(), url);
        assert!(
            meta(&html, "property", "og:image")
                .unwrap()
                .starts_with(&format!("{BASE}/media/"))
        );
        assert_eq!(
            meta(&html, "property", "article:published_time").unwrap(),
            published
        );
        assert_eq!(
            meta(&html, "name", "twitter:card").unwrap(),
            "summary_large_image"
        );
    }

    // A protected article says it is not free and shows no more than its standfirst.
    let http = app.admin_client().await;
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "Embargoed figures"),
                ("standfirst", "What the ministry will publish on Monday."),
                ("body", "The secret numbers."),
                ("password", "letmein"),
                ("action", "publish"),
            ],
        )
        .await;
    app.caught_up().await;
    let (_, html) = app.get_text(&app.published_path(id).await).await;
    let data = json_ld(&html);
    assert_eq!(data["isAccessibleForFree"], false);
    assert_eq!(
        data["description"],
        "What the ministry will publish on Monday."
    );
    assert!(!html.contains("The secret numbers"));
}

async fn the_home_page_names_the_periodical_and_every_page_can_be_shared(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let (_, home) = app.get_text("/").await;
    let data = json_ld(&home);
    let graph = data["@graph"].as_array().unwrap();
    let periodical = graph
        .iter()
        .find(|n| n["@type"] == "Periodical")
        .expect("a Periodical");
    assert_eq!(periodical["name"], "The Gazette Chronicle");
    assert_eq!(
        periodical["issn"],
        serde_json::json!(["2434-561X", "2049-3630"])
    );
    assert_eq!(periodical["url"], format!("{BASE}/"));
    assert_eq!(periodical["publisher"]["@type"], "NewsMediaOrganization");
    let website = graph
        .iter()
        .find(|n| n["@type"] == "WebSite")
        .expect("a WebSite");
    assert_eq!(
        website["potentialAction"]["target"],
        format!("{BASE}/search/?q={{search_term_string}}")
    );
    assert_eq!(meta(&home, "property", "og:type").unwrap(), "website");
    assert_eq!(
        meta(&home, "property", "og:site_name").unwrap(),
        "The Gazette Chronicle"
    );
    assert_eq!(
        meta(&home, "property", "og:image").unwrap(),
        format!("{BASE}/media/demo/logo.svg")
    );
    assert_eq!(meta(&home, "name", "twitter:card").unwrap(), "summary");

    for path in [
        "/category/world/",
        "/tag/climate/",
        "/author/amara-okafor/",
        "/about/",
    ] {
        let (_, html) = app.get_text(path).await;
        assert_eq!(
            meta(&html, "property", "og:url").unwrap(),
            format!("{BASE}{path}"),
            "{path}"
        );
        assert!(meta(&html, "property", "og:title").is_some(), "{path}");
        assert!(meta(&html, "name", "twitter:title").is_some(), "{path}");
        assert!(
            !html.contains("application/ld+json"),
            "{path}: JSON-LD only where it says something"
        );
    }
}

async fn markup_in_a_headline_stays_inside_its_json_string(backend: Backend) {
    let Some(app) = app(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let headline = r#"Quotes "and" </script><script>alert(1)</script> & more"#;
    let id = app
        .write_article(
            &http,
            &[
                ("headline", headline),
                ("body", "Body."),
                ("action", "publish"),
            ],
        )
        .await;
    app.caught_up().await;
    let (_, html) = app.get_text(&app.published_path(id).await).await;
    assert!(
        !html.contains("<script>alert(1)"),
        "no script element from the headline"
    );
    assert_eq!(json_ld(&html)["headline"], headline);
}

/// A journal without a `base_url`, readers also reaching it as `allowed`.
async fn app_without_address(backend: Backend, allowed: &[&str]) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            allowed_hosts: allowed.iter().map(|h| (*h).to_owned()).collect(),
            ..TestOptions::default()
        },
    )
    .await
}

/// The page at `path` as a browser asking for `host` gets it.
async fn page_for_host(app: &TestApp, path: &str, host: &str) -> String {
    let response = client()
        .get(app.url(path))
        .header("host", host)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path} for {host}");
    response.text().await.unwrap()
}

/// The canonical link, `og:url` and the JSON-LD's own address of a page.
fn addresses(html: &str) -> [String; 3] {
    let marker = r#"<link rel="canonical" href=""#;
    let start = html.find(marker).expect("a canonical link") + marker.len();
    let canonical = html[start..start + html[start..].find('"').unwrap()].replace("&#x2f;", "/");
    let data = json_ld(html);
    let own = match data["@graph"].as_array() {
        Some(graph) => graph.iter().find(|n| n["@type"] == "WebSite").unwrap()["url"].clone(),
        None => data["url"].clone(),
    };
    [
        canonical,
        meta(html, "property", "og:url").expect("og:url"),
        own.as_str().expect("a JSON-LD url").to_owned(),
    ]
}

/// The demo's first published article without a password.
async fn open_article_path(app: &TestApp) -> String {
    let articles = app
        .store
        .published_articles(&ArticleFilter::All, 0, 20)
        .await
        .unwrap()
        .articles;
    let article = articles.iter().find(|a| a.password.is_none()).unwrap();
    app.published_path(article.id).await
}

async fn without_a_base_url_the_listen_address_gets_absolute_links(backend: Backend) {
    let Some(app) = app_without_address(backend, &[]).await else {
        return;
    };
    let article = open_article_path(&app).await;
    let port = app.address.port();
    for host in [
        app.address.to_string(),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        for path in ["/", article.as_str()] {
            let html = page_for_host(&app, path, &host).await;
            let expected = format!("http://{host}{path}");
            assert_eq!(addresses(&html), [&expected; 3].map(String::from), "{host}");
        }
    }
    // Another port is another site, which this node does not know it is.
    let html = page_for_host(&app, "/", "localhost:1").await;
    assert_eq!(addresses(&html), ["/", "/", "/"].map(String::from));
}

async fn an_unknown_host_gets_paths_and_its_copy_reaches_no_one_else(backend: Backend) {
    let Some(app) = app_without_address(backend, &[]).await else {
        return;
    };
    let article = open_article_path(&app).await;
    let ours = app.address.to_string();
    for path in ["/", article.as_str()] {
        let html = page_for_host(&app, path, "evil.example").await;
        assert_eq!(addresses(&html), [path; 3].map(String::from), "{path}");
        assert!(!html.contains("evil.example"), "{path}");
        // Whichever comes first, neither copy is handed to the other host.
        let html = page_for_host(&app, path, &ours).await;
        assert!(!html.contains("evil.example"), "{path}");
        assert_eq!(addresses(&html)[0], format!("http://{ours}{path}"));
        let html = page_for_host(&app, path, "evil.example").await;
        assert!(!html.contains(&ours), "{path}");
    }
    // Feeds need absolute links, so an unknown host's feed names it and is kept by no one.
    let feed = page_for_host(&app, "/feed/", "evil.example").await;
    assert!(feed.contains("http://evil.example/"));
    let feed = page_for_host(&app, "/feed/", &ours).await;
    assert!(!feed.contains("evil.example"));
}

async fn an_allowed_host_gets_absolute_links_cached_for_it_alone(backend: Backend) {
    let Some(app) = app_without_address(backend, &["news.example", "news.example:8443"]).await
    else {
        return;
    };
    let article = open_article_path(&app).await;
    for host in ["news.example", "NEWS.example:8443"] {
        let html = page_for_host(&app, &article, host).await;
        let expected = format!("http://{}{article}", host.to_ascii_lowercase());
        assert_eq!(addresses(&html), [&expected; 3].map(String::from), "{host}");
    }
    let html = page_for_host(&app, &article, "news.example:8080").await;
    assert_eq!(
        addresses(&html)[0],
        article,
        "a port not listed is not allowed"
    );
    // Known hosts' pages and feeds are cached, each under its own address.
    let hits = || app.node().state.page_cache().stats().hits;
    for path in ["/", article.as_str(), "/feed/"] {
        page_for_host(&app, path, "news.example").await;
        let before = hits();
        let again = page_for_host(&app, path, "news.example").await;
        assert_eq!(hits(), before + 1, "{path} is served from the cache");
        assert!(again.contains("http://news.example/"), "{path}");
        let other = page_for_host(&app, path, &app.address.to_string()).await;
        assert!(!other.contains("news.example"), "{path}");
    }
}
