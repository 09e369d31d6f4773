//! The media library over HTTP on both backends: uploads are recognised by content, cleaned
//! of metadata, resized by a job and featured with their `srcset`; bad uploads are refused
//! with a reason and leave nothing behind; images in use cannot be deleted.
//!
//! The tests are in one module per topic; the helpers they share are here.

use std::time::Duration;

use gazette_core::{Clock as _, Media, MediaId};
use gazette_testkit::{TestApp, csrf_of};
use reqwest::multipart::{Form, Part};

#[path = "media/bucket.rs"]
pub(crate) mod bucket;
#[path = "media/focal_points.rs"]
mod focal_points;
#[path = "media/grid.rs"]
mod grid;
#[path = "media/library.rs"]
mod library;
#[path = "media/rendering.rs"]
mod rendering;
#[path = "media/serving.rs"]
mod serving;
#[path = "media/sweep.rs"]
mod sweep;
#[path = "media/uploads.rs"]
mod uploads;

/// Sends the library's upload form with `bytes` as a file called `name`.
pub(crate) async fn upload(
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

pub(crate) fn uploaded_id(response: &reqwest::Response) -> MediaId {
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

/// Waits for the removal job to have removed `url` (`/media/…`): files go after the unit of
/// work that stopped naming them, through a job.
async fn until_removed(app: &TestApp, url: &str) {
    for _ in 0..200 {
        if app.get(url).await.status() == 404 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} was still served 10 s after it stopped being named");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn month_folder(app: &TestApp) -> String {
    let now = app.clock.now().to_zoned(jiff::tz::TimeZone::UTC);
    format!("{:04}/{:02}", now.year(), now.month())
}

fn field_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("the field") + marker.len();
    let end = page[start..].find('"').expect("its end") + start;
    page[start..end].to_owned()
}
