//! Settings kept in the database (window state, per-user choices), as JSON
//! values under string keys. Engine settings a user edits by hand live in
//! settings.json (config.rs); this is for what the app remembers itself.

use super::{now_ms, Store, StoreError};

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.sql(e))?;
        row.map(|(v,)| {
            serde_json::from_str(&v).map_err(|e| self.bad_data(format!("setting {key}: {e}")))
        })
        .transpose()
    }

    pub async fn set_setting(
        &self,
        key: &str,
        value: &serde_json::Value,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value.to_string())
        .bind(now_ms())
        .execute(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Whether the user has confirmed that files may be sent to this remote
    /// server (asked once per server, then remembered).
    pub async fn remote_confirmed(&self, base_url: &str) -> Result<bool, StoreError> {
        Ok(self
            .setting(CONFIRMED_SERVERS)
            .await?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .any(|u| u.as_str() == Some(base_url)))
    }

    /// Remembers that files may be sent to this remote server.
    pub async fn confirm_remote(&self, base_url: &str) -> Result<(), StoreError> {
        if self.remote_confirmed(base_url).await? {
            return Ok(());
        }
        let mut list = self
            .setting(CONFIRMED_SERVERS)
            .await?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        list.push(serde_json::Value::String(base_url.to_owned()));
        self.set_setting(CONFIRMED_SERVERS, &serde_json::Value::Array(list))
            .await
    }
}

/// The remote servers the user allowed files to be sent to.
const CONFIRMED_SERVERS: &str = "remote.confirmed_servers";
