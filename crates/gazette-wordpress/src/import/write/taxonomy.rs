//! The export's categories and tags, written once all have been read: categories become
//! sections (parents first), tags tags; those an earlier import made are found by slug.

use std::collections::HashMap;

use gazette_store::{NewSection, NewTag, WordPressKind, WriteTx};
use gazette_wxr::{Category, Tag};

use super::{Writer, parents_first, wordpress_slug};

impl Writer {
    /// Categories become sections (parents first) and tags tags, once all have been read:
    /// an export lists them before its items.
    pub(super) async fn write_taxonomy(&mut self, tx: &mut WriteTx) -> anyhow::Result<()> {
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
}
