//! Gazette's REST API compared with a real WordPress 6: the same requests, against content
//! like the recorded site's, must answer with the same status and the same shape (keys and
//! value types, not values) as the responses `tests/wordpress/record-wordpress.sh` recorded
//! from Debian's WordPress. Every difference that remains is listed in `KNOWN` with its
//! reason, and the list must stay true: an undocumented difference fails, and so does a
//! documented one that no longer occurs.
//!
//! CI records afresh from a WordPress it runs (`GAZETTE_TEST_WORDPRESS_RECORDED`); elsewhere
//! the recordings committed beside the script are used.
//!
//! The test is in its own module; the known differences and the comparison are here.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

#[path = "rest_api_shapes/requests.rs"]
mod requests;

/// Differences Gazette keeps, each with why. A difference is `missing PATH` (WordPress has
/// it, Gazette not), `extra PATH` (the other way), `type PATH wordpress/gazette`,
/// `empty PATH wordpress/gazette` (a list with items on one side, empty on the other: `items`
/// or `none`), or `status SLUG wordpress/gazette`. Paths drop a list's leading `[]`, so a post reads the
/// same in a list and alone.
const KNOWN: &[(&str, &str)] = &[
    (
        "status comments-create-anon 401/201",
        "Apps may post readers' comments without signing in (a comment setting, on by default); \
         they pass the comment form's defences and are always held. WordPress refuses them \
         unless a plugin allows them.",
    ),
    (
        "missing authentication.application-passwords",
        "No browser flow for an app to ask for a password (WordPress's \
         authorize-application.php): they are made in the back office or with `gazette user \
         app-password`.",
    ),
    (
        "type gmt_offset string/number",
        "Always a number; WordPress gives its stored option, a string on a site without a \
         time zone name.",
    ),
    (
        "missing nav_menu",
        "Menus are the back office's, not a taxonomy.",
    ),
    (
        "missing nav_menu_item",
        "Menus are the back office's, not content.",
    ),
    (
        "missing wp_block",
        "Gazette has no blocks or block templates.",
    ),
    (
        "missing wp_navigation",
        "Gazette has no blocks or block templates.",
    ),
    (
        "missing wp_template",
        "Gazette has no blocks or block templates.",
    ),
    (
        "missing wp_template_part",
        "Gazette has no blocks or block templates.",
    ),
    (
        "type post number/null",
        "Media is the journal's library, never attached to one post: `post` is null, as \
         WordPress shows unattached media.",
    ),
    (
        "missing _links.wp:attachment",
        "Media is not attached to posts or pages, so they do not link to attachments.",
    ),
    ("missing _links.author", "Pages have no author in Gazette."),
    (
        "missing _links.version-history",
        "Pages keep no revisions in Gazette.",
    ),
    (
        "missing _links.replies",
        "Pages and media take no comments in Gazette.",
    ),
    (
        "missing _links.predecessor-version",
        "Posts link to their revisions (`version-history`), not separately to the latest.",
    ),
    (
        "missing _links.children",
        "A comment does not link to its replies; the post's comments include them.",
    ),
    (
        "missing _links.wp:action-assign-author",
        "No `wp:action-*` links: they tell the block editor what the user may do; Gazette \
         checks each write when it is made.",
    ),
    (
        "missing _links.wp:action-assign-categories",
        "As wp:action-assign-author.",
    ),
    (
        "missing _links.wp:action-assign-tags",
        "As wp:action-assign-author.",
    ),
    (
        "missing _links.wp:action-create-categories",
        "As wp:action-assign-author.",
    ),
    (
        "missing _links.wp:action-create-tags",
        "As wp:action-assign-author.",
    ),
    (
        "missing _links.wp:action-publish",
        "As wp:action-assign-author.",
    ),
    (
        "missing _links.wp:action-sticky",
        "As wp:action-assign-author.",
    ),
    (
        "missing _links.wp:action-unfiltered-html",
        "As wp:action-assign-author.",
    ),
];

/// The directory of recorded responses.
fn recordings() -> PathBuf {
    match std::env::var_os("GAZETTE_TEST_WORDPRESS_RECORDED").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "GAZETTE_TEST_WORDPRESS_RECORDED is required when CI is set: see .ci/run"
            );
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wordpress/recorded")
        }
    }
}

/// Objects whose keys are names of things (routes, sizes, parameters), not fields: their
/// values are compared, not their keys.
const MAPS: &[&str] = &[
    "routes",
    "media_details.sizes",
    "avatar_urls",
    "author_avatar_urls",
    "data.params",
    "data.details",
    "image_meta",
];

/// Subtrees compared by their keys only: links differ in their targets by nature.
const KEYS_ONLY: &[&str] = &["_links", "_embedded"];

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A path as differences name it: the whole body is `(body)`.
fn shown(path: &str) -> &str {
    if path.is_empty() { "(body)" } else { path }
}

/// The differences between WordPress's `wp` and Gazette's `ours` at `path`.
fn compare(path: &str, wp: &Value, ours: &Value, found: &mut BTreeSet<String>) {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    // Where this is inside an item, whether the item stands alone, in a list (`[].`) or
    // under a delete's `previous.`.
    let within = path
        .trim_start_matches("[].")
        .trim_start_matches("previous.");
    match (wp, ours) {
        (Value::Object(wp), Value::Object(ours)) => {
            if MAPS.contains(&within) {
                match (wp.values().next(), ours.values().next()) {
                    (Some(a), Some(b)) => compare(&at("*"), a, b, found),
                    // As with lists: an empty map has no shape to stand for another's.
                    (Some(_), None) => {
                        found.insert(format!("empty {path} items/none"));
                    }
                    (None, Some(_)) => {
                        found.insert(format!("empty {path} none/items"));
                    }
                    (None, None) => {}
                }
                return;
            }
            let keys_only = KEYS_ONLY.contains(&within);
            for (key, value) in wp {
                match ours.get(key) {
                    None => {
                        found.insert(format!("missing {}", at(key)));
                    }
                    Some(mine) if !keys_only => compare(&at(key), value, mine, found),
                    Some(_) => {}
                }
            }
            for key in ours.keys().filter(|k| !wp.contains_key(*k)) {
                found.insert(format!("extra {}", at(key)));
            }
        }
        (Value::Array(wp), Value::Array(ours)) => match (wp.first(), ours.first()) {
            (Some(a), Some(b)) => compare(&at("[]"), a, b, found),
            // An empty list has no shape to compare, so it must not stand for any list.
            (Some(_), None) => {
                found.insert(format!("empty {} items/none", shown(path)));
            }
            (None, Some(_)) => {
                found.insert(format!("empty {} none/items", shown(path)));
            }
            (None, None) => {}
        },
        (wp, ours) if kind(wp) != kind(ours) => {
            found.insert(format!("type {path} {}/{}", kind(wp), kind(ours)));
        }
        _ => {}
    }
}
