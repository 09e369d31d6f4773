//! Menus and the home page over HTTP on both backends: editors' menus replace the theme's
//! default navigation in their order, and the lead story and slots they choose open the home
//! page, falling back to the latest articles when a choice is unpublished. Sections and tags
//! are added, renamed, moved and merged with their old archive URLs kept, and static pages
//! nest and move keeping theirs. Authors' profiles (photo, bio, links) reach their archive.

use gazette_core::{ArticleId, Role, Status};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, client, csrf_of};

gazette_testkit::on_both_backends!(
    editors_build_menus_that_replace_the_default_navigation,
    editors_choose_the_lead_story_and_slots,
    sections_and_tags_are_renamed_and_merged_keeping_archive_urls,
    pages_are_written_nested_and_moved_keeping_their_addresses,
    authors_fill_in_profiles_readers_see,
);

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// The link texts of a `<nav>`, in order.
fn link_texts(nav: &str) -> Vec<String> {
    nav.split("</a>")
        .filter_map(|part| {
            part.rsplit_once('>')
                .map(|(_, text)| text.trim().to_owned())
        })
        .filter(|t| !t.is_empty())
        .collect()
}

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

async fn editors_choose_the_lead_story_and_slots(backend: Backend) {
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
    let (newest, older, oldest) = (&articles[0], &articles[4], articles.last().unwrap());
    let lead_heading = |html: &str| {
        between(
            between(html, "<section class=\"lead\"", "</section>"),
            "<h3",
            "</h3>",
        )
        .to_owned()
    };
    let home = app.page_text(&client(), "/").await;
    assert!(lead_heading(&home).contains(&newest.headline) || articles.iter().any(|a| a.sticky));

    let form = app.page_text(&http, "/admin/home").await;
    let choose = |lead: ArticleId, slot: ArticleId| {
        vec![
            ("csrf", csrf_of(&form)),
            ("lead", lead.0.to_string()),
            ("slot_0", slot.0.to_string()),
            ("slot_1", "0".to_owned()),
            ("slot_2", lead.0.to_string()),
            ("slot_3", "0".to_owned()),
        ]
    };
    let saved = http
        .post(app.url("/admin/home"))
        .form(&choose(oldest.id, older.id))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    let home = app.page_text(&client(), "/").await;
    assert!(
        lead_heading(&home).contains(&oldest.headline),
        "the chosen lead"
    );
    let latest = between(&home, "<section class=\"latest\"", "</section>");
    let first_card = between(latest, "<h3", "</h3>");
    assert!(
        first_card.contains(&older.headline),
        "the first slot opens the list"
    );
    assert_eq!(
        latest.matches(&oldest.headline).count(),
        0,
        "the lead is not repeated"
    );

    // The lead is unpublished: the home page falls back to the newest (or sticky) article.
    let id = oldest.id;
    app.store
        .write(|tx| {
            Box::pin(async move {
                let mut article = tx.article(id).await?.unwrap();
                article.status = Status::Draft;
                tx.update_article(&article).await
            })
        })
        .await
        .unwrap();
    app.caught_up().await;
    let home = app.page_text(&client(), "/").await;
    assert!(!home.contains(&oldest.headline));
    assert!(!lead_heading(&home).is_empty(), "a lead is still shown");

    // An unpublished article cannot be chosen.
    let form = app.page_text(&http, "/admin/home").await;
    let refused = http
        .post(app.url("/admin/home"))
        .form(&[("csrf", csrf_of(&form)), ("lead", oldest.id.0.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("not published"));
}

async fn sections_and_tags_are_renamed_and_merged_keeping_archive_urls(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    // A new top-level section, then a child in it.
    let added = app
        .submit_form(
            &http,
            "/admin/sections",
            "/admin/sections",
            &[("name", "Harbour News"), ("slug", ""), ("parent", "0")],
        )
        .await;
    assert_eq!(added.status(), 303);
    let sections = app.store.sections().await.unwrap();
    let harbour = sections
        .iter()
        .find(|s| s.slug.as_str() == "harbour-news")
        .unwrap()
        .id;
    let added = app
        .submit_form(
            &http,
            "/admin/sections",
            "/admin/sections",
            &[("name", "Ferries"), ("parent", &harbour.0.to_string())],
        )
        .await;
    assert_eq!(added.status(), 303);
    let taken = app
        .submit_form(
            &http,
            "/admin/sections",
            "/admin/sections",
            &[("name", "Harbour news")],
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("That slug is taken"));
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/category/harbour-news/ferries/")
            .await
            .0,
        200
    );

    // Renaming the parent's slug moves the child's archive too: both old paths redirect.
    let edit = format!("/admin/sections/{}", harbour.0);
    let renamed = app
        .submit_form(
            &http,
            &edit,
            &edit,
            &[("name", "Port"), ("slug", "port"), ("parent", "0")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/category/harbour-news/").await,
        (301, "/category/port/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/category/harbour-news/ferries/")
            .await,
        (301, "/category/port/ferries/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/category/port/ferries/").await.0,
        200
    );

    // A section cannot go under its own child.
    let ferries = app
        .store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.slug.as_str() == "ferries")
        .unwrap();
    let looped = app
        .submit_form(
            &http,
            &edit,
            &edit,
            &[
                ("name", "Port"),
                ("slug", "port"),
                ("parent", &ferries.id.0.to_string()),
            ],
        )
        .await;
    assert_eq!(looped.status(), 422);

    // Merging a section with articles into another moves them and redirects its archive.
    // The section with the most articles (the demo files articles in child sections).
    let all_sections = app.store.sections().await.unwrap();
    let (_, counts) = app.store.taxonomy_counts().await.unwrap();
    let (world, world_articles) = all_sections
        .iter()
        .map(|s| (s, counts.get(&s.id).copied().unwrap_or(0)))
        .max_by_key(|(_, n)| *n)
        .unwrap();
    assert!(world_articles > 0, "{counts:?}");
    let world_path = match world.parent {
        Some(parent) => {
            let parent = all_sections.iter().find(|s| s.id == parent).unwrap();
            format!("/category/{}/{}/", parent.slug, world.slug)
        }
        None => format!("/category/{}/", world.slug),
    };
    let refused = app
        .submit_form(
            &http,
            &format!("/admin/sections/{}", world.id.0),
            &format!("/admin/sections/{}/delete", world.id.0),
            &[],
        )
        .await;
    assert_eq!(
        refused.status(),
        409,
        "a section with articles is merged, not deleted"
    );
    let world_edit = format!("/admin/sections/{}", world.id.0);
    let merged = app
        .submit_form(
            &http,
            &world_edit,
            &format!("{world_edit}/merge"),
            &[("into", &harbour.0.to_string())],
        )
        .await;
    assert_eq!(merged.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location(&world_path).await,
        (301, "/category/port/".to_owned())
    );
    let (_, counts) = app.store.taxonomy_counts().await.unwrap();
    assert!(
        counts.get(&harbour).copied().unwrap_or(0) >= world_articles,
        "the articles moved"
    );

    // Tags: rename, then merge.
    let tags = app.store.tags().await.unwrap();
    let (first, second) = (&tags[0], &tags[1]);
    let old_path = format!("/tag/{}/", first.slug);
    let tag_edit = format!("/admin/tags/{}", first.id.0);
    let renamed = app
        .submit_form(
            &http,
            &tag_edit,
            &tag_edit,
            &[("name", "Renamed tag"), ("slug", "renamed-tag")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location(&old_path).await,
        (301, "/tag/renamed-tag/".to_owned())
    );
    let merged = app
        .submit_form(
            &http,
            &tag_edit,
            &format!("{tag_edit}/merge"),
            &[("into", &second.id.0.to_string())],
        )
        .await;
    assert_eq!(merged.status(), 303);
    app.caught_up().await;
    let into = format!("/tag/{}/", second.slug);
    assert_eq!(
        app.status_and_location("/tag/renamed-tag/").await,
        (301, into.clone())
    );
    assert_eq!(app.status_and_location(&into).await.0, 200);
    assert!(
        app.store
            .tags()
            .await
            .unwrap()
            .iter()
            .all(|t| t.id != first.id)
    );

    // A new tag taking an old path is not shadowed by its redirect.
    let added = app
        .submit_form(
            &http,
            "/admin/tags",
            "/admin/tags",
            &[("name", "Renamed tag")],
        )
        .await;
    assert_eq!(added.status(), 303);
    app.caught_up().await;
    assert_eq!(app.status_and_location("/tag/renamed-tag/").await.0, 200);
}

async fn pages_are_written_nested_and_moved_keeping_their_addresses(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let about = app
        .store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.slug.as_str() == "about")
        .unwrap();
    let parent = about.id.0.to_string();
    let new = "/admin/pages/new";
    let created = app
        .submit_form(
            &http,
            new,
            new,
            &[
                ("title", "Our team"),
                ("slug", "team"),
                ("parent", &parent),
                ("body", "Who makes the paper."),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let draft = app
        .submit_form(
            &http,
            new,
            new,
            &[("title", "Jobs"), ("body", "Soon."), ("action", "draft")],
        )
        .await;
    assert_eq!(draft.status(), 303);
    let reserved = app
        .submit_form(
            &http,
            new,
            new,
            &[("title", "Admin"), ("slug", "admin"), ("action", "publish")],
        )
        .await;
    assert_eq!(reserved.status(), 422);
    assert!(reserved.text().await.unwrap().contains("reserved"));
    app.caught_up().await;
    assert_eq!(app.status_and_location("/about/team/").await.0, 200);
    assert_eq!(
        app.status_and_location("/jobs/").await.0,
        404,
        "drafts are not public"
    );

    // Moving the parent keeps both addresses.
    let edit = format!("/admin/pages/{}/edit", about.id.0);
    let moved = app
        .submit_form(
            &http,
            &edit,
            &edit,
            &[
                ("title", &about.title),
                ("slug", "who-we-are"),
                ("parent", "0"),
                ("body", &about.body_source),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(moved.status(), 303);
    app.caught_up().await;
    assert_eq!(
        app.status_and_location("/about/").await,
        (301, "/who-we-are/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/about/team/").await,
        (301, "/who-we-are/team/".to_owned())
    );
    assert_eq!(app.status_and_location("/who-we-are/team/").await.0, 200);

    // A page with sub-pages is not deleted.
    let refused = app
        .submit_form(
            &http,
            &edit,
            &format!("/admin/pages/{}/delete", about.id.0),
            &[],
        )
        .await;
    assert_eq!(refused.status(), 409);
    assert!(
        app.store
            .pages()
            .await
            .unwrap()
            .iter()
            .any(|p| p.id == about.id)
    );
}

async fn authors_fill_in_profiles_readers_see(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let ann = app
        .add_staff("Annlee", Role::Author, "a long password")
        .await;
    let http = client();
    app.sign_in(&http, ann.email.as_str(), "a long password")
        .await;
    let refused = app
        .submit_form(
            &http,
            "/admin/profile",
            "/admin/profile",
            &[
                ("name", "Ann Lee"),
                ("photo", "javascript:x"),
                ("links", "Site https://ann.example/"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"photo-problem\"") && html.contains("Line 1: write Label"));
    let saved = app
        .submit_form(
            &http,
            "/admin/profile",
            "/admin/profile",
            &[
                ("name", "Ann B. Lee"),
                ("bio", "Covers the harbour."),
                ("photo", "/media/2026/01/ann.jpg"),
                (
                    "links",
                    "Website = https://ann.example/\nMastodon = https://social.example/@ann",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    // Readers find an author's archive once they have published work.
    app.write_article(
        &http,
        &[
            ("headline", "Harbour news"),
            ("body", "Boats."),
            ("action", "publish"),
        ],
    )
    .await;
    app.caught_up().await;
    let archive = app
        .page_text(&client(), &format!("/author/{}/", ann.slug))
        .await;
    assert!(archive.contains("Ann B. Lee"));
    assert!(archive.contains("Covers the harbour."));
    assert!(archive.contains("<img class=\"author-photo\" src=\"/media/2026/01/ann.jpg\""));
    assert!(archive.contains("<a href=\"https://social.example/@ann\" rel=\"me\">Mastodon</a>"));
    // Only administrators edit someone else's.
    assert_eq!(
        http.get(app.url("/admin/people/1/profile"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let admin = app.admin_client().await;
    let path = format!("/admin/people/{}/profile", ann.id.0);
    assert_eq!(
        admin.get(app.url(&path)).send().await.unwrap().status(),
        200
    );
}
