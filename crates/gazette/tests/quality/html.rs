//! Every page kind of the public journal and the newsroom, in English and French, passes the
//! Nu HTML checker with zero errors.

use gazette_testkit::{Backend, TestApp, csrf_of, validators};

use super::{
    add_app_password, add_comment_thread, add_issue, add_library_image, add_newsletter,
    add_redirect, french_app, page_kinds,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(gazette_test_vnu), ignore = "needs GAZETTE_TEST_VNU (see README)")]
async fn every_page_kind_is_valid_html() {
    if validators::nu_html_checker().is_none() {
        return;
    }
    let mut documents = Vec::new();
    for (language, app) in [
        ("en", TestApp::spawn(Backend::Sqlite).await.unwrap()),
        ("fr", french_app().await),
    ] {
        let (paths, protected) = page_kinds(&app).await;
        for path in &paths {
            let (_, html) = app.get_text(path).await;
            documents.push((format!("{language}{}", path.replace('/', "_")), html));
        }
        let wrong = app
            .client
            .post(app.url(&protected))
            .form(&[("password", "nope")])
            .send()
            .await
            .unwrap();
        documents.push((
            format!("{language}_wrong_password"),
            wrong.text().await.unwrap(),
        ));
        let refused = app
            .client
            .post(app.url("/comments/"))
            .form(&[
                ("comment_post_ID", "1"),
                ("comment", ""),
                ("author", "A"),
                ("email", "nope"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        documents.push((
            format!("{language}_comment_refused"),
            refused.text().await.unwrap(),
        ));
        let nowhere = app
            .client
            .post(app.url("/comments/"))
            .form(&[("comment_post_ID", "999999"), ("comment", "Kept <text>")])
            .send()
            .await
            .unwrap();
        assert_eq!(nowhere.status(), 404);
        documents.push((
            format!("{language}_comment_kept"),
            nowhere.text().await.unwrap(),
        ));
    }
    // The back office: the sign-in form (with an error) and the desk.
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    add_comment_thread(&app.store, gazette_core::ArticleId(1)).await;
    let media = add_library_image(&app).await;
    add_app_password(&app).await;
    let rule = add_redirect(&app).await;
    let newsletter_id = add_newsletter(&app).await;
    let newsletter = format!("/admin/newsletters/{}", newsletter_id.0);
    let issue = add_issue(&app, newsletter_id, None).await;
    let client = gazette_testkit::client();
    let form = client
        .get(app.url("/admin/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    documents.push(("admin_sign_in".to_owned(), form.clone()));
    let csrf = csrf_of(&form);
    let wrong = client
        .post(app.url("/admin/sign-in"))
        .form(&[
            ("email", gazette_testkit::ADMIN_EMAIL),
            ("password", "wrong"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    documents.push((
        "admin_sign_in_error".to_owned(),
        wrong.text().await.unwrap(),
    ));
    client
        .post(app.url("/admin/sign-in"))
        .form(&[
            ("email", gazette_testkit::ADMIN_EMAIL),
            ("password", gazette_testkit::ADMIN_PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    let dashboard = client
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("<h1>Today, "), "signed in");
    documents.push(("admin_dashboard".to_owned(), dashboard));
    let imported = app
        .write_article(
            &client,
            &[
                ("headline", "An imported post"),
                ("body_format", "html"),
                ("body", "<p class=\"old\">An <b>old</b> post.</p>"),
                ("action", "save"),
            ],
        )
        .await;
    for (name, path) in [
        ("admin_desk", "/admin/articles"),
        ("admin_calendar", "/admin/calendar"),
        ("admin_calendar_week", "/admin/calendar?view=week"),
        ("admin_new", "/admin/articles/new"),
        ("admin_edit", "/admin/articles/1"),
        ("admin_revisions", "/admin/articles/1/revisions"),
        ("admin_people", "/admin/people"),
        ("admin_forgot", "/admin/forgot"),
        ("admin_account", "/admin/account"),
        ("admin_app_passwords", "/admin/account/app-passwords"),
        ("admin_comments", "/admin/comments/?status=all"),
        (
            "admin_commenter",
            "/admin/comments/?email=reader%40example.org",
        ),
        ("admin_comment_edit", "/admin/comments/1/edit"),
        ("admin_comment_settings", "/admin/settings/comments"),
        ("admin_media", "/admin/media/"),
        ("admin_media_item", &format!("/admin/media/{media}")),
        ("admin_redirects", "/admin/redirects/"),
        ("admin_newsletters", "/admin/newsletters/"),
        ("admin_newsletter", &newsletter),
        ("admin_newsletter_issue", &issue),
        ("admin_subscribers", "/admin/subscribers/"),
        ("admin_settings", "/admin/settings"),
        ("admin_menus", "/admin/menus"),
        ("admin_home", "/admin/home"),
        ("admin_sections", "/admin/sections"),
        ("admin_section", "/admin/sections/1"),
        ("admin_tags", "/admin/tags"),
        ("admin_tag", "/admin/tags/1"),
        ("admin_pages", "/admin/pages"),
        ("admin_page_new", "/admin/pages/new"),
        ("admin_page_edit", "/admin/pages/1/edit"),
        ("admin_profile", "/admin/profile"),
        ("admin_redirect_edit", &format!("/admin/redirects/{rule}")),
        (
            "admin_convert",
            &format!("/admin/articles/{}/markdown", imported.0),
        ),
    ] {
        let editor = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(editor.status(), 200, "{path}");
        documents.push((name.to_owned(), editor.text().await.unwrap()));
    }
    // A refused upload: the library with its error.
    let library = client
        .get(app.url("/admin/media/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let not_an_image = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&library))
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7".to_vec()).file_name("report.jpg"),
        );
    let refused = client
        .post(app.url("/admin/media/"))
        .multipart(not_an_image)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 415);
    documents.push((
        "admin_media_refused".to_owned(),
        refused.text().await.unwrap(),
    ));
    let errors = validators::nu_html_errors_many(&documents).unwrap();
    assert!(
        errors.is_empty(),
        "{} documents, errors:\n{}",
        documents.len(),
        errors.join("\n")
    );
}
