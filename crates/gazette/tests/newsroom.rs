//! The newsroom's door over HTTP on both backends: signing in and out, sessions, CSRF, the
//! sign-in throttle shared by every node, and HTTPS behind a trusted proxy.

use gazette_testkit::{
    ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, TestOptions, client as browser, csrf_of,
};
use jiff::SignedDuration;

gazette_testkit::on_both_backends!(
    the_desk_needs_a_signed_in_person,
    signing_in_starts_a_session_on_the_desk,
    wrong_passwords_and_unknown_accounts_look_alike,
    forms_without_their_csrf_token_are_refused,
    forms_sent_after_the_session_ended_are_refused_not_redirected,
    staff_change_their_own_password,
    repeated_failures_lock_the_account_on_every_node,
    signing_out_ends_one_or_every_session,
    https_behind_a_trusted_proxy_gets_secure_cookies_and_hsts,
    a_forgotten_password_is_reset_by_an_emailed_link,
    invited_staff_choose_their_password_from_the_email,
    without_mail_the_pages_say_what_to_do_instead,
);

/// An app that sends mail to a fresh SMTP sink, with a known public address for links.
async fn app_with_mail(backend: Backend) -> Option<(TestApp, gazette_testkit::smtp::SmtpSink)> {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let mut publication = gazette_core::Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(backend, options).await?;
    Some((app, sink))
}

/// The path of the first link to this site in a message.
fn link_in(message: &gazette_testkit::smtp::Received) -> String {
    let text = message.text();
    let at = text.find("https://news.example.org/").unwrap() + "https://news.example.org".len();
    text[at..].split_whitespace().next().unwrap().to_owned()
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    post_form_to(app, client, path, path, fields).await
}

/// Opens `page` for its form's token and posts the form to `path`.
async fn post_form_to(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = client
        .get(app.url(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut all = vec![("csrf", csrf_of(&page))];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    client.post(app.url(path)).form(&all).send().await.unwrap()
}

async fn a_forgotten_password_is_reset_by_an_emailed_link(backend: Backend) {
    let Some((app, sink)) = app_with_mail(backend).await else {
        return;
    };
    let signed_in = browser();
    sign_in(&app, &signed_in, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let asked = post_form(&app, &browser(), "/admin/forgot", &[("email", ADMIN_EMAIL)]).await;
    assert_eq!(asked.status(), 200);
    let answer = asked.text().await.unwrap();
    let unknown = post_form(
        &app,
        &browser(),
        "/admin/forgot",
        &[("email", "nobody@example.org")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        answer.contains("If an account has that address")
            && unknown.contains("If an account has that address"),
        "no difference"
    );
    let message = sink.wait_for(1).await;
    assert_eq!(message.to, vec![ADMIN_EMAIL.to_owned()]);
    assert_eq!(message.from, "newsroom@example.org");
    assert!(
        message
            .data
            .contains("Subject: Choose a new password for The Gazette Chronicle"),
        "{}",
        message.data
    );
    let link = link_in(&message);
    assert!(link.starts_with("/admin/password/"), "{link}");
    // Asking again at once sends nothing more. Not a sentinel but a pause: the account is
    // looked up, and any link sent, in a task started after the answer (so that its timing
    // cannot tell whether the account exists), and nothing marks that task's end. A later
    // request's task may finish first (a colleague's reset link, tried as a sentinel, arrived
    // before a duplicate link that a broken limit sent), so no sentinel proves this one done.
    let again = post_form(&app, &browser(), "/admin/forgot", &[("email", ADMIN_EMAIL)]).await;
    assert_eq!(again.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        sink.messages().len(),
        1,
        "one link per account per five minutes; none for unknown addresses"
    );

    // A second link, asked for later; the first must stop working when the second is used.
    let older_link = link.clone();
    app.clock.advance(SignedDuration::from_mins(6));
    post_form(&app, &browser(), "/admin/forgot", &[("email", ADMIN_EMAIL)]).await;
    let message = sink.wait_for(2).await;
    assert_eq!(message.to, vec![ADMIN_EMAIL.to_owned()]);
    let link = link_in(&message);
    assert_ne!(link, older_link);

    let visitor = browser();
    let mismatch = post_form(
        &app,
        &visitor,
        &link,
        &[
            ("password", "the new password 1"),
            ("confirm", "something else"),
        ],
    )
    .await;
    assert_eq!(mismatch.status(), 422);
    let done = post_form(
        &app,
        &visitor,
        &link,
        &[
            ("password", "the new password 1"),
            ("confirm", "the new password 1"),
        ],
    )
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(app.get(&link).await.status(), 410, "a link works once");
    assert_eq!(
        app.get(&older_link).await.status(),
        410,
        "older links die with the old password"
    );
    assert_eq!(
        signed_in
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "signed out everywhere"
    );
    assert_eq!(
        sign_in(&app, &browser(), ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        sign_in(&app, &browser(), ADMIN_EMAIL, "the new password 1")
            .await
            .status(),
        303
    );
    assert_eq!(app.get("/admin/password/not-a-token").await.status(), 410);
}

async fn invited_staff_choose_their_password_from_the_email(backend: Backend) {
    let Some((app, sink)) = app_with_mail(backend).await else {
        return;
    };
    let admin = browser();
    sign_in(&app, &admin, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let invited = post_form_to(
        &app,
        &admin,
        "/admin/people",
        "/admin/people/invite",
        &[
            ("name", "Nadia Rahman"),
            ("email", "nadia@example.org"),
            ("role", "editor"),
        ],
    )
    .await;
    assert_eq!(invited.status(), 200);
    let page = invited.text().await.unwrap();
    assert!(
        page.contains("Invited Nadia Rahman") && page.contains("<td>Invited</td>"),
        "{page}"
    );
    let message = sink.wait_for(1).await;
    assert_eq!(message.to, vec!["nadia@example.org".to_owned()]);
    assert!(
        message
            .text()
            .contains("invited you to join The Gazette Chronicle as editor")
    );
    let link = link_in(&message);
    let nadia = browser();
    let welcome = nadia
        .get(app.url(&link))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(welcome.contains("Welcome: choose your password"));
    assert_eq!(
        sign_in(&app, &browser(), "nadia@example.org", "anything at all")
            .await
            .status(),
        401,
        "no password yet"
    );
    post_form(
        &app,
        &nadia,
        &link,
        &[
            ("password", "nadia's own password"),
            ("confirm", "nadia's own password"),
        ],
    )
    .await;
    assert_eq!(
        sign_in(&app, &nadia, "nadia@example.org", "nadia's own password")
            .await
            .status(),
        303
    );
    let desk = nadia
        .get(app.url("/admin/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(desk.contains("(editor)"));
    // Only administrators manage people.
    assert_eq!(
        nadia
            .get(app.url("/admin/people"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn without_mail_the_pages_say_what_to_do_instead(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let forgot = post_form(&app, &browser(), "/admin/forgot", &[("email", ADMIN_EMAIL)]).await;
    assert_eq!(forgot.status(), 503);
    assert!(
        forgot
            .text()
            .await
            .unwrap()
            .contains("gazette user reset-password")
    );
    let admin = browser();
    sign_in(&app, &admin, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let invite = post_form_to(
        &app,
        &admin,
        "/admin/people",
        "/admin/people/invite",
        &[
            ("name", "X Y"),
            ("email", "x@example.org"),
            ("role", "author"),
        ],
    )
    .await;
    assert_eq!(invite.status(), 422);
    assert!(invite.text().await.unwrap().contains("gazette user add"));
}

/// Opens the sign-in form and submits it; returns the response.
async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.sign_in(client, email, password).await
}

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
        .get(app.url("/admin/?status=draft"))
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
            .get(app.url("/admin/?status=nonsense"))
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

async fn change(
    app: &TestApp,
    client: &reqwest::Client,
    current: &str,
    new: &str,
    confirm: &str,
) -> reqwest::Response {
    // As the form is shown: "sign out my other devices" ticked.
    let fields = [
        ("current", current),
        ("password", new),
        ("confirm", confirm),
        ("end_sessions", "1"),
    ];
    post_form_to(
        app,
        client,
        "/admin/account",
        "/admin/account/password",
        &fields,
    )
    .await
}

async fn staff_change_their_own_password(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (here, elsewhere) = (browser(), browser());
    sign_in(&app, &here, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    sign_in(&app, &elsewhere, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let wrong = change(
        &app,
        &here,
        "not it",
        "a brand new password",
        "a brand new password",
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("current password is not right")
    );
    assert_eq!(
        change(
            &app,
            &here,
            ADMIN_PASSWORD,
            "a brand new password",
            "another one"
        )
        .await
        .status(),
        422
    );
    assert_eq!(
        change(&app, &here, ADMIN_PASSWORD, "short", "short")
            .await
            .status(),
        422
    );
    let done = change(
        &app,
        &here,
        ADMIN_PASSWORD,
        "a brand new password",
        "a brand new password",
    )
    .await;
    assert_eq!(done.status(), 303);
    let page = here
        .get(app.url("/admin/account?done=changed-signed-out"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "this browser stays signed in");
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Your password is changed")
    );
    assert_eq!(
        elsewhere
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "others are signed out"
    );
    assert_eq!(
        sign_in(&app, &browser(), ADMIN_EMAIL, "a brand new password")
            .await
            .status(),
        303
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

// ---------------------------------------------------------------------------------------------
// Writing and publishing

mod desk {
    use gazette_core::{ArticleId, Clock as _, PersonId, Role, Status};
    use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
    use jiff::SignedDuration;
    use std::time::Duration;

    use super::{browser, csrf_of, sign_in};

    gazette_testkit::on_both_backends!(
        an_article_written_and_published_appears_on_the_home_page,
        a_contributor_submits_and_an_editor_publishes,
        roles_are_checked_on_the_server,
        a_second_save_from_an_old_version_is_refused_and_both_texts_kept,
        a_changed_slug_keeps_the_old_url_working,
        an_article_scheduled_in_the_editor_appears_on_time,
        only_a_significant_update_moves_the_updated_time,
        revisions_are_kept_compared_and_restored,
        the_desk_filters_searches_and_acts_in_bulk,
        unpublished_articles_preview_for_staff_and_share_links_only,
        live_preview_and_autosave_speak_to_the_editor_script,
        search_engines_get_the_seo_title_and_description,
        sections_tags_and_html_bodies_are_edited_as_they_are,
    );

    const PASSWORD: &str = "a long enough staff password";

    /// A member of staff with `role`, signed in on a browser of their own.
    async fn staff(app: &TestApp, name: &str, role: Role) -> (PersonId, reqwest::Client) {
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
                page[start..start + page[start..].find("</textarea>").unwrap()].to_owned()
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

    async fn an_article_written_and_published_appears_on_the_home_page(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let response = submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Harbour bridge reopens after repairs"),
                ("standfirst", "Traffic flows again."),
                (
                    "body",
                    "The bridge reopened at dawn.\n\n> “Finally,” said a cyclist.",
                ),
                ("tags", "Transport, Harbour news"),
                ("action", "publish"),
            ],
        )
        .await;
        let id = saved_id(&response);
        let article = app.store.article(id).await.unwrap().unwrap();
        assert_eq!(article.status, Status::Published);
        assert_eq!(
            article.slug.as_str(),
            "harbour-bridge-reopens-after-repairs"
        );
        assert!(
            article.body_html.as_str().contains("<blockquote>"),
            "rendered by the site's renderer"
        );
        assert_eq!(article.tags.len(), 2, "an existing tag and a new one");
        app.caught_up().await;
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("Harbour bridge reopens after repairs"));
        let (status, page) = app.get_text(&app.published_path(id).await).await;
        assert_eq!(status, 200);
        assert!(page.contains("Finally"));
        let editor = client
            .get(app.url(&format!("/admin/articles/{}?saved=1", id)))
            .send()
            .await
            .unwrap();
        assert_eq!(editor.status(), 200);
    }

    async fn a_contributor_submits_and_an_editor_publishes(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let (_, contributor) = staff(&app, "Carla", Role::Contributor).await;
        let (_, editor) = staff(&app, "Eddie", Role::Editor).await;
        let refused = submit(
            &app,
            &contributor,
            "/admin/articles/new",
            &[("headline", "Council minutes"), ("action", "publish")],
        )
        .await;
        assert_eq!(refused.status(), 403, "contributors cannot publish");
        let page = contributor
            .get(app.url("/admin/articles/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !page.contains("value=\"publish\""),
            "and are not offered the button"
        );
        let id = saved_id(
            &submit(
                &app,
                &contributor,
                "/admin/articles/new",
                &[("headline", "Council minutes"), ("action", "submit")],
            )
            .await,
        );
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().status,
            Status::PendingReview
        );
        let pending = editor
            .get(app.url("/admin/?status=pending_review"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            pending.contains("Council minutes"),
            "the editor sees it waiting"
        );
        let path = format!("/admin/articles/{id}");
        saved_id(&submit(&app, &editor, &path, &[("action", "publish")]).await);
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().status,
            Status::Published
        );
        // Published, it is no longer the contributor's to edit.
        assert_eq!(
            contributor
                .get(app.url(&path))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
    }

    async fn roles_are_checked_on_the_server(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let (_, author) = staff(&app, "Ada", Role::Author).await;
        let (_, other) = staff(&app, "Otto", Role::Author).await;
        let id = saved_id(
            &submit(
                &app,
                &author,
                "/admin/articles/new",
                &[("headline", "Ada's draft")],
            )
            .await,
        );
        let path = format!("/admin/articles/{id}");
        assert_eq!(
            other.get(app.url(&path)).send().await.unwrap().status(),
            403,
            "not another author's"
        );
        // Even a hand-made form with a valid token of its own session is refused.
        let mine = other
            .get(app.url("/admin/articles/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let forged = submit_from(
            &app,
            &other,
            &path,
            &mine,
            &[("headline", "Hijacked"), ("action", "publish")],
        )
        .await;
        assert_eq!(forged.status(), 403);
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().headline,
            "Ada's draft"
        );
        // The author may publish their own.
        saved_id(&submit(&app, &author, &path, &[("action", "publish")]).await);
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().status,
            Status::Published
        );
        // Without the form's token nothing is saved.
        let no_token = author
            .post(app.url(&path))
            .form(&[("headline", "x"), ("action", "trash")])
            .send()
            .await
            .unwrap();
        assert_eq!(no_token.status(), 403);
    }

    async fn a_second_save_from_an_old_version_is_refused_and_both_texts_kept(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let (first, second) = (admin(&app).await, admin(&app).await);
        let id = saved_id(
            &submit(
                &app,
                &first,
                "/admin/articles/new",
                &[("headline", "Shared story"), ("body", "Original.")],
            )
            .await,
        );
        let path = format!("/admin/articles/{id}");
        let first_page = first
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let second_page = second
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        app.clock.advance(SignedDuration::from_secs(1));
        saved_id(
            &submit_from(
                &app,
                &first,
                &path,
                &first_page,
                &[("body", "First editor's text.")],
            )
            .await,
        );
        let refused = submit_from(
            &app,
            &second,
            &path,
            &second_page,
            &[("body", "Second editor's text.")],
        )
        .await;
        assert_eq!(refused.status(), 409);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Someone else saved this article"));
        assert!(
            html.contains("Second editor&#39;s text.") || html.contains("Second editor's text."),
            "their own text is kept in the form"
        );
        assert!(
            html.contains("First editor&#39;s text.") || html.contains("First editor's text."),
            "the saved text is shown"
        );
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().body_source,
            "First editor's text."
        );
        // Saving again from the page they were shown now works.
        saved_id(&submit_from(&app, &second, &path, &html, &[("body", "Merged text.")]).await);
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().body_source,
            "Merged text."
        );
    }

    async fn a_changed_slug_keeps_the_old_url_working(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[("headline", "Old name"), ("action", "publish")],
            )
            .await,
        );
        let old = app.published_path(id).await;
        saved_id(
            &submit(
                &app,
                &client,
                &format!("/admin/articles/{id}"),
                &[("slug", "new-name")],
            )
            .await,
        );
        let new = app.published_path(id).await;
        assert_ne!(old, new);
        app.caught_up().await;
        let response = app.get(&old).await;
        assert_eq!(response.status(), 301, "{old}");
        assert_eq!(response.headers()["location"], new.as_str());
        assert_eq!(app.get(&new).await.status(), 200);
        let reserved = submit(
            &app,
            &client,
            &format!("/admin/articles/{id}"),
            &[("slug", "wp-admin")],
        )
        .await;
        assert_eq!(reserved.status(), 422);
        assert!(reserved.text().await.unwrap().contains("reserved"));
    }

    async fn an_article_scheduled_in_the_editor_appears_on_time(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let past = submit(
            &app,
            &client,
            "/admin/articles/new",
            &[
                ("headline", "Too late"),
                ("action", "schedule"),
                ("publish_at", "2020-01-01T08:00"),
            ],
        )
        .await;
        assert_eq!(past.status(), 422, "a time in the past is refused");
        let at =
            (app.clock.now() + SignedDuration::from_hours(2)).to_zoned(jiff::tz::TimeZone::UTC);
        let when = at.strftime("%Y-%m-%dT%H:%M").to_string();
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[
                    ("headline", "Morning briefing"),
                    ("action", "schedule"),
                    ("publish_at", &when),
                ],
            )
            .await,
        );
        assert_eq!(
            app.store.article(id).await.unwrap().unwrap().status,
            Status::Scheduled
        );
        app.clock.advance(SignedDuration::from_hours(2));
        app.node().jobs.wake();
        for _ in 0..200 {
            if app.store.article(id).await.unwrap().unwrap().status == Status::Published {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        app.caught_up().await;
        assert!(app.get_text("/").await.1.contains("Morning briefing"));
    }

    async fn only_a_significant_update_moves_the_updated_time(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[("headline", "Typo test"), ("action", "publish")],
            )
            .await,
        );
        let path = format!("/admin/articles/{id}");
        app.clock.advance(SignedDuration::from_mins(10));
        saved_id(&submit(&app, &client, &path, &[("body", "Fixed a typo.")]).await);
        assert_eq!(
            app.store
                .article(id)
                .await
                .unwrap()
                .unwrap()
                .significantly_updated_at,
            None
        );
        saved_id(
            &submit(
                &app,
                &client,
                &path,
                &[("body", "New facts."), ("significant", "1")],
            )
            .await,
        );
        assert_eq!(
            app.store
                .article(id)
                .await
                .unwrap()
                .unwrap()
                .significantly_updated_at,
            Some(app.clock.now())
        );
    }

    async fn revisions_are_kept_compared_and_restored(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let draft = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[
                    ("headline", "Budget story"),
                    ("body", "Line one.\nLine two."),
                ],
            )
            .await,
        );
        assert!(
            app.store.revisions(draft).await.unwrap().is_empty(),
            "drafts keep no revisions"
        );
        let path = format!("/admin/articles/{draft}");
        saved_id(&submit(&app, &client, &path, &[("action", "publish")]).await);
        app.clock.advance(SignedDuration::from_secs(1));
        saved_id(
            &submit(
                &app,
                &client,
                &path,
                &[("body", "Line one.\nLine 2, corrected.")],
            )
            .await,
        );
        let revisions = app.store.revisions(draft).await.unwrap();
        assert_eq!(revisions.len(), 2, "one per save while published");
        let first = revisions[1].id;

        let list = client
            .get(app.url(&format!("{path}/revisions")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("Compare with now") && list.contains("Compare with the next"));
        let diff = client
            .get(app.url(&format!("{path}/revisions/{}", first.0)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            diff.contains(
                "class=\"diff-removed\"><span class=\"visually-hidden\">Removed: </span>Line two."
            ),
            "{diff}"
        );
        assert!(diff.contains(
            "class=\"diff-added\"><span class=\"visually-hidden\">Added: </span>Line 2, corrected."
        ));
        assert_eq!(
            client
                .get(app.url(&format!("{path}/revisions/{}?against=999999", first.0)))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

        let csrf = csrf_of(&diff);
        let restored = client
            .post(app.url(&format!("{path}/revisions/{}/restore", first.0)))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(restored.status(), 303);
        let article = app.store.article(draft).await.unwrap().unwrap();
        assert_eq!(article.body_source, "Line one.\nLine two.");
        assert!(
            article.body_html.as_str().contains("Line two."),
            "re-rendered"
        );
        assert_eq!(
            app.store.revisions(draft).await.unwrap().len(),
            3,
            "restoring is a save too"
        );
    }

    async fn the_desk_filters_searches_and_acts_in_bulk(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let (author_id, author) = staff(&app, "Ada", Role::Author).await;
        let mine = saved_id(
            &submit(
                &app,
                &author,
                "/admin/articles/new",
                &[("headline", "Ada's 50% story")],
            )
            .await,
        );
        let client = admin(&app).await;
        let theirs = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[("headline", "Admin's draft")],
            )
            .await,
        );

        let get = |path: &str| {
            let request = client.get(app.url(path));
            async move { request.send().await.unwrap().text().await.unwrap() }
        };
        let by_ada = get(&format!("/admin/?author={}", author_id.0)).await;
        assert!(
            by_ada.contains("Ada&#39;s 50% story") && !by_ada.contains("Admin&#39;s draft"),
            "{by_ada}"
        );
        let search = get("/admin/?q=50%25").await;
        assert!(
            search.contains("Ada&#39;s 50% story") && !search.contains("Prime minister"),
            "% is literal"
        );
        let politics = app
            .store
            .sections()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.slug.as_str() == "politics")
            .unwrap();
        let in_politics = get(&format!("/admin/?section={}", politics.id.0)).await;
        assert!(in_politics.contains("budget fight") && !in_politics.contains("Offshore wind"));
        assert_eq!(
            client
                .get(app.url("/admin/?section=abc"))
                .send()
                .await
                .unwrap()
                .status(),
            400
        );

        // Bulk: the author may trash their own article but not the admin's.
        let desk = author
            .get(app.url("/admin/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let response = author
            .post(app.url("/admin/bulk"))
            .form(&[
                ("csrf", csrf_of(&desk)),
                ("bulk_action", "trash".into()),
                ("article", mine.0.to_string()),
                ("article", theirs.0.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("?done=bulk&changed=1&refused=1")
        );
        assert_eq!(
            app.store.article(mine).await.unwrap().unwrap().status,
            Status::Trashed
        );
        assert_eq!(
            app.store.article(theirs).await.unwrap().unwrap().status,
            Status::Draft
        );
        let trash = get("/admin/?status=trashed").await;
        assert!(trash.contains("Ada&#39;s 50% story"));
        let desk = get("/admin/").await;
        client
            .post(app.url("/admin/bulk"))
            .form(&[
                ("csrf", csrf_of(&desk)),
                ("bulk_action", "restore".into()),
                ("article", mine.0.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            app.store.article(mine).await.unwrap().unwrap().status,
            Status::Draft
        );
    }

    async fn unpublished_articles_preview_for_staff_and_share_links_only(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[
                    ("headline", "Embargoed report"),
                    ("body", "Numbers inside."),
                ],
            )
            .await,
        );
        let preview = format!("/preview/{}", id.0);
        let staff_view = client.get(app.url(&preview)).send().await.unwrap();
        assert_eq!(staff_view.status(), 200);
        assert_eq!(staff_view.headers()["x-robots-tag"], "noindex");
        assert!(staff_view.text().await.unwrap().contains("Numbers inside."));
        assert_eq!(app.get(&preview).await.status(), 404, "not for the public");

        let editor = client
            .get(app.url(&format!("/admin/articles/{}", id.0)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let shared = client
            .post(app.url(&format!("/admin/articles/{}/share", id.0)))
            .form(&[("csrf", csrf_of(&editor))])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "id=\"share-link\" value=\"";
        let at = shared.find(marker).unwrap() + marker.len();
        let link = shared[at..at + shared[at..].find('"').unwrap()].replace("&amp;", "&");
        let anonymous = app.get(&link).await;
        assert_eq!(anonymous.status(), 200, "{link}");
        let text = anonymous.text().await.unwrap();
        assert!(text.contains("Numbers inside."), "{link}: {text}");
        let tampered = link.replace(&format!("/preview/{}", id.0), "/preview/1");
        assert_eq!(
            app.get(&tampered).await.status(),
            404,
            "a link is for one article"
        );
        app.clock.advance(SignedDuration::from_hours(7 * 24 + 1));
        assert_eq!(app.get(&link).await.status(), 404, "links expire");
    }

    async fn live_preview_and_autosave_speak_to_the_editor_script(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let editor = client
            .get(app.url("/admin/articles/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            editor.contains("/editor.js\" defer></script>"),
            "the script is linked"
        );
        let csrf = csrf_of(&editor);
        let rendered = client
            .post(app.url("/admin/render"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("body", "> A *quote*\n\n<script>alert(1)</script>"),
                ("body_format", "markdown"),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            rendered.contains("<blockquote>") && rendered.contains("<em>quote</em>"),
            "{rendered}"
        );
        assert!(!rendered.contains("<script"), "sanitised like any body");
        let forged = client
            .post(app.url("/admin/render"))
            .form(&[("csrf", "x"), ("body", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);

        // Autosave: JSON with the version the next save must name.
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[("headline", "Autosaved draft")],
            )
            .await,
        );
        let path = format!("/admin/articles/{}", id.0);
        let page = client
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        app.clock.advance(SignedDuration::from_secs(1));
        let autosave = client
            .post(app.url(&path))
            .header("x-gazette-autosave", "1")
            .form(&[
                ("csrf", csrf_of(&page)),
                ("version", field(&page, "version")),
                ("headline", "Autosaved draft".into()),
                ("body", "Typed so far".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(autosave.status(), 200);
        let answer: serde_json::Value = autosave.json().await.unwrap();
        let stored = app.store.article(id).await.unwrap().unwrap();
        assert_eq!(stored.body_source, "Typed so far");
        assert_eq!(
            answer["version"],
            stored.updated_at.as_microsecond().to_string()
        );
        // The old version is now stale, and says so in JSON.
        let stale = client
            .post(app.url(&path))
            .header("x-gazette-autosave", "1")
            .form(&[
                ("csrf", csrf_of(&page)),
                ("version", field(&page, "version")),
                ("headline", "Autosaved draft".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 409);
    }

    async fn search_engines_get_the_seo_title_and_description(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[
                    (
                        "headline",
                        "A long headline written for readers of the paper",
                    ),
                    ("seo_title", "Short title for search"),
                    ("seo_description", "What the search result says."),
                    ("action", "publish"),
                ],
            )
            .await,
        );
        app.caught_up().await;
        let (_, html) = app.get_text(&app.published_path(id).await).await;
        assert!(
            html.contains("<title>Short title for search – The Gazette Chronicle</title>"),
            "{html}"
        );
        assert!(
            html.contains("<meta name=\"description\" content=\"What the search result says.\">")
        );
        assert!(html.contains(
            "<h1 class=\"story-headline\">A long headline written for readers of the paper</h1>"
        ));
    }

    async fn sections_tags_and_html_bodies_are_edited_as_they_are(backend: Backend) {
        let Some(app) = TestApp::spawn(backend).await else {
            return;
        };
        let client = admin(&app).await;
        let sections = app.store.sections().await.unwrap();
        let id_of = |slug: &str| {
            sections
                .iter()
                .find(|s| s.slug.as_str() == slug)
                .unwrap()
                .id
                .0
                .to_string()
        };
        let (europe, opinion) = (id_of("europe"), id_of("opinion"));
        let editor = client
            .get(app.url("/admin/articles/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            editor.contains("<datalist id=\"tag-names\">")
                && editor.contains("<option value=\"Transport\">"),
            "tag completion"
        );
        let id = saved_id(
            &submit(
                &app,
                &client,
                "/admin/articles/new",
                &[
                    ("headline", "Filed twice"),
                    ("section", &europe),
                    ("also_in", &opinion),
                ],
            )
            .await,
        );
        let article = app.store.article(id).await.unwrap().unwrap();
        assert_eq!(article.primary_section.unwrap().0.to_string(), europe);
        assert_eq!(
            article
                .further_sections
                .iter()
                .map(|s| s.0.to_string())
                .collect::<Vec<_>>(),
            vec![opinion]
        );

        // An HTML body (imported, or from the API) is edited as HTML, never converted.
        let mut imported = article.clone();
        imported.body_format = gazette_core::BodyFormat::Html;
        imported.body_source = "<p>Imported <b>HTML</b></p>".to_owned();
        app.store
            .write(|tx| Box::pin(async move { tx.update_article(&imported).await }))
            .await
            .unwrap();
        let path = format!("/admin/articles/{}", id.0);
        let page = client
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Body (HTML)") && page.contains("name=\"body_format\" value=\"html\"")
        );
        let edited = "<p>Imported <b>HTML</b>, edited</p>";
        saved_id(
            &submit_from(
                &app,
                &client,
                &path,
                &page,
                &[("body", edited), ("body_format", "html")],
            )
            .await,
        );
        let saved = app.store.article(id).await.unwrap().unwrap();
        assert_eq!(saved.body_format, gazette_core::BodyFormat::Html);
        assert_eq!(saved.body_source, edited);
        assert!(saved.body_html.as_str().contains("<b>HTML</b>, edited"));
    }
}
