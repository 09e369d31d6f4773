//! Signing in and out, sessions, CSRF, the sign-in throttle shared by every node, and HTTPS
//! behind a trusted proxy.

use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, TestOptions, csrf_of};
use jiff::SignedDuration;

use super::{browser, sign_in};

gazette_testkit::on_both_backends!(
    the_desk_needs_a_signed_in_person,
    signing_in_starts_a_session_on_the_desk,
    wrong_passwords_and_unknown_accounts_look_alike,
    forms_without_their_csrf_token_are_refused,
    forms_sent_after_the_session_ended_are_refused_not_redirected,
    repeated_failures_lock_the_account_on_every_node,
    signing_out_ends_one_or_every_session,
    https_behind_a_trusted_proxy_gets_secure_cookies_and_hsts,
    the_navigation_is_grouped_and_shows_what_each_role_may_open,
);

async fn the_desk_needs_a_signed_in_person(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.get("/admin/?status=draft").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/admin/sign-in?next=%2Fadmin%2F%3Fstatus%3Ddraft"
    );
    let forged = app
        .client
        .get(app.url("/admin/"))
        .header("cookie", format!("gazette_session={}", "a".repeat(64)))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 303, "an unknown token is no session");
}

async fn signing_in_starts_a_session_on_the_desk(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = browser();
    let response = sign_in(&app, &client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin/");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("gazette_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");

    let desk = client.get(app.url("/admin/")).send().await.unwrap();
    assert_eq!(desk.status(), 200);
    assert_eq!(desk.headers()["cache-control"], "private, no-store");
    let html = desk.text().await.unwrap();
    assert!(
        html.contains("Prime minister calls snap election"),
        "the desk lists the articles"
    );
    assert!(html.contains("(administrator)"));
    let drafts = client
        .get(app.url("/admin/articles?status=draft"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        drafts.contains("No articles here."),
        "the demo has no drafts"
    );
    assert_eq!(
        client
            .get(app.url("/admin/articles?status=nonsense"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    // Signed-in staff see the public site fresh, past the page cache.
    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["cache-control"], "private, no-store");
    // Signing in again while signed in goes straight to the desk.
    let again = client.get(app.url("/admin/sign-in")).send().await.unwrap();
    assert_eq!(again.status(), 303);
}

async fn wrong_passwords_and_unknown_accounts_look_alike(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let wrong = sign_in(&app, &browser(), ADMIN_EMAIL, "not the password").await;
    let unknown = sign_in(&app, &browser(), "nobody@example.org", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    let message = "That email address and password do not match an account.";
    assert!(wrong.contains(message) && unknown.contains(message));
    assert!(
        wrong.contains(&format!("value=\"{ADMIN_EMAIL}\"")),
        "the email is kept in the form"
    );
}

async fn forms_sent_after_the_session_ended_are_refused_not_redirected(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = browser();
    let response = client
        .post(app.url("/admin/articles/1"))
        .form(&[("headline", "typed for an hour"), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        403,
        "no redirect that would drop the text"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You are signed out")
    );
}

async fn forms_without_their_csrf_token_are_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = browser();
    // The sign-in form's token must match its cookie.
    client.get(app.url("/admin/sign-in")).send().await.unwrap();
    let forged = client
        .post(app.url("/admin/sign-in"))
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    // A signed-in person's forms carry their session's token.
    sign_in(&app, &client, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let out = client
        .post(app.url("/admin/sign-out"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 403);
    assert_eq!(
        client
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "still signed in"
    );
}

async fn repeated_failures_lock_the_account_on_every_node(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // On PostgreSQL the failures are spread over two nodes: the counters are shared.
    let other = match backend {
        Backend::Postgres => Some(app.spawn_beside(TestOptions::default()).await),
        Backend::Sqlite => None,
    };
    for n in 0..8 {
        let node = match (&other, n % 2) {
            (Some(other), 1) => other,
            _ => &app,
        };
        let response = sign_in(node, &browser(), ADMIN_EMAIL, "wrong").await;
        assert_eq!(response.status(), 401, "failure {n}");
    }
    let locked = sign_in(&app, &browser(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(locked.status(), 429, "locked even with the right password");
    assert!(
        locked
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins")
    );
    app.clock.advance(SignedDuration::from_mins(16));
    let after = sign_in(&app, &browser(), ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(after.status(), 303, "the lock ends");
    let state = app
        .store
        .sign_in_throttle(&format!("account:{ADMIN_EMAIL}"))
        .await
        .unwrap();
    assert_eq!(
        state, None,
        "a successful sign-in clears the account's failures"
    );
    if let Some(other) = other {
        other.shutdown().await;
    }
}

async fn signing_out_ends_one_or_every_session(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (laptop, phone) = (browser(), browser());
    sign_in(&app, &laptop, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    sign_in(&app, &phone, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let desk = laptop
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let out = laptop
        .post(app.url("/admin/sign-out"))
        .form(&[("csrf", csrf_of(&desk))])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(
        laptop
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "the laptop is signed out"
    );
    assert_eq!(
        phone.get(app.url("/admin/")).send().await.unwrap().status(),
        200,
        "the phone is not"
    );

    sign_in(&app, &laptop, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let desk = phone
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let everywhere = phone
        .post(app.url("/admin/sign-out-everywhere"))
        .form(&[("csrf", csrf_of(&desk))])
        .send()
        .await
        .unwrap();
    assert_eq!(everywhere.status(), 303);
    assert_eq!(
        laptop
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        phone.get(app.url("/admin/")).send().await.unwrap().status(),
        303
    );
}

async fn https_behind_a_trusted_proxy_gets_secure_cookies_and_hsts(backend: Backend) {
    // Without trusted proxies a client cannot claim HTTPS.
    let Some(plain) = TestApp::spawn(backend).await else {
        return;
    };
    let forged = plain
        .client
        .get(plain.url("/"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(forged.headers().get("strict-transport-security").is_none());
    plain.shutdown().await;

    let options = TestOptions {
        demo: true,
        trusted_proxies: vec!["127.0.0.1/32".to_owned()],
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(backend, options).await.unwrap();
    let client = browser();
    let proxied = client
        .get(app.url("/"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        proxied.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let form = client
        .get(app.url("/admin/sign-in"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = client
        .post(app.url("/admin/sign-in"))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("csrf", &csrf_of(&form)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("gazette_session="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

/// The back office's links in their groups, for each role: a contributor writes, an editor
/// also runs the site and talks with readers, an administrator also manages people and
/// settings.
async fn the_navigation_is_grouped_and_shows_what_each_role_may_open(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let password = "a long enough staff password";
    let groups = |html: &str| -> Vec<(String, Vec<String>)> {
        let nav = &html[html.find("class=\"admin-nav\"").unwrap()..html.find("</nav>").unwrap()];
        nav.split("class=\"nav-group-name\"")
            .skip(1)
            .map(|group| {
                let name =
                    group[group.find('>').unwrap() + 1..group.find("</span>").unwrap()].to_owned();
                let links = group
                    .split("<a href=\"")
                    .skip(1)
                    .map(|link| link[..link.find('"').unwrap()].to_owned())
                    .collect();
                (name, links)
            })
            .collect()
    };
    let contributor = app
        .add_staff("Carla", gazette_core::Role::Contributor, password)
        .await;
    let editor = app
        .add_staff("Eddie", gazette_core::Role::Editor, password)
        .await;
    let mut seen = Vec::new();
    for (email, password) in [
        (contributor.email.as_str(), password),
        (editor.email.as_str(), password),
        (ADMIN_EMAIL, ADMIN_PASSWORD),
    ] {
        let client = browser();
        assert_eq!(sign_in(&app, &client, email, password).await.status(), 303);
        let html = client
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        seen.push(groups(&html));
    }
    let group = |name: &str, links: &[&str]| {
        (
            name.to_owned(),
            links.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        seen[0],
        [
            group(
                "Content",
                &["/admin/", "/admin/articles", "/admin/calendar"]
            ),
            group("Site", &["/"])
        ],
        "a contributor"
    );
    assert_eq!(
        seen[1],
        [
            group(
                "Content",
                &[
                    "/admin/",
                    "/admin/articles",
                    "/admin/calendar",
                    "/admin/media/",
                    "/admin/pages",
                    "/admin/sections",
                    "/admin/tags"
                ]
            ),
            group("Audience", &["/admin/comments/", "/admin/newsletters/"]),
            group(
                "Site",
                &["/admin/home", "/admin/menus", "/admin/redirects/", "/"]
            ),
        ],
        "an editor"
    );
    assert_eq!(
        seen[2],
        [
            group(
                "Content",
                &[
                    "/admin/",
                    "/admin/articles",
                    "/admin/calendar",
                    "/admin/media/",
                    "/admin/pages",
                    "/admin/sections",
                    "/admin/tags"
                ]
            ),
            group(
                "Audience",
                &[
                    "/admin/comments/",
                    "/admin/newsletters/",
                    "/admin/settings/comments"
                ]
            ),
            group(
                "Site",
                &[
                    "/admin/home",
                    "/admin/menus",
                    "/admin/redirects/",
                    "/admin/settings",
                    "/"
                ]
            ),
            group("People", &["/admin/people"]),
        ],
        "an administrator"
    );
}
