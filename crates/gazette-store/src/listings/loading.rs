//! Loading articles by id in one query per hundred, whatever their number: each article's
//! row comes with its bylines, sections and tags, each kind packed into one text of
//! `position:id` pairs by a subquery, and with its count of approved comments (which cards
//! show). `load_articles!` runs it on a connection of either backend.
//!
//! The links and the counts came in queries of their own before; on PostgreSQL each query is
//! a round trip over the connection. A count reads only the `comments_by_article` index.

use gazette_core::Article;

use crate::StoreError;
use crate::articles::{ARTICLE_COLUMNS, ArticleLinks, article_from_row};
use crate::query::{kept_placeholders, placeholders};
use crate::rows::RowExt;

/// The articles whose rows `condition` selects, with their links: see [`assemble_articles`].
/// `list_aggregate` is the backend's function joining texts (`backend::query::LIST_AGGREGATE`).
pub(crate) fn articles_where_sql(list_aggregate: &str, condition: &str) -> String {
    let links = |table: &str, column: &str, name: &str| {
        format!(
            "(select {list_aggregate}(l.position || ':' || l.{column}, ',') from {table} l \
             where l.article_id = articles.id) as {name}"
        )
    };
    format!(
        "select {ARTICLE_COLUMNS}, {}, {}, {}, {APPROVED_COMMENTS} from articles where {condition}",
        links("article_authors", "person_id", "author_links"),
        links("article_sections", "section_id", "section_links"),
        links("article_tags", "tag_id", "tag_links"),
    )
}

/// An article's count of approved comments.
const APPROVED_COMMENTS: &str = "(select count(*) from comments c \
    where c.article_id = articles.id and c.status = 'approved') as approved_comments";

/// What [`articles_where_sql`] selects, for packing its rows (`fetch_packed`).
pub(crate) fn loaded_columns() -> String {
    format!("{ARTICLE_COLUMNS}, author_links, section_links, tag_links, approved_comments")
}

/// The articles with `count` ids (`$1`…), with their links.
pub(crate) fn articles_by_ids_sql(list_aggregate: &str, count: usize) -> String {
    articles_where_sql(list_aggregate, &format!("id in ({})", id_list(count)))
}

/// The placeholders for `count` ids: a full batch's statement is always the same text and
/// stays prepared; other lengths follow `placeholders`.
fn id_list(count: usize) -> String {
    if count == LOAD_CHUNK {
        kept_placeholders(1, count)
    } else {
        placeholders(1, count)
    }
}

/// Decodes rows of [`articles_where_sql`] into articles, in the order of `ids` (rows may come
/// in any order; ids without a row are skipped).
pub(crate) fn assemble_articles<R: RowExt>(
    ids: &[i64],
    rows: &[R],
) -> Result<Vec<Article>, StoreError> {
    let mut by_id = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        by_id.insert(row.int("id")?, decode_article(row)?);
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// One row of [`articles_where_sql`] as an article.
pub(crate) fn decode_article(row: &impl RowExt) -> Result<Article, StoreError> {
    let links = ArticleLinks {
        authors: linked_ids(row.opt_text("author_links")?)?,
        sections: linked_ids(row.opt_text("section_links")?)?,
        tags: linked_ids(row.opt_text("tag_links")?)?,
    };
    article_from_row(row, links)
}

/// The ids in a text of `position:id` pairs (in any order), in the order of their positions.
fn linked_ids(packed: Option<String>) -> Result<Vec<i64>, StoreError> {
    let Some(packed) = packed else {
        return Ok(Vec::new());
    };
    let mut pairs = packed
        .split(',')
        .map(|pair| {
            let parsed = pair
                .split_once(':')
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.parse::<i64>().ok()?)));
            parsed.ok_or_else(|| StoreError::corrupt("article links", format!("{pair:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    pairs.sort_unstable();
    Ok(pairs.into_iter().map(|(_, id)| id).collect())
}

/// Loads the articles with these ids (missing ones are skipped), in order, on a connection
/// of either backend: a hundred at a time (see `LOAD_CHUNK`).
macro_rules! load_articles {
    ($backend:ident, $conn:expr, $ids:expr) => {{
        let ids: &[i64] = $ids;
        let mut loaded = Vec::with_capacity(ids.len());
        let columns = crate::listings::loaded_columns();
        for chunk in ids.chunks(crate::listings::LOAD_CHUNK) {
            let params: Vec<crate::query::Param> = chunk
                .iter()
                .map(|id| crate::query::Param::Int(*id))
                .collect();
            let aggregate = $backend::query::LIST_AGGREGATE;
            let sql = crate::listings::articles_by_ids_sql(aggregate, chunk.len());
            let rows = $backend::query::fetch_packed(&mut *$conn, &sql, &params, &columns).await?;
            loaded.extend(crate::listings::assemble_articles(chunk, &rows)?);
        }
        Ok::<Vec<gazette_core::Article>, crate::StoreError>(loaded)
    }};
}

/// How many articles one loading query reads. A sitemap lists up to 50,000, and a
/// statement's cost grows with the square of its placeholders: SQLite looks each `$N` up in
/// a list of the names seen so far, when it prepares the statement and again when sqlx binds
/// it. Batches of 1,000 spent most of a monthly sitemap's 80 ms (1,200 articles) there.
pub(crate) const LOAD_CHUNK: usize = 100;

pub(crate) use load_articles;

/// Loads the articles whose ids the query `$sql` selects (a column named `id`), in the order
/// it gives them, on a connection of either backend: a listing's page, a batch of a walk.
macro_rules! load_found_articles {
    ($backend:ident, $conn:expr, $sql:expr, $params:expr) => {{
        let id_rows = $backend::query::fetch_all(&mut *$conn, $sql, $params).await?;
        let ids = id_rows
            .iter()
            .map(|row| crate::rows::RowExt::int(row, "id"))
            .collect::<Result<Vec<_>, _>>()?;
        crate::listings::load_articles!($backend, $conn, &ids)
    }};
}
pub(crate) use load_found_articles;

#[cfg(test)]
mod tests {
    use super::linked_ids;

    #[test]
    fn links_come_in_the_order_of_their_positions_not_of_the_text() {
        let ids = linked_ids(Some("10:5,2:7,1:9".to_owned())).unwrap();
        assert_eq!(ids, vec![9, 7, 5], "position 10 comes after 2, not before");
        assert_eq!(linked_ids(None).unwrap(), Vec::<i64>::new(), "no links");
    }

    #[test]
    fn a_damaged_link_text_is_an_error_not_a_missing_link() {
        assert!(linked_ids(Some("1:5,2:".to_owned())).is_err());
        assert!(linked_ids(Some("7".to_owned())).is_err());
    }
}
