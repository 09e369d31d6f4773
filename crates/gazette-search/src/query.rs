//! Readers' queries. A query is words, "quoted phrases" and -excluded words; every word and
//! phrase must match somewhere (headline, standfirst, body, or an author's, section's or tag's
//! name), as WordPress's search requires every word. The parser never fails: stray quotes,
//! operators and punctuation are read as text, so any input gets results or a clear "nothing
//! found", never an error.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::order::Walk;
use crate::schema::Fields;

/// Longer queries are cut: nobody types more, and each piece costs a clause.
pub const MAX_QUERY_CHARS: usize = 300;
const MAX_PIECES: usize = 24;

/// A query after analysis: each piece is the terms of one word or phrase.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub required: Vec<Vec<String>>,
    pub excluded: Vec<Vec<String>>,
}

impl ParsedQuery {
    /// Nothing searchable was typed (only spaces, punctuation or exclusions).
    pub fn is_empty(&self) -> bool {
        self.required.is_empty()
    }

    /// Every term a match may highlight.
    pub fn terms(&self) -> impl Iterator<Item = &String> {
        self.required.iter().flatten()
    }
}

/// Splits `text` into pieces and runs each through the index's analyser.
pub fn parse(text: &str, analyser: &mut TextAnalyzer) -> ParsedQuery {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut parsed = ParsedQuery::default();
    for piece in pieces(&text).into_iter().take(MAX_PIECES) {
        let terms = analyse(analyser, piece.text);
        if terms.is_empty() {
            continue;
        }
        if piece.excluded {
            parsed.excluded.push(terms);
        } else if !parsed.required.contains(&terms) {
            parsed.required.push(terms);
        }
    }
    parsed
}

struct Piece<'a> {
    text: &'a str,
    excluded: bool,
}

/// Quoted phrases (an unclosed quote runs to the end), `-word` exclusions and plain words.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            return out;
        };
        if let Some(after) = rest.strip_prefix(['"', '“', '”', '«', '»', '„']) {
            let end = after
                .find(['"', '“', '”', '«', '»', '„'])
                .unwrap_or(after.len());
            out.push(Piece {
                text: &after[..end],
                excluded: false,
            });
            let closing = after[end..].chars().next().map_or(0, char::len_utf8);
            rest = &after[end + closing..];
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        match word.strip_prefix('-') {
            Some(excluded) if first == '-' && !excluded.is_empty() => out.push(Piece {
                text: excluded,
                excluded: true,
            }),
            _ => out.push(Piece {
                text: word,
                excluded: false,
            }),
        }
        rest = &rest[end..];
    }
}

fn analyse(analyser: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut stream = analyser.token_stream(text);
    stream.process(&mut |token| terms.push(token.text.clone()));
    terms
}

/// What narrows a search besides its words.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    /// Any of these sections (a section and its sub-sections).
    pub sections: Vec<i64>,
    pub tag: Option<i64>,
    pub author: Option<i64>,
    /// Published at or after.
    pub from: Option<jiff::Timestamp>,
    /// Published before.
    pub until: Option<jiff::Timestamp>,
}

/// The tantivy query for a parsed query and its filters, and how its matches can be walked;
/// `text_only` leaves the names of authors, sections and tags out.
pub(crate) fn build(
    parsed: &ParsedQuery,
    filters: &Filters,
    fields: &Fields,
    text_only: bool,
) -> (Box<dyn Query>, Walk) {
    let searched: Vec<(Field, f32)> = fields
        .weighted_text()
        .into_iter()
        .filter(|(field, _)| !(text_only && *field == fields.names))
        .collect();
    // The `all` field holds the names too, so a search of the text alone asks the fields.
    let all = (!text_only).then_some(fields.all);
    let piece = |terms: &[String]| match (all, terms) {
        (Some(all), [word]) => term(all, word),
        _ => anywhere(terms, &searched),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for terms in &parsed.required {
        clauses.push((Occur::Must, piece(terms)));
    }
    for terms in &parsed.excluded {
        clauses.push((Occur::MustNot, piece(terms)));
    }
    clauses.extend(filter_clauses(filters, fields));
    let lone_word = matches!(parsed.required.as_slice(), [terms] if terms.len() == 1);
    // Only words, each a term of `all`: no phrase, exclusion or filter.
    let only_words_in_all = all.is_some()
        && clauses.len() == parsed.required.len()
        && parsed.required.iter().all(|terms| terms.len() == 1);
    match <[_; 1]>::try_from(clauses) {
        // A lone word and nothing else, a term or a union of terms, lets tantivy skip the
        // blocks of postings that cannot reach the page; wrapped in a boolean query, it would
        // score every match.
        Ok([(Occur::Must, only)]) if lone_word => (only, Walk::SkippingBlocks),
        Ok(one) => (
            Box::new(BooleanQuery::new(Vec::from(one))),
            Walk::EveryMatch,
        ),
        // Several words and nothing else are an intersection of terms, which skips blocks too.
        Err(clauses) if only_words_in_all => {
            (Box::new(BooleanQuery::new(clauses)), Walk::SkippingBlocks)
        }
        Err(clauses) => (Box::new(BooleanQuery::new(clauses)), Walk::EveryMatch),
    }
}

/// The clauses that narrow a search by section, tag, author and date.
fn filter_clauses(filters: &Filters, fields: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !filters.sections.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = filters
            .sections
            .iter()
            .map(|id| (Occur::Should, id_term(fields.section, *id)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    if let Some(tag) = filters.tag {
        clauses.push((Occur::Must, id_term(fields.tag, tag)));
    }
    if let Some(author) = filters.author {
        clauses.push((Occur::Must, id_term(fields.author, author)));
    }
    if filters.from.is_some() || filters.until.is_some() {
        let bound = |at: Option<jiff::Timestamp>, inclusive: bool| match at {
            None => Bound::Unbounded,
            Some(at) => {
                let term = Term::from_field_date(fields.published, date(at));
                if inclusive {
                    Bound::Included(term)
                } else {
                    Bound::Excluded(term)
                }
            }
        };
        clauses.push((
            Occur::Must,
            Box::new(RangeQuery::new(
                bound(filters.from, true),
                bound(filters.until, false),
            )),
        ));
    }
    clauses
}

/// A word or phrase in any of the searched fields, each match weighted by its field.
fn anywhere(terms: &[String], searched: &[(Field, f32)]) -> Box<dyn Query> {
    let per_field: Vec<(Occur, Box<dyn Query>)> = searched
        .iter()
        .map(|&(field, weight)| {
            let query = in_field(field, terms);
            let boosted: Box<dyn Query> = Box::new(BoostQuery::new(query, weight));
            (Occur::Should, boosted)
        })
        .collect();
    Box::new(BooleanQuery::new(per_field))
}

fn in_field(field: Field, terms: &[String]) -> Box<dyn Query> {
    match terms {
        [word] => term(field, word),
        _ => Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        )),
    }
}

/// One word in one field, scored by its frequency there.
fn term(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

pub(crate) fn id_term(field: Field, id: i64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, id_value(id)),
        IndexRecordOption::Basic,
    ))
}

/// Ids are positive in the store; a negative one (never stored) maps to a value no document has.
pub(crate) fn id_value(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(u64::MAX)
}

pub(crate) fn date(at: jiff::Timestamp) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_micros(at.as_microsecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_en(text: &str) -> ParsedQuery {
        parse(text, &mut crate::schema::analyser("en"))
    }

    fn owned(pieces: &[&[&str]]) -> Vec<Vec<String>> {
        pieces
            .iter()
            .map(|p| p.iter().map(|t| (*t).to_owned()).collect())
            .collect()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let parsed = parse_en(r#"budget "pension reform" -housing"#);
        assert_eq!(
            parsed.required,
            owned(&[&["budget"], &["pension", "reform"]])
        );
        assert_eq!(parsed.excluded, owned(&[&["hous"]]));
    }

    #[test]
    fn malformed_input_is_read_as_text() {
        assert_eq!(
            parse_en(r#""unclosed phrase"#).required,
            owned(&[&["unclos", "phrase"]])
        );
        assert!(parse_en("  ---  \"\" !!! ").is_empty());
        assert!(parse_en("-only -exclusions").is_empty());
        assert_eq!(
            parse_en("title:AND(OR*)").required,
            owned(&[&["titl", "and", "or"]])
        );
        assert_eq!(parse_en("covid-19").required, owned(&[&["covid", "19"]]));
        assert_eq!(
            parse_en("«elections» “smart”").required,
            owned(&[&["elect"], &["smart"]])
        );
    }

    #[test]
    fn repeated_words_count_once_and_long_queries_are_cut() {
        assert_eq!(parse_en("tax tax Tax").required.len(), 1);
        let long = "word ".repeat(500);
        assert!(parse_en(&long).required.len() <= 1);
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(parse_en(&many).required.len(), MAX_PIECES);
    }
}
