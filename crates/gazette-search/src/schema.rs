//! The index's fields and the analyser that turns text into terms for one language.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// The analyser's name in the index's tokenizer manager.
pub(crate) const ANALYSER: &str = "gazette";

/// The fields of an article document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub headline: Field,
    pub standfirst: Field,
    pub body: Field,
    /// Authors', sections' and tags' names, so "Okafor" or "climate" find their articles.
    pub names: Field,
    /// Headline, standfirst, body and names in one field, each repeated as many times as it
    /// weighs ([`ALL_TEXT_REPEATS`]), without positions: a query's words are asked here, one
    /// term each, so that several words are an intersection of terms, which tantivy walks
    /// skipping the blocks that cannot reach the page (an intersection of per-field unions
    /// scores every match). Phrases, which need positions, are asked of the fields above.
    pub all: Field,
    pub section: Field,
    pub tag: Field,
    pub author: Field,
    pub published: Field,
}

impl Fields {
    pub fn of(schema: &Schema) -> tantivy::Result<Self> {
        Ok(Self {
            id: schema.get_field("id")?,
            headline: schema.get_field("headline")?,
            standfirst: schema.get_field("standfirst")?,
            body: schema.get_field("body")?,
            names: schema.get_field("names")?,
            all: schema.get_field("all")?,
            section: schema.get_field("section")?,
            tag: schema.get_field("tag")?,
            author: schema.get_field("author")?,
            published: schema.get_field("published")?,
        })
    }

    /// The text fields a phrase is searched in, with how much a match in each counts.
    pub fn weighted_text(&self) -> [(Field, f32); 4] {
        [
            (self.headline, 3.0),
            (self.standfirst, 1.5),
            (self.body, 1.0),
            (self.names, 1.0),
        ]
    }
}

/// How many times the headline, standfirst, body and names are written into the `all` field:
/// their weights as whole numbers (BM25 saturates repeated terms, so a headline match counts
/// more than a body match, not three times as much).
pub(crate) const ALL_TEXT_REPEATS: AllTextRepeats = AllTextRepeats {
    headline: 3,
    standfirst: 2,
    body: 1,
    names: 1,
};

#[derive(Debug, Clone, Copy)]
pub(crate) struct AllTextRepeats {
    pub headline: usize,
    pub standfirst: usize,
    pub body: usize,
    pub names: usize,
}

/// The schema: text is indexed with positions (for phrases) but not stored (results are read
/// from the store), and once more together in `all` with frequencies only (for words); ids
/// are fast fields; nothing else is kept.
pub(crate) fn schema() -> Schema {
    let indexed = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYSER)
                .set_index_option(record),
        )
    };
    let text = indexed(IndexRecordOption::WithFreqsAndPositions);
    let mut builder = Schema::builder();
    builder.add_u64_field("id", INDEXED | FAST | STORED);
    builder.add_text_field("headline", text.clone());
    builder.add_text_field("standfirst", text.clone());
    builder.add_text_field("body", text.clone());
    builder.add_text_field("names", text);
    builder.add_text_field("all", indexed(IndexRecordOption::WithFreqs));
    builder.add_u64_field("section", INDEXED);
    builder.add_u64_field("tag", INDEXED);
    builder.add_u64_field("author", INDEXED);
    builder.add_date_field("published", INDEXED | FAST);
    builder.build()
}

/// Words for one language: split on anything not a letter or digit, lower-cased, stemmed with
/// the language's Snowball stemmer when there is one, then folded to ASCII so that "cafe" finds
/// "café". Absurdly long tokens (a pasted hash) are dropped.
pub(crate) fn analyser(language_tag: &str) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match stemmer_language(language_tag) {
        Some(language) => builder
            .filter(Stemmer::new(language))
            .filter(AsciiFoldingFilter)
            .build(),
        None => builder.filter(AsciiFoldingFilter).build(),
    }
}

/// [`analyser`] with `candidates` before the stemmer, for snippets, where the stemmer keeps
/// first letters (see `candidates`).
pub(crate) fn snippet_analyser(
    language_tag: &str,
    candidates: crate::candidates::OnlyCandidates,
) -> TextAnalyzer {
    match stemmer_language(language_tag) {
        Some(language) if crate::candidates::keeps_first_letters(language) => {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(candidates)
                .filter(Stemmer::new(language))
                .filter(AsciiFoldingFilter)
                .build()
        }
        _ => analyser(language_tag),
    }
}

/// The Snowball stemmer for a BCP 47 tag's language, if there is one.
pub fn stemmer_language(language_tag: &str) -> Option<Language> {
    let primary = language_tag
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "nl" => Language::Dutch,
        "en" => Language::English,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "de" => Language::German,
        "el" => Language::Greek,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "no" | "nb" | "nn" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "es" => Language::Spanish,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(language: &str, text: &str) -> Vec<String> {
        let mut analyser = analyser(language);
        let mut stream = analyser.token_stream(text);
        let mut out = Vec::new();
        stream.process(&mut |token| out.push(token.text.clone()));
        out
    }

    #[test]
    fn each_language_stems_its_own_words() {
        assert_eq!(terms("en", "Elections electing"), ["elect", "elect"]);
        assert_eq!(
            terms("fr", "élections électorales"),
            terms("fr", "élection électorale")
        );
        assert_eq!(terms("de", "Wahlen"), terms("de", "Wahl"));
        assert_eq!(terms("es", "elecciones"), terms("es", "elección"));
        assert_eq!(terms("ru", "выборы"), terms("ru", "выборов"));
        assert_eq!(terms("tr", "kitaplar"), terms("tr", "kitap"));
        assert_eq!(terms("en-GB", "Running"), ["run"]);
        assert_eq!(terms("ja", "Café"), ["cafe"], "no stemmer: folded only");
    }

    #[test]
    fn accents_do_not_matter() {
        assert_eq!(terms("fr", "café"), terms("fr", "cafe"));
    }
}
