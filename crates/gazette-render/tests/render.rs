//! Rendering through the public API: Markdown features, what the sanitiser keeps, plain text
//! and excerpts. XSS vectors are in `xss.rs`.

use gazette_core::{BodyFormat, SafeHtml};
use gazette_render::{excerpt, plain_text, render_body, render_excerpt, sanitize_html};

fn markdown(source: &str) -> String {
    render_body(BodyFormat::Markdown, source).into_string()
}

fn html(source: &str) -> String {
    render_body(BodyFormat::Html, source).into_string()
}

#[test]
fn markdown_tables_render_with_alignment() {
    let out = markdown("| Left | Right |\n|:-----|------:|\n| a | 1 |\n");
    assert!(out.contains("<table>"), "{out}");
    assert!(
        out.contains(r#"<th style="text-align: left">Left</th>"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<td style="text-align: right">1</td>"#),
        "{out}"
    );
}

#[test]
fn markdown_footnotes_link_to_their_definition_after_sanitising() {
    let out = markdown("A claim.[^src]\n\n[^src]: The source.\n");
    let reference = r##"<sup class="footnote-reference"><a href="#fn-src">1</a></sup>"##;
    assert!(out.contains(reference), "{out}");
    let definition = r#"<div class="footnote-definition" id="fn-src"><sup class="footnote-definition-label">1</sup>"#;
    assert!(out.contains(definition), "{out}");
}

#[test]
fn markdown_strikethrough_and_emphasis() {
    assert_eq!(markdown("~~old~~ *new* **bold**"), {
        "<p><del>old</del> <em>new</em> <strong>bold</strong></p>\n"
    });
}

#[test]
fn markdown_headings_start_below_the_headline() {
    assert_eq!(markdown("# One\n\n## Two"), "<h2>One</h2>\n<h2>Two</h2>\n");
    assert_eq!(
        html("<h1>One</h1><h3>Three</h3>"),
        "<h2>One</h2><h3>Three</h3>"
    );
}

#[test]
fn quotations_survive() {
    assert_eq!(
        markdown("> Quoted\n> text"),
        "<blockquote>\n<p>Quoted\ntext</p>\n</blockquote>\n"
    );
    assert_eq!(
        html(r#"<blockquote cite="https://a.example/s"><p>Q</p></blockquote>"#),
        r#"<blockquote cite="https://a.example/s"><p>Q</p></blockquote>"#
    );
    assert_eq!(
        html(r#"<p>She said <q cite="/source">hello</q>.</p>"#),
        r#"<p>She said <q cite="/source">hello</q>.</p>"#
    );
}

#[test]
fn wordpress_figures_keep_alignment_and_library_classes_only() {
    let source = r#"<figure class="wp-block-image aligncenter size-large"><img class="wp-image-42" src="/uploads/a.jpg" alt="A" width="800" height="600" loading="lazy" srcset="/uploads/a-300.jpg 300w, /uploads/a.jpg 800w" sizes="100vw"><figcaption class="wp-element-caption">Caption</figcaption></figure>"#;
    // Dropping an attribute may reorder the others; order carries no meaning.
    let expected = r#"<figure class="aligncenter size-large"><img class="wp-image-42" src="/uploads/a.jpg" alt="A" width="800" height="600" loading="lazy" srcset="/uploads/a-300.jpg 300w, /uploads/a.jpg 800w" sizes="100vw"><figcaption>Caption</figcaption></figure>"#;
    assert_eq!(html(source), expected);
    assert_eq!(
        html(r#"<div class="wp-caption alignright evil">x</div>"#),
        r#"<div class="wp-caption alignright">x</div>"#
    );
}

#[test]
fn allowed_markup_passes_unchanged() {
    let source = concat!(
        r#"<p><a href="https://a.example/" title="T">a</a> <a href="mailto:x@a.example">m</a> "#,
        r#"<a href="tel:+331">t</a> <abbr title="World Wide Web">WWW</abbr> "#,
        r#"<time datetime="2024-05-01">1 May</time> <mark>m</mark> <kbd>k</kbd></p>"#,
        r#"<ol start="3" reversed=""><li>x</li></ol><dl><dt>t</dt><dd>d</dd></dl>"#,
        r#"<aside><p>side</p></aside><section><p>s</p></section>"#,
        r#"<pre><code class="language-rust">fn main() {}</code></pre>"#,
    );
    assert_eq!(html(source), source);
}

#[test]
fn link_targets_and_rels_are_not_kept() {
    assert_eq!(
        html(r#"<a href="https://a.example" target="_blank" rel="opener">a</a>"#),
        r#"<a href="https://a.example">a</a>"#
    );
}

#[test]
fn sanitize_html_is_the_same_policy() {
    let source = r#"<h1>T</h1><p class="alignleft x" onclick=y>p</p><script>z</script>"#;
    assert_eq!(sanitize_html(source).into_string(), html(source));
    assert_eq!(html(source), r#"<h2>T</h2><p class="alignleft">p</p>"#);
}

#[test]
fn plain_text_of_rendered_bodies() {
    let body = render_body(
        BodyFormat::Markdown,
        "# Title\n\nOne *two*.\n\n- a\n- b\n\nTom & Jerry",
    );
    assert_eq!(plain_text(&body), "Title One two. a b Tom & Jerry");
    let body = SafeHtml::assume_sanitized("<p>caf&eacute;&nbsp;&mdash; d&#233;j&#xE0;</p>".into());
    assert_eq!(plain_text(&body), "café — déjà");
}

#[test]
fn excerpts_of_rendered_bodies() {
    let body = render_body(
        BodyFormat::Html,
        "<p>Le conseil municipal a voté, jeudi soir,</p><p>un budget réduit.</p>",
    );
    assert_eq!(
        render_excerpt(&body, 34),
        "Le conseil municipal a voté, jeudi…"
    );
    assert_eq!(render_excerpt(&body, 28), "Le conseil municipal a voté…");
    assert_eq!(
        render_excerpt(&body, 500),
        "Le conseil municipal a voté, jeudi soir, un budget réduit."
    );
    assert_eq!(excerpt("Привет, мир! Как дела?", 12), "Привет, мир!…");
    assert_eq!(excerpt("今日は良い天気ですね", 4), "今日は良…");
}
