//! `gazette export wxr`: the whole journal as a WordPress export (WXR 1.2), which WordPress's
//! importer reads and which `gazette import wxr` reads back into the same journal.
//!
//! The export streams: articles are read in batches by id and written as they come, so memory
//! does not grow with the archive. What WordPress has a place for goes where WordPress puts it
//! (Yoast's meta for the search title and description and the primary category, Co-Authors
//! Plus terms for further bylines, an attachment for each featured image); what only Gazette
//! has travels as `_gazette_*` meta that WordPress keeps and ignores. The channel's generator
//! names Gazette, which tells Gazette's importer the content is already the HTML readers saw.
//!
//! [`export_wxr`] writes the items in WordPress's order; each kind of item is made by its own
//! module (`channel`, `articles`, `attachments`, `menus`, `pages`), numbered by `item_ids`.

mod articles;
mod attachments;
mod channel;
mod item_ids;
mod menus;
mod pages;

use std::collections::HashMap;
use std::io::Write;

use anyhow::Context as _;
use gazette_core::{
    ArticleId, Comment, Page, PageId, PersonId, Publication, Section, SectionId, Tag, TagId,
};
use gazette_store::{PageComment, Store, WordPressKind};
use gazette_wxr::{Entry, ItemTerm, Meta, WxrWriter};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use item_ids::ItemIds;

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
