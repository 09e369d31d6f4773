//! The theme: minijinja templates, CSS and message catalogues, embedded in the binary and
//! overridable file by file from a directory (`--theme DIR`), with the same layout as
//! `crates/gazette-web/theme/`: `templates/*.html`, `assets/*`, `messages/*.toml`.
//!
//! Assets are served under content-hashed names (`/assets/{hash}/style.css`) so browsers and
//! CDNs may keep them forever (`Cache-Control: immutable`); a changed file gets a new URL.

pub mod i18n;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;

use minijinja::Environment;
use sha2::{Digest as _, Sha256};

use crate::cache::Entry;

pub use i18n::Catalogue;

/// `(name, contents)` of a file under `theme/templates/` or `theme/assets/`, embedded.
macro_rules! embedded {
    ($dir:literal, $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../theme/", $dir, "/", $name)))),*]
    };
}

/// The templates the server renders, by name.
const TEMPLATES: &[(&str, &str)] = embedded!(
    "templates",
    "base.html",
    "macros.html",
    "home.html",
    "article.html",
    "archive.html",
    "page.html",
    "search.html",
    "error.html",
    "comments.html",
    "comment_respond.html",
    "comment_form.html",
    "comment_subscription.html",
    "newsletters.html",
    "newsletter_link.html",
    "newsletter_issue.html",
    "newsletter_confirmation.html",
    "newsletter_mail.html",
    "newsletter_web.html",
    "newsletter_signup.html",
    "admin/base.html",
    "admin/sign_in.html",
    "admin/sign_in_link.html",
    "admin/sign_in_link_confirm.html",
    "admin/desk.html",
    "admin/dashboard.html",
    "admin/calendar.html",
    "admin/editor.html",
    "admin/revisions.html",
    "admin/revision.html",
    "admin/share.html",
    "admin/forgot.html",
    "admin/password.html",
    "admin/people.html",
    "admin/account.html",
    "admin/person_password.html",
    "admin/app_passwords.html",
    "admin/comments.html",
    "admin/comment_edit.html",
    "admin/comment_settings.html",
    "admin/media.html",
    "admin/media_item.html",
    "admin/redirects.html",
    "admin/newsletters.html",
    "admin/newsletter_form.html",
    "admin/newsletter_edit.html",
    "admin/newsletter_issue.html",
    "admin/subscribers.html",
    "admin/redirect_edit.html",
    "admin/settings.html",
    "admin/menus.html",
    "admin/home.html",
    "admin/taxonomy.html",
    "admin/taxonomy_edit.html",
    "admin/pages.html",
    "admin/page_edit.html",
    "admin/profile.html",
    "admin/convert.html",
);

/// Files served under `/assets/{hash}/`.
const ASSETS: &[(&str, &str)] = embedded!(
    "assets",
    "style.css",
    "favicon.svg",
    "admin.css",
    "editor.js",
    "markdown-editor.js",
    "drafts.js",
    "calendar.js",
    "media.js",
    "presence.js",
    "comments.js",
    "signup.js",
    "moderation.js"
);

/// A theme file that cannot be read or does not compile.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("cannot read the theme file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the theme template {name} does not compile: {detail}")]
    Template { name: String, detail: String },
    #[error(transparent)]
    Catalogue(#[from] i18n::CatalogueError),
}

/// A static file of the theme with its content hash.
#[derive(Debug)]
pub struct Asset {
    pub hash: String,
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// Its compressed variants, made on the first request for it.
    encoded: OnceLock<Entry>,
}

impl Asset {
    /// The asset in every encoding, answering requests like a cached page (`Vary`, ETags,
    /// 304s), with `cache_control`.
    pub fn encoded(&self, cache_control: &'static str) -> &Entry {
        self.encoded.get_or_init(|| {
            Entry::asset(
                Bytes::copy_from_slice(&self.bytes),
                self.content_type,
                cache_control,
            )
        })
    }
}

/// The loaded theme, shared by every request.
#[derive(Debug)]
pub struct Theme {
    env: Environment<'static>,
    assets: HashMap<String, Asset>,
    /// (language, TOML source), embedded first; a language may appear twice (see `load`).
    catalogues: Vec<(String, String)>,
}

impl Theme {
    /// The embedded theme, with any file found in `overrides` taking the place of its
    /// embedded namesake.
    pub fn load(overrides: Option<&Path>) -> Result<Self, ThemeError> {
        let read = |kind: &str, name: &str| -> Result<Option<Vec<u8>>, ThemeError> {
            let Some(dir) = overrides else {
                return Ok(None);
            };
            let path = dir.join(kind).join(name);
            match std::fs::read(&path) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(ThemeError::Read { path, source }),
            }
        };

        let mut env = Environment::new();
        env.set_formatter(format_value);
        for (name, embedded) in TEMPLATES {
            let source = match read("templates", name)? {
                Some(bytes) => String::from_utf8(bytes).map_err(|e| ThemeError::Template {
                    name: (*name).to_owned(),
                    detail: format!("not UTF-8: {e}"),
                })?,
                None => (*embedded).to_owned(),
            };
            env.add_template_owned(*name, source)
                .map_err(|e| ThemeError::Template {
                    name: (*name).to_owned(),
                    detail: e.to_string(),
                })?;
        }

        let mut assets = HashMap::new();
        for (name, embedded) in ASSETS {
            let bytes = read("assets", name)?.unwrap_or_else(|| embedded.as_bytes().to_vec());
            let hash = hex::encode(&Sha256::digest(&bytes)[..6]);
            let content_type = content_type(name);
            assets.insert(
                (*name).to_owned(),
                Asset {
                    hash,
                    bytes,
                    content_type,
                    encoded: OnceLock::new(),
                },
            );
        }

        // Embedded catalogues first, then the theme directory's: its keys win one by one.
        let mut catalogues = Vec::new();
        for (language, embedded) in i18n::SHIPPED {
            catalogues.push(((*language).to_owned(), (*embedded).to_owned()));
        }
        if let Some(dir) = overrides {
            catalogues.extend(theme_catalogues(&dir.join("messages"))?);
        }
        // Fail at start-up, not on the first request, if a catalogue is broken.
        for (language, _) in &catalogues {
            let language = language.as_str();
            Catalogue::load(language, &catalogues)?;
        }
        Ok(Self {
            env,
            assets,
            catalogues,
        })
    }

    /// The message catalogue for a language tag such as `fr-CA`.
    pub fn catalogue(&self, language_tag: &str) -> Result<Arc<Catalogue>, ThemeError> {
        let primary = language_tag
            .split('-')
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        Ok(Arc::new(Catalogue::load(&primary, &self.catalogues)?))
    }

    /// Renders a template with `context`.
    pub fn render(
        &self,
        name: &str,
        context: minijinja::Value,
    ) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context)
    }

    pub fn asset(&self, name: &str) -> Option<&Asset> {
        self.assets.get(name)
    }

    /// The URL an asset is served at now.
    pub fn asset_url(&self, name: &str) -> String {
        match self.assets.get(name) {
            Some(asset) => format!("/assets/{}/{name}", asset.hash),
            None => format!("/assets/missing/{name}"),
        }
    }
}

/// The `{lang}.toml` files of a theme directory's `messages/`: overrides of shipped
/// languages and new ones (a file per primary language subtag, such as `de.toml`).
fn theme_catalogues(dir: &Path) -> Result<Vec<(String, String)>, ThemeError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ThemeError::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| ThemeError::Read {
                path: dir.to_owned(),
                source,
            })?
            .path();
        let language = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let is_catalogue = path.extension().is_some_and(|e| e == "toml")
            && (2..=3).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_lowercase());
        if is_catalogue {
            let bytes = std::fs::read(&path).map_err(|source| ThemeError::Read {
                path: path.clone(),
                source,
            })?;
            found.push((
                language.to_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    found.sort();
    Ok(found)
}

/// How `{{ value }}` prints: nothing for none, safe strings as they are, everything else
/// escaped for HTML. Unlike minijinja's default escaping, `/` is left alone, so URLs in
/// attributes read as URLs.
fn format_value(
    out: &mut minijinja::Output<'_>,
    state: &minijinja::State<'_, '_>,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    let write_error = |e: std::fmt::Error| {
        minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "writing the page").with_source(e)
    };
    let raw = value.is_safe() || matches!(state.auto_escape(), minijinja::AutoEscape::None);
    // Strings are written from where they are; other values are formatted first.
    let formatted;
    let text = match value.as_str() {
        Some(text) => text,
        None => {
            formatted = value.to_string();
            &formatted
        }
    };
    if raw {
        return out.write_str(text).map_err(write_error);
    }
    escape_html_into(out, text).map_err(write_error)
}

/// Writes `text` with `<`, `>`, `&` and both quotes escaped, copying the runs between them
/// whole (a page prints hundreds of values).
fn escape_html_into(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\''))
    {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_values_escape_markup_and_quotes_only() {
        let mut out = String::new();
        escape_html_into(&mut out, "<a href=\"x\">Tom & Jerry's</a> é/ü").unwrap();
        assert_eq!(
            out,
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; é/ü"
        );
    }

    #[test]
    fn the_embedded_theme_loads_and_hashes_its_assets() {
        let theme = Theme::load(None).unwrap();
        let url = theme.asset_url("style.css");
        assert!(
            url.starts_with("/assets/") && url.ends_with("/style.css"),
            "{url}"
        );
        assert_eq!(
            theme.asset("style.css").unwrap().content_type,
            "text/css; charset=utf-8"
        );
    }

    #[test]
    fn a_theme_directory_overrides_single_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/style.css"), "body { color: red }").unwrap();
        let embedded = Theme::load(None).unwrap();
        let custom = Theme::load(Some(dir.path())).unwrap();
        assert_eq!(
            custom.asset("style.css").unwrap().bytes,
            b"body { color: red }"
        );
        assert_ne!(
            custom.asset_url("style.css"),
            embedded.asset_url("style.css")
        );
        // Files not overridden stay embedded.
        assert_eq!(
            custom.asset_url("favicon.svg"),
            embedded.asset_url("favicon.svg")
        );
    }

    #[test]
    fn a_theme_directory_can_add_a_language() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("messages")).unwrap();
        std::fs::write(
            dir.path().join("messages/de.toml"),
            "[home]\nlatest = \"Neueste Meldungen\"\n",
        )
        .unwrap();
        let theme = Theme::load(Some(dir.path())).unwrap();
        let german = theme.catalogue("de-AT").unwrap();
        assert_eq!(german.language(), "de");
        assert_eq!(german.text("home.latest", &[]), "Neueste Meldungen");
        assert_eq!(
            german.text("skip_link", &[]),
            "Skip to content",
            "English fills the gaps"
        );
    }

    #[test]
    fn a_broken_template_override_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/home.html"), "{% if %}").unwrap();
        let error = Theme::load(Some(dir.path())).unwrap_err().to_string();
        assert!(error.contains("home.html"), "{error}");
    }
}
