//! The small texts crawlers read and administrators write: `robots.txt` additions, `ads.txt`
//! and site-verification meta tags. Each is checked line by line so a typing slip is reported
//! with its line instead of silently breaking what a crawler reads.

use serde::{Deserialize, Serialize};

/// A `<meta name="…" content="…">` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaTag {
    pub name: String,
    pub content: String,
}

/// A line that could not be used, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
}

/// The robots.txt directives crawlers understand.
const ROBOTS_FIELDS: [&str; 6] = [
    "user-agent",
    "allow",
    "disallow",
    "sitemap",
    "crawl-delay",
    "host",
];

/// Checks `robots.txt` additions: comments and `Field: value` lines with a known field.
pub fn robots_lines(text: &str) -> Result<String, LineError> {
    let mut kept = Vec::new();
    for (line, content) in numbered(text) {
        if !content.starts_with('#') {
            let field = content
                .split_once(':')
                .map(|(f, _)| f.trim().to_ascii_lowercase());
            match field {
                Some(field) if ROBOTS_FIELDS.contains(&field.as_str()) => {}
                _ => {
                    return Err(LineError {
                        line,
                        message: "write a directive such as “User-agent: *” or \
                                  “Disallow: /private/” (or a # comment)"
                            .to_owned(),
                    });
                }
            }
        }
        kept.push(content);
    }
    Ok(kept.join("\n"))
}

/// Checks `ads.txt`: comments, `variable=value` lines, and records of the form
/// `domain, publisher id, DIRECT|RESELLER[, certification id]` (the IAB's format).
pub fn ads_txt(text: &str) -> Result<String, LineError> {
    let mut kept = Vec::new();
    for (line, content) in numbered(text) {
        let record = content.split('#').next().unwrap_or_default().trim();
        let is_variable = record
            .split_once('=')
            .is_some_and(|(name, _)| !name.contains(',') && !name.trim().is_empty());
        if !record.is_empty() && !is_variable {
            let fields: Vec<&str> = record.split(',').map(str::trim).collect();
            let relationship = fields.get(2).map(|f| f.to_ascii_uppercase());
            let valid = (3..=4).contains(&fields.len())
                && fields[..2].iter().all(|f| !f.is_empty())
                && matches!(relationship.as_deref(), Some("DIRECT" | "RESELLER"));
            if !valid {
                return Err(LineError {
                    line,
                    message: "an ads.txt record is “domain, publisher id, DIRECT or RESELLER”, \
                              optionally followed by “, certification id”"
                        .to_owned(),
                });
            }
        }
        kept.push(content);
    }
    Ok(kept.join("\n"))
}

/// Reads verification tags, one per line, as `name = content` or as the whole tag a search
/// engine's console shows (`<meta name="google-site-verification" content="…" />`).
pub fn verification_tags(text: &str) -> Result<Vec<MetaTag>, LineError> {
    numbered(text)
        .map(|(line, content)| {
            let refuse = |message: &str| LineError {
                line,
                message: message.to_owned(),
            };
            let (name, value) = if content.starts_with('<') {
                (
                    attribute(content, "name")
                        .ok_or_else(|| refuse("the tag has no name=\"…\""))?,
                    attribute(content, "content")
                        .ok_or_else(|| refuse("the tag has no content=\"…\""))?,
                )
            } else {
                let (name, value) = content
                    .split_once('=')
                    .ok_or_else(|| refuse("write name = content, or paste the whole <meta> tag"))?;
                (name.trim().to_owned(), value.trim().to_owned())
            };
            let name_ok = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
            if !name_ok {
                return Err(refuse("a meta tag's name is letters, digits, - _ : and ."));
            }
            if value.is_empty() || value.contains(['<', '>', '"']) {
                return Err(refuse("the content is empty or holds < > or \""));
            }
            Ok(MetaTag {
                name,
                content: value,
            })
        })
        .collect()
}

/// The value of `name="…"` (or single-quoted) in a pasted tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    for quote in ['"', '\''] {
        let marker = format!("{name}={quote}");
        let mut from = 0;
        while let Some(found) = lower[from..].find(&marker) {
            let at = from + found;
            // A whole attribute name: not the end of another (`http-equiv` vs `equiv`).
            let standalone = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
            let start = at + marker.len();
            if standalone {
                let end = tag[start..].find(quote)? + start;
                return Some(tag[start..end].trim().to_owned());
            }
            from = start;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_additions_are_directives_or_comments() {
        let text = "# staging copies\nUser-agent: GPTBot\n\nDisallow: /\n";
        assert_eq!(
            robots_lines(text).unwrap(),
            "# staging copies\nUser-agent: GPTBot\nDisallow: /"
        );
        let error = robots_lines("User-agent: *\nNo robots please").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            robots_lines("Dissalow: /x").is_err(),
            "a misspelt field is caught"
        );
    }

    #[test]
    fn ads_txt_records_follow_the_iab_format() {
        let text = "# ads\ngoogle.com, pub-123, DIRECT, f08c47fec0942fa0\nexample.net, 42, reseller\ncontact=ads@journal.example\n";
        assert!(ads_txt(text).is_ok());
        assert_eq!(ads_txt("google.com, pub-123\n").unwrap_err().line, 1);
        assert_eq!(
            ads_txt("ok.com, 1, DIRECT\nbad.com, 1, SOMETIMES")
                .unwrap_err()
                .line,
            2
        );
    }

    #[test]
    fn verification_tags_are_read_from_pairs_or_pasted_tags() {
        let text = "google-site-verification = abc123\n<meta name=\"msvalidate.01\" content=\"XYZ\" />\n<META CONTENT='p1' NAME='p:domain_verify'>";
        let tags = verification_tags(text).unwrap();
        let pairs: Vec<_> = tags
            .iter()
            .map(|t| (t.name.as_str(), t.content.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("google-site-verification", "abc123"),
                ("msvalidate.01", "XYZ"),
                ("p:domain_verify", "p1")
            ]
        );
        assert_eq!(verification_tags("just text").unwrap_err().line, 1);
        assert!(verification_tags("x = \"><script>").is_err());
        assert!(verification_tags("bad name = 1").is_err());
    }
}
