//! The review's low findings, one test each.
//!
//! The tests are in one module per topic; the sign-in they share is here.

use gazette_core::Role;
use gazette_testkit::TestApp;

mod articles;
mod file_modes;
mod media;
mod notices;
mod unlock_cookie;

const PASSWORD: &str = "a long enough password";

async fn signed_in(
    app: &TestApp,
    name: &str,
    role: Role,
) -> (reqwest::Client, gazette_core::Person) {
    let person = app.add_staff(name, role, PASSWORD).await;
    let http = gazette_testkit::client();
    let response = app.sign_in(&http, person.email.as_str(), PASSWORD).await;
    assert_eq!(response.status(), 303, "{name} signs in");
    (http, person)
}
