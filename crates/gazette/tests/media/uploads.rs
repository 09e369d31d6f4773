//! Uploads recognised by content, cleaned, resized and featured with their `srcset`; bad
//! uploads refused, leaving nothing behind.

use gazette_core::Role;
use gazette_media::fixtures::{EXIF_SECRET, halves_jpeg, png_bomb, with_exif};
use gazette_testkit::{Backend, TestApp, client, csrf_of};
use reqwest::multipart::{Form, Part};

use super::{contains, month_folder, upload, uploaded_id, with_variants};

gazette_testkit::on_both_backends!(
    an_upload_is_cleaned_resized_and_featured_with_its_srcset,
    bad_uploads_are_refused_and_leave_nothing_behind,
);

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
    // The card's frame is 16:9: it shows the crops made around the (central) focal point.
    let card_srcset = format!(
        "srcset=\"/media/{folder}/harbour-photo-320x180-f50-50.jpg 320w, \
         /media/{folder}/harbour-photo-640x360-f50-50.jpg 640w\""
    );
    assert!(
        home.contains(&card_srcset),
        "its card shows the crops: {home}"
    );
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
        (
            "empty.jpg",
            Vec::new(),
            422,
            "“empty.jpg”: the file is empty.",
        ),
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

    assert_eq!(
        app.store
            .media_library(&Default::default(), 0, 10)
            .await
            .unwrap()
            .total,
        0
    );
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
