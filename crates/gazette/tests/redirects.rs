//! The redirect manager over HTTP on both backends: rules answer before anything else, with
//! their status and the request's query string; bad rules, loops and bad CSV rows are refused
//! with their reasons and nothing half-written.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp, client, csrf_of};
use reqwest::multipart::Form;

gazette_testkit::on_both_backends!(
    rules_are_added_followed_edited_and_deleted,
    bad_rules_and_loops_are_refused_with_their_reason,
    a_csv_imports_whole_or_not_at_all,
    unknown_or_hidden_wordpress_ids_are_not_found,
);

async fn add(
    app: &TestApp,
    http: &reqwest::Client,
    source: &str,
    target: &str,
    status: &str,
) -> reqwest::Response {
    let csrf = csrf_of(&app.page_text(http, "/admin/redirects/").await);
    http.post(app.url("/admin/redirects/"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("source", source),
            ("target", target),
            ("status", status),
        ])
        .send()
        .await
        .unwrap()
}

async fn import(app: &TestApp, http: &reqwest::Client, csv: &str) -> reqwest::Response {
    let csrf = csrf_of(&app.page_text(http, "/admin/redirects/").await);
    let form = Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("rules.csv"),
    );
    http.post(app.url("/admin/redirects/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn rules_are_added_followed_edited_and_deleted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    assert_eq!(app.status_and_location("/spring-sale/").await.0, 404);
    assert_eq!(
        add(&app, &http, "/spring-sale/", "/about/", "301")
            .await
            .status(),
        303
    );
    assert_eq!(
        add(&app, &http, "/Shop", "https://shop.example/", "302")
            .await
            .status(),
        303
    );
    assert_eq!(
        add(&app, &http, "/old-results/", "", "410").await.status(),
        303
    );
    app.caught_up().await;

    assert_eq!(
        app.status_and_location("/spring-sale/").await,
        (301, "/about/".to_owned())
    );
    // Case, the final slash and percent-encoding do not matter; the query string is kept.
    assert_eq!(
        app.status_and_location("/SPRING-SALE?utm_source=mail")
            .await,
        (301, "/about/?utm_source=mail".to_owned())
    );
    assert_eq!(
        app.status_and_location("/shop/").await,
        (302, "https://shop.example/".to_owned())
    );
    let gone = client().get(app.url("/old-results/")).send().await.unwrap();
    assert_eq!(gone.status(), 410);
    assert!(gone.text().await.unwrap().contains("<h1"), "a themed page");

    // A rule may move a page that still exists.
    assert_eq!(app.status_and_location("/about/").await.0, 200);
    assert_eq!(
        add(&app, &http, "/about/", "/contact/", "307")
            .await
            .status(),
        303
    );
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/about/").await,
        (307, "/contact/".to_owned())
    );

    // Edited and deleted from the list.
    let list = app.page_text(&http, "/admin/redirects/").await;
    assert!(list.contains("4 rules"));
    let rules = app.store.redirects().await.unwrap();
    let sale = rules
        .iter()
        .find(|r| r.rule.source == "/spring-sale/")
        .unwrap();
    let edit_path = format!("/admin/redirects/{}", sale.id.0);
    let form = app.page_text(&http, &edit_path).await;
    let saved = http
        .post(app.url(&edit_path))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("source", "/spring-sale/"),
            ("target", "/contact/"),
            ("status", "308"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/spring-sale/").await,
        (308, "/contact/".to_owned())
    );
    let deleted = http
        .post(app.url(&format!("{edit_path}/delete")))
        .form(&[("csrf", csrf_of(&form))])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    app.caught_up().await;
    assert_eq!(app.status_and_location("/spring-sale/").await.0, 404);

    // The export reads back as an import.
    let csv = http
        .get(app.url("/admin/redirects/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert_eq!(
        csv,
        "source,target,status\n/about/,/contact/,307\n/old-results/,,410\n/Shop,https://shop.example/,302\n"
    );
    assert_eq!(gazette_core::redirect::parse_csv(&csv).unwrap().len(), 3);
}

async fn bad_rules_and_loops_are_refused_with_their_reason(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    assert_eq!(add(&app, &http, "/a/", "/b/", "301").await.status(), 303);
    assert_eq!(add(&app, &http, "/b/", "/c/", "301").await.status(), 303);
    let cases = [
        ("/c/", "/a/", "301", "loop: /c/ → /a/ → /b/ → /c/"),
        ("/d/", "/d", "301", "loop: /d/ → /d"),
        ("old-page", "/x/", "301", "must be a path on this site"),
        ("/admin/", "/x/", "301", "belongs to Gazette itself"),
        (
            "/x/",
            "javascript:alert(1)",
            "301",
            "must be a path starting with /",
        ),
        ("/x/", "/y/", "303", "must be 301, 302, 307, 308 or 410"),
        ("/A", "/elsewhere/", "301", "already a rule for this source"),
    ];
    for (source, target, status, reason) in cases {
        let response = add(&app, &http, source, target, status).await;
        assert_eq!(response.status(), 422, "{source} → {target}");
        let html = response.text().await.unwrap();
        assert!(html.contains(reason), "{source} → {target}: {html}");
        assert!(html.contains("Nothing was saved."));
        assert!(
            html.contains(&format!("value=\"{}\"", source)),
            "the form keeps what was typed"
        );
    }
    assert_eq!(app.store.redirects().await.unwrap().len(), 2);

    // Editing a rule into a loop is refused too; authors cannot manage rules at all.
    let b = app.store.redirects().await.unwrap()[1].id;
    let form = app
        .page_text(&http, &format!("/admin/redirects/{}", b.0))
        .await;
    let looped = http
        .post(app.url(&format!("/admin/redirects/{}", b.0)))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("source", "/b/"),
            ("target", "/a/"),
            ("status", "301"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(looped.status(), 422);
    let author = app.add_staff("Ann", Role::Author, "a long password").await;
    let ann = client();
    app.sign_in(&ann, author.email.as_str(), "a long password")
        .await;
    assert_eq!(
        ann.get(app.url("/admin/redirects/"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn a_csv_imports_whole_or_not_at_all(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let bad = "source,target,status\n/one/,/about/,301\nnot-a-path,/x/\n/two/,/three/,999\n/four/,/four/\n";
    let refused = import(&app, &http, bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Nothing was imported"));
    assert!(html.contains("Line 3: the source must be a path"));
    assert!(html.contains("Line 4: the status must be"));
    assert!(
        app.store.redirects().await.unwrap().is_empty(),
        "not even the good rows"
    );

    let looping = "/p/,/q/\n/q/,/p/\n";
    assert_eq!(import(&app, &http, looping).await.status(), 422);
    assert!(app.store.redirects().await.unwrap().is_empty());

    assert_eq!(
        add(&app, &http, "/one/", "/contact/", "302").await.status(),
        303
    );
    let good = "\u{feff}source,target,status\r\n/one/,/about/,301\r\n\"/two,2/\",https://elsewhere.example/\r\n/gone/,,410\r\n";
    let imported = import(&app, &http, good).await;
    assert_eq!(imported.status(), 303);
    assert_eq!(
        imported.headers()["location"],
        "/admin/redirects/?imported=3"
    );
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/one/").await,
        (301, "/about/".to_owned()),
        "replaced"
    );
    assert_eq!(
        app.status_and_location("/two,2/").await,
        (301, "https://elsewhere.example/".to_owned())
    );
    assert_eq!(app.status_and_location("/gone/").await.0, 410);
    assert_eq!(app.store.redirects().await.unwrap().len(), 3);
}

/// WordPress's plain links for ids that do not exist, or name nothing public, answer the
/// themed 404 as WordPress does, not the home page.
async fn unknown_or_hidden_wordpress_ids_are_not_found(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // A person on staff without published work, and a draft page.
    let quiet = app
        .add_staff(
            "Quiet",
            gazette_core::Role::Editor,
            "a long enough password",
        )
        .await;
    let draft = gazette_store::NewPage {
        parent: None,
        slug: gazette_core::Slug::parse("unpublished").unwrap(),
        title: "Unpublished".to_owned(),
        body_format: gazette_core::BodyFormat::Markdown,
        body_source: String::new(),
        body_html: gazette_core::SafeHtml::from_text(""),
        render_version: gazette_render::RENDER_VERSION,
        status: gazette_core::Status::Draft,
        published_at: None,
    };
    let page = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_page(&draft).await }))
        .await
        .unwrap();
    app.caught_up().await;
    for path in [
        "/?p=99999".to_owned(),
        "/?page_id=99999".to_owned(),
        format!("/?page_id={}", page.id.0),
        "/?attachment_id=99999".to_owned(),
        "/?cat=99999".to_owned(),
        "/?author=99999".to_owned(),
        format!("/?author={}", quiet.id.0),
        "/?tag=no-such-tag".to_owned(),
        "/?feed=no-such-feed".to_owned(),
        "/?m=notadate".to_owned(),
    ] {
        let (status, html) = app.get_text(&path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("<html"), "a themed page for {path}");
    }
    assert_eq!(
        app.get_text("/?utm_source=mail").await.0,
        200,
        "other queries stay home"
    );
}
