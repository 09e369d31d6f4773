//! Newsletters for readers, over HTTP on both backends, with mail caught by the SMTP sink:
//! the double opt-in, links that change nothing on GET, preferences without an account,
//! RFC 8058's one-click unsubscribe, and the suppression list.

use gazette_core::{Cadence, NewsletterId, Publication, SectionId, Slug};
use gazette_store::NewNewsletter;
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp, TestOptions};

#[path = "newsletters/cluster.rs"]
mod cluster;
#[path = "newsletters/defining.rs"]
mod defining;
#[path = "newsletters/following.rs"]
mod following;
#[path = "newsletters/in_chromium.rs"]
mod in_chromium;
#[path = "newsletters/privacy.rs"]
mod privacy;
#[path = "newsletters/roster.rs"]
mod roster;
#[path = "newsletters/sending.rs"]
mod sending;
#[path = "newsletters/signing.rs"]
mod signing;
#[path = "newsletters/subscribing.rs"]
mod subscribing;
#[path = "newsletters/webhooks.rs"]
mod webhooks;

const BASE: &str = "https://news.example.org";

/// The demo journal with mail going to `sink`, its address known (links need it).
async fn journal(backend: Backend, sink: &SmtpSink) -> Option<TestApp> {
    let mut publication = Publication::sample();
    publication.base_url = Some(format!("{BASE}/").parse().unwrap());
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    TestApp::spawn_with(backend, options).await
}

async fn add_newsletter(app: &TestApp, slug: &str, cadence: Cadence) -> NewsletterId {
    add_newsletter_for(app, slug, cadence, Vec::new()).await
}

/// A newsletter carrying `sections`.
async fn add_newsletter_for(
    app: &TestApp,
    slug: &str,
    cadence: Cadence,
    sections: Vec<SectionId>,
) -> NewsletterId {
    let new = NewNewsletter {
        slug: Slug::parse(slug).unwrap(),
        name: format!("The {slug} briefing"),
        description: format!("What happened, every {slug}."),
        cadence,
        sections,
        sender_name: "The Desk".to_owned(),
        sender_email: "desk@news.example.org".to_owned(),
        footer: "1 Press Street, Springfield".to_owned(),
    };
    let id = gazette_newsroom::newsletters::save(&app.store, None, new)
        .await
        .unwrap();
    // Pages and the editor offer it once the node has seen the change.
    app.caught_up().await;
    id
}

/// The value of the hidden `form_token` field on `/newsletters/`.
fn form_token(page: &str) -> String {
    let at = page.find("name=\"form_token\" value=\"").expect(page) + 25;
    page[at..].split('"').next().unwrap().to_owned()
}

/// The path of the first link under `prefix` in a mail's text.
fn link(message: &str, prefix: &str) -> String {
    let start = format!("{BASE}{prefix}");
    let at = message.find(&start).expect(message) + BASE.len();
    message[at..].split_whitespace().next().unwrap().to_owned()
}
