//! One client address everywhere. On a dual-stack listener (`[::]:PORT`) IPv4 clients arrive
//! as `::ffff:a.b.c.d`: sign-in counted them all in one IPv6 /64, so anyone could lock every
//! IPv4 user out, and IPv4 `trusted_proxies` never matched them. Each test runs on `[::]` and
//! on `127.0.0.1`.

use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, TestOptions};

use super::support::browser_from;

gazette_testkit::on_both_backends!(
    one_ipv4_client_cannot_lock_out_another_on_a_dual_stack_listener,
    one_ipv4_client_cannot_lock_out_another_on_an_ipv4_listener,
    ipv4_proxies_are_trusted_on_a_dual_stack_listener,
    ipv4_proxies_are_trusted_on_an_ipv4_listener,
);

async fn app(backend: Backend, dual_stack: bool, trusted_proxies: &[&str]) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        TestOptions {
            dual_stack,
            trusted_proxies: trusted_proxies.iter().map(|p| (*p).to_owned()).collect(),
            ..TestOptions::default()
        },
    )
    .await
}

async fn one_ipv4_client_cannot_lock_out_another(backend: Backend, dual_stack: bool) {
    let Some(app) = app(backend, dual_stack, &[]).await else {
        return;
    };
    // Enough failures, each on another account, to lock the guesser's own address.
    let guesser = browser_from("127.0.0.2");
    let mut last = 0;
    for n in 0..31 {
        let email = format!("nobody{n}@example.org");
        last = app
            .sign_in(&guesser, &email, "wrong password")
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 429, "the guessing address is locked");
    let colleague = browser_from("127.0.0.3");
    let response = app.sign_in(&colleague, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(
        response.status(),
        303,
        "another IPv4 client is not locked out (dual stack: {dual_stack})"
    );
    app.shutdown().await;
}

async fn one_ipv4_client_cannot_lock_out_another_on_a_dual_stack_listener(backend: Backend) {
    one_ipv4_client_cannot_lock_out_another(backend, true).await;
}

async fn one_ipv4_client_cannot_lock_out_another_on_an_ipv4_listener(backend: Backend) {
    one_ipv4_client_cannot_lock_out_another(backend, false).await;
}

async fn ipv4_proxies_are_trusted(backend: Backend, dual_stack: bool) {
    let Some(app) = app(backend, dual_stack, &["127.0.0.1/32"]).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/"))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().contains_key("strict-transport-security"),
        "HTTPS through the trusted proxy is recognised (dual stack: {dual_stack})"
    );
    app.shutdown().await;
}

async fn ipv4_proxies_are_trusted_on_a_dual_stack_listener(backend: Backend) {
    ipv4_proxies_are_trusted(backend, true).await;
}

async fn ipv4_proxies_are_trusted_on_an_ipv4_listener(backend: Backend) {
    ipv4_proxies_are_trusted(backend, false).await;
}
