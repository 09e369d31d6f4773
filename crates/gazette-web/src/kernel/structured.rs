//! Structured data and sharing cards: schema.org JSON-LD for articles (NewsArticle and its
//! opinion, analysis and review kinds) and for the home page (the journal as a Periodical with
//! its ISSNs, published by a NewsMediaOrganization), and the OpenGraph and Twitter card tags
//! every page carries.
//!
//! Addresses are made by the page's [`Links`], like its canonical link: absolute from the
//! publication's `base_url` or a host the node knows, paths otherwise (see `crate::kernel::origin`).

use gazette_core::digits::utc;
use gazette_core::{Article, Genre};
use serde::Serialize;
use serde_json::{Value, json};

use crate::kernel::origin::Links;
use crate::kernel::site::Site;

/// One `<meta>` tag: OpenGraph uses `property`, Twitter `name`.
#[derive(Debug, Serialize)]
pub struct SocialTag {
    pub attribute: &'static str,
    pub key: &'static str,
    pub content: String,
}

/// What a page shares: its title, description, canonical address and image.
pub struct Shared<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The canonical address, as `views::canonical` makes it.
    pub url: &'a str,
    /// A path or address; the publication's logo stands in when None.
    pub image: Option<&'a str>,
    /// The image's crop for social networks, when the library has made one: shared links
    /// show it instead of `image`.
    pub social_image: Option<&'a gazette_core::media::Crop>,
    pub article: Option<&'a Article>,
}

/// OpenGraph and Twitter card tags for a page.
pub(crate) fn social_tags(site: &Site, links: &Links, shared: &Shared<'_>) -> Vec<SocialTag> {
    let publication = &site.publication;
    let social_crop = shared.social_image.map(|crop| crop.url());
    let image = social_crop
        .as_deref()
        .or(shared.image)
        .or(publication.logo.as_deref())
        .map(|src| links.absolute(src));
    let og = |key, content: String| SocialTag {
        attribute: "property",
        key,
        content,
    };
    let twitter = |key, content: String| SocialTag {
        attribute: "name",
        key,
        content,
    };
    let mut tags = vec![
        og("og:site_name", publication.name.clone()),
        og("og:locale", publication.language.as_str().replace('-', "_")),
        og(
            "og:type",
            if shared.article.is_some() {
                "article"
            } else {
                "website"
            }
            .to_owned(),
        ),
        og("og:title", shared.title.to_owned()),
    ];
    if !shared.description.is_empty() {
        tags.push(og("og:description", shared.description.to_owned()));
    }
    tags.push(og("og:url", shared.url.to_owned()));
    if let Some(image) = &image {
        tags.push(og("og:image", image.clone()));
    }
    if let Some(crop) = shared.social_image {
        tags.push(og("og:image:width", crop.width.to_string()));
        tags.push(og("og:image:height", crop.height.to_string()));
    }
    if let Some(article) = shared.article {
        if let Some(at) = article.published_at {
            tags.push(og("article:published_time", utc(at)));
        }
        tags.push(og("article:modified_time", utc(modified(article))));
        if let Some(section) = article.primary_section.and_then(|id| site.section(id)) {
            tags.push(og("article:section", section.name.clone()));
        }
        for tag in article.tags.iter().filter_map(|id| site.tag(*id)) {
            tags.push(og("article:tag", tag.name.clone()));
        }
    }
    let card = if shared.image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    tags.push(twitter("twitter:card", card.to_owned()));
    tags.push(twitter("twitter:title", shared.title.to_owned()));
    if !shared.description.is_empty() {
        tags.push(twitter(
            "twitter:description",
            shared.description.to_owned(),
        ));
    }
    if let Some(image) = image {
        tags.push(twitter("twitter:image", image));
    }
    tags
}

/// The schema.org type for an article's genre.
fn article_type(genre: Genre) -> &'static str {
    match genre {
        Genre::Opinion => "OpinionNewsArticle",
        Genre::Analysis => "AnalysisNewsArticle",
        Genre::Review => "ReviewNewsArticle",
        Genre::News | Genre::Interview => "NewsArticle",
    }
}

/// An article's JSON-LD. `locked` marks a password-protected article not readable for free.
pub(crate) fn article_json_ld(
    site: &Site,
    links: &Links,
    article: &Article,
    shared: &Shared<'_>,
    locked: bool,
) -> String {
    let authors: Vec<Value> = article
        .authors
        .iter()
        .filter_map(|id| site.author(*id))
        .map(|author| {
            let mut person = json!({ "@type": "Person", "name": author.name });
            if let Some(path) = author.archive_path() {
                person["url"] = json!(links.canonical(&path));
            }
            person
        })
        .collect();
    let sections: Vec<&str> = article
        .sections()
        .filter_map(|id| site.section(id))
        .map(|s| s.name.as_str())
        .collect();
    let keywords: Vec<&str> = article
        .tags
        .iter()
        .filter_map(|id| site.tag(*id))
        .map(|t| t.name.as_str())
        .collect();
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": article_type(article.genre),
        "headline": article.headline,
        "mainEntityOfPage": { "@type": "WebPage", "@id": shared.url },
        "url": shared.url,
        "dateModified": utc(modified(article)),
        "author": authors,
        "publisher": organisation(site, links),
        "isPartOf": periodical(site, links),
        "inLanguage": site.publication.language.as_str(),
    });
    let fields = [
        (
            "description",
            (!shared.description.is_empty()).then(|| json!(shared.description)),
        ),
        (
            "image",
            shared.image.map(|src| json!([links.absolute(src)])),
        ),
        (
            "datePublished",
            article.published_at.map(|at| json!(utc(at))),
        ),
        (
            "articleSection",
            (!sections.is_empty()).then(|| json!(sections)),
        ),
        ("keywords", (!keywords.is_empty()).then(|| json!(keywords))),
        ("isAccessibleForFree", locked.then_some(json!(false))),
    ];
    if let Some(object) = data.as_object_mut() {
        for (key, value) in fields {
            if let Some(value) = value {
                object.insert(key.to_owned(), value);
            }
        }
    }
    script_text(&data)
}

/// The home page's JSON-LD: the journal as a Periodical, its publisher, and the website.
pub(crate) fn home_json_ld(site: &Site, links: &Links) -> String {
    let mut periodical = periodical(site, links);
    if let Some(object) = periodical.as_object_mut() {
        object.insert("publisher".to_owned(), organisation(site, links));
        if !site.publication.description.is_empty() {
            object.insert(
                "description".to_owned(),
                json!(site.publication.description),
            );
        }
        object.insert(
            "inLanguage".to_owned(),
            json!(site.publication.language.as_str()),
        );
    }
    let data = json!({
        "@context": "https://schema.org",
        "@graph": [
            periodical,
            {
                "@type": "WebSite",
                "name": site.publication.name,
                "url": links.canonical("/"),
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": format!("{}?q={{search_term_string}}", links.canonical("/search/")),
                    "query-input": "required name=search_term_string",
                },
            },
        ],
    });
    script_text(&data)
}

fn organisation(site: &Site, links: &Links) -> Value {
    let publication = &site.publication;
    let mut organisation = json!({
        "@type": "NewsMediaOrganization",
        "name": publication.name,
        "url": links.canonical("/"),
    });
    if let (Some(logo), Some(object)) = (&publication.logo, organisation.as_object_mut()) {
        object.insert(
            "logo".to_owned(),
            json!({ "@type": "ImageObject", "url": links.absolute(logo) }),
        );
    }
    organisation
}

/// The journal as a Periodical, with its print and electronic ISSNs when set.
fn periodical(site: &Site, links: &Links) -> Value {
    let publication = &site.publication;
    let issns: Vec<String> = [publication.issn, publication.eissn]
        .iter()
        .flatten()
        .map(ToString::to_string)
        .collect();
    let mut periodical = json!({
        "@type": "Periodical",
        "name": publication.name,
        "url": links.canonical("/"),
    });
    if let Some(object) = periodical.as_object_mut() {
        match issns.as_slice() {
            [] => {}
            [one] => {
                object.insert("issn".to_owned(), json!(one));
            }
            many => {
                object.insert("issn".to_owned(), json!(many));
            }
        }
    }
    periodical
}

/// JSON safe inside `<script type="application/ld+json">`: `<`, `>` and `&` only ever occur
/// inside JSON strings, where their `\u` escapes mean the same, so no `</script>` can close the
/// element early.
fn script_text(data: &Value) -> String {
    data.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn modified(article: &Article) -> jiff::Timestamp {
    let published = article.published_at.unwrap_or(article.created_at);
    article
        .significantly_updated_at
        .unwrap_or(published)
        .max(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_its_element() {
        let text = script_text(&json!({ "headline": "</script><b>&" }));
        assert_eq!(
            text,
            r#"{"headline":"\u003c/script\u003e\u003cb\u003e\u0026"}"#
        );
        let back: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back["headline"], "</script><b>&");
    }

    #[test]
    fn genres_have_their_schema_types() {
        assert_eq!(article_type(Genre::Opinion), "OpinionNewsArticle");
        assert_eq!(article_type(Genre::Analysis), "AnalysisNewsArticle");
        assert_eq!(article_type(Genre::Review), "ReviewNewsArticle");
        assert_eq!(article_type(Genre::Interview), "NewsArticle");
    }
}
