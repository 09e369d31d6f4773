//! Low finding: the cookie that unlocks a protected article is `Secure` behind HTTPS.

use gazette_testkit::{Backend, TestApp, TestOptions};

gazette_testkit::on_both_backends!(the_unlock_cookie_is_secure_behind_https);

/// The cookie that unlocks a password-protected article is `Secure` when the reader came
/// over HTTPS (through a trusted proxy), so it never travels in clear text afterwards.
async fn the_unlock_cookie_is_secure_behind_https(backend: Backend) {
    let options = TestOptions {
        demo: true,
        trusted_proxies: vec!["127.0.0.1/32".into()],
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let http = app.admin_client().await;
    let fields = [
        ("headline", "Members only"),
        ("body", "Text."),
        ("password", "open sesame"),
        ("action", "publish"),
    ];
    let id = app.write_article(&http, &fields).await;
    let path = app.published_path(id).await;
    let unlock = |https: bool| {
        let mut request = gazette_testkit::client()
            .post(app.url(&path))
            .form(&[("password", "open sesame")]);
        if https {
            request = request.header("X-Forwarded-Proto", "https");
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 303);
            response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    let secure = unlock(true).await;
    assert!(
        secure.starts_with("gazette_unlock_") && secure.ends_with("; Secure"),
        "{secure}"
    );
    let plain = unlock(false).await;
    assert!(!plain.contains("Secure"), "{plain}");
    app.shutdown().await;
}
