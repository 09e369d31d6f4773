//! The library images an article body shows, and the sizes a page gives them on output, as
//! WordPress adds `srcset` and `sizes` to the images of its content.
//!
//! An image is the library's when its `src` is a `/media/…` path, or when WordPress tagged it
//! `wp-image-N` (an import records which library item attachment N became), whatever size of
//! it the body shows. The stored body is left as it is: sizes follow the variants the library
//! holds now.

use gazette_core::Media;

/// At most this many images of one body are looked up.
const MAX_IMAGES: usize = 50;
/// The `sizes` of an image whose width the body does not give: the column's width on wide
/// screens, the screen's below.
const COLUMN_SIZES: &str = "(min-width: 48rem) 46rem, 100vw";

/// What a body's images refer to in the library.
#[derive(Debug, Default, PartialEq, Eq)]
struct InlineImages {
    /// Media-store paths of `<img src="/media/…">`.
    paths: Vec<String>,
    /// WordPress attachment ids of `<img class="wp-image-N">`.
    wordpress_ids: Vec<i64>,
}

/// The library images `body` refers to, each once, at most 50 of each kind.
fn referenced(body: &str) -> InlineImages {
    let mut found = InlineImages::default();
    for tag in img_tags(body) {
        let attributes = Attributes::of(tag);
        if let Some(path) = attributes.media_path()
            && !found.paths.iter().any(|p| p == path)
            && found.paths.len() < MAX_IMAGES
        {
            found.paths.push(path.to_owned());
        }
        if let Some(id) = attributes.wordpress_id()
            && !found.wordpress_ids.contains(&id)
            && found.wordpress_ids.len() < MAX_IMAGES
        {
            found.wordpress_ids.push(id);
        }
    }
    found
}

/// The library items a body's images refer to.
#[derive(Debug, Default)]
pub(crate) struct Library {
    pub(crate) by_path: Vec<Media>,
    /// With the WordPress attachment id each was.
    pub(crate) by_wordpress_id: Vec<(i64, Media)>,
}

impl Library {
    /// Looks up what `body`'s images refer to.
    pub(crate) async fn of(
        store: &gazette_store::Store,
        body: &str,
    ) -> Result<Self, gazette_store::StoreError> {
        let wanted = referenced(body);
        Ok(Self {
            by_path: store.media_by_paths(&wanted.paths).await?,
            by_wordpress_id: store.media_by_wordpress_ids(&wanted.wordpress_ids).await?,
        })
    }

    /// `body` with its library images sized: see [`with_sizes`].
    pub(crate) fn sized(&self, body: &str) -> String {
        with_sizes(body, &self.by_path, &self.by_wordpress_id)
    }
}

/// `body` with `srcset`, `sizes` and lazy loading added to each library image that has no
/// `srcset` of its own: from the item its `wp-image-N` class names, else the one at its path.
fn with_sizes(body: &str, by_path: &[Media], by_wordpress_id: &[(i64, Media)]) -> String {
    let mut html = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(at) = rest.find("<img") {
        let Some(len) = tag_len(&rest[at..]) else {
            break;
        };
        let tag = &rest[at..at + len];
        html.push_str(&rest[..at]);
        let attributes = Attributes::of(tag);
        let media = attributes
            .wordpress_id()
            .and_then(|id| {
                by_wordpress_id
                    .iter()
                    .find(|(wp, _)| *wp == id)
                    .map(|(_, m)| m)
            })
            .or_else(|| {
                let path = attributes.media_path()?;
                by_path.iter().find(|m| m.path == path)
            })
            .filter(|m| !m.variant_widths.is_empty());
        match media {
            Some(media) if attributes.get("srcset").is_none() => {
                html.push_str(&sized(tag, &attributes, media));
            }
            _ => html.push_str(tag),
        }
        rest = &rest[at + len..];
    }
    html.push_str(rest);
    html
}

/// The tag with the item's sizes before its end.
fn sized(tag: &str, attributes: &Attributes<'_>, media: &Media) -> String {
    let body = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
    let sizes = match attributes.get("width").and_then(|w| w.parse::<u32>().ok()) {
        // WordPress's own rule for an image shown at a given width.
        Some(width) => format!("(max-width: {width}px) 100vw, {width}px"),
        None => COLUMN_SIZES.to_owned(),
    };
    let lazy = if attributes.get("loading").is_none() {
        " loading=\"lazy\""
    } else {
        ""
    };
    format!(
        "{body} srcset=\"{}\" sizes=\"{sizes}\"{lazy}>",
        media.srcset()
    )
}

/// Every `<img …>` tag of `html`.
fn img_tags(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        let at = rest.find("<img")?;
        let len = tag_len(&rest[at..])?;
        let tag = &rest[at..at + len];
        rest = &rest[at + len..];
        Some(tag)
    })
}

/// The length of the tag `html` starts with, up to its `>` outside quotes.
fn tag_len(html: &str) -> Option<usize> {
    let mut quote = None;
    for (at, c) in html.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), c) if c == open => quote = None,
            (None, '>') => return Some(at + 1),
            _ => {}
        }
    }
    None
}

/// A tag's attributes, as written (names lower-cased by the parser that serialised them, or
/// as typed in raw HTML).
struct Attributes<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Attributes<'a> {
    fn of(tag: &'a str) -> Self {
        let mut pairs = Vec::new();
        let mut rest = tag.trim_start_matches("<img");
        loop {
            rest = rest.trim_start();
            let name_len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
                .unwrap_or(rest.len());
            if name_len == 0 {
                // `/` or `>`: the end, or a stray slash to step over.
                match rest.chars().next() {
                    Some('/') => {
                        rest = &rest[1..];
                        continue;
                    }
                    _ => break,
                }
            }
            let name = &rest[..name_len];
            rest = rest[name_len..].trim_start();
            let value = if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (value, remaining) = split_value(after);
                rest = remaining;
                value
            } else {
                ""
            };
            pairs.push((name, value));
        }
        Self(pairs)
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The media-store path of a `/media/…` source.
    fn media_path(&self) -> Option<&'a str> {
        self.get("src")?.strip_prefix("/media/")
    }

    /// The attachment id of a `wp-image-N` class.
    fn wordpress_id(&self) -> Option<i64> {
        self.get("class")?
            .split_ascii_whitespace()
            .find_map(|class| class.strip_prefix("wp-image-")?.parse().ok())
    }
}

/// An attribute value (quoted or not) and what follows it.
fn split_value(text: &str) -> (&str, &str) {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &text[1..];
            match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            }
        }
        _ => {
            let end = text
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_item(path: &str, width: u32, variants: &[u32]) -> Media {
        Media {
            id: gazette_core::MediaId(1),
            path: path.to_owned(),
            original_name: String::new(),
            format: gazette_core::ImageFormat::Jpeg,
            width,
            height: width / 2,
            byte_size: 0,
            animated: false,
            alt: String::new(),
            caption: String::new(),
            credit: String::new(),
            variant_widths: variants.to_vec(),
            focus: gazette_core::FocalPoint::CENTRE,
            crops_focus: None,
            uploaded_by: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn images_are_found_by_path_and_by_wordpress_id() {
        let body = r#"<p><img class="alignleft wp-image-906 size-medium" src="/media/2013/03/a.jpg" alt="a > b" width="300"></p>
            <img src="/media/2013/03/a.jpg"><img class='wp-image-7' src=https://old.example/x.jpg />"#;
        assert_eq!(
            referenced(body),
            InlineImages {
                paths: vec!["2013/03/a.jpg".to_owned()],
                wordpress_ids: vec![906, 7],
            }
        );
    }

    #[test]
    fn sizes_come_from_the_item_wordpress_named_and_classes_stay() {
        let named = library_item("2013/03/named.jpg", 1200, &[320, 640, 1024]);
        let body = r#"<img class="aligncenter size-medium wp-image-906" src="/media/2013/03/named-300x150.jpg" alt="a > b" width="300" height="150">"#;
        let html = with_sizes(body, &[], &[(906, named.clone())]);
        assert!(html.starts_with(r#"<img class="aligncenter size-medium wp-image-906" src="/media/2013/03/named-300x150.jpg" alt="a > b" width="300" height="150" srcset=""#), "{html}");
        assert!(
            html.contains(&format!("srcset=\"{}\"", named.srcset())),
            "{html}"
        );
        assert!(
            html.ends_with(r#" sizes="(max-width: 300px) 100vw, 300px" loading="lazy">"#),
            "{html}"
        );
    }

    #[test]
    fn a_path_finds_its_item_and_an_own_srcset_is_kept() {
        let item = library_item("2026/01/boat.jpg", 1600, &[320, 640]);
        let html = with_sizes(
            r#"<img src="/media/2026/01/boat.jpg" alt="">"#,
            std::slice::from_ref(&item),
            &[],
        );
        assert!(
            html.contains(&format!(
                "srcset=\"{}\" sizes=\"{COLUMN_SIZES}\" loading=\"lazy\">",
                item.srcset()
            )),
            "{html}"
        );
        let own = r#"<img src="/media/2026/01/boat.jpg" srcset="/x.jpg 1w">"#;
        assert_eq!(with_sizes(own, std::slice::from_ref(&item), &[]), own);
        let still = library_item("2026/01/gif.gif", 200, &[]);
        let gif = r#"<img src="/media/2026/01/gif.gif">"#;
        assert_eq!(
            with_sizes(gif, &[still], &[]),
            gif,
            "no variants, nothing to add"
        );
        assert_eq!(
            with_sizes("<p>no images</p><img", &[item], &[]),
            "<p>no images</p><img"
        );
    }
}
