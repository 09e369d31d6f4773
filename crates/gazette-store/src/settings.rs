//! Settings kept in the store: the publication's editorial settings and the server secret.

use gazette_core::Publication;
use gazette_core::curation::{HomeLayout, Menus};

use crate::changes::ChangeKind;
use crate::query::Param;
use crate::sql::Value;
use crate::{Store, StoreError, WriteTx};

const PUBLICATION_KEY: &str = "publication";
const MENUS_KEY: &str = "menus";
const HOME_LAYOUT_KEY: &str = "home_layout";
const SERVER_SECRET_KEY: &str = "server_secret";

const GET: &str = "select value from settings where key = $1";
const PUT: &str = "insert into settings (key, value, updated_at) values ($1, $2, $3) \
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at";
const INSERT_IF_ABSENT: &str = "insert into settings (key, value, updated_at) values ($1, $2, $3) on conflict (key) do nothing";

impl WriteTx {
    async fn setting(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        let found: Option<Value> = self
            .fetch_optional(GET, &[Param::Text(key.to_owned())])
            .await?;
        Ok(found.map(|v| v.0))
    }

    async fn write_setting(&mut self, sql: &str, key: &str, value: &str) -> Result<(), StoreError> {
        let params = [
            Param::Text(key.to_owned()),
            Param::Text(value.to_owned()),
            Param::Time(self.now),
        ];
        self.execute(sql, &params).await?;
        Ok(())
    }
}

impl Store {
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let found: Option<Value> = self
            .fetch_optional(GET, &[Param::Text(key.to_owned())])
            .await?;
        Ok(found.map(|v| v.0))
    }
}

impl WriteTx {
    /// Saves both navigation menus.
    pub async fn put_menus(&mut self, menus: &Menus) -> Result<(), StoreError> {
        self.put_json(MENUS_KEY, menus).await
    }

    /// The menus as this unit sees them.
    pub async fn menus(&mut self) -> Result<Menus, StoreError> {
        let json = self.setting(MENUS_KEY).await?;
        decode(MENUS_KEY, json)
    }

    /// Saves the home page's arrangement.
    pub async fn put_home_layout(&mut self, layout: &HomeLayout) -> Result<(), StoreError> {
        self.put_json(HOME_LAYOUT_KEY, layout).await
    }

    async fn put_json(
        &mut self,
        key: &'static str,
        value: &impl serde::Serialize,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|e| StoreError::corrupt(key, e))?;
        self.write_setting(PUT, key, &json).await?;
        self.record_change(ChangeKind::Settings, None);
        Ok(())
    }

    /// Saves the editorial settings.
    #[tracing::instrument(skip_all)]
    pub async fn put_publication(&mut self, publication: &Publication) -> Result<(), StoreError> {
        let json = serde_json::to_string(publication)
            .map_err(|e| StoreError::corrupt("publication", e))?;
        self.write_setting(PUT, PUBLICATION_KEY, &json).await?;
        self.record_change(ChangeKind::Settings, None);
        Ok(())
    }

    /// The editorial settings as this unit sees them (to change one part and save the rest).
    pub async fn publication(&mut self) -> Result<Option<Publication>, StoreError> {
        let json = self.setting(PUBLICATION_KEY).await?;
        json.map(|json| {
            serde_json::from_str(&json).map_err(|e| StoreError::corrupt("publication", e))
        })
        .transpose()
    }

    /// Stores `candidate` as the server secret unless one exists, and returns the secret in
    /// force: nodes starting together all end up with the same one.
    #[tracing::instrument(skip_all)]
    pub async fn ensure_server_secret(&mut self, candidate: &str) -> Result<String, StoreError> {
        self.write_setting(INSERT_IF_ABSENT, SERVER_SECRET_KEY, candidate)
            .await?;
        self.setting(SERVER_SECRET_KEY)
            .await?
            .ok_or_else(|| StoreError::corrupt("server secret", "missing after insert"))
    }
}

/// A stored JSON setting, or its default when none was saved yet.
fn decode<T: serde::de::DeserializeOwned + Default>(
    key: &'static str,
    json: Option<String>,
) -> Result<T, StoreError> {
    json.map_or_else(
        || Ok(T::default()),
        |json| serde_json::from_str(&json).map_err(|e| StoreError::corrupt(key, e)),
    )
}

impl Store {
    /// The navigation menus (empty ones until an editor builds them).
    pub async fn menus(&self) -> Result<Menus, StoreError> {
        let json = self.setting(MENUS_KEY).await?;
        decode(MENUS_KEY, json)
    }

    /// The home page's arrangement (automatic until an editor chooses).
    pub async fn home_layout(&self) -> Result<HomeLayout, StoreError> {
        let json = self.setting(HOME_LAYOUT_KEY).await?;
        decode(HOME_LAYOUT_KEY, json)
    }

    /// The editorial settings; None before the first run seeded them.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn publication(&self) -> Result<Option<Publication>, StoreError> {
        let json = self.setting(PUBLICATION_KEY).await?;
        json.map(|json| {
            serde_json::from_str(&json).map_err(|e| StoreError::corrupt("publication", e))
        })
        .transpose()
    }

    /// The secret that signs tokens and keys avatars; None before the first run.
    #[tracing::instrument(skip(self), level = "debug")]
    pub async fn server_secret(&self) -> Result<Option<String>, StoreError> {
        self.setting(SERVER_SECRET_KEY).await
    }
}
