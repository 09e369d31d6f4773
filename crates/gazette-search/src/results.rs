//! A search and its page of results: the query parsed and run, and the snippets and
//! highlights a results page shows around the matches.

use crate::{ParsedQuery, SearchError, SearchIndex, SearchRequest, analyser_of, order, query};

impl SearchIndex {
    /// One page of results for `request`.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let live = self.live();
        let mut analyser = analyser_of(&live.index, &self.language);
        let parsed = query::parse(&request.text, &mut analyser);
        if parsed.is_empty() || request.limit == 0 {
            return Ok(SearchResults {
                hits: Vec::new(),
                total: 0,
                parsed,
                highlighter: None,
            });
        }
        let (query, walk) =
            query::build(&parsed, &request.filters, &live.fields, request.text_only);
        let searcher = live.reader.searcher();
        let (hits, total) = order::page(&searcher, &*query, walk, request)?;
        let mut terms: Vec<String> = parsed.terms().cloned().collect();
        terms.sort_unstable();
        terms.dedup();
        let candidates = crate::candidates::OnlyCandidates::for_terms(&terms);
        let highlighter = Highlighter {
            terms,
            analyser: crate::schema::snippet_analyser(&self.language, candidates),
        };
        Ok(SearchResults {
            hits,
            total,
            parsed,
            highlighter: Some(highlighter),
        })
    }
}

/// A page of results, best first.
#[derive(Debug)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
    pub parsed: ParsedQuery,
    highlighter: Option<Highlighter>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub id: i64,
    /// How well it matches; 0 when the results are in date order.
    pub score: f32,
}

/// An excerpt of a text around the query's matches, with the matches' byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// What a snippet needs: the query's terms and the analyser that finds them in a text.
struct Highlighter {
    /// The query's terms as the analyser writes them, each once.
    terms: Vec<String>,
    analyser: tantivy::tokenizer::TextAnalyzer,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl SearchResults {
    /// The passage of `text` (a result's body as plain text) around its first match (a few
    /// words before it, then on), at most about `max_chars` long, with every match in it; the
    /// start of the text when nothing in it matches.
    ///
    /// The first match, not the passage with the most: a reader scanning results wants the
    /// sentence that brings the subject up, and the analyser (a stemmer) then reads a body
    /// only as far as that passage. Reading ten whole bodies was a sixth of a results page.
    pub fn snippet(&self, text: &str, max_chars: usize) -> Snippet {
        let Some(passage) = self.first_passage(text, max_chars) else {
            return opening(text, max_chars);
        };
        let start = passage.range.start;
        Snippet {
            text: text[passage.range].to_owned(),
            highlights: passage
                .highlights
                .into_iter()
                .map(|r| r.start - start..r.end - start)
                .collect(),
        }
    }

    fn first_passage(&self, text: &str, max_chars: usize) -> Option<Passage> {
        self.highlighter.as_ref()?.first_passage(text, max_chars)
    }
}

/// A passage of a text and the matches in it, as byte ranges of the text.
struct Passage {
    range: std::ops::Range<usize>,
    highlights: Vec<std::ops::Range<usize>>,
}

impl Highlighter {
    fn first_passage(&self, text: &str, max_chars: usize) -> Option<Passage> {
        let mut analyser = self.analyser.clone();
        let mut stream = analyser.token_stream(text);
        let mut passage: Option<(usize, usize)> = None;
        let mut limit = text.len();
        let mut highlights = Vec::new();
        while stream.advance() {
            let token = stream.token();
            if let Some((_, end)) = passage.as_mut() {
                if token.offset_to > limit {
                    break;
                }
                *end = token.offset_to;
            }
            let matched = !token.text.is_empty() && self.terms.contains(&token.text);
            if !matched {
                continue;
            }
            if passage.is_none() {
                let start = lead_in(text, token.offset_from, max_chars / 4);
                passage = Some((start, token.offset_to));
                limit = text[start..]
                    .char_indices()
                    .nth(max_chars)
                    .map_or(text.len(), |(at, _)| start + at);
            }
            highlights.push(token.offset_from..token.offset_to);
        }
        let (start, end) = passage?;
        Some(Passage {
            range: start..end,
            highlights,
        })
    }
}

/// Where a passage whose first match starts at byte `at` begins: up to `chars` characters
/// earlier, so the reader sees what leads up to the match, from the start of a sentence in
/// that stretch if there is one, else from the start of a word.
fn lead_in(text: &str, at: usize, chars: usize) -> usize {
    let before = &text[..at];
    let window_start = before
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(index, _)| index);
    let window = &before[window_start..];
    if let Some(stop) = window.rfind(". ") {
        return window_start + stop + 2;
    }
    if window_start == 0 {
        return 0;
    }
    match window.char_indices().find(|(_, c)| c.is_whitespace()) {
        Some((space, c)) => window_start + space + c.len_utf8(),
        None => at,
    }
}

impl SearchResults {
    /// `text` whole (a headline), with the query's matches in it.
    pub fn highlight(&self, text: &str) -> Snippet {
        // A passage as long as the whole text reaches its end from wherever it starts, so it
        // holds every match.
        let whole = text.chars().count().max(1);
        let highlights = self
            .first_passage(text, whole)
            .map_or_else(Vec::new, |passage| passage.highlights);
        Snippet {
            text: text.to_owned(),
            highlights,
        }
    }
}

/// The first `max_chars` characters of `text`, cut at a word.
fn opening(text: &str, max_chars: usize) -> Snippet {
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(at, _)| at);
    let cut = if end < text.len() {
        text[..end].rfind(char::is_whitespace).unwrap_or(end)
    } else {
        end
    };
    Snippet {
        text: text[..cut].trim_end().to_owned(),
        highlights: Vec::new(),
    }
}
