//! The library's grid: narrowed by type and month, several files uploaded at once (a refused
//! one never takes the others with it), and the JSON its scripts and the editor speak.

use gazette_core::Role;
use gazette_media::fixtures::{halves_jpeg, plain_png};
use gazette_testkit::{Backend, TestApp, client, csrf_of};
use reqwest::multipart::{Form, Part};

use super::{month_folder, upload, uploaded_id};

gazette_testkit::on_both_backends!(
    the_grid_is_narrowed_by_type_and_month,
    several_files_upload_at_once_and_a_refused_one_keeps_the_others,
    scripts_upload_and_describe_in_json,
    unused_images_are_those_no_text_names,
);

async fn unused_images_are_those_no_text_names(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let chart =
        uploaded_id(&upload(&app, &http, "chart.png", plain_png(400, 300), "A chart").await);
    uploaded_id(&upload(&app, &http, "quay.jpg", halves_jpeg(400, 300), "The quay").await);
    let chart_url = app.store.media(chart).await.unwrap().unwrap().url();
    let article = app
        .write_article(
            &http,
            &[
                ("headline", "Figures"),
                ("body", &format!("The trend:\n\n![A chart]({chart_url})\n")),
                // A draft keeps no revisions, which would go on naming the chart.
                ("action", "save"),
            ],
        )
        .await;
    app.caught_up().await;
    let unused = app.page_text(&http, "/admin/media/?unused=1").await;
    assert!(
        unused.contains("quay.jpg") && !unused.contains("chart.png"),
        "{unused}"
    );
    assert!(unused.contains("name=\"unused\" value=\"1\" checked"));

    // Once the article no longer shows it, it is unused too.
    let path = format!("/admin/articles/{}", article.0);
    let editor = app.page_text(&http, &path).await;
    let version = super::field_value(&editor, "version");
    let saved = http
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf_of(&editor).as_str()),
            ("version", &version),
            ("headline", "Figures"),
            ("body", "No chart today."),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    app.caught_up().await;
    let unused = app.page_text(&http, "/admin/media/?unused=1").await;
    assert!(
        unused.contains("chart.png") && unused.contains("quay.jpg"),
        "{unused}"
    );
    let refused = http
        .get(app.url("/admin/media/?unused=maybe"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}

async fn the_grid_is_narrowed_by_type_and_month(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    upload(&app, &http, "chart.png", plain_png(400, 300), "A chart").await;
    upload(&app, &http, "quay.jpg", halves_jpeg(400, 300), "The quay").await;
    let pngs = app.page_text(&http, "/admin/media/?type=png").await;
    assert!(
        pngs.contains("chart.png") && !pngs.contains("quay.jpg"),
        "{pngs}"
    );
    assert!(pngs.contains("<option value=\"png\" selected>"));
    let month = month_folder(&app).replace('/', "-");
    let this_month = app
        .page_text(&http, &format!("/admin/media/?month={month}"))
        .await;
    assert!(this_month.contains("chart.png") && this_month.contains("quay.jpg"));
    assert!(this_month.contains(&format!("<option value=\"{month}\" selected>")));
    let long_ago = app.page_text(&http, "/admin/media/?month=1999-01").await;
    assert!(long_ago.contains("0 images found"));
    for (address, message) in [
        (
            "/admin/media/?type=bmp",
            "is not a file type of the library",
        ),
        ("/admin/media/?month=March", "give it as year and month"),
    ] {
        let refused = http.get(app.url(address)).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{address}");
        assert!(refused.text().await.unwrap().contains(message));
    }
}

fn files_form(csrf: String, files: Vec<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new()
        .text("csrf", csrf)
        .text("alt", "One description")
        .text("caption", "")
        .text("credit", "Photo: Ann Lee");
    for (name, bytes) in files {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    form
}

async fn several_files_upload_at_once_and_a_refused_one_keeps_the_others(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let csrf = csrf_of(&app.page_text(&http, "/admin/media/").await);
    let two = files_form(
        csrf.clone(),
        vec![
            ("quay.jpg", halves_jpeg(400, 300)),
            ("chart.png", plain_png(300, 200)),
        ],
    );
    let sent = http
        .post(app.url("/admin/media/"))
        .multipart(two)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    assert_eq!(sent.headers()["location"], "/admin/media/?uploaded=2");
    let all = app
        .store
        .media_library(&Default::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    for media in &all.items {
        assert_eq!(
            media.alt, "",
            "one description is not given to several pictures"
        );
        assert_eq!(media.credit, "Photo: Ann Lee");
    }

    let mixed = files_form(
        csrf,
        vec![
            ("report.jpg", b"%PDF-1.7 not a picture".to_vec()),
            ("pier.jpg", halves_jpeg(400, 300)),
        ],
    );
    let answered = http
        .post(app.url("/admin/media/"))
        .multipart(mixed)
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 415, "the refusal's own status");
    let page = answered.text().await.unwrap();
    assert!(
        page.contains("“report.jpg”: This file is not a JPEG"),
        "{page}"
    );
    assert!(page.contains("Uploaded and kept: “pier.jpg”."), "{page}");
    let all = app
        .store
        .media_library(&Default::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(all.total, 3, "the good file of the form was kept");
}

async fn scripts_upload_and_describe_in_json(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let csrf = csrf_of(&app.page_text(&http, "/admin/media/").await);
    let send = |files: Vec<(&'static str, Vec<u8>)>| {
        let form = files_form(csrf.clone(), files);
        http.post(app.url("/admin/media/"))
            .header("accept", "application/json")
            .multipart(form)
            .send()
    };
    let created = send(vec![("quay.jpg", halves_jpeg(400, 300))])
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let item: serde_json::Value = created.json().await.unwrap();
    let url = item["url"].as_str().unwrap().to_owned();
    assert_eq!(
        item["alt"], "One description",
        "a single file keeps its description"
    );
    assert_eq!(item["markdown"], format!("![One description]({url})"));
    let id = item["id"].as_i64().unwrap();
    assert_eq!(item["edit_url"], format!("/admin/media/{id}"));

    let refused = send(vec![("report.jpg", b"%PDF".to_vec())]).await.unwrap();
    assert_eq!(refused.status(), 415);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert!(
        error["error"].as_str().unwrap().contains("is not a JPEG"),
        "{error}"
    );

    let describe = |fields: Vec<(&'static str, String)>, json: bool| {
        let mut request = http.post(app.url(&format!("/admin/media/{id}")));
        if json {
            request = request.header("accept", "application/json");
        }
        let mut fields = fields;
        fields.push(("csrf", csrf.clone()));
        request.form(&fields).send()
    };
    let saved = describe(vec![("alt", "Boats at the quay".to_owned())], true)
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let saved: serde_json::Value = saved.json().await.unwrap();
    assert_eq!(saved["saved"]["alt"], "Boats at the quay");
    let too_long = describe(vec![("alt", "x".repeat(1001))], true)
        .await
        .unwrap();
    assert_eq!(too_long.status(), 422);
    let error: serde_json::Value = too_long.json().await.unwrap();
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("at most 1,000 characters")
    );

    // The grid's form without JavaScript comes back to the library page it was sent from.
    let from_grid = vec![
        ("alt", "Boats".to_owned()),
        ("return_to", "/admin/media/?type=jpeg&saved=3".to_owned()),
    ];
    let back = describe(from_grid, false).await.unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(
        back.headers()["location"],
        format!("/admin/media/?type=jpeg&saved={id}#media-{id}").as_str()
    );
    let elsewhere = vec![
        ("alt", "Boats".to_owned()),
        ("return_to", "https://example.com/".to_owned()),
    ];
    let back = describe(elsewhere, false).await.unwrap();
    assert_eq!(
        back.headers()["location"],
        format!("/admin/media/{id}?saved").as_str()
    );

    // Someone else's image is not theirs to describe, in JSON too.
    let author = app.add_staff("Ann", Role::Author, "a long password").await;
    let ann = client();
    app.sign_in(&ann, author.email.as_str(), "a long password")
        .await;
    let grid = app.page_text(&ann, "/admin/media/").await;
    assert!(
        grid.contains("quay.jpg") && !grid.contains("class=\"describe-form\""),
        "no form offered"
    );
    let theirs = uploaded_id(&upload(&app, &ann, "own.png", plain_png(300, 200), "").await);
    let grid = app.page_text(&ann, "/admin/media/").await;
    assert!(grid.contains(&format!(
        "action=\"/admin/media/{}\" class=\"describe-form\"",
        theirs.0
    )));
}
