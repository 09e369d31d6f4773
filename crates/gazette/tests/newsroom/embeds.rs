//! What the editor is told about a link alone on its line: the frame of an allowed provider,
//! nothing for any other link, and nothing for someone not signed in.

use gazette_testkit::{Backend, TestApp};

gazette_testkit::on_both_backends!(the_editor_is_told_which_links_become_frames);

async fn the_editor_is_told_which_links_become_frames(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let http = app.admin_client().await;
    let ask = |link: &str| {
        http.get(app.url("/admin/embed"))
            .query(&[("url", link)])
            .send()
    };
    let chart = ask("https://datawrapper.dwcdn.net/Ab12C/3/").await.unwrap();
    assert_eq!(chart.status(), 200);
    let chart: serde_json::Value = chart.json().await.unwrap();
    assert_eq!(chart["provider"], "Datawrapper");
    let html = chart["html"].as_str().unwrap();
    assert!(html.starts_with("<figure class=\"embed embed-4x3\"><iframe src=\"https://datawrapper.dwcdn.net/Ab12C/3/\""), "{html}");
    for link in ["https://example.com/page", "javascript:alert(1)", ""] {
        let refused = ask(link).await.unwrap();
        assert_eq!(refused.status(), 404, "{link}");
    }
    let stranger = gazette_testkit::client()
        .get(app.url("/admin/embed?url=https://youtu.be/dQw4w9WgXcQ"))
        .send()
        .await
        .unwrap();
    assert_ne!(stranger.status(), 200, "only for staff");
}
