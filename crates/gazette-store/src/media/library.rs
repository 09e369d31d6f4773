//! The media library as the back office browses it: newest first, narrowed by words, file
//! type and upload month.

use gazette_core::ImageFormat;

use super::{MEDIA_COLUMNS, MediaPage, like_escape};
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::on_backend;
use crate::{Store, StoreError};

/// What the library is narrowed to; the default is everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaFilter {
    /// Words in the name, path, text alternative, caption or credit (any case).
    pub search: String,
    pub format: Option<ImageFormat>,
    /// The upload month, as the files' folder names it (`2026/11`; an import keeps
    /// WordPress's folders, so its images are filed under the month they were first uploaded).
    pub month: Option<(i16, i8)>,
    /// Only images no text names (as the references last built say).
    pub unused: bool,
}

impl MediaFilter {
    pub fn searching(words: &str) -> Self {
        Self {
            search: words.to_owned(),
            ..Self::default()
        }
    }

    /// The `where` clause and its parameters, numbered from `$1`.
    fn clause(&self) -> (String, Vec<Param>) {
        let pattern = format!("%{}%", like_escape(&self.search.trim().to_lowercase()));
        let mut clause = "(lower(original_name) like $1 escape '\\' \
             or lower(alt) like $1 escape '\\' or lower(caption) like $1 escape '\\' \
             or lower(credit) like $1 escape '\\' or lower(path) like $1 escape '\\')"
            .to_owned();
        let mut params = vec![Param::Text(pattern)];
        if let Some(format) = self.format {
            params.push(Param::Text(format.as_str().to_owned()));
            clause.push_str(&format!(" and format = ${}", params.len()));
        }
        if let Some((year, month)) = self.month {
            params.push(Param::Text(format!("{year:04}/{month:02}/%")));
            clause.push_str(&format!(" and path like ${}", params.len()));
        }
        if self.unused {
            clause.push_str(
                " and not exists (select 1 from media_references r where r.path = media.path)",
            );
        }
        (clause, params)
    }
}

impl Store {
    /// One page of the library, newest first.
    pub async fn media_library(
        &self,
        filter: &MediaFilter,
        offset: u64,
        limit: u64,
    ) -> Result<MediaPage, StoreError> {
        let (clause, mut params) = filter.clause();
        let count_sql = format!("select count(*) as n from media where {clause}");
        let total = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, &count_sql, &params).await?;
            rows.first().map(|row| row.int("n")).transpose()
        })?
        .unwrap_or(0);
        let n = params.len();
        let sql = format!(
            "select {MEDIA_COLUMNS} from media where {clause} \
             order by created_at desc, id desc limit ${} offset ${}",
            n + 1,
            n + 2
        );
        params.push(Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
        params.push(Param::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        Ok(MediaPage {
            items: self.media_where(&sql, &params).await?,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// The months the library's files are filed under (`YYYY/MM/…`), newest first.
    pub async fn media_months(&self) -> Result<Vec<(i16, i8)>, StoreError> {
        let sql = "select distinct substr(path, 1, 7) as folder from media order by 1 desc";
        let folders: Vec<String> = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.iter().map(|row| row.text("folder")).collect::<Result<_, _>>()
        })?;
        Ok(folders.iter().filter_map(|f| month_of_folder(f)).collect())
    }
}

/// `2026/11` → (2026, 11); None for folders of another shape (`demo/pic`).
fn month_of_folder(folder: &str) -> Option<(i16, i8)> {
    let (year, month) = folder.split_once('/')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return None;
    }
    let month: i8 = month.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then_some((year.parse().ok()?, month))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_year_and_month_folders_are_months() {
        assert_eq!(super::month_of_folder("2026/11"), Some((2026, 11)));
        assert_eq!(super::month_of_folder("2026/13"), None);
        assert_eq!(super::month_of_folder("demo/pi"), None);
    }
}
