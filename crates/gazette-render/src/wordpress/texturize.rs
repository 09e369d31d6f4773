//! WordPress's typographic punctuation: the straight quotes, double hyphens and three dots an
//! author typed are shown as curly quotes, dashes and an ellipsis. Worked out, like
//! [`super::autop`], from WordPress's own output on the same inputs.

/// Elements whose text is code or verbatim and keeps its straight punctuation.
const LITERAL: &[&str] = &[
    "pre", "code", "kbd", "tt", "script", "style", "textarea", "samp",
];

/// Applies WordPress's typographic replacements to the text of `html`, leaving tags, their
/// attributes and code alone.
pub fn texturize(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut literal_depth = 0usize;
    let mut state = Quotes::default();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            push_text(&mut out, rest, literal_depth > 0, &mut state);
            break;
        };
        push_text(&mut out, &rest[..start], literal_depth > 0, &mut state);
        let tag_text = &rest[start..];
        let end = if tag_text.starts_with("<!--") {
            tag_text.find("-->").map_or(tag_text.len(), |e| e + 3)
        } else {
            tag_text.find('>').map_or(tag_text.len(), |e| e + 1)
        };
        let tag = &tag_text[..end];
        // WordPress pairs quotes within one run of text: a tag ends what is open.
        state.single_open = false;
        state.double_open = false;
        if let Some((name, closing)) = tag_name(tag) {
            if LITERAL.iter().any(|l| l.eq_ignore_ascii_case(name)) {
                literal_depth = if closing {
                    literal_depth.saturating_sub(1)
                } else {
                    literal_depth + 1
                };
            }
            if super::autop::is_block_name(name) || name.eq_ignore_ascii_case("br") {
                state.previous = ' ';
            }
        }
        out.push_str(tag);
        rest = &tag_text[end..];
    }
    out
}

fn tag_name(tag: &str) -> Option<(&str, bool)> {
    let inner = tag.strip_prefix('<')?;
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/');
    let len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    (len > 0).then(|| (&inner[..len], closing))
}

/// What the text so far leaves open: the character before the next one, and whether a single
/// or double quote was opened and not yet closed (a quote after a digit closes it, or else is
/// a prime: `6′`, `5″`).
#[derive(Debug, Clone, Copy)]
struct Quotes {
    previous: char,
    single_open: bool,
    double_open: bool,
    /// Digits after an apostrophe standing for a century (`’90`): a `"` after them closes.
    after_decade: bool,
}

impl Default for Quotes {
    fn default() -> Self {
        Self {
            previous: ' ',
            single_open: false,
            double_open: false,
            after_decade: false,
        }
    }
}

fn push_text(out: &mut String, text: &str, literal: bool, state: &mut Quotes) {
    if text.is_empty() {
        return;
    }
    if literal {
        out.push_str(text);
        state.previous = text.chars().last().unwrap_or(state.previous);
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let previous = state.previous;
        let (replacement, used) = match c {
            '-' => dash(&chars, i, previous),
            '.' if next == Some('.') && chars.get(i + 2) == Some(&'.') => ("…".to_owned(), 3),
            '`' if next == Some('`') => ("“".to_owned(), 2),
            '\'' if next == Some('\'') => ("”".to_owned(), 2),
            '(' if starts_with(&chars[i..], "(tm)") => ("™".to_owned(), 4),
            'x' if previous.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) => {
                ("×".to_owned(), 1)
            }
            '\'' => (single_quote(&chars, i, state).to_owned(), 1),
            '"' => (double_quote(state).to_owned(), 1),
            other => (other.to_string(), 1),
        };
        out.push_str(&replacement);
        if !c.is_ascii_digit() && c != '\'' {
            state.after_decade = false;
        }
        state.previous = replacement.chars().last().unwrap_or(c);
        i += used;
    }
}

fn starts_with(chars: &[char], text: &str) -> bool {
    let mut it = chars.iter();
    text.chars().all(|t| it.next() == Some(&t))
}

/// `---` and ` -- ` are em dashes, `--` and ` - ` en dashes; a lone hyphen stays.
fn dash(chars: &[char], i: usize, previous: char) -> (String, usize) {
    let next = chars.get(i + 1).copied();
    if next == Some('-') && chars.get(i + 2) == Some(&'-') {
        return ("—".to_owned(), 3);
    }
    // The start and end of the text (next to a tag) count as spaces.
    let spaced_before = previous == ' ';
    let spaced = |c: Option<&char>| c.is_none_or(|c| *c == ' ');
    if next == Some('-') {
        if spaced_before && spaced(chars.get(i + 2)) {
            return ("—".to_owned(), 2);
        }
        return ("–".to_owned(), 2);
    }
    if spaced_before && spaced(chars.get(i + 1)) {
        return ("–".to_owned(), 1);
    }
    ("-".to_owned(), 1)
}

/// Whether a quote after `previous` opens (rather than closes or is an apostrophe).
fn opens_after(previous: char) -> bool {
    previous.is_whitespace() || "([{\"'“‘—–-/".contains(previous)
}

/// Words whose first letters an apostrophe stands for (`’tis`, `’cause`): the apostrophe
/// opens nothing.
const CLIPPED_WORDS: &[&str] = &[
    "tain't", "twere", "twas", "tis", "twill", "til", "bout", "nuff", "round", "cause", "em",
];

fn single_quote(chars: &[char], i: usize, state: &mut Quotes) -> &'static str {
    let previous = state.previous;
    let next = chars.get(i + 1);
    if previous.is_ascii_digit() && !next.is_some_and(|c| c.is_alphanumeric()) {
        if state.single_open {
            state.single_open = false;
            return "’";
        }
        return "′";
    }
    // '90s: an apostrophe standing for a century's digits.
    let decade = next.is_some_and(char::is_ascii_digit)
        && chars.get(i + 2).is_some_and(char::is_ascii_digit)
        && !chars.get(i + 3).is_some_and(char::is_ascii_digit);
    state.after_decade = decade;
    if opens_after(previous) && !decade && !starts_clipped_word(&chars[i + 1..]) {
        state.single_open = true;
        "‘"
    } else {
        if !previous.is_alphanumeric() || !next.is_some_and(|c| c.is_alphanumeric()) {
            state.single_open = false;
        }
        "’"
    }
}

fn starts_clipped_word(chars: &[char]) -> bool {
    CLIPPED_WORDS.iter().any(|word| {
        starts_with(chars, word)
            && !chars
                .get(word.chars().count())
                .is_some_and(|c| c.is_alphanumeric())
    })
}

fn double_quote(state: &mut Quotes) -> &'static str {
    if state.previous.is_ascii_digit() && !state.after_decade {
        return if std::mem::take(&mut state.double_open) {
            "”"
        } else {
            "″"
        };
    }
    if opens_after(state.previous) {
        state.double_open = true;
        "“"
    } else {
        state.double_open = false;
        "”"
    }
}

#[cfg(test)]
mod tests {
    use super::texturize;

    #[test]
    fn quotes_dashes_and_dots() {
        assert_eq!(
            texturize("\"Quoted\" and 'single' text."),
            "“Quoted” and ‘single’ text."
        );
        assert_eq!(
            texturize("It's the '90s, don't you know? Rock 'n' roll."),
            "It’s the ’90s, don’t you know? Rock ‘n’ roll."
        );
        assert_eq!(
            texturize("Dashes: a -- b, a---b, 10-20, a - b, x--y"),
            "Dashes: a — b, a—b, 10-20, a – b, x–y"
        );
        assert_eq!(texturize("Wait... 2x4"), "Wait… 2×4");
    }

    #[test]
    fn tags_and_code_are_left_alone() {
        assert_eq!(
            texturize("<a href=\"x'y\">link \"text\"</a> <code>\"code\"</code>"),
            "<a href=\"x'y\">link “text”</a> <code>\"code\"</code>"
        );
    }
}
