//! Static pages (about, contact, the privacy policy): saving them with their addresses kept,
//! and the rules of where a page may sit and how its body is rendered.

use std::collections::HashMap;

use gazette_core::{
    BodyFormat, Capability, Page, PageId, Person, RedirectRule, SafeHtml, Slug, Status,
};
use gazette_render::HtmlPolicy;
use gazette_store::{CreatedRecord, IdempotencyKey, NewPage, Once, Store, StoreError, WriteTx};

/// How a body this person saves is rendered: editors and administrators keep their raw HTML
/// (WordPress's `unfiltered_html`); authors and contributors are sanitised.
pub fn html_policy(person: &Person) -> HtmlPolicy {
    if person.role.can(Capability::UnfilteredHtml) {
        HtmlPolicy::Unfiltered
    } else {
        HtmlPolicy::Sanitised
    }
}

/// Each page's address, `/about/` or `/about/team/`.
pub fn page_paths(pages: &[Page]) -> HashMap<PageId, String> {
    let by_id: HashMap<PageId, &Page> = pages.iter().map(|p| (p.id, p)).collect();
    pages
        .iter()
        .map(|p| {
            let path = match p.parent.and_then(|id| by_id.get(&id)) {
                Some(parent) => format!("/{}/{}/", parent.slug, p.slug),
                None => format!("/{}/", p.slug),
            };
            (p.id, path)
        })
        .collect()
}

/// Whether `page` (None for a new one) may sit under `parent`: pages nest one level deep, so
/// the parent is a top-level page other than itself, and a page with sub-pages stays at the
/// top.
pub fn parent_allowed(pages: &[Page], page: Option<PageId>, parent: Option<PageId>) -> bool {
    let has_children = page.is_some_and(|id| pages.iter().any(|p| p.parent == Some(id)));
    parent.is_none_or(|p| {
        Some(p) != page
            && !has_children
            && pages
                .iter()
                .any(|candidate| candidate.id == p && candidate.parent.is_none())
    })
}

/// A page as it is about to be saved.
#[derive(Debug, Clone)]
pub struct PageDraft {
    pub parent: Option<PageId>,
    pub slug: Slug,
    pub title: String,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    pub status: Status,
}

/// Saves a new page (`id` None) or over an existing one in one unit of work. A public page
/// whose address changed keeps its old one answering with a redirect, and a page now at an
/// address an old redirect claimed takes it back.
pub async fn save(
    store: &Store,
    id: Option<PageId>,
    draft: PageDraft,
) -> Result<PageId, StoreError> {
    let now = store.clock().now();
    store
        .write(|tx| {
            Box::pin(async move {
                let Some(id) = id else {
                    return insert(tx, draft).await;
                };
                let before_pages = tx.pages().await?;
                let current = before_pages
                    .iter()
                    .find(|p| p.id == id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "page" })?;
                let before = page_paths(&before_pages);
                let page = Page {
                    parent: draft.parent,
                    slug: draft.slug,
                    title: draft.title,
                    body_format: draft.body_format,
                    body_source: draft.body_source,
                    body_html: draft.body_html,
                    render_version: gazette_render::RENDER_VERSION,
                    published_at: current
                        .published_at
                        .or((draft.status == Status::Published).then_some(now)),
                    status: draft.status,
                    ..current.clone()
                };
                tx.update_page(&page).await?;
                let after_pages = tx.pages().await?;
                let after = page_paths(&after_pages);
                for p in after_pages.iter().filter(|p| p.status == Status::Published) {
                    let (Some(old), Some(new)) = (before.get(&p.id), after.get(&p.id)) else {
                        continue;
                    };
                    tx.delete_redirect_from(new).await?;
                    let was_public = before_pages
                        .iter()
                        .any(|b| b.id == p.id && b.status == Status::Published);
                    if old != new
                        && was_public
                        && let Ok(rule) = RedirectRule::parse(old, new, "301")
                    {
                        tx.upsert_redirect(&rule).await?;
                    }
                }
                Ok(page.id)
            })
        })
        .await
}

/// Saves a new page sent with an idempotency key: when an earlier request with the same key
/// made one, nothing is saved and that page is named.
pub async fn create_once(
    store: &Store,
    draft: PageDraft,
    once: Option<&IdempotencyKey>,
) -> Result<Once<PageId>, StoreError> {
    let made = |id: &PageId| CreatedRecord {
        kind: "page",
        id: id.0,
    };
    store
        .write_once(once, made, |tx| Box::pin(insert(tx, draft)))
        .await
}

/// Adds the page; an old redirect from its address is dropped, since the page answers there.
async fn insert(tx: &mut WriteTx, draft: PageDraft) -> Result<PageId, StoreError> {
    let new = NewPage {
        parent: draft.parent,
        slug: draft.slug,
        title: draft.title,
        body_format: draft.body_format,
        body_source: draft.body_source,
        body_html: draft.body_html,
        render_version: gazette_render::RENDER_VERSION,
        status: draft.status,
        published_at: (draft.status == Status::Published).then_some(tx.now()),
    };
    let page = tx.insert_page(&new).await?;
    let path = page_paths(&tx.pages().await?)
        .remove(&page.id)
        .unwrap_or_default();
    tx.delete_redirect_from(&path).await?;
    Ok(page.id)
}

/// What deleting a page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageDeletion {
    Deleted,
    /// Nothing was deleted: sub-pages sit under it; they are moved or deleted first.
    HasSubPages,
    NotFound,
}

/// Deletes a page that has no sub-pages. The database refuses to orphan a sub-page made
/// meanwhile, which answers the same.
pub async fn delete(store: &Store, id: PageId) -> Result<PageDeletion, StoreError> {
    let deleted = store
        .write(|tx| {
            Box::pin(async move {
                if tx.pages().await?.iter().any(|p| p.parent == Some(id)) {
                    return Ok(PageDeletion::HasSubPages);
                }
                Ok(if tx.delete_page(id).await? {
                    PageDeletion::Deleted
                } else {
                    PageDeletion::NotFound
                })
            })
        })
        .await;
    match deleted {
        Err(StoreError::InvalidReference) => Ok(PageDeletion::HasSubPages),
        other => other,
    }
}
