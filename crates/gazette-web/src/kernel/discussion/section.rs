//! The comments section under an article: its threads, comment pages and the form.

use gazette_core::{Article, CommentId, CommentStatus};
use jiff::Timestamp;
use minijinja::Value;

use super::thread::{FormValues, ThreadView, Threads, comment_page_url, form_view};
use crate::kernel::site::Site;
use crate::kernel::views;
use crate::{AppError, AppState};

/// What the reader asked of the comments.
pub(crate) struct Wanted<'a> {
    /// The comment page, from 1.
    pub page: u32,
    /// Their own comments awaiting moderation, from their cookie.
    pub held: &'a [CommentId],
    /// The comment they answer without the page's script.
    pub reply_to: Option<CommentId>,
}

/// The comments section of `article`, or None when the comment page asked for does not exist.
pub(crate) async fn article_comments(
    state: &AppState,
    site: &Site,
    article: &Article,
    wanted: Wanted<'_>,
    now: Timestamp,
) -> Result<Option<Value>, AppError> {
    let policy = &site.publication.comments;
    // A reader with comments awaiting moderation sees a list of their own.
    let public = wanted.held.is_empty();
    let comments: std::sync::Arc<[gazette_core::Comment]> = if public {
        state
            .page_cache()
            .published_comments(article.id.0, || {
                state.store().article_comments(article.id, &[])
            })
            .await?
    } else {
        state
            .store()
            .article_comments(article.id, wanted.held)
            .await?
            .into()
    };
    let threads = Threads::new(&comments);
    let pages = threads.pages(policy.per_page);
    if wanted.page > pages {
        return Ok(None);
    }
    let open = policy.open_at(article.comments_open, article.published_at, now);
    let article_url = views::article_url(site, article);
    let view = ThreadView {
        site,
        article_url: &article_url,
        open,
    };
    let approved = comments
        .iter()
        .filter(|c| c.status == CommentStatus::Approved)
        .count() as u64;
    let reply_to = wanted.reply_to.and_then(|id| {
        comments
            .iter()
            .find(|c| c.id == id && c.status == CommentStatus::Approved)
    });
    let form = open.then(|| {
        form_view(
            site,
            article,
            &FormValues::default(),
            &[],
            reply_to,
            &article_url,
        )
    });
    let page_link = |page: u32| {
        (1..=pages)
            .contains(&page)
            .then(|| comment_page_url(&article_url, page))
    };
    Ok(Some(minijinja::context! {
        count => approved,
        count_text => if approved == 0 {
            site.catalogue.text("comments.none", &[])
        } else {
            site.catalogue.plural("comments.count", approved, &[])
        },
        open,
        shown => policy.enabled && (open || approved > 0),
        threads => if public {
            // What else the views depend on: the site (its settings and secret), the page,
            // whether replies are offered, and the article's address in their links.
            let key = format!("{}|{}|{open}|{article_url}", site.generation, wanted.page);
            state.page_cache().thread_views(article.id.0, &comments, &key, || {
                Value::from(threads.page(&view, wanted.page, policy.per_page))
            })
        } else {
            Value::from(threads.page(&view, wanted.page, policy.per_page))
        },
        older => page_link(wanted.page.wrapping_sub(1)).filter(|_| wanted.page > 1),
        newer => page_link(wanted.page + 1),
        page => wanted.page,
        pages,
        form,
        script => state.theme().asset_url("comments.js"),
    }))
}
