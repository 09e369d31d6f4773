//! Property tests: the renderer never panics, never lets a script through, reaches a fixpoint,
//! and excerpts stay within their budget.

use gazette_core::{BodyFormat, SafeHtml};
use gazette_render::{excerpt, plain_text, render_body, sanitize_html};
use proptest::prelude::*;

fn words(list: &'static str) -> Vec<&'static str> {
    list.split_whitespace().collect()
}

/// Pieces of markup, allowed and not, well-formed and broken, that the soup is made of.
fn markup_piece() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(words(
        "p h1 h2 h3 a em b div span sup table tr td th ul li ol blockquote q pre code img br \
         script style iframe svg math object form button select option noscript template \
         textarea xmp title foo figure caption dl dd",
    ));
    let attribute = prop::sample::select(vec![
        "",
        " href=\"javascript:alert(1)\"",
        " href=\"/x\"",
        " src=data:image/png,x",
        " onerror=alert(1)",
        " class=\"alignleft evil\"",
        " id=fn-1",
        " id=top",
        " style=\"text-align: left\"",
        " cite='jav&#x61;script:x'",
        " title=\"a > b\"",
    ]);
    prop_oneof![
        (any::<bool>(), tag, attribute).prop_map(|(closing, tag, attribute)| {
            if closing {
                format!("</{tag}>")
            } else {
                format!("<{tag}{attribute}>")
            }
        }),
        "[a-z &;<>\"'=/!-]{0,6}",
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("&#x3C;script&#x3E;".to_owned()),
        Just("\n\n".to_owned()),
        Just("[^1]".to_owned()),
        Just("\n\n[^1]: note\n\n".to_owned()),
        Just("| a |\n|---|\n".to_owned()),
    ]
}

/// Allowed and disallowed tags around plain lowercase words: the text holds no `<` of its own.
fn well_formed_markup() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "p", "h1", "em", "div", "li", "td", "script", "style", "iframe", "foo", "sup",
    ]);
    let piece = prop_oneof![
        (any::<bool>(), tag).prop_map(|(closing, tag)| {
            if closing {
                format!("</{tag}>")
            } else {
                format!("<{tag} class=x title='a>b'>")
            }
        }),
        "[a-z ]{0,8}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

fn markup_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(markup_piece(), 0..24).prop_map(|pieces| pieces.concat())
}

/// Text with words, punctuation, several scripts and combining marks.
fn prose() -> impl Strategy<Value = String> {
    let word = prop::sample::select(words(
        "the été Montréal ещё 東京都は今日 e\u{301} , ; : — . “quoted” \
         Antidisestablishmentarianism 👍\u{1F3FD} a",
    ));
    let space = prop::sample::select(vec![" ", "  ", "\n", "\u{a0}", ""]);
    prop::collection::vec((word, space), 0..20).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(word, space)| [word, space])
            .collect()
    })
}

/// Checks every tag of sanitised `html` against the policy. The serialiser escapes `<` and `>`
/// in text and attribute values, so every `<…>` is a tag.
fn assert_only_allowed_markup(html: &str) {
    for tag in html.split('<').skip(1) {
        let (tag, _) = tag
            .split_once('>')
            .unwrap_or_else(|| panic!("unclosed tag in {html}"));
        let tag = tag.trim_start_matches('/');
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(words(ALLOWED_TAGS).contains(&name), "<{name}> in {html}");
        for (attribute, value) in attributes_of(attributes) {
            assert_attribute_allowed(name, attribute, value);
        }
    }
}

const ALLOWED_TAGS: &str = "p br hr h2 h3 h4 h5 h6 a em strong b i u s del ins sub sup small \
    mark abbr cite q blockquote code pre kbd samp var ul ol li dl dt dd table thead tbody tfoot \
    tr th td caption figure figcaption img section span div time aside";

/// The classes the soup and Markdown footnotes can produce that the policy allows.
const ALLOWED_CLASSES: &str =
    "alignleft footnote-definition footnote-reference footnote-definition-label";

/// `name="value"` pairs, as the serialiser writes them.
fn attributes_of(attributes: &str) -> Vec<(&str, &str)> {
    let mut pairs = Vec::new();
    let mut rest = attributes.trim();
    while let Some((name, after)) = rest.split_once("=\"") {
        let (value, after) = after
            .split_once('"')
            .unwrap_or_else(|| panic!("unclosed value in {attributes}"));
        pairs.push((name.trim(), value));
        rest = after.trim();
    }
    assert!(rest.is_empty(), "unparsed attributes {rest:?}");
    pairs
}

fn assert_attribute_allowed(tag: &str, attribute: &str, value: &str) {
    let lower = value.to_ascii_lowercase();
    match attribute {
        "href" | "src" | "cite" | "srcset" => {
            for scheme in ["javascript", "vbscript", "data"] {
                assert!(
                    !lower.trim().starts_with(scheme),
                    "<{tag} {attribute}={value:?}>"
                );
            }
        }
        "id" => assert!(value.starts_with("fn-"), "id {value:?}"),
        "class" => {
            let allowed = value
                .split(' ')
                .all(|class| words(ALLOWED_CLASSES).contains(&class));
            assert!(allowed, "<{tag} class={value:?}>");
        }
        "style" => assert!(matches!(tag, "td" | "th") && value == "text-align: left"),
        "title" | "alt" | "start" | "reversed" | "colspan" | "rowspan" | "scope" => {}
        other => panic!("attribute {other} on <{tag}>"),
    }
}

fn assert_excerpt_properties(text: &str, max_chars: usize) {
    let out = excerpt(text, max_chars);
    let trimmed = text.trim();
    assert!(
        out.chars().count() <= max_chars + 1,
        "{out:?} too long for {max_chars}"
    );
    if trimmed.chars().count() <= max_chars {
        assert_eq!(out, trimmed);
        return;
    }
    let kept = out
        .strip_suffix('…')
        .unwrap_or_else(|| panic!("{out:?} lacks the ellipsis"));
    assert!(
        trimmed.starts_with(kept),
        "{kept:?} is not a prefix of {trimmed:?}"
    );
    assert!(
        max_chars == 0 || !kept.is_empty(),
        "empty excerpt of {trimmed:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn excerpt_of_arbitrary_strings(text in any::<String>(), max_chars in 0usize..40) {
        assert_excerpt_properties(&text, max_chars);
    }

    #[test]
    fn excerpt_of_prose(text in prose(), max_chars in 0usize..60) {
        assert_excerpt_properties(&text, max_chars);
    }

    #[test]
    fn render_body_never_lets_a_script_through(source in any::<String>()) {
        for format in [BodyFormat::Markdown, BodyFormat::Html] {
            let out = render_body(format, &source).into_string().to_ascii_lowercase();
            prop_assert!(!out.contains("<script"), "{}", out);
        }
    }

    #[test]
    fn render_body_of_markup_soup_keeps_only_allowed_markup(source in markup_soup()) {
        for format in [BodyFormat::Markdown, BodyFormat::Html] {
            let out = render_body(format, &source);
            assert_only_allowed_markup(out.as_str());
        }
    }

    #[test]
    fn sanitising_is_idempotent_on_soup(source in markup_soup()) {
        let once = sanitize_html(&source);
        prop_assert_eq!(&sanitize_html(once.as_str()), &once);
        let rendered = render_body(BodyFormat::Markdown, &source);
        prop_assert_eq!(&sanitize_html(rendered.as_str()), &rendered);
    }

    #[test]
    fn sanitising_is_idempotent_on_arbitrary_strings(source in any::<String>()) {
        let once = sanitize_html(&source);
        prop_assert_eq!(&sanitize_html(once.as_str()), &once);
    }

    #[test]
    fn plain_text_is_trimmed_and_collapsed(html in any::<String>()) {
        let text = plain_text(&SafeHtml::assume_sanitized(html));
        prop_assert_eq!(text.trim(), text.as_str());
        prop_assert!(!text.contains("  "), "{:?}", text);
        prop_assert!(!text.contains(['\n', '\t']), "{:?}", text);
    }

    #[test]
    fn plain_text_of_rendered_markup_has_no_tags(source in well_formed_markup()) {
        let text = plain_text(&render_body(BodyFormat::Html, &source));
        prop_assert!(!text.contains(['<', '>']), "{:?} from {:?}", text, source);
        let words: Vec<&str> = text.split(' ').collect();
        prop_assert!(words.iter().all(|word| word.chars().all(|c| c.is_ascii_lowercase())));
    }
}
