//! Articles with their bylines, sections and tags.

use gazette_core::{
    Article, ArticleId, BodyFormat, FeaturedImage, Genre, PersonId, SafeHtml, SectionId, Slug,
    Status, TagId,
};
use jiff::Timestamp;

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{NewJob, Store, StoreError, WriteTx};

/// An article to create. The caller renders the body (the store never renders).
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// A WordPress post id to keep (imports); None lets the store pick the next id.
    pub id: Option<ArticleId>,
    pub headline: String,
    pub standfirst: String,
    pub slug: Slug,
    pub body_format: BodyFormat,
    pub body_source: String,
    pub body_html: SafeHtml,
    pub render_version: i32,
    pub excerpt: String,
    pub authors: Vec<PersonId>,
    pub primary_section: Option<SectionId>,
    pub further_sections: Vec<SectionId>,
    pub tags: Vec<TagId>,
    pub featured_image: Option<FeaturedImage>,
    pub genre: Genre,
    pub status: Status,
    pub password: Option<String>,
    pub sticky: bool,
    pub comments_open: bool,
    pub published_at: Option<Timestamp>,
    pub significantly_updated_at: Option<Timestamp>,
    pub corrections: String,
    pub seo_title: String,
    pub seo_description: String,
    pub canonical_url: String,
    pub noindex: bool,
    pub legacy_wp_id: Option<i64>,
    pub legacy_guid: Option<String>,
    /// The body was rendered without sanitising (saved by an editor or administrator).
    pub unfiltered_html: bool,
}

impl NewArticle {
    /// A draft with the given headline, a slug made from it and a Markdown body.
    pub fn draft(
        headline: &str,
        body_source: &str,
        body_html: SafeHtml,
        render_version: i32,
    ) -> Self {
        Self {
            id: None,
            headline: headline.to_owned(),
            standfirst: String::new(),
            slug: Slug::from_headline(headline),
            body_format: BodyFormat::Markdown,
            body_source: body_source.to_owned(),
            body_html,
            render_version,
            excerpt: String::new(),
            authors: Vec::new(),
            primary_section: None,
            further_sections: Vec::new(),
            tags: Vec::new(),
            featured_image: None,
            genre: Genre::News,
            status: Status::Draft,
            password: None,
            sticky: false,
            comments_open: true,
            published_at: None,
            significantly_updated_at: None,
            corrections: String::new(),
            seo_title: String::new(),
            seo_description: String::new(),
            canonical_url: String::new(),
            noindex: false,
            legacy_wp_id: None,
            legacy_guid: None,
            unfiltered_html: false,
        }
    }

    /// The article this would be, before it is saved (id 0, times at the epoch): what an
    /// editor shows for a new article.
    pub fn unsaved(self) -> Article {
        self.into_article(ArticleId(0), Timestamp::UNIX_EPOCH)
    }

    pub(crate) fn into_article(self, id: ArticleId, now: Timestamp) -> Article {
        Article {
            id,
            headline: self.headline,
            standfirst: self.standfirst,
            slug: self.slug,
            body_format: self.body_format,
            body_source: self.body_source,
            body_html: self.body_html,
            render_version: self.render_version,
            excerpt: self.excerpt,
            authors: self.authors,
            primary_section: self.primary_section,
            further_sections: self.further_sections,
            tags: self.tags,
            featured_image: self.featured_image,
            genre: self.genre,
            status: self.status,
            password: self.password,
            sticky: self.sticky,
            comments_open: self.comments_open,
            published_at: self.published_at,
            updated_at: now,
            significantly_updated_at: self.significantly_updated_at,
            corrections: self.corrections,
            seo_title: self.seo_title,
            seo_description: self.seo_description,
            canonical_url: self.canonical_url,
            noindex: self.noindex,
            legacy_wp_id: self.legacy_wp_id,
            legacy_guid: self.legacy_guid,
            created_at: now,
            unfiltered_html: self.unfiltered_html,
        }
    }
}

/// The kind of the job that publishes a scheduled article; its payload is
/// `{"article_id": N}`.
pub const PUBLISH_SCHEDULED: &str = "publish_scheduled";

fn publication_job_key(id: ArticleId) -> String {
    format!("{PUBLISH_SCHEDULED}:{id}")
}

/// An article's fields as a new one: for creating what an editor filled in. Legacy ids stay
/// behind: they belong to the imported original only.
impl From<Article> for NewArticle {
    fn from(article: Article) -> Self {
        Self {
            id: None,
            headline: article.headline,
            standfirst: article.standfirst,
            slug: article.slug,
            body_format: article.body_format,
            body_source: article.body_source,
            body_html: article.body_html,
            render_version: article.render_version,
            excerpt: article.excerpt,
            authors: article.authors,
            primary_section: article.primary_section,
            further_sections: article.further_sections,
            tags: article.tags,
            featured_image: article.featured_image,
            genre: article.genre,
            status: article.status,
            password: article.password,
            sticky: article.sticky,
            comments_open: article.comments_open,
            published_at: article.published_at,
            significantly_updated_at: article.significantly_updated_at,
            corrections: article.corrections,
            seo_title: article.seo_title,
            seo_description: article.seo_description,
            canonical_url: article.canonical_url,
            noindex: article.noindex,
            legacy_wp_id: None,
            legacy_guid: None,
            unfiltered_html: article.unfiltered_html,
        }
    }
}

/// The columns `article_from_row` reads, in every backend's queries.
pub(crate) const ARTICLE_COLUMNS: &str = "id, headline, standfirst, slug, body_format, body_source, \
    body_html, render_version, excerpt, primary_section_id, image_src, image_alt, image_caption, \
    image_credit, genre, status, password, sticky, comments_open, published_at, updated_at, \
    significantly_updated_at, corrections, legacy_wp_id, legacy_guid, created_at, seo_title, \
    seo_description, image_media_id, unfiltered_html, canonical_url, noindex";

/// The rows that hang off an article: bylines, further sections, tags (each in order).
#[derive(Debug, Default)]
pub(crate) struct ArticleLinks {
    pub authors: Vec<i64>,
    pub sections: Vec<i64>,
    pub tags: Vec<i64>,
}

pub(crate) fn article_from_row(
    row: &impl RowExt,
    links: ArticleLinks,
) -> Result<Article, StoreError> {
    let format = row.text("body_format")?;
    let genre = row.text("genre")?;
    let status = row.text("status")?;
    let featured_image = row
        .opt_text("image_src")?
        .map(|src| -> Result<_, StoreError> {
            Ok(FeaturedImage {
                src,
                alt: row.text("image_alt")?,
                caption: row.text("image_caption")?,
                credit: row.text("image_credit")?,
                media: row.opt_int("image_media_id")?.map(gazette_core::MediaId),
            })
        });
    Ok(Article {
        id: ArticleId(row.int("id")?),
        headline: row.text("headline")?,
        standfirst: row.text("standfirst")?,
        slug: Slug::parse(&row.text("slug")?)
            .map_err(|e| StoreError::corrupt("article slug", e))?,
        body_format: BodyFormat::parse(&format)
            .ok_or_else(|| StoreError::corrupt("body format", &format))?,
        body_source: row.text("body_source")?,
        body_html: SafeHtml::assume_sanitized(row.text("body_html")?),
        render_version: i32::try_from(row.int("render_version")?)
            .map_err(|e| StoreError::corrupt("render version", e))?,
        excerpt: row.text("excerpt")?,
        authors: links.authors.into_iter().map(PersonId).collect(),
        primary_section: row.opt_int("primary_section_id")?.map(SectionId),
        further_sections: links.sections.into_iter().map(SectionId).collect(),
        tags: links.tags.into_iter().map(TagId).collect(),
        featured_image: featured_image.transpose()?,
        genre: Genre::parse(&genre).ok_or_else(|| StoreError::corrupt("genre", &genre))?,
        status: Status::parse(&status).ok_or_else(|| StoreError::corrupt("status", &status))?,
        password: row.opt_text("password")?,
        sticky: row.flag("sticky")?,
        comments_open: row.flag("comments_open")?,
        published_at: row.opt_time("published_at")?,
        updated_at: row.time("updated_at")?,
        significantly_updated_at: row.opt_time("significantly_updated_at")?,
        corrections: row.text("corrections")?,
        seo_title: row.text("seo_title")?,
        seo_description: row.text("seo_description")?,
        canonical_url: row.text("canonical_url")?,
        noindex: row.flag("noindex")?,
        legacy_wp_id: row.opt_int("legacy_wp_id")?,
        legacy_guid: row.opt_text("legacy_guid")?,
        created_at: row.time("created_at")?,
        unfiltered_html: row.flag("unfiltered_html")?,
    })
}

/// The columns an insert and an update write, in the order of [`article_params`] (`$2`
/// onwards; `$1` is the id).
const ARTICLE_FIELDS: &str = "headline, standfirst, slug, body_format, body_source, body_html, \
    render_version, excerpt, primary_section_id, image_src, image_alt, image_caption, \
    image_credit, genre, status, password, sticky, comments_open, published_at, updated_at, \
    significantly_updated_at, corrections, legacy_wp_id, legacy_guid, seo_title, seo_description, \
    image_media_id, unfiltered_html, canonical_url, noindex";

/// An article's values for [`ARTICLE_FIELDS`], saved at `now`.
fn article_params(article: &Article, now: Timestamp) -> Vec<Param> {
    let image = article.featured_image.as_ref();
    let text = |value: &str| Param::Text(value.to_owned());
    vec![
        text(&article.headline),
        text(&article.standfirst),
        text(article.slug.as_str()),
        text(article.body_format.as_str()),
        text(&article.body_source),
        text(article.body_html.as_str()),
        Param::Int(i64::from(article.render_version)),
        text(&article.excerpt),
        Param::opt_int(article.primary_section.map(|s| s.0)),
        Param::opt_text(image.map(|i| i.src.as_str())),
        text(image.map_or("", |i| i.alt.as_str())),
        text(image.map_or("", |i| i.caption.as_str())),
        text(image.map_or("", |i| i.credit.as_str())),
        text(article.genre.as_str()),
        text(article.status.as_str()),
        Param::opt_text(article.password.as_deref()),
        Param::Bool(article.sticky),
        Param::Bool(article.comments_open),
        Param::opt_time(article.published_at),
        Param::Time(now),
        Param::opt_time(article.significantly_updated_at),
        text(&article.corrections),
        Param::opt_int(article.legacy_wp_id),
        Param::opt_text(article.legacy_guid.as_deref()),
        text(&article.seo_title),
        text(&article.seo_description),
        Param::opt_int(image.and_then(|i| i.media).map(|m| m.0)),
        Param::Bool(article.unfiltered_html),
        text(&article.canonical_url),
        Param::Bool(article.noindex),
    ]
}

impl WriteTx {
    /// Creates an article with its bylines, sections and tags. A taken slug is a `Conflict`;
    /// an unknown person, section or tag is an `InvalidReference`.
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    pub async fn insert_article(&mut self, new: NewArticle) -> Result<Article, StoreError> {
        let now = self.now;
        let new_id = on_tx!(self, _conn => backend::articles::NEW_ID);
        let sql = format!(
            "insert into articles (id, {ARTICLE_FIELDS}, created_at) \
             values ({new_id}, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
             $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, \
             $21) returning id"
        );
        let mut params = vec![Param::opt_int(new.id.map(|id| id.0))];
        params.extend(article_params(
            &new.clone().into_article(ArticleId(0), now),
            now,
        ));
        let crate::sql::Id(id) = self.fetch_one(&sql, &params).await?;
        if new.id.is_some() {
            on_tx!(self, conn => backend::articles::after_explicit_id(conn).await)?;
        }
        self.replace_links(id, &new.authors, &new.further_sections, &new.tags)
            .await?;
        self.record_change(ChangeKind::Article, Some(id));
        let article = new.into_article(ArticleId(id), now);
        self.sync_publication_job(&article).await?;
        Ok(article)
    }

    /// Saves every field of an existing article and stamps `updated_at`.
    #[tracing::instrument(skip(self, article), fields(id = article.id.0))]
    pub async fn update_article(&mut self, article: &Article) -> Result<Article, StoreError> {
        let now = self.now;
        let assignments: Vec<String> = ARTICLE_FIELDS
            .split(", ")
            .enumerate()
            .map(|(n, column)| format!("{column} = ${}", n + 2))
            .collect();
        let sql = format!(
            "update articles set {} where id = $1",
            assignments.join(", ")
        );
        let mut params = vec![Param::Int(article.id.0)];
        params.extend(article_params(article, now));
        let found = self.execute(&sql, &params).await? == 1;
        if found {
            self.replace_links(
                article.id.0,
                &article.authors,
                &article.further_sections,
                &article.tags,
            )
            .await?;
        }
        if !found {
            return Err(StoreError::NotFound { what: "article" });
        }
        self.record_change(ChangeKind::Article, Some(article.id.0));
        self.sync_publication_job(article).await?;
        Ok(Article {
            updated_at: now,
            ..article.clone()
        })
    }

    /// Keeps the article's publication job in step with its status, in the same unit of work:
    /// a scheduled article has exactly one job due at its publication time; any other status
    /// has none. So an article can never be scheduled without being published on time, nor
    /// published by a job after an editor unscheduled it.
    pub(crate) async fn sync_publication_job(
        &mut self,
        article: &Article,
    ) -> Result<(), StoreError> {
        let key = publication_job_key(article.id);
        match (article.status, article.published_at) {
            (Status::Scheduled, Some(due)) => {
                let payload = serde_json::json!({ "article_id": article.id.0 });
                let job = NewJob::new(PUBLISH_SCHEDULED, payload, due).dedupe_key(key);
                self.enqueue_job(&job).await?;
            }
            _ => {
                self.cancel_job(&key).await?;
            }
        }
        Ok(())
    }

    /// Deletes an article for good, with its comments, revisions and old addresses (the
    /// database cascades); search and caches forget it through the change feed.
    pub async fn delete_article(&mut self, id: ArticleId) -> Result<bool, StoreError> {
        // The article's row first, then its job: the order every unit of work takes them in.
        if !self.lock_article(id).await? {
            return Ok(false);
        }
        self.cancel_job(&publication_job_key(id)).await?;
        let sql = "delete from articles where id = $1";
        let params = [Param::Int(id.0)];
        let deleted = on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        self.record_change(ChangeKind::Article, Some(id.0));
        Ok(deleted > 0)
    }

    /// Locks the article's row until this unit of work ends, so that work touching the
    /// article and its job takes locks in the same order as an editor's save (article first,
    /// then job) and two such units never deadlock. SQLite's single writer already serialises
    /// units, so there it only checks the article exists.
    pub async fn lock_article(&mut self, id: ArticleId) -> Result<bool, StoreError> {
        let sql = on_tx!(self, _conn => backend::articles::LOCK);
        let found: Option<crate::sql::Id> = self.fetch_optional(sql, &[Param::Int(id.0)]).await?;
        Ok(found.is_some())
    }

    /// Replaces an article's bylines, further sections and tags, keeping their order.
    async fn replace_links(
        &mut self,
        id: i64,
        authors: &[PersonId],
        sections: &[SectionId],
        tags: &[TagId],
    ) -> Result<(), StoreError> {
        let links = [
            (
                "article_authors",
                "person_id",
                authors.iter().map(|a| a.0).collect::<Vec<_>>(),
            ),
            (
                "article_sections",
                "section_id",
                sections.iter().map(|s| s.0).collect(),
            ),
            ("article_tags", "tag_id", tags.iter().map(|t| t.0).collect()),
        ];
        for (table, column, ids) in links {
            let sql = format!("delete from {table} where article_id = $1");
            self.execute(&sql, &[Param::Int(id)]).await?;
            let sql =
                format!("insert into {table} (article_id, {column}, position) values ($1, $2, $3)");
            for (position, linked) in ids.iter().enumerate() {
                let position = i64::try_from(position).unwrap_or(i64::MAX);
                let params = [Param::Int(id), Param::Int(*linked), Param::Int(position)];
                self.execute(&sql, &params).await?;
            }
        }
        Ok(())
    }

    /// Reads an article inside this unit of work (seeing its own uncommitted writes).
    pub async fn article(&mut self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        on_tx!(self, conn => load_article!(backend, conn, id))
    }
}

/// Loads one article and its links from a connection of either backend.
macro_rules! load_article {
    ($backend:ident, $conn:expr, $id:expr) => {{
        let found: Result<Vec<Article>, StoreError> =
            crate::listings::load_articles!($backend, $conn, &[$id.0]);
        found.map(|articles| articles.into_iter().next())
    }};
}
use load_article;

impl WriteTx {
    /// Replaces an article's rendered body (a renderer update, not an edit: `updated_at` and
    /// revisions are left alone); false if it does not exist.
    pub async fn set_article_rendering(
        &mut self,
        id: ArticleId,
        body_html: &gazette_core::SafeHtml,
        render_version: i32,
    ) -> Result<bool, StoreError> {
        let sql = "update articles set body_html = $2, render_version = $3 where id = $1";
        let params = [
            Param::Int(id.0),
            Param::Text(body_html.as_str().to_owned()),
            Param::Int(i64::from(render_version)),
        ];
        let found = self.execute(sql, &params).await? == 1;
        if found {
            self.record_change(ChangeKind::Article, Some(id.0));
        }
        Ok(found)
    }
}

impl Store {
    /// The ids of articles rendered by a renderer older than `version` (all of them with
    /// `None`), in id order.
    pub async fn article_ids_to_render(
        &self,
        version: Option<i32>,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let (sql, params) = match version {
            Some(v) => (
                "select id from articles where render_version < $1 order by id",
                vec![Param::Int(i64::from(v))],
            ),
            None => ("select id from articles order by id", Vec::new()),
        };
        let ids: Vec<crate::sql::Id> = self.fetch_all(sql, &params).await?;
        Ok(ids.into_iter().map(|id| ArticleId(id.0)).collect())
    }

    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            load_article!(backend, conn, id)
        })
    }

    /// The article that has this slug now.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn article_by_slug(&self, slug: &Slug) -> Result<Option<Article>, StoreError> {
        let sql = "select id from articles where slug = $1";
        let found: Option<crate::sql::Id> = self
            .fetch_optional(sql, &[Param::Text(slug.as_str().to_owned())])
            .await?;
        match found {
            Some(id) => self.article(ArticleId(id.0)).await,
            None => Ok(None),
        }
    }

    /// Up to `limit` articles with `status`, newest publication first.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn articles_with_status(
        &self,
        status: Status,
        limit: i64,
    ) -> Result<Vec<Article>, StoreError> {
        let sql = "select id from articles where status = $1 \
                   order by published_at desc, id desc limit $2";
        let params = [Param::Text(status.as_str().to_owned()), Param::Int(limit)];
        let ids: Vec<crate::sql::Id> = self.fetch_all(sql, &params).await?;
        let ids: Vec<ArticleId> = ids.into_iter().map(|id| ArticleId(id.0)).collect();
        let mut articles = self.articles_by_ids(&ids).await?;
        // In the query's order, newest first.
        articles.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
        Ok(articles)
    }
}
