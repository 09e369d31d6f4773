//! WordPress's addresses that are not permalinks: plain links (`/?p=12`, `/?page_id=2`,
//! `/?cat=7`, `/?tag=news`, `/?author=3`, `/?m=201901`, `/?feed=rss2`), its sitemap and its
//! back office. (Its feed spellings, `/feed/rss2/` and `/feed/rdf/`, are the router's: it
//! redirects them to a path it builds itself, never to the one it was given.) Each answers with a
//! permanent redirect to Gazette's address for the same thing, so links from other sites and
//! search engines keep working after a move; `/xmlrpc.php` answers 410 Gone, since Gazette
//! has no XML-RPC and clients should stop asking.

use gazette_core::{ArticleId, MediaId, PageId, PersonId, SectionId};
use gazette_store::WordPressKind;

use crate::AppState;
use crate::kernel::site::Site;

/// Where a WordPress back-office or service path goes.
pub(crate) enum ServicePath {
    Redirect(String),
    Gone,
}

/// `/wp-admin/…`, `/wp-login.php`, `/xmlrpc.php` and `/wp-sitemap.xml`.
pub(crate) fn service_path(path: &str) -> Option<ServicePath> {
    if path == "/xmlrpc.php" {
        return Some(ServicePath::Gone);
    }
    if path == "/wp-admin" || path.starts_with("/wp-admin/") || path == "/wp-login.php" {
        return Some(ServicePath::Redirect("/admin/".to_owned()));
    }
    if path == "/wp-sitemap.xml" {
        return Some(ServicePath::Redirect("/sitemap.xml".to_owned()));
    }
    None
}

/// What a WordPress plain link (`/?page_id=2`) leads to here.
pub(crate) enum PlainLink {
    /// The address of what it names.
    Found(String),
    /// It names something that does not exist or is not public: a 404, as in WordPress.
    Missing,
}

/// The address a WordPress query string names, when it is one of WordPress's plain links;
/// None when the query is something else (the page it is on answers). `p` (articles) is
/// answered by the caller, which also knows about trashed articles.
pub(crate) async fn plain_link_target(
    state: &AppState,
    site: &Site,
    query: &str,
) -> Option<PlainLink> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
        .collect();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let key = [
        "attachment_id",
        "page_id",
        "cat",
        "tag",
        "author",
        "m",
        "feed",
    ]
    .into_iter()
    .find(|key| value(key).is_some())?;
    let text = value(key).unwrap_or_default();
    let target = match (key, text.parse::<i64>().ok()) {
        ("attachment_id", Some(wp_id)) => attachment_target(state, wp_id).await,
        ("page_id", Some(wp_id)) => {
            let page = gazette_id(state, WordPressKind::Page, wp_id).await;
            site.page_url(PageId(page))
        }
        ("cat", Some(wp_id)) => {
            let section = SectionId(gazette_id(state, WordPressKind::Category, wp_id).await);
            site.section(section).map(|_| site.section_url(section))
        }
        ("author", Some(wp_id)) => {
            let person = PersonId(gazette_id(state, WordPressKind::Author, wp_id).await);
            site.public_author(person)
                .and_then(|author| author.archive_path())
        }
        ("tag", _) => site
            .tag_by_slug(&text.to_lowercase())
            .map(|tag| format!("/tag/{}/", tag.slug)),
        ("m", _) => date_archive(text),
        ("feed", _) => feed_target(text),
        _ => None,
    };
    Some(target.map_or(PlainLink::Missing, PlainLink::Found))
}

/// The library copy of an attachment an import brought over (library ids are not
/// WordPress's, so only the import's record finds it).
async fn attachment_target(state: &AppState, wp_id: i64) -> Option<String> {
    let media = match state
        .store()
        .wordpress_id(WordPressKind::Attachment, wp_id)
        .await
    {
        Ok(Some(media)) => state.store().media(MediaId(media)).await,
        Ok(None) => Ok(None),
        Err(error) => Err(error),
    };
    match media {
        Ok(media) => media.map(|m| format!("/media/{}", m.path)),
        Err(error) => {
            tracing::warn!(%error, "looking up an attachment");
            None
        }
    }
}

/// Gazette's address of one of WordPress's `?feed=` names.
fn feed_target(name: &str) -> Option<String> {
    let path = match name {
        "rss2" | "rss" | "rdf" | "feed" => "/feed/",
        "atom" => "/feed/atom/",
        "comments-rss2" | "comments-atom" => "/comments/feed/",
        _ => return None,
    };
    Some(path.to_owned())
}

/// Where a file of WordPress's uploads folder (`/wp-content/uploads/2013/03/boat.jpg`, or a
/// size WordPress made of it, `boat-300x200.jpg`) is in the media library, when an import
/// copied it there.
pub(crate) async fn uploads_target(state: &AppState, path: &str) -> Option<String> {
    let relative = path.strip_prefix("/wp-content/uploads/")?;
    let relative = percent_encoding::percent_decode_str(relative)
        .decode_utf8()
        .ok()?
        .into_owned();
    let candidates = [
        Some(relative.clone()),
        gazette_core::media::without_wordpress_size(&relative),
    ];
    for candidate in candidates.into_iter().flatten() {
        match state.store().media_by_path(&candidate).await {
            Ok(Some(media)) => return Some(format!("/media/{}", media.path)),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "looking up an uploaded file");
                return None;
            }
        }
    }
    None
}

/// What a WordPress id became here; without an import's record, the id itself (articles
/// created in Gazette are found by their own ids).
pub(crate) async fn gazette_id(state: &AppState, kind: WordPressKind, wp_id: i64) -> i64 {
    match state.store().wordpress_id(kind, wp_id).await {
        Ok(Some(id)) => id,
        Ok(None) => wp_id,
        Err(error) => {
            tracing::warn!(%error, "looking up a WordPress id");
            wp_id
        }
    }
}

/// The article `?p=N` names: an imported post's new id, or an article's own.
pub(crate) async fn article_for_post(state: &AppState, wp_id: i64) -> ArticleId {
    ArticleId(gazette_id(state, WordPressKind::Post, wp_id).await)
}

/// `?m=2019`, `?m=201901`, `?m=20190115` as a date archive's address.
fn date_archive(m: &str) -> Option<String> {
    if !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match m.len() {
        4 => Some(format!("/{m}/")),
        6 => Some(format!("/{}/{}/", &m[..4], &m[4..6])),
        8 => Some(format!("/{}/{}/{}/", &m[..4], &m[4..6], &m[6..8])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_paths() {
        assert!(matches!(
            service_path("/xmlrpc.php"),
            Some(ServicePath::Gone)
        ));
        assert!(
            matches!(service_path("/wp-admin/post.php"), Some(ServicePath::Redirect(to)) if to == "/admin/")
        );
        // Feed spellings are the router's, which never echoes the path it was given.
        assert!(service_path("/category/news/feed/rss2/").is_none());
        assert!(service_path("//evil.example/feed/rss2/").is_none());
        assert!(service_path("/2019/01/story/").is_none());
    }

    #[test]
    fn month_archives() {
        assert_eq!(date_archive("201901").as_deref(), Some("/2019/01/"));
        assert_eq!(date_archive("2019").as_deref(), Some("/2019/"));
        assert_eq!(date_archive("20x9"), None);
    }
}
