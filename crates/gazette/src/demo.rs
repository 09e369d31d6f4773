//! The demo journal a new installation starts with (unless `--no-demo`): sections, authors,
//! tags, a few articles and the About and Contact pages. All text is our own.

use gazette_core::{
    BodyFormat, Email, FeaturedImage, Genre, PersonId, Role, SectionId, Slug, Status, TagId,
};
use gazette_store::{NewArticle, NewPage, NewPerson, NewSection, NewTag, StoreError, WriteTx};
use jiff::SignedDuration;

/// A demo article before its ids are known.
struct DemoArticle {
    headline: &'static str,
    standfirst: &'static str,
    body: &'static str,
    genre: Genre,
    /// Indexes into the demo authors, lead first.
    authors: &'static [usize],
    section: &'static str,
    tags: &'static [&'static str],
    hours_ago: i64,
    corrections: &'static str,
}

const AUTHORS: &[(&str, &str, &str)] = &[
    (
        "Amara Okafor",
        "amara.okafor@example.org",
        "Amara covers city hall and transport.",
    ),
    (
        "Lukas Brenner",
        "lukas.brenner@example.org",
        "Lukas reports on Europe from Vienna.",
    ),
    (
        "Inès Laurent",
        "ines.laurent@example.org",
        "Inès writes about public money and politics.",
    ),
];

/// (slug, name, parent slug)
const SECTIONS: &[(&str, &str, Option<&str>)] = &[
    ("world", "World", None),
    ("europe", "Europe", Some("world")),
    ("politics", "Politics", None),
    ("opinion", "Opinion", None),
];

const TAGS: &[(&str, &str)] = &[
    ("transport", "Transport"),
    ("climate", "Climate"),
    ("budget", "Budget"),
    ("libraries", "Libraries"),
];

const ARTICLES: &[DemoArticle] = &[
    DemoArticle {
        headline: "Council approves overnight bus network after two-year trial",
        standfirst: "Six night routes become permanent from March, with buses every 20 minutes on the busiest lines.",
        body: "The city council voted 31 to 9 on Tuesday to make the overnight bus trial permanent.\n\n\
> \u{201c}Nurses, bakers and cleaners told us the same thing: the city does not stop at midnight, so neither should its buses,\u{201d} said the transport committee chair.\n\n\
The trial carried 1.2 million passengers in its second year, up from 700,000 in its first. \
Opponents questioned the cost, estimated at 4.8 million a year.\n\n\
## What changes\n\n\
| Route | Frequency | From |\n|---|---|---|\n| N1 Harbour – Airport | 20 min | March |\n| N4 University – Old Town | 30 min | March |\n",
        genre: Genre::News,
        authors: &[0],
        section: "politics",
        tags: &["transport"],
        hours_ago: 3,
        corrections: "",
    },
    DemoArticle {
        headline: "River levels fall as towns along the Danube count the cost of a wet spring",
        standfirst: "Flood barriers held in most places; farmers say the damage to crops will be known only in summer.",
        body: "Water levels on the Danube fell for a third day, and emergency services lifted warnings in four districts.\n\n\
Mayors along the river said the new mobile barriers had protected old town centres that flooded a decade ago.\n\n\
> We spent ten years arguing about these walls. This week they paid for themselves.\n\n\
Insurers expect claims to be lower than in previous floods, but farmers warned that waterlogged fields could delay planting.",
        genre: Genre::News,
        authors: &[1, 0],
        section: "europe",
        tags: &["climate"],
        hours_ago: 20,
        corrections: "An earlier version of this article gave the wrong number of districts.",
    },
    DemoArticle {
        headline: "Why the budget fight is really about pensions",
        standfirst: "Behind the row over spending caps lies a harder question: who pays for an ageing population?",
        body: "Ministers and opposition leaders spent the week trading figures on the spending cap. \
The numbers that matter more sit in the pensions line, which grows faster than any other.[^1]\n\n\
Three things will decide the outcome:\n\n\
1. whether the retirement age rises with life expectancy;\n2. how pensions are indexed;\n3. what the cap leaves for everything else.\n\n\
[^1]: Figures from the finance ministry's spring outlook.",
        genre: Genre::Analysis,
        authors: &[2],
        section: "politics",
        tags: &["budget"],
        hours_ago: 30,
        corrections: "",
    },
    DemoArticle {
        headline: "Our libraries deserve more than warm words",
        standfirst: "Every politician praises libraries. Few budgets show it.",
        body: "Libraries are where children first choose a book for themselves, where job seekers print CVs, \
and where the lonely find company on a winter afternoon.\n\n\
Yet opening hours have been cut three times in ten years. Warm words cost nothing; a reading room with the lights on does.",
        genre: Genre::Opinion,
        authors: &[0],
        section: "opinion",
        tags: &["libraries", "budget"],
        hours_ago: 48,
        corrections: "",
    },
];

const PAGES: &[(&str, &str, &str)] = &[
    (
        "about",
        "About us",
        "The Gazette Chronicle is an independent journal of news and analysis.\n\nWe correct our mistakes openly: look for the corrections note under an article.",
    ),
    (
        "contact",
        "Contact",
        "Write to the newsroom at newsroom@example.org.",
    ),
];

/// Writes the demo journal inside the first run's unit of work.
pub async fn write_demo_journal(tx: &mut WriteTx) -> Result<(), StoreError> {
    let authors = insert_authors(tx).await?;
    let sections = insert_sections(tx).await?;
    let tags = insert_tags(tx).await?;
    let now = tx.now();
    for demo in ARTICLES {
        let body = gazette_render::render_body(BodyFormat::Markdown, demo.body);
        let mut article = NewArticle::draft(
            demo.headline,
            demo.body,
            body,
            gazette_render::RENDER_VERSION,
        );
        article.standfirst = demo.standfirst.to_owned();
        article.excerpt = demo.standfirst.to_owned();
        article.genre = demo.genre;
        article.authors = demo
            .authors
            .iter()
            .filter_map(|i| authors.get(*i).copied())
            .collect();
        article.primary_section = lookup(&sections, demo.section);
        article.tags = demo.tags.iter().filter_map(|t| lookup(&tags, t)).collect();
        article.status = Status::Published;
        article.published_at = Some(now - SignedDuration::from_hours(demo.hours_ago));
        article.corrections = demo.corrections.to_owned();
        article.featured_image = None::<FeaturedImage>;
        tx.insert_article(article).await?;
    }
    for (slug, title, body) in PAGES {
        let page = NewPage {
            parent: None,
            slug: parse_slug(slug)?,
            title: (*title).to_owned(),
            body_format: BodyFormat::Markdown,
            body_source: (*body).to_owned(),
            body_html: gazette_render::render_body(BodyFormat::Markdown, body),
            render_version: gazette_render::RENDER_VERSION,
            status: Status::Published,
            published_at: Some(now),
        };
        tx.insert_page(&page).await?;
    }
    Ok(())
}

async fn insert_authors(tx: &mut WriteTx) -> Result<Vec<PersonId>, StoreError> {
    let mut ids = Vec::new();
    for (name, email, bio) in AUTHORS {
        let person = NewPerson {
            display_name: (*name).to_owned(),
            slug: Slug::from_headline(name),
            email: Email::parse(email).map_err(|e| demo_error("author email", e))?,
            role: Role::Author,
            password_hash: None,
            bio: (*bio).to_owned(),
            active: true,
        };
        ids.push(tx.insert_person(&person).await?.id);
    }
    Ok(ids)
}

async fn insert_sections(tx: &mut WriteTx) -> Result<Vec<(&'static str, SectionId)>, StoreError> {
    let mut ids: Vec<(&'static str, SectionId)> = Vec::new();
    for (slug, name, parent) in SECTIONS {
        let section = NewSection {
            slug: parse_slug(slug)?,
            name: (*name).to_owned(),
            description: String::new(),
            parent: parent.and_then(|p| lookup(&ids, p)),
        };
        ids.push((slug, tx.insert_section(&section).await?.id));
    }
    Ok(ids)
}

async fn insert_tags(tx: &mut WriteTx) -> Result<Vec<(&'static str, TagId)>, StoreError> {
    let mut ids = Vec::new();
    for (slug, name) in TAGS {
        let tag = NewTag {
            slug: parse_slug(slug)?,
            name: (*name).to_owned(),
            description: String::new(),
        };
        ids.push((*slug, tx.insert_tag(&tag).await?.id));
    }
    Ok(ids)
}

fn lookup<T: Copy>(ids: &[(&str, T)], slug: &str) -> Option<T> {
    ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id)
}

fn parse_slug(slug: &str) -> Result<Slug, StoreError> {
    Slug::parse(slug).map_err(|e| demo_error("slug", e))
}

fn demo_error(what: &'static str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: format!("demo content: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_content_is_consistent() {
        for article in ARTICLES {
            assert!(
                SECTIONS.iter().any(|(slug, ..)| *slug == article.section),
                "{}",
                article.headline
            );
            assert!(
                article
                    .tags
                    .iter()
                    .all(|t| TAGS.iter().any(|(slug, _)| slug == t))
            );
            assert!(article.authors.iter().all(|i| *i < AUTHORS.len()));
        }
        assert!(ARTICLES.iter().any(|a| a.authors.len() > 1), "a co-byline");
        assert!(ARTICLES.iter().any(|a| a.genre == Genre::Opinion));
    }
}
