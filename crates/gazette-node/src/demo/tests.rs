//! Checks on the demo content itself: it is read by every new installation, so a dangling
//! section, a duplicate slug or a broken image would be the first thing a user sees.

use std::collections::HashSet;

use gazette_core::{Genre, Slug};

use super::catalogue::{AUTHORS, PAGES, SECTIONS, TAGS};
use super::{MEDIA_FOLDER, articles, comments, write_demo_media};

#[test]
fn articles_refer_to_existing_sections_tags_and_authors() {
    for article in articles::all() {
        let headline = article.headline;
        assert!(
            SECTIONS.iter().any(|(slug, ..)| *slug == article.section),
            "{headline}"
        );
        assert!(
            article
                .tags
                .iter()
                .all(|t| TAGS.iter().any(|(slug, _)| slug == t)),
            "{headline}"
        );
        assert!((1..=3).contains(&article.tags.len()), "{headline}");
        assert!(!article.authors.is_empty(), "{headline}");
        assert!(article.authors.iter().all(|i| *i < AUTHORS.len()));
    }
    for (index, (slug, _, _, parent)) in SECTIONS.iter().enumerate() {
        if let Some(parent) = parent {
            let position = SECTIONS.iter().position(|(s, ..)| s == parent);
            assert!(position.is_some_and(|p| p < index), "{slug}: parent first");
        }
    }
}

#[test]
fn comment_threads_sit_under_real_articles_and_nest_within_the_default_depth() {
    fn depth(threads: &[comments::DemoComment]) -> usize {
        threads
            .iter()
            .map(|c| 1 + depth(c.replies))
            .max()
            .unwrap_or(0)
    }
    assert!((2..=3).contains(&comments::THREADS.len()));
    for threads in comments::THREADS {
        assert!(
            articles::all().any(|a| a.headline == threads.headline),
            "{}",
            threads.headline
        );
        assert!(depth(threads.threads) >= 1);
        // The default policy nests five levels deep.
        assert!(depth(threads.threads) <= 5, "{}", threads.headline);
    }
    assert!(
        comments::THREADS.iter().any(|t| depth(t.threads) >= 2),
        "a real thread"
    );
}

#[test]
fn the_demo_looks_like_a_journal() {
    let all: Vec<_> = articles::all().collect();
    assert!(all.len() >= 14, "{} articles", all.len());
    let parents: HashSet<_> = SECTIONS.iter().filter_map(|(.., p)| *p).collect();
    assert!(parents.len() >= 3, "sections with children: {parents:?}");
    assert!((8..=12).contains(&TAGS.len()));
    assert!(AUTHORS.len() >= 5);
    assert_eq!(PAGES.len(), 3, "About, Contact and Privacy policy");

    let slugs: HashSet<_> = all
        .iter()
        .map(|a| Slug::from_headline(a.headline))
        .collect();
    assert_eq!(slugs.len(), all.len(), "unique article slugs");
    let people: HashSet<_> = AUTHORS
        .iter()
        .map(|(n, ..)| Slug::from_headline(n))
        .collect();
    assert_eq!(people.len(), AUTHORS.len(), "unique author slugs");

    assert!(
        all.iter().filter(|a| a.authors.len() >= 2).count() >= 2,
        "co-bylines"
    );
    assert!(
        all.iter().any(|a| a.authors.len() == 3),
        "a three-way byline"
    );
    let opinion: Vec<_> = all.iter().filter(|a| a.genre == Genre::Opinion).collect();
    assert!(
        (1..=2).contains(&opinion.len()),
        "one or two opinion pieces"
    );
    assert!(opinion.iter().all(|a| a.section == "opinion"));
    assert!(all.iter().any(|a| a.genre == Genre::Analysis));
    assert!(all.iter().any(|a| a.genre == Genre::Interview));
    assert_eq!(all.iter().filter(|a| a.sticky).count(), 1, "one lead story");
    assert!(all.iter().any(|a| !a.corrections.is_empty()));
    let updated: Vec<_> = all
        .iter()
        .filter_map(|a| a.updated_minutes_later.map(|m| (a, m)))
        .collect();
    assert!(!updated.is_empty(), "a significantly updated article");
    for (article, minutes) in updated {
        assert!(
            minutes > 0 && minutes < article.hours_ago * 60,
            "updated in the past"
        );
    }
    assert!(all.iter().all(|a| (1..=240).contains(&a.hours_ago)));
}

#[test]
fn articles_are_written_like_news() {
    let all: Vec<_> = articles::all().collect();
    for article in &all {
        let words = article.body.split_whitespace().count();
        assert!(
            (250..=600).contains(&words),
            "{}: {words} words",
            article.headline
        );
        for text in [article.headline, article.standfirst, article.body] {
            assert!(
                !text.contains(['\'', '"']),
                "typographic quotes only: {}",
                article.headline
            );
        }
        assert!(!article.alt.is_empty() && !article.caption.is_empty());
    }
    let quoted = all.iter().filter(|a| a.body.contains("\n> ")).count();
    assert!(quoted * 2 >= all.len(), "at least half quote someone");
    assert!(all.iter().any(|a| a.body.contains("|---|")), "a table");
    assert!(
        all.iter().any(|a| a.body.contains("\n- ")),
        "a bulleted list"
    );
}

#[tokio::test]
async fn every_article_gets_its_illustration_on_disk() {
    let media = tempfile::tempdir().unwrap();
    let store = gazette_media::MediaStore::directory(media.path());
    write_demo_media(&store).await.unwrap();
    // A second run keeps what is there rather than failing.
    write_demo_media(&store).await.unwrap();
    let folder = media.path().join(MEDIA_FOLDER);
    for article in articles::all() {
        let slug = Slug::from_headline(article.headline);
        let svg = std::fs::read_to_string(folder.join(format!("{slug}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{slug}");
        assert!(svg.contains(r#"viewBox="0 0 1200 675""#), "{slug}");
        assert!(svg.contains(r#"width="1200" height="675""#), "{slug}");
        assert!(svg.trim_end().ends_with("</svg>"), "{slug}");
        assert!(svg.len() < 6 * 1024, "{slug}: {} bytes", svg.len());
        for forbidden in ["<script", "<text", "href", "http://www.w3.org/1999/xlink"] {
            assert!(!svg.contains(forbidden), "{slug}: {forbidden}");
        }
        assert_eq!(
            svg.matches('<').count(),
            svg.matches('>').count(),
            "{slug}: balanced tags"
        );
    }
    let leftovers = std::fs::read_dir(&folder)
        .unwrap()
        .filter(|entry| {
            let name = entry.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with('.')
        })
        .count();
    assert_eq!(leftovers, 0, "no partial files left behind");
}
