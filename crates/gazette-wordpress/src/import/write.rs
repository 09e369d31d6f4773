//! The import's second pass: reads the export again and writes it into the store, in one unit
//! of work. A failure anywhere rolls everything back, so an interrupted or refused import
//! leaves the store as it was and can simply be run again; objects an earlier import brought
//! (remembered by their WordPress ids) are skipped, so a second run changes nothing.
//!
//! [`Writer`] holds what the pass has made so far and the order of the writing; each kind of
//! object is written by its own module: `people`, `taxonomy`, `articles` (with `metadata`,
//! `redirects` and `comments`), `pages` and `menus`.

mod articles;
mod comments;
mod menus;
mod metadata;
mod pages;
mod people;
mod redirects;
mod taxonomy;

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use gazette_core::{ArticleId, LegacySlug, PersonId, Publication, SectionId, Slug, TagId};
use gazette_store::{
    ImportedArticle, ImportedComment, ImportedPage, PageComment, WordPressKind, WriteTx,
};
use gazette_wxr::{Category, Entry, Item, Tag, WxrReader};
use jiff::tz::TimeZone;

use super::ImportOptions;
use super::bases::Bases;
use super::catalogue::Catalogue;
use super::media::{self, MediaFolders, Uploads};
use super::menus::{MenuChoice, WordPressMenus};
use super::report::Report;

pub(crate) use redirects::link_path;

/// Articles written per batch of statements.
const BATCH: usize = 500;

/// Ids of what the import has made (or found from an earlier import), by WordPress id.
#[derive(Debug, Default)]
struct IdMaps {
    people: HashMap<i64, i64>,
    people_by_login: HashMap<String, PersonId>,
    sections: HashMap<i64, i64>,
    sections_by_slug: HashMap<String, SectionId>,
    tags: HashMap<i64, i64>,
    tags_by_slug: HashMap<String, TagId>,
    posts: HashMap<i64, i64>,
    pages: HashMap<i64, i64>,
    comments: HashMap<i64, i64>,
}

/// Ids in use, so WordPress's can be kept where they are free.
#[derive(Debug, Default)]
struct Taken {
    articles: HashSet<i64>,
    pages: HashSet<i64>,
    comments: HashSet<i64>,
    /// Comments kept from pages, by their WordPress ids.
    page_comments: HashSet<i64>,
    next_article: i64,
    next_page: i64,
    next_comment: i64,
    slugs: HashSet<String>,
}

impl Taken {
    fn claim(set: &mut HashSet<i64>, next: &mut i64, wanted: Option<i64>) -> i64 {
        if let Some(id) = wanted.filter(|id| *id > 0 && !set.contains(id)) {
            set.insert(id);
            return id;
        }
        while set.contains(next) {
            *next += 1;
        }
        set.insert(*next);
        *next
    }
}

/// Writes the export `input` (already surveyed into `catalogue`) through `tx`.
#[derive(Debug)]
pub struct Writer {
    pub catalogue: Catalogue,
    pub publication: Publication,
    pub zone: TimeZone,
    pub report: Report,
    ids: IdMaps,
    taken: Taken,
    pending_categories: Vec<Category>,
    pending_tags: Vec<Tag>,
    taxonomy_written: bool,
    articles: Vec<ImportedArticle>,
    comments: Vec<ImportedComment>,
    /// WordPress's comment ids and the comments' ids here, for the comments in `comments`.
    comment_pairs: Vec<(i64, i64)>,
    retired: Vec<(String, ArticleId)>,
    pages: Vec<(Item, ImportedPage)>,
    page_comments: Vec<PageComment>,
    /// The export's navigation menus, and which become Gazette's.
    menus: WordPressMenus,
    menu_choice: MenuChoice,
    /// The old site's archive bases, and each imported section's old path below them.
    bases: Bases,
    /// Each category's path of WordPress slugs from the top (`world/europe`).
    old_category_paths: Vec<String>,
    /// Each tag of the export: its WordPress slug and what it became.
    old_tag_slugs: Vec<(String, TagId)>,
    /// Where `--media-dir`'s files come from and go.
    media: Option<MediaFolders>,
    /// What the media copy made of the old uploads.
    uploads: Uploads,
}

impl Writer {
    pub fn new(catalogue: Catalogue, publication: Publication, options: &ImportOptions) -> Self {
        let zone = publication.time_zone.zone();
        Self {
            catalogue,
            publication,
            zone,
            report: Report::default(),
            ids: IdMaps::default(),
            taken: Taken::default(),
            pending_categories: Vec::new(),
            pending_tags: Vec::new(),
            taxonomy_written: false,
            articles: Vec::new(),
            comments: Vec::new(),
            comment_pairs: Vec::new(),
            retired: Vec::new(),
            pages: Vec::new(),
            page_comments: Vec::new(),
            menus: WordPressMenus::default(),
            menu_choice: options.menus.clone(),
            bases: options.bases.clone(),
            old_category_paths: Vec::new(),
            old_tag_slugs: Vec::new(),
            media: options.media.clone(),
            uploads: Uploads::default(),
        }
    }

    /// Reads the export and writes everything in it through `tx`.
    pub async fn run(
        &mut self,
        tx: &mut WriteTx,
        input: impl BufRead + Send,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> anyhow::Result<()> {
        self.load_existing(tx).await?;
        self.uploads = media::copy_attachments(
            tx,
            &mut self.catalogue,
            self.media.as_ref(),
            &mut self.report,
        )
        .await?;
        let mut reader = WxrReader::new(input);
        while let Some(entry) = reader.next_entry()? {
            match entry {
                Entry::Author(author) => self.person(tx, &author).await?,
                Entry::Category(category) => self.pending_categories.push(category),
                Entry::Tag(tag) => self.pending_tags.push(tag),
                Entry::Term(term) => self.menus.note_term(&term),
                Entry::Item(item) => {
                    self.write_taxonomy(tx).await?;
                    self.item(*item)?;
                    if self.articles.len() >= BATCH {
                        self.flush(tx).await?;
                    }
                }
            }
            progress(reader.bytes_read());
        }
        self.write_taxonomy(tx).await?;
        self.flush(tx).await?;
        self.write_pages(tx).await?;
        self.write_menus(tx).await?;
        self.write_base_redirects(tx).await?;
        tx.put_publication(&self.publication).await?;
        tx.finish_import().await?;
        Ok(())
    }

    async fn load_existing(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        self.ids.people = tx.wordpress_ids(WordPressKind::Author).await?;
        self.ids.sections = tx.wordpress_ids(WordPressKind::Category).await?;
        self.ids.tags = tx.wordpress_ids(WordPressKind::Tag).await?;
        self.ids.posts = tx.wordpress_ids(WordPressKind::Post).await?;
        self.ids.pages = tx.wordpress_ids(WordPressKind::Page).await?;
        self.ids.comments = tx.wordpress_ids(WordPressKind::Comment).await?;
        self.taken.articles = tx.taken_ids(WordPressKind::Post).await?;
        self.taken.pages = tx.taken_ids(WordPressKind::Page).await?;
        self.taken.comments = tx.taken_ids(WordPressKind::Comment).await?;
        self.taken.page_comments = tx.page_comment_ids().await?;
        let survey = &self.catalogue.survey;
        self.taken.next_article = survey.max_post_id.max(max(&self.taken.articles)) + 1;
        self.taken.next_page = survey.max_post_id.max(max(&self.taken.pages)) + 1;
        self.taken.next_comment = survey.max_comment_id.max(max(&self.taken.comments)) + 1;
        self.taken.slugs = tx.article_slugs().await?.into_iter().collect();
        for section in tx.sections().await? {
            self.ids
                .sections_by_slug
                .insert(section.slug.as_str().to_owned(), section.id);
        }
        for tag in tx.tags().await? {
            self.ids
                .tags_by_slug
                .insert(tag.slug.as_str().to_owned(), tag.id);
        }
        Ok(())
    }

    /// Writes the queued articles, their comments and their old paths.
    async fn flush(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        let articles = std::mem::take(&mut self.articles);
        let pairs: Vec<(i64, i64)> = articles
            .iter()
            .filter_map(|a| Some((a.article.legacy_wp_id?, a.article.id?.0)))
            .collect();
        tx.import_articles(articles).await?;
        tx.record_wordpress_ids(WordPressKind::Post, &pairs).await?;
        let comments = std::mem::take(&mut self.comments);
        let comment_pairs = std::mem::take(&mut self.comment_pairs);
        tx.import_comments(comments).await?;
        tx.record_wordpress_ids(WordPressKind::Comment, &comment_pairs)
            .await?;
        tx.import_retired_paths(std::mem::take(&mut self.retired))
            .await?;
        Ok(())
    }
}

/// `items` with every parent before its children: those whose parent is not among them come
/// first, then their children, and so on. The second list holds the items in a loop of
/// parents, which no order can satisfy.
pub(crate) fn parents_first<T, K: Eq + std::hash::Hash>(
    items: Vec<T>,
    key: impl Fn(&T) -> K,
    parent: impl Fn(&T) -> Option<K>,
) -> (Vec<T>, Vec<T>) {
    let keys: HashSet<K> = items.iter().map(&key).collect();
    let mut waiting_for: HashMap<K, Vec<T>> = HashMap::new();
    let mut ready = Vec::new();
    for item in items {
        match parent(&item).filter(|p| keys.contains(p)) {
            Some(p) => waiting_for.entry(p).or_default().push(item),
            None => ready.push(item),
        }
    }
    // Breadth first, so items keep the export's order within each generation.
    let mut ordered = ready;
    let mut next = 0;
    while let Some(item) = ordered.get(next) {
        if let Some(children) = waiting_for.remove(&key(item)) {
            ordered.extend(children);
        }
        next += 1;
    }
    let in_a_loop = waiting_for.into_values().flatten().collect();
    (ordered, in_a_loop)
}

fn max(ids: &HashSet<i64>) -> i64 {
    ids.iter().copied().max().unwrap_or(0)
}

/// WordPress's slug (percent-encoded or not) as Gazette's, or one made from `name` when it is
/// empty or not a valid slug (a term's name, a post's title; `untitled` without letters).
fn wordpress_slug(slug: &str, name: &str) -> Slug {
    LegacySlug::parse(slug)
        .ok()
        .and_then(|decoded| Slug::parse(decoded.as_str()).ok())
        .unwrap_or_else(|| Slug::from_headline(if name.is_empty() { slug } else { name }))
}

#[cfg(test)]
mod tests {
    use super::parents_first;

    #[test]
    fn parents_come_first_and_loops_are_set_apart() {
        // (id, parent)
        let items = vec![
            (3, Some(2)),
            (2, Some(1)),
            (1, None),
            (4, Some(9)),
            (5, Some(6)),
            (6, Some(5)),
        ];
        let (ordered, in_a_loop) = parents_first(items, |i| i.0, |i| i.1);
        let ids: Vec<i32> = ordered.iter().map(|i| i.0).collect();
        assert_eq!(ids, [1, 4, 2, 3]);
        let mut looped: Vec<i32> = in_a_loop.iter().map(|i| i.0).collect();
        looped.sort_unstable();
        assert_eq!(looped, [5, 6]);
    }
}
