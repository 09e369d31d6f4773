//! Articles through the workflow: created, saved, moved between statuses, restored from a
//! revision and deleted for good, under the role rules of `gazette_core::desk`. The back
//! office's editor, its desk, its revision pages and the REST API all save through here.
//!
//! A save of an existing article runs in three steps, whichever surface asks:
//! 1. the article is read and the caller's edit applied to it, body rendering included, with
//!    no lock held (rendering is the slow part of a save);
//! 2. the role rules are checked on the article as read and on the status the edit asks for;
//! 3. one unit of work locks the row, checks that nobody saved since it was read, writes it,
//!    keeps a revision of a published save, and keeps a public article's old address
//!    answering with a redirect.
//!
//! When someone did save in between, a writer who named the version they started from (the
//! editor's form) is shown both texts ([`SaveError::Stale`]); one who did not (the REST API)
//! has their edit applied again to the newer article.

use gazette_core::desk::{may_edit, may_set_status, raw_html_trusted};
use gazette_core::{Article, ArticleId, BodyFormat, Capability, Person, PersonId, Status};
use gazette_render::HtmlPolicy;
use gazette_store::{
    CreatedRecord, IdempotencyKey, NewArticle, Once, Revision, Store, StoreError, WriteTx,
};
use jiff::Timestamp;

mod status;
mod tags;

pub use status::{BulkOutcome, move_each, publish_scheduled};

/// An article's public address (`/2026/12/05/headline/`), as the site's permalink rules make
/// it; the newsroom needs it to keep old addresses answering.
pub type Address<'a> = dyn Fn(&Article) -> String + Send + Sync + 'a;

/// How often a save without a starting version is applied again to a newer article before
/// it is reported as stale: other saves landing in each of the gaps means a hot article.
const ATTEMPTS: usize = 3;

/// Why an article was not saved.
#[derive(Debug)]
pub enum SaveError<R> {
    /// No such article.
    NotFound,
    /// The person may not edit this article.
    Forbidden,
    /// The person may not move the article to the status the change asks for.
    StatusNotAllowed,
    /// Someone saved after the version the writer started from; their article is attached.
    Stale(Box<Article>),
    /// The caller's edit refused the change, for its own reason.
    Refused(R),
    Store(StoreError),
}

impl<R> From<StoreError> for SaveError<R> {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// A change to an existing article.
#[derive(Debug)]
pub struct Save<'a, E> {
    pub id: ArticleId,
    pub by: &'a Person,
    /// The version (`updated_at`) the writer started from; `None` saves over the newest.
    pub started_from: Option<Timestamp>,
    /// The tags by name, created where new; `None` keeps the tags the edit left.
    pub tag_names: Option<Vec<String>>,
    /// The change itself: the article as it should be, given the article as it is.
    pub edit: E,
}

/// A new, empty draft with `by` as its byline, in `format`.
pub fn blank(by: &Person, format: BodyFormat) -> Article {
    let mut draft = NewArticle::draft(
        "",
        "",
        gazette_core::SafeHtml::from_text(""),
        gazette_render::RENDER_VERSION,
    );
    draft.authors = vec![by.id];
    draft.body_format = format;
    // An editor's own new writing is trusted raw HTML until they untick the box.
    draft.unfiltered_html = by.role.can(Capability::UnfilteredHtml);
    draft.unsaved()
}

/// Saves a new article written by `by` (made from [`blank`]), with its tags by name when
/// given; a published one keeps its first revision. With an idempotency key that an earlier
/// request already made an article with, nothing is saved and that article is named.
pub async fn create<R: Send>(
    store: &Store,
    by: &Person,
    article: Article,
    tag_names: Option<Vec<String>>,
    once: Option<&IdempotencyKey>,
) -> Result<Once<Article>, SaveError<R>> {
    if !may_set_status(by, &blank(by, article.body_format), article.status) {
        return Err(SaveError::StatusNotAllowed);
    }
    let author = by.id;
    let made = |article: &Article| CreatedRecord {
        kind: "article",
        id: article.id.0,
    };
    let created = store
        .write_once(once, made, |tx| {
            Box::pin(async move {
                let mut article = article;
                if let Some(names) = tag_names {
                    article.tags = tags::by_name(tx, &names).await?;
                }
                let created = tx.insert_article(NewArticle::from(article)).await?;
                if created.status == Status::Published {
                    tx.insert_revision(&created, Some(author)).await?;
                }
                Ok::<_, StoreError>(created)
            })
        })
        .await?;
    Ok(created)
}

/// Saves `save.edit` of an existing article (see the module's comment for the steps).
pub async fn save<R, E>(
    store: &Store,
    address: &Address<'_>,
    save: Save<'_, E>,
) -> Result<Article, SaveError<R>>
where
    R: Send,
    E: Fn(&Article) -> Result<Article, R>,
{
    save_keeping(store, address, save, Keep::WhenPublished).await
}

/// Like [`save`], for an edit that rewrites the whole body (converting HTML to Markdown): the
/// text as it was is kept as a revision first, whatever the article's status, and so is the
/// result, so the change can be compared and undone.
pub async fn save_keeping_previous<R, E>(
    store: &Store,
    address: &Address<'_>,
    save: Save<'_, E>,
) -> Result<Article, SaveError<R>>
where
    R: Send,
    E: Fn(&Article) -> Result<Article, R>,
{
    save_keeping(store, address, save, Keep::BeforeAndAfter).await
}

/// The article's text as `revision` left it, saved again by `by` as a new revision. Its body
/// keeps the revision's own trust, not the restorer's: restoring a contributor's text does
/// not make it an editor's.
pub async fn restore_revision<R: Send>(
    store: &Store,
    address: &Address<'_>,
    by: &Person,
    revision: Revision,
) -> Result<Article, SaveError<R>> {
    let trusted = raw_html_trusted(by, Some(revision.unfiltered_html), None);
    let body_html = gazette_render::render_body_as(
        revision.body_format,
        &revision.body_source,
        HtmlPolicy::for_trust(trusted),
    );
    let restore = |current: &Article| {
        Ok(Article {
            headline: revision.headline.clone(),
            standfirst: revision.standfirst.clone(),
            body_format: revision.body_format,
            body_source: revision.body_source.clone(),
            body_html: body_html.clone(),
            unfiltered_html: trusted,
            render_version: gazette_render::RENDER_VERSION,
            ..current.clone()
        })
    };
    let save = Save {
        id: revision.article,
        by,
        started_from: None,
        tag_names: None,
        edit: restore,
    };
    save_keeping(store, address, save, Keep::Always).await
}

async fn save_keeping<R, E>(
    store: &Store,
    address: &Address<'_>,
    save: Save<'_, E>,
    revision: Keep,
) -> Result<Article, SaveError<R>>
where
    R: Send,
    E: Fn(&Article) -> Result<Article, R>,
{
    let mut attempts = 0;
    loop {
        attempts += 1;
        let current = store.article(save.id).await?.ok_or(SaveError::NotFound)?;
        if !may_edit(save.by, &current) {
            return Err(SaveError::Forbidden);
        }
        if save.started_from.is_some_and(|v| v != current.updated_at) {
            return Err(SaveError::Stale(Box::new(current)));
        }
        let edited = (save.edit)(&current).map_err(SaveError::Refused)?;
        if !may_set_status(save.by, &current, edited.status) {
            return Err(SaveError::StatusNotAllowed);
        }
        let write = Write {
            read_version: current.updated_at,
            retired: retired_address(address, &current, &edited),
            edited,
            tag_names: save.tag_names.clone(),
            by: save.by.id,
            revision,
        };
        match write.apply(store).await? {
            Written::Saved(saved) => return Ok(*saved),
            Written::NotFound => return Err(SaveError::NotFound),
            Written::Moved(newer) if save.started_from.is_some() || attempts == ATTEMPTS => {
                return Err(SaveError::Stale(newer));
            }
            Written::Moved(_) => {}
        }
    }
}

/// Deletes the article for good, with its comments and revisions, when `by` may trash it
/// (checked on the locked row). Returns the article as it was.
pub async fn delete<R: Send>(
    store: &Store,
    by: &Person,
    id: ArticleId,
) -> Result<Article, SaveError<R>> {
    let by = by.clone();
    store
        .write(|tx| {
            Box::pin(async move {
                let current = locked(tx, id).await?.ok_or(SaveError::NotFound)?;
                if !may_set_status(&by, &current, Status::Trashed) {
                    return Err(SaveError::StatusNotAllowed);
                }
                tx.delete_article(id).await?;
                Ok(current)
            })
        })
        .await
}

/// The old address to keep answering: a public article's, when the save changes it.
fn retired_address(address: &Address<'_>, current: &Article, edited: &Article) -> Option<String> {
    if current.status != Status::Published {
        return None;
    }
    let old = address(current);
    (old != address(edited)).then_some(old)
}

/// When a save keeps a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Published saves only: drafts change too often to keep each one.
    WhenPublished,
    /// Every save (a restore is worth remembering whatever the status).
    Always,
    /// The text before the save and after it, whatever the status.
    BeforeAndAfter,
}

/// One save's unit of work, with everything worked out before it began.
struct Write {
    /// The version the edit was applied to.
    read_version: Timestamp,
    edited: Article,
    tag_names: Option<Vec<String>>,
    /// The address that stops being the article's, to redirect.
    retired: Option<String>,
    by: PersonId,
    revision: Keep,
}

enum Written {
    Saved(Box<Article>),
    /// Someone saved after the edit's version was read; theirs is attached, nothing written.
    Moved(Box<Article>),
    NotFound,
}

impl Write {
    async fn apply(self, store: &Store) -> Result<Written, StoreError> {
        store
            .write(|tx| {
                Box::pin(async move {
                    let id = self.edited.id;
                    let Some(current) = locked(tx, id).await? else {
                        return Ok(Written::NotFound);
                    };
                    if current.updated_at != self.read_version {
                        return Ok(Written::Moved(Box::new(current)));
                    }
                    let mut edited = self.edited;
                    if let Some(names) = &self.tag_names {
                        edited.tags = tags::by_name(tx, names).await?;
                    }
                    if self.revision == Keep::BeforeAndAfter {
                        tx.insert_revision(&current, Some(self.by)).await?;
                    }
                    let saved = tx.update_article(&edited).await?;
                    if saved.status == Status::Published || self.revision != Keep::WhenPublished {
                        tx.insert_revision(&saved, Some(self.by)).await?;
                    }
                    // Every URL the article had while public keeps answering, with a redirect.
                    if let Some(old) = &self.retired {
                        tx.retire_article_path(old, id).await?;
                    }
                    Ok(Written::Saved(Box::new(saved)))
                })
            })
            .await
    }
}

/// The article as it is now, its row locked until the unit of work ends.
pub(super) async fn locked(tx: &mut WriteTx, id: ArticleId) -> Result<Option<Article>, StoreError> {
    if !tx.lock_article(id).await? {
        return Ok(None);
    }
    tx.article(id).await
}
