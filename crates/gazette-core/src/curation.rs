//! What editors arrange by hand: the navigation menus and the home page's lead story and
//! fixed slots. Both are small editorial settings, stored whole and read into the site
//! snapshot; targets that stop existing are skipped when shown, never an error.

use serde::{Deserialize, Serialize};

use crate::{ArticleId, PageId, SectionId};

/// The two menus a theme shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuName {
    Header,
    Footer,
}

impl MenuName {
    pub const ALL: [Self; 2] = [Self::Header, Self::Footer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Footer => "footer",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// Both menus. An empty menu means "the theme's default" (top-level sections in the header,
/// top-level pages in the footer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Menus {
    #[serde(default)]
    pub header: Vec<MenuItem>,
    #[serde(default)]
    pub footer: Vec<MenuItem>,
}

impl Menus {
    pub fn get(&self, name: MenuName) -> &[MenuItem] {
        match name {
            MenuName::Header => &self.header,
            MenuName::Footer => &self.footer,
        }
    }

    pub fn set(&mut self, name: MenuName, items: Vec<MenuItem>) {
        match name {
            MenuName::Header => self.header = items,
            MenuName::Footer => self.footer = items,
        }
    }
}

/// The most items a menu holds: more would not fit a masthead or footer.
pub const MAX_MENU_ITEMS: usize = 20;

/// One entry of a menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    /// What readers see; empty shows the section's name or the page's title.
    #[serde(default)]
    pub label: String,
    pub target: MenuTarget,
}

/// Where a menu entry leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MenuTarget {
    Section { id: SectionId },
    Page { id: PageId },
    Link { url: String },
}

/// Why a menu entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MenuError {
    #[error("a link needs an address: a path on this site such as /about/, or an http(s) address")]
    BadLink,
    #[error("a link needs a label")]
    UnlabelledLink,
    #[error("a menu holds at most {MAX_MENU_ITEMS} entries")]
    TooMany,
}

impl MenuItem {
    /// A link entry, checked: a path on this site or an absolute http(s) URL, and a label.
    pub fn link(label: &str, url: &str) -> Result<Self, MenuError> {
        let (label, url) = (label.trim(), url.trim());
        let valid = crate::address::is_site_path(url) || crate::address::is_web_url(url);
        if !valid || url.contains(char::is_whitespace) {
            return Err(MenuError::BadLink);
        }
        if label.is_empty() {
            return Err(MenuError::UnlabelledLink);
        }
        Ok(Self {
            label: label.to_owned(),
            target: MenuTarget::Link {
                url: url.to_owned(),
            },
        })
    }
}

/// How many fixed slots the home page has under its lead story.
pub const HOME_SLOTS: usize = 4;

/// The home page's arrangement. Anything not chosen (or no longer published) falls back to the
/// latest articles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeLayout {
    #[serde(default)]
    pub lead: Option<ArticleId>,
    /// At most [`HOME_SLOTS`], in order, without repeats or the lead.
    #[serde(default)]
    pub slots: Vec<ArticleId>,
}

impl HomeLayout {
    /// A layout from chosen ids (`None` for "automatic"): repeats and the lead are dropped
    /// from the slots, and slots past [`HOME_SLOTS`] are ignored.
    pub fn new(
        lead: Option<ArticleId>,
        slots: impl IntoIterator<Item = Option<ArticleId>>,
    ) -> Self {
        let mut chosen: Vec<ArticleId> = Vec::new();
        for id in slots.into_iter().take(HOME_SLOTS).flatten() {
            if Some(id) != lead && !chosen.contains(&id) {
                chosen.push(id);
            }
        }
        Self {
            lead,
            slots: chosen,
        }
    }

    /// Every article the layout names, lead first.
    pub fn chosen(&self) -> Vec<ArticleId> {
        self.lead.iter().chain(&self.slots).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_need_a_safe_address_and_a_label() {
        assert!(MenuItem::link("Shop", "https://shop.example/").is_ok());
        assert!(MenuItem::link("About", "/about/").is_ok());
        assert_eq!(
            MenuItem::link("X", "javascript:alert(1)"),
            Err(MenuError::BadLink)
        );
        assert_eq!(
            MenuItem::link("X", "//evil.example/"),
            Err(MenuError::BadLink)
        );
        assert_eq!(MenuItem::link("X", "about"), Err(MenuError::BadLink));
        assert_eq!(
            MenuItem::link(" ", "/about/"),
            Err(MenuError::UnlabelledLink)
        );
    }

    #[test]
    fn home_layouts_drop_repeats_and_the_lead_from_their_slots() {
        let (a, b, c) = (ArticleId(1), ArticleId(2), ArticleId(3));
        let layout = HomeLayout::new(Some(a), [Some(b), None, Some(a), Some(b), Some(c)]);
        assert_eq!(layout.slots, [b], "the fifth choice is past the slots");
        assert_eq!(layout.chosen(), [a, b]);
        let layout = HomeLayout::new(None, [Some(c), Some(b)]);
        assert_eq!(layout.chosen(), [c, b]);
    }

    #[test]
    fn menus_round_trip_through_json() {
        let menus = Menus {
            header: vec![MenuItem {
                label: String::new(),
                target: MenuTarget::Section { id: SectionId(3) },
            }],
            footer: vec![MenuItem::link("Shop", "https://shop.example/").unwrap()],
        };
        let json = serde_json::to_string(&menus).unwrap();
        assert!(json.contains("\"kind\":\"section\""));
        assert_eq!(serde_json::from_str::<Menus>(&json).unwrap(), menus);
    }
}
