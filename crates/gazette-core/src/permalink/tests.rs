use super::*;
use proptest::prelude::*;

fn fields<'a>(slug: &'a str, category: &'a str) -> PermalinkFields<'a> {
    PermalinkFields {
        id: 42,
        slug,
        published: "2026-03-07T09:05:01".parse().unwrap(),
        category_path: category,
        author_slug: "jane-doe",
    }
}

#[test]
fn default_pattern_renders_and_matches() {
    let pattern = PermalinkPattern::default();
    assert_eq!(pattern.as_str(), DEFAULT_PATTERN);
    let url = pattern.render(&fields("budget-vote", ""));
    assert_eq!(url, "/2026/03/07/budget-vote/");
    let found = pattern.matches(&url).unwrap();
    assert_eq!(
        (found.year, found.month, found.day),
        (Some(2026), Some(3), Some(7))
    );
    assert_eq!(found.postname.unwrap().as_str(), "budget-vote");
    assert!(pattern.matches("/2026/03/07/budget-vote").is_none());
    assert!(pattern.matches("/2026/13/07/budget-vote/").is_none());
    assert!(pattern.matches("/2026/03/07/a/b/").is_none());
    assert!(pattern.matches("/about/").is_none());
}

#[test]
fn every_wordpress_tag_renders() {
    let pattern = PermalinkPattern::parse(
        "/%category%/%author%/%year%%monthnum%%day%-%hour%%minute%%second%/%post_id%-%postname%.html",
    )
    .unwrap();
    let url = pattern.render(&fields("été", "world/europe"));
    assert_eq!(
        url,
        "/world/europe/jane-doe/20260307-090501/42-%C3%A9t%C3%A9.html"
    );
    let found = pattern.matches(&url).unwrap();
    assert_eq!(found.category.unwrap(), vec!["world", "europe"]);
    assert_eq!(found.author.as_deref(), Some("jane-doe"));
    assert_eq!(found.post_id, Some(42));
    assert_eq!(found.postname.unwrap().as_str(), "été");
    assert_eq!(
        (found.hour, found.minute, found.second),
        (Some(9), Some(5), Some(1))
    );
}

#[test]
fn post_id_patterns_match_numbers_only() {
    let pattern = PermalinkPattern::parse("/archives/%post_id%").unwrap();
    assert_eq!(pattern.render(&fields("x", "")), "/archives/42");
    assert_eq!(pattern.matches("/archives/42").unwrap().post_id, Some(42));
    assert!(pattern.matches("/archives/4x2").is_none());
    assert!(pattern.matches("/archives/0").is_none());
    assert!(
        pattern
            .matches("/archives/99999999999999999999999")
            .is_none()
    );
}

#[test]
fn articles_without_a_byline_never_start_with_two_slashes() {
    let pattern = PermalinkPattern::parse("/%author%/%postname%/").unwrap();
    let unsigned = PermalinkFields {
        author_slug: "",
        ..fields("a", "")
    };
    assert_eq!(pattern.render(&unsigned), "/anonymous/a/");
}

#[test]
fn articles_without_a_section_get_wordpress_placeholder() {
    let pattern = PermalinkPattern::parse("/%category%/%postname%/").unwrap();
    assert_eq!(pattern.render(&fields("a", "")), "/uncategorized/a/");
    assert!(pattern.uses_category());
}

#[test]
fn bad_patterns_are_refused_with_reasons() {
    use PermalinkError::*;
    let cases: [(&str, PermalinkError); 11] = [
        ("%postname%", NotAbsolute),
        ("/%year%/%monthnum%/", CannotIdentify),
        ("/%title%/", UnknownTag("title".into())),
        ("/%postname", UnclosedTag),
        ("/%postname%/%postname%/", RepeatedTag("postname")),
        ("/%postname%%post_id%/", Ambiguous),
        ("/%category%%postname%/", Ambiguous),
        ("/news?id=%post_id%", InvalidCharacter('?')),
        ("//evil.example/%postname%/", EmptySegment),
        ("/news//%postname%/", EmptySegment),
        ("/x/../%postname%/", EmptySegment),
    ];
    for (input, expected) in cases {
        assert_eq!(PermalinkPattern::parse(input), Err(expected), "{input}");
    }
}

proptest! {
    #[test]
    fn rendered_urls_match_back(
        slug in "[a-z0-9\u{e9}\u{436}]{1,8}(-[a-z0-9]{1,8}){0,3}",
        id in 1i64..1_000_000,
        year in 1990i16..2100, month in 1i8..=12, day in 1i8..=28,
        category in "[a-z]{1,6}(/[a-z]{1,6}){0,2}",
        pattern in prop::sample::select(vec![
            "/%year%/%monthnum%/%day%/%postname%/",
            "/%postname%/",
            "/%category%/%postname%/",
            "/archives/%post_id%",
            "/%year%/%post_id%-%postname%/",
            "/%author%/%category%/%postname%.html",
        ]),
    ) {
        let pattern = PermalinkPattern::parse(pattern).unwrap();
        let published = jiff::civil::date(year, month, day).at(12, 0, 0, 0);
        let fields = PermalinkFields { id, slug: &slug, published, category_path: &category, author_slug: "ann" };
        let url = pattern.render(&fields);
        let found = pattern.matches(&url).unwrap();
        if let Some(name) = found.postname { prop_assert_eq!(name.as_str(), slug.as_str()); }
        if let Some(found_id) = found.post_id { prop_assert_eq!(found_id, id); }
        if let Some(found_year) = found.year { prop_assert_eq!(found_year, year); }
        if let Some(sections) = found.category { prop_assert_eq!(sections.join("/"), category); }
    }

    #[test]
    fn matching_never_panics(path in "\\PC{0,80}") {
        for pattern in [DEFAULT_PATTERN, "/%category%/%postname%/", "/%post_id%/"] {
            let _ = PermalinkPattern::parse(pattern).unwrap().matches(&path);
        }
    }
}
