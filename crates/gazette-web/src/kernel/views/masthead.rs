//! The masthead, navigation and footer every page shares: the journal's name and ISSN, the
//! header and footer menus (or, without menus, the sections and pages), the date and icons.

use gazette_core::curation::{MenuName, MenuTarget};
use jiff::Timestamp;
use minijinja::Value;

use super::{Link, Meta, NavItem, long_date};
use crate::kernel::site::Site;
use crate::theme::Theme;

/// The masthead, navigation and footer every page shares.
pub fn site_context(site: &Site, theme: &Theme, meta: &Meta, now: Timestamp) -> Value {
    let publication = &site.publication;
    let header = menu_links(site, MenuName::Header).unwrap_or_else(|| {
        site.sections_under(None)
            .into_iter()
            .map(|s| Link {
                url: site.section_url(s.id),
                name: s.name.clone(),
            })
            .collect()
    });
    let nav: Vec<NavItem> = header
        .into_iter()
        .map(|link| NavItem {
            current: meta.current_nav.as_deref() == Some(link.url.as_str()),
            url: link.url,
            name: link.name,
        })
        .collect();
    let pages: Vec<Link> = menu_links(site, MenuName::Footer).unwrap_or_else(|| {
        site.root_pages
            .iter()
            .map(|p| Link {
                url: format!("/{}/", p.slug),
                name: p.title.clone(),
            })
            .collect()
    });
    let issn = publication.issn.as_ref().map(|i| {
        site.catalogue
            .text("masthead.issn", &[("issn", &i.to_string())])
    });
    let eissn = publication.eissn.as_ref().map(|i| {
        site.catalogue
            .text("masthead.eissn", &[("issn", &i.to_string())])
    });
    minijinja::context! {
        name => publication.name,
        tagline => publication.tagline,
        description => publication.description,
        logo => publication.logo,
        lang => publication.language.as_str(),
        issn,
        eissn,
        today => long_date(site, now),
        nav,
        pages,
        stylesheet => theme.asset_url("style.css"),
        favicon => publication.favicon.clone().unwrap_or_else(|| theme.asset_url("favicon.svg")),
        favicon_type => icon_type(publication.favicon.as_deref().unwrap_or(".svg")),
        verification => publication.site_verification,
        // Administrators' own HTML (analytics): deliberately unfiltered, see the settings page.
        head_html => Value::from_safe_string(publication.head_html.clone()),
    }
}

/// An editor's menu as links, skipping entries whose section or page is gone; None when the
/// menu is empty (the theme's default applies).
fn menu_links(site: &Site, name: MenuName) -> Option<Vec<Link>> {
    let items = site.menus.get(name);
    if items.is_empty() {
        return None;
    }
    let links = items
        .iter()
        .filter_map(|item| {
            let (url, default_name) = match &item.target {
                MenuTarget::Section { id } => {
                    let section = site.section(*id)?;
                    (site.section_url(*id), section.name.clone())
                }
                MenuTarget::Page { id } => (site.page_url(*id)?, site.page_title(*id)?.to_owned()),
                MenuTarget::Link { url } => (url.clone(), String::new()),
            };
            let name = if item.label.is_empty() {
                default_name
            } else {
                item.label.clone()
            };
            Some(Link { url, name })
        })
        .collect();
    Some(links)
}

/// The `type` of a favicon link, from its extension; None lets the browser sniff.
fn icon_type(address: &str) -> Option<&'static str> {
    let extension = address.rsplit('.').next()?.to_ascii_lowercase();
    match extension.as_str() {
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "ico" => Some("image/x-icon"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        _ => None,
    }
}
