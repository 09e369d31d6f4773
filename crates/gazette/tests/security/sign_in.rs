//! Sign-in throttling that cannot be turned against staff. The throttle kept the typed email
//! verbatim (megabytes per attempt, never pruned), held the one-at-a-time gate while a failed
//! attempt slept, and limited only each (account, address) pair, so a guesser spread over many
//! addresses was never slowed. Now keys are bounded keyed hashes pruned daily, no lock is held
//! while waiting, and an account failing 20 times in an hour waits a doubling delay (up to 15
//! minutes) between attempts, except from a device that signed in before or through an
//! emailed sign-in link.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gazette_core::Clock as _;
use gazette_testkit::smtp::SmtpSink;
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, TestOptions, csrf_of};
use jiff::SignedDuration;

use super::support::browser_from;

gazette_testkit::on_both_backends!(
    throttle_keys_are_bounded_hashes_and_are_pruned,
    a_failed_attempt_waits_without_holding_anyone_up,
    a_distributed_guesser_costs_few_checks_and_the_owner_still_gets_in,
);

async fn throttle_keys_are_bounded_hashes_and_are_pruned(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let huge = format!("{}@example.org", "a".repeat(1_000_000));
    for email in [huge.as_str(), "Typo-Password-In-Email-Field", ADMIN_EMAIL] {
        let response = app.sign_in(&app.client, email, "wrong").await;
        assert_eq!(response.status(), 401, "{}", &email[..20.min(email.len())]);
    }
    let keys = app.store.sign_in_throttle_keys().await.unwrap();
    assert!(!keys.is_empty());
    for key in &keys {
        assert!(key.len() <= 80, "bounded: {} bytes", key.len());
        let lower = key.to_lowercase();
        assert!(
            !lower.contains("aaaa") && !lower.contains("typo") && !lower.contains("admin@"),
            "what was typed is not kept: {key}"
        );
    }
    // Once every window is over and no lock is left, the daily chore forgets them.
    app.clock.advance(SignedDuration::from_hours(2));
    let pruned = gazette_node::maintenance::forget_sign_in_failures(&app.store, app.clock.now())
        .await
        .unwrap();
    assert_eq!(pruned, keys.len() as u64);
    assert!(app.store.sign_in_throttle_keys().await.unwrap().is_empty());
    app.shutdown().await;
}

/// Five guessers, each slowed down for its own failures, and the administrator signing in
/// meanwhile: the administrator is answered before any of them, because nobody holds the
/// one-at-a-time gate while being slowed down.
async fn a_failed_attempt_waits_without_holding_anyone_up(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let app = Arc::new(app);
    let guessers: Vec<(reqwest::Client, String)> = (2..7)
        .map(|n| {
            (
                browser_from(&format!("127.0.0.{n}")),
                format!("nobody{n}@example.org"),
            )
        })
        .collect();
    // Five failures each: the sixth is held back for 600 ms.
    for (http, email) in &guessers {
        for _ in 0..5 {
            assert_eq!(app.sign_in(http, email, "wrong").await.status(), 401);
        }
    }
    let finished = Arc::new(AtomicUsize::new(0));
    let mut slowed = Vec::new();
    for (http, email) in guessers {
        let (app, finished) = (app.clone(), finished.clone());
        slowed.push(tokio::spawn(async move {
            let status = app.sign_in(&http, &email, "wrong").await.status();
            assert_eq!(status, 401);
            finished.fetch_add(1, Ordering::SeqCst);
        }));
    }
    // Each sixth failure is counted before its answer is held back: once all five are counted
    // (under the pair, the address and the account: fifteen keys), all five are being held.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let mut sixth = 0;
        for key in app.store.sign_in_throttle_keys().await.unwrap() {
            let state = app.store.sign_in_throttle(&key).await.unwrap();
            if state.is_some_and(|s| s.failures >= 6) {
                sixth += 1;
            }
        }
        if sixth >= 15 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the sixth failures were not all counted within 10 s ({sixth} of 15 keys)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let owner = browser_from("127.0.0.9");
    let response = app.sign_in(&owner, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        finished.load(Ordering::SeqCst),
        0,
        "the administrator was not kept waiting behind slowed-down guessers"
    );
    for task in slowed {
        task.await.unwrap();
    }
}

/// 1,000 guesses at the administrator's password over an hour, each from another address:
/// at most a stated number cost a password check, and the administrator still signs in at
/// once from a device they used before, or through an emailed link from a new one.
async fn a_distributed_guesser_costs_few_checks_and_the_owner_still_gets_in(backend: Backend) {
    let sink = SmtpSink::start().await;
    let mut publication = gazette_core::Publication::sample();
    publication.base_url = Some("https://news.example.org/".parse().unwrap());
    let Some(app) = TestApp::spawn_with(
        backend,
        TestOptions {
            publication: Some(publication),
            smtp_port: Some(sink.port),
            trusted_proxies: vec!["127.0.0.1/32".to_owned()],
            metrics: true,
            ..TestOptions::default()
        },
    )
    .await
    else {
        return;
    };
    // The administrator's laptop signed in yesterday, and out again.
    let laptop = gazette_testkit::client();
    assert_eq!(
        app.sign_in(&laptop, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        303
    );
    sign_out(&app, &laptop).await;
    let checks_before = password_checks(&app).await;

    let mut refused = 0;
    for n in 0..1000u32 {
        let guesser = gazette_testkit::client();
        let form = app.page_text(&guesser, "/admin/sign-in").await;
        let response = guesser
            .post(app.url("/admin/sign-in"))
            .header(
                "x-forwarded-for",
                format!("198.51.{}.{}", n / 250, n % 250 + 1),
            )
            .form(&[
                ("email", ADMIN_EMAIL),
                ("password", &format!("guess {n}")),
                ("csrf", &csrf_of(&form)),
            ])
            .send()
            .await
            .unwrap();
        match response.status().as_u16() {
            401 => {}
            429 => refused += 1,
            other => panic!("guess {n}: {other}"),
        }
        app.clock.advance(SignedDuration::from_millis(3600));
    }
    let checks = password_checks(&app).await - checks_before;
    eprintln!("1,000 distributed guesses cost {checks} password checks ({refused} refused)");
    assert!(checks <= 40, "{checks} password checks");
    assert_eq!(checks + refused, 1000);

    // From the laptop: in at once.
    let response = app.sign_in(&laptop, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 303, "a known device is not slowed down");

    // From a new phone: refused without a check, and offered a link by email.
    let phone = gazette_testkit::client();
    let response = app.sign_in(&phone, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 429);
    let page = response.text().await.unwrap();
    assert!(page.contains("/admin/sign-in/link"), "{page}");
    let form = app.page_text(&phone, "/admin/sign-in/link").await;
    let response = phone
        .post(app.url("/admin/sign-in/link"))
        .form(&[("email", ADMIN_EMAIL), ("csrf", &csrf_of(&form))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let message = sink.wait_for(1).await;
    let link = super::support::link_in(&message);
    assert!(link.starts_with("/admin/sign-in/link/"), "{link}");
    // Opening the link changes nothing (mail scanners open links); its button signs in.
    let page = app.page_text(&phone, &link).await;
    assert!(page.contains("name=\"csrf\""), "{page}");
    assert!(phone.get(app.url("/admin/")).send().await.unwrap().status() != 200);
    let response = phone
        .post(app.url(&link))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    app.page_text(&phone, "/admin/").await;
    // The link works once.
    assert_eq!(
        phone.get(app.url(&link)).send().await.unwrap().status(),
        410
    );
    // And the phone is a device that signed in: after signing out, its password is checked
    // at once although the account is still being guessed at.
    sign_out(&app, &phone).await;
    let response = app.sign_in(&phone, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 303);
    app.shutdown().await;
}

async fn sign_out(app: &TestApp, http: &reqwest::Client) {
    let page = app.page_text(http, "/admin/").await;
    let response = http
        .post(app.url("/admin/sign-out"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

/// The node's count of password checks, from `/metrics`.
async fn password_checks(app: &TestApp) -> usize {
    let address = app.node().metrics_address.unwrap();
    let text = reqwest::get(format!("http://{address}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("gazette_sign_in_password_checks_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no password check counter in:\n{text}"))
}
