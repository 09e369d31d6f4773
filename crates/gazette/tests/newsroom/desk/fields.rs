//! The editor's fields as they are: the SEO title and description search engines get,
//! sections, tags and HTML bodies, and times in the publication's zone.

use gazette_core::{Clock as _, Publication, TimeZoneName};
use gazette_testkit::{Backend, TestApp, TestOptions};

use super::{admin, saved_id, submit, submit_from};

gazette_testkit::on_both_backends!(
    search_engines_get_the_seo_title_and_description,
    sections_tags_and_html_bodies_are_edited_as_they_are,
    the_back_office_keeps_the_publications_time,
);

async fn search_engines_get_the_seo_title_and_description(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                (
                    "headline",
                    "A long headline written for readers of the paper",
                ),
                ("seo_title", "Short title for search"),
                ("seo_description", "What the search result says."),
                ("action", "publish"),
            ],
        )
        .await,
    );
    app.caught_up().await;
    let (_, html) = app.get_text(&app.published_path(id).await).await;
    assert!(
        html.contains("<title>Short title for search – The Gazette Chronicle</title>"),
        "{html}"
    );
    assert!(html.contains("<meta name=\"description\" content=\"What the search result says.\">"));
    assert!(html.contains(
        "<h1 class=\"story-headline\">A long headline written for readers of the paper</h1>"
    ));
}

async fn sections_tags_and_html_bodies_are_edited_as_they_are(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = admin(&app).await;
    let sections = app.store.sections().await.unwrap();
    let id_of = |slug: &str| {
        sections
            .iter()
            .find(|s| s.slug.as_str() == slug)
            .unwrap()
            .id
            .0
            .to_string()
    };
    let (europe, opinion) = (id_of("europe"), id_of("opinion"));
    let editor = client
        .get(app.url("/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        editor.contains("<datalist id=\"tag-names\">")
            && editor.contains("<option value=\"Transport\">"),
        "tag completion"
    );
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Filed twice"),
                ("section", &europe),
                ("also_in", &opinion),
            ],
        )
        .await,
    );
    let article = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(article.primary_section.unwrap().0.to_string(), europe);
    assert_eq!(
        article
            .further_sections
            .iter()
            .map(|s| s.0.to_string())
            .collect::<Vec<_>>(),
        vec![opinion]
    );

    // An HTML body (imported, or from the API) is edited as HTML, never converted.
    let mut imported = article.clone();
    imported.body_format = gazette_core::BodyFormat::Html;
    imported.body_source = "<p>Imported <b>HTML</b></p>".to_owned();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&imported).await }))
        .await
        .unwrap();
    let path = format!("/admin/articles/{}", id.0);
    let page = client
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Body (HTML)") && page.contains("name=\"body_format\" value=\"html\""));
    let edited = "<p>Imported <b>HTML</b>, edited</p>";
    saved_id(
        &submit_from(
            &app,
            &client,
            &path,
            &page,
            &[("body", edited), ("body_format", "html")],
        )
        .await,
    );
    let saved = app.store.article(id).await.unwrap().unwrap();
    assert_eq!(saved.body_format, gazette_core::BodyFormat::Html);
    assert_eq!(saved.body_source, edited);
    assert!(saved.body_html.as_str().contains("<b>HTML</b>, edited"));
}

/// Every time the back office shows is in the publication's zone with its abbreviation, and
/// a time typed in is read in it.
async fn the_back_office_keeps_the_publications_time(backend: Backend) {
    let publication = Publication {
        time_zone: TimeZoneName::parse("Asia/Tokyo").unwrap(),
        ..Publication::sample()
    };
    let options = TestOptions {
        publication: Some(publication),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let tokyo = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
    let now = app.clock.now().to_zoned(tokyo.clone());
    let client = admin(&app).await;
    let id = saved_id(
        &submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Tide tables"),
                ("body", "High water at noon."),
                ("action", "publish"),
            ],
        )
        .await,
    );
    let shown = |path: &str| {
        let client = client.clone();
        let url = app.url(path);
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let minute = now.strftime("%Y-%m-%d %H:%M JST").to_string();
    assert!(
        shown("/admin/").await.contains(&minute),
        "the desk: {minute}"
    );
    let second = now.strftime("%Y-%m-%d %H:%M:%S JST").to_string();
    let revisions = shown(&format!("/admin/articles/{id}/revisions")).await;
    assert!(revisions.contains(&second), "the revisions: {second}");
    assert!(!revisions.contains(" UTC"), "{revisions}");

    // 09:00 typed in is 09:00 in Tokyo (00:00 UTC).
    let tomorrow = now.date().tomorrow().unwrap();
    let typed = format!("{tomorrow}T09:00");
    let scheduled = submit(
        &app,
        &client,
        &format!("/admin/articles/{id}"),
        &[
            ("headline", "Tide tables"),
            ("body", "Later."),
            ("publish_at", &typed),
            ("action", "schedule"),
        ],
    )
    .await;
    assert_eq!(scheduled.status(), 303);
    let article = app.store.article(id).await.unwrap().unwrap();
    let expected = tomorrow.at(9, 0, 0, 0).to_zoned(tokyo).unwrap().timestamp();
    assert_eq!(article.published_at, Some(expected));
}
