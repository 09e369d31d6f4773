//! `gazette export wxr`: the whole journal as a WordPress export (WXR 1.2), which WordPress's
//! importer reads and which `gazette import wxr` reads back into the same journal.
//!
//! The export streams: articles are read in batches by id and written as they come, so memory
//! does not grow with the archive. What WordPress has a place for goes where WordPress puts it
//! (Yoast's meta for the search title and description and the primary category, Co-Authors
//! Plus terms for further bylines, an attachment for each featured image); what only Gazette
//! has travels as `_gazette_*` meta that WordPress keeps and ignores. The channel's generator
//! names Gazette, which tells Gazette's importer the content is already the HTML readers saw.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Context as _;
use gazette_core::{
    Article, ArticleId, BodyFormat, Comment, Page, PageId, PermalinkFields, Person, PersonId,
    Publication, Section, SectionId, Status, Tag, TagId,
};
use gazette_store::{PageComment, Store, WordPressKind};
use gazette_wxr::{Channel, Entry, Item, ItemTerm, Meta, WxrWriter};

use crate::wordpress_names::{wordpress_approval, wordpress_comment_type, wordpress_status};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The generator a Gazette export names; the importer recognises its own exports by it.
pub const GENERATOR_PREFIX: &str = "Gazette ";

/// Meta keys only Gazette reads.
pub mod meta {
    /// The Markdown an article was written in (its content is the HTML made from it).
    pub const MARKDOWN: &str = "_gazette_markdown";
    pub const STANDFIRST: &str = "_gazette_standfirst";
    pub const GENRE: &str = "_gazette_genre";
    pub const CORRECTIONS: &str = "_gazette_corrections";
    /// An older address of the article, which redirects to it (one meta per address).
    pub const RETIRED_PATH: &str = "_gazette_retired_path";
    /// "1" when the body was saved unfiltered (by an editor trusted with raw HTML).
    pub const UNFILTERED_HTML: &str = "_gazette_unfiltered_html";
    /// The featured image's credit.
    pub const IMAGE_CREDIT: &str = "_gazette_image_credit";
    /// A page's id here, when its `post_id` in the export had to be another.
    pub const PAGE_ID: &str = "_gazette_page_id";
    /// A comment's HTML as readers saw it.
    pub const COMMENT_HTML: &str = "_gazette_body_html";
}

/// Articles read and written per batch.
const BATCH: i64 = 500;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub authors: usize,
    pub sections: usize,
    pub tags: usize,
    pub articles: usize,
    pub pages: usize,
    pub comments: usize,
    pub featured_images: usize,
    /// Images of the media library, as attachments.
    pub media: usize,
    /// Entries of the header and footer menus.
    pub menu_items: usize,
}

/// The `post_id`s of the export, which WordPress's importer needs unique across posts, pages,
/// attachments and menu entries (it skips an id it has seen). Articles keep theirs; a page
/// keeps its own unless an article has it; an image an import brought keeps its WordPress
/// id unless taken; everything else is numbered above all of these.
struct ItemIds {
    kept_media: HashMap<i64, i64>,
    media_base: i64,
    pages: HashMap<PageId, i64>,
    taken: std::collections::HashSet<i64>,
    next_own: i64,
}

impl ItemIds {
    async fn new(context: &Context, store: &Store) -> anyhow::Result<Self> {
        let mut taken: std::collections::HashSet<i64> =
            store.article_ids().await?.into_iter().collect();
        let kept_media = store
            .wordpress_ids_by_gazette_id(WordPressKind::Attachment)
            .await?;
        let highest_media = store.highest_media_id().await?;
        let media_base = context
            .first_free_id
            .max(kept_media.values().copied().max().unwrap_or(0) + 1);
        let mut next_own = media_base + highest_media + 1;
        let mut pages = HashMap::new();
        for page in &context.pages {
            let id = if taken.contains(&page.id.0) {
                next_own += 1;
                next_own - 1
            } else {
                page.id.0
            };
            taken.insert(id);
            pages.insert(page.id, id);
        }
        Ok(Self {
            kept_media,
            media_base,
            pages,
            taken,
            next_own,
        })
    }

    /// A library item's attachment id.
    fn media(&self, media: gazette_core::MediaId) -> i64 {
        self.kept_media
            .get(&media.0)
            .copied()
            .filter(|id| !self.taken.contains(id))
            .unwrap_or(self.media_base + media.0)
    }

    /// A page's id in the export.
    fn page(&self, page: PageId) -> i64 {
        self.pages.get(&page).copied().unwrap_or(page.0)
    }

    /// An id for an item of no other kind (an image from elsewhere, a menu entry).
    fn next_own(&mut self) -> i64 {
        self.next_own += 1;
        self.next_own - 1
    }
}

/// Writes the journal in `store` to `out`; `progress` hears the number of articles written.
pub async fn export_wxr(
    store: &Store,
    out: impl Write,
    progress: impl Fn(u64),
) -> anyhow::Result<ExportCounts> {
    let publication = store
        .publication()
        .await?
        .context("this store holds no journal yet: run `gazette migrate` first")?;
    let context = Context::load(store, publication).await?;
    let mut counts = ExportCounts::default();
    let out = std::io::BufWriter::with_capacity(1 << 20, out);
    let mut writer = WxrWriter::new(out, &context.channel()).context("writing the export")?;
    let people = store.people().await?;
    for person in &people {
        writer.write(&context.author(person))?;
        counts.authors += 1;
    }
    for section in &context.sections {
        writer.write(&context.category(section))?;
        counts.sections += 1;
    }
    for tag in context.tags.values() {
        writer.write(&context.tag(tag))?;
        counts.tags += 1;
    }
    let mut item_ids = ItemIds::new(&context, store).await?;
    let mut after_media = gazette_core::MediaId(0);
    loop {
        let batch = store.media_after(after_media, BATCH).await?;
        let Some(last) = batch.last() else {
            break;
        };
        after_media = last.id;
        for media in &batch {
            let item = context.library_item(item_ids.media(media.id), media);
            writer.write(&Entry::Item(Box::new(item)))?;
            counts.media += 1;
        }
    }
    let mut after = ArticleId(0);
    loop {
        let articles = store.articles_after(after, BATCH).await?;
        let Some(last) = articles.last() else {
            break;
        };
        after = last.id;
        let ids: Vec<ArticleId> = articles.iter().map(|a| a.id).collect();
        let mut comments: HashMap<ArticleId, Vec<Comment>> = HashMap::new();
        for comment in store.comments_of_articles(&ids).await? {
            comments.entry(comment.article).or_default().push(comment);
        }
        let mut retired: HashMap<ArticleId, Vec<String>> = HashMap::new();
        for (id, path) in store.retired_paths_of(&ids).await? {
            retired.entry(id).or_default().push(path);
        }
        for article in &articles {
            let mut item = context.article(article);
            if let Some(image) = &article.featured_image {
                let id = match image.media {
                    Some(media) => item_ids.media(media),
                    None => {
                        // An image from elsewhere gets an attachment of its own.
                        let id = item_ids.next_own();
                        let attachment = context.attachment(id, article, image);
                        writer.write(&Entry::Item(Box::new(attachment)))?;
                        id
                    }
                };
                item.meta.push(meta_pair("_thumbnail_id", id));
                counts.featured_images += 1;
            }
            for path in retired.remove(&article.id).unwrap_or_default() {
                item.meta.push(meta_pair(meta::RETIRED_PATH, path));
            }
            let article_comments = comments.remove(&article.id).unwrap_or_default();
            counts.comments += article_comments.len();
            item.comments = article_comments
                .iter()
                .map(|c| context.comment(c))
                .collect();
            writer.write(&Entry::Item(Box::new(item)))?;
            counts.articles += 1;
        }
        progress(u64::try_from(counts.articles).unwrap_or(u64::MAX));
    }
    let mut page_comments: HashMap<PageId, Vec<PageComment>> = HashMap::new();
    for comment in store.page_comments().await? {
        page_comments.entry(comment.page).or_default().push(comment);
    }
    let menus = store.menus().await?;
    for (slug, name, items) in [
        ("header", "Header", &menus.header),
        ("footer", "Footer", &menus.footer),
    ] {
        if items.is_empty() {
            continue;
        }
        writer.write(&Entry::Term(gazette_wxr::Term {
            term_id: None,
            taxonomy: "nav_menu".into(),
            slug: slug.into(),
            parent: String::new(),
            name: name.into(),
            description: String::new(),
            meta: Vec::new(),
        }))?;
        counts.menu_items += items.len();
        for (position, entry) in items.iter().enumerate() {
            let id = item_ids.next_own();
            let item = context.menu_item(id, (slug, name), position, entry, &item_ids);
            writer.write(&Entry::Item(Box::new(item)))?;
        }
    }
    for page in &context.pages {
        let mut item = context.page(page, &item_ids);
        let comments = page_comments.remove(&page.id).unwrap_or_default();
        counts.comments += comments.len();
        item.comments = comments.iter().map(|c| context.page_comment(c)).collect();
        writer.write(&Entry::Item(Box::new(item)))?;
        counts.pages += 1;
    }
    writer.finish().context("finishing the export")?;
    Ok(counts)
}

/// What every item needs to know of the rest of the journal.
struct Context {
    publication: Publication,
    zone: TimeZone,
    /// The site's address without a trailing slash.
    site: String,
    sections: Vec<Section>,
    section_paths: HashMap<SectionId, String>,
    tags: std::collections::BTreeMap<TagId, Tag>,
    logins: HashMap<PersonId, String>,
    pages: Vec<Page>,
    /// Ids WordPress objects had, so that an export of an import names them as before.
    wp_sections: HashMap<i64, i64>,
    wp_tags: HashMap<i64, i64>,
    wp_people: HashMap<i64, i64>,
    /// The first id above every article and page.
    first_free_id: i64,
}

impl Context {
    async fn load(store: &Store, publication: Publication) -> anyhow::Result<Self> {
        let sections = parents_first(store.sections().await?);
        let mut section_paths: HashMap<SectionId, String> = HashMap::new();
        for section in &sections {
            let path = match section.parent.and_then(|p| section_paths.get(&p)) {
                Some(parent) => format!("{parent}/{}", section.slug),
                None => section.slug.as_str().to_owned(),
            };
            section_paths.insert(section.id, path);
        }
        let logins = store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.id, p.slug.as_str().to_owned()))
            .collect();
        let pages = store.pages().await?;
        let highest_page = pages.iter().map(|p| p.id.0).max().unwrap_or(0);
        let highest_article = store.highest_article_id().await?;
        let site = publication
            .base_url
            .as_ref()
            .map_or_else(|| "http://localhost".to_owned(), |u| u.as_str().to_owned())
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            zone: publication.time_zone.zone(),
            site,
            sections,
            section_paths,
            tags: store.tags().await?.into_iter().map(|t| (t.id, t)).collect(),
            logins,
            pages,
            wp_sections: store
                .wordpress_ids_by_gazette_id(WordPressKind::Category)
                .await?,
            wp_tags: store
                .wordpress_ids_by_gazette_id(WordPressKind::Tag)
                .await?,
            wp_people: store
                .wordpress_ids_by_gazette_id(WordPressKind::Author)
                .await?,
            first_free_id: highest_page.max(highest_article) + 1,
            publication,
        })
    }

    fn channel(&self) -> Channel {
        Channel {
            title: self.publication.name.clone(),
            link: self.site.clone(),
            description: self.publication.tagline.clone(),
            language: self.publication.language.as_str().to_owned(),
            wxr_version: None,
            base_site_url: self.site.clone(),
            base_blog_url: self.site.clone(),
            generator: format!("{GENERATOR_PREFIX}{}", env!("CARGO_PKG_VERSION")),
        }
    }

    fn author(&self, person: &Person) -> Entry {
        Entry::Author(gazette_wxr::Author {
            id: Some(*self.wp_people.get(&person.id.0).unwrap_or(&person.id.0)),
            login: person.slug.as_str().to_owned(),
            email: person.email.as_str().to_owned(),
            display_name: person.display_name.clone(),
            first_name: String::new(),
            last_name: String::new(),
        })
    }

    fn category(&self, section: &Section) -> Entry {
        let parent = section
            .parent
            .and_then(|p| self.sections.iter().find(|s| s.id == p))
            .map(|p| p.slug.as_str().to_owned())
            .unwrap_or_default();
        Entry::Category(gazette_wxr::Category {
            term_id: Some(self.section_term_id(section.id)),
            nicename: section.slug.as_str().to_owned(),
            parent,
            name: section.name.clone(),
            description: section.description.clone(),
            meta: Vec::new(),
        })
    }

    fn section_term_id(&self, id: SectionId) -> i64 {
        *self.wp_sections.get(&id.0).unwrap_or(&id.0)
    }

    fn tag(&self, tag: &Tag) -> Entry {
        Entry::Tag(gazette_wxr::Tag {
            term_id: Some(*self.wp_tags.get(&tag.id.0).unwrap_or(&tag.id.0)),
            slug: tag.slug.as_str().to_owned(),
            name: tag.name.clone(),
            description: tag.description.clone(),
            meta: Vec::new(),
        })
    }

    fn article(&self, article: &Article) -> Item {
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

    /// A library image as the attachment WordPress would hold for it.
    fn library_item(&self, id: i64, media: &gazette_core::Media) -> Item {
        let url = format!("{}{}", self.site, media.url());
        let mut meta = vec![meta_pair("_wp_attached_file", &media.path)];
        if !media.alt.is_empty() {
            meta.push(meta_pair("_wp_attachment_image_alt", &media.alt));
        }
        Item {
            title: media.original_name.clone(),
            link: format!("{}/?attachment_id={id}", self.site),
            pub_date: media
                .created_at
                .strftime("%a, %d %b %Y %H:%M:%S +0000")
                .to_string(),
            guid: url.clone(),
            description: media.credit.clone(),
            excerpt: media.caption.clone(),
            post_id: Some(id),
            post_date: self.local(media.created_at),
            post_date_gmt: utc(media.created_at),
            post_modified: self.local(media.updated_at),
            post_modified_gmt: utc(media.updated_at),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: media.path.rsplit('/').next().unwrap_or_default().to_owned(),
            status: "inherit".into(),
            post_type: "attachment".into(),
            attachment_url: url,
            meta,
            ..Item::default()
        }
    }

    /// A featured image from elsewhere as the attachment WordPress would hold for it.
    fn attachment(&self, id: i64, article: &Article, image: &gazette_core::FeaturedImage) -> Item {
        let url = if image.src.contains("://") {
            image.src.clone()
        } else {
            format!("{}/{}", self.site, image.src.trim_start_matches('/'))
        };
        let name = url.rsplit('/').next().unwrap_or_default().to_owned();
        let mut meta = Vec::new();
        if !image.alt.is_empty() {
            meta.push(meta_pair("_wp_attachment_image_alt", &image.alt));
        }
        Item {
            title: name.clone(),
            link: url.clone(),
            guid: url.clone(),
            excerpt: image.caption.clone(),
            post_id: Some(id),
            post_date: self.local(article.created_at),
            post_date_gmt: utc(article.created_at),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: name,
            status: "inherit".into(),
            post_parent: Some(article.id.0),
            post_type: "attachment".into(),
            attachment_url: url,
            meta,
            ..Item::default()
        }
    }

    fn comment(&self, comment: &Comment) -> gazette_wxr::Comment {
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

    /// A menu entry as WordPress's `nav_menu_item`, in menu `(slug, name)`.
    fn menu_item(
        &self,
        id: i64,
        (slug, name): (&str, &str),
        position: usize,
        entry: &gazette_core::curation::MenuItem,
        ids: &ItemIds,
    ) -> Item {
        use gazette_core::curation::MenuTarget;
        let (kind, object, object_id, url) = match &entry.target {
            MenuTarget::Section { id } => (
                "taxonomy",
                "category",
                self.section_term_id(*id),
                String::new(),
            ),
            MenuTarget::Page { id } => ("post_type", "page", ids.page(*id), String::new()),
            MenuTarget::Link { url } => {
                let absolute = if url.starts_with('/') {
                    format!("{}{url}", self.site)
                } else {
                    url.clone()
                };
                ("custom", "custom", id, absolute)
            }
        };
        let meta = vec![
            meta_pair("_menu_item_type", kind),
            meta_pair("_menu_item_menu_item_parent", 0),
            meta_pair("_menu_item_object_id", object_id),
            meta_pair("_menu_item_object", object),
            meta_pair("_menu_item_url", url),
        ];
        Item {
            title: entry.label.clone(),
            link: format!("{}/?p={id}", self.site),
            guid: format!("{}/?p={id}", self.site),
            post_id: Some(id),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: format!("{slug}-{}", position + 1),
            status: "publish".into(),
            menu_order: Some(i64::try_from(position).unwrap_or(0) + 1),
            post_type: "nav_menu_item".into(),
            terms: vec![term("nav_menu", slug, name)],
            meta,
            ..Item::default()
        }
    }

    /// A comment kept from a WordPress page, as it came.
    fn page_comment(&self, comment: &PageComment) -> gazette_wxr::Comment {
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

    fn page(&self, page: &Page, ids: &ItemIds) -> Item {
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

    /// WordPress's local date format in the journal's time zone.
    fn local(&self, at: Timestamp) -> String {
        at.to_zoned(self.zone.clone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

fn utc(at: Timestamp) -> String {
    at.to_zoned(TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn term(domain: &str, nicename: &str, name: &str) -> ItemTerm {
    ItemTerm {
        domain: domain.to_owned(),
        nicename: nicename.to_owned(),
        name: name.to_owned(),
    }
}

fn meta_pair(key: &str, value: impl ToString) -> Meta {
    Meta {
        key: key.to_owned(),
        value: value.to_string(),
    }
}

fn open_or_closed(open: bool) -> String {
    if open { "open" } else { "closed" }.to_owned()
}

/// Sections with every parent before its children, as WordPress's importer needs them (a
/// loop of parents cannot be stored, but would go last rather than be lost).
fn parents_first(sections: Vec<Section>) -> Vec<Section> {
    let (mut ordered, in_a_loop) =
        crate::import::write::parents_first(sections, |s| s.id, |s| s.parent);
    ordered.extend(in_a_loop);
    ordered
}
