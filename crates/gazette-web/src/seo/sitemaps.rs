//! Sitemaps for search engines: `/sitemap.xml` is an index of child sitemaps (articles by
//! month, sections, tags, authors, pages), each at most 50,000 addresses with their `lastmod`;
//! `/news-sitemap.xml` lists the last two days' articles in Google News's format.
//!
//! A month with more than 50,000 articles is split into parts (`sitemap-articles-2026-11-2.xml`),
//! and so are the taxonomy sitemaps. Months are UTC months: a sitemap's grouping is for crawlers,
//! not readers. A month's addresses are kept between renders until the store says one of its
//! articles changed (`cache::months`); the XML is written afresh each time.

use std::sync::Arc;

use gazette_core::ArticleAddress;
use gazette_core::digits::{push_utc, utc};
use gazette_store::{AddressDetails, ArchiveDates, ArticleFilter};
use jiff::{SignedDuration, Timestamp};

use crate::cache::{MonthPart, RenderedPage, Shows};
use crate::kernel::route::SitemapName;
use crate::kernel::site::Site;
use crate::kernel::views::address_url;
use crate::kernel::xml::element;
use crate::{AppError, AppState};

/// The sitemaps.org limit on addresses per sitemap.
pub const MAX_URLS: usize = 50_000;
/// Google News lists articles from the last two days, at most 1,000 per sitemap.
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
const NEWS_MAX: u64 = 1_000;

const CONTENT_TYPE: &str = "application/xml; charset=utf-8";
const SITEMAPS_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// One `<url>` or `<sitemap>` entry.
struct Entry {
    loc: String,
    lastmod: Option<Timestamp>,
}

/// Renders the sitemap `name`, with addresses under `origin`.
pub(crate) async fn render(
    state: &AppState,
    site: &Site,
    name: SitemapName,
    origin: &str,
    now: Timestamp,
) -> Result<RenderedPage, AppError> {
    let mut stale_at = site.next_boundary.filter(|at| *at > now);
    let body = match name {
        SitemapName::Index => index(state, site, origin).await?,
        SitemapName::News => {
            let (body, expires) = news(state, site, origin, now).await?;
            stale_at = [stale_at, expires].into_iter().flatten().min();
            body
        }
        SitemapName::Articles { year, month, part } => {
            let articles = month_addresses(state, site, MonthPart { year, month, part }).await?;
            if articles.is_empty() {
                return Err(AppError::NotFound);
            }
            let entries = articles
                .iter()
                .filter(|a| a.for_search_engines)
                .map(|article| {
                    let published = article.published_at.unwrap_or(article.created_at);
                    Entry {
                        loc: format!("{origin}{}", address_url(site, article)),
                        lastmod: Some(
                            article
                                .significantly_updated_at
                                .unwrap_or(published)
                                .max(published),
                        ),
                    }
                });
            urlset(entries)
        }
        SitemapName::Sections { part }
        | SitemapName::Tags { part }
        | SitemapName::Authors { part } => {
            let dates = state.store().archive_dates().await?;
            let all = archives(site, &dates, name, origin);
            let chunk: Vec<Entry> = all
                .into_iter()
                .skip((part - 1) * MAX_URLS)
                .take(MAX_URLS)
                .collect();
            if chunk.is_empty() && part > 1 {
                return Err(AppError::NotFound);
            }
            urlset(chunk)
        }
        SitemapName::Pages => {
            let newest = state.store().newest_publication().await?;
            let mut entries = vec![Entry {
                loc: format!("{origin}/"),
                lastmod: newest,
            }];
            let mut pages: Vec<(String, Timestamp)> = site
                .published_pages()
                .filter_map(|page| Some((site.page_url(page.id)?, page.updated_at)))
                .collect();
            pages.sort();
            entries.extend(pages.into_iter().map(|(path, at)| Entry {
                loc: format!("{origin}{path}"),
                lastmod: Some(at),
            }));
            urlset(entries)
        }
    };
    // Every sitemap lists whichever articles (or archives of them) are current.
    Ok(RenderedPage {
        content_type: CONTENT_TYPE,
        ..RenderedPage::html(body, stale_at)
    }
    .showing(vec![Shows::Listings]))
}

/// The index: every article month (in parts), then the archives and pages. It reads one row
/// per month and three newest dates, never the articles themselves.
async fn index(state: &AppState, site: &Site, origin: &str) -> Result<String, AppError> {
    let store = state.store();
    let mut entries = Vec::new();
    for month in store.published_months().await? {
        let count = usize::try_from(month.articles).unwrap_or(usize::MAX);
        for part in 1..=count.div_ceil(MAX_URLS) {
            let name = SitemapName::Articles {
                year: month.year,
                month: month.month,
                part,
            };
            entries.push(Entry {
                loc: format!("{origin}{}", name.path()),
                lastmod: Some(month.newest_change),
            });
        }
    }
    entries.extend(archive_sitemaps(state, site, origin).await?);
    let newest_page = site.published_pages().map(|p| p.updated_at).max();
    let newest_article = store.newest_publication().await?;
    entries.push(Entry {
        loc: format!("{origin}{}", SitemapName::Pages.path()),
        lastmod: newest_page.max(newest_article),
    });
    Ok(sitemap_index(entries))
}

/// The sections', tags' and authors' sitemaps, each with its parts. A journal with no more
/// archives of a kind than fit one sitemap (every journal we know of) needs only the newest
/// article filed, tagged or signed; a bigger one counts its non-empty archives. (The newest
/// signed article may be by someone readers cannot look up, whose archive the authors'
/// sitemap leaves out: its `lastmod` is then a little late, which costs a crawler one visit.)
async fn archive_sitemaps(
    state: &AppState,
    site: &Site,
    origin: &str,
) -> Result<Vec<Entry>, AppError> {
    let kinds = [
        (
            site.sections().count(),
            (|part| SitemapName::Sections { part }) as fn(usize) -> SitemapName,
        ),
        (site.tag_count(), |part| SitemapName::Tags { part }),
        (site.author_count(), |part| SitemapName::Authors { part }),
    ];
    let mut entries = Vec::new();
    if kinds.iter().all(|(known, _)| *known <= MAX_URLS) {
        let newest = state.store().newest_archived().await?;
        for ((_, make), lastmod) in kinds
            .iter()
            .zip([newest.sections, newest.tags, newest.authors])
        {
            // No article in any archive of the kind: its sitemap would be empty.
            if lastmod.is_some() {
                entries.push(Entry {
                    loc: format!("{origin}{}", make(1).path()),
                    lastmod,
                });
            }
        }
        return Ok(entries);
    }
    let archive_dates = state.store().archive_dates().await?;
    for (_, make) in kinds {
        let all = archives(site, &archive_dates, make(1), origin);
        for (index, chunk) in all.chunks(MAX_URLS).enumerate() {
            entries.push(Entry {
                loc: format!("{origin}{}", make(index + 1).path()),
                lastmod: chunk.iter().filter_map(|e| e.lastmod).max(),
            });
        }
    }
    Ok(entries)
}

/// Every non-empty archive of the kind `name` names, in a stable order.
fn archives(site: &Site, dates: &ArchiveDates, name: SitemapName, origin: &str) -> Vec<Entry> {
    let mut found: Vec<(String, Timestamp)> = match name {
        SitemapName::Sections { .. } => site
            .sections()
            .filter_map(|section| {
                // A section's archive lists its sub-sections' articles too.
                let newest = site
                    .section_and_descendants(section.id)
                    .iter()
                    .filter_map(|id| dates.sections.get(id))
                    .max()
                    .copied()?;
                Some((site.section_url(section.id), newest))
            })
            .collect(),
        SitemapName::Tags { .. } => dates
            .tags
            .iter()
            .filter_map(|(id, at)| Some((format!("/tag/{}/", site.tag(*id)?.slug), *at)))
            .collect(),
        SitemapName::Authors { .. } => dates
            .authors
            .iter()
            .filter_map(|(id, at)| Some((site.public_author(*id)?.archive_path()?, *at)))
            .collect(),
        _ => Vec::new(),
    };
    found.sort();
    found
        .into_iter()
        .map(|(path, at)| Entry {
            loc: format!("{origin}{path}"),
            lastmod: Some(at),
        })
        .collect()
}

/// The Google News sitemap and when it next changes by itself (its oldest article leaves the
/// two-day window).
async fn news(
    state: &AppState,
    site: &Site,
    origin: &str,
    now: Timestamp,
) -> Result<(String, Option<Timestamp>), AppError> {
    let from = now.checked_sub(NEWS_WINDOW).unwrap_or(Timestamp::MIN);
    let until = now
        .checked_add(SignedDuration::from_micros(1))
        .unwrap_or(Timestamp::MAX);
    let filter = ArticleFilter::PublishedBetween { from, until };
    let articles = state
        .store()
        .newest_addresses(&filter, 0, NEWS_MAX, details(site, true))
        .await?;
    let publication = &site.publication;
    let language = news_language(publication.language.as_str());
    let mut out = String::with_capacity(1024 + articles.len() * 512);
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAPS_NS}\" xmlns:news=\"{NEWS_NS}\">\n"
    ));
    let mut oldest: Option<Timestamp> = None;
    for article in articles.iter().filter(|a| a.for_search_engines) {
        let published = article.published_at.unwrap_or(article.created_at);
        oldest = Some(oldest.map_or(published, |o| o.min(published)));
        out.push_str("<url>");
        element(
            &mut out,
            "loc",
            &format!("{origin}{}", address_url(site, article)),
        );
        out.push_str("<news:news><news:publication>");
        element(&mut out, "news:name", &publication.name);
        element(&mut out, "news:language", &language);
        out.push_str("</news:publication>");
        element(&mut out, "news:publication_date", &utc(published));
        element(&mut out, "news:title", &article.headline);
        out.push_str("</news:news></url>\n");
    }
    out.push_str("</urlset>\n");
    let expires = oldest.and_then(|at| at.checked_add(NEWS_WINDOW).ok());
    Ok((out, expires))
}

/// Google News wants an ISO 639 code, except for Chinese, where it tells the scripts apart.
fn news_language(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or("en");
    if primary == "zh" {
        let traditional = ["hant", "tw", "hk", "mo"]
            .iter()
            .any(|s| lower.split('-').skip(1).any(|part| part == *s));
        return if traditional { "zh-tw" } else { "zh-cn" }.to_owned();
    }
    primary.to_owned()
}

/// About what one entry takes: an article's address and its date in their elements.
const ENTRY_BYTES: usize = 160;

fn urlset(entries: impl IntoIterator<Item = Entry>) -> String {
    document("urlset", "url", entries)
}

fn sitemap_index(entries: impl IntoIterator<Item = Entry>) -> String {
    document("sitemapindex", "sitemap", entries)
}

fn document(root: &str, item: &str, entries: impl IntoIterator<Item = Entry>) -> String {
    let entries = entries.into_iter();
    // Sized for every entry at once: a month of 1,200 grew its text a dozen times, copying
    // it each time, and each growth touched fresh pages.
    let (fewest, most) = entries.size_hint();
    let mut out = String::with_capacity(256 + most.unwrap_or(fewest) * ENTRY_BYTES);
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{SITEMAPS_NS}\">\n"
    ));
    for entry in entries {
        out.push('<');
        out.push_str(item);
        out.push('>');
        element(&mut out, "loc", &entry.loc);
        if let Some(at) = entry.lastmod {
            out.push_str("<lastmod>");
            push_utc(&mut out, at);
            out.push_str("</lastmod>");
        }
        out.push_str("</");
        out.push_str(item);
        out.push_str(">\n");
    }
    out.push_str("</");
    out.push_str(root);
    out.push_str(">\n");
    out
}

/// What a sitemap needs besides addresses: the lead author when the journal's permalinks name
/// it, the headline when the sitemap shows it (`headline`: the news sitemap).
fn details(site: &Site, headline: bool) -> AddressDetails {
    AddressDetails {
        lead_author: site.publication.permalink.uses_author(),
        headline,
    }
}

/// The addresses one part of a month's sitemap lists, newest first: kept between renders
/// while the month's revision stays (see `cache::months`), unless permalinks name authors,
/// whose lead bylines the revision does not follow.
async fn month_addresses(
    state: &AppState,
    site: &Site,
    at: MonthPart,
) -> Result<Arc<[ArticleAddress]>, AppError> {
    let offset = u64::try_from((at.part - 1) * MAX_URLS).unwrap_or(u64::MAX);
    let limit = u64::try_from(MAX_URLS).unwrap_or(u64::MAX);
    let store = state.store();
    let details = details(site, false);
    let month = (at.year, at.month);
    if details != AddressDetails::FOLLOWED {
        let read = store
            .month_addresses(month, offset, limit, details, None)
            .await?;
        return Ok(read.addresses().unwrap_or_default().into());
    }
    let addresses = state
        .page_cache()
        .month_addresses(at, |kept| {
            store.month_addresses(month, offset, limit, details, kept)
        })
        .await?;
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_one_spelling_and_print_back() {
        for (file, name) in [
            ("sitemap.xml", SitemapName::Index),
            ("news-sitemap.xml", SitemapName::News),
            ("sitemap-pages.xml", SitemapName::Pages),
            ("sitemap-tags.xml", SitemapName::Tags { part: 1 }),
            ("sitemap-tags-2.xml", SitemapName::Tags { part: 2 }),
            ("sitemap-sections.xml", SitemapName::Sections { part: 1 }),
            ("sitemap-authors.xml", SitemapName::Authors { part: 1 }),
            (
                "sitemap-articles-2026-11.xml",
                SitemapName::Articles {
                    year: 2026,
                    month: 11,
                    part: 1,
                },
            ),
            (
                "sitemap-articles-2026-01-3.xml",
                SitemapName::Articles {
                    year: 2026,
                    month: 1,
                    part: 3,
                },
            ),
        ] {
            assert_eq!(SitemapName::parse(file), Some(name), "{file}");
            assert_eq!(name.path(), format!("/{file}"));
        }
        for file in [
            "sitemap-tags-1.xml",
            "sitemap-tags-02.xml",
            "sitemap-tags-x.xml",
            "sitemap-articles-2026-13.xml",
            "sitemap-articles-2026-1.xml",
            "sitemap-articles-2026-11-2-3.xml",
            "sitemap-other.xml",
            "sitemap.xml.gz",
        ] {
            assert_eq!(SitemapName::parse(file), None, "{file}");
        }
    }

    #[test]
    fn news_languages_are_iso_639_with_chinese_scripts() {
        assert_eq!(news_language("en"), "en");
        assert_eq!(news_language("pt-BR"), "pt");
        assert_eq!(news_language("zh-Hant-TW"), "zh-tw");
        assert_eq!(news_language("zh-Hans"), "zh-cn");
    }
}
