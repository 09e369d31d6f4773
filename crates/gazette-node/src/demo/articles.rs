//! The demo articles, one file per top-level section. Only the content lives here; turning it
//! into stored articles is `write_demo_journal`'s job.

use gazette_core::Genre;

use super::art::Scene;

mod economy;
mod opinion;
mod politics;
mod world;

/// A demo article before its ids are known.
#[derive(Debug)]
pub(super) struct DemoArticle {
    pub(super) headline: &'static str,
    pub(super) standfirst: &'static str,
    /// Markdown.
    pub(super) body: &'static str,
    pub(super) genre: Genre,
    /// Indexes into the demo authors, lead first.
    pub(super) authors: &'static [usize],
    /// The slug of its primary section.
    pub(super) section: &'static str,
    pub(super) tags: &'static [&'static str],
    /// How long before the first run it was published.
    pub(super) hours_ago: i64,
    /// When set, how long after publication it was significantly updated.
    pub(super) updated_minutes_later: Option<i64>,
    pub(super) corrections: &'static str,
    /// Whether it is the lead story.
    pub(super) sticky: bool,
    /// What its featured illustration shows.
    pub(super) scene: Scene,
    pub(super) alt: &'static str,
    pub(super) caption: &'static str,
}

/// The defaults an article overrides: a plain, uncorrected news story.
const NEWS: DemoArticle = DemoArticle {
    headline: "",
    standfirst: "",
    body: "",
    genre: Genre::News,
    authors: &[],
    section: "",
    tags: &[],
    hours_ago: 0,
    updated_minutes_later: None,
    corrections: "",
    sticky: false,
    scene: Scene::Ballot,
    alt: "",
    caption: "",
};

/// Every demo article, section by section.
pub(super) fn all() -> impl Iterator<Item = &'static DemoArticle> {
    [
        politics::ARTICLES,
        world::ARTICLES,
        economy::ARTICLES,
        opinion::ARTICLES,
    ]
    .into_iter()
    .flatten()
}
