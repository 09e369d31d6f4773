//! Editorial notes: staff write them under the editor, `@` mentions email the people named and
//! list the note on their dashboard, and readers never see a note, nor do revisions hold one.

use gazette_core::{Publication, Role};
use gazette_testkit::{Backend, TestApp, TestOptions, csrf_of};

use super::desk::staff;

gazette_testkit::on_both_backends!(notes_mention_colleagues_and_stay_in_the_newsroom);

async fn notes_mention_colleagues_and_stay_in_the_newsroom(backend: Backend) {
    let sink = gazette_testkit::smtp::SmtpSink::start().await;
    let mut publication = Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let options = TestOptions {
        publication: Some(publication),
        smtp_port: Some(sink.port),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (_, ann) = staff(&app, "Ann", Role::Editor).await;
    let (_, bob) = staff(&app, "Bob", Role::Author).await;
    let article = app
        .write_article(
            &ann,
            &[
                ("headline", "Budget vote"),
                ("body", "The council met."),
                ("action", "publish"),
            ],
        )
        .await;
    let editor_path = format!("/admin/articles/{}", article.0);
    let editor = app.page_text(&ann, &editor_path).await;
    assert!(
        editor.contains("@bob"),
        "the people one may mention are listed"
    );
    let note = "Check the figures with the treasurer, @bob (and @zed).";
    let added = ann
        .post(app.url(&format!("{editor_path}/notes")))
        .form(&[("csrf", csrf_of(&editor).as_str()), ("note", note)])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let back = added.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, format!("{editor_path}?noted=1&unknown=zed#notes"));
    let editor = app.page_text(&ann, &back).await;
    assert!(
        editor.contains(&format!("<p class=\"note-body\">{note}</p>")),
        "{editor}"
    );
    assert!(editor.contains("no one on the staff is called @zed"));

    let mail = sink.wait_for(1).await;
    assert!(mail.to.iter().any(|to| to == "bob@example.org"));
    let text = mail.text();
    assert!(text.contains("Ann wrote a note on “Budget vote”"), "{text}");
    assert!(text.contains(note));
    assert!(text.contains(&format!("https://news.example.org{editor_path}#notes")));

    let dashboard = app.page_text(&bob, "/admin/").await;
    assert!(
        dashboard.contains("Check the figures with the treasurer"),
        "on Bob's dashboard"
    );
    let own = app.page_text(&ann, "/admin/").await;
    assert!(own.contains("No note of the last two weeks mentions you."));

    // Readers and revisions never hold it.
    let (_, public) = app.get_text(&app.published_path(article).await).await;
    assert!(public.contains("The council met.") && !public.contains("treasurer"));
    for revision in app.store.revisions(article).await.unwrap() {
        assert!(!revision.body_source.contains("treasurer"));
    }

    let empty = ann
        .post(app.url(&format!("{editor_path}/notes")))
        .form(&[("csrf", csrf_of(&editor).as_str()), ("note", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
    let (_, cal) = staff(&app, "Cal", Role::Contributor).await;
    let cal_page = app.page_text(&cal, "/admin/articles/new").await;
    let refused = cal
        .post(app.url(&format!("{editor_path}/notes")))
        .form(&[("csrf", csrf_of(&cal_page).as_str()), ("note", "Sneaky")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(app.store.article_notes(article).await.unwrap().len(), 1);
}
