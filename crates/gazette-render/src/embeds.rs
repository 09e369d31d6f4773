//! Embeds: a link to an allow-listed provider alone on its line (or inside WordPress's
//! `[embed]…[/embed]`) becomes the provider's player in a sandboxed frame.
//!
//! The link is lifted out of the source before rendering, replaced by a marker paragraph, and
//! the frame is put in its place after sanitising: the frame's markup is ours, built from the
//! identifiers `gazette_core::embed` validated, so the sanitiser never has to allow iframes.

use gazette_core::embed::Embed;

const MARKER: &str = "gazette-embed-";

/// The source with each embed line replaced by a marker paragraph, and the embeds in order.
/// In an HTML body the marker is written as a paragraph, as Markdown would render it.
pub(crate) fn lift(source: &str, html: bool) -> (String, Vec<(Embed, String)>) {
    let mut embeds = Vec::new();
    let mut out = String::with_capacity(source.len());
    let mut fence: Option<&str> = None;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            out.push_str(line);
            continue;
        }
        let indented_code = line.starts_with("    ") || line.starts_with('\t');
        match link_on_line(trimmed).filter(|_| !indented_code) {
            Some(link) => match Embed::from_link(link) {
                Some(embed) => {
                    let n = embeds.len();
                    out.push_str(&if html {
                        format!("<p>{MARKER}{n}</p>\n")
                    } else {
                        format!("\n\n{MARKER}{n}\n\n")
                    });
                    embeds.push((embed, link.to_owned()));
                }
                None => out.push_str(line),
            },
            None => out.push_str(line),
        }
    }
    (out, embeds)
}

/// The link a line consists of: bare, `<…>`, `<p>…</p>` or `[embed]…[/embed]`.
fn link_on_line(line: &str) -> Option<&str> {
    let inner = [("[embed]", "[/embed]"), ("<p>", "</p>"), ("<", ">")]
        .into_iter()
        .find_map(|(open, close)| line.strip_prefix(open)?.strip_suffix(close))
        .unwrap_or(line)
        .trim();
    let plain = inner.starts_with("https://") || inner.starts_with("http://");
    (plain && !inner.contains(char::is_whitespace)).then_some(inner)
}

/// Puts each embed's frame where its marker paragraph is.
pub(crate) fn place(html: &str, embeds: &[(Embed, String)]) -> String {
    let mut out = html.to_owned();
    for (n, (embed, link)) in embeds.iter().enumerate().rev() {
        let marker = format!("{MARKER}{n}");
        let frame = frame(embed, link);
        out = out.replace(&format!("<p>{marker}</p>"), &frame);
    }
    out
}

/// The frame a link becomes when it is alone on its line, or None when it names no provider
/// of the allow-list (the editor shows it under such a line).
pub fn frame_for(link: &str) -> Option<(&'static str, String)> {
    let embed = Embed::from_link(link)?;
    Some((embed.provider.name, frame(&embed, link.trim())))
}

fn frame(embed: &Embed, link: &str) -> String {
    let provider = embed.provider;
    let (w, h) = provider.aspect;
    format!(
        "<figure class=\"embed embed-{w}x{h}\"><iframe src=\"{src}\" title=\"{name}\" \
         loading=\"lazy\" sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\" \
         allow=\"fullscreen; picture-in-picture; encrypted-media\" \
         referrerpolicy=\"strict-origin-when-cross-origin\"></iframe>\
         <figcaption><a href=\"{link}\">{name}</a></figcaption></figure>",
        src = crate::escape_html(&embed.src),
        name = provider.name,
        link = crate::escape_html(link),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render_body;
    use gazette_core::BodyFormat;

    #[test]
    fn a_provider_link_alone_on_its_line_becomes_a_sandboxed_frame() {
        let source = "Watch:\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nAnd the chart:\n[embed]https://datawrapper.dwcdn.net/Ab12C/3/[/embed]\n";
        let html = render_body(BodyFormat::Markdown, source);
        let html = html.as_str();
        assert!(html.contains(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"YouTube\""
        ), "{html}");
        assert!(html.contains("src=\"https://datawrapper.dwcdn.net/Ab12C/3/\""));
        assert!(html.contains(
            "sandbox=\"allow-scripts allow-same-origin allow-popups allow-presentation\""
        ));
        assert!(html.contains("<figcaption><a href=\"https://youtu.be/dQw4w9WgXcQ\">YouTube</a>"));
        assert!(!html.contains(MARKER));
    }

    #[test]
    fn other_links_and_links_in_text_or_code_stay_as_written() {
        let source = "See https://youtu.be/dQw4w9WgXcQ for more.\n\nhttps://example.com/video\n\n```\nhttps://youtu.be/dQw4w9WgXcQ\n```\n\n    https://youtu.be/dQw4w9WgXcQ\n";
        let html = render_body(BodyFormat::Markdown, source);
        assert!(!html.as_str().contains("<iframe"), "{}", html.as_str());
        assert!(html.as_str().contains("https://example.com/video"));
    }

    #[test]
    fn raw_iframes_are_still_removed_and_markers_typed_by_hand_do_nothing() {
        let source = "<iframe src=\"https://evil.example/\"></iframe>\n\ngazette-embed-0\n";
        let html = render_body(BodyFormat::Html, source);
        assert!(!html.as_str().contains("<iframe"));
        assert!(html.as_str().contains("gazette-embed-0"));
    }

    #[test]
    fn imported_html_paragraphs_embed_too() {
        let html = render_body(
            BodyFormat::Html,
            "<p>Intro</p>\n<p>https://vimeo.com/76979871</p>\n",
        );
        assert!(
            html.as_str()
                .contains("src=\"https://player.vimeo.com/video/76979871\""),
            "{}",
            html.as_str()
        );
    }
}
