use super::html_to_markdown;
use crate::markdown::to_html;
use crate::sanitize_html;

/// What readers would see of Markdown: rendered and sanitised, as bodies are.
fn shown(markdown: &str) -> String {
    sanitize_html(&to_html(markdown)).as_str().to_owned()
}

#[test]
fn a_google_docs_paste_keeps_its_emphasis_and_drops_its_styles() {
    let pasted = r#"<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5d1"><p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;">Council</span><span style="font-size:11pt;font-weight:400;"> votes </span><span style="font-style:italic;font-weight:400;">tonight</span><span style="font-weight:400;">.</span></p><ul style="margin-top:0"><li dir="ltr" style="list-style-type:disc"><p dir="ltr"><span>Budget</span></p></li><li dir="ltr"><p dir="ltr"><span>Roads</span></p></li></ul></b><br class="Apple-interchange-newline">"#;
    assert_eq!(
        html_to_markdown(pasted),
        "**Council** votes *tonight*.\n\n- Budget\n- Roads"
    );
}

#[test]
fn a_word_paste_loses_its_office_markup() {
    let pasted = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><style>p.MsoNormal{margin:0}</style></head>\
        <body><!--[if gte mso 9]><xml>x</xml><![endif]--><p class=MsoNormal><b><span style='font-size:12.0pt'>Harbour reopens<o:p></o:p></span></b></p>\
        <p class=MsoNormal><span lang=EN-GB>Ferries run from <i>Monday</i>.</span></p></body></html>";
    assert_eq!(
        html_to_markdown(pasted),
        "**Harbour reopens**\n\nFerries run from *Monday*."
    );
}

#[test]
fn a_web_page_keeps_its_structure() {
    let pasted = r#"<div class="article"><h1>Storm warning</h1><div>Winds of <strong>120 km/h</strong>, says the <a href="https://met.example/warn ings" title="The &quot;office&quot;">met office</a>.<br>Stay inside.</div>
        <blockquote><p>Do not travel.</p><p>— The mayor</p></blockquote>
        <ol start="3"><li>Close shutters<ul><li>all of them</li></ul></li><li>Charge phones</li></ol>
        <pre><code class="language-sh">echo `date`</code></pre><p>Use <code>a`b</code> and <s>not</s> <img src="/media/2026/12/map.png" alt="Map [north]"></p>
        <table><tr><th>Town</th><th>Wind</th></tr><tr><td>Rye | East</td><td><b>90</b></td></tr></table>
        <script>alert(1)</script><style>.x{}</style></div>"#;
    let markdown = html_to_markdown(pasted);
    assert_eq!(
        markdown,
        "# Storm warning\n\n\
         Winds of **120 km/h**, says the [met office](https://met.example/warn%20ings \"The \\\"office\\\"\").\\\nStay inside.\n\n\
         > Do not travel.\n>\n> — The mayor\n\n\
         3. Close shutters\n   - all of them\n4. Charge phones\n\n\
         ```sh\necho `date`\n```\n\n\
         Use ``a`b`` and ~~not~~ ![Map \\[north\\]](/media/2026/12/map.png)\n\n\
         | Town | Wind |\n| --- | --- |\n| Rye \\| East | **90** |"
    );
    assert!(shown(&markdown).contains("<ol start=\"3\">"));
}

#[test]
fn text_that_looks_like_markup_stays_text() {
    let pasted = "<p>2024. A year * of _stars_ [1] &amp;copy; &lt;b&gt; ~x~</p><p>- not a list</p><p># not a heading</p><p>&gt; not a quote</p>";
    let markdown = html_to_markdown(pasted);
    let expected = "<p>2024. A year * of _stars_ [1] &amp;copy; &lt;b&gt; ~x~</p>\n<p>- not a list</p>\n<p># not a heading</p>\n<p>&gt; not a quote</p>\n";
    assert_eq!(shown(&markdown), expected, "{markdown}");
}

#[test]
fn emphasis_never_starts_or_ends_with_a_space() {
    assert_eq!(
        html_to_markdown("<p>a<b> bold </b>word</p>"),
        "a **bold** word"
    );
    assert_eq!(html_to_markdown("<p>a<b> </b>b<i></i>c</p>"), "a bc");
    assert_eq!(
        html_to_markdown("<p><b>outer <strong>inner</strong></b></p>"),
        "**outer inner**"
    );
}

#[test]
fn an_address_alone_in_its_paragraph_stays_an_embed() {
    let html = "<p>Watch:</p>\n<p>https://www.youtube.com/watch?v=a_b-c</p>\n<p><a href=\"https://x.example/_y\">https://x.example/_y</a></p>";
    assert_eq!(
        html_to_markdown(html),
        "Watch:\n\nhttps://www.youtube.com/watch?v=a_b-c\n\nhttps://x.example/_y"
    );
}

/// HTML with its runs of whitespace made single spaces: what a browser shows the same.
fn collapsed(html: &str) -> String {
    html.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown rendered, converted back, and rendered again reads the same.
#[test]
fn rendered_markdown_comes_back_to_the_same_page() {
    let samples = [
        "Plain *text* with **bold**, `code` and a [link](https://example.com/a).",
        "## A heading\n\nA paragraph.\n\n> A quote\n> on two lines\n>\n> — Someone",
        "- one\n- two\n  - nested\n- three\n\n1. first\n2. second",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "Line one\\\nline two\n\n---\n\n~~gone~~ and ***both***",
        "```rust\nfn main() {}\n```",
        "Prices: 5 * 3 = 15 and a_b_c [not a link] \\<tag>",
        "![A boat](/media/2026/11/boat.jpg)",
    ];
    for sample in samples {
        let first = shown(sample);
        let again = html_to_markdown(&first);
        assert_eq!(
            collapsed(&shown(&again)),
            collapsed(&first),
            "{sample:?} came back as {again:?}"
        );
    }
}
