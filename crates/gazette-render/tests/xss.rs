//! Known XSS vectors, rendered as HTML bodies and as Markdown bodies: none survives.

use gazette_core::BodyFormat;
use gazette_render::render_body;

fn markdown(source: &str) -> String {
    render_body(BodyFormat::Markdown, source).into_string()
}

fn html(source: &str) -> String {
    render_body(BodyFormat::Html, source).into_string()
}

/// Sanitises `source` as HTML and as Markdown and checks neither has a way to run script.
fn assert_inert(source: &str) -> String {
    let out = html(source);
    for rendered in [out.as_str(), markdown(source).as_str()] {
        let lower = rendered.to_ascii_lowercase();
        // `" on"` would start an event handler attribute; the vectors' text never contains it.
        let forbidden = "<script <iframe <svg <math <form <input <object <embed <style <base \
            <meta <link javascript: vbscript: data: style=\"b";
        for forbidden in forbidden.split_whitespace().chain([" on"]) {
            assert!(
                !lower.contains(forbidden),
                "{forbidden} survived in {rendered} from {source}"
            );
        }
    }
    out
}

#[test]
fn scripts_are_removed_with_their_content() {
    assert_eq!(assert_inert("a<script>alert(1)</script>b"), "ab");
    assert_eq!(
        assert_inert("a<SCRIPT SRC=//x.example/x.js></SCRIPT>b"),
        "ab"
    );
    assert_eq!(
        assert_inert("<scr<script>ipt>alert(1)</script>"),
        "ipt&gt;alert(1)"
    );
    assert_eq!(
        assert_inert("<template><script>x</script></template>ok"),
        "ok"
    );
    assert_eq!(
        assert_inert("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
        { "<img src=\"x\">\"&gt;" }
    );
}

#[test]
fn event_handlers_are_removed() {
    assert_eq!(
        assert_inert("<img src=x onerror=alert(1)>"),
        r#"<img src="x">"#
    );
    assert_eq!(
        assert_inert("<p onclick=\"x()\" ONMOUSEOVER=y>p</p>"),
        "<p>p</p>"
    );
    assert_eq!(
        assert_inert("<a href=\"/\" onfocus=x autofocus>a</a>"),
        r#"<a href="/">a</a>"#
    );
    assert_eq!(assert_inert("<body onload=alert(1)>b"), "b");
}

#[test]
fn script_urls_are_removed_however_they_are_written() {
    for href in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;vascript:alert(1)",
        "&#0000106&#0000097vascript:alert(1)",
        "java&#x09;script:alert(1)",
        "java\nscript:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ] {
        assert_eq!(
            assert_inert(&format!(r#"<a href="{href}">x</a>"#)),
            "<a>x</a>",
            "{href}"
        );
    }
    assert_eq!(markdown("[x](javascript:alert(1))"), "<p><a>x</a></p>\n");
    assert_eq!(
        markdown("<javascript:alert(1)>"),
        "<p><a>javascript:alert(1)</a></p>\n"
    );
}

#[test]
fn data_urls_are_removed_from_images() {
    assert_eq!(
        assert_inert(r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#),
        "<img>"
    );
    assert_eq!(
        assert_inert(r#"<img srcset="data:image/png;base64,AAAA 1x">"#),
        "<img>"
    );
    assert_eq!(
        assert_inert(r#"<img src="a.jpg" srcset="javascript:x 2x">"#),
        r#"<img src="a.jpg">"#
    );
    assert_eq!(
        markdown("![x](data:image/png;base64,AAAA)"),
        "<p><img alt=\"x\"></p>\n"
    );
    assert_eq!(
        assert_inert(r#"<blockquote cite="javascript:x">q</blockquote>"#),
        { "<blockquote>q</blockquote>" }
    );
}

#[test]
fn styles_are_removed() {
    assert_eq!(
        assert_inert(r#"<p style="background:url(javascript:x)">p</p>"#),
        "<p>p</p>"
    );
    assert_eq!(assert_inert("<style>p { color: red }</style>text"), "text");
    assert_eq!(
        assert_inert(r#"<link rel="stylesheet" href="https://x.example/s.css">t"#),
        "t"
    );
    assert_eq!(
        assert_inert(r#"<table><tr><td style="background:url(x)">c</td></tr></table>"#),
        "<table><tbody><tr><td>c</td></tr></tbody></table>"
    );
}

#[test]
fn frames_objects_and_forms_are_removed() {
    assert_eq!(
        assert_inert(r#"<iframe src="https://x.example/"></iframe>after"#),
        "after"
    );
    assert_eq!(
        assert_inert(r#"<iframe srcdoc="<script>x</script>">fallback</iframe>a"#),
        "a"
    );
    assert_eq!(
        assert_inert(r#"<object data="javascript:x">fallback</object>"#),
        "fallback"
    );
    assert_eq!(assert_inert(r#"<embed src="javascript:x">e"#), "e");
    assert_eq!(
        assert_inert(
            r#"<form action="javascript:x"><input name=q><button formaction="javascript:y">Go</button></form>"#
        ),
        "Go"
    );
    assert_eq!(assert_inert(r#"<base href="javascript:/">b"#), "b");
    assert_eq!(
        assert_inert(r#"<meta http-equiv="refresh" content="0;url=javascript:x">m"#),
        "m"
    );
}

#[test]
fn svg_and_mathml_are_removed() {
    assert_eq!(
        assert_inert("<svg onload=alert(1)><script>alert(1)</script></svg>s"),
        "s"
    );
    assert_eq!(
        assert_inert(r#"<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>"#),
        ""
    );
    assert_inert("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>");
    assert_inert(r#"<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>"#);
}
