//! Sections and tags: adding, saving, merging and deleting them, with every archive address
//! they had kept answering (a 301 from each path that moved, and no rule left shadowing a
//! path an archive answers at again).

use std::collections::HashMap;

use gazette_core::{RedirectRule, Section, SectionId, Slug, Tag, TagId};
use gazette_store::{
    CreatedRecord, IdempotencyKey, NewSection, NewTag, Once, Store, StoreError, WriteTx,
};

/// Sections or tags: the two kinds share their pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Section,
    Tag,
}

impl Kind {
    /// The kind's name in addresses and pages: `sections` or `tags`.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Section => "sections",
            Self::Tag => "tags",
        }
    }
}

/// A section or tag as it is about to be saved (`parent` is for sections).
#[derive(Debug, Clone)]
pub struct TermDraft {
    pub name: String,
    pub slug: Slug,
    pub description: String,
    pub parent: Option<SectionId>,
}

/// `/category/world/europe/` for each section.
pub fn section_paths(sections: &[Section]) -> HashMap<SectionId, String> {
    let by_id: HashMap<SectionId, &Section> = sections.iter().map(|s| (s.id, s)).collect();
    sections
        .iter()
        .map(|s| {
            let mut slugs = vec![s.slug.as_str()];
            let mut parent = s.parent;
            while let Some(id) = parent.filter(|_| slugs.len() < 64) {
                let Some(p) = by_id.get(&id) else { break };
                slugs.push(p.slug.as_str());
                parent = p.parent;
            }
            slugs.reverse();
            (s.id, format!("/category/{}/", slugs.join("/")))
        })
        .collect()
}

/// Adds a 301 from each archive path that changed to its new one, and drops rules from the
/// new paths.
async fn keep_archive_paths(
    tx: &mut WriteTx,
    moves: &[(String, String)],
) -> Result<(), StoreError> {
    for (_, new) in moves {
        tx.delete_redirect_from(new).await?;
    }
    for (old, new) in moves.iter().filter(|(old, new)| old != new) {
        if let Ok(rule) = RedirectRule::parse(old, new, "301") {
            tx.upsert_redirect(&rule).await?;
        }
    }
    Ok(())
}

/// Keeps the archive paths a change of sections moved, given every section's path `before` it
/// (and, for a merge, which section went into which).
async fn keep_moved_section_paths(
    tx: &mut WriteTx,
    before: &HashMap<SectionId, String>,
    merged: Option<(SectionId, SectionId)>,
) -> Result<(), StoreError> {
    let after = section_paths(&tx.sections().await?);
    keep_archive_paths(tx, &moved_paths(before, &after, merged)).await
}

/// Section paths before and after a change, for the sections whose path moved.
fn moved_paths(
    before: &HashMap<SectionId, String>,
    after: &HashMap<SectionId, String>,
    merged: Option<(SectionId, SectionId)>,
) -> Vec<(String, String)> {
    let mut moves: Vec<(String, String)> = before
        .iter()
        .filter_map(|(id, old)| Some((old.clone(), after.get(id)?.clone())))
        .collect();
    if let Some((from, into)) = merged
        && let (Some(old), Some(new)) = (before.get(&from), after.get(&into))
    {
        moves.push((old.clone(), new.clone()));
    }
    moves
}

/// Sections a section may be put under (or merged into): all but itself and its
/// descendants, as (id, label) in path order.
pub async fn parent_choices(
    store: &Store,
    except: Option<SectionId>,
) -> Result<Vec<(i64, String)>, StoreError> {
    let sections = store.sections().await?;
    let paths = section_paths(&sections);
    let excluded = except.and_then(|id| paths.get(&id).cloned());
    let mut choices: Vec<(String, i64)> = sections
        .iter()
        .filter_map(|s| {
            let path = paths.get(&s.id)?.clone();
            let inside = excluded
                .as_ref()
                .is_some_and(|e| path.starts_with(e.as_str()));
            (!inside).then_some((path, s.id.0))
        })
        .collect();
    choices.sort();
    Ok(choices
        .into_iter()
        .map(|(path, id)| {
            let label = path
                .trim_start_matches("/category/")
                .trim_end_matches('/')
                .replace('/', " › ");
            (id, label)
        })
        .collect())
}

/// Whether `section` may move under `parent`: not under itself or one of its own.
pub async fn parent_allowed(
    store: &Store,
    section: SectionId,
    parent: Option<SectionId>,
) -> Result<bool, StoreError> {
    let allowed = parent_choices(store, Some(section)).await?;
    Ok(parent.is_none_or(|p| allowed.iter().any(|(id, _)| *id == p.0)))
}

/// Adds a section or tag; an old redirect from its archive's address is dropped, since the
/// archive answers there now. Returns its id, or (with an idempotency key an earlier request
/// used) the one that request made.
pub async fn create(
    store: &Store,
    kind: Kind,
    draft: TermDraft,
    once: Option<&IdempotencyKey>,
) -> Result<Once<i64>, StoreError> {
    let made = |id: &i64| CreatedRecord {
        kind: match kind {
            Kind::Section => "section",
            Kind::Tag => "tag",
        },
        id: *id,
    };
    store
        .write_once(once, made, |tx| {
            Box::pin(async move {
                let (id, path) = match kind {
                    Kind::Section => {
                        let new = NewSection {
                            slug: draft.slug,
                            name: draft.name,
                            description: draft.description,
                            parent: draft.parent,
                        };
                        let section = tx.insert_section(&new).await?;
                        let sections = tx.sections().await?;
                        let path = section_paths(&sections)
                            .remove(&section.id)
                            .unwrap_or_default();
                        (section.id.0, path)
                    }
                    Kind::Tag => {
                        let tag = tx
                            .insert_tag(&NewTag {
                                slug: draft.slug,
                                name: draft.name,
                                description: draft.description,
                            })
                            .await?;
                        (tag.id.0, format!("/tag/{}/", tag.slug))
                    }
                };
                tx.delete_redirect_from(&path).await?;
                Ok(id)
            })
        })
        .await
}

/// Saves a section or tag over the one with `id`; archives whose address changed (a
/// section's sub-sections' too) keep answering with redirects.
pub async fn save(store: &Store, kind: Kind, id: i64, draft: TermDraft) -> Result<(), StoreError> {
    match kind {
        Kind::Section => {
            let section = Section {
                id: SectionId(id),
                slug: draft.slug,
                name: draft.name,
                description: draft.description,
                parent: draft.parent,
            };
            store
                .write(|tx| {
                    Box::pin(async move {
                        let before = section_paths(&tx.sections().await?);
                        if !tx.update_section(&section).await? {
                            return Err(StoreError::NotFound { what: "section" });
                        }
                        keep_moved_section_paths(tx, &before, None).await
                    })
                })
                .await
        }
        Kind::Tag => {
            let old = store
                .tags()
                .await?
                .into_iter()
                .find(|t| t.id == TagId(id))
                .ok_or(StoreError::NotFound { what: "tag" })?;
            let tag = Tag {
                id: TagId(id),
                slug: draft.slug,
                name: draft.name,
                description: draft.description,
            };
            store
                .write(|tx| {
                    Box::pin(async move {
                        if !tx.update_tag(&tag).await? {
                            return Err(StoreError::NotFound { what: "tag" });
                        }
                        let moves =
                            [(format!("/tag/{}/", old.slug), format!("/tag/{}/", tag.slug))];
                        keep_archive_paths(tx, &moves).await
                    })
                })
                .await
        }
    }
}

/// Moves everything in section `from` into `into` and deletes `from`; its archive (and its
/// sub-sections', which move under `into`) redirect to their new addresses.
pub async fn merge_sections(
    store: &Store,
    from: SectionId,
    into: SectionId,
) -> Result<(), StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                let before = section_paths(&tx.sections().await?);
                tx.merge_section(from, into).await?;
                keep_moved_section_paths(tx, &before, Some((from, into))).await
            })
        })
        .await
}

/// Moves tag `from` onto every article of `into`'s and deletes it; its archive redirects.
pub async fn merge_tags(store: &Store, from: Tag, into: Tag) -> Result<(), StoreError> {
    store
        .write(|tx| {
            Box::pin(async move {
                tx.merge_tag(from.id, into.id).await?;
                let moves = [(
                    format!("/tag/{}/", from.slug),
                    format!("/tag/{}/", into.slug),
                )];
                keep_archive_paths(tx, &moves).await
            })
        })
        .await
}

/// Deletes a tag, which comes off its articles; false when there is none.
pub async fn delete_tag(store: &Store, tag: TagId) -> Result<bool, StoreError> {
    store
        .write(|tx| Box::pin(async move { tx.delete_tag(tag).await }))
        .await
}

/// What became of a section asked to be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionDeletion {
    Deleted,
    Missing,
    /// It still holds articles or sections: merging it keeps its archive working, deleting
    /// would not, so nothing was deleted.
    InUse,
}

/// Deletes a section that holds no articles and no sections.
pub async fn delete_section(
    store: &Store,
    section: SectionId,
) -> Result<SectionDeletion, StoreError> {
    let (_, counts) = store.taxonomy_counts().await?;
    let has_children = store
        .sections()
        .await?
        .iter()
        .any(|s| s.parent == Some(section));
    if counts.get(&section).copied().unwrap_or(0) > 0 || has_children {
        return Ok(SectionDeletion::InUse);
    }
    let deleted = store
        .write(|tx| Box::pin(async move { tx.delete_section(section).await }))
        .await;
    match deleted {
        Ok(true) => Ok(SectionDeletion::Deleted),
        Ok(false) => Ok(SectionDeletion::Missing),
        // Something filed under it meanwhile still holds it: the database refuses.
        Err(StoreError::InvalidReference) => Ok(SectionDeletion::InUse),
        Err(other) => Err(other),
    }
}
