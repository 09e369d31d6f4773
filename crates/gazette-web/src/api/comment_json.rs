//! A comment in WordPress's JSON shape, with what only moderators see in the `edit` context.

use gazette_core::{Comment, CommentKind, CommentStatus};
use serde_json::{Value, json};

use super::values::{gmt, local};
use crate::kernel::site::Site;
use crate::kernel::views;

/// A comment in WordPress's shape; with `edit`, also what only moderators see: the raw
/// text, the commenter's email, IP address and browser.
pub(super) fn comment_json(
    site: &Site,
    origin: &str,
    comment: &Comment,
    article: Option<&gazette_core::Article>,
    edit: bool,
) -> Value {
    let id = comment.id.0;
    let link = article.map_or_else(String::new, |a| {
        format!("{origin}{}#comment-{id}", views::article_url(site, a))
    });
    let mut json = json!({
        "id": id,
        "post": comment.article.0,
        "parent": comment.answered.or(comment.parent).map_or(0, |p| p.0),
        "author": comment.person.map_or(0, |p| p.0),
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "date": local(site, comment.created_at),
        "date_gmt": gmt(comment.created_at),
        "content": { "rendered": comment.body_html.as_str() },
        "link": link,
        "status": status_name(comment.status),
        "type": match comment.kind {
            CommentKind::Comment => "comment",
            CommentKind::Pingback => "pingback",
            CommentKind::Trackback => "trackback",
        },
        // A held comment's avatar is the neutral one, as on the site: otherwise anyone could
        // post with a guessed address and compare its avatar with a published commenter's.
        "author_avatar_urls": avatar_urls(
            site,
            origin,
            if edit || comment.status == CommentStatus::Approved { &comment.author_email } else { "" },
        ),
        "meta": [],
        "_links": {
            "self": [{ "href": format!("{origin}/wp-json/wp/v2/comments/{id}") }],
            "collection": [{ "href": format!("{origin}/wp-json/wp/v2/comments") }],
            "up": [{ "embeddable": true, "post_type": "post", "href": format!("{origin}/wp-json/wp/v2/posts/{}", comment.article.0) }],
        },
    });
    if let Some(person) = comment.person {
        json["_links"]["author"] = json!([{ "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/users/{}", person.0) }]);
    }
    if let Some(parent) = comment.answered.or(comment.parent) {
        json["_links"]["in-reply-to"] = json!([{ "embeddable": true, "href": format!("{origin}/wp-json/wp/v2/comments/{}", parent.0) }]);
    }
    if edit && let Value::Object(fields) = &mut json {
        fields.insert("author_email".into(), json!(comment.author_email));
        fields.insert(
            "author_ip".into(),
            json!(comment.author_ip.clone().unwrap_or_default()),
        );
        fields.insert("author_user_agent".into(), json!(comment.user_agent));
        fields.insert(
            "content".into(),
            json!({ "rendered": comment.body_html.as_str(), "raw": comment.body }),
        );
    }
    json
}

/// WordPress's three avatar sizes, each the journal's own keyed avatar (never a hash of the
/// email anyone could reverse).
pub(super) fn avatar_urls(site: &Site, origin: &str, key: &str) -> Value {
    let url = format!(
        "{origin}{}",
        crate::kernel::avatars::avatar_url(&site.server_secret, key)
    );
    json!({ "24": url, "48": url, "96": url })
}

/// WordPress's name for a comment status.
fn status_name(status: CommentStatus) -> &'static str {
    match status {
        CommentStatus::Approved => "approved",
        CommentStatus::Pending => "hold",
        CommentStatus::Spam => "spam",
        CommentStatus::Trash => "trash",
    }
}
