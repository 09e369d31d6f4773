//! Focal points: the crops listings and social networks show keep the point an editor chose
//! in frame, and a moved point makes new crops under new names.

use std::time::Duration;

use gazette_core::{FocalPoint, MediaId};
use gazette_media::fixtures::halves_jpeg;
use gazette_testkit::{Backend, TestApp, csrf_of};

use super::{upload, uploaded_id, with_variants};

gazette_testkit::on_both_backends!(
    crops_keep_the_focal_point_in_frame,
    focal_points_are_whole_percentages,
);

/// Sends the item's form with its text unchanged and the focal point `across`, `down`.
async fn set_focus(
    app: &TestApp,
    http: &reqwest::Client,
    id: MediaId,
    across: &str,
    down: &str,
) -> reqwest::Response {
    let path = format!("/admin/media/{}", id.0);
    let page = app.page_text(http, &path).await;
    http.post(app.url(&path))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("alt", "Stalls at dawn"),
            ("caption", ""),
            ("credit", ""),
            ("focus_x", across),
            ("focus_y", down),
        ])
        .send()
        .await
        .unwrap()
}

/// The colour in the middle of the image at `url`.
async fn middle_colour(app: &TestApp, url: &str) -> [u8; 3] {
    let response = app.get(url).await;
    assert_eq!(response.status(), 200, "{url}");
    let bytes = response.bytes().await.unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
    image.get_pixel(image.width() / 2, image.height() / 2).0
}

async fn crops_keep_the_focal_point_in_frame(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    // Red on the left half, blue on the right, three times as wide as high: a 16:9 frame
    // cannot hold both halves' middles.
    let id = uploaded_id(
        &upload(
            &app,
            &http,
            "market.jpg",
            halves_jpeg(1800, 600),
            "Market stalls",
        )
        .await,
    );
    let media = with_variants(&app, id).await;
    assert_eq!(
        media.crops_focus,
        Some(FocalPoint::CENTRE),
        "crops come with the sizes"
    );
    let article = app
        .write_article(
            &http,
            &[
                ("headline", "Market day"),
                ("body", "Stalls opened early."),
                ("image_media", &id.0.to_string()),
                ("action", "publish"),
            ],
        )
        .await;
    let centred = media.crops(gazette_core::media::CARD);

    let saved = set_focus(&app, &http, id, "10", "50").await;
    assert_eq!(saved.status(), 303);
    crate::eventually(
        "the crops around the new point",
        Duration::from_secs(10),
        || async {
            let media = app.store.media(id).await.unwrap().unwrap();
            media.crops_focus == Some(FocalPoint { x: 10, y: 50 })
        },
    )
    .await;
    let media = app.store.media(id).await.unwrap().unwrap();
    app.caught_up().await;

    let (_, home) = app.get_text("/").await;
    let card = media.crops(gazette_core::media::CARD);
    let widest = card.last().unwrap();
    assert!(widest.path.ends_with("-1024x576-f10-50.jpg"), "{widest:?}");
    assert!(
        home.contains(&format!("src=\"{}\"", widest.url())),
        "the card: {home}"
    );
    let [red, _, blue] = middle_colour(&app, &widest.url()).await;
    assert!(
        red > 200 && blue < 60,
        "the left (red) half is in the middle of the card"
    );

    let (_, page) = app.get_text(&app.published_path(article).await).await;
    let social = media.crops(gazette_core::media::SOCIAL).pop().unwrap();
    assert!(
        page.contains(&format!(
            "property=\"og:image\" content=\"{}",
            app.url(&social.url())
        )) && page.contains("property=\"og:image:width\" content=\"1142\""),
        "shared links show the social crop: {page}"
    );
    let [red, _, _] = middle_colour(&app, &social.url()).await;
    assert!(red > 200, "the social crop keeps the point too");

    for old in centred {
        super::until_removed(&app, &old.url()).await;
    }
}

async fn focal_points_are_whole_percentages(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let id = uploaded_id(
        &upload(
            &app,
            &http,
            "market.jpg",
            halves_jpeg(800, 400),
            "Market stalls",
        )
        .await,
    );
    for (across, down) in [("101", "50"), ("ten", "50"), ("50", ""), ("-1", "20")] {
        let refused = set_focus(&app, &http, id, across, down).await;
        assert_eq!(refused.status(), 422, "({across}, {down})");
        let text = refused.text().await.unwrap();
        assert!(text.contains("whole percentages from 0 to 100"), "{text}");
    }
    let kept = app.store.media(id).await.unwrap().unwrap();
    assert_eq!(kept.focus, FocalPoint::CENTRE);
    assert_eq!(
        kept.alt, "Market stalls",
        "nothing of a refused form was saved"
    );
    let unchanged = set_focus(&app, &http, id, "", "").await;
    assert_eq!(unchanged.status(), 303, "a form without a point keeps it");
    let item = app
        .page_text(&http, &format!("/admin/media/{}", id.0))
        .await;
    assert!(item.contains("name=\"focus_x\" min=\"0\" max=\"100\" step=\"1\" value=\"50\""));
}
