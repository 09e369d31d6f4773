//! Reader-facing strings, dates and plurals in the publication's language.
//!
//! Catalogues are TOML files (`theme/messages/{lang}.toml`), one per primary language
//! subtag. A key maps to a string, or to a table of plural forms (`one`, `other`). Strings
//! may hold `{name}` placeholders. A key missing from a catalogue falls back to English, so a
//! partial translation still renders; English itself must have every key (a test checks
//! that the shipped catalogues have the same keys).

use std::collections::HashMap;

use jiff::civil::Date;

/// The languages Gazette ships catalogues for; others fall back to English.
pub const SHIPPED: &[(&str, &str)] = &[
    ("en", include_str!("../../theme/messages/en.toml")),
    ("fr", include_str!("../../theme/messages/fr.toml")),
];

/// One message: plain, or with plural forms.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Message {
    Plain(String),
    Plural { one: String, other: String },
}

/// The messages of one language, with English underneath for missing keys.
#[derive(Debug, Clone)]
pub struct Catalogue {
    language: String,
    messages: HashMap<String, Message>,
    fallback: HashMap<String, Message>,
}

/// A catalogue file that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("message catalogue {language}: {detail}")]
pub struct CatalogueError {
    language: String,
    detail: String,
}

impl Catalogue {
    /// The catalogue for a BCP 47 primary language subtag (`fr` for `fr-CA`), given the
    /// sources of every available catalogue (English must be among them). A language may
    /// appear more than once: later sources override earlier ones key by key, which is how a
    /// theme directory's partial catalogue overrides the embedded one.
    pub fn load<S: AsRef<str>>(
        language: &str,
        sources: &[(S, String)],
    ) -> Result<Self, CatalogueError> {
        let parse_named = |name: &str| -> Result<HashMap<String, Message>, CatalogueError> {
            let mut merged = HashMap::new();
            for (_, source) in sources.iter().filter(|(lang, _)| lang.as_ref() == name) {
                merged.extend(parse(name, source)?);
            }
            Ok(merged)
        };
        let fallback = parse_named("en")?;
        let has_own = sources.iter().any(|(lang, _)| lang.as_ref() == language);
        let (language, messages) = if has_own {
            (language.to_owned(), parse_named(language)?)
        } else {
            ("en".to_owned(), fallback.clone())
        };
        Ok(Self {
            language,
            messages,
            fallback,
        })
    }

    /// The language whose messages are used (`en` when the publication's has none).
    pub fn language(&self) -> &str {
        &self.language
    }

    fn lookup(&self, key: &str) -> Option<&Message> {
        self.messages.get(key).or_else(|| self.fallback.get(key))
    }

    /// The message for `key` with `{name}` placeholders filled; the key itself when unknown,
    /// so a missing string is visible rather than blank.
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        let template = match self.lookup(key) {
            Some(Message::Plain(text)) => text.as_str(),
            Some(Message::Plural { other, .. }) => other.as_str(),
            None => key,
        };
        fill(template, args)
    }

    /// The plural form of `key` for `count`, with `{count}` and `args` filled.
    pub fn plural(&self, key: &str, count: u64, args: &[(&str, &str)]) -> String {
        let count_text = count.to_string();
        let mut all = vec![("count", count_text.as_str())];
        all.extend_from_slice(args);
        match self.lookup(key) {
            Some(Message::Plural { one, other }) => {
                let form = if self.is_singular(count) { one } else { other };
                fill(form, &all)
            }
            Some(Message::Plain(text)) => fill(text, &all),
            None => key.to_owned(),
        }
    }

    /// CLDR's rule for the "one" category: English uses it for 1 only, French for 0 and 1.
    fn is_singular(&self, count: u64) -> bool {
        match self.language.as_str() {
            "fr" => count < 2,
            _ => count == 1,
        }
    }

    /// A date as the language writes it in running text: "28 November 2026",
    /// "28 novembre 2026".
    pub fn long_date(&self, date: Date) -> String {
        let month = self.text(&format!("month.{}", date.month()), &[]);
        // French writes the first of the month as an ordinal ("1er novembre").
        let day = if date.day() == 1 {
            self.text("date.day_one", &[])
        } else {
            date.day().to_string()
        };
        self.text(
            "date.long",
            &[
                ("day", &day),
                ("month", &month),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// A month and year ("November 2026"), for monthly archives.
    pub fn month_year(&self, date: Date) -> String {
        let month = self.text(&format!("month.{}", date.month()), &[]);
        self.text(
            "date.month_year",
            &[("month", &month), ("year", &date.year().to_string())],
        )
    }
}

/// `template` with each `{name}` in `args` replaced by its value, in one pass: a value is
/// never read as a placeholder, and unknown placeholders stay as they are. (Dates beside
/// every comment come through here, so it must not allocate per argument.)
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn parse(language: &str, source: &str) -> Result<HashMap<String, Message>, CatalogueError> {
    let error = |detail: String| CatalogueError {
        language: language.to_owned(),
        detail,
    };
    let table: toml::Table = source.parse().map_err(|e| error(format!("{e}")))?;
    let mut messages = HashMap::new();
    flatten("", &table, &mut messages).map_err(error)?;
    Ok(messages)
}

/// Dotted keys: `[month] 1 = "January"` becomes `month.1`. A table with exactly the keys
/// `one` and `other` is a plural message.
fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut HashMap<String, Message>,
) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, Message::Plain(text.clone()));
            }
            toml::Value::Table(inner) if is_plural(inner) => {
                let form = |name: &str| inner.get(name).and_then(|v| v.as_str()).unwrap_or("");
                out.insert(
                    full,
                    Message::Plural {
                        one: form("one").to_owned(),
                        other: form("other").to_owned(),
                    },
                );
            }
            toml::Value::Table(inner) => flatten(&full, inner, out)?,
            other => {
                return Err(format!(
                    "{full}: expected a string, found {}",
                    other.type_str()
                ));
            }
        }
    }
    Ok(())
}

fn is_plural(table: &toml::Table) -> bool {
    table.len() == 2 && table.contains_key("one") && table.contains_key("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_values_stay_as_given() {
        let args = [("name", "Ana {count}"), ("count", "3")];
        assert_eq!(fill("{name} wrote {count}", &args), "Ana {count} wrote 3");
        assert_eq!(fill("{unknown} {name", &args), "{unknown} {name");
        assert_eq!(fill("{{count}}", &args), "{3}");
        assert_eq!(fill("é {count}€", &args), "é 3€");
    }

    fn shipped() -> Vec<(&'static str, String)> {
        SHIPPED.iter().map(|(l, s)| (*l, (*s).to_owned())).collect()
    }

    #[test]
    fn shipped_catalogues_have_the_same_keys() {
        let en = parse("en", SHIPPED[0].1).unwrap();
        for (language, source) in SHIPPED {
            let other = parse(language, source).unwrap();
            let mut missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let mut extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            missing.sort();
            extra.sort();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{language}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    #[test]
    fn dates_and_plurals_follow_the_language() {
        let date = Date::new(2026, 11, 28).unwrap();
        let en = Catalogue::load("en", &shipped()).unwrap();
        let fr = Catalogue::load("fr", &shipped()).unwrap();
        assert_eq!(en.long_date(date), "28 November 2026");
        assert_eq!(fr.long_date(date), "28 novembre 2026");
        assert_eq!(en.plural("archive.count", 1, &[]), "1 article");
        assert_eq!(en.plural("archive.count", 0, &[]), "0 articles");
        assert_eq!(fr.plural("archive.count", 0, &[]), "0 article");
        assert_eq!(fr.plural("archive.count", 2, &[]), "2 articles");
    }

    #[test]
    fn unknown_languages_and_keys_fall_back_visibly() {
        let de = Catalogue::load("de", &shipped()).unwrap();
        assert_eq!(de.language(), "en");
        assert_eq!(de.text("no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn a_broken_catalogue_is_an_error_naming_the_language() {
        let sources = vec![("en", "title = [1]".to_owned())];
        let error = Catalogue::load("en", &sources).unwrap_err().to_string();
        assert!(error.contains("en") && error.contains("title"), "{error}");
    }
}
