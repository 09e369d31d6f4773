//! RSS 2.0, with the namespaces WordPress's feeds use: `content:encoded` for the whole text,
//! `dc:creator` for authors (RSS's own `author` must be an email address, which we never
//! publish), `atom:link` for the feed's own address and Media RSS for the featured image.

use jiff::Timestamp;

use super::{Feed, Item};
use crate::kernel::xml::{element, escape};

pub(super) fn write(feed: &Feed) -> String {
    let mut out = String::with_capacity(4096 + feed.items.len() * 4096);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"",
        " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"",
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        " xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n"
    ));
    element(&mut out, "title", &feed.title);
    out.push('\n');
    element(&mut out, "link", &feed.page_url);
    out.push('\n');
    // RSS requires a description; the title stands in for an empty one.
    let description = if feed.description.is_empty() {
        &feed.title
    } else {
        &feed.description
    };
    element(&mut out, "description", description);
    out.push('\n');
    element(&mut out, "language", &feed.language);
    out.push('\n');
    element(&mut out, "lastBuildDate", &rfc822(feed.updated));
    out.push('\n');
    element(&mut out, "generator", "Gazette");
    out.push_str(&format!(
        "\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&feed.self_url)
    ));
    for item in &feed.items {
        write_item(&mut out, item);
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn write_item(out: &mut String, item: &Item) {
    out.push_str("<item>\n");
    element(out, "title", &item.title);
    out.push('\n');
    element(out, "link", &item.url);
    out.push_str(&format!(
        "\n<guid isPermaLink=\"false\">{}</guid>\n",
        escape(&item.id)
    ));
    element(out, "pubDate", &rfc822(item.published));
    out.push('\n');
    for author in &item.authors {
        element(out, "dc:creator", &author.name);
        out.push('\n');
    }
    for category in &item.categories {
        element(out, "category", category);
        out.push('\n');
    }
    element(out, "description", &item.summary);
    out.push('\n');
    if let Some(html) = &item.content_html {
        element(out, "content:encoded", html);
        out.push('\n');
    }
    if let Some(image) = &item.image {
        out.push_str(&format!(
            "<media:content url=\"{}\" type=\"{}\" medium=\"image\"/>\n",
            escape(&image.url),
            image.mime
        ));
    }
    out.push_str("</item>\n");
}

/// RFC 822 (as updated by RFC 1123 and RFC 2822), in UTC: `Sat, 28 Nov 2026 17:00:00 +0000`.
fn rfc822(at: Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}
