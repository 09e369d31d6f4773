//! How feed items are made absolute and identified.

use super::*;

#[test]
fn site_paths_in_bodies_become_absolute_and_others_stay() {
    let html = r#"<p><a href="/2026/x/">x</a> <a href="https://a.example/">a</a></p><img src="/media/a.jpg" srcset="/media/a-320x200.jpg 320w, /media/a-640x400.jpg 640w" alt=""><a href="//cdn.example/y">y</a>"#;
    assert_eq!(
        absolute_links(html, "https://j.example"),
        r#"<p><a href="https://j.example/2026/x/">x</a> <a href="https://a.example/">a</a></p><img src="https://j.example/media/a.jpg" srcset="https://j.example/media/a-320x200.jpg 320w, https://j.example/media/a-640x400.jpg 640w" alt=""><a href="//cdn.example/y">y</a>"#
    );
}

#[test]
fn item_ids_are_stable_uuids_that_differ_by_kind_and_journal() {
    let a = uuid_urn("secret", "article", 7);
    assert_eq!(a, uuid_urn("secret", "article", 7));
    assert_ne!(a, uuid_urn("secret", "comment", 7));
    assert_ne!(a, uuid_urn("other", "article", 7));
    let uuid = a.strip_prefix("urn:uuid:").unwrap();
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "5", "version 5 layout");
}

#[test]
fn image_types_come_from_the_extension() {
    assert_eq!(image_mime("/media/2026/11/a.JPG"), Some("image/jpeg"));
    assert_eq!(
        image_mime("https://x.example/a.webp?w=3"),
        Some("image/webp")
    );
    assert_eq!(image_mime("/media/a"), None);
}
