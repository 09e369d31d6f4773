//! Two editors on one article in Chromium: the second is told who has it and waits read-only,
//! takes it over, and the first is told within seconds and can no longer change it. And a save
//! refused as outdated shows both versions side by side, merged by choosing per difference.

use std::time::Duration;

use gazette_core::{Clock as _, Role};
use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp};
use serde_json::json;

use super::writing::{body_field, stored_body};
use super::{eventually, fill_and_press, sign_in};

in_chromium_on_both_backends! {
    take_over_and_merge => take_over_and_merge_on_sqlite, take_over_and_merge_on_postgres;
}

async fn state(browser: &Browser) -> serde_json::Value {
    browser
        .execute(
            "return [document.querySelector('.presence-wait').hidden,
                     document.querySelector('.presence-taken').hidden,
                     document.querySelector('form.editor').inert]",
            &[],
        )
        .await
}

async fn take_over_and_merge(backend: Backend) {
    let _serial = browser::exclusive().await;
    let (Some(ann), Some(bob)) = (Browser::start().await, Browser::start().await) else {
        return;
    };
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let id = app
        .write_article(
            &http,
            &[
                ("headline", "Budget vote"),
                ("body", "The council met.\n\nIt voted.\n"),
                // Published, so no draft saves itself in the background meanwhile.
                ("action", "publish"),
            ],
        )
        .await;
    let editor = app.url(&format!("/admin/articles/{}", id.0));
    app.add_staff("Bob", Role::Editor, "a long enough password")
        .await;

    sign_in(&ann, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    ann.goto(&editor).await;
    assert_eq!(state(&ann).await, json!([true, true, false]), "Ann edits");
    app.clock
        .set(app.clock.now() + jiff::SignedDuration::from_secs(1));
    sign_in(&bob, &app, "bob@example.org", "a long enough password").await;
    bob.goto(&editor).await;
    assert_eq!(
        state(&bob).await,
        json!([false, true, true]),
        "Bob waits, read-only"
    );
    assert!(
        bob.find_text(".presence-wait")
            .await
            .contains("has had this article open since")
    );
    assert_eq!(
        bob.axe_violations().await,
        Vec::<String>::new(),
        "the waiting page"
    );

    bob.leave_page_by(
        "document.querySelector('form.take-over button').click()",
        &[],
    )
    .await;
    eventually("Bob's editor, his", Duration::from_secs(10), || async {
        state(&bob).await == json!([true, true, false])
    })
    .await;
    eventually("Ann told", Duration::from_secs(10), || async {
        state(&ann).await == json!([true, false, true])
    })
    .await;
    assert!(
        ann.find_text(".presence-taken")
            .await
            .contains("Bob took this article over")
    );

    // Bob's save is refused when someone saved meanwhile: he merges.
    let mine = "The council met.\n\nIt voted.\n\nBob's line.\n";
    bob.execute(
        "document.getElementById('body').dispatchEvent(new CustomEvent('gazette:replace', { detail: arguments[0] }))",
        &[json!(mine)],
    )
    .await;
    let version = app
        .store
        .article(id)
        .await
        .unwrap()
        .unwrap()
        .updated_at
        .as_microsecond()
        .to_string();
    let theirs = app
        .submit_form(
            &http,
            &format!("/admin/articles/{}", id.0),
            &format!("/admin/articles/{}", id.0),
            &[
                ("version", &version),
                ("headline", "Budget vote"),
                ("body", "The council met on Monday.\n\nIt voted.\n"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(theirs.status(), 303, "saved meanwhile");
    fill_and_press(&bob, &[], "button[value=save]").await;
    assert!(
        bob.find_text("#editor-message")
            .await
            .contains("Someone else saved")
    );
    assert_eq!(
        bob.axe_violations().await,
        Vec::<String>::new(),
        "the merge"
    );
    let script = "for (const input of document.querySelectorAll('.merge-difference input[value=both]')) input.checked = true;
                  document.querySelector('.apply-merge').click();";
    bob.execute(script, &[]).await;
    let merged = body_field(&bob).await;
    assert_eq!(
        merged, "The council met on Monday.\nThe council met.\n\nIt voted.\n\nBob's line.\n",
        "both sides of each difference, theirs first"
    );
    fill_and_press(&bob, &[], "button[value=save]").await;
    assert_eq!(stored_body(&app, id.0).await, merged);
}
