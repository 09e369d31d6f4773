//! Every page kind of the public journal, in English and French, passes the Nu HTML checker
//! with zero errors and axe-core in headless Chromium with zero violations; the home, an
//! article, a section and search score 100 in each of Lighthouse's categories on a phone.
//! Phone and desktop screenshots of the home and an article page are left in
//! `target/tmp/screenshots/`.
//!
//! Markup does not depend on the database, so this runs on SQLite only.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_core::{Clock as _, Genre, LanguageTag, Publication, Status, TimeZoneName};
use gazette_store::{ArticleFilter, NewArticle};
use gazette_testkit::{Backend, TestApp, TestOptions};
use jiff::SignedDuration;

#[path = "quality/chromium.rs"]
mod chromium;
#[path = "quality/html.rs"]
mod html;

/// A real image in `app`'s library (file, variants and record), featured on article 1 (the
/// demo's first article); returns its id.
/// An application password of the administrator's, so that its screen lists one.
async fn add_app_password(app: &TestApp) {
    let admin = app
        .store
        .person_by_email(&gazette_core::Email::parse(gazette_testkit::ADMIN_EMAIL).unwrap())
        .await
        .unwrap()
        .unwrap();
    gazette_newsroom::app_passwords::create(&app.store, admin.id, "Newsletter service")
        .await
        .unwrap();
}

async fn add_library_image(app: &TestApp) -> i64 {
    let photo = gazette_media::fixtures::halves_jpeg(1200, 800);
    let prepared = gazette_media::prepare(&photo, &gazette_media::Limits::default()).unwrap();
    let path = "2026/01/harbour.jpg".to_owned();
    let media_store = gazette_media::MediaStore::directory(app.data_dir().join("media"));
    media_store
        .put_new(&path, prepared.bytes.clone().into())
        .await
        .unwrap();
    let new = gazette_store::NewMedia {
        path,
        original_name: "Harbour.jpg".to_owned(),
        format: prepared.format,
        width: prepared.width,
        height: prepared.height,
        byte_size: prepared.bytes.len() as u64,
        animated: false,
        alt: "Boats at dawn".to_owned(),
        caption: "The harbour".to_owned(),
        credit: "Ann Lee".to_owned(),
        uploaded_by: None,
    };
    let media = app
        .store
        .write(|tx| Box::pin(async move { tx.insert_media(&new).await }))
        .await
        .unwrap();
    let mut widths = Vec::new();
    for (width, file) in gazette_media::make_variants(&prepared.bytes, &media).unwrap() {
        media_store
            .put_new(&file.path, file.bytes.into())
            .await
            .unwrap();
        widths.push(width);
    }
    let id = media.id;
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.set_media_variants(id, &widths).await?;
                let article = gazette_core::ArticleId(1);
                let Some(mut featured) = tx.article(article).await? else {
                    return Ok(());
                };
                featured.featured_image = Some(gazette_core::FeaturedImage {
                    src: media.url(),
                    alt: media.alt.clone(),
                    caption: media.caption.clone(),
                    credit: media.credit.clone(),
                    media: Some(id),
                });
                tx.update_article(&featured).await.map(|_| ())
            })
        })
        .await
        .unwrap();
    id.0
}

/// A redirect rule on `app`; returns its id.
async fn add_redirect(app: &TestApp) -> i64 {
    let rule = gazette_core::RedirectRule::parse("/old-page/", "/about/", "301").unwrap();
    app.store
        .write(|tx| Box::pin(async move { tx.insert_redirect(&rule).await }))
        .await
        .unwrap()
        .0
}

/// Paths of every page kind on `app`, plus the protected article's path.
async fn page_kinds(app: &TestApp) -> (Vec<String>, String) {
    add_library_image(app).await;
    // Article, section and home pages then carry the sign-up form.
    let evening = gazette_store::NewNewsletter {
        slug: gazette_core::Slug::parse("evening").unwrap(),
        name: "The Evening Letter".to_owned(),
        description: String::new(),
        cadence: gazette_core::Cadence::ByHand,
        sections: Vec::new(),
        sender_name: "The Desk".to_owned(),
        sender_email: "desk@example.org".to_owned(),
        footer: "1 Press Street".to_owned(),
    };
    gazette_newsroom::newsletters::save(&app.store, None, evening)
        .await
        .unwrap();
    let store = &app.store;
    let all = store
        .published_articles(&ArticleFilter::All, 0, 100)
        .await
        .unwrap()
        .articles;
    let sections = store.sections().await.unwrap();
    let child = sections.iter().find(|s| s.parent.is_some()).unwrap();
    let parent = sections
        .iter()
        .find(|s| Some(s.id) == child.parent)
        .unwrap();
    let tag = store.tags().await.unwrap().into_iter().next().unwrap();
    let author = store.person(all[0].authors[0]).await.unwrap().unwrap();
    let opinion = all.iter().find(|a| a.genre == Genre::Opinion).unwrap();
    let corrected = all.iter().find(|a| !a.corrections.is_empty()).unwrap();
    let year = all[0]
        .published_at
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("/%Y/%m/")
        .to_string();

    // A password-protected and a trashed article.
    let body = "Only for those who know the word.";
    let mut protected = NewArticle::draft(
        "A briefing for subscribers",
        body,
        gazette_render::render_body(gazette_core::BodyFormat::Markdown, body),
        gazette_render::RENDER_VERSION,
    );
    protected.status = Status::Published;
    protected.published_at = Some(app.clock.now() - SignedDuration::from_hours(1));
    protected.password = Some("letmein".to_owned());
    protected.authors = all[0].authors.clone();
    let mut trashed = protected.clone();
    trashed.slug = gazette_core::Slug::parse("withdrawn").unwrap();
    trashed.status = Status::Trashed;
    trashed.password = None;
    let (protected, trashed) = store
        .write(|tx| {
            Box::pin(async move {
                Ok::<_, gazette_store::StoreError>((
                    tx.insert_article(protected).await?,
                    tx.insert_article(trashed).await?,
                ))
            })
        })
        .await
        .unwrap();
    add_comment_thread(store, all[0].id).await;
    let head = store.latest_change_id().await.unwrap();
    app.node().follower.clone().reached(head).await;

    let protected_path = app.article_path(&protected).await;
    let [confirm, preferences] = newsletter_links(app).await;
    let newsletter = store
        .newsletters()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.slug.as_str() == "morning")
        .unwrap()
        .id;
    add_issue(app, newsletter, Some(all[0].id)).await;
    let paths = vec![
        "/newsletters/".to_owned(),
        confirm,
        preferences,
        "/newsletters/morning/1-first/".to_owned(),
        "/".to_owned(),
        "/page/2/".to_owned(),
        app.article_path(&all[0]).await,
        app.article_path(opinion).await,
        app.article_path(corrected).await,
        format!("/category/{}/", parent.slug),
        format!("/category/{}/{}/", parent.slug, child.slug),
        format!("/tag/{}/", tag.slug),
        format!("/author/{}/", author.slug),
        year,
        "/about/".to_owned(),
        "/contact/".to_owned(),
        "/no-such-page/".to_owned(),
        "/page/0/".to_owned(),
        app.article_path(&trashed).await,
        protected_path.clone(),
        "/search/".to_owned(),
        "/search/?q=the+budget&section=politics".to_owned(),
        "/search/?q=the&page=2".to_owned(),
        "/search/?q=xylophonist&from=nonsense".to_owned(),
    ];
    (paths, protected_path)
}

/// A newsletter with a reader who asked for it: the pages of its confirmation and
/// preferences links.
async fn newsletter_links(app: &TestApp) -> [String; 2] {
    use gazette_core::newsletter::links::{LinkPurpose, token};
    let newsletter = add_newsletter(app).await;
    let email = gazette_core::Email::parse("reader@example.org").unwrap();
    let consent = gazette_store::NewConsent {
        form: "/newsletters/".to_owned(),
        wording: "Yes".to_owned(),
    };
    let subscriber = app
        .store
        .write(|tx| {
            Box::pin(async move {
                tx.request_subscription(&email, &[newsletter], &consent)
                    .await
            })
        })
        .await
        .unwrap();
    let secret = app.store.server_secret().await.unwrap().unwrap();
    let now = app.clock.now();
    let link = |purpose, route| {
        let token = token(&secret, purpose, subscriber, "reader@example.org", now);
        format!("/newsletters/{route}/{token}")
    };
    [
        link(LinkPurpose::Confirm, "confirm"),
        link(LinkPurpose::Preferences, "preferences"),
    ]
}

/// A daily newsletter; its id.
async fn add_newsletter(app: &TestApp) -> gazette_core::NewsletterId {
    let new = gazette_store::NewNewsletter {
        slug: gazette_core::Slug::parse("morning").unwrap(),
        name: "The Morning Briefing".to_owned(),
        description: "What happened overnight.".to_owned(),
        cadence: gazette_core::Cadence::Daily { minute: 7 * 60 },
        sections: Vec::new(),
        sender_name: "The Desk".to_owned(),
        sender_email: "desk@example.org".to_owned(),
        footer: "1 Press Street".to_owned(),
    };
    let id = gazette_newsroom::newsletters::save(&app.store, None, new)
        .await
        .unwrap();
    // A confirmed reader, listed on the subscribers page.
    let email = gazette_core::Email::parse("reader@example.org").unwrap();
    let consent = gazette_store::NewConsent {
        form: "/newsletters/".to_owned(),
        wording: "Yes".to_owned(),
    };
    app.store
        .write(|tx| {
            Box::pin(async move {
                let reader = tx.request_subscription(&email, &[id], &consent).await?;
                tx.confirm_subscriber(reader).await
            })
        })
        .await
        .unwrap();
    id
}

/// An issue of `newsletter` on its way, carrying `article`; the path of its sending page.
async fn add_issue(
    app: &TestApp,
    newsletter: gazette_core::NewsletterId,
    article: Option<gazette_core::ArticleId>,
) -> String {
    let issue = gazette_store::NewIssue {
        newsletter,
        slug: "1-first".to_owned(),
        subject: "The first issue".to_owned(),
        article,
        html: "<p>Hello</p>".to_owned(),
        text: "Hello".to_owned(),
        subscribers_only: false,
    };
    let queued = gazette_newsroom::newsletters::issues::send(&app.store, issue)
        .await
        .unwrap();
    format!(
        "/admin/newsletters/{}/issues/{}",
        newsletter.0, queued.issue.0
    )
}

/// A comment with a link and a quote, and a staff reply to it, under `article`.
async fn add_comment_thread(store: &gazette_store::Store, article: gazette_core::ArticleId) {
    let text = "I disagree, see <a href=\"https://example.org/\">this</a>.\n\n<blockquote>A quote</blockquote>";
    let comment = gazette_store::NewComment {
        article,
        parent: None,
        depth: 0,
        status: gazette_core::CommentStatus::Approved,
        kind: gazette_core::CommentKind::Comment,
        author_name: "Reader <One>".to_owned(),
        author_email: "reader@example.org".to_owned(),
        author_url: "https://reader.example.org/".to_owned(),
        author_ip: Some("203.0.113.7".to_owned()),
        user_agent: String::new(),
        person: None,
        body: text.to_owned(),
        body_html: gazette_render::render_comment(text),
        score: 0,
        reasons: Vec::new(),
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
        answered: None,
    };
    store
        .write(|tx| {
            Box::pin(async move {
                let parent = tx.insert_comment(&comment).await?.id();
                let reply = gazette_store::NewComment {
                    parent: Some(parent),
                    depth: 1,
                    author_name: "The Editor".to_owned(),
                    author_url: String::new(),
                    body: "Thank you.".to_owned(),
                    body_html: gazette_render::render_comment("Thank you."),
                    ..comment
                };
                tx.insert_comment(&reply).await
            })
        })
        .await
        .unwrap();
}

async fn french_app() -> TestApp {
    let mut publication = Publication::sample();
    publication.name = "Le Courrier du Soir".to_owned();
    publication.language = LanguageTag::parse("fr").unwrap();
    publication.time_zone = TimeZoneName::parse("Europe/Paris").unwrap();
    let options = TestOptions {
        demo: true,
        publication: Some(publication),
        ..TestOptions::default()
    };
    TestApp::spawn_with(Backend::Sqlite, options).await.unwrap()
}
