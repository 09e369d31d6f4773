//! Pages as WordPress pages, with the comments an import kept from WordPress's pages.

use gazette_core::{BodyFormat, Page};
use gazette_store::PageComment;
use gazette_wxr::Item;

use super::item_ids::ItemIds;
use super::{Context, meta, meta_pair, utc};
use crate::wordpress_names::{wordpress_approval, wordpress_comment_type, wordpress_status};

impl Context {
    pub(super) fn page(&self, page: &Page, ids: &ItemIds) -> Item {
        let shown_at = page.published_at.unwrap_or(page.updated_at);
        let id = ids.page(page.id);
        let (content, mut meta) = match page.body_format {
            BodyFormat::Html => (page.body_source.clone(), Vec::new()),
            BodyFormat::Markdown => (
                page.body_html.as_str().to_owned(),
                vec![meta_pair(meta::MARKDOWN, &page.body_source)],
            ),
        };
        if id != page.id.0 {
            meta.push(meta_pair(meta::PAGE_ID, page.id.0));
        }
        Item {
            title: page.title.clone(),
            link: format!("{}/?page_id={id}", self.site),
            pub_date: shown_at.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string(),
            guid: format!("{}/?page_id={id}", self.site),
            content,
            post_id: Some(id),
            post_date: self.local(shown_at),
            post_date_gmt: utc(shown_at),
            post_modified: self.local(page.updated_at),
            post_modified_gmt: utc(page.updated_at),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: page.slug.as_str().to_owned(),
            status: wordpress_status(page.status).into(),
            post_parent: page.parent.map(|p| ids.page(p)),
            post_type: "page".into(),
            meta,
            ..Item::default()
        }
    }

    /// A comment kept from a WordPress page, as it came.
    pub(super) fn page_comment(&self, comment: &PageComment) -> gazette_wxr::Comment {
        gazette_wxr::Comment {
            id: Some(comment.id),
            author: comment.author_name.clone(),
            author_email: comment.author_email.clone(),
            author_url: comment.author_url.clone(),
            author_ip: comment.author_ip.clone().unwrap_or_default(),
            date: self.local(comment.created_at),
            date_gmt: utc(comment.created_at),
            content: comment.body.clone(),
            approved: wordpress_approval(comment.status).into(),
            kind: wordpress_comment_type(comment.kind).into(),
            parent: comment.parent,
            user_id: None,
            meta: Vec::new(),
        }
    }
}
