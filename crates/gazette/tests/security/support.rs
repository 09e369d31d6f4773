//! What several findings' tests share: a form read back as a browser would submit it, and an
//! application-password client for the REST API.

use gazette_core::{Media, MediaId, Person};
use gazette_testkit::TestApp;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The fields the first `<form>` whose opening tag contains `marker` submits as it stands:
/// inputs (checkboxes and radios only when checked), textareas and selected options, the
/// buttons left out. Enough HTML for Gazette's own templates, which quote every attribute.
pub fn form_fields(page: &str, marker: &str) -> Vec<(String, String)> {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("no form with {marker}"));
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        let Some(name) = attribute(tag, "name") else {
            continue;
        };
        if tag.starts_with("input") {
            let kind = attribute(tag, "type").unwrap_or_default();
            let checked = tag.contains(" checked");
            if kind == "submit" || (matches!(kind.as_str(), "checkbox" | "radio") && !checked) {
                continue;
            }
            fields.push((name, attribute(tag, "value").unwrap_or_default()));
        } else if tag.starts_with("textarea") {
            let content = &rest[tag_end + 1..];
            let end = content.find("</textarea>").unwrap();
            // As HTML reads it: a newline straight after the tag is not part of the value.
            let value = &content[..end];
            fields.push((name, unescape(value.strip_prefix('\n').unwrap_or(value))));
        } else if tag.starts_with("select") {
            let options = &rest[tag_end..rest.find("</select>").unwrap()];
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| options.split("<option").nth(1));
            let value = chosen
                .and_then(|o| attribute(o, "value"))
                .unwrap_or_default();
            fields.push((name, value));
        }
    }
    fields
}

/// `fields` with `name` set to `value` (added when absent).
pub fn with(mut fields: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_owned(), value.to_owned()));
    fields
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// A member of staff's application password, for the REST API.
pub struct ApiClient<'a> {
    app: &'a TestApp,
    user: String,
    secret: String,
}

impl<'a> ApiClient<'a> {
    pub async fn of(app: &'a TestApp, person: &Person) -> Self {
        let (_, secret) = gazette_newsroom::app_passwords::create(&app.store, person.id, "tests")
            .await
            .unwrap();
        Self {
            app,
            user: person.email.as_str().to_owned(),
            secret,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .basic_auth(&self.user, Some(&self.secret));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        (status, body)
    }
}

/// Uploads a small PNG through the library's form and returns its record.
pub async fn upload_png(app: &TestApp, http: &reqwest::Client, name: &str) -> Media {
    let csrf = gazette_testkit::csrf_of(&app.page_text(http, "/admin/media/").await);
    let form = Form::new()
        .text("csrf", csrf)
        .part(
            "file",
            Part::bytes(gazette_media::fixtures::plain_png(300, 200)).file_name(name.to_owned()),
        )
        .text("alt", name.to_owned())
        .text("caption", "")
        .text("credit", "");
    let response = http
        .post(app.url("/admin/media/"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{name} uploaded");
    let location = response.headers()["location"].to_str().unwrap();
    let id = location
        .trim_start_matches("/admin/media/")
        .trim_end_matches("?uploaded");
    let id = MediaId(id.parse().unwrap());
    app.store.media(id).await.unwrap().unwrap()
}

/// A cookie-keeping browser whose connections come from `source` (any 127.x.y.z is this
/// machine), without following redirects.
pub fn browser_from(source: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(source.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// The path of the first link to `https://news.example.org` in a message.
pub fn link_in(message: &gazette_testkit::smtp::Received) -> String {
    let text = message.text();
    let at = text.find("https://news.example.org/").unwrap() + "https://news.example.org".len();
    text[at..].split_whitespace().next().unwrap().to_owned()
}
