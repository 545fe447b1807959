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

impl Store {
    /// The backend a session chose for itself (None: it follows the
    /// settings).
    pub async fn session_backend(
        &self,
        session: i64,
    ) -> Result<Option<crate::config::BackendChoice>, StoreError> {
        let key = session_backend_key(session);
        match self.setting(&key).await? {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| self.bad_data(format!("setting {key}: {e}"))),
        }
    }

    /// Gives a session its own backend, or (None) lets it follow the
    /// settings again. The API key is never part of it.
    pub async fn set_session_backend(
        &self,
        session: i64,
        choice: Option<&crate::config::BackendChoice>,
    ) -> Result<(), StoreError> {
        let value = match choice {
            Some(c) => serde_json::to_value(c)
                .map_err(|e| self.bad_data(format!("session backend: {e}")))?,
            None => serde_json::Value::Null,
        };
        self.set_setting(&session_backend_key(session), &value)
            .await
    }
}

fn session_backend_key(session: i64) -> String {
    format!("session.{session}.backend")
}

/// The remote servers the user allowed files to be sent to.
const CONFIRMED_SERVERS: &str = "remote.confirmed_servers";
