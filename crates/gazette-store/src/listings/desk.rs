//! The newsroom's article list: every status but the trash unless asked, filtered by section,
//! author and headline, most recently saved first.

use gazette_core::{Article, PersonId, SectionId, Status};

use super::{contains_pattern, load_found_articles};
use crate::query::Param;
use crate::store::on_backend;
use crate::{Store, StoreError};

/// What the newsroom's article list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskFilter {
    /// One status; None shows everything but the trash.
    pub status: Option<Status>,
    /// Articles in this section (primary or further).
    pub section: Option<SectionId>,
    pub author: Option<PersonId>,
    /// Words the headline contains, case-insensitively.
    pub headline_contains: String,
    /// When set, private and trashed articles are listed only if this person wrote them: the
    /// desk of someone who may not read others' private work.
    pub private_only_of: Option<PersonId>,
}

impl Store {
    /// Articles for the newsroom's list, most recently saved first.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn desk_articles(
        &self,
        filter: &DeskFilter,
        limit: u64,
    ) -> Result<Vec<Article>, StoreError> {
        let mut params = Vec::new();
        let mut conditions = Vec::new();
        let next = |params: &mut Vec<Param>, value: Param| {
            params.push(value);
            format!("${}", params.len())
        };
        match filter.status {
            Some(status) => {
                let p = next(&mut params, Param::Text(status.as_str().to_owned()));
                conditions.push(format!("status = {p}"));
            }
            // Trash is shown only when asked for, as in WordPress.
            None => conditions.push("status <> 'trashed'".to_owned()),
        }
        if let Some(person) = filter.private_only_of {
            let p = next(&mut params, Param::Int(person.0));
            conditions.push(format!(
                "(status not in ('private', 'trashed') or id in \
                 (select article_id from article_authors where person_id = {p}))"
            ));
        }
        if let Some(section) = filter.section {
            let p = next(&mut params, Param::Int(section.0));
            conditions.push(format!(
                "(primary_section_id = {p} or id in (select article_id from article_sections where section_id = {p}))"
            ));
        }
        if let Some(author) = filter.author {
            let p = next(&mut params, Param::Int(author.0));
            conditions.push(format!(
                "id in (select article_id from article_authors where person_id = {p})"
            ));
        }
        let words = filter.headline_contains.trim().to_lowercase();
        if !words.is_empty() {
            let p = next(&mut params, Param::Text(contains_pattern(&words)));
            conditions.push(format!("lower(headline) like {p} escape '\\'"));
        }
        let p = next(
            &mut params,
            Param::Int(i64::try_from(limit).unwrap_or(i64::MAX)),
        );
        let sql = format!(
            "select id from articles where {} order by updated_at desc, id desc limit {p}",
            conditions.join(" and ")
        );
        on_backend!(self.backend(), db => {
            let conn = &mut *db.reader().await?;
            load_found_articles!(backend, conn, &sql, &params)
        })
    }
}
