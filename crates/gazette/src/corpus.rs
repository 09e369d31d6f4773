//! A generator of realistic-looking journals for benchmarks: `gazette dev corpus`.
//!
//! The same seed always gives the same corpus, which can be written straight into a store
//! ([`store`]) or as a WordPress export ([`wxr`]), so the search benchmark of [6/8] and the
//! import benchmark of [7/8] measure the same articles. Text is drawn from a vocabulary of news
//! words with a Zipf-like distribution (a few words are everywhere, most are rare), so search
//! indexes and `LIKE` scans see realistic term frequencies.

pub mod bench;
pub mod store;
mod words;
pub mod wxr;

use jiff::{SignedDuration, Timestamp};

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusSpec {
    pub articles: u64,
    pub comments: u64,
    pub seed: u64,
    /// The newest article's publication time; the others go back from it, about 40 a day.
    pub newest: Timestamp,
}

/// One comment in this many goes to the newest article (see [`CorpusSpec::comments`]).
pub const TALKING_POINT_SHARE: u64 = 2_500;

/// A small deterministic random number generator (SplitMix64): benchmarks need the same
/// corpus on every run, not cryptographic quality.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high.saturating_sub(low) + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The people, sections and tags every corpus has.
#[derive(Debug, Clone)]
pub struct Cast {
    pub authors: Vec<CastAuthor>,
    /// (slug, name, parent index).
    pub sections: Vec<(String, String, Option<usize>)>,
    /// (slug, name).
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct CastAuthor {
    pub login: String,
    pub name: String,
    pub email: String,
}

/// One generated article.
#[derive(Debug, Clone)]
pub struct GeneratedArticle {
    /// 1-based, and the WordPress post id in the export.
    pub number: u64,
    pub headline: String,
    pub slug: String,
    pub standfirst: String,
    /// Paragraphs separated by blank lines: Markdown for the store, WordPress's classic
    /// editor format in the export.
    pub body: String,
    pub published: Timestamp,
    /// Indexes into [`Cast::authors`], [`Cast::sections`] and [`Cast::tags`].
    pub authors: Vec<usize>,
    pub section: usize,
    pub tags: Vec<usize>,
}

/// One generated reader comment.
#[derive(Debug, Clone)]
pub struct GeneratedComment {
    /// 1-based, and the WordPress comment id in the export.
    pub number: u64,
    /// The article's number.
    pub article: u64,
    /// A comment on the same article this one answers.
    pub parent: Option<u64>,
    pub name: String,
    pub email: String,
    pub body: String,
    pub at: Timestamp,
}

impl CorpusSpec {
    /// The journal's authors, sections and tags.
    pub fn cast(&self) -> Cast {
        let mut rng = Rng::new(self.seed ^ 0xCA57);
        let authors = (0..40)
            .map(|n| {
                let first = rng.pick(words::FIRST_NAMES);
                let last = rng.pick(words::LAST_NAMES);
                let login = slugify(&format!("{first} {last} {n}"));
                CastAuthor {
                    email: format!("{login}@corpus.example"),
                    name: format!("{first} {last}"),
                    login,
                }
            })
            .collect();
        let mut sections = Vec::new();
        for (name, children) in words::SECTIONS {
            let parent = sections.len();
            sections.push((slugify(name), (*name).to_owned(), None));
            for child in *children {
                sections.push((slugify(child), (*child).to_owned(), Some(parent)));
            }
        }
        let mut tags: Vec<(String, String)> = Vec::new();
        for (a, b) in words::TOPICS
            .iter()
            .zip(words::TOPICS.iter().cycle().skip(7))
        {
            for name in [capitalised(a), format!("{} {b}", capitalised(a))] {
                let slug = slugify(&name);
                if !tags.iter().any(|(s, _)| *s == slug) {
                    tags.push((slug, name));
                }
            }
        }
        Cast {
            authors,
            sections,
            tags,
        }
    }

    /// The articles, oldest first, generated one at a time (100,000 fit easily, but a
    /// million need not).
    pub fn articles(&self) -> impl Iterator<Item = GeneratedArticle> + '_ {
        let cast = self.cast();
        let mut rng = Rng::new(self.seed);
        let words = words::Zipf::new(words::VOCABULARY);
        let spacing = SignedDuration::from_secs(36 * 60);
        (1..=self.articles).map(move |number| {
            let age = i64::try_from(self.articles - number).unwrap_or(i64::MAX);
            let jitter = SignedDuration::from_secs(i64::try_from(rng.below(1_800)).unwrap_or(0));
            let published = self
                .newest
                .checked_sub(spacing * i32::try_from(age).unwrap_or(i32::MAX))
                .and_then(|t| t.checked_sub(jitter))
                .unwrap_or(Timestamp::UNIX_EPOCH);
            article(&mut rng, &words, &cast, number, published)
        })
    }

    /// The comments, spread over the articles (older articles have had longer to gather
    /// them), about a third of them replies. One comment in [`TALKING_POINT_SHARE`] goes to
    /// the newest article, the day's talking point, so that a large corpus has one long
    /// discussion to measure (500,000 comments give it 200).
    pub fn comments(&self) -> impl Iterator<Item = GeneratedComment> + '_ {
        let mut rng = Rng::new(self.seed ^ 0xC0FFEE);
        let words = words::Zipf::new(words::VOCABULARY);
        let mut last_on: std::collections::HashMap<u64, u64> = std::collections::HashMap::new();
        (1..=self.comments).map(move |number| {
            let article = if number % TALKING_POINT_SHARE == 0 {
                self.articles.max(1)
            } else {
                rng.between(1, self.articles.max(1))
            };
            let parent = last_on.get(&article).copied().filter(|_| rng.chance(35));
            last_on.insert(article, number);
            let first = rng.pick(words::FIRST_NAMES);
            let last = rng.pick(words::LAST_NAMES);
            let sentences = rng.between(1, 4);
            let body = (0..sentences)
                .map(|_| sentence(&mut rng, &words))
                .collect::<Vec<_>>()
                .join(" ");
            let age = i64::try_from(self.articles.saturating_sub(article)).unwrap_or(0);
            let at = self
                .newest
                .checked_sub(SignedDuration::from_secs(age * 36 * 60))
                .and_then(|t| {
                    t.checked_add(SignedDuration::from_secs(
                        i64::try_from(rng.between(600, 86_400)).unwrap_or(600),
                    ))
                })
                .unwrap_or(self.newest);
            GeneratedComment {
                number,
                article,
                parent,
                email: format!(
                    "{}{}@readers.example",
                    slugify(&format!("{first} {last}")),
                    rng.below(1000)
                ),
                name: format!("{first} {last}"),
                body,
                at,
            }
        })
    }
}

fn article(
    rng: &mut Rng,
    words: &words::Zipf,
    cast: &Cast,
    number: u64,
    published: Timestamp,
) -> GeneratedArticle {
    let topic = rng.pick(words::TOPICS);
    let headline = headline(rng, words, topic);
    let paragraphs = rng.between(4, 14);
    let body = (0..paragraphs)
        .map(|p| {
            let sentences = rng.between(2, 5);
            (0..sentences)
                .map(|s| {
                    // The topic recurs, as a story's subject does.
                    if (p + s) % 3 == 0 {
                        format!(
                            "{} {}",
                            capitalised(topic),
                            sentence(rng, words).to_lowercase()
                        )
                    } else {
                        sentence(rng, words)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let author_count = if rng.chance(15) { 2 } else { 1 };
    let mut authors = Vec::new();
    while authors.len() < author_count {
        let author = usize::try_from(rng.below(cast.authors.len() as u64)).unwrap_or(0);
        if !authors.contains(&author) {
            authors.push(author);
        }
    }
    let mut tags = Vec::new();
    for _ in 0..rng.between(1, 4) {
        let tag = usize::try_from(rng.below(cast.tags.len() as u64)).unwrap_or(0);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    GeneratedArticle {
        number,
        slug: format!("{}-{number}", slugify(&headline)),
        standfirst: sentence(rng, words),
        headline,
        body,
        published,
        authors,
        section: usize::try_from(rng.below(cast.sections.len() as u64)).unwrap_or(0),
        tags,
    }
}

fn headline(rng: &mut Rng, words: &words::Zipf, topic: &str) -> String {
    let length = rng.between(4, 9);
    let mut parts: Vec<&str> = (0..length).map(|_| words.sample(rng)).collect();
    let at = usize::try_from(rng.below(parts.len() as u64)).unwrap_or(0);
    parts.insert(at, topic);
    capitalised(&parts.join(" "))
}

fn sentence(rng: &mut Rng, words: &words::Zipf) -> String {
    let length = rng.between(8, 24);
    let text = (0..length)
        .map(|_| words.sample(rng))
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}.", capitalised(&text))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn slugify(text: &str) -> String {
    gazette_core::Slug::from_headline(text).as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CorpusSpec {
        CorpusSpec {
            articles: 50,
            comments: 200,
            seed: 7,
            newest: Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    #[test]
    fn the_newest_article_gathers_one_comment_in_2500() {
        // Many articles and few comments each, so the uniform draw alone gives the newest
        // article almost none.
        let spec = CorpusSpec {
            articles: 100_000,
            comments: 25_000,
            ..spec()
        };
        let on_newest = spec
            .comments()
            .filter(|c| c.article == spec.articles)
            .count();
        assert!(
            on_newest >= 10,
            "{on_newest} comments on the newest article"
        );
        let most_elsewhere = (1..=20)
            .map(|article| spec.comments().filter(|c| c.article == article).count())
            .max();
        assert!(
            most_elsewhere < Some(3),
            "{most_elsewhere:?} on an old article"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let a: Vec<String> = spec().articles().map(|a| a.body).collect();
        let b: Vec<String> = spec().articles().map(|a| a.body).collect();
        assert_eq!(a, b);
        let other = CorpusSpec { seed: 8, ..spec() };
        assert_ne!(a, other.articles().map(|a| a.body).collect::<Vec<_>>());
    }

    #[test]
    fn articles_are_plausible_and_in_order() {
        let cast = spec().cast();
        let articles: Vec<GeneratedArticle> = spec().articles().collect();
        assert_eq!(articles.len(), 50);
        let mut slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 50, "slugs are unique");
        for pair in articles.windows(2) {
            assert!(pair[0].published < pair[1].published, "oldest first");
        }
        for article in &articles {
            let words = article.body.split_whitespace().count();
            assert!((60..=2_000).contains(&words), "{words} words");
            assert!(article.body.contains("\n\n"), "paragraphs");
            assert!(article.section < cast.sections.len());
            assert!(article.tags.iter().all(|t| *t < cast.tags.len()));
            assert!(!article.authors.is_empty());
        }
    }

    #[test]
    fn replies_answer_earlier_comments_on_the_same_article() {
        let comments: Vec<GeneratedComment> = spec().comments().collect();
        assert_eq!(comments.len(), 200);
        let replies = comments.iter().filter(|c| c.parent.is_some()).count();
        assert!(replies > 10 && replies < 150, "{replies} replies");
        for comment in &comments {
            if let Some(parent) = comment.parent {
                let parent = &comments[usize::try_from(parent - 1).unwrap_or(0)];
                assert_eq!(parent.article, comment.article);
                assert!(parent.number < comment.number);
            }
        }
    }
}
