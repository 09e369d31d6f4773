//! Application passwords made, shown and revoked in the back office.

use gazette_testkit::{Backend, TestApp};
use reqwest::StatusCode;

/// The back office makes application passwords (shown once), shows when each was last used,
/// and revokes them; a revoked password no longer opens the API.
async fn application_passwords_are_managed_in_the_back_office(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = gazette_testkit::client();
    app.sign_in(
        &http,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    let screen = "/admin/account/app-passwords";
    let page = app.page_text(&http, screen).await;
    assert!(
        page.contains("You have no application passwords."),
        "{page}"
    );
    let csrf = gazette_testkit::csrf_of(&page);
    let make = |name: &str| {
        http.post(app.url(screen))
            .form(&[("csrf", csrf.as_str()), ("name", name)])
            .send()
    };
    let refused = make("  ").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let made = make("Newsletter service").await.unwrap();
    assert_eq!(made.status(), StatusCode::OK);
    let page = made.text().await.unwrap();
    let start = page.find("<code class=\"secret\">").unwrap() + "<code class=\"secret\">".len();
    let secret = page[start..start + 29].to_owned();
    assert_eq!(secret.split(' ').count(), 6, "{secret}");
    assert!(
        !app.page_text(&http, screen).await.contains(&secret),
        "shown once"
    );

    // The password opens the API, and its use is noted.
    let me = format!("http://{}/wp-json/wp/v2/users/me", app.address);
    let use_it = || {
        app.client
            .get(&me)
            .basic_auth(gazette_testkit::ADMIN_EMAIL, Some(&secret))
            .send()
    };
    assert_eq!(use_it().await.unwrap().status(), StatusCode::OK);
    let admin = app
        .store
        .person_by_email(&gazette_core::Email::parse(gazette_testkit::ADMIN_EMAIL).unwrap())
        .await
        .unwrap()
        .unwrap();
    let passwords = app.store.app_passwords(admin.id).await.unwrap();
    assert_eq!(passwords.len(), 1);
    assert!(passwords[0].last_used_at.is_some());
    assert!(!app.page_text(&http, screen).await.contains("Never"));

    // Revoked, it is refused.
    let revoke = http
        .post(app.url(&format!("{screen}/{}/revoke", passwords[0].id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::SEE_OTHER);
    let refused = use_it().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    // Without the form's token nothing is revoked or made.
    let forged = http
        .post(app.url(screen))
        .form(&[("name", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(app.store.app_passwords(admin.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn application_passwords_are_managed_in_the_back_office_on_sqlite() {
    application_passwords_are_managed_in_the_back_office(Backend::Sqlite).await;
}

#[tokio::test]
#[cfg_attr(
    not(gazette_test_database_url),
    ignore = "needs GAZETTE_TEST_DATABASE_URL (see README)"
)]
async fn application_passwords_are_managed_in_the_back_office_on_postgres() {
    application_passwords_are_managed_in_the_back_office(Backend::Postgres).await;
}
