//! SQLite queries for articles and the rows that hang off them.

use gazette_core::{Article, PersonId, SectionId, TagId};
use jiff::Timestamp;
use sqlx::Row as _;

use super::{Conn, db_time, map_error};
use crate::StoreError;
use crate::articles::NewArticle;

pub(crate) async fn insert(
    conn: &mut Conn,
    new: &NewArticle,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let image = new.featured_image.as_ref();
    let row = sqlx::query(
        r"insert into articles (id, headline, standfirst, slug, body_format, body_source, body_html,
              render_version, excerpt, primary_section_id, image_src, image_alt, image_caption,
              image_credit, genre, status, password, sticky, comments_open, published_at,
              updated_at, significantly_updated_at, corrections, legacy_wp_id, legacy_guid, created_at,
              seo_title, seo_description, image_media_id, unfiltered_html, canonical_url, noindex)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
              $19, $20, $21, $22, $23, $24, $25, $21, $26, $27, $28, $29, $30, $31)
          returning id",
    )
    .bind(new.id.map(|id| id.0))
    .bind(&new.headline)
    .bind(&new.standfirst)
    .bind(new.slug.as_str())
    .bind(new.body_format.as_str())
    .bind(&new.body_source)
    .bind(new.body_html.as_str())
    .bind(new.render_version)
    .bind(&new.excerpt)
    .bind(new.primary_section.map(|s| s.0))
    .bind(image.map(|i| i.src.as_str()))
    .bind(image.map_or("", |i| i.alt.as_str()))
    .bind(image.map_or("", |i| i.caption.as_str()))
    .bind(image.map_or("", |i| i.credit.as_str()))
    .bind(new.genre.as_str())
    .bind(new.status.as_str())
    .bind(&new.password)
    .bind(new.sticky)
    .bind(new.comments_open)
    .bind(new.published_at.map(db_time))
    .bind(db_time(now))
    .bind(new.significantly_updated_at.map(db_time))
    .bind(&new.corrections)
    .bind(new.legacy_wp_id)
    .bind(&new.legacy_guid)
    .bind(&new.seo_title)
    .bind(&new.seo_description)
    .bind(image.and_then(|i| i.media).map(|m| m.0))
    .bind(new.unfiltered_html)
    .bind(&new.canonical_url)
    .bind(new.noindex)
    .fetch_one(conn)
    .await
    .map_err(map_error)?;
    row.try_get("id").map_err(map_error)
}

pub(crate) async fn update(
    conn: &mut Conn,
    article: &Article,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let image = article.featured_image.as_ref();
    let result = sqlx::query(
        r"update articles set headline = $2, standfirst = $3, slug = $4, body_format = $5,
              body_source = $6, body_html = $7, render_version = $8, excerpt = $9,
              primary_section_id = $10, image_src = $11, image_alt = $12, image_caption = $13,
              image_credit = $14, genre = $15, status = $16, password = $17, sticky = $18,
              comments_open = $19, published_at = $20, updated_at = $21,
              significantly_updated_at = $22, corrections = $23, legacy_wp_id = $24, legacy_guid = $25,
              seo_title = $26, seo_description = $27, image_media_id = $28,
              unfiltered_html = $29, canonical_url = $30, noindex = $31
          where id = $1",
    )
    .bind(article.id.0)
    .bind(&article.headline)
    .bind(&article.standfirst)
    .bind(article.slug.as_str())
    .bind(article.body_format.as_str())
    .bind(&article.body_source)
    .bind(article.body_html.as_str())
    .bind(article.render_version)
    .bind(&article.excerpt)
    .bind(article.primary_section.map(|s| s.0))
    .bind(image.map(|i| i.src.as_str()))
    .bind(image.map_or("", |i| i.alt.as_str()))
    .bind(image.map_or("", |i| i.caption.as_str()))
    .bind(image.map_or("", |i| i.credit.as_str()))
    .bind(article.genre.as_str())
    .bind(article.status.as_str())
    .bind(&article.password)
    .bind(article.sticky)
    .bind(article.comments_open)
    .bind(article.published_at.map(db_time))
    .bind(db_time(now))
    .bind(article.significantly_updated_at.map(db_time))
    .bind(&article.corrections)
    .bind(article.legacy_wp_id)
    .bind(&article.legacy_guid)
    .bind(&article.seo_title)
    .bind(&article.seo_description)
    .bind(image.and_then(|i| i.media).map(|m| m.0))
    .bind(article.unfiltered_html)
    .bind(&article.canonical_url)
    .bind(article.noindex)
    .execute(conn)
    .await
    .map_err(map_error)?;
    Ok(result.rows_affected() == 1)
}

/// Replaces an article's bylines, further sections and tags, keeping their order.
pub(crate) async fn replace_links(
    conn: &mut Conn,
    id: i64,
    authors: &[PersonId],
    sections: &[SectionId],
    tags: &[TagId],
) -> Result<(), StoreError> {
    for table in ["article_authors", "article_sections", "article_tags"] {
        sqlx::query(&format!("delete from {table} where article_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(map_error)?;
    }
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
        let sql =
            format!("insert into {table} (article_id, {column}, position) values ($1, $2, $3)");
        for (position, linked) in ids.iter().enumerate() {
            sqlx::query(&sql)
                .bind(id)
                .bind(linked)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .execute(&mut *conn)
                .await
                .map_err(map_error)?;
        }
    }
    Ok(())
}

pub(crate) async fn lock(conn: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let row = sqlx::query("select id from articles where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(map_error)?;
    Ok(row.is_some())
}

pub(crate) async fn id_by_slug(conn: &mut Conn, slug: &str) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("select id from articles where slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await
        .map_err(map_error)?;
    row.map(|row| row.try_get("id").map_err(map_error))
        .transpose()
}

pub(crate) async fn ids_with_status(
    conn: &mut Conn,
    status: &str,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "select id from articles where status = $1 order by published_at desc, id desc limit $2",
    )
    .bind(status)
    .bind(limit)
    .fetch_all(conn)
    .await
    .map_err(map_error)?;
    rows.iter()
        .map(|row| row.try_get("id").map_err(map_error))
        .collect()
}
