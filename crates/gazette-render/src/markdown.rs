//! Markdown to (not yet sanitised) HTML, with pulldown-cmark.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

use crate::attributes::FOOTNOTE_ID_PREFIX;

/// CommonMark plus the extensions writers asked for. Smart punctuation stays off on purpose:
/// quotes and dashes are kept exactly as typed, since house style differs between languages.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML. The result still contains the author's raw HTML and must go
/// through the sanitiser before it is shown.
pub(crate) fn to_html(source: &str) -> String {
    let events = Parser::new_ext(source, options()).map(namespace_footnote);
    let mut out = String::with_capacity(source.len() + source.len() / 2);
    html::push_html(&mut out, events);
    out
}

/// Moves footnote labels into the `fn-` id namespace, the only ids the sanitiser keeps, so that
/// a label such as `[^main]` cannot collide with (or clobber) an id of the page around the body.
fn namespace_footnote(event: Event<'_>) -> Event<'_> {
    match event {
        Event::FootnoteReference(label) => Event::FootnoteReference(footnote_id(&label)),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(footnote_id(&label)))
        }
        other => other,
    }
}

/// The id of a footnote: prefixed, lower-cased (labels match case-insensitively), and with
/// whitespace replaced because an id containing spaces cannot be targeted by a fragment.
fn footnote_id(label: &str) -> CowStr<'static> {
    let mut id = String::from(FOOTNOTE_ID_PREFIX);
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        id.push(if c.is_whitespace() { '-' } else { c });
    }
    id.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_enabled() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>1</td>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
    }

    #[test]
    fn quotes_are_kept_as_typed() {
        assert_eq!(
            to_html("\"quoted\" -- 'single'"),
            "<p>\"quoted\" -- 'single'</p>\n"
        );
    }

    #[test]
    fn footnotes_are_namespaced_on_both_ends() {
        let html = to_html("Claim[^My Note].\n\n[^My Note]: Source.");
        assert!(html.contains(r##"<a href="#fn-my-note">1</a>"##), "{html}");
        assert!(html.contains(r#"id="fn-my-note""#), "{html}");
    }

    #[test]
    fn raw_html_is_passed_on_for_the_sanitiser() {
        assert!(to_html("<script>x</script>").contains("<script>"));
    }
}
