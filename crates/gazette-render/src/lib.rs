//! Turns article bodies into HTML that is safe to print, and derives plain text and excerpts.
//!
//! Every body goes through the same path whatever its source language: Markdown is first turned
//! into HTML, then all HTML (Markdown output with its inline raw HTML, WordPress imports, API
//! clients) passes one sanitiser policy, documented on [`sanitize_html`]. Only the sanitiser's
//! output becomes [`SafeHtml`]. Plain text and excerpts are derived from that sanitised HTML, so
//! they never see markup the page would not show.

mod attributes;
mod comment;
mod embeds;
mod entities;
mod excerpt;
mod markdown;
mod removals;
mod sanitize;
mod text;
mod to_markdown;
pub mod wordpress;

use gazette_core::{BodyFormat, SafeHtml};

pub use comment::render_comment;
pub use embeds::frame_for as embed_frame;
pub use excerpt::excerpt;
pub use removals::sanitiser_removals;
pub use sanitize::{sanitize_html, stripped_elements};
pub use text::{escape_html, plain_text, text_paragraphs};
pub use to_markdown::html_to_markdown;

/// Version of the rendering rules (Markdown options, sanitiser policy, heading demotion, …).
///
/// Rendered bodies are stored next to the version that produced them. Bump this whenever the
/// output for some input changes, so that `gazette render rebuild` knows which stored bodies are
/// stale and re-renders them from their source.
pub const RENDER_VERSION: i32 = 4;

/// Renders an article body written in `format` to sanitised HTML.
///
/// Markdown is CommonMark with tables, footnotes and strikethrough (no smart punctuation: quotes
/// stay as the author typed them); raw HTML inside it is allowed but sanitised like the rest.
/// HTML is sanitised as it is. In both, a link to an allow-listed provider alone on its line
/// becomes that provider's player (see `gazette_core::embed`).
pub fn render_body(format: BodyFormat, source: &str) -> SafeHtml {
    render_body_as(format, source, HtmlPolicy::Sanitised)
}

/// Whose HTML a body holds: anyone's, sanitised; or a trusted editor's, kept as written
/// (WordPress's `unfiltered_html` capability).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlPolicy {
    Sanitised,
    Unfiltered,
}

impl HtmlPolicy {
    /// The policy for a source that is trusted raw HTML or not (see
    /// `gazette_core::desk::raw_html_trusted`).
    pub fn for_trust(trusted: bool) -> Self {
        if trusted {
            Self::Unfiltered
        } else {
            Self::Sanitised
        }
    }
}

/// Renders a body under `policy`. Embeds are placed after sanitising, so they are never
/// subject to the sanitiser (which removes every other iframe).
pub fn render_body_as(format: BodyFormat, source: &str, policy: HtmlPolicy) -> SafeHtml {
    let (source, embeds) = embeds::lift(source, format == BodyFormat::Html);
    let html = match format {
        BodyFormat::Markdown => markdown::to_html(&source),
        BodyFormat::Html => source,
    };
    let html = match policy {
        HtmlPolicy::Sanitised => sanitize_html(&html).as_str().to_owned(),
        HtmlPolicy::Unfiltered => html,
    };
    SafeHtml::assume_sanitized(embeds::place(&html, &embeds))
}

/// The excerpt of a rendered body: its [`plain_text`] cut by [`excerpt`] to at most `max_chars`
/// characters plus an ellipsis.
pub fn render_excerpt(body: &SafeHtml, max_chars: usize) -> String {
    excerpt(&plain_text(body), max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_bodies_share_the_policy() {
        let md = render_body(
            BodyFormat::Markdown,
            "Hi <span onclick=\"x()\">there</span>",
        );
        let html = render_body(
            BodyFormat::Html,
            "<p>Hi <span onclick=\"x()\">there</span></p>",
        );
        assert_eq!(md.as_str().trim(), html.as_str());
        assert_eq!(html.as_str(), "<p>Hi <span>there</span></p>");
    }

    #[test]
    fn html_body_is_not_interpreted_as_markdown() {
        let html = render_body(BodyFormat::Html, "*not emphasis*");
        assert_eq!(html.as_str(), "*not emphasis*");
    }

    #[test]
    fn excerpt_of_a_rendered_body() {
        let body = render_body(
            BodyFormat::Markdown,
            "# Title\n\nFirst *para*graph, long one.",
        );
        assert_eq!(render_excerpt(&body, 22), "Title First paragraph…");
        assert_eq!(
            render_excerpt(&body, 100),
            "Title First paragraph, long one."
        );
    }
}
