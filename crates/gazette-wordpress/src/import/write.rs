//! The import's second pass: reads the export again and writes it into the store, in one unit
//! of work. A failure anywhere rolls everything back, so an interrupted or refused import
//! leaves the store as it was and can simply be run again; objects an earlier import brought
//! (remembered by their WordPress ids) are skipped, so a second run changes nothing.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use anyhow::Context as _;
use gazette_core::{
    ArticleId, BodyFormat, CommentId, Email, FeaturedImage, LegacySlug, PageId, PermalinkFields,
    PersonId, Publication, Role, SectionId, Slug, Status, TagId,
};
use gazette_render::wordpress::{self, MediaLookup as _};
use gazette_store::{
    ImportedArticle, ImportedComment, ImportedPage, NewArticle, NewComment, NewPage, NewPerson,
    NewSection, NewTag, PageComment, WordPressKind, WriteTx,
};
use gazette_wxr::{Author, Category, Entry, Item, Tag, WxrReader};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::ImportOptions;
use super::bases::{self, Bases};
use super::catalogue::{Catalogue, wp_date};
use super::media::{self, MediaFolders, Uploads};
use super::menus::{MenuChoice, MenuTargets, WordPressMenus};
use super::report::Report;
use crate::export;
use crate::wordpress_names::{comment_kind, comment_status, status};

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

    /// An author: a person without sign-in (until invited), found by email when already here.
    async fn person(&mut self, tx: &mut WriteTx, author: &Author) -> anyhow::Result<()> {
        let login = author.login.clone();
        if let Some(id) = author.id.and_then(|id| self.ids.people.get(&id)) {
            self.ids.people_by_login.insert(login, PersonId(*id));
            return Ok(());
        }
        let slug =
            Slug::parse(&login.to_lowercase()).unwrap_or_else(|_| Slug::from_headline(&login));
        let email = match Email::parse(&author.email) {
            Ok(email) => email,
            Err(_) => {
                self.report.warn(format!(
                    "Author {login} has no usable email address ({:?}); they were given {slug}@imported.invalid, to be changed before inviting them.",
                    author.email
                ));
                Email::parse(&format!("{slug}@imported.invalid"))
                    .with_context(|| format!("making an address for author {login}"))?
            }
        };
        let existing = tx.person_id_by_email(&email).await?;
        let id = match existing {
            Some(id) => id,
            None => {
                let display_name = if author.display_name.is_empty() {
                    login.clone()
                } else {
                    author.display_name.clone()
                };
                let new = NewPerson {
                    display_name,
                    slug: self.free_person_slug(tx, slug).await?,
                    email,
                    role: Role::Author,
                    password_hash: None,
                    bio: String::new(),
                    active: true,
                };
                self.report.created.people += 1;
                tx.insert_person(&new).await?.id
            }
        };
        if let Some(wp_id) = author.id {
            tx.record_wordpress_ids(WordPressKind::Author, &[(wp_id, id.0)])
                .await?;
            self.ids.people.insert(wp_id, id.0);
        }
        self.ids.people_by_login.insert(login, id);
        Ok(())
    }

    async fn free_person_slug(&mut self, tx: &mut WriteTx, slug: Slug) -> anyhow::Result<Slug> {
        let mut candidate = slug.clone();
        let mut n = 2;
        while tx.person_slug_taken(&candidate).await? {
            candidate = Slug::parse(&format!("{slug}-{n}"))?;
            n += 1;
        }
        Ok(candidate)
    }

    /// Categories become sections (parents first) and tags tags, once all have been read:
    /// an export lists them before its items.
    async fn write_taxonomy(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        if self.taxonomy_written {
            return Ok(());
        }
        self.taxonomy_written = true;
        let categories = std::mem::take(&mut self.pending_categories);
        let parents: HashMap<String, String> = categories
            .iter()
            .map(|c| (c.nicename.clone(), c.parent.clone()))
            .collect();
        for category in &categories {
            let mut path = vec![category.nicename.as_str()];
            while let Some(parent) = parents
                .get(*path.last().unwrap_or(&""))
                .filter(|p| !p.is_empty() && path.len() < 16)
            {
                path.push(parent);
            }
            path.reverse();
            self.old_category_paths.push(path.join("/"));
        }
        let (ordered, in_a_loop) = parents_first(
            categories,
            |category| category.nicename.clone(),
            |category| (!category.parent.is_empty()).then(|| category.parent.clone()),
        );
        for category in ordered {
            self.section(tx, &category).await?;
        }
        for category in in_a_loop {
            self.report.warn(format!(
                "Category {} is its own ancestor (through {}); it was placed at the top.",
                category.nicename, category.parent
            ));
            let top = Category {
                parent: String::new(),
                ..category
            };
            self.section(tx, &top).await?;
        }
        for tag in std::mem::take(&mut self.pending_tags) {
            self.tag(tx, &tag).await?;
        }
        Ok(())
    }

    async fn section(&mut self, tx: &mut WriteTx, category: &Category) -> anyhow::Result<()> {
        let slug = wordpress_slug(&category.nicename, &category.name);
        let id = match self.ids.sections_by_slug.get(slug.as_str()) {
            Some(id) => *id,
            None => {
                let parent = self.ids.sections_by_slug.get(&category.parent).copied();
                if parent.is_none() && !category.parent.is_empty() {
                    self.report.warn(format!(
                        "Category {} names a parent ({}) the export does not hold; it was placed at the top.",
                        category.nicename, category.parent
                    ));
                }
                let new = NewSection {
                    slug: slug.clone(),
                    name: category.name.clone(),
                    description: category.description.clone(),
                    parent,
                };
                self.report.created.sections += 1;
                tx.insert_section(&new).await?.id
            }
        };
        self.ids
            .sections_by_slug
            .insert(category.nicename.clone(), id);
        self.ids
            .sections_by_slug
            .insert(slug.as_str().to_owned(), id);
        if let Some(wp_id) = category.term_id
            && !self.ids.sections.contains_key(&wp_id)
        {
            tx.record_wordpress_ids(WordPressKind::Category, &[(wp_id, id.0)])
                .await?;
            self.ids.sections.insert(wp_id, id.0);
        }
        Ok(())
    }

    async fn tag(&mut self, tx: &mut WriteTx, tag: &Tag) -> anyhow::Result<()> {
        let slug = wordpress_slug(&tag.slug, &tag.name);
        let id = match self.ids.tags_by_slug.get(slug.as_str()) {
            Some(id) => *id,
            None => {
                let new = NewTag {
                    slug: slug.clone(),
                    name: tag.name.clone(),
                    description: tag.description.clone(),
                };
                self.report.created.tags += 1;
                tx.insert_tag(&new).await?.id
            }
        };
        self.ids.tags_by_slug.insert(tag.slug.clone(), id);
        self.ids.tags_by_slug.insert(slug.as_str().to_owned(), id);
        self.old_tag_slugs.push((tag.slug.clone(), id));
        if let Some(wp_id) = tag.term_id
            && !self.ids.tags.contains_key(&wp_id)
        {
            tx.record_wordpress_ids(WordPressKind::Tag, &[(wp_id, id.0)])
                .await?;
            self.ids.tags.insert(wp_id, id.0);
        }
        Ok(())
    }

    /// Turns one item into an article or page (queued for the next batch), or counts it as
    /// skipped.
    fn item(&mut self, item: Item) -> anyhow::Result<()> {
        match item.post_type.as_str() {
            "post" => self.article(item),
            "page" => {
                self.page(item);
                Ok(())
            }
            // Copied (or counted as not copied) before the first item.
            "attachment" => Ok(()),
            "nav_menu_item" => {
                self.menus.note_item(&item);
                Ok(())
            }
            other => {
                *self.report.skipped.entry(other.to_owned()).or_default() += 1;
                Ok(())
            }
        }
    }

    fn article(&mut self, item: Item) -> anyhow::Result<()> {
        let Some(wp_id) = item.post_id else {
            self.report.warn(format!(
                "The post at line {} has no id; skipped.",
                item.line
            ));
            return Ok(());
        };
        if self.ids.posts.contains_key(&wp_id) {
            self.report.already_imported += 1;
            return Ok(());
        }
        let Some(status) = status(&item.status) else {
            *self
                .report
                .skipped
                .entry(format!("post with status {}", item.status))
                .or_default() += 1;
            return Ok(());
        };
        let id = Taken::claim(
            &mut self.taken.articles,
            &mut self.taken.next_article,
            Some(wp_id),
        );
        if id != wp_id {
            self.report.warn(format!(
                "Post {wp_id} could not keep its id, which this journal already uses; it is article {id}, and /?p={wp_id} still finds it."
            ));
        }
        let body = self.body(&item, wp_id);
        let mut new = NewArticle::draft(
            &item.title,
            &body.source,
            gazette_render::render_body(body.format, &body.source),
            gazette_render::RENDER_VERSION,
        );
        new.id = Some(ArticleId(id));
        new.body_format = body.format;
        new.slug = self.article_slug(&item);
        new.status = status;
        new.published_at = self.published_at(&item, status);
        new.excerpt = if item.excerpt.trim().is_empty() {
            body.teaser
                .as_deref()
                .map(|teaser| gazette_render::plain_text(&gazette_render::sanitize_html(teaser)))
                .unwrap_or_default()
        } else {
            item.excerpt.trim().to_owned()
        };
        new.password = (!item.post_password.is_empty()).then(|| item.post_password.clone());
        new.sticky = item.is_sticky;
        new.comments_open = item.comment_status == "open";
        new.legacy_wp_id = Some(wp_id);
        new.legacy_guid = (!item.guid.is_empty()).then(|| item.guid.clone());
        self.place(&item, &mut new);
        self.seo(&item, &mut new);
        new.featured_image = self.featured_image(&item);
        if self.catalogue.from_gazette {
            gazette_fields(&item, &mut new);
        }
        let created_at = new.published_at.unwrap_or_else(|| {
            self.local_time(&item.post_date)
                .unwrap_or(Timestamp::UNIX_EPOCH)
        });
        let updated_at = self
            .wp_time(&item.post_modified, &item.post_modified_gmt)
            .unwrap_or(created_at);
        self.old_paths(&item, &new, ArticleId(id));
        self.comments_of(&item, ArticleId(id));
        self.ids.posts.insert(wp_id, id);
        self.report.count_article(status);
        self.articles.push(ImportedArticle {
            article: new,
            created_at,
            updated_at,
        });
        Ok(())
    }

    /// The body as Gazette stores it: a Gazette export's as it was written (its Markdown
    /// source when it had one), WordPress's converted as WordPress showed it.
    fn body(&mut self, item: &Item, wp_id: i64) -> Body {
        if self.catalogue.from_gazette {
            return match item.meta_value(export::meta::MARKDOWN) {
                Some(markdown) => Body {
                    format: BodyFormat::Markdown,
                    source: markdown.to_owned(),
                    teaser: None,
                },
                None => Body {
                    format: BodyFormat::Html,
                    source: item.content.clone(),
                    teaser: None,
                },
            };
        }
        let converted = wordpress::convert(&item.content, wp_id, &self.catalogue);
        self.report.note_conversion(&converted);
        Body {
            format: BodyFormat::Html,
            source: self.uploads.rewrite(&converted.html),
            teaser: converted.teaser.map(|t| self.uploads.rewrite(&t)),
        }
    }

    /// The post's slug where it is free; drafts without one get one from the headline.
    fn article_slug(&mut self, item: &Item) -> Slug {
        let base = wordpress_slug(&item.post_name, &item.title);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.slugs.contains(candidate.as_str()) {
            candidate = Slug::parse(&format!("{base}-{n}")).unwrap_or_else(|_| base.clone());
            n += 1;
        }
        if candidate != base && !item.post_name.is_empty() {
            self.report.warn(format!(
                "Post {} has the slug {} of another article here; it is {candidate}.",
                item.post_id.unwrap_or(0),
                item.post_name
            ));
        }
        self.taken.slugs.insert(candidate.as_str().to_owned());
        candidate
    }

    fn published_at(&self, item: &Item, status: Status) -> Option<Timestamp> {
        if matches!(status, Status::Draft | Status::PendingReview) {
            return None;
        }
        self.wp_time(&item.post_date, &item.post_date_gmt)
    }

    /// A WordPress date pair as an instant: the UTC one when set, else the local one in the
    /// journal's time zone.
    fn wp_time(&self, local: &str, utc: &str) -> Option<Timestamp> {
        if let Some(utc) = wp_date(utc) {
            return utc.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
        }
        self.local_time(local)
    }

    fn local_time(&self, local: &str) -> Option<Timestamp> {
        wp_date(local)?
            .to_zoned(self.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// Sections (the primary one from Yoast or Rank Math when set), tags and bylines (Co-Authors
    /// Plus's after the post's author).
    fn place(&self, item: &Item, new: &mut NewArticle) {
        let mut sections: Vec<SectionId> = Vec::new();
        let mut authors: Vec<PersonId> = Vec::new();
        if let Some(author) = self.ids.people_by_login.get(&item.creator) {
            authors.push(*author);
        }
        for term in &item.terms {
            match term.domain.as_str() {
                "category" => {
                    if let Some(id) = self.ids.sections_by_slug.get(&term.nicename)
                        && !sections.contains(id)
                    {
                        sections.push(*id);
                    }
                }
                "post_tag" => {
                    if let Some(id) = self.ids.tags_by_slug.get(&term.nicename)
                        && !new.tags.contains(id)
                    {
                        new.tags.push(*id);
                    }
                }
                "author" => {
                    let login = term.nicename.strip_prefix("cap-").unwrap_or(&term.nicename);
                    if let Some(id) = self.ids.people_by_login.get(login)
                        && !authors.contains(id)
                    {
                        authors.push(*id);
                    }
                }
                _ => {}
            }
        }
        let primary = [
            "_yoast_wpseo_primary_category",
            "rank_math_primary_category",
        ]
        .into_iter()
        .filter_map(|key| item.meta_value(key)?.trim().parse::<i64>().ok())
        .find_map(|term| self.ids.sections.get(&term).map(|id| SectionId(*id)));
        if let Some(primary) = primary {
            sections.retain(|s| *s != primary);
            sections.insert(0, primary);
        }
        let mut sections = sections.into_iter();
        new.primary_section = sections.next();
        new.further_sections = sections.collect();
        new.authors = authors;
    }

    /// Yoast's or Rank Math's title and description, with the title variables WordPress would
    /// fill in filled in.
    fn seo(&mut self, item: &Item, new: &mut NewArticle) {
        let title = ["_yoast_wpseo_title", "rank_math_title"]
            .into_iter()
            .find_map(|key| item.meta_value(key).filter(|v| !v.trim().is_empty()));
        if let Some(title) = title {
            new.seo_title = fill_seo_variables(title, &item.title, &self.publication.name);
        }
        let description = ["_yoast_wpseo_metadesc", "rank_math_description"]
            .into_iter()
            .find_map(|key| item.meta_value(key).filter(|v| !v.trim().is_empty()));
        if let Some(description) = description {
            new.seo_description =
                fill_seo_variables(description, &item.title, &self.publication.name);
        }
        let canonical = ["_yoast_wpseo_canonical", "rank_math_canonical_url"]
            .into_iter()
            .find_map(|key| item.meta_value(key).filter(|v| !v.trim().is_empty()));
        if let Some(canonical) = canonical {
            let old_site = url::Url::parse(&self.catalogue.site_url).ok();
            match gazette_core::canonical_address(canonical) {
                // The old site's own address is this article's, which now lives here.
                Some(url) if old_site.is_some_and(|site| site.host_str() == url.host_str()) => {}
                Some(url) => new.canonical_url = url.to_string(),
                None => self.report.warn(format!(
                    "Post {} names {canonical:?} as its canonical address, which is not a full address; it was left out.",
                    item.post_id.unwrap_or(0)
                )),
            }
        }
        // Yoast stores "1"; Rank Math a serialized list of robots directives.
        new.noindex = item.meta_value("_yoast_wpseo_meta-robots-noindex") == Some("1")
            || item
                .meta_value("rank_math_robots")
                .is_some_and(|robots| robots.contains("\"noindex\""));
    }

    fn featured_image(&mut self, item: &Item) -> Option<FeaturedImage> {
        let id: i64 = item.meta_value("_thumbnail_id")?.trim().parse().ok()?;
        let Some(attachment) = self.catalogue.attachment(id) else {
            self.report.missing_media.insert(id);
            return None;
        };
        let (src, media) = match self.uploads.media_of(id) {
            Some((media, path)) => (format!("/media/{path}"), Some(media)),
            None => (attachment.url, None),
        };
        Some(FeaturedImage {
            src,
            alt: attachment.alt,
            caption: attachment.caption,
            credit: String::new(),
            media,
        })
    }

    /// URLs the post had under an older slug or date (`_wp_old_slug`, `_wp_old_date`) keep
    /// answering with a redirect.
    fn old_paths(&mut self, item: &Item, new: &NewArticle, id: ArticleId) {
        let Some(published) = new.published_at else {
            return;
        };
        let local = published.to_zoned(self.zone.clone()).datetime();
        let old_slugs: Vec<&str> = item
            .meta
            .iter()
            .filter(|m| m.key == "_wp_old_slug")
            .map(|m| m.value.as_str())
            .collect();
        let old_dates: Vec<jiff::civil::DateTime> = item
            .meta
            .iter()
            .filter(|m| m.key == "_wp_old_date")
            .filter_map(|m| m.value.trim().parse::<jiff::civil::Date>().ok())
            .map(|date| date.to_datetime(local.time()))
            .collect();
        let path_with = |slug: &str, published| {
            self.publication.permalink.render(&PermalinkFields {
                id: id.0,
                slug,
                published,
                category_path: "",
                author_slug: "",
            })
        };
        let current = path_with(new.slug.as_str(), local);
        // The item's own link, when it is not what the permalink pattern makes of it (a slug
        // changed after the export's links were written, another pattern).
        let mut retired: Vec<String> = link_path(&self.catalogue.site_url, &item.link)
            .into_iter()
            .collect();
        // A Gazette export names every older address.
        retired.extend(
            item.meta
                .iter()
                .filter(|m| m.key == export::meta::RETIRED_PATH)
                .map(|m| m.value.clone()),
        );
        let mut slugs: Vec<&str> = vec![new.slug.as_str()];
        slugs.extend(old_slugs.iter().copied());
        let mut dates = vec![local];
        dates.extend(old_dates);
        for slug in &slugs {
            for date in &dates {
                retired.push(path_with(slug, *date));
            }
        }
        retired.retain(|path| *path != current);
        self.retired
            .extend(retired.into_iter().map(|path| (path, id)));
    }

    /// The item's comments, parents before replies, keeping WordPress's ids where free.
    fn comments_of(&mut self, item: &Item, article: ArticleId) {
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

    fn page(&mut self, item: Item) {
        let Some(wp_id) = item.post_id else {
            return;
        };
        if self.ids.pages.contains_key(&wp_id) {
            self.report.already_imported += 1;
            return;
        }
        let Some(status) = status(&item.status) else {
            *self
                .report
                .skipped
                .entry(format!("page with status {}", item.status))
                .or_default() += 1;
            return;
        };
        // A Gazette export names a page's own id when its post_id had to differ.
        let wanted = item
            .meta_value(export::meta::PAGE_ID)
            .filter(|_| self.catalogue.from_gazette)
            .and_then(|id| id.trim().parse().ok())
            .unwrap_or(wp_id);
        let id = Taken::claim(
            &mut self.taken.pages,
            &mut self.taken.next_page,
            Some(wanted),
        );
        let body = self.body(&item, wp_id);
        let slug = wordpress_slug(&item.post_name, &item.title);
        let published_at = self.published_at(&item, status);
        let created_at = published_at.unwrap_or(Timestamp::UNIX_EPOCH);
        let updated_at = self
            .wp_time(&item.post_modified, &item.post_modified_gmt)
            .unwrap_or(created_at);
        self.ids.pages.insert(wp_id, id);
        self.report.count_page(status);
        let page = ImportedPage {
            id: PageId(id),
            page: NewPage {
                parent: None,
                slug,
                title: item.title.clone(),
                body_format: body.format,
                body_html: gazette_render::render_body(body.format, &body.source),
                body_source: body.source,
                render_version: gazette_render::RENDER_VERSION,
                status,
                published_at,
            },
            created_at,
            updated_at,
        };
        self.pages.push((item, page));
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

    /// Pages, parents first, each under its parent when the export holds it.
    async fn write_pages(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        let mut used_paths: HashSet<(Option<i64>, String)> = tx
            .pages()
            .await?
            .into_iter()
            .map(|page| (page.parent.map(|p| p.0), page.slug.as_str().to_owned()))
            .collect();
        let (ordered, in_a_loop) = parents_first(
            std::mem::take(&mut self.pages),
            |(item, _)| item.post_id,
            |(item, _)| item.post_parent.filter(|p| *p > 0).map(Some),
        );
        // Pages in a loop of parents go to the top.
        let in_a_loop = in_a_loop
            .into_iter()
            .map(|(item, page)| (item, page, false));
        let ordered = ordered.into_iter().map(|(item, page)| (item, page, true));
        let mut pages = Vec::new();
        let mut pairs = Vec::new();
        for (item, mut page, nested) in ordered.chain(in_a_loop) {
            let parent = item
                .post_parent
                .filter(|p| *p > 0 && nested)
                .and_then(|p| self.ids.pages.get(&p).copied());
            page.page.parent = parent.map(PageId);
            let base = page.page.slug.clone();
            let mut n = 2;
            while !used_paths.insert((parent, page.page.slug.as_str().to_owned())) {
                page.page.slug = Slug::parse(&format!("{base}-{n}")).unwrap_or(base.clone());
                n += 1;
            }
            if page.page.slug != base {
                self.report.warn(format!(
                    "Page {} has the address of a page already here ({base}); it is {}.",
                    item.post_id.unwrap_or(0),
                    page.page.slug
                ));
            }
            if let Some(wp_id) = item.post_id {
                pairs.push((wp_id, page.id.0));
            }
            self.page_comments_of(&item, page.id);
            pages.push(page);
        }
        tx.import_pages(pages).await?;
        tx.record_wordpress_ids(WordPressKind::Page, &pairs).await?;
        tx.import_page_comments(std::mem::take(&mut self.page_comments))
            .await?;
        Ok(())
    }

    /// Redirects from the archives under `--category-base` and `--tag-base` to Gazette's.
    async fn write_base_redirects(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        if self.bases.category.is_none() && self.bases.tag.is_none() {
            return Ok(());
        }
        let old_paths: Vec<(String, SectionId)> = std::mem::take(&mut self.old_category_paths)
            .into_iter()
            .filter_map(|path| {
                let nicename = path.rsplit('/').next()?;
                let section = *self.ids.sections_by_slug.get(nicename)?;
                Some((path, section))
            })
            .collect();
        let tags: HashMap<TagId, gazette_core::Tag> =
            tx.tags().await?.into_iter().map(|t| (t.id, t)).collect();
        let imported_tags: Vec<(String, gazette_core::Tag)> = self
            .old_tag_slugs
            .iter()
            .filter_map(|(old, id)| Some((old.clone(), tags.get(id)?.clone())))
            .collect();
        let sections = tx.sections().await?;
        let rules = bases::redirects(&self.bases, &sections, &old_paths, &imported_tags);
        self.report.settings.push(format!(
            "{} redirects from the old category and tag bases ({}, {}) to /category/ and /tag/.",
            rules.len(),
            self.bases.category.as_deref().unwrap_or("category"),
            self.bases.tag.as_deref().unwrap_or("tag")
        ));
        tx.upsert_redirects(&rules).await?;
        Ok(())
    }

    /// The menus `--header-menu` and `--footer-menu` chose, in place of the journal's; the
    /// report lists every menu the export holds.
    async fn write_menus(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
        for (slug, name, count) in self.menus.summary() {
            self.report
                .menus
                .push(format!("{name} ({slug}): {count} entries"));
        }
        let choice = self.menu_choice.clone();
        if choice.header.is_none() && choice.footer.is_none() {
            return Ok(());
        }
        let mut menus = tx.menus().await?;
        for (slug, place, name) in [
            (&choice.header, &mut menus.header, "header"),
            (&choice.footer, &mut menus.footer, "footer"),
        ] {
            let Some(slug) = slug else {
                continue;
            };
            let mut headlines = HashMap::new();
            for wp_id in self.menus.posts_in(slug) {
                if let Some(id) = self.ids.posts.get(&wp_id)
                    && let Some(article) = tx.article(ArticleId(*id)).await?
                {
                    headlines.insert(wp_id, article.headline);
                }
            }
            let lookup = MenuLookup {
                writer: &*self,
                tags: tx.tags().await?.into_iter().map(|t| (t.id, t)).collect(),
                headlines,
            };
            let built = self.menus.build(slug, &lookup);
            self.report.menus.push(format!(
                "{slug} became the {name} menu: {} entries",
                built.items.len()
            ));
            if built.nested + built.unresolved + built.over_limit > 0 {
                self.report.warn(format!(
                    "Menu {slug}: {} nested entries left out (Gazette's menus are one level), {} pointing at nothing imported, {} past the {} a menu holds.",
                    built.nested,
                    built.unresolved,
                    built.over_limit,
                    gazette_core::curation::MAX_MENU_ITEMS
                ));
            }
            *place = built.items;
        }
        tx.put_menus(&menus).await?;
        Ok(())
    }

    /// A page's comments, kept with their WordPress ids: Gazette's pages show none.
    fn page_comments_of(&mut self, item: &Item, page: PageId) {
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

/// What menu entries point at: the import's id maps, with the tags and headlines they need.
struct MenuLookup<'a> {
    writer: &'a Writer,
    tags: HashMap<TagId, gazette_core::Tag>,
    headlines: HashMap<i64, String>,
}

impl MenuTargets for MenuLookup<'_> {
    fn section(&self, wp_term: i64) -> Option<SectionId> {
        self.writer
            .ids
            .sections
            .get(&wp_term)
            .map(|id| SectionId(*id))
    }

    fn tag(&self, wp_term: i64) -> Option<(String, String)> {
        let tag = self
            .tags
            .get(&TagId(*self.writer.ids.tags.get(&wp_term)?))?;
        Some((tag.slug.as_str().to_owned(), tag.name.clone()))
    }

    fn page(&self, wp_id: i64) -> Option<PageId> {
        self.writer.ids.pages.get(&wp_id).map(|id| PageId(*id))
    }

    fn article_headline(&self, wp_id: i64) -> Option<String> {
        self.headlines.get(&wp_id).cloned()
    }

    fn site_url(&self) -> &str {
        &self.writer.catalogue.site_url
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

/// A body ready to store.
struct Body {
    format: BodyFormat,
    source: String,
    /// The converted text before `<!--more-->`.
    teaser: Option<String>,
}

/// What only Gazette records, from a Gazette export's meta.
fn gazette_fields(item: &Item, new: &mut NewArticle) {
    let text = |key: &str| item.meta_value(key).unwrap_or_default().to_owned();
    new.standfirst = text(export::meta::STANDFIRST);
    new.corrections = text(export::meta::CORRECTIONS);
    if let Some(image) = &mut new.featured_image {
        image.credit = text(export::meta::IMAGE_CREDIT);
    }
    // A body an editor saved unfiltered is shown as it was saved, as before the export.
    if item.meta_value(export::meta::UNFILTERED_HTML) == Some("1") {
        new.unfiltered_html = true;
        new.body_html = gazette_render::render_body_as(
            new.body_format,
            &new.body_source,
            gazette_render::HtmlPolicy::Unfiltered,
        );
    }
    if let Some(genre) = item
        .meta_value(export::meta::GENRE)
        .and_then(gazette_core::Genre::parse)
    {
        new.genre = genre;
    }
}

/// The path of an item's link on the old site, when it is a path (not `?p=N`).
pub(crate) fn link_path(site_url: &str, link: &str) -> Option<String> {
    let base = url::Url::parse(site_url).ok()?;
    let link = url::Url::parse(link).ok()?;
    if link.query().is_some() || link.host_str() != base.host_str() {
        return None;
    }
    let path = link.path();
    (path.len() > 1).then(|| path.to_owned())
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

/// Yoast's `%%title%% %%sep%% %%sitename%%`: the variables WordPress fills in when it shows the
/// title; unknown ones are dropped.
fn fill_seo_variables(text: &str, title: &str, site: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("%%") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("%%") else {
            out.push_str(&rest[start..]);
            return out.trim().to_owned();
        };
        match &after[..end] {
            "title" => out.push_str(title),
            "sitename" => out.push_str(site),
            "sep" => out.push('–'),
            _ => {}
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
