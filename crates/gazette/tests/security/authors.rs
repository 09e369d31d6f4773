//! `/wp-json/wp/v2/users` and `/author/{slug}/` listed every account: invited staff who never
//! wrote a line, people deactivated after leaving, editors with no byline. Now readers find
//! only active people with published work; the others keep their bylines, unlinked.

use gazette_core::{Clock as _, Email, Person, Role, SafeHtml, Slug, Status};
use gazette_store::{NewArticle, NewPerson};
use gazette_testkit::{Backend, TestApp};
use serde_json::Value;

gazette_testkit::on_both_backends!(readers_find_only_active_people_with_published_work);

async fn person(app: &TestApp, name: &str, active: bool, invited: bool) -> Person {
    let hash = gazette_core::password::PasswordHasher::cheap_for_tests()
        .hash(&gazette_core::password::NewPassword::parse("a long enough password").unwrap())
        .unwrap();
    let new = NewPerson {
        display_name: name.to_owned(),
        slug: Slug::from_headline(name),
        email: Email::parse(&format!("{}@example.org", name.to_lowercase())).unwrap(),
        role: Role::Author,
        password_hash: (!invited).then_some(hash),
        bio: format!("{name} writes."),
        active,
    };
    app.store
        .write(|tx| Box::pin(async move { tx.insert_person(&new).await }))
        .await
        .unwrap()
}

async fn article_by(app: &TestApp, author: &Person, headline: &str, status: Status) {
    let mut new = NewArticle::draft(headline, "Text.", SafeHtml::from_text("Text."), 3);
    new.authors = vec![author.id];
    new.status = status;
    new.published_at = (status == Status::Published).then(|| app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap();
}

async fn readers_find_only_active_people_with_published_work(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let pat = person(&app, "Pat", true, false).await;
    article_by(&app, &pat, "Pat's report", Status::Published).await;
    let ivy = person(&app, "Ivy", true, true).await;
    let wren = person(&app, "Wren", true, false).await;
    article_by(&app, &wren, "Wren's draft", Status::Draft).await;
    let dora = person(&app, "Dora", false, false).await;
    article_by(&app, &dora, "Dora's last story", Status::Published).await;
    app.caught_up().await;

    let users: Value = app
        .client
        .get(app.url("/wp-json/wp/v2/users?per_page=100"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Pat"), "{names:?}");
    for hidden in [&ivy, &wren, &dora] {
        assert!(!names.contains(&hidden.display_name.as_str()), "{names:?}");
        let one = format!("/wp-json/wp/v2/users/{}", hidden.id);
        assert_eq!(app.get(&one).await.status(), 404, "{one}");
        let archive = format!("/author/{}/", hidden.slug);
        assert_eq!(app.get(&archive).await.status(), 404, "{archive}");
        let feed = format!("/author/{}/feed/", hidden.slug);
        assert_eq!(app.get(&feed).await.status(), 404, "{feed}");
    }
    assert_eq!(
        app.get(&format!("/author/{}/", pat.slug)).await.status(),
        200
    );
    // The authors' sitemap lists the archives that exist, not every byline (it listed Dora's,
    // an address that answers 404).
    let (_, sitemap) = app.get_text("/sitemap-authors.xml").await;
    assert!(
        sitemap.contains(&format!("/author/{}/</loc>", pat.slug)),
        "{sitemap}"
    );
    assert!(
        !sitemap.contains(&format!("/author/{}/", dora.slug)),
        "{sitemap}"
    );

    // Dora's story keeps her byline, without a link to an archive that is gone.
    let listing = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 50)
        .await
        .unwrap();
    let story = listing
        .articles
        .iter()
        .find(|a| a.headline == "Dora's last story")
        .unwrap();
    let page = app
        .page_text(&app.client, &app.published_path(story.id).await)
        .await;
    assert!(page.contains("Dora"), "the byline stays");
    assert!(
        !page.contains(&format!("/author/{}/", dora.slug)),
        "unlinked"
    );
    app.shutdown().await;
}
