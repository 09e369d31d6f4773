//! Images uploaded through the REST API and the media pipeline.

use gazette_core::Role;
use gazette_testkit::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Writer, answer, published_article};

/// Images are uploaded through the media pipeline, as a raw body or a form, by those who
/// may upload; the library reads like WordPress's attachments.
async fn media_is_uploaded_through_the_pipeline(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = Writer::with_role(&app, Role::Administrator).await;
    let url = format!("http://{}/wp-json/wp/v2/media", app.address);
    let raw = |bytes: Vec<u8>, disposition: Option<&str>| {
        let mut request = app
            .client
            .post(&url)
            .basic_auth(&editor.user, Some(&editor.secret))
            .header("content-type", "image/png")
            .body(bytes);
        if let Some(disposition) = disposition {
            request = request.header("content-disposition", disposition);
        }
        request
    };
    let (status, created) = answer(raw(
        gazette_media::fixtures::plain_png(800, 600),
        Some("attachment; filename=\"harbour.png\""),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["media_type"], "image");
    assert_eq!(created["mime_type"], "image/png");
    assert_eq!(created["media_details"]["width"], 800);
    assert_eq!(created["media_details"]["sizes"]["full"]["width"], 800);
    let source = url::Url::parse(created["source_url"].as_str().unwrap()).unwrap();
    let image = app.get(source.path()).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    let id = created["id"].as_i64().unwrap();
    let stored = app
        .store
        .media(gazette_core::MediaId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.uploaded_by, Some(editor.person.id));

    // A form with a `file` field, its alt text and caption.
    let boundary = "gazette-test-boundary";
    let mut form = Vec::new();
    for (name, value) in [("alt_text", "The harbour at dawn"), ("caption", "Dawn.")] {
        form.extend(
            format!(
                "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    form.extend(
        format!("--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"dawn.png\"\r\ncontent-type: image/png\r\n\r\n").as_bytes(),
    );
    form.extend(gazette_media::fixtures::plain_png(400, 300));
    form.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, from_form) = answer(
        app.client
            .post(&url)
            .basic_auth(&editor.user, Some(&editor.secret))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(form),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{from_form}");
    assert_eq!(from_form["alt_text"], "The harbour at dawn");
    assert_eq!(from_form["caption"]["rendered"], "<p>Dawn.</p>\n");

    // The whole library, newest first, for those who may upload; for anyone else only what
    // published articles feature (the rest may be for stories not out yet).
    let (status, listed) = editor.send(Method::GET, "/wp-json/wp/v2/media", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed[0]["id"], from_form["id"]);
    let (_, public) = answer(app.client.get(&url)).await;
    assert!(
        !public.as_array().unwrap().iter().any(|m| m["id"] == id),
        "{public}"
    );
    let (status, _) = answer(app.client.get(format!("{url}/{id}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let article = published_article(&app).await;
    let (status, _) = editor
        .send(
            Method::PATCH,
            &format!("/wp-json/wp/v2/posts/{}", article.0),
            Some(json!({ "featured_media": id })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, public) = answer(app.client.get(&url)).await;
    assert!(
        public.as_array().unwrap().iter().any(|m| m["id"] == id),
        "{public}"
    );
    let (status, one) = answer(app.client.get(format!("{url}/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], id);

    // What is refused, and why.
    for (request, status, code) in [
        (
            app.client
                .post(&url)
                .header("content-disposition", "attachment; filename=x.png")
                .body(gazette_media::fixtures::plain_png(10, 10)),
            StatusCode::UNAUTHORIZED,
            "rest_cannot_create",
        ),
        (
            raw(gazette_media::fixtures::plain_png(10, 10), None),
            StatusCode::BAD_REQUEST,
            "rest_upload_no_content_disposition",
        ),
        (
            raw(
                b"<?php echo 1; ?>".to_vec(),
                Some("attachment; filename=shell.png"),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "rest_upload_sideload_error",
        ),
        (
            raw(Vec::new(), Some("attachment; filename=empty.png")),
            StatusCode::BAD_REQUEST,
            "rest_upload_no_data",
        ),
    ] {
        let (got, error) = answer(request).await;
        assert_eq!(got, status, "{error}");
        assert_eq!(error["code"], code);
    }
    let (status, missing) = answer(app.client.get(format!("{url}/999999"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["code"], "rest_post_invalid_id");
}

#[tokio::test]
async fn media_is_uploaded_through_the_pipeline_on_sqlite() {
    media_is_uploaded_through_the_pipeline(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn media_is_uploaded_through_the_pipeline_on_postgres() {
    media_is_uploaded_through_the_pipeline(Backend::Postgres).await;
}
