//! Writing in the Markdown editor: the toolbar and shortcuts write the marks a writer would
//! type, the word count follows, and what is saved is exactly the text in the editor; any
//! article's Markdown opened and saved through the editor comes back byte for byte.

use gazette_core::{ArticleId, Publication};
use std::time::Duration;

use gazette_testkit::browser::{self, Browser};
use gazette_testkit::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, TestApp, TestOptions};

use super::{as_administrator, editing_id, eventually, fill_and_press, sign_in, text_of};

in_chromium_on_both_backends! {
    write_with_the_toolbar => writing_with_the_toolbar_on_sqlite, writing_with_the_toolbar_on_postgres;
}

/// WebDriver's codes for keys that are not characters.
const CONTROL: &str = "\u{E009}";
/// Releases the modifier keys pressed so far.
const RELEASE: &str = "\u{E000}";
const ENTER: &str = "\u{E007}";
pub(super) const END: &str = "\u{E010}";

pub(super) const EDITOR: &str = ".markdown-editor .cm-content";

async fn press_format(browser: &Browser, name: &str) {
    browser
        .click(&format!(".editor-toolbar button[data-format='{name}']"))
        .await;
}

pub(super) async fn body_field(browser: &Browser) -> String {
    let value = browser
        .execute("return document.getElementById('body').value", &[])
        .await;
    value.as_str().unwrap_or_default().to_owned()
}

pub(super) async fn stored_body(app: &TestApp, id: i64) -> String {
    app.store
        .article(ArticleId(id))
        .await
        .unwrap()
        .unwrap()
        .body_source
}

async fn write_with_the_toolbar(backend: Backend) {
    let Some((_serial, browser, app)) = as_administrator(backend).await else {
        return;
    };
    // On a phone the back office's grouped navigation fits the screen.
    browser.set_window_size(390, 844).await;
    browser.goto(&app.url("/admin/")).await;
    let groups = browser
        .execute(
            "return [...document.querySelectorAll('.nav-group-name')].map(g => g.textContent)",
            &[],
        )
        .await;
    assert_eq!(
        groups,
        serde_json::json!(["Content", "Audience", "Site", "People"])
    );
    let fits = browser
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            &[],
        )
        .await;
    assert_eq!(fits, true, "no sideways scrolling on a phone");
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());
    browser.goto(&app.url("/admin/articles/new")).await;
    let hidden = browser
        .execute("return document.getElementById('body').hidden", &[])
        .await;
    assert_eq!(hidden, true, "the editor takes the textarea's place");
    assert_eq!(browser.axe_violations().await, Vec::<String>::new());

    browser.click(EDITOR).await;
    // A shortcut with nothing selected leaves the cursor between the marks.
    browser
        .send_keys(EDITOR, &format!("Boats {CONTROL}b{RELEASE}sail"))
        .await;
    browser
        .send_keys(
            EDITOR,
            &format!("{END} again from Monday.{ENTER}{ENTER}Harbour news"),
        )
        .await;
    press_format(&browser, "Heading").await;
    browser
        .send_keys(EDITOR, &format!("{END}{ENTER}{ENTER}"))
        .await;
    press_format(&browser, "Quote").await;
    browser.send_keys(EDITOR, "We are back.").await;
    press_format(&browser, "Attribution").await;
    browser.send_keys(EDITOR, "The captain").await;
    press_format(&browser, "Footnote").await;
    browser.send_keys(EDITOR, "Port authority.").await;

    let expected = "Boats **sail** again from Monday.\n\n## Harbour news\n\n\
                    > We are back.\n>\n> — The captain[^1]\n\n[^1]: Port authority.";
    assert_eq!(body_field(&browser).await, expected);
    assert_eq!(
        browser.find_text(".editor-length").await,
        "14 words · 1 min read"
    );
    // Drawn as it will read: the heading large, the marks of lines away from the cursor hidden.
    let drawn = browser
        .execute(
            "const h = document.querySelector('.cm-line.md-h2');
             return [h ? h.textContent : null, !!document.querySelector('.md-strong')];",
            &[],
        )
        .await;
    assert_eq!(drawn, serde_json::json!(["Harbour news", true]));

    // How it will be listed, as the fields are typed, with the lengths shown.
    browser.send_keys("#headline", "Ferries return").await;
    assert_eq!(
        browser.find_text(".search-result-title").await,
        "Ferries return"
    );
    assert_eq!(browser.find_text("#title-length").await, "14");
    browser
        .send_keys("#seo_description", &"Boats sail again. ".repeat(10))
        .await;
    let over = browser
        .execute(
            "return document.getElementById('description-length').className",
            &[],
        )
        .await;
    assert_eq!(
        over, "over-limit",
        "180 characters is more than search engines show"
    );
    // The preview shows the body as published (rendered a moment after typing stops), and on
    // a wide screen it stands beside the text.
    eventually("the live preview", Duration::from_secs(5), || async {
        let preview = browser
            .execute(
                "return document.getElementById('live-preview').getAttribute('srcdoc')",
                &[],
            )
            .await;
        preview
            .as_str()
            .unwrap_or("")
            .contains("<strong>sail</strong>")
    })
    .await;
    browser.set_window_size(1600, 1000).await;
    let beside = browser
        .execute(
            "const text = document.querySelector('.writing-text').getBoundingClientRect();
             const preview = document.querySelector('.live-preview').getBoundingClientRect();
             return preview.left >= text.right && preview.top < text.bottom;",
            &[],
        )
        .await;
    assert_eq!(beside, true, "the preview beside the text");
    fill_and_press(&browser, &[], "button[value=publish]").await;
    let id = editing_id(&browser).await;
    assert_eq!(stored_body(&app, id).await, expected, "saved exactly");
    app.caught_up().await;
    let path = app.published_path(ArticleId(id)).await;
    let (_, page) = app.get_text(&path).await;
    assert!(page.contains("<strong>sail</strong>"), "{page}");
    assert!(page.contains("Harbour news</h2>"), "{page}");
    assert!(page.contains("<blockquote>"), "{page}");

    // Opened again, the editor shows the saved text, and the library's code goes in at the
    // cursor through it.
    browser
        .goto(&app.url(&format!("/admin/articles/{id}")))
        .await;
    assert!(text_of(&browser).await.contains("Port authority."));
}

/// Bodies whose Markdown a rewriting editor would change: other marks for the same emphasis,
/// other bullets, setext headings, hard breaks, references, entities, escapes, footnotes,
/// tables, raw HTML, fences, nesting, and text without a final newline or with a leading one.
const EDGE_CASES: &[&str] = &[
    "*a* and _b_, **c** and __d__\n",
    "- one\n- two\n\n* three\n* four\n\n+ five\n",
    "3) three\n4) four\n",
    "Title\n=====\n\nSub\n---\n",
    "## Heading ##\n",
    "line one  \nline two\\\nline three\n",
    "See [the site][site] and [other].\n\n[site]: https://example.com \"Title\"\n[other]: <https://other.example>\n",
    "Mail <https://x.example> &copy; 2024\n",
    "1\\. not a list, \\*not em\\*, a_b_c\n",
    "Text with a note.[^1]\n\n[^1]: The note.\n",
    "| Left | Center | Right |\n|:-----|:------:|------:|\n| a | b | c |\n",
    "<div class=\"box\">\n  <b>raw</b>\n</div>\n\nAfter.\n",
    "~~gone~~\n\n- [ ] todo\n- [x] done\n",
    "***\n\n~~~js\nlet x = 1;\n~~~\n",
    "> quote\n> - item\n>   continued\n",
    "# Title\n\nBody",
    "\nA leading blank line, and trailing spaces.   \n\n\n",
    "\tTabbed code\n\n    Indented code\n",
    "Ünïcödé — “quotes” ‘single’ … 中文 עברית 🙂\n",
];

/// Every Markdown body (the demo journal's, the corpus generator's, the edge cases above)
/// opened in the editor and saved unchanged is stored byte for byte as it was.
async fn markdown_comes_back_unchanged(backend: Backend) {
    let _serial = browser::exclusive().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let options = TestOptions {
        demo: true,
        publication: Some(Publication::sample()),
        ..TestOptions::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let http = app.admin_client().await;
    let corpus = gazette::corpus::CorpusSpec {
        articles: 6,
        comments: 0,
        seed: 11,
        newest: "2026-11-01T00:00:00Z".parse().unwrap(),
    };
    let generated: Vec<String> = corpus.articles().map(|article| article.body).collect();
    let mut ids = Vec::new();
    for (n, body) in EDGE_CASES
        .iter()
        .copied()
        .chain(generated.iter().map(String::as_str))
        .enumerate()
    {
        let headline = format!("Sample {n}");
        let fields = [
            ("headline", headline.as_str()),
            ("body", body),
            ("action", "save"),
        ];
        let id = app.write_article(&http, &fields).await;
        assert_eq!(stored_body(&app, id.0).await, body, "stored as sent");
        ids.push((id.0, body.to_owned()));
    }
    let demo = app
        .store
        .published_articles(&gazette_store::ArticleFilter::All, 0, 100)
        .await
        .unwrap()
        .articles;
    ids.extend(
        demo.into_iter()
            .filter(|a| a.body_format == gazette_core::BodyFormat::Markdown)
            .map(|a| (a.id.0, a.body_source)),
    );
    assert!(
        ids.len() > EDGE_CASES.len() + generated.len(),
        "demo articles too"
    );

    sign_in(&browser, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for (id, body) in ids {
        browser
            .goto(&app.url(&format!("/admin/articles/{id}")))
            .await;
        let mounted = browser
            .execute(
                "return document.getElementById('body').dataset.richEditor",
                &[],
            )
            .await;
        assert_eq!(mounted, "on", "article {id} opens in the editor");
        fill_and_press(&browser, &[], "button[value=save]").await;
        assert_eq!(
            stored_body(&app, id).await,
            body,
            "article {id} through the editor"
        );
    }
}

/// The round trip is the browser's and the editor's: one backend is enough (the stores' text
/// round trip is in their contract).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(gazette_test_chromedriver, gazette_test_axe)),
    ignore = "needs GAZETTE_TEST_CHROMEDRIVER and GAZETTE_TEST_AXE (see README)"
)]
async fn markdown_comes_back_unchanged_through_the_editor() {
    markdown_comes_back_unchanged(Backend::Sqlite).await;
}
