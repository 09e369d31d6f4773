//! Trusted commenters without an oracle. Under the default rule ("approve people with an
//! approved comment") a name and email pair alone published at once, and the answer to the
//! form (a held-comment cookie or not) confirmed whether a guessed email belonged to a known
//! commenter. Now a returning commenter is trusted only with proof (the commenter key their
//! browser was given), and the answer is the same whether a comment is held, published or
//! taken for spam.

use gazette_core::{
    ArticleId, Clock as _, CommentId, CommentPolicy, CommentStatus, ModerationMode,
};
use gazette_store::ArticleFilter;
use gazette_testkit::{Backend, TestApp, TestOptions, client};
use jiff::SignedDuration;
use serde_json::json;

gazette_testkit::on_both_backends!(
    a_name_and_an_email_alone_prove_nothing,
    held_published_and_spam_answers_look_alike,
    a_returning_commenter_is_known_by_their_browser,
    copying_a_published_comment_tells_nothing_about_its_email,
);

const NAME: &str = "Vera Reader";
const EMAIL: &str = "vera@reader.example";

async fn app(backend: Backend, policy: CommentPolicy) -> Option<TestApp> {
    let publication = gazette_core::Publication {
        comments: policy,
        ..gazette_core::Publication::sample()
    };
    TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            publication: Some(publication),
            ..TestOptions::default()
        },
    )
    .await
}

async fn an_article(app: &TestApp) -> ArticleId {
    let listing = app
        .store
        .published_articles(&ArticleFilter::All, 0, 5)
        .await
        .unwrap();
    listing
        .articles
        .into_iter()
        .find(|a| a.password.is_none())
        .unwrap()
        .id
}

/// Fills the form as a reader's browser does: a form token fetched when the form was
/// focused, sent 30 seconds later, with "remember me" ticked.
async fn comment(
    app: &TestApp,
    browser: &reqwest::Client,
    article: ArticleId,
    text: &str,
    email: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let token: serde_json::Value = browser
        .get(app.url("/comments/token"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app.clock.advance(SignedDuration::from_secs(30));
    let mut fields = vec![
        ("comment_post_ID", article.0.to_string()),
        ("comment", text.to_owned()),
        ("author", NAME.to_owned()),
        ("email", email.to_owned()),
        ("url", String::new()),
        ("comment_parent", "0".to_owned()),
        ("wp-comment-cookies-consent", "yes".to_owned()),
        ("form_token", token["token"].as_str().unwrap().to_owned()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    browser
        .post(app.url("/comments/"))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

fn comment_in(response: &reqwest::Response) -> CommentId {
    let location = response.headers()["location"].to_str().unwrap();
    let id = location.rsplit_once("#comment-").expect(location).1;
    CommentId(id.parse().unwrap())
}

async fn status_of(app: &TestApp, id: CommentId) -> CommentStatus {
    app.store.comment(id).await.unwrap().unwrap().status
}

async fn approve(app: &TestApp, id: CommentId) {
    app.store
        .write(|tx| {
            Box::pin(async move { tx.set_comment_status(id, CommentStatus::Approved).await })
        })
        .await
        .unwrap()
        .unwrap();
    app.caught_up().await;
}

/// The shape of an answer: its status, its `Location` without the comment's number, and
/// each cookie's name and attributes without its value.
fn shape(response: &reqwest::Response) -> (u16, String, Vec<String>) {
    let location = response.headers()["location"].to_str().unwrap();
    let location = location
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_owned();
    let mut cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| {
            let text = c.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let name = pair.split('=').next().unwrap();
            format!("{name}=…;{attributes}")
        })
        .collect();
    cookies.sort();
    (response.status().as_u16(), location, cookies)
}

async fn a_name_and_an_email_alone_prove_nothing(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let article = an_article(&app).await;
    let vera = client();
    let first = comment(&app, &vera, article, "A first thought.", EMAIL, &[]).await;
    approve(&app, comment_in(&first)).await;

    // Someone else who knows (or guesses) her name and email.
    let impostor = client();
    let forged = comment(&app, &impostor, article, "Buy my book.", EMAIL, &[]).await;
    assert_eq!(
        status_of(&app, comment_in(&forged)).await,
        CommentStatus::Pending,
        "a name and email alone do not publish"
    );
    app.shutdown().await;
}

async fn a_returning_commenter_is_known_by_their_browser(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let article = an_article(&app).await;
    let vera = client();
    let first = comment(&app, &vera, article, "A first thought.", EMAIL, &[]).await;
    assert_eq!(
        status_of(&app, comment_in(&first)).await,
        CommentStatus::Pending
    );
    approve(&app, comment_in(&first)).await;
    let second = comment(&app, &vera, article, "And a second one.", EMAIL, &[]).await;
    assert_eq!(
        status_of(&app, comment_in(&second)).await,
        CommentStatus::Approved,
        "her own browser proves who she is"
    );
    // Her browser, but another email: that email has no approved comment of hers.
    let other = comment(&app, &vera, article, "From work.", "vera@work.example", &[]).await;
    assert_eq!(
        status_of(&app, comment_in(&other)).await,
        CommentStatus::Pending
    );
    app.shutdown().await;
}

async fn held_published_and_spam_answers_look_alike(backend: Backend) {
    let policy = CommentPolicy {
        block_list: vec!["cheap pills".to_owned()],
        ..CommentPolicy::default()
    };
    let Some(app) = app(backend, policy).await else {
        return;
    };
    let article = an_article(&app).await;
    let vera = client();
    let first = comment(&app, &vera, article, "A first thought.", EMAIL, &[]).await;
    approve(&app, comment_in(&first)).await;

    let published = comment(&app, &vera, article, "Published at once.", EMAIL, &[]).await;
    let held = comment(&app, &client(), article, "Held.", "new@reader.example", &[]).await;
    let spam = comment(
        &app,
        &client(),
        article,
        "Cheap pills here.",
        "bot@spam.example",
        &[],
    )
    .await;
    let trapped = comment(
        &app,
        &client(),
        article,
        "Trapped.",
        "bot2@spam.example",
        &[("fax", "1")],
    )
    .await;
    assert_eq!(
        status_of(&app, comment_in(&published)).await,
        CommentStatus::Approved
    );
    assert_eq!(
        status_of(&app, comment_in(&held)).await,
        CommentStatus::Pending
    );
    assert_eq!(
        status_of(&app, comment_in(&spam)).await,
        CommentStatus::Spam
    );
    assert_eq!(
        status_of(&app, comment_in(&trapped)).await,
        CommentStatus::Spam
    );
    let expected = shape(&held);
    assert_eq!(
        shape(&published),
        expected,
        "published and held answer alike"
    );
    assert_eq!(shape(&spam), expected, "spam and held answer alike");
    assert_eq!(shape(&trapped), expected);

    // Apps posting for readers are told "hold" whatever became of the comment.
    for (text, email) in [
        ("An app's reader.", "app@reader.example"),
        ("cheap pills", "bot3@spam.example"),
    ] {
        let response = app
            .client
            .post(app.url("/wp-json/wp/v2/comments"))
            .json(&json!({ "post": article.0, "content": text, "author_name": NAME, "author_email": email }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "hold", "{text}");
    }
    app.shutdown().await;
}

async fn copying_a_published_comment_tells_nothing_about_its_email(backend: Backend) {
    let policy = CommentPolicy {
        moderation: ModerationMode::ApproveClean,
        ..CommentPolicy::default()
    };
    let Some(app) = app(backend, policy).await else {
        return;
    };
    let article = an_article(&app).await;
    let text = "The council should publish the minutes.";
    let original = comment(&app, &client(), article, text, EMAIL, &[]).await;
    assert_eq!(
        status_of(&app, comment_in(&original)).await,
        CommentStatus::Approved
    );
    let right_guess = comment(&app, &client(), article, text, EMAIL, &[]).await;
    let wrong_guess = comment(&app, &client(), article, text, "someone@else.example", &[]).await;
    assert_eq!(
        status_of(&app, comment_in(&right_guess)).await,
        status_of(&app, comment_in(&wrong_guess)).await,
        "whether the copied text's email was guessed right shows nowhere"
    );
    assert_ne!(
        status_of(&app, comment_in(&right_guess)).await,
        CommentStatus::Approved
    );
    let _ = app.clock.now();
    app.shutdown().await;
}
