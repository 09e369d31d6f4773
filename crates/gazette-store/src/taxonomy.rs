//! Sections and tags.

use std::collections::HashMap;

use gazette_core::{ArticleId, Section, SectionId, Slug, Tag, TagId};

use crate::query::Param;

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

impl crate::sql::FromRow for Section {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        section_from_row(row)
    }
}

impl crate::sql::FromRow for Tag {
    fn from_row(row: &impl RowExt) -> Result<Self, StoreError> {
        tag_from_row(row)
    }
}

impl WriteTx {
    /// Creates a section; a taken slug is a `Conflict`, an unknown parent an `InvalidReference`.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_section(&mut self, new: &NewSection) -> Result<Section, StoreError> {
        let sql = "insert into sections (slug, name, description, parent_id) \
                   values ($1, $2, $3, $4) returning id";
        let params = [
            Param::Text(new.slug.as_str().to_owned()),
            Param::Text(new.name.clone()),
            Param::Text(new.description.clone()),
            Param::opt_int(new.parent.map(|p| p.0)),
        ];
        let crate::sql::Id(id) = self.fetch_one(sql, &params).await?;
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
        let sql = "insert into tags (slug, name, description) values ($1, $2, $3) returning id";
        let params = [
            Param::Text(new.slug.as_str().to_owned()),
            Param::Text(new.name.clone()),
            Param::Text(new.description.clone()),
        ];
        let crate::sql::Id(id) = self.fetch_one(sql, &params).await?;
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
        self.fetch_optional(sql, &[Param::Text(slug.as_str().to_owned())])
            .await
    }
}

impl Store {
    /// Every section, by name (callers build the tree from `parent`).
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        let sql = "select id, slug, name, description, parent_id from sections order by name, id";
        self.fetch_all(sql, &[]).await
    }

    /// Every tag, by name.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn tags(&self) -> Result<Vec<Tag>, StoreError> {
        let sql = "select id, slug, name, description from tags order by name, id";
        self.fetch_all(sql, &[]).await
    }
}

impl WriteTx {
    /// Renames or moves a section; false if it does not exist. A taken slug is a `Conflict`.
    pub async fn update_section(&mut self, section: &Section) -> Result<bool, StoreError> {
        let sql = "update sections set slug = $2, name = $3, description = $4, parent_id = $5 \
             where id = $1";
        let params = [
            Param::Int(section.id.0),
            Param::Text(section.slug.as_str().to_owned()),
            Param::Text(section.name.clone()),
            Param::Text(section.description.clone()),
            Param::opt_int(section.parent.map(|p| p.0)),
        ];
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Section, Some(section.id.0));
        }
        Ok(touched > 0)
    }

    /// Renames a tag; false if it does not exist. A taken slug is a `Conflict`.
    pub async fn update_tag(&mut self, tag: &Tag) -> Result<bool, StoreError> {
        let sql = "update tags set slug = $2, name = $3, description = $4 where id = $1";
        let params = [
            Param::Int(tag.id.0),
            Param::Text(tag.slug.as_str().to_owned()),
            Param::Text(tag.name.clone()),
            Param::Text(tag.description.clone()),
        ];
        let touched = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Tag, Some(tag.id.0));
        }
        Ok(touched > 0)
    }

    /// Moves every article of tag `from` to tag `into` and deletes `from`; returns the articles
    /// that changed.
    pub async fn merge_tag(
        &mut self,
        from: TagId,
        into: TagId,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let affected = self
            .ids(
                "select article_id as id from article_tags where tag_id = $1",
                from.0,
            )
            .await?;
        let params = [Param::Int(from.0), Param::Int(into.0)];
        let statements = [
            "insert into article_tags (article_id, tag_id, position) \
             select article_id, $2, position + 1000 from article_tags \
             where tag_id = $1 and article_id not in \
                 (select article_id from article_tags where tag_id = $2)",
            "delete from tags where id = $1",
        ];
        for sql in statements {
            on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        }
        self.record_change(ChangeKind::Tag, Some(from.0));
        self.record_change(ChangeKind::Tag, Some(into.0));
        for id in &affected {
            self.record_change(ChangeKind::Article, Some(id.0));
        }
        Ok(affected)
    }

    /// Moves every article (as primary or further section) and every child section of `from`
    /// to `into` and deletes `from`; returns the articles that changed.
    pub async fn merge_section(
        &mut self,
        from: SectionId,
        into: SectionId,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let mut affected = self
            .ids(
                "select id from articles where primary_section_id = $1",
                from.0,
            )
            .await?;
        for id in self
            .ids(
                "select article_id as id from article_sections where section_id = $1",
                from.0,
            )
            .await?
        {
            if !affected.contains(&id) {
                affected.push(id);
            }
        }
        let params = [Param::Int(from.0), Param::Int(into.0)];
        let statements = [
            "update articles set primary_section_id = $2 where primary_section_id = $1",
            "insert into article_sections (article_id, section_id, position) \
             select article_id, $2, position + 1000 from article_sections \
             where section_id = $1 and article_id not in \
                 (select article_id from article_sections where section_id = $2)",
            // An article whose primary section is now `into` does not list it again.
            "delete from article_sections where section_id = $2 and article_id in \
                 (select id from articles where primary_section_id = $2)",
            "update sections set parent_id = $2 where parent_id = $1",
            "delete from sections where id = $1",
        ];
        for sql in statements {
            on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        }
        self.record_change(ChangeKind::Section, Some(from.0));
        self.record_change(ChangeKind::Section, Some(into.0));
        for id in &affected {
            self.record_change(ChangeKind::Article, Some(id.0));
        }
        Ok(affected)
    }

    /// Deletes a tag, taking it off its articles.
    pub async fn delete_tag(&mut self, id: TagId) -> Result<bool, StoreError> {
        let affected = self
            .ids(
                "select article_id as id from article_tags where tag_id = $1",
                id.0,
            )
            .await?;
        let params = [Param::Int(id.0)];
        let touched = on_tx!(self, conn => backend::query::execute(conn, "delete from tags where id = $1", &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Tag, Some(id.0));
            for article in affected {
                self.record_change(ChangeKind::Article, Some(article.0));
            }
        }
        Ok(touched > 0)
    }

    async fn ids(&mut self, sql: &str, id: i64) -> Result<Vec<ArticleId>, StoreError> {
        let params = [Param::Int(id)];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.iter().map(|row| row.int("id").map(ArticleId)).collect()
        })
    }

    /// Every section, seeing this unit's own writes.
    pub async fn sections(&mut self) -> Result<Vec<Section>, StoreError> {
        let sql = "select id, slug, name, description, parent_id from sections order by name, id";
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &[]).await?;
            rows.iter().map(section_from_row).collect()
        })
    }

    /// Every tag, seeing this unit's own writes.
    pub async fn tags(&mut self) -> Result<Vec<Tag>, StoreError> {
        let sql = "select id, slug, name, description from tags order by name, id";
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &[]).await?;
            rows.iter().map(tag_from_row).collect()
        })
    }
}

impl Store {
    /// How many articles (of any status) each tag and each section has.
    pub async fn taxonomy_counts(
        &self,
    ) -> Result<(HashMap<TagId, u64>, HashMap<SectionId, u64>), StoreError> {
        self.counts_of_articles_where("").await
    }

    /// How many published articles each tag and each section has: what readers are told.
    pub async fn published_taxonomy_counts(
        &self,
    ) -> Result<(HashMap<TagId, u64>, HashMap<SectionId, u64>), StoreError> {
        self.counts_of_articles_where(" where a.status = 'published'")
            .await
    }

    /// Articles per tag and per section, counting those `filter` (on articles `a`) keeps.
    async fn counts_of_articles_where(
        &self,
        filter: &str,
    ) -> Result<(HashMap<TagId, u64>, HashMap<SectionId, u64>), StoreError> {
        let tags_sql = format!(
            "select t.tag_id as id, count(*) as n from article_tags t \
             join articles a on a.id = t.article_id{filter} group by t.tag_id"
        );
        let sections_sql = format!(
            "select s.id as id, count(a.id) as n from sections s \
             join articles a on a.primary_section_id = s.id \
               or a.id in (select article_id from article_sections where section_id = s.id)\
             {filter} group by s.id"
        );
        on_backend!(self.backend(), db => {
            let mut conn = db.reader().await?;
            let tags = backend::query::fetch_all(&mut conn, &tags_sql, &[]).await?;
            let sections = backend::query::fetch_all(&mut conn, &sections_sql, &[]).await?;
            let tags = counts(&tags)?.into_iter().map(|(id, n)| (TagId(id), n)).collect();
            let sections = counts(&sections)?.into_iter().map(|(id, n)| (SectionId(id), n)).collect();
            Ok((tags, sections))
        })
    }
}

fn counts(rows: &[impl RowExt]) -> Result<Vec<(i64, u64)>, StoreError> {
    rows.iter()
        .map(|row| Ok((row.int("id")?, u64::try_from(row.int("n")?).unwrap_or(0))))
        .collect()
}

impl WriteTx {
    /// Deletes an empty section (callers check it holds no articles or sections; its
    /// children would make the database refuse).
    pub async fn delete_section(&mut self, id: SectionId) -> Result<bool, StoreError> {
        let params = [Param::Int(id.0)];
        let touched = on_tx!(self, conn => backend::query::execute(conn, "delete from sections where id = $1", &params).await)?;
        if touched > 0 {
            self.record_change(ChangeKind::Section, Some(id.0));
        }
        Ok(touched > 0)
    }
}
