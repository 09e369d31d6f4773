//! The media library: images in use cannot be deleted; searching and describing images
//! within roles.

use gazette_core::Role;
use gazette_media::fixtures::halves_jpeg;
use gazette_testkit::{Backend, TestApp, client, csrf_of};

use super::{field_value, upload, uploaded_id, with_variants};

gazette_testkit::on_both_backends!(
    images_in_use_cannot_be_deleted,
    the_library_is_searched_and_described_within_roles,
);

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
        super::until_removed(&app, &format!("/media/{path}")).await;
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
    assert!(found.contains("IMG_0001.jpeg") && found.contains("1 image found"));
    let none = app.page_text(&http, "/admin/media/?q=ferry").await;
    assert!(none.contains("0 images found"));
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
