//! Share (preview) links could not be listed or revoked, and kept working when the article
//! was trashed: a link sent to the wrong person stayed good for a week. Now each link is
//! recorded, listed on the article's share page, revocable there, and none works while the
//! article is in the trash.

use gazette_core::{ArticleId, Role};
use gazette_testkit::{Backend, TestApp, csrf_of};

gazette_testkit::on_both_backends!(share_links_are_listed_revoked_and_die_with_the_trash);

const PASSWORD: &str = "a long enough password";

/// Makes a share link from the editor and returns its path.
async fn make_link(app: &TestApp, editor: &reqwest::Client, id: ArticleId) -> String {
    let page = app
        .page_text(editor, &format!("/admin/articles/{id}"))
        .await;
    let shared = editor
        .post(app.url(&format!("/admin/articles/{id}/share")))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "id=\"share-link\" value=\"";
    let at = shared.find(marker).expect("the new link is shown") + marker.len();
    shared[at..at + shared[at..].find('"').unwrap()].replace("&amp;", "&")
}

async fn anonymous_status(app: &TestApp, path: &str) -> u16 {
    gazette_testkit::client()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn share_links_are_listed_revoked_and_die_with_the_trash(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let person = app.add_staff("Edna", Role::Editor, PASSWORD).await;
    let editor = gazette_testkit::client();
    app.sign_in(&editor, person.email.as_str(), PASSWORD).await;
    let id = app
        .write_article(&editor, &[("headline", "Embargoed"), ("body", "Figures.")])
        .await;

    let first = make_link(&app, &editor, id).await;
    let second = make_link(&app, &editor, id).await;
    assert_eq!(anonymous_status(&app, &first).await, 200);
    assert_eq!(anonymous_status(&app, &second).await, 200);

    // Both are listed, with who made them; revoking the first kills it alone.
    let share_page = format!("/admin/articles/{id}/share");
    let list = app.page_text(&editor, &share_page).await;
    let revokes: Vec<&str> = list.split("/revoke\"").collect();
    assert_eq!(revokes.len(), 3, "two links listed: {list}");
    assert!(list.contains("Edna"));
    let first_revoke = format!(
        "{share_page}/{}/revoke",
        revokes[0].rsplit('/').next().unwrap()
    );
    let response = editor
        .post(app.url(&first_revoke))
        .form(&[("csrf", csrf_of(&list))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(anonymous_status(&app, &first).await, 404, "revoked");
    assert_eq!(
        anonymous_status(&app, &second).await,
        200,
        "the other still works"
    );
    let list = app
        .page_text(&editor, &format!("{share_page}?done=revoked"))
        .await;
    assert_eq!(list.matches("/revoke\"").count(), 1);

    // A signed link of the old kind is not a share link.
    let old = format!("/preview/{id}?expires=9999999999&token=00");
    assert_eq!(anonymous_status(&app, &old).await, 404);

    // In the trash, no link opens the article.
    let page = app
        .page_text(&editor, &format!("/admin/articles/{id}"))
        .await;
    let version = {
        let marker = "name=\"version\" value=\"";
        let at = page.find(marker).unwrap() + marker.len();
        page[at..at + page[at..].find('"').unwrap()].to_owned()
    };
    let response = editor
        .post(app.url(&format!("/admin/articles/{id}")))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("version", version.as_str()),
            ("headline", "Embargoed"),
            ("body", "Figures."),
            ("action", "trash"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(anonymous_status(&app, &second).await, 404, "trashed");
    app.shutdown().await;
}
