//! Editors' menus, which replace the theme's default navigation in their order.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp, client, csrf_of};

use super::{between, link_texts};

gazette_testkit::on_both_backends!(editors_build_menus_that_replace_the_default_navigation);

async fn save_menu(
    app: &TestApp,
    http: &reqwest::Client,
    menu: &str,
    rows: &[(&str, &str, &str, &str)],
) -> reqwest::Response {
    let form = app.page_text(http, "/admin/menus").await;
    let mut fields = vec![
        ("csrf".to_owned(), csrf_of(&form)),
        ("menu".to_owned(), menu.to_owned()),
    ];
    for (n, (position, target, url, label)) in rows.iter().enumerate() {
        fields.push((format!("position_{n}"), (*position).to_owned()));
        fields.push((format!("target_{n}"), (*target).to_owned()));
        fields.push((format!("url_{n}"), (*url).to_owned()));
        fields.push((format!("label_{n}"), (*label).to_owned()));
    }
    http.post(app.url("/admin/menus"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn editors_build_menus_that_replace_the_default_navigation(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let home = app.page_text(&client(), "/").await;
    let default_nav = link_texts(between(&home, "<nav class=\"sections-nav\"", "</nav>"));
    assert!(
        default_nav.len() > 2,
        "Home and the top-level sections: {default_nav:?}"
    );

    let sections = app.store.sections().await.unwrap();
    let world = sections.iter().find(|s| s.parent.is_none()).unwrap();
    let about = app
        .store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug.as_str() == "about")
        .unwrap();
    let section = format!("section:{}", world.id.0);
    let about_target = format!("page:{}", about.id.0);
    // A bad link refuses the whole menu, keeping what was typed.
    let refused = save_menu(
        &app,
        &http,
        "header",
        &[("10", "link", "javascript:alert(1)", "Shop")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("A link needs an address"));
    assert!(html.contains("value=\"javascript:alert(1)\""));
    assert!(app.store.menus().await.unwrap().header.is_empty());

    let saved = save_menu(
        &app,
        &http,
        "header",
        &[
            ("30", &section, "", ""),
            ("10", &about_target, "", "Who we are"),
            ("20", "link", "https://shop.example/", "Shop"),
            ("40", "", "", ""),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let saved = save_menu(
        &app,
        &http,
        "footer",
        &[("10", "link", "/privacy-policy/", "Privacy")],
    )
    .await;
    assert_eq!(saved.status(), 303);
    app.caught_up().await;

    let home = app.page_text(&client(), "/").await;
    let nav = between(&home, "<nav class=\"sections-nav\"", "</nav>");
    assert_eq!(
        link_texts(nav),
        ["Front page", "Who we are", "Shop", world.name.as_str()],
        "in the editors' order, labels defaulting to the section's name"
    );
    assert!(nav.contains("href=\"https://shop.example/\""));
    assert!(nav.contains("href=\"/about/\""));
    let footer = between(&home, "<footer", "</footer>");
    assert!(footer.contains("<a href=\"/privacy-policy/\">Privacy</a>"));
    assert!(
        !footer.contains("href=\"/about/\""),
        "the footer menu replaces the page list"
    );

    // Removing an entry, and a page that stops being published, drop from the menu.
    let form = app.page_text(&http, "/admin/menus").await;
    assert!(form.contains("value=\"https://shop.example/\""));
    let fields = [
        ("csrf", csrf_of(&form)),
        ("menu", "header".to_owned()),
        ("position_0", "10".to_owned()),
        ("target_0", about_target.clone()),
        ("position_1", "20".to_owned()),
        ("target_1", "link".to_owned()),
        ("url_1", "https://shop.example/".to_owned()),
        ("label_1", "Shop".to_owned()),
        ("remove_1", "1".to_owned()),
    ];
    let saved = http
        .post(app.url("/admin/menus"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    let home = app.page_text(&client(), "/").await;
    let nav = between(&home, "<nav class=\"sections-nav\"", "</nav>");
    assert_eq!(link_texts(nav), ["Front page", about.title.as_str()]);

    // Authors do not arrange menus.
    let author = app.add_staff("Ann", Role::Author, "a long password").await;
    let ann = client();
    app.sign_in(&ann, author.email.as_str(), "a long password")
        .await;
    assert_eq!(
        ann.get(app.url("/admin/menus"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
