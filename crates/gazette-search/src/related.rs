//! Articles like an article, for the "related" list under it: shared tags and shared
//! vocabulary, scored by the index.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::{IndexedArticle, SearchError, SearchIndex, analyser_of, id_of, query};

impl SearchIndex {
    /// Up to `limit` published articles like `article`: sharing its tags (most) and its
    /// vocabulary (the index's more-like-this), never the article itself.
    ///
    /// Sections are not asked for: a section term matches a sixth of the journal (17,000
    /// articles of 100,000), and walking that union was a third of an uncached article page,
    /// while articles of one section already share their vocabulary.
    pub fn related(&self, article: &IndexedArticle, limit: usize) -> Result<Vec<i64>, SearchError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let live = self.live();
        let fields = &live.fields;
        let searcher = live.reader.searcher();
        let mut analyser = analyser_of(&live.index, &self.language);
        let text = format!(
            "{} {} {}",
            article.headline, article.standfirst, article.body
        );
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in distinctive_terms(&searcher, fields.body, &mut analyser, &text)? {
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.body, &term),
                    IndexRecordOption::WithFreqs,
                )),
            ));
        }
        for tag in &article.tags {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(query::id_term(fields.tag, *tag), 4.0)),
            ));
        }
        clauses.push((Occur::MustNot, query::id_term(fields.id, article.id)));
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        Ok(top
            .into_iter()
            .filter_map(|(_, address)| id_of(&searcher, address))
            .collect())
    }
}

/// Terms that best tell `text` apart from the rest of the index: frequent in the text, rare
/// elsewhere (tf × idf), found in at least one other article and in at most one in fifty
/// (below a thousand articles, any number). A word most articles use tells little, and the
/// index would walk every article that has it. This is "more like this" done
/// here rather than with tantivy's `MoreLikeThisQuery`, whose idf counts live documents
/// against document frequencies that still include deleted ones, and panics once an article
/// has been updated often enough.
fn distinctive_terms(
    searcher: &Searcher,
    field: Field,
    analyser: &mut tantivy::tokenizer::TextAnalyzer,
    text: &str,
) -> Result<Vec<String>, SearchError> {
    const MAX_TERMS: usize = 20;
    const MIN_CHARS: usize = 3;
    let mut frequencies: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut stream = analyser.token_stream(text);
    stream.process(&mut |token| {
        if token.text.chars().count() >= MIN_CHARS {
            *frequencies.entry(token.text.clone()).or_default() += 1;
        }
    });
    let documents: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    let common = if documents < 1_000 {
        u64::MAX
    } else {
        documents / 50
    };
    let mut scored = Vec::with_capacity(frequencies.len());
    for (term, frequency) in frequencies {
        let in_documents = searcher
            .doc_freq(&Term::from_field_text(field, &term))?
            .min(documents);
        if in_documents < 2 || in_documents > common {
            continue;
        }
        let odds = ((documents - in_documents) as f64 + 0.5) / (in_documents as f64 + 0.5);
        scored.push((f64::from(frequency) * odds.ln_1p(), term));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(scored
        .into_iter()
        .take(MAX_TERMS)
        .map(|(_, term)| term)
        .collect())
}
