//! Writes a generated corpus straight into a store, in batches of one unit of work each.

use anyhow::Context as _;
use gazette_core::{
    ArticleId, BodyFormat, CommentId, CommentKind, CommentStatus, Email, PersonId, Role, SectionId,
    Slug, Status, TagId,
};
use gazette_store::{NewArticle, NewComment, NewPerson, NewSection, NewTag, Store, StoreError};

use super::{Cast, CorpusSpec, GeneratedArticle, GeneratedComment};

/// Rows written per unit of work.
const BATCH: usize = 1_000;

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub articles: u64,
    pub comments: u64,
}

/// Ids the store gave the cast.
struct CastIds {
    authors: Vec<PersonId>,
    sections: Vec<SectionId>,
    tags: Vec<TagId>,
}

/// Writes `spec`'s corpus into `store`, which must already hold a journal. `progress` is
/// called after every batch.
pub async fn write(
    store: &Store,
    spec: &CorpusSpec,
    mut progress: impl FnMut(Written),
) -> anyhow::Result<Written> {
    let ids = write_cast(store, &spec.cast()).await.context(
        "writing the corpus's authors, sections and tags (is this store empty of them?)",
    )?;
    let mut written = Written::default();
    let mut article_ids: Vec<ArticleId> = Vec::with_capacity(usize::try_from(spec.articles)?);
    let mut batch = Vec::with_capacity(BATCH);
    for article in spec.articles() {
        batch.push(new_article(&article, &ids)?);
        if batch.len() == BATCH {
            written.articles +=
                insert_articles(store, std::mem::take(&mut batch), &mut article_ids).await?;
            progress(written);
        }
    }
    written.articles += insert_articles(store, batch, &mut article_ids).await?;
    progress(written);

    let mut comment_ids: Vec<(CommentId, i64)> =
        Vec::with_capacity(usize::try_from(spec.comments)?);
    let mut batch = Vec::with_capacity(BATCH);
    for comment in spec.comments() {
        batch.push(comment);
        if batch.len() == BATCH {
            written.comments += insert_comments(
                store,
                std::mem::take(&mut batch),
                &article_ids,
                &mut comment_ids,
            )
            .await?;
            progress(written);
        }
    }
    written.comments += insert_comments(store, batch, &article_ids, &mut comment_ids).await?;
    progress(written);
    Ok(written)
}

async fn write_cast(store: &Store, cast: &Cast) -> anyhow::Result<CastIds> {
    let people = cast
        .authors
        .iter()
        .map(|author| {
            Ok(NewPerson {
                display_name: author.name.clone(),
                slug: slug(&author.login)?,
                email: Email::parse(&author.email)
                    .with_context(|| format!("corpus email {}", author.email))?,
                role: Role::Author,
                password_hash: None,
                bio: String::new(),
                active: true,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let sections = cast
        .sections
        .iter()
        .map(|(slug_text, name, parent)| Ok((slug(slug_text)?, name.clone(), *parent)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let tags = cast
        .tags
        .iter()
        .map(|(slug_text, name)| {
            Ok(NewTag {
                slug: slug(slug_text)?,
                name: name.clone(),
                description: String::new(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let ids = store
        .write(|tx| {
            Box::pin(async move {
                let mut ids = CastIds {
                    authors: Vec::new(),
                    sections: Vec::new(),
                    tags: Vec::new(),
                };
                for person in &people {
                    ids.authors.push(tx.insert_person(person).await?.id);
                }
                for (slug, name, parent) in sections {
                    let section = NewSection {
                        slug,
                        name,
                        description: String::new(),
                        parent: parent.and_then(|p| ids.sections.get(p).copied()),
                    };
                    ids.sections.push(tx.insert_section(&section).await?.id);
                }
                for tag in &tags {
                    ids.tags.push(tx.insert_tag(tag).await?.id);
                }
                Ok::<_, StoreError>(ids)
            })
        })
        .await?;
    Ok(ids)
}

fn slug(text: &str) -> anyhow::Result<Slug> {
    Slug::parse(text).with_context(|| format!("corpus slug {text:?}"))
}

fn new_article(article: &GeneratedArticle, ids: &CastIds) -> anyhow::Result<NewArticle> {
    let html = gazette_render::render_body(BodyFormat::Markdown, &article.body);
    let mut new = NewArticle::draft(
        &article.headline,
        &article.body,
        html,
        gazette_render::RENDER_VERSION,
    );
    new.slug = slug(&article.slug)?;
    new.standfirst = article.standfirst.clone();
    new.status = Status::Published;
    new.published_at = Some(article.published);
    new.authors = article
        .authors
        .iter()
        .filter_map(|a| ids.authors.get(*a).copied())
        .collect();
    new.primary_section = ids.sections.get(article.section).copied();
    new.tags = article
        .tags
        .iter()
        .filter_map(|t| ids.tags.get(*t).copied())
        .collect();
    Ok(new)
}

async fn insert_articles(
    store: &Store,
    batch: Vec<NewArticle>,
    ids: &mut Vec<ArticleId>,
) -> anyhow::Result<u64> {
    let count = batch.len() as u64;
    let inserted = store
        .write(|tx| {
            Box::pin(async move {
                let mut inserted = Vec::with_capacity(batch.len());
                for article in batch {
                    inserted.push(tx.insert_article(article).await?.id);
                }
                Ok::<_, StoreError>(inserted)
            })
        })
        .await
        .context("writing a batch of corpus articles")?;
    ids.extend(inserted);
    Ok(count)
}

/// A reply's parent: a comment written in an earlier batch, or one earlier in this batch.
#[derive(Debug, Clone, Copy)]
enum Parent {
    Written(CommentId, i64),
    InBatch(usize),
}

async fn insert_comments(
    store: &Store,
    batch: Vec<GeneratedComment>,
    articles: &[ArticleId],
    written: &mut Vec<(CommentId, i64)>,
) -> anyhow::Result<u64> {
    let count = batch.len() as u64;
    let before = written.len();
    let index = |number: u64| usize::try_from(number.saturating_sub(1)).unwrap_or(usize::MAX);
    let mut rows = Vec::with_capacity(batch.len());
    for comment in batch {
        let Some(article) = articles.get(index(comment.article)).copied() else {
            continue;
        };
        let parent = comment.parent.map(index).map(|p| match written.get(p) {
            Some((id, depth)) => Parent::Written(*id, *depth),
            None => Parent::InBatch(p - before),
        });
        rows.push((comment, article, parent));
    }
    let inserted = store
        .write(|tx| {
            Box::pin(async move {
                let mut inserted: Vec<(CommentId, i64)> = Vec::with_capacity(rows.len());
                for (comment, article, parent) in rows {
                    let parent = match parent {
                        Some(Parent::Written(id, depth)) => Some((id, depth)),
                        Some(Parent::InBatch(at)) => inserted.get(at).copied(),
                        None => None,
                    };
                    let depth = parent.map_or(0, |(_, depth)| depth + 1);
                    let new = NewComment {
                        article,
                        parent: parent.map(|(id, _)| id),
                        answered: None,
                        depth,
                        status: CommentStatus::Approved,
                        kind: CommentKind::Comment,
                        author_name: comment.name,
                        author_email: comment.email,
                        author_url: String::new(),
                        author_ip: None,
                        user_agent: String::new(),
                        person: None,
                        body_html: gazette_render::render_comment(&comment.body),
                        body: comment.body,
                        score: 0,
                        reasons: Vec::new(),
                        submission_key: None,
                        wants_replies: false,
                        commenter_key: None,
                    };
                    inserted.push((tx.insert_comment(&new).await?.id(), depth));
                }
                Ok::<_, StoreError>(inserted)
            })
        })
        .await
        .context("writing a batch of corpus comments")?;
    written.extend(inserted);
    Ok(count)
}
