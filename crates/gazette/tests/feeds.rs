//! Syndication feeds over HTTP on both backends: RSS, Atom and JSON Feed for the journal, its
//! sections, tags and authors, and comment feeds; stable identities, conditional GET, and
//! nothing private ever syndicated. Every feed is read here (quick-xml, or serde for JSON Feed)
//! and its behaviour checked whatever is installed; the validators that are configured check it
//! too: Python's feedparser (which must read RSS and Atom as we do), Atom against RELAX NG with
//! xmllint, JSON Feed against its JSON Schema and by PyPI's jsonfeedvalidator.
//!
//! The tests are in one module per topic; the feed reader and validation they share are here.

use std::path::PathBuf;

use gazette_core::{Article, Publication};
use gazette_store::ArticleFilter;
use gazette_testkit::feed_validators::{
    feedparser, json_schema_errors, jsonfeed_errors, relax_ng_errors,
};
use gazette_testkit::{Backend, TestApp, TestOptions};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde_json::{Value, json};

#[path = "feeds/http.rs"]
mod http;
#[path = "feeds/items.rs"]
mod items;
#[path = "feeds/privacy.rs"]
mod privacy;
#[path = "feeds/validity.rs"]
mod validity;

const BASE: &str = "https://journal.example";

fn schema(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/schemas/{name}"))
}

async fn app(backend: Backend, base_url: Option<&str>) -> Option<TestApp> {
    let publication = Publication {
        base_url: base_url.map(|u| u.parse().unwrap()),
        ..Publication::sample()
    };
    TestApp::spawn_with(
        backend,
        TestOptions {
            demo: true,
            publication: Some(publication),
            ..TestOptions::default()
        },
    )
    .await
}

async fn newest_open_article(app: &TestApp) -> Article {
    app.store
        .published_articles(&ArticleFilter::All, 0, 20)
        .await
        .unwrap()
        .articles
        .into_iter()
        .find(|a| a.password.is_none())
        .expect("a published article without a password")
}

/// The feed at `path` as a reader sees it: JSON Feed as it stands; RSS and Atom in feedparser's
/// shape (`version`, `feed` and `entries` with `id`, `title`, `link`, `published`, `updated`,
/// `summary`, `authors`, `tags`, `content` and `media`), read here. Each validator that is
/// configured checks it first; feedparser must find no fault and read what we read.
async fn valid_feed(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.get_text(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    if path.ends_with("/json/") {
        if let Some(errors) = json_schema_errors(&body, &schema("jsonfeed-1.1.schema.json")) {
            assert!(
                errors.is_empty(),
                "{path} against JSON Feed 1.1: {errors:#?}\n{body}"
            );
        }
        if let Some(errors) = jsonfeed_errors(&body) {
            assert!(
                errors.is_empty(),
                "{path} by jsonfeedvalidator: {errors:#?}\n{body}"
            );
        }
        return serde_json::from_str(&body).unwrap();
    }
    if path.ends_with("/atom/")
        && let Some(errors) = relax_ng_errors(&body, &schema("atom.rng"))
    {
        assert!(
            errors.is_empty(),
            "{path} against Atom's RELAX NG: {errors:#?}\n{body}"
        );
    }
    let ours = read_feed(&body);
    if let Some(theirs) = feedparser(&body) {
        assert_eq!(
            theirs["bozo"], false,
            "{path}: {}\n{body}",
            theirs["bozo_exception"]
        );
        // Content and summaries are left out: feedparser sanitises the HTML it hands over.
        let fields = |feed: &Value| {
            let entries: Vec<Value> = feed["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    json!([
                        e["id"],
                        e["title"],
                        e["link"],
                        e["published"],
                        e["updated"],
                        e["authors"],
                        e["tags"],
                        e["media"]
                    ])
                })
                .collect();
            json!({ "version": feed["version"], "feed": feed["feed"], "entries": entries })
        };
        assert_eq!(
            fields(&theirs),
            fields(&ours),
            "{path}: feedparser (left) reads otherwise than these tests (right)"
        );
    }
    ours
}

/// An element of an XML document: its namespace, local name, attributes (by qualified name),
/// text (its own, not its children's) and child elements.
#[derive(Debug, Default)]
struct Element {
    namespace: String,
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Element>,
}

const ATOM: &str = "http://www.w3.org/2005/Atom";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const MEDIA: &str = "http://search.yahoo.com/mrss/";

impl Element {
    fn parse(xml: &str) -> Self {
        let mut reader = NsReader::from_str(xml);
        let mut stack = vec![Element::default()];
        loop {
            let (resolved, event) = reader.read_resolved_event().unwrap();
            let namespace = match resolved {
                ResolveResult::Bound(ns) => String::from_utf8(ns.as_ref().to_vec()).unwrap(),
                _ => String::new(),
            };
            let open = |start: &BytesStart| Element {
                namespace: namespace.clone(),
                name: String::from_utf8(start.local_name().as_ref().to_vec()).unwrap(),
                attributes: start
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        (key, a.unescape_value().unwrap().into_owned())
                    })
                    .collect(),
                ..Element::default()
            };
            let parent = stack.last_mut().unwrap();
            match event {
                Event::Start(start) => stack.push(open(&start)),
                Event::Empty(start) => parent.children.push(open(&start)),
                Event::End(_) => {
                    let done = stack.pop().unwrap();
                    stack.last_mut().unwrap().children.push(done);
                }
                Event::Text(text) => parent.text.push_str(&text.decode().unwrap()),
                Event::CData(data) => parent.text.push_str(&data.decode().unwrap()),
                Event::GeneralRef(reference) => match reference.resolve_char_ref().unwrap() {
                    Some(c) => parent.text.push(c),
                    None => parent
                        .text
                        .push_str(match reference.decode().unwrap().as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            other => panic!("an undefined entity &{other};"),
                        }),
                },
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "every element is closed");
        let mut document = stack.pop().unwrap();
        assert_eq!(document.children.len(), 1, "one root element");
        document.children.pop().unwrap()
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn all<'a>(&'a self, namespace: &'a str, name: &'a str) -> impl Iterator<Item = &'a Self> {
        self.children
            .iter()
            .filter(move |c| c.namespace == namespace && c.name == name)
    }

    fn text_of(&self, namespace: &str, name: &str) -> Value {
        self.all(namespace, name)
            .next()
            .map_or(Value::Null, |c| c.text.clone().into())
    }

    fn texts_of(&self, namespace: &str, name: &str) -> Vec<String> {
        self.all(namespace, name).map(|c| c.text.clone()).collect()
    }

    /// The `href` of the first Atom `link` with this `rel` (no `rel` is `alternate`).
    fn atom_link(&self, rel: &str) -> Vec<String> {
        self.all(ATOM, "link")
            .filter(|l| l.attribute("rel").unwrap_or("alternate") == rel)
            .filter_map(|l| l.attribute("href").map(str::to_owned))
            .collect()
    }
}

/// An RSS 2.0 or Atom 1.0 feed read into feedparser's shape (see [`valid_feed`]).
fn read_feed(xml: &str) -> Value {
    let root = Element::parse(xml);
    match (root.namespace.as_str(), root.name.as_str()) {
        ("", "rss") => {
            assert_eq!(root.attribute("version"), Some("2.0"), "{xml}");
            let channel = root.all("", "channel").next().unwrap();
            let entries: Vec<Value> = channel
                .all("", "item")
                .map(|item| {
                    let media: Vec<String> = item
                        .all(MEDIA, "content")
                        .filter_map(|m| m.attribute("url").map(str::to_owned))
                        .collect();
                    json!({
                        "id": item.text_of("", "guid"),
                        "title": item.text_of("", "title"),
                        "link": item.text_of("", "link"),
                        "published": item.text_of("", "pubDate"),
                        // As feedparser does, an item without a date of its own for updates
                        // was updated when published.
                        "updated": item.text_of("", "pubDate"),
                        "summary": item.text_of("", "description"),
                        "authors": item.texts_of(DC, "creator"),
                        "tags": item.texts_of("", "category"),
                        "content": item.texts_of(CONTENT, "encoded"),
                        "media": media,
                    })
                })
                .collect();
            json!({
                "version": "rss20",
                "feed": {
                    "title": channel.text_of("", "title"),
                    "link": channel.text_of("", "link"),
                    "language": channel.text_of("", "language"),
                },
                "entries": entries,
            })
        }
        (ATOM, "feed") => {
            let entries: Vec<Value> = root
                .all(ATOM, "entry")
                .map(|entry| {
                    let authors: Vec<String> = entry
                        .all(ATOM, "author")
                        .flat_map(|a| a.texts_of(ATOM, "name"))
                        .collect();
                    let tags: Vec<String> = entry
                        .all(ATOM, "category")
                        .filter_map(|c| c.attribute("term").map(str::to_owned))
                        .collect();
                    json!({
                        "id": entry.text_of(ATOM, "id"),
                        "title": entry.text_of(ATOM, "title"),
                        "link": entry.atom_link("alternate").first(),
                        "published": entry.text_of(ATOM, "published"),
                        "updated": entry.text_of(ATOM, "updated"),
                        "summary": entry.text_of(ATOM, "summary"),
                        "authors": authors,
                        "tags": tags,
                        "content": entry.texts_of(ATOM, "content"),
                        "media": entry.atom_link("enclosure"),
                    })
                })
                .collect();
            json!({
                "version": "atom10",
                "feed": {
                    "title": root.text_of(ATOM, "title"),
                    "link": root.atom_link("alternate").first(),
                    "language": root.attribute("xml:lang"),
                },
                "entries": entries,
            })
        }
        other => panic!("neither RSS 2.0 nor Atom: {other:?}\n{xml}"),
    }
}
