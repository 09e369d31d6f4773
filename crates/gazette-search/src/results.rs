//! A search and its page of results: the query parsed and run, and the snippets and
//! highlights a results page shows around the matches.

use tantivy::snippet::SnippetGenerator;

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
        let query = query::build(&parsed, &request.filters, &live.fields, request.text_only);
        let searcher = live.reader.searcher();
        let (hits, total) = order::page(&searcher, &*query, request)?;
        let mut terms = std::collections::BTreeMap::new();
        for term in parsed.terms() {
            terms.insert(term.clone(), 1.0);
        }
        let candidates = crate::candidates::OnlyCandidates::for_terms(terms.keys());
        let highlighter = Highlighter {
            terms,
            analyser: crate::schema::snippet_analyser(&self.language, candidates),
            field: live.fields.body,
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
    terms: std::collections::BTreeMap<String, tantivy::Score>,
    analyser: tantivy::tokenizer::TextAnalyzer,
    field: tantivy::schema::Field,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl SearchResults {
    /// The part of `text` (a result's body as plain text) that best shows the matches, at most
    /// about `max_chars` long; the start of the text when nothing in it matches.
    pub fn snippet(&self, text: &str, max_chars: usize) -> Snippet {
        let Some(highlighter) = &self.highlighter else {
            return opening(text, max_chars);
        };
        let generator = SnippetGenerator::new(
            highlighter.terms.clone(),
            highlighter.analyser.clone(),
            highlighter.field,
            max_chars,
        );
        let snippet = generator.snippet(text);
        if snippet.is_empty() {
            return opening(text, max_chars);
        }
        Snippet {
            text: snippet.fragment().to_owned(),
            highlights: snippet.highlighted().to_vec(),
        }
    }
}

impl SearchResults {
    /// `text` whole (a headline), with the query's matches in it.
    pub fn highlight(&self, text: &str) -> Snippet {
        let whole = text.chars().count().max(1);
        let snippet = self.snippet(text, whole);
        if snippet.text == text {
            snippet
        } else {
            // The generator trims what it returns; a headline is shown whole, so its ranges
            // are found again in the untrimmed text.
            let offset = text.find(snippet.text.as_str()).unwrap_or(0);
            Snippet {
                text: text.to_owned(),
                highlights: snippet
                    .highlights
                    .iter()
                    .map(|r| r.start + offset..r.end + offset)
                    .collect(),
            }
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
