use super::*;

mod generations;

fn at(day: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_780_000_000 + day * 86_400).unwrap()
}

fn article(id: i64, headline: &str, body: &str, day: i64) -> IndexedArticle {
    IndexedArticle {
        id,
        headline: headline.to_owned(),
        body: body.to_owned(),
        published: at(day),
        ..IndexedArticle::default()
    }
}

fn request(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.to_owned(),
        limit: 10,
        now: at(100),
        ..SearchRequest::default()
    }
}

fn ids(index: &SearchIndex, request: &SearchRequest) -> Vec<i64> {
    index
        .search(request)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn sample(dir: &Path) -> SearchIndex {
    let index = SearchIndex::open(dir, "en").unwrap();
    let mut pensions = article(
        1,
        "Pension reform splits the coalition",
        "The budget row is about pensions and who pays.",
        90,
    );
    pensions.tags = vec![7];
    pensions.sections = vec![3];
    pensions.authors = vec![11];
    let mut budget = article(
        2,
        "Budget passes",
        "Ministers said pension reform would wait for the election.",
        95,
    );
    budget.tags = vec![7];
    budget.sections = vec![4];
    let mut buses = article(
        3,
        "Night buses stay",
        "The council voted to keep the night network running.",
        99,
    );
    buses.names = vec!["Amara Okafor".to_owned(), "Transport".to_owned()];
    buses.sections = vec![3];
    index.apply(&[pensions, budget, buses], &[], 42).unwrap();
    index
}

#[test]
fn words_are_stemmed_and_headline_matches_rank_first() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    assert_eq!(index.position(), Some(42));
    assert_eq!(
        ids(&index, &request("pensions")),
        [1, 2],
        "headline match first"
    );
    assert_eq!(ids(&index, &request("running")), [3], "stemmed: run");
    assert_eq!(ids(&index, &request("okafor")), [3], "authors' names");
    let mut both = ids(&index, &request("pension budget"));
    both.sort_unstable();
    assert_eq!(both, [1, 2], "every word must match");
    assert_eq!(ids(&index, &request("pension night")), Vec::<i64>::new());
    assert_eq!(ids(&index, &request("pension -election")), [1]);
    assert!(ids(&index, &request("nothing-here-matches")).is_empty());
}

#[test]
fn phrases_need_their_words_together() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    assert_eq!(ids(&index, &request("\"pension reform\"")), [1, 2]);
    assert_eq!(
        ids(&index, &request("\"reform pension\"")),
        Vec::<i64>::new()
    );
    assert_eq!(ids(&index, &request("\"night network\"")), [3]);
}

#[test]
fn filters_narrow_and_pages_split() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let mut in_section = request("pension");
    in_section.filters.sections = vec![3];
    assert_eq!(ids(&index, &in_section), [1]);
    let mut tagged = request("pension");
    tagged.filters.tag = Some(7);
    assert_eq!(ids(&index, &tagged), [1, 2]);
    let mut by = request("pension");
    by.filters.author = Some(11);
    assert_eq!(ids(&index, &by), [1]);
    let mut dated = request("pension");
    dated.filters.from = Some(at(93));
    dated.filters.until = Some(at(96));
    assert_eq!(ids(&index, &dated), [2]);

    let mut second = request("the");
    second.limit = 1;
    second.offset = 1;
    let results = index.search(&second).unwrap();
    assert_eq!(results.total, 3, "stop words are words too");
    assert_eq!(results.hits.len(), 1);
}

#[test]
fn text_only_searches_leave_names_out() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let mut okafor = request("okafor");
    okafor.text_only = true;
    assert_eq!(
        ids(&index, &okafor),
        Vec::<i64>::new(),
        "a byline is not text"
    );
    let mut night = request("night transport");
    assert_eq!(ids(&index, &night), [3]);
    night.text_only = true;
    assert_eq!(
        ids(&index, &night),
        Vec::<i64>::new(),
        "every word in the text"
    );
    night.text = "night".to_owned();
    assert_eq!(ids(&index, &night), [3]);
}

#[test]
fn date_orders_page_by_publication_then_id() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let mut newest = request("the");
    newest.order = SearchOrder::Newest;
    assert_eq!(ids(&index, &newest), [3, 2, 1]);
    newest.offset = 1;
    newest.limit = 1;
    let page = index.search(&newest).unwrap();
    assert_eq!((page.total, page.hits[0].id), (3, 2));
    let mut oldest = request("the");
    oldest.order = SearchOrder::Oldest;
    assert_eq!(ids(&index, &oldest), [1, 2, 3]);
    // A page far past the end is empty, and costs no more than the last one.
    for order in [SearchOrder::Relevance, SearchOrder::Newest] {
        let mut far = request("the");
        far.order = order;
        far.offset = usize::MAX;
        far.limit = usize::MAX;
        let page = index.search(&far).unwrap();
        assert_eq!((page.total, page.hits.len()), (3, 0), "{order:?}");
    }

    // Published in the same second: by id, the same way.
    index
        .apply(
            &[
                article(5, "Tied", "Harbour.", 50),
                article(4, "Tied", "Harbour.", 50),
            ],
            &[],
            43,
        )
        .unwrap();
    newest.text = "tied".to_owned();
    newest.offset = 0;
    newest.limit = 10;
    assert_eq!(ids(&index, &newest), [5, 4]);
    oldest.text = "tied".to_owned();
    assert_eq!(ids(&index, &oldest), [4, 5]);
}

#[test]
fn recency_breaks_near_ties() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), "en").unwrap();
    index
        .apply(
            &[
                article(1, "Harbour", "Boats.", 0),
                article(2, "Harbour", "Boats.", 99),
            ],
            &[],
            1,
        )
        .unwrap();
    assert_eq!(ids(&index, &request("harbour")), [2, 1]);
}

/// The words a snippet marks, in order.
fn marked_words(snippet: &crate::Snippet) -> Vec<&str> {
    snippet
        .highlights
        .iter()
        .map(|r| &snippet.text[r.clone()])
        .collect()
}

#[test]
fn snippets_show_the_matches() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let results = index.search(&request("pensions")).unwrap();
    let text = "A long introduction about nothing much. Then the budget row is about pensions and who pays for them.";
    let snippet = results.snippet(text, 60);
    assert_eq!(marked_words(&snippet), ["pensions"], "{snippet:?}");
    assert!(snippet.text.chars().count() <= 60);
    let plain = results.snippet("No match in this text at all, just words.", 20);
    assert!(plain.highlights.is_empty());
    assert_eq!(plain.text, "No match in this");
}

/// The passage shown comes from the body's opening when the opening matches, even if a later
/// passage matches more often; a body that matches only far in is still shown where it does,
/// with the words that lead up to the match.
#[test]
fn snippets_come_from_the_opening_when_it_matches() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let results = index.search(&request("pensions")).unwrap();
    let filler =
        "Councillors met again on Tuesday to go through the figures line by line. ".repeat(40);
    let early = format!(
        "The row over pensions began in spring. {filler}Pensions, pensions and pensions again."
    );
    let snippet = results.snippet(&early, 60);
    assert!(snippet.text.contains("began in spring"), "{snippet:?}");
    assert_eq!(snippet.highlights.len(), 1, "{snippet:?}");

    let late = format!("{filler}Only at the end: the pensions bill.");
    let snippet = results.snippet(&late, 60);
    assert_eq!(marked_words(&snippet), ["pensions"], "{snippet:?}");
    assert!(
        snippet.text.contains("the pensions bill"),
        "a few words lead up to it: {snippet:?}"
    );
}

#[test]
fn a_headline_is_marked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let results = index.search(&request("pensions")).unwrap();
    let headline = "Pensions: who pays for the pension fund's pensions?";
    let marked = results.highlight(headline);
    assert_eq!(marked.text, headline, "never cut");
    assert_eq!(
        marked_words(&marked),
        ["Pensions", "pension", "pensions"],
        "stemmed matches too"
    );
    let none = results.highlight("Harbour council meets");
    assert!(none.highlights.is_empty());
    assert_eq!(none.text, "Harbour council meets");
}

#[test]
fn updates_replace_and_deletes_remove() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    index
        .apply(&[article(3, "Night trams instead", "Trams.", 99)], &[1], 43)
        .unwrap();
    assert!(ids(&index, &request("buses")).is_empty());
    assert_eq!(ids(&index, &request("trams")), [3]);
    assert_eq!(ids(&index, &request("coalition")), Vec::<i64>::new());
    assert_eq!(index.len(), 2);
    assert_eq!(index.position(), Some(43));
}

#[test]
fn related_articles_share_tags_and_words_but_never_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let mut pensions = article(
        1,
        "Pension reform splits the coalition",
        "The budget row is about pensions and who pays.",
        90,
    );
    pensions.tags = vec![7];
    pensions.sections = vec![3];
    let related = index.related(&pensions, 5).unwrap();
    assert_eq!(
        related.first(),
        Some(&2),
        "shares a tag and words: {related:?}"
    );
    assert!(!related.contains(&1));
}

#[test]
fn related_articles_survive_many_updates() {
    // Updates leave deleted documents behind until segments merge; tantivy's own
    // more-like-this panicked on them (doc frequency above the live document count).
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let pensions = article(
        1,
        "Pension reform splits the coalition",
        "The budget row is about pensions and who pays.",
        90,
    );
    for position in 43..80 {
        index
            .apply(std::slice::from_ref(&pensions), &[], position)
            .unwrap();
    }
    let budget = article(
        2,
        "Budget passes",
        "Ministers said pension reform would wait.",
        95,
    );
    assert_eq!(index.related(&budget, 5).unwrap(), [1]);
}

/// Ranking by relevance skips what cannot reach the page; each page must still be the one that
/// scoring every match gives, over an index written in several commits with rewritten articles.
#[test]
fn relevance_pages_are_those_of_scoring_every_match() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), "en").unwrap();
    let words = [
        "harbour", "pension", "council", "budget", "ferry", "school", "river", "strike", "vote",
        "winter",
    ];
    let mut seed = 7_u64;
    let mut next = move |below: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % below
    };
    let mut text = |count: usize| {
        (0..count)
            .map(|_| words[next(words.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Six commits (segments, until merged); the last rewrites the first's articles, deleting
    // their old documents. Dates run from 600 days before "now" to 10 days after.
    let mut day = 0;
    for batch in 0..6_i64 {
        let first = if batch == 5 { 1 } else { batch * 100 + 1 };
        let articles: Vec<IndexedArticle> = (first..first + 100)
            .map(|id| {
                day = (day + 337) % 610;
                let body = text(5 + usize::try_from(id).unwrap() % 40);
                article(id, &text(3), &body, day - 500)
            })
            .collect();
        index.apply(&articles, &[], batch + 1).unwrap();
    }
    for query in [
        "harbour",
        "pension",
        "harbour ferry",
        "pension council vote",
        "\"river strike\"",
        "vote -winter",
    ] {
        for offset in [0, 10, 40] {
            let mut request = request(query);
            request.offset = offset;
            let expected = scoring_every_match(&index, &request);
            assert!(!expected.is_empty(), "{query} from {offset}");
            assert_eq!(ids(&index, &request), expected, "{query} from {offset}");
        }
    }
}

/// A page by relevance as tantivy's collector gives it when every match is scored.
fn scoring_every_match(index: &SearchIndex, request: &SearchRequest) -> Vec<i64> {
    use tantivy::collector::TopDocs;
    let live = index.live();
    let parsed = query::parse(&request.text, &mut analyser_of(&live.index, "en"));
    let (query, _) = query::build(&parsed, &request.filters, &live.fields, false);
    let searcher = live.reader.searcher();
    let now = request.now.as_microsecond();
    let top = TopDocs::with_limit(request.limit)
        .and_offset(request.offset)
        .tweak_score(move |segment: &tantivy::SegmentReader| {
            let published = segment.fast_fields().date("published").unwrap();
            move |doc, score: tantivy::Score| {
                let at = published.first(doc).unwrap().into_timestamp_micros();
                score * order::recency(now, at)
            }
        });
    searcher
        .search(&*query, &top)
        .unwrap()
        .into_iter()
        .map(|(_, address)| id_of(&searcher, address).unwrap())
        .collect()
}

/// Words alone skip blocks, whatever their number; a phrase, an exclusion, a filter or a search
/// of the text alone (the `all` field holds names) score every match.
#[test]
fn only_plain_words_skip_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let index = sample(dir.path());
    let live = index.live();
    let walk = |text: &str, filters: &query::Filters, text_only: bool| {
        let parsed = query::parse(text, &mut analyser_of(&live.index, "en"));
        query::build(&parsed, filters, &live.fields, text_only).1
    };
    let none = query::Filters::default();
    let tagged = query::Filters {
        tag: Some(7),
        ..query::Filters::default()
    };
    use order::Walk::{EveryMatch, SkippingBlocks};
    assert_eq!(walk("pension", &none, false), SkippingBlocks);
    assert_eq!(walk("pension budget", &none, false), SkippingBlocks);
    assert_eq!(walk("pension budget reform", &none, false), SkippingBlocks);
    assert_eq!(walk("pension", &none, true), SkippingBlocks);
    assert_eq!(walk("pension budget", &none, true), EveryMatch);
    assert_eq!(walk("pension \"budget row\"", &none, false), EveryMatch);
    assert_eq!(walk("pension -election", &none, false), EveryMatch);
    assert_eq!(walk("pension budget", &tagged, false), EveryMatch);
}
