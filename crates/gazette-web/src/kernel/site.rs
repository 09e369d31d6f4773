//! The site snapshot: the publication's settings, sections, tags, authors and pages that
//! nearly every page needs, read once per content generation instead of on every request.
//!
//! Newsroom write rates are low, so the whole snapshot is rebuilt when any content but a
//! discussion changes (the page cache's site generation moves); it is a few kilobytes for a
//! real journal.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::HeaderValue;
use gazette_core::curation::{HomeLayout, Menus};
use gazette_core::profile::AuthorProfile;
use gazette_core::{
    Newsletter, Page, PageId, Person, PersonId, Publication, RedirectRule, Section, SectionId,
    Slug, Status, Tag, TagId,
};
use gazette_store::{Store, StoreError};
use jiff::Timestamp;

use crate::theme::{Catalogue, Theme};

/// What readers may know about an author.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub slug: Slug,
    pub bio: String,
    /// Their photo and links, when they filled in their profile.
    pub profile: AuthorProfile,
    /// Readers may look them up (an author archive, the REST API's users): they are active
    /// and have published work. Invited and deactivated accounts keep only their bylines.
    pub public: bool,
}

impl Author {
    /// Their archive's path, when readers may look them up.
    pub fn archive_path(&self) -> Option<String> {
        self.public.then(|| format!("/author/{}/", self.slug))
    }
}

/// Everything about the site except articles, at one content generation.
#[derive(Debug)]
pub struct Site {
    pub generation: u64,
    pub publication: Publication,
    pub catalogue: Arc<Catalogue>,
    sections: HashMap<SectionId, Section>,
    /// `world/europe` for each section: its `/category/…/` path.
    section_paths: HashMap<SectionId, String>,
    tags: HashMap<TagId, Tag>,
    authors: HashMap<PersonId, Author>,
    /// Published pages without a parent, by title: the footer's links.
    pub root_pages: Vec<Page>,
    /// Every published page, for menu entries that point at one.
    pages: HashMap<PageId, Page>,
    /// The editors' navigation menus.
    pub menus: Menus,
    /// The editors' home-page arrangement.
    pub home_layout: HomeLayout,
    /// The journal's newsletters, which article, section and home pages offer.
    pub newsletters: Vec<Newsletter>,
    /// The next scheduled publication: pages rendered before it go stale at that moment.
    pub next_boundary: Option<Timestamp>,
    /// Signs the cookies that unlock password-protected articles.
    pub(crate) server_secret: String,
    /// Editors' redirect rules, by `redirect::match_key` of their source.
    redirects: HashMap<String, RedirectRule>,
    /// The Content-Security-Policy every response carries (it depends on the head snippet),
    /// built once per snapshot.
    pub content_security_policy: Option<HeaderValue>,
    /// Published articles per tag and per section, counted the first time this snapshot is
    /// asked (the API's categories and tags), not on every request.
    published_counts: tokio::sync::OnceCell<PublishedCounts>,
}

/// How many published articles each tag and each section has.
pub(crate) type PublishedCounts = (HashMap<TagId, u64>, HashMap<SectionId, u64>);

impl Site {
    /// [`PublishedCounts`] at this snapshot's generation.
    pub(crate) async fn published_counts(
        &self,
        store: &gazette_store::Store,
    ) -> Result<&PublishedCounts, gazette_store::StoreError> {
        self.published_counts
            .get_or_try_init(|| store.published_taxonomy_counts())
            .await
    }

    pub async fn load(store: &Store, theme: &Theme, generation: u64) -> Result<Self, SiteError> {
        let publication = store.publication().await?.ok_or(SiteError::NotSetUp)?;
        let catalogue = theme
            .catalogue(publication.language.as_str())
            .map_err(|e| SiteError::Theme(e.to_string()))?;
        let sections: HashMap<_, _> = store
            .sections()
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let section_paths = sections
            .keys()
            .map(|id| (*id, path_of(&sections, *id)))
            .collect();
        let tags = store.tags().await?.into_iter().map(|t| (t.id, t)).collect();
        let mut profiles = store.author_profiles().await?;
        let published = store.people_with_published_work().await?;
        let authors = store
            .people()
            .await?
            .into_iter()
            .map(|p: Person| {
                let author = Author {
                    public: p.active && published.contains(&p.id),
                    name: p.display_name,
                    slug: p.slug,
                    bio: p.bio,
                    profile: profiles.remove(&p.id).unwrap_or_default(),
                };
                (p.id, author)
            })
            .collect();
        let pages: HashMap<PageId, Page> = store
            .pages()
            .await?
            .into_iter()
            .filter(|p| p.status == Status::Published)
            .map(|p| (p.id, p))
            .collect();
        let mut root_pages: Vec<Page> = pages
            .values()
            .filter(|p| p.parent.is_none())
            .cloned()
            .collect();
        root_pages.sort_by(|a, b| a.title.cmp(&b.title));
        let next_boundary = store.next_scheduled_publication().await?;
        let server_secret = store.server_secret().await?.ok_or(SiteError::NotSetUp)?;
        let redirects = store
            .redirects()
            .await?
            .into_iter()
            .map(|r| (r.rule.key(), r.rule))
            .collect();
        let content_security_policy =
            HeaderValue::from_str(&crate::csp::policy(&publication.head_html)).ok();
        let menus = store.menus().await?;
        let home_layout = store.home_layout().await?;
        let newsletters = store.newsletters().await?;
        Ok(Self {
            newsletters,
            pages,
            menus,
            home_layout,
            content_security_policy,
            published_counts: tokio::sync::OnceCell::new(),
            redirects,
            server_secret,
            generation,
            publication,
            catalogue,
            sections,
            section_paths,
            tags,
            authors,
            root_pages,
            next_boundary,
        })
    }

    /// Every section, in no particular order.
    pub fn sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.values()
    }

    /// The sections and every section above them.
    pub fn with_parents(&self, ids: &[SectionId]) -> Vec<SectionId> {
        let mut all = Vec::new();
        for id in ids {
            let mut at = Some(*id);
            // Parents form a tree; the bound guards a cycle written straight into the database.
            for _ in 0..16 {
                let Some(id) = at.filter(|id| !all.contains(id)) else {
                    break;
                };
                all.push(id);
                at = self.sections.get(&id).and_then(|s| s.parent);
            }
        }
        all
    }

    /// Every published page, in no particular order.
    pub fn published_pages(&self) -> impl Iterator<Item = &Page> {
        self.pages.values()
    }

    /// A published page's URL (`/about/` or `/about/team/`); None if it is not published.
    pub fn page_url(&self, id: PageId) -> Option<String> {
        let mut page = self.pages.get(&id)?;
        let mut slugs = vec![page.slug.as_str()];
        // Up to the top page; a published page under an unpublished one has no address.
        while let Some(parent) = page.parent {
            page = self.pages.get(&parent)?;
            slugs.push(page.slug.as_str());
            if slugs.len() > 8 {
                return None;
            }
        }
        slugs.reverse();
        Some(format!("/{}/", slugs.join("/")))
    }

    /// A published page's title.
    pub fn page_title(&self, id: PageId) -> Option<&str> {
        self.pages.get(&id).map(|p| p.title.as_str())
    }

    /// The redirect rule for a request path, if editors made one.
    pub fn redirect_for(&self, path: &str) -> Option<&RedirectRule> {
        if self.redirects.is_empty() {
            return None;
        }
        self.redirects.get(&gazette_core::redirect::match_key(path))
    }

    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.get(&id)
    }

    /// The section's slugs from the top, joined by `/`.
    pub fn section_path(&self, id: SectionId) -> &str {
        self.section_paths.get(&id).map_or("", String::as_str)
    }

    pub fn section_url(&self, id: SectionId) -> String {
        format!("/category/{}/", self.section_path(id))
    }

    /// The section at `/category/{path}/`.
    pub fn section_by_path(&self, path: &[String]) -> Option<&Section> {
        let joined = path.join("/");
        self.section_paths
            .iter()
            .find(|(_, p)| **p == joined)
            .and_then(|(id, _)| self.sections.get(id))
    }

    /// A section and all sections below it: what its archive lists.
    pub fn section_and_descendants(&self, id: SectionId) -> Vec<SectionId> {
        let mut found = vec![id];
        let mut i = 0;
        while i < found.len() {
            let parent = found[i];
            // `!found.contains`: a cycle in the data must not loop forever.
            let mut children: Vec<_> = self
                .sections
                .values()
                .filter(|s| s.parent == Some(parent) && !found.contains(&s.id))
                .map(|s| s.id)
                .collect();
            children.sort();
            found.extend(children);
            i += 1;
        }
        found
    }

    /// Sections directly below `parent` (the top level for None), by name.
    pub fn sections_under(&self, parent: Option<SectionId>) -> Vec<&Section> {
        let mut found: Vec<_> = self
            .sections
            .values()
            .filter(|s| s.parent == parent)
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        found
    }

    pub fn tag(&self, id: TagId) -> Option<&Tag> {
        self.tags.get(&id)
    }

    /// How many tags the journal has, used or not.
    pub fn tag_count(&self) -> usize {
        self.tags.len()
    }

    /// How many people have a byline, public or not.
    pub fn author_count(&self) -> usize {
        self.authors.len()
    }

    pub fn tag_by_slug(&self, slug: &str) -> Option<&Tag> {
        self.tags.values().find(|t| t.slug.as_str() == slug)
    }

    /// The tag a reader typed: its slug, or its name in any case.
    pub fn tag_named(&self, text: &str) -> Option<&Tag> {
        let text = text.trim();
        self.tag_by_slug(text).or_else(|| {
            let wanted = text.to_lowercase();
            self.tags.values().find(|t| t.name.to_lowercase() == wanted)
        })
    }

    /// Every author readers may look up (see [`Author::public`]), by name.
    pub fn authors_by_name(&self) -> Vec<(PersonId, &Author)> {
        let mut all: Vec<_> = self
            .authors
            .iter()
            .filter(|(_, a)| a.public)
            .map(|(id, a)| (*id, a))
            .collect();
        // Then by id: the map's order differs from one snapshot to the next.
        all.sort_by(|a, b| a.1.name.cmp(&b.1.name).then(a.0.cmp(&b.0)));
        all
    }

    /// Every section by name, in any case, then by id: WordPress's order for categories, and
    /// the same from one snapshot to the next, so a client paging through them sees each once.
    pub fn sections_by_name(&self) -> Vec<&Section> {
        by_name(self.sections.values(), |s| (&s.name, s.id.0))
    }

    /// Every tag, in the same order as [`Site::sections_by_name`].
    pub fn tags_by_name(&self) -> Vec<&Tag> {
        by_name(self.tags.values(), |t| (&t.name, t.id.0))
    }

    /// Anyone with a byline, for the bylines themselves.
    pub fn author(&self, id: PersonId) -> Option<&Author> {
        self.authors.get(&id)
    }

    /// An author readers may look up (see [`Author::public`]).
    pub fn public_author(&self, id: PersonId) -> Option<&Author> {
        self.author(id).filter(|a| a.public)
    }

    /// The author readers may look up whose archive is `/author/{slug}/`.
    pub fn author_by_slug(&self, slug: &str) -> Option<(PersonId, &Author)> {
        self.authors
            .iter()
            .find(|(_, a)| a.public && a.slug.as_str() == slug)
            .map(|(id, a)| (*id, a))
    }
}

/// Slugs from the top section down to `id`. Stops at a cycle rather than looping.
/// `items` sorted by name in any case, then by id.
fn by_name<'a, T>(
    items: impl Iterator<Item = &'a T>,
    key: impl Fn(&T) -> (&String, i64),
) -> Vec<&'a T> {
    let mut sorted: Vec<&T> = items.collect();
    sorted.sort_by_cached_key(|item| {
        let (name, id) = key(item);
        (name.to_lowercase(), id)
    });
    sorted
}

fn path_of(sections: &HashMap<SectionId, Section>, id: SectionId) -> String {
    let mut slugs = Vec::new();
    let mut current = sections.get(&id);
    while let Some(section) = current {
        if slugs.len() > sections.len() {
            break;
        }
        slugs.push(section.slug.as_str());
        current = section.parent.and_then(|p| sections.get(&p));
    }
    slugs.reverse();
    slugs.join("/")
}

/// Why the snapshot could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the publication has no settings yet (the first run did not finish)")]
    NotSetUp,
    #[error("theme: {0}")]
    Theme(String),
    /// A reload waited in vain for the database a moment ago, and is not tried again yet.
    #[error("the database did not answer a moment ago")]
    DatabaseResting,
}

impl From<SiteError> for crate::AppError {
    fn from(error: SiteError) -> Self {
        match error {
            SiteError::Store(store) => Self::from(store),
            SiteError::DatabaseResting => Self::Unavailable,
            other => Self::Internal(Box::new(other)),
        }
    }
}
