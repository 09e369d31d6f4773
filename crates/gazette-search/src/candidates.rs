//! The analyser snippets use: the index's own, except that words which cannot be one of the
//! query's terms skip the stemmer.
//!
//! A results page finds the query's terms in each result's body by running the body through
//! the analyser, and stemming every word of ten bodies was a third of the page. Snowball's
//! stemmers for most languages written in Latin script take endings off and keep a word's
//! first letter (not always its first two: English stems "dying" to "die"), so an ASCII word
//! whose first letter begins no term cannot stem to one; its text is emptied before the
//! stemmer (an empty token matches nothing) and its position is kept. Words with other letters
//! go through the stemmer as before. Dutch's stemmer also takes off the prefix "ge", so Dutch
//! (and every language not checked) keeps the plain analyser. A test checks the assumption on
//! each language listed in [`keeps_first_letters`].

use std::sync::Arc;

use tantivy::tokenizer::{Language, Token, TokenFilter, TokenStream, Tokenizer};

/// Whether `language`'s stemmer keeps the first letter of every ASCII word.
pub(crate) fn keeps_first_letters(language: Language) -> bool {
    matches!(
        language,
        Language::Danish
            | Language::English
            | Language::Finnish
            | Language::French
            | Language::German
            | Language::Hungarian
            | Language::Italian
            | Language::Norwegian
            | Language::Portuguese
            | Language::Romanian
            | Language::Spanish
            | Language::Swedish
            | Language::Turkish
    )
}

/// Empties the ASCII words that begin no term (see the module's comment).
#[derive(Clone)]
pub(crate) struct OnlyCandidates {
    /// The first byte of each term.
    beginnings: Arc<[u8]>,
}

impl OnlyCandidates {
    pub(crate) fn for_terms<'a>(terms: impl IntoIterator<Item = &'a String>) -> Self {
        let beginnings = terms
            .into_iter()
            .filter_map(|term| term.as_bytes().first().copied())
            .collect();
        Self { beginnings }
    }

    /// Whether `word` (lowercased) may stem to a term.
    fn may_match(&self, word: &str) -> bool {
        word.as_bytes()
            .first()
            .is_none_or(|first| !first.is_ascii() || self.beginnings.contains(first))
    }
}

impl TokenFilter for OnlyCandidates {
    type Tokenizer<T: Tokenizer> = CandidatesTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CandidatesTokenizer<T> {
        CandidatesTokenizer {
            inner,
            filter: self,
        }
    }
}

#[derive(Clone)]
pub(crate) struct CandidatesTokenizer<T> {
    inner: T,
    filter: OnlyCandidates,
}

impl<T: Tokenizer> Tokenizer for CandidatesTokenizer<T> {
    type TokenStream<'a> = CandidatesStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CandidatesStream {
            inner: self.inner.token_stream(text),
            filter: &self.filter,
        }
    }
}

pub(crate) struct CandidatesStream<'a, S> {
    inner: S,
    filter: &'a OnlyCandidates,
}

impl<S: TokenStream> TokenStream for CandidatesStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        if !self.filter.may_match(&self.inner.token().text) {
            self.inner.token_mut().text.clear();
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{RawTokenizer, Stemmer, TextAnalyzer};

    use super::*;
    use crate::schema;

    /// Every stemmer `keeps_first_letters` names keeps the first letter of ASCII words.
    #[test]
    fn listed_stemmers_keep_how_a_word_begins() {
        let languages = [
            Language::Danish,
            Language::Dutch,
            Language::English,
            Language::Finnish,
            Language::French,
            Language::German,
            Language::Hungarian,
            Language::Italian,
            Language::Norwegian,
            Language::Portuguese,
            Language::Romanian,
            Language::Spanish,
            Language::Swedish,
            Language::Turkish,
        ];
        let mut words: Vec<String> = [
            "skies",
            "dying",
            "lying",
            "tying",
            "idly",
            "gently",
            "ugly",
            "early",
            "only",
            "news",
            "yelling",
            "ayes",
            "quickly",
            "qualities",
            "yyy",
            "ies",
            "eed",
            "ing",
        ]
        .map(str::to_owned)
        .to_vec();
        // A fixed pseudo-random sample of lowercase words, vowels weighted as in text.
        let letters = b"aaeeiioouuybcdfghjklmnpqrstvwxzsnrtl";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = 1 + (seed >> 60) as usize;
            let word = (0..len)
                .map(|i| {
                    let pick = (seed >> (i * 4 % 56)) as usize % letters.len();
                    char::from(letters[pick])
                })
                .collect();
            words.push(word);
        }
        for language in languages {
            let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(language))
                .build();
            let changed = words.iter().find(|word| {
                let mut stream = stemmer.token_stream(word);
                stream.advance()
                    && stream.token().text.as_bytes().first() != word.as_bytes().first()
            });
            assert_eq!(
                keeps_first_letters(language),
                changed.is_none(),
                "{language:?} changes the first letter of {changed:?}"
            );
        }
    }

    #[test]
    fn skipped_words_change_no_match() {
        let text = "Pensions: the pensioner's pension, PENSIONED élections électorales \
                    and an election in Zürich; pens, pencils and a spending review.";
        let terms: std::collections::BTreeMap<String, f32> = ["pension", "elect", "spend"]
            .iter()
            .map(|t| ((*t).to_owned(), 1.0))
            .collect();
        let matches = |mut analyser: TextAnalyzer| {
            let mut found = Vec::new();
            let mut stream = analyser.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                if terms.contains_key(&token.text) {
                    found.push((token.offset_from, token.offset_to));
                }
            }
            found
        };
        let all = matches(schema::analyser("en"));
        assert!(all.len() >= 5, "the text matches the terms: {all:?}");
        let candidates = OnlyCandidates::for_terms(terms.keys());
        assert_eq!(matches(schema::snippet_analyser("en", candidates)), all);
    }
}
