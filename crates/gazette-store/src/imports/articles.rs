//! Imported articles, written with their ids, times, bylines, sections and tags, and the old
//! addresses that keep redirecting to them.

use std::collections::HashMap;

use gazette_core::{ArticleId, Status};
use jiff::Timestamp;

use crate::articles::NewArticle;
use crate::query::Param;
use crate::{ImportedArticle, StoreError, WriteTx};

impl WriteTx {
    /// Inserts articles with their ids, times, bylines, further sections and tags. Scheduled
    /// ones get their publication job.
    pub async fn import_articles(
        &mut self,
        articles: Vec<ImportedArticle>,
    ) -> Result<(), StoreError> {
        let mut rows = Vec::with_capacity(articles.len());
        let mut links: [Vec<Vec<Param>>; 3] = Default::default();
        let mut scheduled = Vec::new();
        for imported in articles {
            let ImportedArticle {
                article,
                created_at,
                updated_at,
            } = imported;
            let Some(id) = article.id else {
                return Err(StoreError::corrupt("imported article", "it has no id"));
            };
            let lists = [
                article.authors.iter().map(|p| p.0).collect::<Vec<_>>(),
                article.further_sections.iter().map(|s| s.0).collect(),
                article.tags.iter().map(|t| t.0).collect(),
            ];
            for (table, ids) in links.iter_mut().zip(lists) {
                for (position, linked) in ids.into_iter().enumerate() {
                    let position = i64::try_from(position).unwrap_or(i64::MAX);
                    table.push(vec![
                        Param::Int(id.0),
                        Param::Int(linked),
                        Param::Int(position),
                    ]);
                }
            }
            rows.push(article_params(&article, id.0, created_at, updated_at));
            if article.status == Status::Scheduled {
                scheduled.push(article.into_article(id, updated_at));
            }
        }
        self.insert_rows("articles", ARTICLE_IMPORT_COLUMNS, rows)
            .await?;
        let [authors, sections, tags] = links;
        let tables = [
            ("article_authors", "person_id", authors),
            ("article_sections", "section_id", sections),
            ("article_tags", "tag_id", tags),
        ];
        for (table, column, rows) in tables {
            self.insert_rows(table, &["article_id", column, "position"], rows)
                .await?;
        }
        for article in &scheduled {
            self.sync_publication_job(article).await?;
        }
        Ok(())
    }

    /// Retires many paths at once, as [`WriteTx::retire_article_path`] retires one: a path
    /// already known moves to its new article. When `paths` names one path twice, the last
    /// article wins (one statement cannot update a row twice).
    pub async fn import_retired_paths(
        &mut self,
        paths: Vec<(String, ArticleId)>,
    ) -> Result<(), StoreError> {
        let mut last: HashMap<String, ArticleId> = HashMap::with_capacity(paths.len());
        let mut order = Vec::with_capacity(paths.len());
        for (path, article) in paths {
            if last.insert(path.clone(), article).is_none() {
                order.push(path);
            }
        }
        let now = self.now;
        let rows = order
            .into_iter()
            .filter_map(|path| {
                let article = last.get(&path)?.0;
                Some(vec![
                    Param::Text(path),
                    Param::Int(article),
                    Param::Time(now),
                ])
            })
            .collect();
        self.insert_rows_then(
            "article_paths",
            &["path", "article_id", "retired_at"],
            rows,
            " on conflict (path) do update set article_id = excluded.article_id, \
             retired_at = excluded.retired_at",
        )
        .await
    }
}

const ARTICLE_IMPORT_COLUMNS: &[&str] = &[
    "id",
    "headline",
    "standfirst",
    "slug",
    "body_format",
    "body_source",
    "body_html",
    "render_version",
    "excerpt",
    "primary_section_id",
    "image_src",
    "image_alt",
    "image_caption",
    "image_credit",
    "image_media_id",
    "genre",
    "status",
    "password",
    "sticky",
    "comments_open",
    "published_at",
    "updated_at",
    "significantly_updated_at",
    "corrections",
    "legacy_wp_id",
    "legacy_guid",
    "created_at",
    "seo_title",
    "seo_description",
    "unfiltered_html",
    "canonical_url",
    "noindex",
];

fn article_params(
    article: &NewArticle,
    id: i64,
    created_at: Timestamp,
    updated_at: Timestamp,
) -> Vec<Param> {
    let image = article.featured_image.as_ref();
    vec![
        Param::Int(id),
        Param::Text(article.headline.clone()),
        Param::Text(article.standfirst.clone()),
        Param::Text(article.slug.as_str().to_owned()),
        Param::Text(article.body_format.as_str().to_owned()),
        Param::Text(article.body_source.clone()),
        Param::Text(article.body_html.as_str().to_owned()),
        Param::Int(i64::from(article.render_version)),
        Param::Text(article.excerpt.clone()),
        Param::opt_int(article.primary_section.map(|s| s.0)),
        Param::opt_text(image.map(|i| i.src.as_str())),
        Param::Text(image.map_or_else(String::new, |i| i.alt.clone())),
        Param::Text(image.map_or_else(String::new, |i| i.caption.clone())),
        Param::Text(image.map_or_else(String::new, |i| i.credit.clone())),
        Param::opt_int(image.and_then(|i| i.media).map(|m| m.0)),
        Param::Text(article.genre.as_str().to_owned()),
        Param::Text(article.status.as_str().to_owned()),
        Param::opt_text(article.password.as_deref()),
        Param::Bool(article.sticky),
        Param::Bool(article.comments_open),
        Param::opt_time(article.published_at),
        Param::Time(updated_at),
        Param::opt_time(article.significantly_updated_at),
        Param::Text(article.corrections.clone()),
        Param::opt_int(article.legacy_wp_id),
        Param::opt_text(article.legacy_guid.as_deref()),
        Param::Time(created_at),
        Param::Text(article.seo_title.clone()),
        Param::Text(article.seo_description.clone()),
        Param::Bool(article.unfiltered_html),
        Param::Text(article.canonical_url.clone()),
        Param::Bool(article.noindex),
    ]
}
