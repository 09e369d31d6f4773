//! The whole journal, driven from outside: every integration test of the binary's crate, one
//! module per area, in one test binary (one link instead of one per area). The modules start
//! real nodes on ephemeral ports with the test kit and speak HTTP to them, or run the binary.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a failed unwrap is a failed test, with its message"
)]

#[path = "architecture.rs"]
mod architecture;
#[path = "cli.rs"]
mod cli;
#[path = "comments.rs"]
mod comments;
#[path = "curation.rs"]
mod curation;
#[path = "dependencies.rs"]
mod dependencies;
#[path = "export.rs"]
mod export;
#[path = "feeds.rs"]
mod feeds;
#[path = "import.rs"]
mod import;
#[path = "journal.rs"]
mod journal;
#[path = "journeys.rs"]
mod journeys;
#[path = "media.rs"]
mod media;
#[path = "newsletters.rs"]
mod newsletters;
#[path = "newsroom.rs"]
mod newsroom;
#[path = "node.rs"]
mod node;
#[path = "quality.rs"]
mod quality;
#[path = "redirects.rs"]
mod redirects;
#[path = "rest_api.rs"]
mod rest_api;
#[path = "rest_api_shapes.rs"]
mod rest_api_shapes;
#[path = "rest_api_writes.rs"]
mod rest_api_writes;
#[path = "search.rs"]
mod search;
#[path = "security/main.rs"]
mod security;
#[path = "settings.rs"]
mod settings;
#[path = "sharing.rs"]
mod sharing;
#[path = "sitemaps.rs"]
mod sitemaps;
#[path = "snapshots.rs"]
mod snapshots;
#[path = "wordpress_content.rs"]
mod wordpress_content;

/// Waits until `check` holds, asking every 25 ms; fails the test after `within`, naming `what`.
pub(crate) async fn eventually<F, Fut>(what: &str, within: std::time::Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{what}: not within {within:?}");
}
