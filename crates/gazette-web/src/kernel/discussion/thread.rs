//! The comments under an article as its reader sees them: threads, comment pages and the form.

use std::collections::HashMap;

use gazette_core::{Article, Comment, CommentId, CommentStatus};
use minijinja::Value;
use serde::Serialize;

use crate::kernel::avatars::avatar_url;
use crate::kernel::site::Site;
use crate::kernel::views::{date_and_time, iso};

/// What the reader typed, given back when the form must be corrected.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct FormValues {
    pub comment: String,
    pub author: String,
    pub email: String,
    pub url: String,
    pub remember: bool,
    /// Asked to hear of replies by email.
    pub wants_replies: bool,
    pub parent: Option<i64>,
}

/// One problem with a submitted form, tied to its field.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The comments of one article arranged in threads: top-level comments in order, each with its
/// replies. A reply whose parent the reader cannot see stands on its own.
pub(crate) struct Threads<'a> {
    roots: Vec<&'a Comment>,
    children: HashMap<CommentId, Vec<&'a Comment>>,
}

impl<'a> Threads<'a> {
    pub(crate) fn new(comments: &'a [Comment]) -> Self {
        let visible: std::collections::HashSet<CommentId> = comments.iter().map(|c| c.id).collect();
        let mut roots = Vec::new();
        let mut children: HashMap<CommentId, Vec<&Comment>> = HashMap::new();
        for comment in comments {
            match comment.parent.filter(|p| visible.contains(p)) {
                Some(parent) => children.entry(parent).or_default().push(comment),
                None => roots.push(comment),
            }
        }
        Self { roots, children }
    }

    /// How many comment pages `per_page` top-level threads a page make (0: all on one page).
    pub(crate) fn pages(&self, per_page: usize) -> u32 {
        let per_page = threads_per_page(per_page);
        u32::try_from(self.roots.len().div_ceil(per_page).max(1)).unwrap_or(u32::MAX)
    }

    /// The comment page that shows `id` (1 when it is not here).
    pub(crate) fn page_of(&self, id: CommentId, per_page: usize) -> u32 {
        let parents: HashMap<CommentId, CommentId> = self
            .children
            .iter()
            .flat_map(|(parent, kids)| kids.iter().map(move |kid| (kid.id, *parent)))
            .collect();
        let mut root = id;
        for _ in 0..1000 {
            match parents.get(&root) {
                Some(parent) => root = *parent,
                None => break,
            }
        }
        let index = self.roots.iter().position(|c| c.id == root).unwrap_or(0);
        u32::try_from(index / threads_per_page(per_page) + 1).unwrap_or(1)
    }

    /// The threads on comment page `page`, as template values.
    pub(crate) fn page(&self, view: &ThreadView<'_>, page: u32, per_page: usize) -> Vec<Value> {
        let per_page = threads_per_page(per_page);
        let skip = usize::try_from(page.saturating_sub(1))
            .unwrap_or(0)
            .saturating_mul(per_page);
        self.roots
            .iter()
            .skip(skip)
            .take(per_page)
            .map(|c| self.node(view, c, 0))
            .collect()
    }

    fn node(&self, view: &ThreadView<'_>, comment: &Comment, level: usize) -> Value {
        let replies: Vec<Value> = if level < 64 {
            self.children
                .get(&comment.id)
                .map(|kids| kids.iter().map(|k| self.node(view, k, level + 1)).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        view.comment(comment, replies)
    }
}

/// The policy's `per_page`, where 0 means every thread on one page (WordPress's default).
fn threads_per_page(per_page: usize) -> usize {
    if per_page == 0 { usize::MAX } else { per_page }
}

/// What every comment's view needs from the page around it.
pub(crate) struct ThreadView<'a> {
    pub site: &'a Site,
    pub article_url: &'a str,
    pub open: bool,
}

impl ThreadView<'_> {
    fn comment(&self, comment: &Comment, replies: Vec<Value>) -> Value {
        let site = self.site;
        // The website is shown only as a link target; a value that is not http(s) is dropped.
        let url = Some(comment.author_url.as_str())
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
        let may_reply = self.open
            && comment.status == CommentStatus::Approved
            && comment.depth + 1 < site.publication.comments.thread_depth;
        minijinja::context! {
            id => comment.id.0,
            anchor => format!("comment-{}", comment.id.0),
            name => comment.author_name,
            url,
            // A held comment shows a neutral avatar: otherwise anyone could post with a guessed
            // address and compare its avatar with a published commenter's.
            avatar => if comment.status == CommentStatus::Approved {
                avatar_url(&site.server_secret, &comment.author_email)
            } else {
                avatar_url(&site.server_secret, "")
            },
            by_staff => comment.person.is_some(),
            date_iso => iso(site, comment.created_at),
            date_text => date_and_time(site, comment.created_at),
            body => Value::from_safe_string(comment.body_html.as_str().to_owned()),
            // Only its author sees a comment that is not approved (held, or taken for spam,
            // which its author is not told): as awaiting moderation.
            pending => comment.status != CommentStatus::Approved,
            reply_url => may_reply.then(|| format!("{}?replytocom={}#respond", self.article_url, comment.id.0)),
            replies,
        }
    }
}

/// The link of comment page `page` of an article.
pub(crate) fn comment_page_url(article_url: &str, page: u32) -> String {
    if page <= 1 {
        article_url.to_owned()
    } else {
        // Permalink patterns may end without a slash (`/archives/%post_id%`, `….html`).
        format!("{}/comment-page-{page}/", article_url.trim_end_matches('/'))
    }
}

/// The privacy policy page the form links to: the one the settings name, else a root page
/// called `privacy-policy` or `privacy`.
pub(crate) fn privacy_url(site: &Site) -> Option<String> {
    // Checked again here: a value saved before the settings refused `/\\host` is not linked.
    if let Some(path) = &site.publication.comments.privacy_page {
        return gazette_core::address::is_site_path(path).then(|| path.clone());
    }
    site.root_pages
        .iter()
        .find(|p| matches!(p.slug.as_str(), "privacy-policy" | "privacy"))
        .map(|p| format!("/{}/", p.slug))
}

/// The form's view: where it posts, what it answers, what it holds.
pub(crate) fn form_view(
    site: &Site,
    article: &Article,
    values: &FormValues,
    errors: &[FieldError],
    reply_to: Option<&Comment>,
    article_url: &str,
) -> Value {
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    minijinja::context! {
        article_id => article.id.0,
        parent => reply_to.map(|c| c.id.0).or(values.parent),
        reply_to_name => reply_to.map(|c| c.author_name.clone()),
        cancel_url => format!("{article_url}#respond"),
        privacy_url => privacy_url(site),
        values => Value::from_serialize(values),
        errors => Value::from_serialize(errors),
        comment_error => error_of("comment"),
        author_error => error_of("author"),
        email_error => error_of("email"),
        url_error => error_of("url"),
    }
}
