//! Editors define newsletters in the back office: what each carries and when, who sends it
//! and the footer the law asks for; bad definitions are refused with what is wrong.

use gazette_core::{Cadence, Role};
use gazette_testkit::{Backend, TestApp, client, csrf_of};
use reqwest::StatusCode;

gazette_testkit::on_both_backends!(
    an_editor_defines_a_newsletter_and_changes_it,
    bad_definitions_are_refused_with_what_is_wrong,
    only_editors_and_administrators_manage_newsletters,
);

/// The form's fields for a daily digest of `section` at 07:30, with `changes` applied.
fn fields(section: i64, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("name", "The Morning Briefing"),
        ("slug", ""),
        ("description", "What happened overnight."),
        ("cadence", "daily"),
        ("time", "07:30"),
        ("weekday", "1"),
        ("sender_name", "The Desk"),
        ("sender_email", "desk@news.example.org"),
        ("footer", "1 Press Street, Springfield"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    fields.push(("section".to_owned(), section.to_string()));
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        if !value.is_empty() || *name != "section" {
            fields.push(((*name).to_owned(), (*value).to_owned()));
        }
    }
    fields
}

async fn send(
    app: &TestApp,
    http: &reqwest::Client,
    path: &str,
    fields: Vec<(String, String)>,
) -> reqwest::Response {
    send_form(app, http, path, path, fields).await
}

/// Sends `fields` to `action` with the CSRF token of the page at `page`.
async fn send_form(
    app: &TestApp,
    http: &reqwest::Client,
    page: &str,
    action: &str,
    mut fields: Vec<(String, String)>,
) -> reqwest::Response {
    let csrf = csrf_of(&app.page_text(http, page).await);
    fields.push(("csrf".to_owned(), csrf));
    http.post(app.url(action))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn a_section(app: &TestApp) -> i64 {
    app.store.sections().await.unwrap()[0].id.0
}

async fn an_editor_defines_a_newsletter_and_changes_it(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let editor = client();
    app.add_staff("Ed", Role::Editor, "a long password").await;
    let signed_in = app
        .sign_in(&editor, "ed@example.org", "a long password")
        .await;
    assert_eq!(signed_in.status(), 303);
    let section = a_section(&app).await;

    let added = send(&app, &editor, "/admin/newsletters/", fields(section, &[])).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let list = app
        .page_text(&editor, "/admin/newsletters/?done=saved")
        .await;
    assert!(list.contains("The Morning Briefing"), "{list}");
    assert!(list.contains("A daily digest at 07:30"), "{list}");
    let stored = app.store.newsletters().await.unwrap().remove(0);
    assert_eq!(
        stored.slug.as_str(),
        "the-morning-briefing",
        "made from the name"
    );
    assert_eq!(
        stored.cadence,
        Cadence::Daily {
            minute: 7 * 60 + 30
        }
    );
    assert_eq!(
        stored.sections.iter().map(|s| s.0).collect::<Vec<_>>(),
        [section]
    );
    let public = app.get_text("/newsletters/").await.1;
    assert!(public.contains("The Morning Briefing") && public.contains("every day at 07:30"));

    // A reader asks: the list counts them as awaiting confirmation.
    let email = gazette_core::Email::parse("reader@example.org").unwrap();
    let consent = gazette_store::NewConsent {
        form: "/newsletters/".to_owned(),
        wording: "Yes".to_owned(),
    };
    let id = stored.id;
    app.store
        .write(|tx| Box::pin(async move { tx.request_subscription(&email, &[id], &consent).await }))
        .await
        .unwrap();
    let counts = app.store.newsletter_counts().await.unwrap()[&id];
    assert_eq!((counts.confirmed, counts.pending), (0, 1));

    let path = format!("/admin/newsletters/{}", id.0);
    let by_hand = fields(
        section,
        &[("cadence", "by_hand"), ("name", "Special editions")],
    );
    let changed = send(&app, &editor, &path, by_hand).await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let stored = app.store.newsletter(id).await.unwrap().unwrap();
    assert_eq!(stored.cadence, Cadence::ByHand);
    assert!(
        stored.sections.is_empty(),
        "sent by hand carries no section"
    );
    assert_eq!(stored.name, "Special editions");
    let list = app.page_text(&editor, "/admin/newsletters/").await;
    assert!(list.contains("Sent by hand"), "{list}");

    // Without an SMTP server, nothing can be sent, and nothing is queued.
    let article = app
        .store
        .articles_with_status(gazette_core::Status::Published, 1)
        .await
        .unwrap();
    let send = vec![("article".to_owned(), article[0].id.0.to_string())];
    let refused = send_form(&app, &editor, &path, &format!("{path}/send"), send).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("configure an SMTP server")
    );
    assert!(app.store.issues_of(id).await.unwrap().is_empty());
}

async fn bad_definitions_are_refused_with_what_is_wrong(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = app.admin_client().await;
    let section = a_section(&app).await;
    let cases = [
        (vec![("footer", "")], "postal address"),
        (vec![("name", "  ")], "Give the newsletter a name"),
        (vec![("time", "25:00")], "hours and minutes"),
        (
            vec![("cadence", "weekly"), ("weekday", "9")],
            "day of the weekly digest",
        ),
        (vec![("sender_email", "desk")], "must be an email address"),
        (vec![("section", "")], "Choose the sections"),
        (
            vec![("cadence", "hourly")],
            "Choose what the newsletter carries",
        ),
    ];
    for (changes, says) in cases {
        let refused = send(
            &app,
            &admin,
            "/admin/newsletters/",
            fields(section, &changes),
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{changes:?}"
        );
        let page = refused.text().await.unwrap();
        assert!(page.contains(says), "{changes:?}: {page}");
        assert!(page.contains("Nothing was saved."));
    }
    assert!(
        app.store.newsletters().await.unwrap().is_empty(),
        "nothing half-written"
    );

    assert_eq!(
        send(&app, &admin, "/admin/newsletters/", fields(section, &[]))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let twin = send(&app, &admin, "/admin/newsletters/", fields(section, &[])).await;
    assert_eq!(twin.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twin.text()
            .await
            .unwrap()
            .contains("Another newsletter has the address")
    );
    assert_eq!(app.store.newsletters().await.unwrap().len(), 1);
    let nowhere = send(&app, &admin, "/admin/newsletters/", Vec::new()).await;
    assert_eq!(nowhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing = admin
        .get(app.url("/admin/newsletters/999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn only_editors_and_administrators_manage_newsletters(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let author = client();
    app.add_staff("Al", Role::Author, "a long password").await;
    assert_eq!(
        app.sign_in(&author, "al@example.org", "a long password")
            .await
            .status(),
        303
    );
    let refused = author
        .get(app.url("/admin/newsletters/"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let nav = app.page_text(&author, "/admin/").await;
    assert!(
        !nav.contains("/admin/newsletters/"),
        "no link to what they may not open"
    );
    let admin = app.admin_client().await;
    let nav = app.page_text(&admin, "/admin/").await;
    assert!(nav.contains("/admin/newsletters/"));
}
