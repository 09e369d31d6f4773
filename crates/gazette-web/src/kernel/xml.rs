//! The little XML writing feeds and sitemaps need: escaped text that is always well-formed.

/// `text` escaped for XML content or a quoted attribute. Characters XML 1.0 cannot carry at all
/// (most C0 controls, unpaired surrogates cannot occur in a `str`, U+FFFE and U+FFFF) are
/// dropped: a reader's comment containing one must not make the whole feed unreadable.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    // Most text (addresses, dates, names) needs nothing: copy it at once.
    let plain =
        |b: u8| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    // A fold rather than `all`: without the early exit the check runs many bytes at a time.
    if text.bytes().fold(true, |all_plain, b| all_plain & plain(b)) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `<name>escaped text</name>`.
pub(crate) fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_cannot_break_the_document() {
        assert_eq!(
            escape("<b>\"Tom\" & 'Jerry'</b>\u{0}\u{1b}\u{FFFF}é"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;é"
        );
        assert_eq!(escape("tab\tand\nnewline"), "tab\tand\nnewline");
        assert_eq!(escape("plain ascii, 100% safe"), "plain ascii, 100% safe");
        let mut out = "<loc>".to_owned();
        escape_into(&mut out, "a&b");
        assert_eq!(out, "<loc>a&amp;b");
    }
}
