//! Commenters' privacy: the crawl that proves no email address (or a hash of one) is ever
//! published, administrators exporting and erasing a commenter's data, and addresses
//! forgotten after the policy's days.

use std::collections::{BTreeSet, VecDeque};

use gazette_core::{CommentPolicy, CommentStatus};
use gazette_testkit::{Backend, client, csrf_of};
use jiff::SignedDuration;
use reqwest::StatusCode;

use super::{app, comment_in, comment_on, form, newest, page, post, set_status, signed_in, with};

gazette_testkit::on_both_backends!(
    no_email_address_or_hash_of_one_is_ever_published,
    administrators_export_and_erase_a_commenters_data,
    commenters_addresses_are_forgotten_after_the_policys_days,
);

/// Posts comments with distinctive addresses, approves them, then crawls every public URL
/// reachable from the front page (and the endpoints the pages use) looking for the addresses
/// or their MD5, SHA-1 and SHA-256, in any case.
async fn no_email_address_or_hash_of_one_is_ever_published(backend: Backend) {
    use md5::Digest as _;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let addresses = [
        "Zebra.Crossing.7731@privacy-test.example",
        "quokka-4410@privacy-test.example",
    ];
    for (n, address) in addresses.iter().enumerate() {
        let reader = client();
        let mut fields = form(article.id, &format!("Privacy probe {n}."), address);
        fields = with(fields, "wp-comment-cookies-consent", "yes");
        let response = post(&app, &reader, "/comments/", &fields).await;
        set_status(&app, comment_in(&response), CommentStatus::Approved).await;
    }
    let mut secrets = BTreeSet::new();
    for address in addresses {
        for form in [address.to_owned(), address.to_lowercase()] {
            secrets.insert(form.to_lowercase());
            secrets.insert(hex::encode(md5::Md5::digest(form.as_bytes())));
            secrets.insert(hex::encode(sha1::Sha1::digest(form.as_bytes())));
            secrets.insert(hex::encode(sha2::Sha256::digest(form.as_bytes())));
        }
    }

    let mut queue: VecDeque<String> = [
        "/",
        path.as_str(),
        "/comments/token",
        "/robots.txt",
        "/sitemap.xml",
        "/feed/",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let mut seen = BTreeSet::new();
    let mut crawled = 0;
    while let Some(next) = queue.pop_front() {
        if !seen.insert(next.clone()) || seen.len() > 400 {
            continue;
        }
        let response = app.get(&next).await;
        let headers = format!("{:?}", response.headers()).to_lowercase();
        let body = response.text().await.unwrap_or_default();
        let lowered = body.to_lowercase();
        crawled += 1;
        for secret in &secrets {
            assert!(
                !lowered.contains(secret.as_str()),
                "{next} publishes {secret}"
            );
            assert!(
                !headers.contains(secret.as_str()),
                "{next}'s headers publish {secret}"
            );
        }
        for link in links_in(&body) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    assert!(crawled > 40, "the crawl reached only {crawled} pages");
    let (_, html) = app.get_text(&path).await;
    assert!(
        html.contains("Privacy probe 0.") && html.contains("/avatar/"),
        "the probes are on the page"
    );
}

/// Same-site paths in `href` and `src` attributes.
fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for marker in ["href=\"", "src=\""] {
        for piece in html.split(marker).skip(1) {
            let Some(end) = piece.find('"') else { continue };
            let link = piece[..end].replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or("").to_owned();
            if link.starts_with('/') && !link.starts_with("//") && !link.is_empty() {
                links.push(link);
            }
        }
    }
    links
}

async fn administrators_export_and_erase_a_commenters_data(backend: Backend) {
    use gazette_core::Role;
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, path) = newest(&app).await;
    let id = comment_on(
        &app,
        article.id,
        "Mine to take back.",
        "Owner@reader.example",
    )
    .await;
    set_status(&app, id, CommentStatus::Approved).await;

    let editor = signed_in(&app, "Edna", Role::Editor).await;
    let refused = page(
        &editor,
        &app,
        "/admin/comments/export?email=owner%40reader.example",
    )
    .await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN);

    let admin = client();
    app.sign_in(
        &admin,
        gazette_testkit::ADMIN_EMAIL,
        gazette_testkit::ADMIN_PASSWORD,
    )
    .await;
    let (_, history) = page(
        &admin,
        &app,
        "/admin/comments/?email=owner%40reader.example",
    )
    .await;
    assert!(history.contains("Erase their data"));
    let export = admin
        .get(app.url("/admin/comments/export?email=owner%40reader.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let json: serde_json::Value = export.json().await.unwrap();
    assert_eq!(json["comments"][0]["text"], "Mine to take back.");
    assert_eq!(json["comments"][0]["email"], "Owner@reader.example");
    assert_eq!(json["comments"][0]["ip_address"], "127.0.0.1");

    let erased = post(
        &app,
        &admin,
        "/admin/comments/erase",
        &[
            ("csrf", csrf_of(&history).as_str()),
            ("email", "owner@reader.example"),
        ],
    )
    .await;
    assert_eq!(erased.status(), StatusCode::SEE_OTHER);
    let after = app.store.comment(id).await.unwrap().unwrap();
    assert_eq!(
        (
            after.author_name.as_str(),
            after.author_email.as_str(),
            after.author_ip
        ),
        ("Anonymous", "", None)
    );
    app.caught_up().await;
    let (_, public) = app.get_text(&path).await;
    assert!(public.contains("Mine to take back.") && !public.contains("Reader One"));
}

async fn commenters_addresses_are_forgotten_after_the_policys_days(backend: Backend) {
    let Some(app) = app(backend, CommentPolicy::default()).await else {
        return;
    };
    let (article, _) = newest(&app).await;
    let id = comment_on(
        &app,
        article.id,
        "An address to forget.",
        "fade@reader.example",
    )
    .await;
    assert!(
        app.store
            .comment(id)
            .await
            .unwrap()
            .unwrap()
            .author_ip
            .is_some()
    );
    app.clock.advance(SignedDuration::from_hours(24 * 31));
    app.node().jobs.wake();
    for _ in 0..100 {
        if app
            .store
            .comment(id)
            .await
            .unwrap()
            .unwrap()
            .author_ip
            .is_none()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the daily job did not clear the address of a 31-day-old comment");
}
