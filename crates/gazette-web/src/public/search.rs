//! `/search/?q=`: the journal's search page. It is never cached and never indexed by search
//! engines; bad input (an unknown section, a date that is not one, a page past the end, an
//! empty or unsearchable query) becomes a message on the page, never an error.

use gazette_core::Article;
use gazette_search::{Filters, SearchRequest};
use jiff::Timestamp;
use minijinja::Value;
use serde::Serialize;

use crate::kernel::pages::page_html;
use crate::kernel::search::{indexed_article, is_searchable};
use crate::kernel::site::Site;
use crate::kernel::views::title;
use crate::kernel::views::{self, Meta};
use crate::{AppError, AppState};

/// Results per page.
const PER_PAGE: usize = 10;
/// The deepest page served: beyond it, results are not worth reading and only cost.
const MAX_PAGE: usize = 100;
const SNIPPET_CHARS: usize = 220;

/// Up to `RELATED` published articles like `article`, as cards, with their ids, from the
/// node's index: shared tags weigh most, then vocabulary. Empty when there is
/// no index or it fails (a page must never fail for want of its footer).
pub(crate) async fn related(
    state: &AppState,
    site: &Site,
    article: &Article,
) -> Result<(Vec<views::Card>, Vec<gazette_core::ArticleId>), AppError> {
    const RELATED: usize = 5;
    let Some(index) = state.search() else {
        return Ok(Default::default());
    };
    if !is_searchable(article) {
        return Ok(Default::default());
    }
    let ids = match index.related(&indexed_article(article, Vec::new()), RELATED) {
        Ok(ids) => ids,
        Err(error) => {
            tracing::warn!(%error, article = article.id.0, "related articles unavailable");
            return Ok(Default::default());
        }
    };
    let ids: Vec<gazette_core::ArticleId> = ids.into_iter().map(gazette_core::ArticleId).collect();
    let mut found = state.store().articles_by_ids(&ids).await?;
    found.retain(|a| is_searchable(a) && a.id != article.id);
    let ids = found.iter().map(|a| a.id).collect();
    Ok((views::cards(state.store(), site, &found).await?, ids))
}

/// The search form's fields, as the reader sent them.
#[derive(Debug, Default, Serialize)]
struct Form {
    q: String,
    section: String,
    /// A tag's slug or name.
    tag: String,
    /// An author's slug.
    author: String,
    from: String,
    to: String,
}

/// Renders the search page for the request's query string.
pub(crate) async fn page(
    state: &AppState,
    site: &Site,
    links: &crate::kernel::origin::Links,
    query: Option<&str>,
    now: Timestamp,
) -> Result<String, AppError> {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    };
    let form = Form {
        q: param("q"),
        section: param("section"),
        tag: param("tag"),
        author: param("author"),
        from: param("from"),
        to: param("to"),
    };
    let mut notices: Vec<String> = Vec::new();
    let mut form = form;
    let filters = filters(site, &mut form, &mut notices);
    let page = match param("page").as_str() {
        "" => 1,
        text => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                notices.push(site.catalogue.text("search.bad_page", &[("page", text)]));
                1
            }
        },
    };

    let mut outcome = Outcome::default();
    if form.q.is_empty() {
        outcome.message = Some(site.catalogue.text("search.prompt", &[]));
    } else {
        match state.search() {
            None => outcome.message = Some(site.catalogue.text("search.unavailable", &[])),
            Some(index) => outcome = run(state, site, index, &form, filters, page, now).await?,
        }
    }

    let heading = if form.q.is_empty() {
        site.catalogue.text("search.title", &[])
    } else {
        site.catalogue
            .text("search.results_for", &[("query", &form.q)])
    };
    let mut meta = Meta {
        title: title(site, &[&heading]),
        canonical: links.canonical(&canonical_path(&form.q)),
        noindex: true,
        feeds: views::feed_links(site, None),
        ..Meta::default()
    };
    meta.share(site, links, &heading);
    let sections: Vec<views::Link> = site
        .sections_under(None)
        .into_iter()
        .flat_map(|top| {
            let mut all = vec![top];
            all.extend(site.sections_under(Some(top.id)));
            all
        })
        .map(|s| views::Link {
            url: s.slug.to_string(),
            name: s.name.clone(),
        })
        .collect();
    let authors: Vec<views::Link> = site
        .authors_by_name()
        .into_iter()
        .map(|(_, a)| views::Link {
            url: a.slug.to_string(),
            name: a.name.clone(),
        })
        .collect();
    let extra = minijinja::context! {
        search => minijinja::context! {
            heading,
            form => Value::from_serialize(&form),
            sections,
            authors,
            notices,
            message => outcome.message,
            count => outcome.count,
            cards => outcome.cards,
            pagination => outcome.pagination,
        },
    };
    page_html(state, site, "search.html", &meta, now, extra)
}

/// `/search/?q=…`, the canonical address of a search.
pub fn canonical_path(query: &str) -> String {
    if query.is_empty() {
        return "/search/".to_owned();
    }
    let encoded: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/search/?q={encoded}")
}

/// The filters the form asks for; unknown or malformed ones are dropped with a notice, and
/// cleared from the form so that it shows, and its page links carry, only what was applied.
fn filters(site: &Site, form: &mut Form, notices: &mut Vec<String>) -> Filters {
    let mut filters = Filters::default();
    if !form.section.is_empty() {
        match site.sections().find(|s| s.slug.as_str() == form.section) {
            Some(section) => {
                filters.sections = site
                    .section_and_descendants(section.id)
                    .iter()
                    .map(|id| id.0)
                    .collect();
            }
            None => {
                notices.push(
                    site.catalogue
                        .text("search.unknown_section", &[("section", &form.section)]),
                );
                form.section.clear();
            }
        }
    }
    if !form.tag.is_empty() {
        match site.tag_named(&form.tag) {
            Some(tag) => filters.tag = Some(tag.id.0),
            None => {
                notices.push(
                    site.catalogue
                        .text("search.unknown_tag", &[("tag", &form.tag)]),
                );
                form.tag.clear();
            }
        }
    }
    if !form.author.is_empty() {
        match site.author_by_slug(&form.author) {
            Some((id, _)) => filters.author = Some(id.0),
            None => {
                notices.push(
                    site.catalogue
                        .text("search.unknown_author", &[("author", &form.author)]),
                );
                form.author.clear();
            }
        }
    }
    let zone = site.publication.time_zone.zone();
    let day = |text: &str, notices: &mut Vec<String>| -> Option<jiff::civil::Date> {
        if text.is_empty() {
            return None;
        }
        match text.parse::<jiff::civil::Date>() {
            Ok(date) => Some(date),
            Err(_) => {
                notices.push(site.catalogue.text("search.bad_date", &[("date", text)]));
                None
            }
        }
    };
    let start_of =
        |date: jiff::civil::Date| date.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
    let from = day(&form.from, notices);
    let to = day(&form.to, notices);
    if from.is_none() {
        form.from.clear();
    }
    if to.is_none() {
        form.to.clear();
    }
    filters.from = from.and_then(start_of);
    // "To" includes the whole day.
    filters.until = to.and_then(|date| date.tomorrow().ok()).and_then(start_of);
    filters
}

#[derive(Debug, Default)]
struct Outcome {
    message: Option<String>,
    count: Option<String>,
    cards: Vec<views::Card>,
    pagination: Option<views::Pagination>,
}

async fn run(
    state: &AppState,
    site: &Site,
    index: &gazette_search::SearchIndex,
    form: &Form,
    filters: Filters,
    page: usize,
    now: Timestamp,
) -> Result<Outcome, AppError> {
    let request = SearchRequest {
        text: form.q.clone(),
        filters,
        offset: (page - 1) * PER_PAGE,
        limit: PER_PAGE,
        now,
        ..SearchRequest::default()
    };
    let results = index
        .search(&request)
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    let mut outcome = Outcome::default();
    if results.parsed.is_empty() {
        outcome.message = Some(
            site.catalogue
                .text("search.unsearchable", &[("query", &form.q)]),
        );
        return Ok(outcome);
    }
    if results.total == 0 {
        outcome.message = Some(site.catalogue.text("search.none", &[("query", &form.q)]));
        return Ok(outcome);
    }
    let ids: Vec<gazette_core::ArticleId> = results
        .hits
        .iter()
        .map(|h| gazette_core::ArticleId(h.id))
        .collect();
    let mut found = state.store().articles_by_ids(&ids).await?;
    // In the index's order; anything that stopped being public since the last commit is left out.
    found.retain(is_searchable);
    let articles: Vec<Article> = ids
        .iter()
        .filter_map(|id| found.iter().find(|a| a.id == *id).cloned())
        .collect();
    let mut cards = views::cards(state.store(), site, &articles).await?;
    for (card, article) in cards.iter_mut().zip(&articles) {
        let text = gazette_render::plain_text(&article.body_html);
        card.snippet_html = Some(excerpt(&results.snippet(&text, SNIPPET_CHARS)));
        card.headline_html = Some(marked(&results.highlight(&article.headline)));
    }
    let total = u64::try_from(results.total).unwrap_or(u64::MAX);
    outcome.count = Some(site.catalogue.plural(
        "search.count",
        total,
        &[("count", &total.to_string()), ("query", &form.q)],
    ));
    if cards.is_empty() {
        outcome.message = Some(site.catalogue.text("search.past_the_end", &[]));
    }
    outcome.cards = cards;
    outcome.pagination = Some(pagination(site, form, page, total));
    Ok(outcome)
}

/// Page links that keep the query and filters.
fn pagination(site: &Site, form: &Form, page: usize, total: u64) -> views::Pagination {
    let pages = total.div_ceil(PER_PAGE as u64).clamp(1, MAX_PAGE as u64);
    let link = |n: u64| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &form.q);
        for (key, value) in [
            ("section", &form.section),
            ("from", &form.from),
            ("to", &form.to),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        if n > 1 {
            query.append_pair("page", &n.to_string());
        }
        format!("/search/?{}", query.finish())
    };
    let page = page as u64;
    views::Pagination {
        pages,
        position: site.catalogue.text(
            "pagination.position",
            &[("page", &page.to_string()), ("pages", &pages.to_string())],
        ),
        newer: (page > 1).then(|| link(page - 1)),
        older: (page < pages).then(|| link(page + 1)),
    }
}

/// A snippet as an excerpt's HTML: marked, and followed by an ellipsis (it is cut from a longer
/// text).
fn excerpt(snippet: &gazette_search::Snippet) -> String {
    let mut html = marked(snippet);
    if !snippet.text.is_empty() {
        html.push('…');
    }
    html
}

/// A text as HTML: escaped, its matches in `<mark>`.
fn marked(snippet: &gazette_search::Snippet) -> String {
    let mut html = String::with_capacity(snippet.text.len() + 64);
    let mut at = 0;
    for range in &snippet.highlights {
        let (Some(before), Some(matched)) = (
            snippet.text.get(at..range.start),
            snippet.text.get(range.clone()),
        ) else {
            continue;
        };
        html.push_str(&gazette_render::escape_html(before));
        html.push_str("<mark>");
        html.push_str(&gazette_render::escape_html(matched));
        html.push_str("</mark>");
        at = range.end;
    }
    html.push_str(&gazette_render::escape_html(
        snippet.text.get(at..).unwrap_or(""),
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_escape_text_and_mark_matches() {
        let snippet = gazette_search::Snippet {
            text: "<b>pensions</b> & taxes & pensions".to_owned(),
            highlights: vec![3..11, 26..34],
        };
        assert_eq!(
            excerpt(&snippet),
            "&lt;b&gt;<mark>pensions</mark>&lt;/b&gt; &amp; taxes &amp; <mark>pensions</mark>…"
        );
    }

    #[test]
    fn canonical_addresses_encode_the_query() {
        assert_eq!(canonical_path(""), "/search/");
        assert_eq!(canonical_path("tax & spend"), "/search/?q=tax+%26+spend");
    }
}
