//! Decoding of HTML character references (`&amp;`, `&#233;`, `&#xE9;`, `&eacute;`) in text.

/// Named references that are decoded. Sanitised output only contains `amp lt gt quot nbsp`
/// (the serialiser writes every other character as itself), but stored or imported HTML may
/// still use the common typographic ones. Unknown names are left as written.
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("shy", ""),
    ("mdash", "—"),
    ("ndash", "–"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("bull", "•"),
    ("middot", "·"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("deg", "°"),
    ("times", "×"),
    ("euro", "€"),
    ("pound", "£"),
    ("sect", "§"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("acirc", "â"),
    ("auml", "ä"),
    ("ccedil", "ç"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("iacute", "í"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("ntilde", "ñ"),
    ("oacute", "ó"),
    ("ocirc", "ô"),
    ("ouml", "ö"),
    ("uacute", "ú"),
    ("ugrave", "ù"),
    ("ucirc", "û"),
    ("uuml", "ü"),
    ("szlig", "ß"),
    ("Eacute", "É"),
    ("Agrave", "À"),
    ("Ccedil", "Ç"),
    ("oelig", "œ"),
];

/// Longest reference looked at, in chars after `&`, `;` included. Longer ones are unknown.
const MAX_REFERENCE_LEN: usize = 12;

/// Appends `text` to `out` with its character references decoded. Malformed or unknown
/// references are copied as they are, which is what a reader would see.
pub(crate) fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_reference(after, out) {
            Some(consumed) => rest = &after[consumed..],
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Decodes the reference at the start of `after` (the text following `&`) into `out` and
/// returns how many bytes it took, `;` included. Pushes nothing and returns `None` otherwise.
fn decode_reference(after: &str, out: &mut String) -> Option<usize> {
    // Bounded so that a text full of `&` and no `;` is not scanned again for every `&`.
    let window_len = after
        .char_indices()
        .nth(MAX_REFERENCE_LEN)
        .map_or(after.len(), |(offset, _)| offset);
    let semicolon = after[..window_len].find(';')?;
    let name = &after[..semicolon];
    if let Some(number) = name.strip_prefix('#') {
        out.push(decode_number(number)?);
    } else {
        let (_, decoded) = NAMED.iter().find(|(known, _)| *known == name)?;
        out.push_str(decoded);
    }
    Some(semicolon + 1)
}

/// The character of a numeric reference (`233` or `xE9`). Code points a document may not
/// contain (NUL, surrogates, beyond Unicode) become U+FFFD, as browsers do.
fn decode_number(number: &str) -> Option<char> {
    let (digits, radix) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let decoded = u32::from_str_radix(digits, radix)
        .ok()
        .filter(|&code| code != 0)
        .and_then(char::from_u32);
    Some(decoded.unwrap_or(char::REPLACEMENT_CHARACTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> String {
        let mut out = String::new();
        decode_into(text, &mut out);
        out
    }

    #[test]
    fn basic_references() {
        assert_eq!(
            decode("Tom &amp; Jerry &lt;3 &gt; &quot;x&quot; &#39;y&#39;"),
            { "Tom & Jerry <3 > \"x\" 'y'" }
        );
    }

    #[test]
    fn numeric_references() {
        assert_eq!(decode("caf&#233; caf&#xE9; caf&#XE9;"), "café café café");
        assert_eq!(decode("&#8217;&#x2014;"), "’—");
        let invalid = decode("&#0;&#xD800;&#x110000;&#9999999999;");
        assert_eq!(invalid, "\u{fffd}".repeat(4));
    }

    #[test]
    fn named_references() {
        assert_eq!(
            decode("a&nbsp;b&mdash;c&hellip;&ldquo;d&rdquo;"),
            "a\u{a0}b—c…“d”"
        );
        assert_eq!(decode("&eacute;t&eacute;"), "été");
        assert_eq!(decode("soft&shy;hyphen"), "softhyphen");
    }

    #[test]
    fn malformed_references_are_kept() {
        assert_eq!(decode("AT&T"), "AT&T");
        assert_eq!(decode("&amp"), "&amp");
        assert_eq!(decode("&unknown;"), "&unknown;");
        assert_eq!(decode("&#;&#x;&#12a;"), "&#;&#x;&#12a;");
        assert_eq!(decode("& ; &&amp;"), "& ; &&");
        assert_eq!(decode("&é;&"), "&é;&");
        assert_eq!(decode("&#00000000000233;"), "&#00000000000233;");
    }
}
