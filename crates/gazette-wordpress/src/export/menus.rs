//! The header and footer menus' entries as WordPress's `nav_menu_item`s.

use gazette_wxr::Item;

use super::item_ids::ItemIds;
use super::{Context, meta_pair, term};

impl Context {
    /// A menu entry as WordPress's `nav_menu_item`, in menu `(slug, name)`.
    pub(super) fn menu_item(
        &self,
        id: i64,
        (slug, name): (&str, &str),
        position: usize,
        entry: &gazette_core::curation::MenuItem,
        ids: &ItemIds,
    ) -> Item {
        use gazette_core::curation::MenuTarget;
        let (kind, object, object_id, url) = match &entry.target {
            MenuTarget::Section { id } => (
                "taxonomy",
                "category",
                self.section_term_id(*id),
                String::new(),
            ),
            MenuTarget::Page { id } => ("post_type", "page", ids.page(*id), String::new()),
            MenuTarget::Link { url } => {
                let absolute = if url.starts_with('/') {
                    format!("{}{url}", self.site)
                } else {
                    url.clone()
                };
                ("custom", "custom", id, absolute)
            }
        };
        let meta = vec![
            meta_pair("_menu_item_type", kind),
            meta_pair("_menu_item_menu_item_parent", 0),
            meta_pair("_menu_item_object_id", object_id),
            meta_pair("_menu_item_object", object),
            meta_pair("_menu_item_url", url),
        ];
        Item {
            title: entry.label.clone(),
            link: format!("{}/?p={id}", self.site),
            guid: format!("{}/?p={id}", self.site),
            post_id: Some(id),
            comment_status: "closed".into(),
            ping_status: "closed".into(),
            post_name: format!("{slug}-{}", position + 1),
            status: "publish".into(),
            menu_order: Some(i64::try_from(position).unwrap_or(0) + 1),
            post_type: "nav_menu_item".into(),
            terms: vec![term("nav_menu", slug, name)],
            meta,
            ..Item::default()
        }
    }
}
