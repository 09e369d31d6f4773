//! Bulk writes for imports from WordPress: rows that keep the ids and times they had there,
//! many to a statement, and the map from WordPress's ids to what each object became.
//!
//! An import runs in one unit of work and records one `Bulk` change, so followers purge and
//! rebuild once instead of replaying every row.

use std::collections::{HashMap, HashSet};

use gazette_core::{
    ArticleId, CommentId, CommentKind, CommentStatus, Email, PageId, PersonId, Slug, Status,
};
use jiff::Timestamp;

use crate::NewComment;
use crate::articles::NewArticle;
use crate::pages::NewPage;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{TxConn, on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};
use gazette_core::{Article, Comment};

/// Most parameters one statement binds. PostgreSQL allows 65,535. SQLite allows 32,766, but
/// binding looks each parameter's name up in a list, so a statement's cost grows with the
/// square of its parameters: at 30,000 the 100,000-post benchmark spent two thirds of its
/// time there, at 1,000 a sixth. A few hundred keeps it small and the statements few.
const MAX_PARAMS_POSTGRES: usize = 30_000;
const MAX_PARAMS_SQLITE: usize = 250;

/// The kinds of WordPress object whose ids an import remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordPressKind {
    Post,
    Page,
    Attachment,
    Category,
    Tag,
    Author,
    Comment,
}

impl WordPressKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Post => "post",
            Self::Page => "page",
            Self::Attachment => "attachment",
            Self::Category => "category",
            Self::Tag => "tag",
            Self::Author => "author",
            Self::Comment => "comment",
        }
    }

    /// The table holding what objects of this kind become.
    fn table(self) -> &'static str {
        match self {
            Self::Post => "articles",
            Self::Page => "pages",
            Self::Attachment => "media",
            Self::Category => "sections",
            Self::Tag => "tags",
            Self::Author => "people",
            Self::Comment => "comments",
        }
    }
}

/// An imported article: its id (`article.id`, WordPress's where it was free) and the times
/// WordPress recorded.
#[derive(Debug, Clone)]
pub struct ImportedArticle {
    pub article: NewArticle,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An imported page, with its id and times.
#[derive(Debug, Clone)]
pub struct ImportedPage {
    pub id: PageId,
    pub page: NewPage,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An imported comment, pingback or trackback, with its id and time.
#[derive(Debug, Clone)]
pub struct ImportedComment {
    pub id: CommentId,
    pub comment: NewComment,
    pub created_at: Timestamp,
}

/// A comment WordPress showed under a page. Gazette's pages take no comments, so an import
/// keeps these without showing them: an export gives them back, and the privacy tools reach
/// them. The id is the comment's WordPress id; `parent` is another page comment's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageComment {
    pub id: i64,
    pub page: PageId,
    pub parent: Option<i64>,
    pub status: CommentStatus,
    pub kind: CommentKind,
    pub author_name: String,
    /// Private, as a comment's.
    pub author_email: String,
    pub author_url: String,
    /// Private; None once anonymised.
    pub author_ip: Option<String>,
    pub body: String,
    pub created_at: Timestamp,
}

const PAGE_COMMENT_COLUMNS: &[&str] = &[
    "id",
    "page_id",
    "parent_id",
    "status",
    "kind",
    "author_name",
    "author_email",
    "email_normalized",
    "author_url",
    "author_ip",
    "body",
    "created_at",
];

fn page_comment_from_row(row: &impl RowExt) -> Result<PageComment, StoreError> {
    let status = row.text("status")?;
    let kind = row.text("kind")?;
    Ok(PageComment {
        id: row.int("id")?,
        page: PageId(row.int("page_id")?),
        parent: row.opt_int("parent_id")?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::corrupt("page comment status", &status))?,
        kind: CommentKind::parse(&kind)
            .ok_or_else(|| StoreError::corrupt("page comment kind", &kind))?,
        author_name: row.text("author_name")?,
        author_email: row.text("author_email")?,
        author_url: row.text("author_url")?,
        author_ip: row.opt_text("author_ip")?,
        body: row.text("body")?,
        created_at: row.time("created_at")?,
    })
}

impl Store {
    /// Every kept page comment, by page and id (for an export).
    pub async fn page_comments(&self) -> Result<Vec<PageComment>, StoreError> {
        self.page_comments_where("true", &[]).await
    }

    /// The page comments written with this (normalised) email, for the privacy export.
    pub async fn page_comments_by_email(
        &self,
        email_normalized: &str,
    ) -> Result<Vec<PageComment>, StoreError> {
        self.page_comments_where(
            "email_normalized = $1",
            &[Param::Text(email_normalized.to_owned())],
        )
        .await
    }

    async fn page_comments_where(
        &self,
        filter: &str,
        params: &[Param],
    ) -> Result<Vec<PageComment>, StoreError> {
        let sql = format!(
            "select {} from page_comments where {filter} order by page_id, id",
            PAGE_COMMENT_COLUMNS.join(", ")
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, params).await?;
            rows.iter().map(page_comment_from_row).collect()
        })
    }

    /// What the WordPress object `wp_id` of `kind` became, if an import brought it here.
    pub async fn wordpress_id(
        &self,
        kind: WordPressKind,
        wp_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        let sql = "select gazette_id from wordpress_ids where kind = $1 and wp_id = $2";
        let params = [Param::Text(kind.as_str().to_owned()), Param::Int(wp_id)];
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.first().map(|row| row.int("gazette_id")).transpose()
        })
    }
}

impl Store {
    /// What every remembered WordPress object of `kind` became, by Gazette id: the id to
    /// give it back in an export.
    pub async fn wordpress_ids_by_gazette_id(
        &self,
        kind: WordPressKind,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let sql = "select wp_id, gazette_id from wordpress_ids where kind = $1";
        let params = [Param::Text(kind.as_str().to_owned())];
        let pairs = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &params).await?;
            rows.iter()
                .map(|row| Ok((row.int("gazette_id")?, row.int("wp_id")?)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(pairs.into_iter().collect())
    }

    /// Up to `limit` articles of any status with ids above `after`, by id: an export's walk
    /// through the whole archive.
    pub async fn articles_after(
        &self,
        after: ArticleId,
        limit: i64,
    ) -> Result<Vec<Article>, StoreError> {
        let sql = "select id from articles where id > $1 order by id limit $2";
        let params = [Param::Int(after.0), Param::Int(limit)];
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_all(&mut *conn, sql, &params).await?;
            let ids = rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, _>>()?;
            crate::listings::load_articles!(backend, conn, &ids)
        })
    }

    /// Every article's id.
    pub async fn article_ids(&self) -> Result<Vec<i64>, StoreError> {
        let sql = "select id from articles order by id";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter().map(|row| row.int("id")).collect()
        })
    }

    /// The highest article id in use, 0 when there is none.
    pub async fn highest_article_id(&self) -> Result<i64, StoreError> {
        let sql = "select coalesce(max(id), 0) as highest from articles";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.first().map_or(Ok(0), |row| row.int("highest"))
        })
    }

    /// Every comment on these articles, in any status, by id.
    pub async fn comments_of_articles(
        &self,
        articles: &[ArticleId],
    ) -> Result<Vec<Comment>, StoreError> {
        if articles.is_empty() {
            return Ok(Vec::new());
        }
        let params: Vec<Param> = articles.iter().map(|id| Param::Int(id.0)).collect();
        let sql = format!(
            "select {} from comments where article_id in ({}) order by id",
            crate::comments::COLUMNS,
            crate::query::placeholders(1, params.len())
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter().map(crate::comments::comment_from_row).collect()
        })
    }

    /// The retired paths of these articles (older addresses that redirect to them).
    pub async fn retired_paths_of(
        &self,
        articles: &[ArticleId],
    ) -> Result<Vec<(ArticleId, String)>, StoreError> {
        if articles.is_empty() {
            return Ok(Vec::new());
        }
        let params: Vec<Param> = articles.iter().map(|id| Param::Int(id.0)).collect();
        let sql = format!(
            "select article_id, path from article_paths where article_id in ({}) order by path",
            crate::query::placeholders(1, params.len())
        );
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &sql, &params).await?;
            rows.iter()
                .map(|row| Ok((ArticleId(row.int("article_id")?), row.text("path")?)))
                .collect()
        })
    }
}

impl WriteTx {
    /// Every remembered WordPress id of `kind`, with what it became.
    pub async fn wordpress_ids(
        &mut self,
        kind: WordPressKind,
    ) -> Result<HashMap<i64, i64>, StoreError> {
        let sql = "select wp_id, gazette_id from wordpress_ids where kind = $1";
        let params = [Param::Text(kind.as_str().to_owned())];
        let rows = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.iter()
                .map(|row| Ok((row.int("wp_id")?, row.int("gazette_id")?)))
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Remembers what WordPress objects became.
    pub async fn record_wordpress_ids(
        &mut self,
        kind: WordPressKind,
        pairs: &[(i64, i64)],
    ) -> Result<(), StoreError> {
        let rows = pairs
            .iter()
            .map(|(wp_id, id)| {
                vec![
                    Param::Text(kind.as_str().to_owned()),
                    Param::Int(*wp_id),
                    Param::Int(*id),
                ]
            })
            .collect();
        self.insert_rows("wordpress_ids", &["kind", "wp_id", "gazette_id"], rows)
            .await
    }

    /// The ids already taken in the table objects of `kind` go to, so an import knows which
    /// WordPress ids it can keep.
    pub async fn taken_ids(&mut self, kind: WordPressKind) -> Result<HashSet<i64>, StoreError> {
        let sql = format!("select id from {}", kind.table());
        let ids = on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, &sql, &[]).await?;
            rows.iter().map(|row| row.int("id")).collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(ids.into_iter().collect())
    }

    /// Every article's slug, so imported articles can be given free ones.
    pub async fn article_slugs(&mut self) -> Result<Vec<String>, StoreError> {
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, "select slug from articles", &[]).await?;
            rows.iter().map(|row| row.text("slug")).collect()
        })
    }

    /// The person with this email address, if any.
    pub async fn person_id_by_email(
        &mut self,
        email: &Email,
    ) -> Result<Option<PersonId>, StoreError> {
        let sql = "select id from people where email_normalized = $1";
        let params = [Param::Text(email.normalized())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            rows.first().map(|row| row.int("id").map(PersonId)).transpose()
        })
    }

    /// Whether a person has this slug.
    pub async fn person_slug_taken(&mut self, slug: &Slug) -> Result<bool, StoreError> {
        let sql = "select id from people where slug = $1";
        let params = [Param::Text(slug.as_str().to_owned())];
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &params).await?;
            Ok(!rows.is_empty())
        })
    }

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

    /// Inserts pages with their ids and times; a parent must come before its children.
    pub async fn import_pages(&mut self, pages: Vec<ImportedPage>) -> Result<(), StoreError> {
        let rows = pages
            .into_iter()
            .map(|imported| {
                let page = imported.page;
                vec![
                    Param::Int(imported.id.0),
                    Param::opt_int(page.parent.map(|p| p.0)),
                    Param::Text(page.slug.as_str().to_owned()),
                    Param::Text(page.title),
                    Param::Text(page.body_format.as_str().to_owned()),
                    Param::Text(page.body_source),
                    Param::Text(page.body_html.as_str().to_owned()),
                    Param::Int(i64::from(page.render_version)),
                    Param::Text(page.status.as_str().to_owned()),
                    Param::opt_time(page.published_at),
                    Param::Time(imported.updated_at),
                    Param::Time(imported.created_at),
                ]
            })
            .collect();
        let columns = [
            "id",
            "parent_id",
            "slug",
            "title",
            "body_format",
            "body_source",
            "body_html",
            "render_version",
            "status",
            "published_at",
            "updated_at",
            "created_at",
        ];
        self.insert_rows("pages", &columns, rows).await
    }

    /// Inserts comments with their ids and times; a parent must come before its replies.
    pub async fn import_comments(
        &mut self,
        comments: Vec<ImportedComment>,
    ) -> Result<(), StoreError> {
        let rows = comments
            .into_iter()
            .map(|imported| {
                let c = imported.comment;
                let normalized = c.author_email.trim().to_lowercase();
                vec![
                    Param::Int(imported.id.0),
                    Param::Int(c.article.0),
                    Param::opt_int(c.parent.map(|p| p.0)),
                    Param::Int(c.depth),
                    Param::Text(c.status.as_str().to_owned()),
                    Param::Text(c.kind.as_str().to_owned()),
                    Param::Text(c.author_name),
                    Param::Text(c.author_email),
                    Param::Text(normalized),
                    Param::Text(c.author_url),
                    Param::opt_text(c.author_ip.as_deref()),
                    Param::Text(c.user_agent),
                    Param::opt_int(c.person.map(|p| p.0)),
                    Param::Text(c.body),
                    Param::Text(c.body_html.as_str().to_owned()),
                    Param::Int(c.score),
                    Param::Text(c.reasons.join("\n")),
                    Param::Time(imported.created_at),
                    Param::Time(imported.created_at),
                ]
            })
            .collect();
        let columns = [
            "id",
            "article_id",
            "parent_id",
            "depth",
            "status",
            "kind",
            "author_name",
            "author_email",
            "email_normalized",
            "author_url",
            "author_ip",
            "user_agent",
            "person_id",
            "body",
            "body_html",
            "score",
            "reasons",
            "created_at",
            "updated_at",
        ];
        self.insert_rows("comments", &columns, rows).await
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

    /// The ids of the page comments kept so far (a second import skips them).
    pub async fn page_comment_ids(&mut self) -> Result<HashSet<i64>, StoreError> {
        let sql = "select id from page_comments";
        on_tx!(self, conn => {
            let rows = backend::query::fetch_all(conn, sql, &[]).await?;
            rows.iter().map(|row| row.int("id")).collect()
        })
    }

    /// Keeps the comments WordPress showed under pages.
    pub async fn import_page_comments(
        &mut self,
        comments: Vec<PageComment>,
    ) -> Result<(), StoreError> {
        let rows = comments
            .into_iter()
            .map(|c| {
                let normalized = c.author_email.trim().to_lowercase();
                vec![
                    Param::Int(c.id),
                    Param::Int(c.page.0),
                    Param::opt_int(c.parent),
                    Param::Text(c.status.as_str().to_owned()),
                    Param::Text(c.kind.as_str().to_owned()),
                    Param::Text(c.author_name),
                    Param::Text(c.author_email),
                    Param::Text(normalized),
                    Param::Text(c.author_url),
                    Param::opt_text(c.author_ip.as_deref()),
                    Param::Text(c.body),
                    Param::Time(c.created_at),
                ]
            })
            .collect();
        self.insert_rows("page_comments", PAGE_COMMENT_COLUMNS, rows)
            .await
    }

    /// Ends an import: new rows get ids above the imported ones (PostgreSQL's identity
    /// sequences do not see explicit ids; SQLite picks the next id from the table itself), and
    /// one bulk change tells every node to purge and rebuild.
    pub async fn finish_import(&mut self) -> Result<(), StoreError> {
        if matches!(self.conn, TxConn::Postgres(_)) {
            for table in [
                "articles", "pages", "comments", "people", "sections", "tags",
            ] {
                let sql = format!(
                    "select setval(pg_get_serial_sequence('{table}', 'id'), \
                     coalesce(max(id), 0) + 1, false) from {table}"
                );
                on_tx!(self, conn => backend::query::fetch_all(conn, &sql, &[]).await.map(|_| ()))?;
            }
        }
        self.record_bulk_change();
        Ok(())
    }

    /// `insert into table (columns) values (…), (…), …`, as few statements as the parameter
    /// limit allows.
    async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: Vec<Vec<Param>>,
    ) -> Result<(), StoreError> {
        self.insert_rows_then(table, columns, rows, "").await
    }

    /// [`Self::insert_rows`] with a clause after the values (`on conflict …`).
    async fn insert_rows_then(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: Vec<Vec<Param>>,
        clause: &str,
    ) -> Result<(), StoreError> {
        let max_params = match self.conn {
            TxConn::Postgres(_) => MAX_PARAMS_POSTGRES,
            TxConn::Sqlite(_) => MAX_PARAMS_SQLITE,
        };
        let per_statement = (max_params / columns.len().max(1)).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Param>> = rows.by_ref().take(per_statement).collect();
            let mut sql = multi_row_insert(table, columns, chunk.len());
            sql.push_str(clause);
            let params: Vec<Param> = chunk.into_iter().flatten().collect();
            on_tx!(self, conn => backend::query::execute(conn, &sql, &params).await)?;
        }
        Ok(())
    }
}

/// The SQL inserting `count` rows of `columns`, numbered `$1…` in row order.
fn multi_row_insert(table: &str, columns: &[&str], count: usize) -> String {
    let width = columns.len();
    let mut sql = format!("insert into {table} ({}) values ", columns.join(", "));
    for row in 0..count {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(&crate::query::placeholders(row * width + 1, width));
        sql.push(')');
    }
    sql
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

#[cfg(test)]
mod tests {
    #[test]
    fn multi_row_inserts_number_parameters_row_by_row() {
        assert_eq!(
            super::multi_row_insert("t", &["a", "b"], 2),
            "insert into t (a, b) values ($1, $2), ($3, $4)"
        );
    }
}
