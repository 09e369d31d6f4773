//! WordPress's core shortcodes as markup: `[caption]`, `[gallery]`, `[embed]`, `[audio]`,
//! `[video]` and `[playlist]`. Any other shortcode stays as the text the author wrote and is
//! listed in the import's report; `[[name]]` is WordPress's way to write a shortcode as text.

use std::collections::BTreeMap;

use super::Converted;
use crate::escape_html;

/// An attachment as an import knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub url: String,
    pub alt: String,
    pub caption: String,
}

/// Finds the attachments shortcodes name.
pub trait MediaLookup {
    /// The attachment with this WordPress id.
    fn attachment(&self, id: i64) -> Option<Attachment>;
    /// The attachments uploaded to a post, in menu order: what `[gallery]` shows without ids.
    fn children(&self, post_id: i64) -> Vec<Attachment>;
}

const CORE: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "audio",
    "video",
    "playlist",
];

/// One shortcode found in the text.
struct Shortcode<'a> {
    name: &'a str,
    attributes: BTreeMap<String, String>,
    content: Option<&'a str>,
    /// Bytes of the text it spans.
    length: usize,
}

/// Replaces the core shortcodes in `text` with markup.
pub(super) fn expand(
    text: &str,
    post_id: i64,
    media: &dyn MediaLookup,
    converted: &mut Converted,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let here = &rest[start..];
        if let Some(escaped) = escaped_shortcode(here) {
            out.push_str(&here[1..escaped - 1]);
            rest = &here[escaped..];
            continue;
        }
        match parse(here) {
            Some(code) if CORE.contains(&code.name) => {
                out.push_str(&render(&code, post_id, media, converted));
                rest = &here[code.length..];
            }
            Some(code) => {
                converted.unknown_shortcodes.insert(code.name.to_owned());
                out.push('[');
                rest = &here[1..];
            }
            None => {
                out.push('[');
                rest = &here[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `[[name …]]`: the length of the escaped shortcode, whose inside is kept as text.
fn escaped_shortcode(text: &str) -> Option<usize> {
    let inner = text.strip_prefix("[[")?;
    let end = inner.find("]]")?;
    let name_ok = inner
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic());
    (name_ok && !inner[..end].contains('[')).then_some(end + 4)
}

fn parse(text: &str) -> Option<Shortcode<'_>> {
    let inner = text.strip_prefix('[')?;
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(inner.len());
    if name_len == 0 {
        return None;
    }
    let name = &inner[..name_len];
    let close = inner.find(']')?;
    if inner[..close].contains('[') {
        return None;
    }
    let raw_attributes = inner[name_len..close].trim().trim_end_matches('/');
    let attributes = parse_attributes(raw_attributes);
    let opened = 1 + close + 1;
    let end_tag = format!("[/{name}]");
    let self_closing = inner[..close].trim_end().ends_with('/');
    let (content, length) = match text[opened..].find(&end_tag) {
        Some(at) if !self_closing => (
            Some(&text[opened..opened + at]),
            opened + at + end_tag.len(),
        ),
        _ => (None, opened),
    };
    Some(Shortcode {
        name,
        attributes,
        content,
        length,
    })
}

/// `key="value" key='value' key=value value`: positional values are keyed by position.
pub(super) fn parse_attributes(raw: &str) -> BTreeMap<String, String> {
    let mut attributes = BTreeMap::new();
    let mut rest = raw.trim_start();
    let mut position = 0;
    while !rest.is_empty() {
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        let after_key = rest[key_len..].trim_start();
        if let Some(value_text) = after_key.strip_prefix('=') {
            let value_text = value_text.trim_start();
            let (value, used) = match value_text.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &value_text[1..];
                    let end = body.find(quote).unwrap_or(body.len());
                    (&body[..end], (end + 2).min(value_text.len()))
                }
                _ => {
                    let end = value_text
                        .find(char::is_whitespace)
                        .unwrap_or(value_text.len());
                    (&value_text[..end], end)
                }
            };
            attributes.insert(key.to_ascii_lowercase(), value.to_owned());
            rest = value_text[used..].trim_start();
        } else {
            let value = key.trim_matches(['"', '\'']);
            attributes.insert(position.to_string(), value.to_owned());
            position += 1;
            rest = after_key;
        }
    }
    attributes
}

fn render(
    code: &Shortcode<'_>,
    post_id: i64,
    media: &dyn MediaLookup,
    converted: &mut Converted,
) -> String {
    let attribute = |key: &str| code.attributes.get(key).map(String::as_str);
    match code.name {
        "caption" | "wp_caption" => caption(code, attribute("align"), attribute("caption")),
        "gallery" | "playlist" => {
            let items = match attribute("ids").or(attribute("include")) {
                Some(ids) => ids
                    .split(',')
                    .filter_map(|id| id.trim().parse::<i64>().ok())
                    .filter_map(|id| {
                        let found = media.attachment(id);
                        if found.is_none() {
                            converted.missing_media.insert(id);
                        }
                        found
                    })
                    .collect(),
                None => media.children(
                    attribute("id")
                        .and_then(|id| id.parse().ok())
                        .unwrap_or(post_id),
                ),
            };
            if code.name == "gallery" {
                gallery(&items)
            } else {
                playlist(&items)
            }
        }
        "embed" => {
            // On a line of its own, the link becomes a player where the provider is allowed.
            let link = code.content.unwrap_or("").trim();
            format!("\n\n{link}\n\n")
        }
        "audio" | "video" => player(code),
        _ => String::new(),
    }
}

/// `[caption align="alignright" width="300"]<img …> The caption[/caption]`.
fn caption(code: &Shortcode<'_>, align: Option<&str>, caption: Option<&str>) -> String {
    let content = code.content.unwrap_or("").trim();
    // The image (maybe inside a link) comes first; the rest is the caption.
    let (image, text) = split_image(content);
    let text = caption.map_or_else(|| text.trim().to_owned(), str::to_owned);
    let align = align.unwrap_or("alignnone");
    let mut out = format!("<figure class=\"wp-caption {}\">", escape_html(align));
    out.push_str(image);
    if !text.is_empty() {
        out.push_str("<figcaption class=\"wp-caption-text\">");
        out.push_str(&text);
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>");
    out
}

/// The leading `<img>` (or `<a …><img …></a>`) of a caption's content, and what follows.
fn split_image(content: &str) -> (&str, &str) {
    let lower = content.to_ascii_lowercase();
    let end = if lower.starts_with("<a ") || lower.starts_with("<a>") {
        lower.find("</a>").map(|i| i + 4)
    } else if lower.starts_with("<img") {
        lower.find('>').map(|i| i + 1)
    } else {
        None
    };
    match end {
        Some(end) => content.split_at(end),
        None => ("", content),
    }
}

fn gallery(items: &[super::Attachment]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = String::from("<figure class=\"gallery\">");
    for item in items {
        out.push_str(&format!(
            "<a href=\"{url}\"><img src=\"{url}\" alt=\"{alt}\" loading=\"lazy\"></a>",
            url = escape_html(&item.url),
            alt = escape_html(&item.alt)
        ));
    }
    out.push_str("</figure>");
    out
}

fn playlist(items: &[super::Attachment]) -> String {
    let mut out = String::from("<ul class=\"playlist\">");
    for item in items {
        let title = if item.caption.is_empty() {
            &item.url
        } else {
            &item.caption
        };
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape_html(&item.url),
            escape_html(title)
        ));
    }
    out.push_str("</ul>");
    out
}

/// `[audio src="…"]`, `[video mp4="…"]`: a native player with a link for browsers without one.
fn player(code: &Shortcode<'_>) -> String {
    let formats: &[&str] = if code.name == "audio" {
        &["src", "mp3", "m4a", "ogg", "wav", "wma", "flac"]
    } else {
        &["src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"]
    };
    let Some(src) = formats
        .iter()
        .find_map(|key| code.attributes.get(*key))
        .or_else(|| code.attributes.get("0"))
    else {
        return String::new();
    };
    let src = escape_html(src);
    let mut extra = String::new();
    if code.name == "video" {
        for key in ["poster", "width", "height"] {
            if let Some(value) = code.attributes.get(key) {
                extra.push_str(&format!(" {key}=\"{}\"", escape_html(value)));
            }
        }
    }
    format!(
        "<{name} controls preload=\"metadata\" src=\"{src}\"{extra}><a href=\"{src}\">{src}</a></{name}>",
        name = code.name
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Converted, MediaLookup};
    use super::*;

    struct Library;
    impl MediaLookup for Library {
        fn attachment(&self, id: i64) -> Option<Attachment> {
            (id == 7).then(|| Attachment {
                url: "/wp-content/uploads/2020/01/a.jpg".into(),
                alt: "An A".into(),
                caption: String::new(),
            })
        }
        fn children(&self, _post_id: i64) -> Vec<Attachment> {
            self.attachment(7).into_iter().collect()
        }
    }

    fn run(text: &str) -> (String, Converted) {
        let mut converted = Converted::default();
        let out = expand(text, 1, &Library, &mut converted);
        (out, converted)
    }

    #[test]
    fn captions_become_figures() {
        let (out, _) = run(
            r#"[caption id="attachment_7" align="alignright" width="300"]<img src="a.jpg" alt="x" /> The caption[/caption]"#,
        );
        assert_eq!(
            out,
            r#"<figure class="wp-caption alignright"><img src="a.jpg" alt="x" /><figcaption class="wp-caption-text">The caption</figcaption></figure>"#
        );
    }

    #[test]
    fn galleries_show_their_images_and_report_missing_ones() {
        let (out, converted) = run(r#"[gallery ids="7,8"]"#);
        assert!(out.contains(r#"<img src="/wp-content/uploads/2020/01/a.jpg" alt="An A""#));
        assert!(converted.missing_media.contains(&8));
        let (out, _) = run("[gallery]");
        assert!(out.contains("a.jpg"));
    }

    #[test]
    fn unknown_shortcodes_stay_and_are_listed() {
        let (out, converted) = run(r#"Before [contact-form-7 id="1"] after [[gallery]]"#);
        assert_eq!(out, r#"Before [contact-form-7 id="1"] after [gallery]"#);
        assert!(converted.unknown_shortcodes.contains("contact-form-7"));
    }

    #[test]
    fn players_and_embeds() {
        let (out, _) = run(r#"[audio mp3="/a.mp3"][/audio]"#);
        assert!(out.starts_with(r#"<audio controls preload="metadata" src="/a.mp3">"#));
        let (out, _) = run("[embed]https://www.youtube.com/watch?v=abc[/embed]");
        assert_eq!(out, "\n\nhttps://www.youtube.com/watch?v=abc\n\n");
    }
}
