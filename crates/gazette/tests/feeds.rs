//! Syndication feeds over HTTP on both backends: RSS, Atom and JSON Feed for the journal, its
//! sections, tags and authors, and comment feeds; stable identities, conditional GET, and
//! nothing private ever syndicated. Every feed is read here (quick-xml, or serde for JSON Feed)
//! and its behaviour checked whatever is installed; the validators that are configured check it
//! too: Python's feedparser (which must read RSS and Atom as we do), Atom against RELAX NG with
//! xmllint, JSON Feed against its JSON Schema and by PyPI's jsonfeedvalidator.

use std::path::PathBuf;

use gazette_core::{
    Article, ArticleId, Clock as _, CommentKind, CommentStatus, Publication, SafeHtml,
};
use gazette_store::{ArticleFilter, NewComment};
use gazette_testkit::feed_validators::{
    feedparser, json_schema_errors, jsonfeed_errors, relax_ng_errors,
};
use gazette_testkit::{Backend, TestApp, TestOptions, client};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde_json::{Value, json};

gazette_testkit::on_both_backends!(
    every_feed_is_valid_in_every_format,
    items_keep_their_identity_and_minor_edits_are_not_announced,
    private_and_protected_content_is_never_syndicated,
    feeds_answer_conditional_requests_and_name_their_type,
    without_a_base_url_links_follow_the_request_and_are_not_shared,
);

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

async fn approved_comment(app: &TestApp, article: ArticleId, text: &str) {
    let comment = NewComment {
        article,
        parent: None,
        answered: None,
        depth: 0,
        status: CommentStatus::Approved,
        kind: CommentKind::Comment,
        author_name: "Reader <One>".to_owned(),
        author_email: "reader@example.net".to_owned(),
        author_url: String::new(),
        author_ip: Some("192.0.2.7".to_owned()),
        user_agent: "test".to_owned(),
        person: None,
        body: text.to_owned(),
        body_html: SafeHtml::from_text(text),
        score: 0,
        reasons: Vec::new(),
        submission_key: None,
        wants_replies: false,
        commenter_key: None,
    };
    app.store
        .write(|tx| Box::pin(async move { tx.insert_comment(&comment).await }))
        .await
        .unwrap();
    app.caught_up().await;
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

async fn every_feed_is_valid_in_every_format(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let article = newest_open_article(&app).await;
    let article_path = app.published_path(article.id).await;
    approved_comment(&app, article.id, "Well reported & <fair>.").await;

    for listing in [
        "/",
        "/category/world/",
        "/tag/climate/",
        "/author/amara-okafor/",
        "/comments/",
        &article_path,
    ] {
        for suffix in ["feed/", "feed/atom/", "feed/json/"] {
            let path = format!("{listing}{suffix}");
            let feed = valid_feed(&app, &path).await;
            let entries = feed.get("entries").or(feed.get("items")).unwrap();
            let entries = entries.as_array().unwrap();
            assert!(!entries.is_empty(), "{path} lists something");
            for entry in entries {
                let link = entry
                    .get("link")
                    .or(entry.get("url"))
                    .unwrap()
                    .as_str()
                    .unwrap();
                assert!(link.starts_with(BASE), "{path}: absolute links ({link})");
            }
        }
    }

    // The site feed in detail, as feedparser reads it.
    let rss = valid_feed(&app, "/feed/").await;
    assert_eq!(rss["version"], "rss20");
    assert_eq!(rss["feed"]["title"], "The Gazette Chronicle");
    assert_eq!(rss["feed"]["link"], format!("{BASE}/"));
    let first = &rss["entries"][0];
    assert!(
        first["id"].as_str().unwrap().starts_with("urn:uuid:"),
        "{first}"
    );
    assert!(!first["authors"].as_array().unwrap().is_empty(), "{first}");
    assert!(!first["tags"].as_array().unwrap().is_empty(), "{first}");
    let content = first["content"][0].as_str().unwrap();
    assert!(content.contains("<p>"), "the whole text: {content}");
    assert!(
        !content.contains("src=\"/"),
        "absolute media links: {content}"
    );
    let media = first["media"].as_array().unwrap();
    assert!(
        media
            .iter()
            .any(|m| m.as_str().unwrap().starts_with(&format!("{BASE}/media/"))),
        "the featured image: {first}"
    );
    let atom = valid_feed(&app, "/feed/atom/").await;
    assert_eq!(atom["version"], "atom10");
    assert_eq!(
        atom["entries"][0]["id"], first["id"],
        "one identity in every format"
    );
    let json = valid_feed(&app, "/feed/json/").await;
    assert_eq!(json["items"][0]["id"], first["id"]);

    // Comments: named, never with an email address or IP.
    let comments = valid_feed(&app, "/comments/feed/").await;
    let comment = &comments["entries"][0];
    assert_eq!(
        comment["content"][0], "Well reported &amp; &lt;fair&gt;.",
        "{comment}"
    );
    assert_eq!(comment["authors"][0], "Reader <One>", "{comment}");
    let (_, text) = app.get_text("/comments/feed/").await;
    assert!(!text.contains("reader@example.net") && !text.contains("192.0.2.7"));

    // Discovery: every page names the journal's feeds, archives and articles their own.
    let (_, home) = app.get_text("/").await;
    for href in ["/feed/", "/feed/atom/", "/feed/json/", "/comments/feed/"] {
        assert!(
            home.contains(&format!("href=\"{href}\"")),
            "home links {href}"
        );
    }
    let (_, section) = app.get_text("/category/world/").await;
    assert!(section.contains(r#"type="application/rss+xml" title="World – The Gazette Chronicle (RSS)" href="/category/world/feed/""#), "{section}");
    let (_, page) = app.get_text(&article_path).await;
    assert!(
        page.contains(&format!("href=\"{article_path}feed/\"")),
        "the article's comments feed"
    );

    // Feeds that name nothing are not found; other spellings redirect.
    assert_eq!(app.get("/tag/no-such-tag/feed/").await.status(), 404);
    assert_eq!(app.get("/2026/01/feed/").await.status(), 404);
    assert_eq!(app.get("/no-such-article/feed/").await.status(), 404);
    assert_eq!(
        app.status_and_location("/feed/rss2/").await,
        (301, "/feed/".to_owned())
    );
    assert_eq!(
        app.status_and_location("/feed/atom").await,
        (301, "/feed/atom/".to_owned())
    );
}

async fn items_keep_their_identity_and_minor_edits_are_not_announced(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let article = newest_open_article(&app).await;
    let entry = |feed: &Value| {
        feed["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["title"] == article.headline.as_str())
            .cloned()
            .unwrap()
    };
    let before = entry(&valid_feed(&app, "/feed/atom/").await);

    // A typo fixed and a new slug: same id, same updated time.
    app.clock.advance(jiff::SignedDuration::from_hours(2));
    let mut edited = article.clone();
    edited.headline = format!("{} (corrected)", article.headline);
    edited.slug = gazette_core::Slug::parse("a-corrected-slug").unwrap();
    let saved = edited.clone();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&saved).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let after = valid_feed(&app, "/feed/atom/").await;
    let after = after["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == before["id"])
        .cloned()
        .expect("the same id after a new slug");
    assert_eq!(
        after["updated"], before["updated"],
        "a minor edit is not announced"
    );
    assert!(after["link"].as_str().unwrap().contains("a-corrected-slug"));

    // A significant update moves `updated`, never the id.
    let mut significant = edited;
    significant.significantly_updated_at = Some(app.clock.now());
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&significant).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let later = valid_feed(&app, "/feed/atom/").await;
    let later = later["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == before["id"])
        .cloned()
        .unwrap();
    assert_ne!(later["updated"], before["updated"], "{later}");

    // An imported article keeps its WordPress guid.
    let mut imported = newest_open_article(&app).await;
    imported.legacy_guid = Some("http://old.example/?p=123".to_owned());
    let guid_holder = imported.clone();
    app.store
        .write(|tx| Box::pin(async move { tx.update_article(&guid_holder).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let (_, rss) = app.get_text("/feed/").await;
    assert!(
        rss.contains(r#"<guid isPermaLink="false">http://old.example/?p=123</guid>"#),
        "{rss}"
    );
}

async fn private_and_protected_content_is_never_syndicated(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    let http = app.admin_client().await;
    let secret_id = app
        .write_article(
            &http,
            &[
                ("headline", "Embargoed figures"),
                ("body", "The secret body text."),
                ("password", "letmein"),
                ("action", "publish"),
            ],
        )
        .await;
    app.write_article(
        &http,
        &[
            ("headline", "A draft nobody sees"),
            ("body", "Draft body."),
            ("action", "save"),
        ],
    )
    .await;
    approved_comment(&app, secret_id, "A comment behind the password.").await;
    app.caught_up().await;

    for path in ["/feed/", "/feed/atom/", "/feed/json/"] {
        let (_, feed) = app.get_text(path).await;
        assert!(
            feed.contains("Embargoed figures"),
            "{path}: listed by headline"
        );
        assert!(
            !feed.contains("The secret body text"),
            "{path}: never the text"
        );
        assert!(!feed.contains("A draft nobody sees"), "{path}: no drafts");
    }
    let (_, comments) = app.get_text("/comments/feed/").await;
    assert!(!comments.contains("behind the password"), "{comments}");
    let secret_path = app.published_path(secret_id).await;
    assert_eq!(app.get(&format!("{secret_path}feed/")).await.status(), 404);

    // Excerpts only, when the journal chooses so.
    let mut publication = app.store.publication().await.unwrap().unwrap();
    publication.feeds.full_text = false;
    app.store
        .write(|tx| Box::pin(async move { tx.put_publication(&publication).await }))
        .await
        .unwrap();
    app.caught_up().await;
    let rss = valid_feed(&app, "/feed/").await;
    let entry = &rss["entries"][1];
    assert!(entry["content"].as_array().unwrap().is_empty(), "{entry}");
    assert!(!entry["summary"].as_str().unwrap().is_empty(), "{entry}");
    valid_feed(&app, "/feed/json/").await;
}

async fn feeds_answer_conditional_requests_and_name_their_type(backend: Backend) {
    let Some(app) = app(backend, Some(BASE)).await else {
        return;
    };
    for (path, mime) in [
        ("/feed/", "application/rss+xml; charset=utf-8"),
        ("/feed/atom/", "application/atom+xml; charset=utf-8"),
        ("/feed/json/", "application/feed+json; charset=utf-8"),
    ] {
        let first = app.get(path).await;
        assert_eq!(first.headers()["content-type"], mime);
        let etag = first.headers()["etag"].clone();
        let modified = first.headers()["last-modified"].clone();
        let by_etag = client()
            .get(app.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(by_etag.status(), 304, "{path}");
        let by_date = client()
            .get(app.url(path))
            .header("if-modified-since", modified.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(by_date.status(), 304, "{path}");
        let older = client()
            .get(app.url(path))
            .header("if-modified-since", "Thu, 01 Jan 2015 00:00:00 GMT")
            .send()
            .await
            .unwrap();
        assert_eq!(older.status(), 200, "{path}");
    }
}

async fn without_a_base_url_links_follow_the_request_and_are_not_shared(backend: Backend) {
    let Some(app) = app(backend, None).await else {
        return;
    };
    let (_, ours) = app.get_text("/feed/").await;
    let origin = format!("http://{}", app.address);
    assert!(ours.contains(&format!("<link>{origin}/</link>")), "{ours}");
    let theirs = client()
        .get(app.url("/feed/"))
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("http://attacker.example/"));
    let (_, again) = app.get_text("/feed/").await;
    assert!(
        !again.contains("attacker.example"),
        "no one else gets that copy"
    );
    let (_, bad) = {
        let response = client()
            .get(app.url("/feed/"))
            .header("host", "evil.example/<script>")
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    assert!(!bad.contains("<script>"));
}
