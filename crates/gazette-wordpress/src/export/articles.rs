//! Articles as WordPress posts, with their comments: the body, the meta WordPress's plugins
//! and Gazette read, the categories, tags and further bylines.

use gazette_core::{Article, BodyFormat, Comment, PermalinkFields, Status};
use gazette_wxr::{Item, ItemTerm, Meta};

use super::{Context, meta, meta_pair, open_or_closed, term, utc};
use crate::wordpress_names::{wordpress_approval, wordpress_comment_type, wordpress_status};

impl Context {
    pub(super) fn article(&self, article: &Article) -> Item {
        let shown_at = article.published_at.unwrap_or(article.created_at);
        let path = self.publication.permalink.render(&PermalinkFields {
            id: article.id.0,
            slug: article.slug.as_str(),
            published: shown_at.to_zoned(self.zone.clone()).datetime(),
            category_path: article
                .primary_section
                .and_then(|s| self.section_paths.get(&s))
                .map_or("uncategorized", String::as_str),
            author_slug: article
                .authors
                .first()
                .and_then(|a| self.logins.get(a))
                .map_or("", String::as_str),
        });
        let (content, mut meta) = match article.body_format {
            BodyFormat::Html => (article.body_source.clone(), Vec::new()),
            BodyFormat::Markdown => (
                article.body_html.as_str().to_owned(),
                vec![meta_pair(meta::MARKDOWN, &article.body_source)],
            ),
        };
        for (key, value) in [
            (meta::STANDFIRST, &article.standfirst),
            (meta::CORRECTIONS, &article.corrections),
            ("_yoast_wpseo_title", &article.seo_title),
            ("_yoast_wpseo_metadesc", &article.seo_description),
            ("_yoast_wpseo_canonical", &article.canonical_url),
        ] {
            if !value.is_empty() {
                meta.push(meta_pair(key, value));
            }
        }
        if article.noindex {
            meta.push(meta_pair("_yoast_wpseo_meta-robots-noindex", 1));
        }
        meta.push(meta_pair(meta::GENRE, article.genre.as_str()));
        if article.unfiltered_html {
            meta.push(meta_pair(meta::UNFILTERED_HTML, 1));
        }
        if let Some(credit) = article
            .featured_image
            .as_ref()
            .map(|i| &i.credit)
            .filter(|c| !c.is_empty())
        {
            meta.push(meta_pair(meta::IMAGE_CREDIT, credit));
        }
        if let Some(primary) = article.primary_section {
            meta.push(meta_pair(
                "_yoast_wpseo_primary_category",
                self.section_term_id(primary),
            ));
        }
        let mut terms: Vec<ItemTerm> = article
            .primary_section
            .iter()
            .chain(&article.further_sections)
            .filter_map(|id| self.sections.iter().find(|s| s.id == *id))
            .map(|s| term("category", s.slug.as_str(), &s.name))
            .collect();
        terms.extend(
            article
                .tags
                .iter()
                .filter_map(|id| self.tags.get(id))
                .map(|t| term("post_tag", t.slug.as_str(), &t.name)),
        );
        // Bylines after the first, as Co-Authors Plus records them.
        terms.extend(
            article
                .authors
                .iter()
                .skip(1)
                .filter_map(|id| self.logins.get(id))
                .map(|login| term("author", &format!("cap-{login}"), login)),
        );
        let (post_date, post_date_gmt) = match article.status {
            Status::Draft | Status::PendingReview if article.published_at.is_none() => (
                self.local(article.created_at),
                "0000-00-00 00:00:00".to_owned(),
            ),
            _ => (self.local(shown_at), utc(shown_at)),
        };
        Item {
            title: article.headline.clone(),
            link: format!("{}{path}", self.site),
            pub_date: shown_at.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string(),
            creator: article
                .authors
                .first()
                .and_then(|a| self.logins.get(a))
                .cloned()
                .unwrap_or_default(),
            guid: article
                .legacy_guid
                .clone()
                .unwrap_or_else(|| format!("{}/?p={}", self.site, article.id.0)),
            content,
            excerpt: article.excerpt.clone(),
            post_id: Some(article.id.0),
            post_date,
            post_date_gmt,
            post_modified: self.local(article.updated_at),
            post_modified_gmt: utc(article.updated_at),
            comment_status: open_or_closed(article.comments_open),
            ping_status: "closed".into(),
            post_name: article.slug.as_str().to_owned(),
            status: wordpress_status(article.status).into(),
            post_type: "post".into(),
            post_password: article.password.clone().unwrap_or_default(),
            is_sticky: article.sticky,
            terms,
            meta,
            ..Item::default()
        }
    }

    pub(super) fn comment(&self, comment: &Comment) -> gazette_wxr::Comment {
        gazette_wxr::Comment {
            id: Some(comment.id.0),
            author: comment.author_name.clone(),
            author_email: comment.author_email.clone(),
            author_url: comment.author_url.clone(),
            author_ip: comment.author_ip.clone().unwrap_or_default(),
            date: self.local(comment.created_at),
            date_gmt: utc(comment.created_at),
            content: comment.body.clone(),
            approved: wordpress_approval(comment.status).into(),
            kind: wordpress_comment_type(comment.kind).into(),
            parent: comment.parent.map(|p| p.0),
            user_id: None,
            meta: vec![Meta {
                key: meta::COMMENT_HTML.into(),
                value: comment.body_html.as_str().to_owned(),
            }],
        }
    }
}
