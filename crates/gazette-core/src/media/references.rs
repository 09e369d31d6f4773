//! Which library files a text names: the media addresses in a body, a featured image, a photo
//! or the publication's settings, as the full-size files' paths (a variant or a crop names its
//! original). What the media grid's "unused" filter is made from.

use super::looks_derived;

/// Where library files are addressed in texts: Gazette's own addresses, and WordPress's that
/// imported bodies may still hold.
const PREFIXES: [&str; 2] = ["/media/", "/wp-content/uploads/"];

/// The full-size paths (below the media directory) that `text` names, each once, in order.
pub fn referenced_paths(text: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for prefix in PREFIXES {
        for (at, _) in text.match_indices(prefix) {
            let rest = &text[at + prefix.len()..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"'()<>?#,\\[]".contains(c))
                .unwrap_or(rest.len());
            let path = full_size(&rest[..end]);
            if !path.is_empty() && !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

/// The original a variant or crop was made from (`boat-300x200.jpg` → `boat.jpg`,
/// `boat-640x360-f30-70.jpg` → `boat.jpg`); any other path as it is.
fn full_size(path: &str) -> String {
    let Some((stem, extension)) = path.rsplit_once('.') else {
        return path.to_owned();
    };
    if !looks_derived(stem) {
        return path.to_owned();
    }
    // A variant ends in one `-WxH`, a crop in `-WxH-fX-Y`: three more parts.
    let cut = if stem
        .rsplit('-')
        .next()
        .is_some_and(|last| last.contains('x'))
    {
        1
    } else {
        3
    };
    let original = stem.rsplitn(cut + 1, '-').last().unwrap_or(stem);
    format!("{original}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::referenced_paths;

    #[test]
    fn bodies_name_originals_through_any_size() {
        let body = "![A](/media/2026/11/harbour.jpg) and <img src=\"https://x.example/media/2026/11/boat-640x427.jpg\" \
                    srcset=\"/media/2026/11/boat-320x213.jpg 320w, /media/2026/11/pier-640x360-f30-70.jpg 640w\"> \
                    old: /wp-content/uploads/2013/03/dock-300x200.png?v=2 and [x](/media/2026/11/harbour.jpg)";
        assert_eq!(
            referenced_paths(body),
            [
                "2026/11/harbour.jpg",
                "2026/11/boat.jpg",
                "2026/11/pier.jpg",
                "2013/03/dock.png"
            ]
        );
        assert!(referenced_paths("no pictures here /media/").is_empty());
    }
}
