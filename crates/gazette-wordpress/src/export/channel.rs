//! What an export holds before its items: the channel, then the authors, categories and tags
//! the items name.

use gazette_core::{Person, Section, SectionId, Tag};
use gazette_wxr::{Channel, Entry};

use super::{Context, GENERATOR_PREFIX};

impl Context {
    pub(super) fn channel(&self) -> Channel {
        Channel {
            title: self.publication.name.clone(),
            link: self.site.clone(),
            description: self.publication.tagline.clone(),
            language: self.publication.language.as_str().to_owned(),
            wxr_version: None,
            base_site_url: self.site.clone(),
            base_blog_url: self.site.clone(),
            generator: format!("{GENERATOR_PREFIX}{}", env!("CARGO_PKG_VERSION")),
        }
    }

    pub(super) fn author(&self, person: &Person) -> Entry {
        Entry::Author(gazette_wxr::Author {
            id: Some(*self.wp_people.get(&person.id.0).unwrap_or(&person.id.0)),
            login: person.slug.as_str().to_owned(),
            email: person.email.as_str().to_owned(),
            display_name: person.display_name.clone(),
            first_name: String::new(),
            last_name: String::new(),
        })
    }

    pub(super) fn category(&self, section: &Section) -> Entry {
        let parent = section
            .parent
            .and_then(|p| self.sections.iter().find(|s| s.id == p))
            .map(|p| p.slug.as_str().to_owned())
            .unwrap_or_default();
        Entry::Category(gazette_wxr::Category {
            term_id: Some(self.section_term_id(section.id)),
            nicename: section.slug.as_str().to_owned(),
            parent,
            name: section.name.clone(),
            description: section.description.clone(),
            meta: Vec::new(),
        })
    }

    pub(super) fn section_term_id(&self, id: SectionId) -> i64 {
        *self.wp_sections.get(&id.0).unwrap_or(&id.0)
    }

    pub(super) fn tag(&self, tag: &Tag) -> Entry {
        Entry::Tag(gazette_wxr::Tag {
            term_id: Some(*self.wp_tags.get(&tag.id.0).unwrap_or(&tag.id.0)),
            slug: tag.slug.as_str().to_owned(),
            name: tag.name.clone(),
            description: tag.description.clone(),
            meta: Vec::new(),
        })
    }
}
