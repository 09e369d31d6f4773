//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>).

use serde::Serialize;

use gazette_core::digits::utc;

use super::{Feed, Item};

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    authors: Vec<Author<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    /// One of `content_html` and `content_text` is required: the excerpt stands in as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
}

pub(super) fn write(feed: &Feed) -> String {
    let document = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.page_url,
        feed_url: &feed.self_url,
        description: &feed.description,
        language: &feed.language,
        authors: vec![Author {
            name: &feed.publisher,
            url: None,
        }],
        items: feed.items.iter().map(item).collect(),
    };
    // Serialising these plain structs cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn item(item: &Item) -> JsonItem<'_> {
    JsonItem {
        id: &item.id,
        url: &item.url,
        title: &item.title,
        content_html: item.content_html.as_deref(),
        content_text: item.content_html.is_none().then_some(item.summary.as_str()),
        summary: &item.summary,
        image: item.image.as_ref().map(|i| i.url.as_str()),
        date_published: utc(item.published),
        date_modified: utc(item.updated),
        authors: item
            .authors
            .iter()
            .map(|a| Author {
                name: &a.name,
                url: a.url.as_deref(),
            })
            .collect(),
        tags: &item.categories,
    }
}
