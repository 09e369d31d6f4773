//! Writing and publishing on the desk: roles, versions, revisions, previews and the fields of
//! the editor.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_core::{ArticleId, PersonId, Role};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};

use super::{browser, csrf_of, sign_in};

#[path = "desk/calendar.rs"]
mod calendar;
#[path = "desk/dashboard.rs"]
mod dashboard;
#[path = "desk/fields.rs"]
mod fields;
#[path = "desk/previews.rs"]
mod previews;
#[path = "desk/publishing.rs"]
mod publishing;
#[path = "desk/resending.rs"]
mod resending;
#[path = "desk/versions.rs"]
mod versions;

const PASSWORD: &str = "a long enough staff password";

/// The demo journal with its publication in the time zone `zone` (an IANA name), and the zone.
async fn demo_in_zone(
    backend: gazette_testkit::Backend,
    zone: &str,
) -> Option<(TestApp, jiff::tz::TimeZone)> {
    let publication = gazette_core::Publication {
        time_zone: gazette_core::TimeZoneName::parse(zone).unwrap(),
        ..gazette_core::Publication::sample()
    };
    let options = gazette_testkit::TestOptions {
        demo: true,
        publication: Some(publication),
        ..gazette_testkit::TestOptions::default()
    };
    let app = TestApp::spawn_with(backend, options).await?;
    Some((app, jiff::tz::TimeZone::get(zone).unwrap()))
}

/// A member of staff with `role`, signed in on a browser of their own.
pub(super) async fn staff(app: &TestApp, name: &str, role: Role) -> (PersonId, reqwest::Client) {
    let person = app.add_staff(name, role, PASSWORD).await;
    let client = browser();
    let signed_in = sign_in(app, &client, person.email.as_str(), PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    (person.id, client)
}

async fn admin(app: &TestApp) -> reqwest::Client {
    let client = browser();
    assert_eq!(
        sign_in(app, &client, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        303
    );
    client
}

/// Submits the editor form at `path` (from a fresh GET, so with its csrf and version),
/// with `changes` replacing or adding fields.
async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let page = client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    submit_from(app, client, path, &page, changes).await
}

async fn submit_from(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    page: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf_of(page)),
        ("version".into(), field(page, "version")),
        ("headline".into(), field(page, "headline")),
        ("body".into(), textarea(page, "body")),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    client
        .post(app.url(path))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

fn field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    match page.find(&marker) {
        Some(at) => {
            let start = at + marker.len();
            page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&")
        }
        None => String::new(),
    }
}

fn textarea(page: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\" name=\"{id}\" rows=\"18\">");
    match page.find(&marker) {
        Some(at) => {
            let start = at + marker.len();
            let content = &page[start..start + page[start..].find("</textarea>").unwrap()];
            // As HTML reads it: a newline straight after the tag is not part of the value.
            content.strip_prefix('\n').unwrap_or(content).to_owned()
        }
        None => String::new(),
    }
}

fn saved_id(response: &reqwest::Response) -> ArticleId {
    assert_eq!(response.status(), 303, "saved");
    let location = response.headers()["location"].to_str().unwrap();
    let id = location
        .trim_start_matches("/admin/articles/")
        .trim_end_matches("?saved=1");
    ArticleId(id.parse().unwrap())
}
