//! The API does the work a page needs, not the work of the whole collection: comments are
//! filtered, paged and counted in the database, whatever their number; searches go through
//! the node's index (every word, in the article's own text) and are paged there; `_embed`
//! reads the replies of a whole page of posts at once. Each test counts what comes back past
//! the caps the API once had (10,000 comments, 1,000 search matches), so it fails if a
//! listing is loaded whole and cut again.
//!
//! The tests are in one module per topic; the helpers they share are here.

use gazette_core::{ArticleId, Clock as _, CommentId, CommentStatus, SafeHtml, Status};
use gazette_store::{ImportedComment, NewArticle};
use gazette_testkit::TestApp;
use jiff::Timestamp;
use serde_json::Value;

#[path = "work/comments.rs"]
mod comments;
#[path = "work/embeds_and_terms.rs"]
mod embeds_and_terms;
#[path = "work/search.rs"]
mod search;

/// More comments than the old in-memory listing read (10,000).
const MANY_COMMENTS: i64 = 10_001;
/// More matches than the old search loaded (1,000).
const MANY_ARTICLES: i64 = 1_001;

/// A published article without a password, written now.
async fn published(app: &TestApp, headline: &str) -> ArticleId {
    let mut new = NewArticle::draft(
        headline,
        "Plain words.",
        SafeHtml::assume_sanitized("<p>Plain words.</p>".into()),
        gazette_render::RENDER_VERSION,
    );
    new.status = Status::Published;
    new.published_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.insert_article(new).await }))
        .await
        .unwrap()
        .id
}

/// An approved comment with its id and time, for a bulk import.
fn approved(article: ArticleId, id: i64, at: Timestamp, body: &str) -> ImportedComment {
    ImportedComment {
        id: CommentId(id),
        comment: super::comment(article, CommentStatus::Approved, body),
        created_at: at,
    }
}

/// Stores comments in bulk (as an import does: thousands in a few statements) and waits
/// for the node to follow.
async fn import_comments(app: &TestApp, comments: Vec<ImportedComment>) {
    app.store
        .write(|tx| {
            Box::pin(async move {
                tx.import_comments(comments).await?;
                tx.finish_import().await
            })
        })
        .await
        .unwrap();
    app.caught_up().await;
}

fn ids(body: &Value) -> Vec<i64> {
    body.as_array()
        .unwrap_or_else(|| panic!("not a list: {body}"))
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

fn total(headers: &reqwest::header::HeaderMap) -> u64 {
    headers["x-wp-total"].to_str().unwrap().parse().unwrap()
}
