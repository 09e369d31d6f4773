//! Passwords: a forgotten one reset by an emailed link, invited staff choosing theirs from
//! the email, what the pages say without mail, and staff changing their own.

use gazette_core::Role;
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, TestOptions, csrf_of};
use jiff::SignedDuration;

use super::{browser, sign_in};

gazette_testkit::on_both_backends!(
    staff_change_their_own_password,
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
    // Asking again at once sends nothing more. The account is looked up after the answer (so
    // that its timing cannot tell whether the account exists); once that work has settled, a
    // colleague's link is queued behind anything it queued, and the runner sends mail in the
    // order it was queued, so the colleague's link is the second message only if the repeated
    // request queued nothing.
    let again = post_form(&app, &browser(), "/admin/forgot", &[("email", ADMIN_EMAIL)]).await;
    assert_eq!(again.status(), 200);
    app.node().state.after_answer().settled().await;
    let colleague = app
        .add_staff("Colette", Role::Editor, "a long enough staff password")
        .await;
    let sentinel = [("email", colleague.email.as_str())];
    post_form(&app, &browser(), "/admin/forgot", &sentinel).await;
    assert_eq!(
        sink.wait_for(2).await.to,
        vec![colleague.email.as_str().to_owned()],
        "one link per account per five minutes; none for unknown addresses"
    );

    // A second link, asked for later; the first must stop working when the second is used.
    let older_link = link.clone();
    app.clock.advance(SignedDuration::from_mins(6));
    post_form(&app, &browser(), "/admin/forgot", &[("email", ADMIN_EMAIL)]).await;
    let message = sink.wait_for(3).await;
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
