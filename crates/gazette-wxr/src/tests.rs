use super::*;

#[test]
fn namespaces_are_known_by_uri() {
    assert_eq!(
        Vocabulary::of(b"http://wordpress.org/export/1.2/"),
        Vocabulary::WordPress
    );
    assert_eq!(
        Vocabulary::of(b"https://wordpress.org/export/1.0/"),
        Vocabulary::WordPress
    );
    assert_eq!(
        Vocabulary::of(b"http://wordpress.org/export/1.1/excerpt/"),
        Vocabulary::Excerpt
    );
    assert_eq!(
        Vocabulary::of(b"http://example.com/fake/"),
        Vocabulary::Other
    );
    assert_eq!(
        Vocabulary::of(b"http://wordpress.org/export/1.x/"),
        Vocabulary::Other
    );
    assert_eq!(
        Vocabulary::of(b"http://wordpress.org/export/2.0/"),
        Vocabulary::Other
    );
}
