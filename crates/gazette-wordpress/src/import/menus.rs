//! Navigation menus. WordPress keeps any number of menus (`nav_menu` terms, their entries
//! `nav_menu_item` posts) and lets the theme place them; the export does not say where.
//! Gazette has two, the header and the footer, each one level deep. So the import lists the
//! menus it found, and `--header-menu SLUG` / `--footer-menu SLUG` say which become which:
//! their top-level entries, in order, pointing at the sections, pages, articles and links
//! they pointed at.

use std::collections::BTreeMap;

use gazette_core::curation::{MAX_MENU_ITEMS, MenuItem, MenuTarget};
use gazette_core::{PageId, SectionId};
use gazette_wxr::{Item, Term};

/// Which of the export's menus become Gazette's, by their WordPress slugs.
#[derive(Debug, Clone, Default)]
pub struct MenuChoice {
    pub header: Option<String>,
    pub footer: Option<String>,
}

/// One entry of a WordPress menu.
#[derive(Debug, Clone)]
struct Entry {
    menu: String,
    order: i64,
    /// The entry this one is nested under; 0 at the top.
    parent: i64,
    /// `taxonomy`, `post_type` or `custom`.
    kind: String,
    /// `category`, `post_tag`, `page`, `post`, `custom`…
    object: String,
    object_id: i64,
    url: String,
    title: String,
}

/// The menus of an export, as read.
#[derive(Debug, Default)]
pub struct WordPressMenus {
    names: BTreeMap<String, String>,
    entries: Vec<Entry>,
}

/// What a WordPress menu entry points at, found among what the import made.
pub trait MenuTargets {
    fn section(&self, wp_term: i64) -> Option<SectionId>;
    /// The tag's slug and name here.
    fn tag(&self, wp_term: i64) -> Option<(String, String)>;
    fn page(&self, wp_id: i64) -> Option<PageId>;
    /// The headline of the article the post became.
    fn article_headline(&self, wp_id: i64) -> Option<String>;
    /// The old site's address, which links on it start with.
    fn site_url(&self) -> &str;
}

/// A menu made for Gazette, and what could not come along.
#[derive(Debug, Default)]
pub struct BuiltMenu {
    pub items: Vec<MenuItem>,
    /// Entries nested under others: Gazette's menus are one level.
    pub nested: usize,
    /// Entries pointing at something the import did not bring, or at nothing (`#`).
    pub unresolved: usize,
    /// Entries past the most a menu holds.
    pub over_limit: usize,
}

impl WordPressMenus {
    pub fn note_term(&mut self, term: &Term) {
        if term.taxonomy == "nav_menu" {
            self.names.insert(term.slug.clone(), term.name.clone());
        }
    }

    pub fn note_item(&mut self, item: &Item) {
        let Some(menu) = item.terms.iter().find(|t| t.domain == "nav_menu") else {
            return;
        };
        self.names
            .entry(menu.nicename.clone())
            .or_insert_with(|| menu.name.clone());
        let meta = |key: &str| item.meta_value(key).unwrap_or_default().trim().to_owned();
        let number = |key: &str| meta(key).parse::<i64>().unwrap_or(0);
        self.entries.push(Entry {
            menu: menu.nicename.clone(),
            order: item.menu_order.unwrap_or(0),
            parent: number("_menu_item_menu_item_parent"),
            kind: meta("_menu_item_type"),
            object: meta("_menu_item_object"),
            object_id: number("_menu_item_object_id"),
            url: meta("_menu_item_url"),
            title: item.title.trim().to_owned(),
        });
    }

    /// The menus' slugs, names and entry counts, for the report.
    pub fn summary(&self) -> Vec<(String, String, usize)> {
        self.names
            .iter()
            .map(|(slug, name)| {
                let count = self.entries.iter().filter(|e| &e.menu == slug).count();
                (slug.clone(), name.clone(), count)
            })
            .collect()
    }

    /// The WordPress ids of the posts the menu `slug` links to.
    pub fn posts_in(&self, slug: &str) -> Vec<i64> {
        self.entries
            .iter()
            .filter(|e| e.menu == slug && e.kind == "post_type" && e.object == "post")
            .map(|e| e.object_id)
            .collect()
    }

    /// The menu `slug` as Gazette's: its top-level entries in order.
    pub fn build(&self, slug: &str, targets: &dyn MenuTargets) -> BuiltMenu {
        let mut entries: Vec<&Entry> = self.entries.iter().filter(|e| e.menu == slug).collect();
        entries.sort_by_key(|e| e.order);
        let mut built = BuiltMenu::default();
        for entry in entries {
            if entry.parent != 0 {
                built.nested += 1;
                continue;
            }
            let Some(item) = menu_item(entry, targets) else {
                built.unresolved += 1;
                continue;
            };
            if built.items.len() == MAX_MENU_ITEMS {
                built.over_limit += 1;
                continue;
            }
            built.items.push(item);
        }
        built
    }
}

/// An entry as Gazette's. WordPress leaves the label empty when it is the target's own name:
/// sections and pages show theirs, and links are given the tag's name or the headline.
fn menu_item(entry: &Entry, targets: &dyn MenuTargets) -> Option<MenuItem> {
    let label = entry.title.clone();
    let or = |name: String| {
        if label.is_empty() {
            name
        } else {
            label.clone()
        }
    };
    let (label, target) = match (entry.kind.as_str(), entry.object.as_str()) {
        ("taxonomy", "category") => (
            label.clone(),
            MenuTarget::Section {
                id: targets.section(entry.object_id)?,
            },
        ),
        ("taxonomy", "post_tag") => {
            let (slug, name) = targets.tag(entry.object_id)?;
            (
                or(name),
                MenuTarget::Link {
                    url: format!("/tag/{slug}/"),
                },
            )
        }
        ("post_type", "page") => (
            label.clone(),
            MenuTarget::Page {
                id: targets.page(entry.object_id)?,
            },
        ),
        // `?p=` finds the article at whatever address it has.
        ("post_type", "post") => (
            or(targets.article_headline(entry.object_id)?),
            MenuTarget::Link {
                url: format!("/?p={}", entry.object_id),
            },
        ),
        _ => return MenuItem::link(&label, &local_url(&entry.url, targets.site_url())).ok(),
    };
    Some(MenuItem { label, target })
}

/// A link to the old site as a path on this one; other links as they are.
fn local_url(url: &str, site_url: &str) -> String {
    let site = site_url.trim_end_matches('/');
    match url.strip_prefix(site) {
        Some(path) if !site.is_empty() && (path.is_empty() || path.starts_with(['/', '?'])) => {
            if path.is_empty() {
                "/".to_owned()
            } else if path.starts_with('?') {
                format!("/{path}")
            } else {
                path.to_owned()
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_the_old_site_become_paths() {
        let site = "https://old.example";
        assert_eq!(local_url("https://old.example/about/", site), "/about/");
        assert_eq!(local_url("https://old.example", site), "/");
        assert_eq!(local_url("https://old.example?p=3", site), "/?p=3");
        assert_eq!(
            local_url("https://old.example.net/x/", site),
            "https://old.example.net/x/"
        );
        assert_eq!(local_url("#", site), "#");
    }
}
