//! WordPress's way of searching, a `LIKE` scan, kept to compare Gazette's index with in
//! benchmarks.

use gazette_core::{ArticleId, Status};

use super::contains_pattern;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

impl Store {
    /// WordPress's search, for comparison in benchmarks: published articles whose headline,
    /// standfirst or body contains every word (a case-insensitive `LIKE '%word%'` scan), those
    /// with a word in the headline first, then newest first. Gazette's own search uses the
    /// tantivy index instead.
    pub async fn search_like(
        &self,
        words: &[String],
        limit: u64,
    ) -> Result<Vec<ArticleId>, StoreError> {
        let like = match self.kind() {
            crate::BackendKind::Sqlite => "like",
            crate::BackendKind::Postgres => "ilike",
        };
        // As WordPress does, more than nine words are searched as one phrase (each word is a
        // condition, and a long query would be slow everywhere and too deep for SQLite).
        let phrase;
        let words = if words.len() > 9 {
            phrase = [words.join(" ")];
            &phrase[..]
        } else {
            words
        };
        let mut params = vec![Param::Text(Status::Published.as_str().to_owned())];
        let mut all = Vec::new();
        let mut in_headline = Vec::new();
        for word in words {
            params.push(Param::Text(contains_pattern(word)));
            let n = params.len();
            all.push(format!(
                "(headline {like} ${n} escape '\\' or standfirst {like} ${n} escape '\\' \
                 or body_source {like} ${n} escape '\\')"
            ));
            in_headline.push(format!("headline {like} ${n} escape '\\'"));
        }
        if all.is_empty() {
            return Ok(Vec::new());
        }
        params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        let sql = format!(
            "select id from articles where status = $1 and {} \
             order by case when {} then 0 else 1 end, published_at desc limit ${}",
            all.join(" and "),
            in_headline.join(" or "),
            params.len()
        );
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            let rows = backend::query::fetch_all(&mut *conn, &sql, &params).await?;
            rows.iter().map(|row| row.int("id").map(ArticleId)).collect()
        })
    }
}
