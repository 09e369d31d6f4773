//! Sections and tags.

use gazette_core::{Section, SectionId, Slug, Tag, TagId};

use crate::changes::ChangeKind;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// A section to create.
#[derive(Debug, Clone)]
pub struct NewSection {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub parent: Option<SectionId>,
}

/// A tag to create.
#[derive(Debug, Clone)]
pub struct NewTag {
    pub slug: Slug,
    pub name: String,
    pub description: String,
}

pub(crate) fn section_from_row(row: &impl RowExt) -> Result<Section, StoreError> {
    Ok(Section {
        id: SectionId(row.int("id")?),
        slug: Slug::parse(&row.text("slug")?)
            .map_err(|e| StoreError::corrupt("section slug", e))?,
        name: row.text("name")?,
        description: row.text("description")?,
        parent: row.opt_int("parent_id")?.map(SectionId),
    })
}

pub(crate) fn tag_from_row(row: &impl RowExt) -> Result<Tag, StoreError> {
    Ok(Tag {
        id: TagId(row.int("id")?),
        slug: Slug::parse(&row.text("slug")?).map_err(|e| StoreError::corrupt("tag slug", e))?,
        name: row.text("name")?,
        description: row.text("description")?,
    })
}

impl WriteTx {
    /// Creates a section; a taken slug is a `Conflict`, an unknown parent an `InvalidReference`.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_section(&mut self, new: &NewSection) -> Result<Section, StoreError> {
        let id = on_tx!(self, conn => backend::taxonomy::insert_section(conn, new).await)?;
        self.record_change(ChangeKind::Section, Some(id));
        Ok(Section {
            id: SectionId(id),
            slug: new.slug.clone(),
            name: new.name.clone(),
            description: new.description.clone(),
            parent: new.parent,
        })
    }

    /// Creates a tag; a taken slug is a `Conflict`.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_tag(&mut self, new: &NewTag) -> Result<Tag, StoreError> {
        let id = on_tx!(self, conn => backend::taxonomy::insert_tag(conn, new).await)?;
        self.record_change(ChangeKind::Tag, Some(id));
        Ok(Tag {
            id: TagId(id),
            slug: new.slug.clone(),
            name: new.name.clone(),
            description: new.description.clone(),
        })
    }
}

impl WriteTx {
    /// The tag with this slug, seeing this unit's own writes.
    pub async fn tag_by_slug(&mut self, slug: &Slug) -> Result<Option<Tag>, StoreError> {
        let sql = "select id, slug, name, description from tags where slug = $1";
        let params = [crate::query::Param::Text(slug.as_str().to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(tag_from_row).transpose()
        })
    }
}

impl Store {
    /// Every section, by name (callers build the tree from `parent`).
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::taxonomy::all_sections(&mut *db.reader().await?).await?;
            rows.iter().map(section_from_row).collect()
        })
    }

    /// Every tag, by name.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn tags(&self) -> Result<Vec<Tag>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::taxonomy::all_tags(&mut *db.reader().await?).await?;
            rows.iter().map(tag_from_row).collect()
        })
    }
}
