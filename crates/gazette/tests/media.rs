//! The media library over HTTP on both backends: uploads are recognised by content, cleaned
//! of metadata, resized by a job and featured with their `srcset`; bad uploads are refused
//! with a reason and leave nothing behind; images in use cannot be deleted.

use std::time::Duration;

use gazette_core::{Clock as _, Media, MediaId, Role};
use gazette_media::fixtures::{EXIF_SECRET, halves_jpeg, png_bomb, with_exif};
use gazette_testkit::{Backend, TestApp, client, csrf_of};
use reqwest::multipart::{Form, Part};

gazette_testkit::on_both_backends!(
    an_upload_is_cleaned_resized_and_featured_with_its_srcset,
    bad_uploads_are_refused_and_leave_nothing_behind,
    images_in_use_cannot_be_deleted,
    the_library_is_searched_and_described_within_roles,
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
            media_dir: app.media_dir(),
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

/// Sends the library's upload form with `bytes` as a file called `name`.
async fn upload(
    app: &TestApp,
    http: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
    alt: &str,
) -> reqwest::Response {
    let csrf = csrf_of(&app.page_text(http, "/admin/media/").await);
    let form = Form::new()
        .text("csrf", csrf)
        .part("file", Part::bytes(bytes).file_name(name.to_owned()))
        .text("alt", alt.to_owned())
        .text("caption", "")
        .text("credit", "Photo: Ann Lee");
    http.post(app.url("/admin/media/"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn uploaded_id(response: &reqwest::Response) -> MediaId {
    assert_eq!(response.status(), 303, "uploaded");
    let location = response.headers()["location"].to_str().unwrap();
    let id = location
        .trim_start_matches("/admin/media/")
        .trim_end_matches("?uploaded");
    MediaId(id.parse().unwrap())
}

/// Waits for the variants job to have recorded its sizes.
async fn with_variants(app: &TestApp, id: MediaId) -> Media {
    for _ in 0..200 {
        let media = app.store.media(id).await.unwrap().unwrap();
        if !media.variant_widths.is_empty() {
            return media;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the variants of media {id:?} were not made within 10 s");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn month_folder(app: &TestApp) -> String {
    let now = app.clock.now().to_zoned(jiff::tz::TimeZone::UTC);
    format!("{:04}/{:02}", now.year(), now.month())
}

async fn an_upload_is_cleaned_resized_and_featured_with_its_srcset(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    // A phone's portrait photograph: stored landscape with "rotate 90°" in its EXIF, with the
    // owner's name and a GPS position.
    let photo = with_exif(&halves_jpeg(2000, 1000), 6);
    let response = upload(&app, &http, "Harbour Photo.JPG", photo, "Boats at dawn").await;
    let id = uploaded_id(&response);

    let media = with_variants(&app, id).await;
    let folder = month_folder(&app);
    assert_eq!(media.path, format!("{folder}/harbour-photo.jpg"));
    assert_eq!((media.width, media.height), (1000, 2000), "turned upright");
    assert_eq!(media.variant_widths, [320, 640]);
    assert_eq!(media.credit, "Photo: Ann Lee");

    let served = http.get(app.url(&media.url())).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let bytes = served.bytes().await.unwrap();
    assert!(!contains(&bytes, EXIF_SECRET), "metadata is stripped");
    assert!(!contains(&bytes, b"Exif"), "no EXIF block at all");
    let variant = http
        .get(app.url(&format!("/media/{folder}/harbour-photo-640x1280.jpg")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        variant.status(),
        200,
        "variants are named as WordPress names them"
    );
    let small = image::load_from_memory(&variant.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (640, 1280));

    // Featured on an article through the editor, by choosing it from the library.
    let editor = app.page_text(&http, "/admin/articles/new").await;
    assert!(
        editor.contains(&format!("<option value=\"{}\"", id.0)),
        "the editor offers the library"
    );
    app.write_article(
        &http,
        &[
            ("headline", "Boats return to the harbour"),
            ("body", "The fleet is back."),
            ("image_media", &id.0.to_string()),
            ("action", "publish"),
        ],
    )
    .await;
    let articles = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 1)
        .await
        .unwrap()
        .articles;
    let article = &articles[0];
    let image = article.featured_image.clone().unwrap();
    assert_eq!(
        (image.src.as_str(), image.alt.as_str(), image.media),
        (media.url().as_str(), "Boats at dawn", Some(id)),
        "the library's address and text"
    );
    app.caught_up().await;
    let path = app.published_path(article.id).await;
    let public = client().get(app.url(&path)).send().await.unwrap();
    assert_eq!(public.status(), 200);
    let html = public.text().await.unwrap();
    let srcset = format!(
        "srcset=\"/media/{folder}/harbour-photo-320x640.jpg 320w, \
         /media/{folder}/harbour-photo-640x1280.jpg 640w, /media/{folder}/harbour-photo.jpg 1000w\""
    );
    assert!(
        html.contains(&srcset),
        "the article lists every size: {html}"
    );
    assert!(html.contains("width=\"1000\" height=\"2000\""));
    // Shown inside a body too: the editor offers its code, and the page gives it its sizes.
    let editor = app.page_text(&http, "/admin/articles/new").await;
    let snippet = format!("![Boats at dawn]({})", media.url());
    assert!(
        editor.contains(&snippet),
        "the editor offers the image's code"
    );
    app.write_article(
        &http,
        &[
            ("headline", "The fleet in pictures"),
            ("body", &format!("Dawn:\n\n{snippet}\n")),
            ("action", "publish"),
        ],
    )
    .await;
    app.caught_up().await;
    let inline = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 1)
        .await
        .unwrap()
        .articles
        .remove(0);
    let html = client()
        .get(app.url(&app.published_path(inline.id).await))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let inline_srcset = srcset.replace("srcset=", "");
    let tag_start = format!("<img src=\"{}\"", media.url());
    let tag = html
        .split(tag_start.as_str())
        .nth(1)
        .map(|rest| &rest[..rest.find('>').unwrap()])
        .unwrap_or_else(|| panic!("the body's image: {html}"));
    assert!(
        tag.contains(&format!("srcset={inline_srcset}")),
        "the body's image lists every size: {tag}"
    );
    let home = client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains(&srcset), "and so does its card");
}

async fn bad_uploads_are_refused_and_leave_nothing_behind(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let jpeg = halves_jpeg(400, 200);
    let cases: [(&str, Vec<u8>, u16, &str); 5] = [
        (
            "report.jpg",
            b"%PDF-1.7 a document dressed as a photograph".to_vec(),
            415,
            "not a JPEG, PNG, WebP or GIF image",
        ),
        ("bomb.png", png_bomb(), 413, "at most 50000000 pixels"),
        (
            "cut.jpg",
            jpeg[..jpeg.len() / 3].to_vec(),
            422,
            "damaged or truncated",
        ),
        ("empty.jpg", Vec::new(), 422, "Choose an image file"),
        (
            "drawing.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            415,
            "not a JPEG, PNG, WebP or GIF image",
        ),
    ];
    for (name, bytes, status, message) in cases {
        let response = upload(&app, &http, name, bytes, "").await;
        assert_eq!(response.status(), status, "{name}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{name}: {html}");
        assert!(html.contains("Nothing was kept."), "{name}");
    }

    // Without the form's token, or from a contributor: refused.
    let form = Form::new().part("file", Part::bytes(jpeg.clone()).file_name("x.jpg"));
    let forged = http
        .post(app.url("/admin/media/"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let contributor = app
        .add_staff("Carla", Role::Contributor, "a long password")
        .await;
    let carla = client();
    app.sign_in(&carla, contributor.email.as_str(), "a long password")
        .await;
    assert_eq!(
        carla
            .get(app.url("/admin/media/"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // Larger than the request limit: refused before it is read in full (last, since the
    // connection it used is closed). The server answers
    // and closes the connection while the client may still be sending, so the client sees
    // either that answer or the closed connection.
    let csrf = csrf_of(&app.page_text(&http, "/admin/media/").await);
    let huge = Form::new().text("csrf", csrf).part(
        "file",
        Part::bytes(vec![0xFF; 27 * 1024 * 1024]).file_name("huge.jpg"),
    );
    match http
        .post(app.url("/admin/media/"))
        .multipart(huge)
        .send()
        .await
    {
        Ok(response) => {
            assert_eq!(response.status(), 413);
            assert!(response.text().await.unwrap().contains("larger than 25 MB"));
        }
        Err(error) => assert!(error.is_request(), "{error}"),
    }

    assert_eq!(app.store.media_library("", 0, 10).await.unwrap().total, 0);
    let folder = app.data_dir().join("media").join(month_folder(&app));
    let left: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "no file was kept: {left:?}");
}

async fn images_in_use_cannot_be_deleted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let id = uploaded_id(
        &upload(
            &app,
            &http,
            "council.png",
            gazette_media::fixtures::plain_png(900, 600),
            "The council",
        )
        .await,
    );
    let media = with_variants(&app, id).await;
    let saved = app
        .write_article(
            &http,
            &[
                ("headline", "Council votes"),
                (
                    "body",
                    &format!("The chamber:\n\n![The chamber]({})", media.url()),
                ),
                ("action", "save"),
            ],
        )
        .await;

    let item = app
        .page_text(&http, &format!("/admin/media/{}", id.0))
        .await;
    assert!(
        item.contains("Council votes"),
        "the page lists where it is used"
    );
    let refused = http
        .post(app.url(&format!("/admin/media/{}/delete", id.0)))
        .form(&[("csrf", csrf_of(&item))])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 409);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("nothing was deleted")
    );
    assert!(app.store.media(id).await.unwrap().is_some());

    // Once the article no longer shows it, it goes, files and all.
    let article_path = format!("/admin/articles/{}", saved.0);
    let editor = app.page_text(&http, &article_path).await;
    let version = field_value(&editor, "version");
    let cleared = http
        .post(app.url(&article_path))
        .form(&[
            ("csrf", csrf_of(&editor).as_str()),
            ("version", &version),
            ("headline", "Council votes"),
            ("body", "No picture today."),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 303);
    let deleted = http
        .post(app.url(&format!("/admin/media/{}/delete", id.0)))
        .form(&[("csrf", csrf_of(&item))])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    assert!(app.store.media(id).await.unwrap().is_none());
    for path in media.file_paths() {
        let gone = client()
            .get(app.url(&format!("/media/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404, "{path}");
    }
}

async fn the_library_is_searched_and_described_within_roles(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let id = uploaded_id(&upload(&app, &http, "IMG_0001.jpeg", halves_jpeg(300, 200), "").await);
    let library = app.page_text(&http, "/admin/media/").await;
    assert!(
        library.contains("No text alternative"),
        "missing alt text is flagged"
    );
    let item = app
        .page_text(&http, &format!("/admin/media/{}", id.0))
        .await;
    let saved = http
        .post(app.url(&format!("/admin/media/{}", id.0)))
        .form(&[
            ("csrf", csrf_of(&item).as_str()),
            ("alt", "A tram crossing the bridge"),
            ("caption", "Line 4"),
            ("credit", "Ann Lee"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let found = app.page_text(&http, "/admin/media/?q=tram").await;
    assert!(found.contains("IMG_0001.jpeg") && found.contains("1 image matching"));
    let none = app.page_text(&http, "/admin/media/?q=ferry").await;
    assert!(none.contains("0 images matching"));
    // Small images get no variants (nothing narrower is worth making), and no job runs.
    assert_eq!(
        app.store.media(id).await.unwrap().unwrap().variant_widths,
        Vec::<u32>::new()
    );

    // Authors see the library but change only their own uploads.
    let author = app.add_staff("Ann", Role::Author, "a long password").await;
    let ann = client();
    app.sign_in(&ann, author.email.as_str(), "a long password")
        .await;
    let theirs = app.page_text(&ann, &format!("/admin/media/{}", id.0)).await;
    assert!(!theirs.contains("Delete this image"));
    let refused = ann
        .post(app.url(&format!("/admin/media/{}", id.0)))
        .form(&[("csrf", csrf_of(&theirs).as_str()), ("alt", "Vandalised")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(
        app.store.media(id).await.unwrap().unwrap().alt,
        "A tram crossing the bridge"
    );
}

fn field_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("the field") + marker.len();
    let end = page[start..].find('"').expect("its end") + start;
    page[start..end].to_owned()
}
