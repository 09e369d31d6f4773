//! Which library files each text names, for the media grid's "unused" filter. A follower of
//! the change log keeps them (`gazette-node`'s `media_references.rs`): it reads an owner's
//! texts here, and `gazette_core::media::referenced_paths` finds the files they name. They
//! advise; deleting an image checks the texts themselves (`media_usage.rs`).

use std::collections::BTreeMap;

use gazette_core::media::referenced_paths;

use crate::changes::ChangeId;
use crate::query::Param;
use crate::rows::RowExt;
use crate::store::{on_backend, on_tx};
use crate::{Store, StoreError, WriteTx};

/// Something whose texts can name library files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReferenceOwner {
    /// Its body, its featured image and every revision's body.
    Article(i64),
    Page(i64),
    /// The author's photo.
    Person(i64),
    /// The publication's logo and favicon.
    Settings,
}

impl ReferenceOwner {
    fn key(self) -> (&'static str, i64) {
        match self {
            Self::Article(id) => ("article", id),
            Self::Page(id) => ("page", id),
            Self::Person(id) => ("person", id),
            Self::Settings => ("settings", 0),
        }
    }

    /// Its texts: each row a `text` column.
    fn texts_sql(self) -> &'static str {
        match self {
            Self::Article(_) => {
                "select coalesce(image_src, '') as text from articles where id = $1 \
                 union all select body_source from articles where id = $1 \
                 union all select body_source from article_revisions where article_id = $1"
            }
            Self::Page(_) => "select body_source as text from pages where id = $1",
            Self::Person(_) => {
                "select coalesce(photo, '') as text from author_profiles where person_id = $1"
            }
            Self::Settings => {
                "select value as text from settings where key = 'publication' and $1 = 0"
            }
        }
    }
}

/// Articles read at once while rebuilding.
const CHUNK: i64 = 500;

impl Store {
    /// The change the references include, if they were ever built.
    pub async fn media_references_position(&self) -> Result<Option<ChangeId>, StoreError> {
        let sql = "select change_id from media_references_position where only_row = 1";
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, &[]).await?;
            rows.first().map(|row| row.int("change_id").map(ChangeId)).transpose()
        })
    }

    /// The files `owner`'s texts name now.
    pub async fn referenced_by(&self, owner: ReferenceOwner) -> Result<Vec<String>, StoreError> {
        let params = [Param::Int(owner.key().1)];
        let texts: Vec<String> = on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, owner.texts_sql(), &params).await?;
            rows.iter().map(|row| row.text("text")).collect::<Result<_, _>>()
        })?;
        Ok(paths_of(texts.iter().map(String::as_str)))
    }

    /// Every owner's files, for a rebuild: articles (with their revisions) in chunks, then
    /// pages, people and the settings.
    pub async fn all_references(
        &self,
    ) -> Result<BTreeMap<ReferenceOwner, Vec<String>>, StoreError> {
        let mut all = BTreeMap::new();
        let mut after = 0;
        loop {
            let sql = "select id, coalesce(image_src, '') || ' ' || body_source as text \
                       from articles where id > $1 order by id limit $2";
            let rows = self
                .owner_texts(sql, &[Param::Int(after), Param::Int(CHUNK)])
                .await?;
            let Some((last, _)) = rows.last() else { break };
            let (first, last) = (rows[0].0, *last);
            let sql = "select article_id as id, body_source as text from article_revisions \
                       where article_id >= $1 and article_id <= $2";
            let revisions = self
                .owner_texts(sql, &[Param::Int(first), Param::Int(last)])
                .await?;
            for (id, text) in rows.iter().chain(&revisions) {
                add_paths(all.entry(ReferenceOwner::Article(*id)).or_default(), text);
            }
            after = last;
        }
        let pages = self
            .owner_texts("select id, body_source as text from pages", &[])
            .await?;
        let photos = "select person_id as id, coalesce(photo, '') as text from author_profiles";
        let photos = self.owner_texts(photos, &[]).await?;
        for (id, text) in pages {
            all.insert(ReferenceOwner::Page(id), referenced_paths(&text));
        }
        for (id, text) in photos {
            all.insert(ReferenceOwner::Person(id), referenced_paths(&text));
        }
        all.insert(
            ReferenceOwner::Settings,
            self.referenced_by(ReferenceOwner::Settings).await?,
        );
        all.retain(|_, paths| !paths.is_empty());
        Ok(all)
    }

    async fn owner_texts(
        &self,
        sql: &str,
        params: &[Param],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        on_backend!(self.backend(), db => {
            let rows = backend::query::fetch_all(&mut *db.reader().await?, sql, params).await?;
            rows.iter().map(|row| Ok((row.int("id")?, row.text("text")?))).collect()
        })
    }
}

fn paths_of<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut paths = Vec::new();
    for text in texts {
        add_paths(&mut paths, text);
    }
    paths
}

/// Adds the files `text` names to `paths`, each once.
fn add_paths(paths: &mut Vec<String>, text: &str) {
    for path in referenced_paths(text) {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
}

impl WriteTx {
    /// Replaces what `owner` names with `paths`.
    pub async fn replace_references(
        &mut self,
        owner: ReferenceOwner,
        paths: &[String],
    ) -> Result<(), StoreError> {
        let (kind, id) = owner.key();
        let forget = "delete from media_references where owner = $1 and owner_id = $2";
        let params = [Param::Text(kind.to_owned()), Param::Int(id)];
        on_tx!(self, conn => backend::query::execute(conn, forget, &params).await)?;
        for path in paths {
            let sql = "insert into media_references (owner, owner_id, path) values ($1, $2, $3)";
            let params = [
                Param::Text(kind.to_owned()),
                Param::Int(id),
                Param::Text(path.clone()),
            ];
            on_tx!(self, conn => backend::query::execute(conn, sql, &params).await)?;
        }
        Ok(())
    }

    /// Forgets every reference (before a rebuild).
    pub async fn clear_references(&mut self) -> Result<(), StoreError> {
        on_tx!(self, conn => backend::query::execute(conn, "delete from media_references", &[]).await)?;
        Ok(())
    }

    /// Records that the references include `change` (never moving back: two nodes may follow
    /// the log at once).
    pub async fn set_references_position(&mut self, change: ChangeId) -> Result<(), StoreError> {
        let sql = "insert into media_references_position (only_row, change_id) values (1, $1) \
                   on conflict (only_row) do update set change_id = \
                   case when excluded.change_id > media_references_position.change_id \
                   then excluded.change_id else media_references_position.change_id end";
        on_tx!(self, conn => backend::query::execute(conn, sql, &[Param::Int(change.0)]).await)?;
        Ok(())
    }
}
