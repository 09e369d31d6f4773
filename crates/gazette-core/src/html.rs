//! `SafeHtml`: markup that has been through the sanitiser and may be printed unescaped.

use serde::{Deserialize, Serialize};

/// HTML that is safe to print unescaped into a page.
///
/// Only `gazette-render` creates it from user input (after sanitising), and the store hands back
/// what the renderer produced earlier. Templates print nothing else raw. The constructor's name is
/// deliberately loud so that every other use stands out in review.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Wraps markup that the renderer sanitised (now, or when it was stored).
    pub fn assume_sanitized(html: String) -> Self {
        Self(html)
    }

    /// Markup made of escaped text only.
    pub fn from_text(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        Self(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            SafeHtml::from_text(r#"<a href="x">Tom & 'Jerry'</a>"#).as_str(),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
