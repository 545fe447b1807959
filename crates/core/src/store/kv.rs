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
}
