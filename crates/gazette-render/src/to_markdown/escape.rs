//! Markdown's punctuation in text that must stay text.

/// Escapes what would be markup anywhere in a line.
pub(super) fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let entity_like = *c == '&'
            && chars[i + 1..]
                .iter()
                .take_while(|n| n.is_ascii_alphanumeric() || **n == '#')
                .count()
                > 0
            && chars[i + 1..]
                .iter()
                .find(|n| !(n.is_ascii_alphanumeric() || **n == '#'))
                == Some(&';');
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' | '|') || entity_like {
            escaped.push('\\');
        }
        escaped.push(*c);
    }
    escaped
}

/// Escapes what would start a block at the beginning of each line: headings, quotes, list
/// items, thematic breaks.
pub(super) fn escape_line_starts(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let first = line.chars().next();
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after_digits = line[digits..].chars().next();
            let bullet =
                matches!(first, Some('-' | '+')) && matches!(line.chars().nth(1), None | Some(' '));
            if matches!(first, Some('#' | '>' | '=')) || bullet {
                format!("\\{line}")
            } else if digits > 0
                && digits < 10
                && matches!(after_digits, Some('.' | ')'))
                && matches!(line[digits + 1..].chars().next(), None | Some(' '))
            {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
