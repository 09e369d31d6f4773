//! Password-protected articles: the cookies that prove a reader gave an article's password,
//! read by the article page and by the comment form (a reader who cannot read an article
//! cannot comment on it either).

use axum::http::HeaderMap;
use gazette_core::signing::{keyed_hash, same_secret};
use gazette_core::{Article, ArticleId};

use crate::kernel::cookies::{UNLOCK_COOKIE, cookies};
use crate::kernel::site::Site;

/// The unlock cookies a request carries.
pub(crate) struct Unlocks(Vec<(i64, String)>);

/// Whether the request may read (and so comment on) `article`: it has no password, or the
/// reader gave it.
pub(crate) fn unlocked(headers: &HeaderMap, site: &Site, article: &Article) -> bool {
    Unlocks::from_headers(headers).opens(site, article)
}

impl Unlocks {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        Self(
            cookies(headers)
                .filter_map(|(name, value)| {
                    let id = name.strip_prefix(UNLOCK_COOKIE)?.parse().ok()?;
                    Some((id, value.to_owned()))
                })
                .collect(),
        )
    }

    /// Whether the reader may see the article's body: it has no password, or they hold a
    /// cookie proving they gave the current one.
    pub(crate) fn opens(&self, site: &Site, article: &Article) -> bool {
        let Some(password) = &article.password else {
            return true;
        };
        let expected = unlock_token(site, article.id, password);
        self.0
            .iter()
            .any(|(id, token)| *id == article.id.0 && same_secret(token, &expected))
    }
}

/// Proof that a reader knew an article's password: changing the password invalidates it.
fn unlock_token(site: &Site, id: ArticleId, password: &str) -> String {
    keyed_hash(&site.server_secret, &format!("unlock:{id}:{password}"))
}

/// The cookie that keeps `id` unlocked for ten days; `Secure` when the reader came over
/// HTTPS, so that it is never sent in clear text afterwards.
pub(crate) fn unlock_cookie(site: &Site, id: ArticleId, password: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{UNLOCK_COOKIE}{id}={}; Path=/; Max-Age=864000; HttpOnly; SameSite=Lax{secure}",
        unlock_token(site, id, password)
    )
}
