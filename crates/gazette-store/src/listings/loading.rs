//! Loading articles by id, in two queries whatever their number: their rows, then all their
//! bylines, sections and tags at once. `load_articles!` runs both on a connection of either
//! backend.

use std::collections::HashMap;

use gazette_core::Article;

use crate::StoreError;
use crate::articles::{ARTICLE_COLUMNS, ArticleLinks, article_from_row};
use crate::query::{kept_placeholders, placeholders};
use crate::rows::RowExt;

pub(crate) fn articles_by_ids_sql(count: usize) -> String {
    format!(
        "select {ARTICLE_COLUMNS} from articles where id in ({})",
        id_list(count)
    )
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

/// Bylines, sections and tags of several articles, in one query (in any order: see
/// [`assemble_articles`]).
pub(crate) fn links_by_ids_sql(count: usize) -> String {
    let list = id_list(count);
    format!(
        "select article_id, 'a' as kind, person_id as linked, position from article_authors \
             where article_id in ({list}) \
         union all select article_id, 's', section_id, position from article_sections \
             where article_id in ({list}) \
         union all select article_id, 't', tag_id, position from article_tags \
             where article_id in ({list})"
    )
}

/// What [`links_by_ids_sql`] selects, for packing its rows (`fetch_packed`).
pub(crate) const LINK_COLUMNS: &str = "article_id, kind, linked, position";

/// Decodes the rows of the two queries above into articles, in the order of `ids`.
pub(crate) fn assemble_articles<R: RowExt>(
    ids: &[i64],
    rows: &[R],
    link_rows: &[R],
) -> Result<Vec<Article>, StoreError> {
    // Links come in any order; each kind of an article's links is kept by position.
    let mut decoded = Vec::with_capacity(link_rows.len());
    for row in link_rows {
        let kind = row.text("kind")?;
        decoded.push((
            row.int("article_id")?,
            kind,
            row.int("position")?,
            row.int("linked")?,
        ));
    }
    decoded.sort_unstable();
    let mut links: HashMap<i64, ArticleLinks> = HashMap::new();
    for (article, kind, _, linked) in decoded {
        let entry = links.entry(article).or_default();
        match kind.as_str() {
            "a" => entry.authors.push(linked),
            "s" => entry.sections.push(linked),
            _ => entry.tags.push(linked),
        }
    }
    let mut by_id = HashMap::with_capacity(rows.len());
    for row in rows {
        let id = row.int("id")?;
        let article = article_from_row(row, links.remove(&id).unwrap_or_default())?;
        by_id.insert(id, article);
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Loads the articles with these ids (missing ones are skipped), in order, on a connection
/// of either backend: a hundred at a time (see `LOAD_CHUNK`).
macro_rules! load_articles {
    ($backend:ident, $conn:expr, $ids:expr) => {{
        let ids: &[i64] = $ids;
        let mut loaded = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(crate::listings::LOAD_CHUNK) {
            let params: Vec<crate::query::Param> = chunk
                .iter()
                .map(|id| crate::query::Param::Int(*id))
                .collect();
            let sql = crate::listings::articles_by_ids_sql(chunk.len());
            let columns = crate::articles::ARTICLE_COLUMNS;
            let rows = $backend::query::fetch_packed(&mut *$conn, &sql, &params, columns).await?;
            let sql = crate::listings::links_by_ids_sql(chunk.len());
            let columns = crate::listings::LINK_COLUMNS;
            let links = $backend::query::fetch_packed(&mut *$conn, &sql, &params, columns).await?;
            loaded.extend(crate::listings::assemble_articles(chunk, &rows, &links)?);
        }
        Ok::<Vec<gazette_core::Article>, crate::StoreError>(loaded)
    }};
}

/// How many articles one pair of loading queries reads. A sitemap lists up to 50,000, and a
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
