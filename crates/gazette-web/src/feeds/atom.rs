//! Atom 1.0 (RFC 4287). The feed names the publication as its author, so every entry has one
//! even when an article has no byline.

use gazette_core::digits::utc;

use super::{Feed, Item};
use crate::kernel::xml::{element, escape};

pub(super) fn write(feed: &Feed) -> String {
    let mut out = String::with_capacity(4096 + feed.items.len() * 4096);
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&feed.language)
    ));
    element(&mut out, "id", &feed.self_url);
    out.push('\n');
    element(&mut out, "title", &feed.title);
    out.push('\n');
    if !feed.description.is_empty() {
        element(&mut out, "subtitle", &feed.description);
        out.push('\n');
    }
    element(&mut out, "updated", &utc(feed.updated));
    out.push_str(&format!(
        "\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<author>",
        escape(&feed.page_url),
        escape(&feed.self_url)
    ));
    element(&mut out, "name", &feed.publisher);
    out.push_str("</author>\n<generator>Gazette</generator>\n");
    for item in &feed.items {
        write_entry(&mut out, item);
    }
    out.push_str("</feed>\n");
    out
}

fn write_entry(out: &mut String, item: &Item) {
    out.push_str("<entry>\n");
    element(out, "id", &item.id);
    out.push('\n');
    element(out, "title", &item.title);
    out.push_str(&format!(
        "\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&item.url)
    ));
    element(out, "published", &utc(item.published));
    out.push('\n');
    element(out, "updated", &utc(item.updated));
    out.push('\n');
    for author in &item.authors {
        out.push_str("<author>");
        element(out, "name", &author.name);
        if let Some(url) = &author.url {
            element(out, "uri", url);
        }
        out.push_str("</author>\n");
    }
    for category in &item.categories {
        out.push_str(&format!("<category term=\"{}\"/>\n", escape(category)));
    }
    if !item.summary.is_empty() {
        element(out, "summary", &item.summary);
        out.push('\n');
    }
    if let Some(html) = &item.content_html {
        out.push_str(&format!(
            "<content type=\"html\">{}</content>\n",
            escape(html)
        ));
    }
    if let Some(image) = &item.image {
        out.push_str(&format!(
            "<link rel=\"enclosure\" type=\"{}\" href=\"{}\"/>\n",
            image.mime,
            escape(&image.url)
        ));
    }
    out.push_str("</entry>\n");
}
