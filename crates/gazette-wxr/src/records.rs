//! The records of a WordPress export, read from their element trees. Field names follow
//! WordPress's own (`post_date_gmt`, `comment_approved`, …) so the mapping to Gazette is
//! done once, in the importer, and can be checked against WordPress's documentation.

use crate::Vocabulary::{self, Content, DublinCore, Excerpt, Rss, WordPress};
use crate::tree::Node;

/// What the channel says of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    /// The export format's version and the line it is on.
    pub wxr_version: Option<(String, u64)>,
    pub base_site_url: String,
    pub base_blog_url: String,
    /// What made the export (`https://wordpress.org/?v=6.4.2`, `Gazette 0.1.0`).
    pub generator: String,
}

impl Channel {
    pub(crate) fn absorb(&mut self, node: &Node, line: u64) {
        let text = node.text.trim().to_owned();
        match (node.vocabulary, node.name.as_str()) {
            (Rss, "title") => self.title = text,
            (Rss, "link") => self.link = text,
            (Rss, "description") => self.description = text,
            (Rss, "language") => self.language = text,
            (WordPress, "wxr_version") if self.wxr_version.is_none() => {
                self.wxr_version = Some((text, line));
            }
            (WordPress, "base_site_url") => self.base_site_url = text,
            (WordPress, "base_blog_url") => self.base_blog_url = text,
            (Rss, "generator") => self.generator = text,
            _ => {}
        }
    }
}

/// One record of the export.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Author(Author),
    Category(Category),
    Tag(Tag),
    /// A term of another taxonomy (`nav_menu`, `post_format`, custom ones).
    Term(Term),
    Item(Box<Item>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Author,
    Category,
    Tag,
    Term,
    Item,
}

/// A record from its tree; None for one without what identifies it (an author without a
/// login), which the importer cannot use.
pub(crate) fn entry(kind: Kind, node: &Node, line: u64) -> Option<Entry> {
    Some(match kind {
        Kind::Author => Entry::Author(Author::from_node(node)?),
        Kind::Category => Entry::Category(Category::from_node(node)),
        Kind::Tag => Entry::Tag(Tag::from_node(node)),
        Kind::Term => Entry::Term(Term::from_node(node)),
        Kind::Item => Entry::Item(Box::new(Item::from_node(node, line))),
    })
}

/// A `wp:postmeta`, `wp:commentmeta` or `wp:termmeta` pair. The value may be PHP-serialized:
/// see [`crate::php::unserialize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub key: String,
    pub value: String,
}

fn metas(node: &Node, name: &str) -> Vec<Meta> {
    node.all(WordPress, name)
        .map(|meta| Meta {
            key: meta.text_of(WordPress, "meta_key"),
            value: meta.raw_text_of(WordPress, "meta_value"),
        })
        .filter(|meta| !meta.key.is_empty())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub id: Option<i64>,
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

impl Author {
    fn from_node(node: &Node) -> Option<Self> {
        let login = node.text_of(WordPress, "author_login");
        if login.is_empty() {
            return None;
        }
        Some(Self {
            id: node.number_of("author_id"),
            login,
            email: node.text_of(WordPress, "author_email"),
            display_name: node.text_of(WordPress, "author_display_name"),
            first_name: node.text_of(WordPress, "author_first_name"),
            last_name: node.text_of(WordPress, "author_last_name"),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub term_id: Option<i64>,
    pub nicename: String,
    /// The parent's nicename, empty at the top.
    pub parent: String,
    pub name: String,
    pub description: String,
    pub meta: Vec<Meta>,
}

impl Category {
    fn from_node(node: &Node) -> Self {
        Self {
            term_id: node.number_of("term_id"),
            nicename: node.text_of(WordPress, "category_nicename"),
            parent: node.text_of(WordPress, "category_parent"),
            name: node.text_of(WordPress, "cat_name"),
            description: node.text_of(WordPress, "category_description"),
            meta: metas(node, "termmeta"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub term_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub meta: Vec<Meta>,
}

impl Tag {
    fn from_node(node: &Node) -> Self {
        Self {
            term_id: node.number_of("term_id"),
            slug: node.text_of(WordPress, "tag_slug"),
            name: node.text_of(WordPress, "tag_name"),
            description: node.text_of(WordPress, "tag_description"),
            meta: metas(node, "termmeta"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term_id: Option<i64>,
    pub taxonomy: String,
    pub slug: String,
    /// The parent's slug, empty at the top.
    pub parent: String,
    pub name: String,
    pub description: String,
    pub meta: Vec<Meta>,
}

impl Term {
    fn from_node(node: &Node) -> Self {
        Self {
            term_id: node.number_of("term_id"),
            taxonomy: node.text_of(WordPress, "term_taxonomy"),
            slug: node.text_of(WordPress, "term_slug"),
            parent: node.text_of(WordPress, "term_parent"),
            name: node.text_of(WordPress, "term_name"),
            description: node.text_of(WordPress, "term_description"),
            meta: metas(node, "termmeta"),
        }
    }
}

/// A post of any type (post, page, attachment, nav_menu_item, …) with its terms, meta and
/// comments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    /// Where the item starts in the file, for messages.
    pub line: u64,
    pub title: String,
    pub link: String,
    pub pub_date: String,
    /// The author's login.
    pub creator: String,
    pub guid: String,
    pub description: String,
    pub content: String,
    pub excerpt: String,
    pub post_id: Option<i64>,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_modified: String,
    pub post_modified_gmt: String,
    pub comment_status: String,
    pub ping_status: String,
    pub post_name: String,
    pub status: String,
    pub post_parent: Option<i64>,
    pub menu_order: Option<i64>,
    pub post_type: String,
    pub post_password: String,
    pub is_sticky: bool,
    pub attachment_url: String,
    pub terms: Vec<ItemTerm>,
    pub meta: Vec<Meta>,
    pub comments: Vec<Comment>,
}

/// A category, tag or other term an item is filed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTerm {
    /// The taxonomy: `category`, `post_tag`, `nav_menu`, …
    pub domain: String,
    pub nicename: String,
    pub name: String,
}

impl Item {
    fn from_node(node: &Node, line: u64) -> Self {
        let text = |vocabulary: Vocabulary, name: &str| node.text_of(vocabulary, name);
        Self {
            line,
            title: text(Rss, "title"),
            link: text(Rss, "link"),
            pub_date: text(Rss, "pubDate"),
            creator: text(DublinCore, "creator"),
            guid: text(Rss, "guid"),
            description: text(Rss, "description"),
            content: node.raw_text_of(Content, "encoded"),
            excerpt: node.raw_text_of(Excerpt, "encoded"),
            post_id: node.number_of("post_id"),
            post_date: text(WordPress, "post_date"),
            post_date_gmt: text(WordPress, "post_date_gmt"),
            post_modified: text(WordPress, "post_modified"),
            post_modified_gmt: text(WordPress, "post_modified_gmt"),
            comment_status: text(WordPress, "comment_status"),
            ping_status: text(WordPress, "ping_status"),
            post_name: text(WordPress, "post_name"),
            status: text(WordPress, "status"),
            post_parent: node.number_of("post_parent"),
            menu_order: node.number_of("menu_order"),
            post_type: text(WordPress, "post_type"),
            post_password: text(WordPress, "post_password"),
            is_sticky: text(WordPress, "is_sticky") == "1",
            attachment_url: text(WordPress, "attachment_url"),
            terms: node
                .all(Rss, "category")
                .map(|term| ItemTerm {
                    domain: term.attribute("domain").unwrap_or("category").to_owned(),
                    nicename: term.attribute("nicename").unwrap_or_default().to_owned(),
                    name: term.text.trim().to_owned(),
                })
                .collect(),
            meta: metas(node, "postmeta"),
            comments: node
                .all(WordPress, "comment")
                .map(Comment::from_node)
                .collect(),
        }
    }

    /// The first value of a meta key.
    pub fn meta_value(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: Option<i64>,
    pub author: String,
    pub author_email: String,
    pub author_url: String,
    pub author_ip: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    /// `1`, `0` (held), `spam` or `trash`.
    pub approved: String,
    /// Empty or `comment` for a comment; `pingback`, `trackback`, …
    pub kind: String,
    pub parent: Option<i64>,
    pub user_id: Option<i64>,
    pub meta: Vec<Meta>,
}

impl Comment {
    fn from_node(node: &Node) -> Self {
        let text = |name: &str| node.text_of(WordPress, name);
        Self {
            id: node.number_of("comment_id"),
            author: text("comment_author"),
            author_email: text("comment_author_email"),
            author_url: text("comment_author_url"),
            author_ip: text("comment_author_IP"),
            date: text("comment_date"),
            date_gmt: text("comment_date_gmt"),
            content: node.raw_text_of(WordPress, "comment_content"),
            approved: text("comment_approved"),
            kind: text("comment_type"),
            parent: node.number_of("comment_parent").filter(|p| *p != 0),
            user_id: node.number_of("comment_user_id").filter(|p| *p != 0),
            meta: metas(node, "commentmeta"),
        }
    }
}
