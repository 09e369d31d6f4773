//! Comments: an article's, parents before replies and keeping WordPress's ids where free, and
//! a page's, kept aside under their WordPress ids since Gazette's pages show none.

use std::collections::HashMap;

use gazette_core::{ArticleId, CommentId, PageId};
use gazette_render::wordpress;
use gazette_store::{ImportedComment, NewComment, PageComment};
use gazette_wxr::Item;
use jiff::Timestamp;

use super::{Taken, Writer, parents_first};
use crate::export;
use crate::wordpress_names::{comment_kind, comment_status};

impl Writer {
    /// The item's comments, parents before replies, keeping WordPress's ids where free.
    pub(super) fn comments_of(&mut self, item: &Item, article: ArticleId) {
        let mut depth_of: HashMap<i64, i64> = HashMap::new();
        let (ordered, in_a_loop) = parents_first(
            item.comments.iter().collect(),
            |comment| comment.id,
            |comment| comment.parent.filter(|p| *p > 0).map(Some),
        );
        for comment in ordered {
            self.comment(comment, article, &mut depth_of);
        }
        // Replies in a loop of parents (not made by WordPress) are kept at the top.
        for comment in in_a_loop {
            let top = gazette_wxr::Comment {
                parent: None,
                ..comment.clone()
            };
            self.comment(&top, article, &mut depth_of);
        }
    }

    fn comment(
        &mut self,
        comment: &gazette_wxr::Comment,
        article: ArticleId,
        depth_of: &mut HashMap<i64, i64>,
    ) {
        if let Some(wp_id) = comment.id
            && self.ids.comments.contains_key(&wp_id)
        {
            return;
        }
        let id = Taken::claim(
            &mut self.taken.comments,
            &mut self.taken.next_comment,
            comment.id,
        );
        let parent = comment
            .parent
            .filter(|p| *p > 0)
            .and_then(|p| self.ids.comments.get(&p).copied());
        let depth = parent.map_or(0, |p| depth_of.get(&p).copied().unwrap_or(0) + 1);
        depth_of.insert(id, depth);
        if let Some(wp_id) = comment.id {
            self.ids.comments.insert(wp_id, id);
            self.comment_pairs.push((wp_id, id));
        }
        let (status, kind) = (
            comment_status(&comment.approved),
            comment_kind(&comment.kind),
        );
        let html = match comment
            .meta
            .iter()
            .find(|m| m.key == export::meta::COMMENT_HTML)
        {
            Some(shown) if self.catalogue.from_gazette => shown.value.clone(),
            _ => wordpress::texturize(&wordpress::autop(&comment.content)),
        };
        let created_at = self
            .wp_time(&comment.date, &comment.date_gmt)
            .unwrap_or(Timestamp::UNIX_EPOCH);
        self.report.count_comment(kind, status);
        self.comments.push(ImportedComment {
            id: CommentId(id),
            comment: NewComment {
                article,
                parent: parent.map(CommentId),
                answered: None,
                depth,
                status,
                kind,
                author_name: comment.author.clone(),
                author_email: comment.author_email.clone(),
                author_url: comment.author_url.clone(),
                author_ip: (!comment.author_ip.is_empty()).then(|| comment.author_ip.clone()),
                user_agent: String::new(),
                person: None,
                body: comment.content.clone(),
                body_html: gazette_render::sanitize_html(&html),
                score: 0,
                reasons: Vec::new(),
                submission_key: None,
                wants_replies: false,
                commenter_key: None,
            },
            created_at,
        });
    }

    /// A page's comments, kept with their WordPress ids: Gazette's pages show none.
    pub(super) fn page_comments_of(&mut self, item: &Item, page: PageId) {
        for comment in &item.comments {
            let Some(wp_id) = comment.id else {
                continue;
            };
            // Kept under their WordPress ids, in their own table: a second run skips them.
            if !self.taken.page_comments.insert(wp_id) {
                continue;
            }
            let (status, kind) = (
                comment_status(&comment.approved),
                comment_kind(&comment.kind),
            );
            self.report.count_comment(kind, status);
            self.report.page_comments += 1;
            self.page_comments.push(PageComment {
                id: wp_id,
                page,
                parent: comment.parent.filter(|p| *p > 0),
                status,
                kind,
                author_name: comment.author.clone(),
                author_email: comment.author_email.clone(),
                author_url: comment.author_url.clone(),
                author_ip: (!comment.author_ip.is_empty()).then(|| comment.author_ip.clone()),
                body: comment.content.clone(),
                created_at: self
                    .wp_time(&comment.date, &comment.date_gmt)
                    .unwrap_or(Timestamp::UNIX_EPOCH),
            });
        }
    }
}
