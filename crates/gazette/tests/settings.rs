//! The publication's settings over HTTP on both backends: a new permalink pattern keeps every
//! old URL answering with a 301, each refused field says why, and what crawlers read (robots,
//! ads.txt, verification tags) and the head snippet reach the site with a matching
//! Content-Security-Policy. Embeds render as sandboxed frames the policy allows, and only
//! editors and administrators may keep raw HTML in a body.

use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, client, csrf_of};

gazette_testkit::on_both_backends!(
    a_new_permalink_pattern_keeps_every_old_url,
    bad_settings_are_refused_field_by_field,
    crawler_files_and_the_head_snippet_reach_the_site,
    a_chart_link_becomes_a_frame_the_policy_allows,
    raw_html_is_kept_for_editors_and_sanitised_for_authors,
    an_empty_public_address_is_proposed_from_a_known_host,
);

/// The settings form's current values, with `changes` applied, as a browser would send them.
async fn send_settings(
    app: &TestApp,
    http: &reqwest::Client,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let page = http
        .get(app.url("/admin/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut fields: Vec<(String, String)> = vec![("csrf".into(), csrf_of(&page))];
    for name in [
        "name",
        "tagline",
        "logo",
        "favicon",
        "issn",
        "eissn",
        "language",
        "time_zone",
        "base_url",
        "permalink",
        "feed_items",
    ] {
        fields.push((name.into(), input_value(&page, name)));
    }
    fields.push(("feed_content".into(), checked_radio(&page, "feed_content")));
    for name in [
        "description",
        "robots_txt",
        "ads_txt",
        "site_verification",
        "head_html",
    ] {
        fields.push((name.into(), textarea(&page, name)));
    }
    fields.push(("action".into(), "save".into()));
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push(((*name).into(), (*value).into()));
    }
    http.post(app.url("/admin/settings"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

fn input_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
    let end = page[start..].find('"').unwrap() + start;
    unescape(&page[start..end])
}

/// The value of the checked radio button named `name`.
fn checked_radio(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    page.match_indices(&marker)
        .map(|(at, _)| &page[at + marker.len()..])
        .find(|rest| {
            rest.split_once('>')
                .is_some_and(|(tag, _)| tag.contains(" checked"))
        })
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no checked {name}"))
        .to_owned()
}

fn textarea(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no {name}"));
    let start = page[at..].find('>').unwrap() + at + 1;
    let end = page[start..].find("</textarea>").unwrap() + start;
    // As HTML reads it: a newline straight after the tag is not part of the value.
    let value = &page[start..end];
    unescape(value.strip_prefix('\n').unwrap_or(value))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

async fn a_new_permalink_pattern_keeps_every_old_url(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let articles = app
        .store
        .published_articles(&ArticleFilter::All, 0, 100)
        .await
        .unwrap()
        .articles;
    assert!(articles.len() > 3, "the demo's articles");
    let mut first_urls = Vec::new();
    for article in &articles {
        first_urls.push((
            article.id,
            article.slug.clone(),
            app.published_path(article.id).await,
        ));
    }

    // The preview shows the newest article's address under the typed pattern, saving nothing.
    let preview = send_settings(
        &app,
        &http,
        &[
            ("permalink", "/%post_id%/%postname%/"),
            ("action", "preview"),
        ],
    )
    .await;
    assert_eq!(preview.status(), 200);
    let (newest, slug, _) = &first_urls[0];
    let html = preview.text().await.unwrap();
    assert!(
        html.contains(&format!("would move to <code>/{}/{slug}/</code>", newest.0)),
        "{html}"
    );
    assert_eq!(
        app.store
            .publication()
            .await
            .unwrap()
            .unwrap()
            .permalink
            .as_str(),
        "/%year%/%monthnum%/%day%/%postname%/"
    );

    let saved = send_settings(&app, &http, &[("permalink", "/%post_id%/%postname%/")]).await;
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    for (id, slug, old) in &first_urls {
        let new = format!("/{}/{slug}/", id.0);
        assert_eq!(
            app.status_and_location(old).await,
            (301, new.clone()),
            "{old}"
        );
        assert_eq!(app.status_and_location(&new).await.0, 200, "{new}");
    }

    // Again, to a pattern whose last segment is the id: both earlier generations of URLs
    // still lead to the article.
    let saved = send_settings(&app, &http, &[("permalink", "/archives/%post_id%/")]).await;
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    for (id, slug, old) in &first_urls {
        let now = format!("/archives/{}/", id.0);
        assert_eq!(
            app.status_and_location(old).await,
            (301, now.clone()),
            "{old}"
        );
        let second = format!("/{}/{slug}/", id.0);
        assert_eq!(app.status_and_location(&second).await, (301, now.clone()));
        assert_eq!(app.status_and_location(&now).await.0, 200);
    }
}

async fn bad_settings_are_refused_field_by_field(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let before = app.store.publication().await.unwrap().unwrap();
    let refused = send_settings(
        &app,
        &http,
        &[
            ("name", ""),
            ("issn", "1234-5678"),
            ("language", "english"),
            ("time_zone", "Mars/Olympus"),
            ("permalink", "/%year%/%title%/"),
            ("logo", "javascript:alert(1)"),
            ("robots_txt", "User-agent: *\nplease no"),
            ("ads_txt", "google.com, pub-1"),
            ("site_verification", "<meta content=\"x\">"),
            ("feed_items", "0"),
            ("feed_content", "everything"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    for expected in [
        "Nothing was saved",
        "Give the publication a name.",
        "id=\"issn-problem\"",
        "id=\"language-problem\"",
        "id=\"time_zone-problem\"",
        "Unknown structure tag %title%",
        "Use an address on this site",
        "Line 2: write a directive",
        "Line 1: an ads.txt record",
        "Line 1: the tag has no name",
        "value=\"Mars/Olympus\"",
        "A whole number from 1 to 100.",
        "Choose the whole text or the excerpt.",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert_eq!(app.store.publication().await.unwrap().unwrap(), before);

    // Only administrators see the page.
    let editor = app
        .add_staff("Eddie", gazette_core::Role::Editor, "a long password")
        .await;
    let eddie = client();
    app.sign_in(&eddie, editor.email.as_str(), "a long password")
        .await;
    assert_eq!(
        eddie
            .get(app.url("/admin/settings"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn crawler_files_and_the_head_snippet_reach_the_site(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    assert_eq!(
        client()
            .get(app.url("/ads.txt"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let http = app.admin_client().await;
    let snippet = "<script async src=\"https://stats.example.net/a.js\"></script><script>window.statsQueue = [];</script>";
    let saved = send_settings(
        &app,
        &http,
        &[
            ("name", "The Harbour Times"),
            ("issn", "2049-3630"),
            ("robots_txt", "User-agent: GPTBot\nDisallow: /"),
            (
                "ads_txt",
                "google.com, pub-0000000000000000, DIRECT, f08c47fec0942fa0",
            ),
            (
                "site_verification",
                "<meta name=\"google-site-verification\" content=\"abc123\" />",
            ),
            ("head_html", snippet),
            ("feed_items", "3"),
            ("feed_content", "excerpt"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    app.caught_up().await;

    let (_, feed) = app.get_text("/feed/").await;
    assert_eq!(feed.matches("<item>").count(), 3, "{feed}");
    assert!(!feed.contains("<content:encoded>"), "excerpts only: {feed}");

    let robots = client().get(app.url("/robots.txt")).send().await.unwrap();
    assert_eq!(
        robots.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        robots.text().await.unwrap(),
        format!(
            "User-agent: *\nDisallow: /admin/\nDisallow: /preview/\n\nUser-agent: GPTBot\nDisallow: /\n\n\
             Sitemap: http://{0}/sitemap.xml\nSitemap: http://{0}/news-sitemap.xml\n",
            app.address
        )
    );
    let ads = client().get(app.url("/ads.txt")).send().await.unwrap();
    assert_eq!(
        ads.text().await.unwrap(),
        "google.com, pub-0000000000000000, DIRECT, f08c47fec0942fa0\n"
    );

    let home = client().get(app.url("/")).send().await.unwrap();
    let policy = home.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = home.text().await.unwrap();
    assert!(html.contains("The Harbour Times"));
    assert!(html.contains("2049-3630"));
    assert!(html.contains("<meta name=\"google-site-verification\" content=\"abc123\">"));
    assert!(html.contains(snippet), "the snippet, unfiltered");
    assert!(
        policy.contains("script-src 'self' https://stats.example.net 'sha256-"),
        "{policy}"
    );
}

async fn a_chart_link_becomes_a_frame_the_policy_allows(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let article = app
        .write_article(
            &http,
            &[
            ("headline", "Turnout by district"),
            (
                "body",
                "The chart:\n\nhttps://datawrapper.dwcdn.net/Ab12C/3/\n\nAnd a link that stays a link:\n\nhttps://example.com/chart\n",
            ),
            ("action", "publish"),
            ],
        )
        .await;
    app.caught_up().await;
    let page = client()
        .get(app.url(&app.published_path(article).await))
        .send()
        .await
        .unwrap();
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(
            "<iframe src=\"https://datawrapper.dwcdn.net/Ab12C/3/\" title=\"Datawrapper\""
        )
    );
    assert!(
        html.contains(
            "sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\""
        )
    );
    assert_eq!(
        html.matches("<iframe").count(),
        1,
        "the other link stays a link"
    );
    assert!(policy.contains("frame-src https://www.youtube-nocookie.com"));
    assert!(policy.contains("https://datawrapper.dwcdn.net"));
    assert!(!policy.contains("example.com"));
}

async fn raw_html_is_kept_for_editors_and_sanitised_for_authors(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let raw = "<div class=\"poll\" data-question=\"7\"><button type=\"button\">Vote</button></div>\n\n<script src=\"/assets/poll.js\"></script>";
    let mut saved = Vec::new();
    for (name, role) in [
        ("Eddie", gazette_core::Role::Editor),
        ("Ann", gazette_core::Role::Author),
    ] {
        let person = app.add_staff(name, role, "a long password").await;
        let http = client();
        app.sign_in(&http, person.email.as_str(), "a long password")
            .await;
        let editor = http
            .get(app.url("/admin/articles/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let response = http
            .post(app.url("/admin/articles/new"))
            .form(&[
                ("csrf", csrf_of(&editor).as_str()),
                ("headline", &format!("{name}'s poll")),
                ("body", raw),
                ("body_format", "html"),
                ("action", "save"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{name}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let id: i64 = location
            .trim_start_matches("/admin/articles/")
            .trim_end_matches("?saved=1")
            .parse()
            .unwrap();
        saved.push(
            app.store
                .article(gazette_core::ArticleId(id))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let (editors, authors) = (&saved[0], &saved[1]);
    assert!(editors.unfiltered_html);
    assert!(editors.body_html.as_str().contains("data-question=\"7\""));
    assert!(
        editors
            .body_html
            .as_str()
            .contains("<script src=\"/assets/poll.js\">")
    );
    assert!(!authors.unfiltered_html);
    assert!(!authors.body_html.as_str().contains("<script"));
    assert!(!authors.body_html.as_str().contains("data-question"));
    assert!(
        authors.body_html.as_str().contains("Vote"),
        "the text stays"
    );
}

async fn an_empty_public_address_is_proposed_from_a_known_host(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let settings_for = |host: String| {
        let request = http.get(app.url("/admin/settings")).header("host", host);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let page = settings_for(app.address.to_string()).await;
    let proposed = format!("http://{}/", app.address);
    assert!(
        page.contains(&format!("placeholder=\"{proposed}\"")),
        "the address in use is proposed"
    );
    assert_eq!(
        input_value(&page, "base_url"),
        "",
        "but not filled in for them"
    );
    let page = settings_for("evil.example".to_owned()).await;
    assert!(!page.contains("evil.example"), "only a host the node knows");
    let response = send_settings(&app, &http, &[("base_url", "https://news.example/")]).await;
    assert_eq!(response.status(), 303);
    app.caught_up().await;
    let page = settings_for(app.address.to_string()).await;
    assert_eq!(input_value(&page, "base_url"), "https://news.example/");
    assert!(
        !page.contains(&proposed),
        "nothing to propose once it is set"
    );
}
