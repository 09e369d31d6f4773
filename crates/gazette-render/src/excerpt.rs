//! Excerpts: plain text shortened at a word boundary, for listings, feeds and meta descriptions.

/// Appended to a text that was shortened.
const ELLIPSIS: char = '…';

/// Punctuation that reads badly right before the ellipsis ("said,…", "(…"), stripped from the
/// end of a shortened text. Closing quotes and brackets stay: they end something.
const TRAILING_PUNCTUATION: &[char] = &[
    ',', ';', ':', '.', '-', '–', '—', '(', '[', '{', '«', '“', '‘', '„', '…', '、', '。', '，',
    '；', '：',
];

/// Shortens `text` to at most `max_chars` characters (not bytes), cutting between words, and
/// appends "…" when something was cut. A text that fits is returned trimmed but otherwise
/// unchanged.
///
/// Trailing punctuation such as `,` `;` `:` is dropped before the ellipsis. When not even the
/// first word fits (a long word, or CJK text written without spaces), that word is cut inside,
/// never inside a character and never between a character and the combining marks on it. So
/// the result is only empty when `text` is blank; with `max_chars == 0` it is just "…".
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let Some(cut) = byte_offset_of_char(text, max_chars) else {
        return text.to_owned();
    };
    let kept = match strip_trailing(before_last_word_break(text, cut)) {
        "" => inside_first_word(text, cut),
        kept => kept,
    };
    let mut out = String::with_capacity(kept.len() + ELLIPSIS.len_utf8());
    out.push_str(kept);
    out.push(ELLIPSIS);
    out
}

/// The byte offset of the char at index `chars`, or `None` if `text` has no more than `chars`
/// chars (so it fits).
fn byte_offset_of_char(text: &str, chars: usize) -> Option<usize> {
    text.char_indices().nth(chars).map(|(offset, _)| offset)
}

/// The longest part of `text[..cut]` that ends at a word boundary.
fn before_last_word_break(text: &str, cut: usize) -> &str {
    let head = &text[..cut];
    if text[cut..].starts_with(char::is_whitespace) {
        head
    } else {
        head.rfind(char::is_whitespace)
            .map_or("", |space| &head[..space])
    }
}

fn strip_trailing(text: &str) -> &str {
    text.trim_end_matches(|c: char| c.is_whitespace() || TRAILING_PUNCTUATION.contains(&c))
}

/// `text[..cut]` for when no word boundary is available, moved back so as not to separate a
/// character from the combining marks that follow it.
fn inside_first_word(text: &str, cut: usize) -> &str {
    let mut end = cut;
    while text[end..].starts_with(is_combining) {
        match text[..end].char_indices().next_back() {
            Some((previous, _)) => end = previous,
            None => break,
        }
    }
    if end == 0 {
        // Nothing but one base character with its marks: splitting them beats giving nothing.
        end = cut;
    }
    match strip_trailing(&text[..end]) {
        "" => text[..end].trim_end(),
        kept => kept,
    }
}

/// Combining marks and joiners that belong to the character before them. Not the full
/// grapheme rules, but it covers accents, emoji modifiers and ZWJ sequences.
fn is_combining(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200D}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_fits_is_not_cut() {
        assert_eq!(excerpt("Short text.", 11), "Short text.");
        assert_eq!(excerpt("  padded  ", 6), "padded");
        assert_eq!(excerpt("", 5), "");
    }

    #[test]
    fn cuts_at_the_last_word_boundary() {
        assert_eq!(excerpt("The quick brown fox", 12), "The quick…");
        assert_eq!(excerpt("The quick brown fox", 9), "The quick…");
        assert_eq!(excerpt("The quick brown fox", 10), "The quick…");
        assert_eq!(excerpt("The quick brown fox", 15), "The quick brown…");
    }

    #[test]
    fn trailing_punctuation_goes_before_the_ellipsis() {
        assert_eq!(excerpt("First, second; third: fourth", 7), "First…");
        assert_eq!(
            excerpt("First, second; third: fourth", 15),
            "First, second…"
        );
        assert_eq!(excerpt("Words — more words", 9), "Words…");
        assert_eq!(excerpt("He said “yes” and left", 14), "He said “yes”…");
        assert_eq!(excerpt("It ended. Then more", 12), "It ended…");
    }

    #[test]
    fn a_first_word_too_long_is_cut_inside() {
        assert_eq!(
            excerpt("Antidisestablishmentarianism rules", 10),
            "Antidisest…"
        );
        assert_eq!(excerpt("abc", 0), "…");
        assert_eq!(excerpt(", , , word", 3), ", ,…");
    }

    #[test]
    fn multibyte_text_is_counted_in_chars() {
        assert_eq!(
            excerpt("L’été à Montréal était étouffant", 18),
            "L’été à Montréal…"
        );
        assert_eq!(
            excerpt("Съешь же ещё этих мягких французских булок", 16),
            "Съешь же ещё…"
        );
        assert_eq!(
            excerpt("東京都は今日、新しい計画を発表した", 6),
            "東京都は今日…"
        );
        assert_eq!(excerpt("東京都は今、新しい計画", 5), "東京都は今…");
        assert_eq!(excerpt("東京都は、新しい計画", 5), "東京都は…");
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        // "cafe" + U+0301: the accent must not be separated from the "e".
        assert_eq!(excerpt("cafe\u{301}terias", 4), "caf…");
        assert_eq!(excerpt("e\u{301}e\u{301}", 1), "e…");
    }
}
