//! The publication's settings at `/admin/settings`, for administrators: identity (name,
//! tagline, description, logo, favicon, ISSNs), language and time zone, the permalink pattern
//! with a preview on a real article, and what crawlers read (`robots.txt` additions,
//! `ads.txt`, verification tags) plus a snippet for every page's head.
//!
//! Each field is checked on its own and a refused form names every field that is wrong. A
//! change of permalink pattern or time zone moves articles' URLs: the old URL of every
//! published article is kept in the same unit of work as the new settings, so each answers
//! with a 301 from the moment the change is visible.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gazette_core::site_files;
use gazette_core::{
    Article, Capability, Issn, LanguageTag, PermalinkPattern, Publication, TimeZoneName,
};
use gazette_newsroom::settings;
use gazette_store::ArticleFilter;
use minijinja::context;

use super::{CsrfForm, FormFields, Staff, staff_page};
use crate::kernel::pages::Snapshot;
use crate::kernel::query::{Query, Saved};
use crate::kernel::site::Site;
use crate::{AppError, AppState};

fn administrator(staff: &Staff) -> Result<(), AppError> {
    staff.require(
        Capability::ManageSettings,
        "Only administrators change the publication's settings.",
    )
}

/// The form's fields as text, as stored or as typed.
#[derive(Debug, Default, serde::Serialize)]
struct Values {
    name: String,
    tagline: String,
    description: String,
    logo: String,
    favicon: String,
    issn: String,
    eissn: String,
    language: String,
    time_zone: String,
    base_url: String,
    permalink: String,
    robots_txt: String,
    ads_txt: String,
    site_verification: String,
    head_html: String,
    feed_items: String,
    /// "full" or "excerpt".
    feed_content: String,
    /// Proposed for an empty `base_url`: the address the administrator is using.
    address_in_use: Option<String>,
}

impl Values {
    fn of(p: &Publication) -> Self {
        Self {
            name: p.name.clone(),
            tagline: p.tagline.clone(),
            description: p.description.clone(),
            logo: p.logo.clone().unwrap_or_default(),
            favicon: p.favicon.clone().unwrap_or_default(),
            issn: p.issn.map(|i| i.to_string()).unwrap_or_default(),
            eissn: p.eissn.map(|i| i.to_string()).unwrap_or_default(),
            language: p.language.as_str().to_owned(),
            time_zone: p.time_zone.as_str().to_owned(),
            base_url: p
                .base_url
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default(),
            permalink: p.permalink.as_str().to_owned(),
            robots_txt: p.robots_txt.clone(),
            ads_txt: p.ads_txt.clone(),
            site_verification: p
                .site_verification
                .iter()
                .map(|t| format!("{} = {}", t.name, t.content))
                .collect::<Vec<_>>()
                .join("\n"),
            head_html: p.head_html.clone(),
            feed_items: p.feeds.items.to_string(),
            feed_content: if p.feeds.full_text { "full" } else { "excerpt" }.to_owned(),
            address_in_use: None,
        }
    }

    fn from_form(fields: &FormFields) -> Self {
        let get = |name: &str| fields.get(name).replace("\r\n", "\n").trim().to_owned();
        Self {
            name: get("name"),
            tagline: get("tagline"),
            description: get("description"),
            logo: get("logo"),
            favicon: get("favicon"),
            issn: get("issn"),
            eissn: get("eissn"),
            language: get("language"),
            time_zone: get("time_zone"),
            base_url: get("base_url"),
            permalink: get("permalink"),
            robots_txt: get("robots_txt"),
            ads_txt: get("ads_txt"),
            site_verification: get("site_verification"),
            head_html: get("head_html"),
            feed_items: get("feed_items"),
            feed_content: get("feed_content"),
            address_in_use: None,
        }
    }

    /// The settings these values make, on top of `base` (which keeps what this form does not
    /// show, like the comment policy), or the problem with each refused field.
    fn apply(&self, base: &Publication) -> Result<Publication, BTreeMap<&'static str, String>> {
        let mut problems = BTreeMap::new();
        let mut p = base.clone();
        let mut check = |field: &'static str, result: Result<(), String>| {
            if let Err(problem) = result {
                problems.insert(field, problem);
            }
        };
        check(
            "name",
            match self.name.chars().count() {
                0 => Err("Give the publication a name.".to_owned()),
                1..=200 => Ok(()),
                _ => Err("At most 200 characters.".to_owned()),
            },
        );
        p.name.clone_from(&self.name);
        p.tagline.clone_from(&self.tagline);
        p.description.clone_from(&self.description);
        for (field, value, target) in [
            ("logo", &self.logo, &mut p.logo),
            ("favicon", &self.favicon, &mut p.favicon),
        ] {
            check(field, image_address(value).map(|v| *target = v));
        }
        for (field, value, target) in [
            ("issn", &self.issn, &mut p.issn),
            ("eissn", &self.eissn, &mut p.eissn),
        ] {
            let parsed = match value.as_str() {
                "" => Ok(None),
                text => Issn::parse(text)
                    .map(Some)
                    .map_err(|e| sentence(&e.to_string())),
            };
            check(field, parsed.map(|v| *target = v));
        }
        check(
            "language",
            LanguageTag::parse(&self.language)
                .map(|l| p.language = l)
                .map_err(|e| sentence(&e.to_string())),
        );
        check(
            "time_zone",
            TimeZoneName::parse(&self.time_zone)
                .map(|z| p.time_zone = z)
                .map_err(|e| sentence(&e.to_string())),
        );
        check("base_url", base_url(&self.base_url).map(|u| p.base_url = u));
        check(
            "permalink",
            PermalinkPattern::parse(&self.permalink)
                .map(|pattern| p.permalink = pattern)
                .map_err(|e| sentence(&e.to_string())),
        );
        check(
            "robots_txt",
            site_files::robots_lines(&self.robots_txt)
                .map(|text| p.robots_txt = text)
                .map_err(|e| sentence(&e.to_string())),
        );
        check(
            "ads_txt",
            site_files::ads_txt(&self.ads_txt)
                .map(|text| p.ads_txt = text)
                .map_err(|e| sentence(&e.to_string())),
        );
        check(
            "site_verification",
            site_files::verification_tags(&self.site_verification)
                .map(|tags| p.site_verification = tags)
                .map_err(|e| sentence(&e.to_string())),
        );
        check(
            "head_html",
            if self.head_html.len() > 20_000 {
                Err("At most 20,000 characters.".to_owned())
            } else {
                Ok(())
            },
        );
        p.head_html.clone_from(&self.head_html);
        let max = gazette_core::FeedSettings::MAX_ITEMS;
        check(
            "feed_items",
            match self.feed_items.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => {
                    p.feeds.items = n;
                    Ok(())
                }
                _ => Err(format!("A whole number from 1 to {max}.")),
            },
        );
        check(
            "feed_content",
            match self.feed_content.as_str() {
                "full" | "excerpt" => {
                    p.feeds.full_text = self.feed_content == "full";
                    Ok(())
                }
                _ => Err("Choose the whole text or the excerpt.".to_owned()),
            },
        );
        if problems.is_empty() {
            Ok(p)
        } else {
            Err(problems)
        }
    }
}

fn sentence(text: &str) -> String {
    format!("{}.", super::capitalise(text))
}

/// A logo or favicon: empty, a path on this site, or an https address.
fn image_address(value: &str) -> Result<Option<String>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    if gazette_core::address::is_image_address(value) {
        Ok(Some(value.to_owned()))
    } else {
        Err(
            "Use an address on this site, such as /media/2026/01/logo.png, or an https:// address."
                .to_owned(),
        )
    }
}

fn base_url(value: &str) -> Result<Option<url::Url>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    match url::Url::parse(value) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host().is_some()
                && url.query().is_none() =>
        {
            Ok(Some(url))
        }
        _ => Err("Write the site's public address, such as https://journal.example.".to_owned()),
    }
}

/// `GET /admin/settings`.
pub(crate) async fn form(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    client: axum::Extension<crate::kernel::client::Client>,
    headers: HeaderMap,
    Query(query): Query<Saved>,
) -> Result<Response, AppError> {
    administrator(&staff)?;
    let notice = query
        .saved
        .is_some()
        .then_some("Saved. The site uses the new settings now.");
    let mut values = Values::of(&site.publication);
    values.address_in_use = address_in_use(&state, &headers, client.https).await;
    page(
        &state,
        &staff,
        &site,
        StatusCode::OK,
        values,
        &site.publication,
        BTreeMap::new(),
        notice,
    )
    .await
}

/// The address the administrator reached the site at, as `https://host/`, when no `base_url`
/// is set and the host is one the node knows: what they most likely want to set.
async fn address_in_use(state: &AppState, headers: &HeaderMap, https: bool) -> Option<String> {
    let origin = crate::kernel::origin::Origin::of(state, headers, https).await;
    (origin.trust == crate::kernel::origin::Trust::KnownHost).then(|| format!("{}/", origin.url))
}

#[expect(clippy::too_many_arguments, reason = "one page's parts, each named")]
async fn page(
    state: &AppState,
    staff: &Staff,
    site: &Site,
    status: StatusCode,
    values: Values,
    shown: &Publication,
    problems: BTreeMap<&'static str, String>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let newest = newest_article(state).await?;
    let preview = newest.as_ref().map(|article| {
        context! {
            headline => article.headline,
            now => crate::kernel::views::article_url(site, article),
            then => crate::kernel::views::article_url_under(site, shown, article),
        }
    });
    let library: Vec<_> = state
        .store()
        .media_library(&gazette_store::MediaFilter::default(), 0, 100)
        .await?
        .items
        .into_iter()
        .map(|m| context! { url => m.url(), label => m.original_name })
        .collect();
    Ok(staff_page(
        state,
        staff,
        status,
        "admin/settings.html",
        context! { values, problems, preview, library, notice },
    ))
}

async fn newest_article(state: &AppState) -> Result<Option<Article>, AppError> {
    Ok(state
        .store()
        .published_articles(&ArticleFilter::All, 0, 1)
        .await?
        .articles
        .into_iter()
        .next())
}

/// `POST /admin/settings`: previews the permalink pattern, or saves.
pub(crate) async fn save(
    State(state): State<AppState>,
    Snapshot(site): Snapshot,
    staff: Staff,
    CsrfForm(fields): CsrfForm,
) -> Result<Response, AppError> {
    administrator(&staff)?;
    let values = Values::from_form(&fields);
    let updated = match values.apply(&site.publication) {
        Ok(updated) => updated,
        Err(problems) => {
            return page(
                &state,
                &staff,
                &site,
                StatusCode::UNPROCESSABLE_ENTITY,
                values,
                &site.publication,
                problems,
                None,
            )
            .await;
        }
    };
    if fields.get("action") == "preview" {
        let notice =
            "Not saved yet: this is how the new settings would address your newest article.";
        return page(
            &state,
            &staff,
            &site,
            StatusCode::OK,
            values,
            &updated,
            BTreeMap::new(),
            Some(notice),
        )
        .await;
    }
    let sections = Arc::clone(&site);
    let address_under: settings::AddressUnder = Arc::new(move |publication, article| {
        crate::kernel::views::article_url_under(&sections, publication, article)
    });
    settings::save_publication(
        state.store(),
        site.publication.clone(),
        updated,
        address_under,
    )
    .await?;
    Ok(crate::kernel::redirect::see_other("/admin/settings?saved").into_response())
}
