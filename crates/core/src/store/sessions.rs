//! Sessions: create, list (newest activity first), rename, delete.

use serde::Serialize;

use super::search::{unindex, SearchKind};
use super::{now_ms, SessionId, Store, StoreError};

/// A session as the sidebar lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SessionSummary {
    pub id: i64,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub model: Option<String>,
    pub system_prompt: Option<String>,
    /// Messages in the session.
    pub messages: i64,
}

/// Titles are one line and short enough for a sidebar.
pub(crate) fn tidy_title(title: &str) -> String {
    let line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        out.push('…');
    }
    if out.is_empty() {
        "Untitled".into()
    } else {
        out
    }
}

impl Store {
    /// Starts a session; the title is tidied to one short line.
    pub async fn create_session(
        &self,
        title: &str,
        system_prompt: Option<&str>,
    ) -> Result<SessionId, StoreError> {
        let now = now_ms();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO sessions (title, created_at, updated_at, system_prompt) \
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(tidy_title(title))
        .bind(now)
        .bind(now)
        .bind(system_prompt)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        Ok(id)
    }

    /// Sessions, most recently active first.
    pub async fn list_sessions(
        &self,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        sqlx::query_as(
            "SELECT s.id, s.title, s.created_at, s.updated_at, s.model, s.system_prompt, \
               (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS messages \
             FROM sessions s ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?",
        )
        .bind(limit as i64)
        .bind(offset as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))
    }

    pub async fn session(&self, id: SessionId) -> Result<SessionSummary, StoreError> {
        sqlx::query_as(
            "SELECT s.id, s.title, s.created_at, s.updated_at, s.model, s.system_prompt, \
               (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS messages \
             FROM sessions s WHERE s.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.sql(e))?
        .ok_or(StoreError::NoSession(id))
    }

    pub async fn rename_session(&self, id: SessionId, title: &str) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE sessions SET title = ?, updated_at = ? WHERE id = ?")
            .bind(tidy_title(title))
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(|e| self.sql(e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSession(id));
        }
        Ok(())
    }

    /// Sets the system prompt and model a session continues with.
    pub async fn set_session_model(
        &self,
        id: SessionId,
        model: Option<&str>,
        system_prompt: Option<&str>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE sessions SET model = COALESCE(?, model), \
             system_prompt = COALESCE(?, system_prompt) WHERE id = ?",
        )
        .bind(model)
        .bind(system_prompt)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSession(id));
        }
        Ok(())
    }

    /// Deletes a session with its messages, drafts and analyses, and their
    /// search entries. Documents stay cached (another session may use them).
    pub async fn delete_session(&self, id: SessionId) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        for (kind, table) in [
            (SearchKind::Message, "messages"),
            (SearchKind::Draft, "drafts"),
        ] {
            let ids: Vec<(i64,)> =
                sqlx::query_as(&format!("SELECT id FROM {table} WHERE session_id = ?"))
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.sql(e))?;
            for (i,) in ids {
                unindex(&mut tx, kind, i).await.map_err(|e| self.sql(e))?;
            }
        }
        let done = sqlx::query("DELETE FROM sessions WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSession(id));
        }
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Marks a session as just used, so it lists first.
    pub(crate) async fn touch_session<'e, E>(
        &self,
        exec: E,
        id: SessionId,
    ) -> Result<(), StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
    {
        let done = sqlx::query("UPDATE sessions SET updated_at = ? WHERE id = ?")
            .bind(now_ms())
            .bind(id)
            .execute(exec)
            .await
            .map_err(|e| self.sql(e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSession(id));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(tidy_title("  Budget\n  review "), "Budget review");
        assert_eq!(tidy_title(""), "Untitled");
        assert_eq!(tidy_title(&"x".repeat(100)).chars().count(), 81);
    }
}
