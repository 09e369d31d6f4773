//! A password reset that left the old sessions and application passwords working: whoever
//! had taken over an account kept it after the owner or an administrator reset the password.
//! Now a reset (by `gazette user reset-password`, an administrator, or the emailed link)
//! ends every session and revokes every application password of that person, and a person
//! changing their own password chooses what else ends, told what stays valid.

use std::io::Write as _;
use std::process::{Command, Stdio};

use gazette_core::Role;
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{Backend, TestApp, TestOptions, csrf_of};
use reqwest::Method;

use super::support::ApiClient;

gazette_testkit::on_both_backends!(
    a_reset_from_the_command_line_ends_sessions_and_app_passwords,
    an_administrator_setting_a_password_ends_sessions_and_app_passwords,
    a_reset_by_email_revokes_app_passwords_too,
    changing_ones_own_password_says_what_stays_valid,
);

const PASSWORD: &str = "a long enough password";
const NEW_PASSWORD: &str = "an entirely new password";

/// A member of staff signed in on a browser, with an application password in use.
struct Victim {
    browser: reqwest::Client,
    person: gazette_core::Person,
}

async fn victim(app: &TestApp) -> (Victim, ApiClient<'_>) {
    let person = app.add_staff("Vic", Role::Author, PASSWORD).await;
    let browser = gazette_testkit::client();
    assert_eq!(
        app.sign_in(&browser, person.email.as_str(), PASSWORD)
            .await
            .status(),
        303
    );
    let api = ApiClient::of(app, &person).await;
    assert_eq!(
        api.send(Method::GET, "/wp-json/wp/v2/users/me", None)
            .await
            .0,
        200
    );
    (Victim { browser, person }, api)
}

async fn signed_in(app: &TestApp, browser: &reqwest::Client) -> bool {
    browser
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .status()
        == 200
}

async fn assert_locked_out(app: &TestApp, victim: &Victim, api: &ApiClient<'_>) {
    assert!(!signed_in(app, &victim.browser).await, "the session ended");
    let (status, body) = api.send(Method::GET, "/wp-json/wp/v2/users/me", None).await;
    assert_eq!(status, 401, "the application password is revoked: {body}");
}

async fn a_reset_from_the_command_line_ends_sessions_and_app_passwords(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (victim, api) = victim(&app).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["user", "reset-password", "--password-stdin", "--email"])
        .arg(victim.person.email.as_str())
        .arg("--database")
        .arg(app.database_url())
        .arg("--data")
        .arg(app.data_dir())
        .env_remove("GAZETTE_ADMIN_PASSWORD")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{NEW_PASSWORD}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("signed out 1 session(s) and revoked 1 application password(s)"),
        "{stderr}"
    );
    assert_locked_out(&app, &victim, &api).await;
    app.shutdown().await;
}

async fn an_administrator_setting_a_password_ends_sessions_and_app_passwords(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (victim, api) = victim(&app).await;
    let admin = app.admin_client().await;
    let path = format!("/admin/people/{}/password", victim.person.id);
    let page = app.page_text(&admin, &path).await;
    assert!(
        page.contains("1 session and 1 application password"),
        "{page}"
    );
    let response = admin
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("1 session(s) ended and 1 application password(s) revoked")
    );
    assert_locked_out(&app, &victim, &api).await;
    let fresh = gazette_testkit::client();
    let response = app
        .sign_in(&fresh, victim.person.email.as_str(), NEW_PASSWORD)
        .await;
    assert_eq!(response.status(), 303, "the new password works");
    app.shutdown().await;
}

async fn a_reset_by_email_revokes_app_passwords_too(backend: Backend) {
    let sink = SmtpSink::start().await;
    let mut publication = gazette_core::Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            publication: Some(publication),
            smtp_port: Some(sink.port),
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let (victim, api) = victim(&app).await;
    let owner = gazette_testkit::client();
    let form = app.page_text(&owner, "/admin/forgot").await;
    owner
        .post(app.url("/admin/forgot"))
        .form(&[
            ("email", victim.person.email.as_str()),
            ("csrf", &csrf_of(&form)),
        ])
        .send()
        .await
        .unwrap();
    let link = super::support::link_in(&sink.wait_for(1).await);
    let page = app.page_text(&owner, &link).await;
    let response = owner
        .post(app.url(&link))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("password", NEW_PASSWORD),
            ("confirm", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_locked_out(&app, &victim, &api).await;
    app.shutdown().await;
}

async fn change_own(
    app: &TestApp,
    browser: &reqwest::Client,
    from: &str,
    to: &str,
    boxes: &[(&str, &str)],
) -> String {
    let page = app.page_text(browser, "/admin/account").await;
    let mut fields = vec![
        ("csrf", csrf_of(&page)),
        ("current", from.to_owned()),
        ("password", to.to_owned()),
        ("confirm", to.to_owned()),
    ];
    fields.extend(boxes.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let response = browser
        .post(app.url("/admin/account/password"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    app.page_text(browser, &location).await
}

async fn changing_ones_own_password_says_what_stays_valid(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (victim, api) = victim(&app).await;
    let laptop = gazette_testkit::client();
    app.sign_in(&laptop, victim.person.email.as_str(), PASSWORD)
        .await;
    let page = app.page_text(&laptop, "/admin/account").await;
    assert!(
        page.contains("1 other session now") && page.contains("(tests)"),
        "offered: {page}"
    );

    // Nothing ticked: the phone stays signed in and the app keeps working, and the page says so.
    let page = change_own(&app, &laptop, PASSWORD, NEW_PASSWORD, &[]).await;
    assert!(
        page.contains(
            "Your other sessions stay signed in and your application passwords stay valid"
        )
    );
    assert!(signed_in(&app, &victim.browser).await);
    assert_eq!(
        api.send(Method::GET, "/wp-json/wp/v2/users/me", None)
            .await
            .0,
        200
    );

    // Both ticked: only this browser is left.
    let page = change_own(
        &app,
        &laptop,
        NEW_PASSWORD,
        PASSWORD,
        &[("end_sessions", "1"), ("revoke_app_passwords", "1")],
    )
    .await;
    assert!(
        page.contains(
            "your other sessions are signed out and your application passwords are revoked"
        ),
        "{page}"
    );
    assert_locked_out(&app, &victim, &api).await;
    assert!(
        signed_in(&app, &laptop).await,
        "this browser stays signed in"
    );
    app.shutdown().await;
}
