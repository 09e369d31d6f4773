//! Low finding: an image used outside articles cannot be deleted.

use gazette_testkit::{Backend, TestApp};

use super::super::support::{form_fields, with};

gazette_testkit::on_both_backends!(media_used_outside_articles_cannot_be_deleted);

/// Sends a form read from `page` (the first whose tag contains `marker`) with `changes`.
async fn resubmit(
    app: &TestApp,
    http: &reqwest::Client,
    page: &str,
    marker: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let text = app.page_text(http, page).await;
    let mut fields = form_fields(&text, marker);
    for (name, value) in changes {
        fields = with(fields, name, value);
    }
    let action = page.split('?').next().unwrap();
    http.post(app.url(action))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

/// An image is in use, and cannot be deleted, when it is the publication's logo or favicon,
/// an author's photo, or in an earlier revision of an article (which a restore would bring
/// back); the refusal names the place. An unused image still goes.
async fn media_used_outside_articles_cannot_be_deleted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let logo = super::super::support::upload_png(&app, &http, "a.png").await;
    let favicon = super::super::support::upload_png(&app, &http, "b.png").await;
    let photo = super::super::support::upload_png(&app, &http, "c.png").await;
    let revised = super::super::support::upload_png(&app, &http, "d.png").await;
    let unused = super::super::support::upload_png(&app, &http, "e.png").await;

    let settings = [("logo", logo.url()), ("favicon", favicon.url())];
    let settings: Vec<(&str, &str)> = settings.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let saved = resubmit(
        &app,
        &http,
        "/admin/settings",
        "action=\"/admin/settings\"",
        &settings,
    )
    .await;
    assert_eq!(saved.status(), 303, "settings saved");
    let saved = resubmit(
        &app,
        &http,
        "/admin/profile",
        "class=\"settings\"",
        &[("photo", &photo.url())],
    )
    .await;
    assert_eq!(saved.status(), 303, "profile saved");
    let body = format!("Before:\n\n![Old picture]({})", revised.url());
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "Harbour story"),
                ("body", &body),
                ("action", "publish"),
            ],
        )
        .await;
    let path = format!("/admin/articles/{id}");
    let edited = resubmit(
        &app,
        &http,
        &path,
        "class=\"editor\"",
        &[("body", "No picture now."), ("action", "publish")],
    )
    .await;
    assert_eq!(edited.status(), 303, "article saved again");
    assert!(
        !app.store
            .article(id)
            .await
            .unwrap()
            .unwrap()
            .body_source
            .contains(&revised.path)
    );

    for (media, place) in [
        (&logo, "Publication logo"),
        (&favicon, "Publication favicon"),
        (&photo, "Author photo"),
        (&revised, "Earlier revision of “Harbour story”"),
    ] {
        let item = format!("/admin/media/{}", media.id.0);
        let page = app.page_text(&http, &item).await;
        assert!(page.contains(place), "the item page names {place}");
        let refused = http
            .post(app.url(&format!("{item}/delete")))
            .form(&[("csrf", gazette_testkit::csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 409, "{place}");
        let text = refused.text().await.unwrap();
        assert!(
            text.contains("nothing was deleted") && text.contains(place),
            "{place}: {text}"
        );
        assert!(
            app.store.media(media.id).await.unwrap().is_some(),
            "{place}"
        );
    }

    let page = app
        .page_text(&http, &format!("/admin/media/{}", unused.id.0))
        .await;
    let deleted = http
        .post(app.url(&format!("/admin/media/{}/delete", unused.id.0)))
        .form(&[("csrf", gazette_testkit::csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    assert!(app.store.media(unused.id).await.unwrap().is_none());
    app.shutdown().await;
}
