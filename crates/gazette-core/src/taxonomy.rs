//! Sections (WordPress categories, nested) and tags: how articles are grouped for readers.

use serde::{Deserialize, Serialize};

use crate::Slug;

/// A section's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SectionId(pub i64);

/// A tag's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TagId(pub i64);

/// A section of the journal (World, World › Europe, Opinion…). Slugs are unique across all
/// sections, as WordPress's category slugs are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: SectionId,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub parent: Option<SectionId>,
}

/// A tag: a free keyword that crosses sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub slug: Slug,
    pub name: String,
    pub description: String,
}
