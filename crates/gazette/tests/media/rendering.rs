//! Images in bodies: rendered again by `gazette render rebuild`, and imported images given
//! their classes and sizes.

use std::time::Duration;

use gazette_core::Media;
use gazette_media::fixtures::halves_jpeg;
use gazette_testkit::{Backend, TestApp};

gazette_testkit::on_both_backends!(
    #[needs(gazette_test_wxr_fixtures, "GAZETTE_TEST_WXR_FIXTURES")]
    imported_images_keep_their_classes_and_get_their_sizes,
    a_render_rebuild_brings_bodies_up_to_the_renderer,
);

/// `gazette render rebuild` renders again what an older renderer made, each body with its own
/// trust, and leaves what the current one made alone.
async fn a_render_rebuild_brings_bodies_up_to_the_renderer(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let source = r#"<p><img class="alignleft wp-image-5" src="/media/a.jpg" alt=""><span onclick="x()">Hi</span></p>"#;
    let old_render = r#"<p><img class="alignleft" src="/media/a.jpg" alt=""><span>Hi</span></p>"#;
    let mut ids = Vec::new();
    for trusted in [false, true] {
        let mut new = gazette_store::NewArticle::draft(
            if trusted { "Trusted" } else { "Sanitised" },
            source,
            gazette_core::SafeHtml::assume_sanitized(old_render.to_owned()),
            3,
        );
        new.body_format = gazette_core::BodyFormat::Html;
        new.unfiltered_html = trusted;
        let article = app
            .store
            .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
            .await
            .unwrap();
        ids.push(article.id);
    }
    let rebuilt = gazette_node::rerender::rebuild(&app.store, false)
        .await
        .unwrap();
    assert_eq!(rebuilt.articles, 2, "only the two an older renderer made");
    let sanitised = app.store.article(ids[0]).await.unwrap().unwrap();
    assert_eq!(sanitised.render_version, gazette_render::RENDER_VERSION);
    let html = sanitised.body_html.as_str();
    assert!(html.contains("class=\"alignleft wp-image-5\""), "{html}");
    assert!(!html.contains("onclick"), "still sanitised: {html}");
    let trusted = app.store.article(ids[1]).await.unwrap().unwrap();
    assert!(
        trusted.body_html.as_str().contains("onclick"),
        "raw as its trust says"
    );
    assert_eq!(
        gazette_node::rerender::rebuild(&app.store, false)
            .await
            .unwrap(),
        gazette_node::rerender::Rebuilt::default(),
        "nothing left to do"
    );
    let all = gazette_node::rerender::rebuild(&app.store, true)
        .await
        .unwrap();
    assert!(all.articles > 2 && all.pages > 0, "{all:?}");
}

/// An image in imported HTML that WordPress tagged `wp-image-N` keeps its classes and gets
/// `srcset` and `sizes` from its library item on the page, as WordPress adds them: by the
/// attachment the class names when the import knew it, else by its address.
async fn imported_images_keep_their_classes_and_get_their_sizes(backend: Backend) {
    let Some(root) = gazette_testkit::wxr_fixtures() else {
        return;
    };
    let Some(app) = TestApp::spawn_with(backend, gazette_testkit::TestOptions::default()).await
    else {
        return;
    };
    let uploads = tempfile::tempdir().unwrap();
    let file = uploads.path().join("2013/03/image-alignment-580x300.jpg");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, halves_jpeg(580, 300)).unwrap();
    let options = gazette_wordpress::import::ImportOptions {
        media: Some(gazette_wordpress::import::media::MediaFolders {
            uploads: uploads.path().to_owned(),
            media: gazette_media::MediaStore::directory(app.media_dir()),
        }),
        ..gazette_wordpress::import::ImportOptions::default()
    };
    let theme_data = root.join("theme-test-data/themeunittestdata.wordpress.xml");
    let report = gazette_wordpress::import::import_wxr(
        &app.store,
        &theme_data,
        &options,
        std::sync::Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    assert_eq!(report.copied_media, 1, "{}", report.text());
    // The variants job runs once the import has committed.
    let path = "2013/03/image-alignment-580x300.jpg".to_owned();
    let mut item = None;
    for _ in 0..200 {
        item = app
            .store
            .media_by_paths(std::slice::from_ref(&path))
            .await
            .unwrap()
            .pop();
        if item
            .as_ref()
            .is_some_and(|m: &Media| !m.variant_widths.is_empty())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let item = item.unwrap();
    assert!(!item.variant_widths.is_empty(), "variants were made");
    app.caught_up().await;

    // "Markup: Image Alignment" shows the image with `wp-image-906`, an id the export's
    // attachments do not have: it is found by its address. "Block: Gallery" shows it with
    // `wp-image-967`, the attachment the import copied.
    let alignment = images_of(&app, 1177).await;
    assert_eq!(alignment.len(), 2, "{alignment:#?}");
    assert!(
        alignment
            .iter()
            .any(|tag| tag.starts_with("class=\"size-full wp-image-906 aligncenter\"")),
        "classes kept: {alignment:#?}"
    );
    let gallery = images_of(&app, 1752).await;
    assert!(
        gallery
            .iter()
            .any(|tag| tag.contains("class=\"wp-image-967\"")),
        "{gallery:#?}"
    );
    for tag in alignment.iter().chain(&gallery) {
        assert!(
            tag.contains(&format!("srcset=\"{}\"", item.srcset())),
            "each gets its sizes: {tag}"
        );
    }
    assert!(
        alignment
            .iter()
            .all(|tag| tag.contains("sizes=\"(max-width: 580px) 100vw, 580px\"")),
        "sizes from the width the body gives: {alignment:#?}"
    );
}

/// The `<img>` tags (their attributes) of an article's page that show the copied image.
async fn images_of(app: &TestApp, id: i64) -> Vec<String> {
    let path = app.published_path(gazette_core::ArticleId(id)).await;
    let html = app.page_text(&app.client, &path).await;
    html.split("<img ")
        .skip(1)
        .map(|rest| rest[..rest.find('>').unwrap()].to_owned())
        .filter(|tag| tag.contains("image-alignment-580x300"))
        .collect()
}
