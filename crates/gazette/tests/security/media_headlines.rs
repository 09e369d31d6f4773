//! The media library named every article using an image to anyone who could upload, others'
//! private and trashed articles included: the same leak as the desk's. Those are now counted,
//! not named, for people who may not list them.

use gazette_core::{Clock as _, Role, SafeHtml, Status};
use gazette_store::NewArticle;
use gazette_testkit::{Backend, TestApp};

use super::support::upload_png;

gazette_testkit::on_both_backends!(an_image_page_names_only_articles_its_reader_may_list);

async fn an_image_page_names_only_articles_its_reader_may_list(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = app.admin_client().await;
    let image = upload_png(&app, &admin, "harbour.png").await;
    let admin_id = app.store.people().await.unwrap()[0].id;
    let body = format!("![Harbour]({})", image.url());
    let mut new = NewArticle::draft("Secret merger talks", &body, SafeHtml::from_text(""), 3);
    new.authors = vec![admin_id];
    new.status = Status::Private;
    new.published_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap();

    let page = format!("/admin/media/{}", image.id.0);
    let seen_by_admin = app.page_text(&admin, &page).await;
    assert!(seen_by_admin.contains("Secret merger talks"));

    let author = app
        .add_staff("Aurora", Role::Author, "a long enough password")
        .await;
    let http = gazette_testkit::client();
    app.sign_in(&http, author.email.as_str(), "a long enough password")
        .await;
    let seen_by_author = app.page_text(&http, &page).await;
    assert!(
        !seen_by_author.contains("Secret merger talks"),
        "{seen_by_author}"
    );
    assert!(seen_by_author.contains("1 other article(s) or revision(s) you cannot open"));
    app.shutdown().await;
}
