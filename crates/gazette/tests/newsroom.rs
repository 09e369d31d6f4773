//! The newsroom over HTTP on both backends: its door (signing in and out, sessions, CSRF, the
//! sign-in throttle shared by every node, HTTPS behind a trusted proxy, passwords) and the
//! desk where articles are written and published.
//!
//! The tests are in one module per topic; the helper they share is here.

use gazette_testkit::{TestApp, client as browser, csrf_of};

#[path = "newsroom/converting.rs"]
mod converting;
#[path = "newsroom/desk.rs"]
mod desk;
#[path = "newsroom/embeds.rs"]
mod embeds;
#[path = "newsroom/notes.rs"]
mod notes;
#[path = "newsroom/passwords.rs"]
mod passwords;
#[path = "newsroom/sessions.rs"]
mod sessions;
#[path = "newsroom/together.rs"]
mod together;

/// Opens the sign-in form and submits it; returns the response.
async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.sign_in(client, email, password).await
}
