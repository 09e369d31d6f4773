//! What `--dry-run` reports of WordPress's theme unit test data.

use std::collections::BTreeMap;

use super::survey_of;

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn the_theme_unit_test_data_counts_as_wordpress_imports_it() {
    let Some(survey) = survey_of("theme-test-data/themeunittestdata.wordpress.xml") else {
        return;
    };
    let map = |pairs: &[(&str, usize)]| -> BTreeMap<String, usize> {
        pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
    };
    assert_eq!(
        survey.posts,
        map(&[("draft", 1), ("future", 1), ("publish", 56)])
    );
    assert_eq!((survey.password_protected, survey.sticky), (1, 1));
    assert_eq!(survey.pages, map(&[("publish", 21)]));
    assert_eq!((survey.attachments, survey.menu_items), (37, 70));
    assert_eq!(
        (survey.categories, survey.tags, survey.authors),
        (68, 110, 2)
    );
    let comment = |kind: &str, status: &str| {
        survey
            .comments
            .get(&(kind.to_owned(), status.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(comment("comment", "approved"), 26);
    assert_eq!(
        comment("pingback", "approved") + comment("trackback", "approved"),
        4
    );
    assert_eq!(comment("comment", "pending"), 3);
    assert!(survey.skipped.is_empty(), "{:?}", survey.skipped);
    let report = survey.report();
    assert!(
        report.contains(
            "Posts: 58 (1 drafts, 1 scheduled, 56 published); 1 password-protected, 1 sticky."
        ),
        "{report}"
    );
}

#[test]
#[cfg_attr(
    not(gazette_test_wxr_fixtures),
    ignore = "needs GAZETTE_TEST_WXR_FIXTURES (see README)"
)]
fn other_post_types_are_counted_as_skipped() {
    let Some(survey) = survey_of("theme-test-data/64-block-test-data.xml") else {
        return;
    };
    let report = survey.report();
    assert!(!survey.skipped.is_empty(), "{report}");
    for (post_type, n) in &survey.skipped {
        assert!(report.contains(&format!("Skipped: {n} items of type {post_type}")));
    }
}
