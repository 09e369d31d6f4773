//! Menus and the home page over HTTP on both backends: editors' menus replace the theme's
//! default navigation in their order, and the lead story and slots they choose open the home
//! page, falling back to the latest articles when a choice is unpublished. Sections and tags
//! are added, renamed, moved and merged with their old archive URLs kept, and static pages
//! nest and move keeping theirs. Authors' profiles (photo, bio, links) reach their archive.
//!
//! The tests are in one module per topic; the helpers they share are here.

#[path = "curation/home_page.rs"]
mod home_page;
#[path = "curation/menus.rs"]
mod menus;
#[path = "curation/pages.rs"]
mod pages;
#[path = "curation/profiles.rs"]
mod profiles;
#[path = "curation/terms.rs"]
mod terms;

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// The link texts of a `<nav>`, in order.
fn link_texts(nav: &str) -> Vec<String> {
    nav.split("</a>")
        .filter_map(|part| {
            part.rsplit_once('>')
                .map(|(_, text)| text.trim().to_owned())
        })
        .filter(|t| !t.is_empty())
        .collect()
}
