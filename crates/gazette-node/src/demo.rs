//! The demo journal a new installation starts with (unless `--no-demo`): sections, authors,
//! tags, fifteen articles with their featured illustrations, a few approved reader comment
//! threads, and the About and Contact pages.
//! All text and images are our own. The content lives in `catalogue` and `articles`, the
//! illustrations are drawn by `art`; this module writes them to the store and the media folder.

mod art;
mod articles;
mod catalogue;
mod comments;

use gazette_core::{
    ArticleId, BodyFormat, CommentId, CommentKind, CommentStatus, Email, FeaturedImage, PersonId,
    Role, SectionId, Slug, Status, TagId,
};
use gazette_media::MediaStoreError;
use gazette_store::{
    NewArticle, NewComment, NewPage, NewPerson, NewSection, NewTag, StoreError, WriteTx,
};
use jiff::SignedDuration;

use articles::DemoArticle;
use catalogue::{AUTHORS, PAGES, SECTIONS, TAGS};

/// Where the demo illustrations live, inside the media directory and under `/media/`.
const MEDIA_FOLDER: &str = "demo";

/// Writes the demo journal inside the first run's unit of work. Its featured images point to
/// files that [`write_demo_media`] writes.
pub async fn write_demo_journal(tx: &mut WriteTx) -> Result<(), StoreError> {
    let authors = insert_authors(tx).await?;
    let sections = insert_sections(tx).await?;
    let tags = insert_tags(tx).await?;
    let now = tx.now();
    for demo in articles::all() {
        let body = gazette_render::render_body(BodyFormat::Markdown, demo.body);
        let mut article = NewArticle::draft(
            demo.headline,
            demo.body,
            body,
            gazette_render::RENDER_VERSION,
        );
        article.standfirst = demo.standfirst.to_owned();
        article.excerpt = demo.standfirst.to_owned();
        article.genre = demo.genre;
        article.authors = demo
            .authors
            .iter()
            .filter_map(|i| authors.get(*i).copied())
            .collect();
        article.primary_section = lookup(&sections, demo.section);
        article.tags = demo.tags.iter().filter_map(|t| lookup(&tags, t)).collect();
        article.status = Status::Published;
        let published = now - SignedDuration::from_hours(demo.hours_ago);
        article.published_at = Some(published);
        article.significantly_updated_at = demo
            .updated_minutes_later
            .map(|minutes| published + SignedDuration::from_mins(minutes));
        article.corrections = demo.corrections.to_owned();
        article.sticky = demo.sticky;
        article.featured_image = Some(featured_image(demo, &article.slug));
        let inserted = tx.insert_article(article).await?;
        if let Some(threads) = comments::THREADS
            .iter()
            .find(|t| t.headline == demo.headline)
        {
            insert_threads(tx, inserted.id, threads.threads, None, 0).await?;
        }
    }
    for (slug, title, body) in PAGES {
        let page = NewPage {
            parent: None,
            slug: parse_slug(slug)?,
            title: (*title).to_owned(),
            body_format: BodyFormat::Markdown,
            body_source: (*body).to_owned(),
            body_html: gazette_render::render_body(BodyFormat::Markdown, body),
            render_version: gazette_render::RENDER_VERSION,
            status: Status::Published,
            published_at: Some(now),
        };
        tx.insert_page(&page).await?;
    }
    Ok(())
}

/// Writes the demo's approved comment threads under `article`, replies under their parent.
async fn insert_threads(
    tx: &mut WriteTx,
    article: ArticleId,
    threads: &[comments::DemoComment],
    parent: Option<CommentId>,
    depth: i64,
) -> Result<(), StoreError> {
    for demo in threads {
        let new = NewComment {
            article,
            parent,
            answered: None,
            depth,
            status: CommentStatus::Approved,
            kind: CommentKind::Comment,
            author_name: demo.author.to_owned(),
            author_email: format!("{}@example.org", demo.mailbox),
            author_url: String::new(),
            author_ip: None,
            user_agent: String::new(),
            person: None,
            body_html: gazette_render::render_comment(demo.body),
            body: demo.body.to_owned(),
            score: 0,
            reasons: Vec::new(),
            submission_key: None,
            wants_replies: false,
            commenter_key: None,
        };
        let id = tx.insert_comment(&new).await?.id();
        Box::pin(insert_threads(
            tx,
            article,
            demo.replies,
            Some(id),
            depth + 1,
        ))
        .await?;
    }
    Ok(())
}

/// Stores every demo article's illustration as `demo/<slug>.svg`, where the demo articles'
/// featured images point. An illustration already there is kept (names are never reused).
pub async fn write_demo_media(media: &gazette_media::MediaStore) -> Result<(), MediaStoreError> {
    for demo in articles::all() {
        let slug = Slug::from_headline(demo.headline);
        let svg = illustration(demo, &slug);
        media
            .put_new(
                &format!("{MEDIA_FOLDER}/{slug}.svg"),
                svg.into_bytes().into(),
            )
            .await?;
    }
    Ok(())
}

fn featured_image(demo: &DemoArticle, slug: &Slug) -> FeaturedImage {
    FeaturedImage {
        src: format!("/media/{MEDIA_FOLDER}/{slug}.svg"),
        alt: demo.alt.to_owned(),
        caption: demo.caption.to_owned(),
        credit: "Illustration: Gazette demo".to_owned(),
        media: None,
    }
}

/// The SVG for an article, in the palette of its top-level section.
fn illustration(demo: &DemoArticle, slug: &Slug) -> String {
    let palette = art::palette_for(root_section(demo.section));
    art::illustration(demo.scene, palette, slug.as_str())
}

/// The top-level section above `slug` (itself if it has no parent).
fn root_section(slug: &str) -> &str {
    let mut current = slug;
    // Bounded by the number of sections, so a mistaken cycle cannot hang the first run.
    for _ in 0..SECTIONS.len() {
        match SECTIONS.iter().find(|(s, ..)| *s == current) {
            Some((_, _, _, Some(parent))) => current = parent,
            _ => break,
        }
    }
    current
}

async fn insert_authors(tx: &mut WriteTx) -> Result<Vec<PersonId>, StoreError> {
    let mut ids = Vec::new();
    for (name, email, bio) in AUTHORS {
        let person = NewPerson {
            display_name: (*name).to_owned(),
            slug: Slug::from_headline(name),
            email: Email::parse(email).map_err(|e| demo_error("author email", e))?,
            role: Role::Author,
            password_hash: None,
            bio: (*bio).to_owned(),
            active: true,
        };
        ids.push(tx.insert_person(&person).await?.id);
    }
    Ok(ids)
}

async fn insert_sections(tx: &mut WriteTx) -> Result<Vec<(&'static str, SectionId)>, StoreError> {
    let mut ids: Vec<(&'static str, SectionId)> = Vec::new();
    for (slug, name, description, parent) in SECTIONS {
        let section = NewSection {
            slug: parse_slug(slug)?,
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            parent: parent.and_then(|p| lookup(&ids, p)),
        };
        ids.push((slug, tx.insert_section(&section).await?.id));
    }
    Ok(ids)
}

async fn insert_tags(tx: &mut WriteTx) -> Result<Vec<(&'static str, TagId)>, StoreError> {
    let mut ids = Vec::new();
    for (slug, name) in TAGS {
        let tag = NewTag {
            slug: parse_slug(slug)?,
            name: (*name).to_owned(),
            description: String::new(),
        };
        ids.push((*slug, tx.insert_tag(&tag).await?.id));
    }
    Ok(ids)
}

fn lookup<T: Copy>(ids: &[(&str, T)], slug: &str) -> Option<T> {
    ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id)
}

fn parse_slug(slug: &str) -> Result<Slug, StoreError> {
    Slug::parse(slug).map_err(|e| demo_error("slug", e))
}

fn demo_error(what: &'static str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: format!("demo content: {error}"),
    }
}

#[cfg(test)]
mod tests;
