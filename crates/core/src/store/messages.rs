//! Messages: the user's are committed before anything else happens; a
//! reply is a row that grows while it streams (see recorder.rs) and is
//! closed with its status.

use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::search::index_message;
use super::{
    now_ms, Citation, Message, MessageId, MessageStatus, Role, SessionId, Store, StoreError,
};

const COLUMNS: &str = "id, session_id, role, text, status, model, prompt_tokens, \
    generated_tokens, prompt_ms, generate_ms, error, citations, created_at, updated_at";

impl Store {
    /// Stores a complete message (the user's, a system prompt, or a whole
    /// reply) and indexes it; committed when this returns.
    pub async fn add_message(
        &self,
        session: SessionId,
        role: Role,
        text: &str,
    ) -> Result<MessageId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        self.touch_session(&mut *tx, session).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (session_id, role, text, status, created_at, updated_at) \
             VALUES (?, ?, ?, 'complete', ?, ?) RETURNING id",
        )
        .bind(session)
        .bind(role.as_str())
        .bind(text)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        index_message(&mut tx, id, text)
            .await
            .map_err(|e| self.sql(e))?;
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(id)
    }

    /// Opens an empty reply owned by this process (status partial).
    pub(crate) async fn open_reply(
        &self,
        session: SessionId,
        model: Option<&str>,
    ) -> Result<MessageId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        self.touch_session(&mut *tx, session).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (session_id, role, text, status, model, writer, created_at, \
             updated_at) VALUES (?, 'assistant', '', 'partial', ?, ?, ?, ?) RETURNING id",
        )
        .bind(session)
        .bind(model)
        .bind(self.writer_token())
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        if let Some(model) = model {
            sqlx::query("UPDATE sessions SET model = ? WHERE id = ?")
                .bind(model)
                .bind(session)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.sql(e))?;
        }
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(id)
    }

    /// Stores a reply that was not streamed (a summary, an answer from
    /// files) in one step, with its status and figures.
    pub async fn add_reply(
        &self,
        session: SessionId,
        text: &str,
        status: MessageStatus,
        stats: &super::ReplyStats,
    ) -> Result<MessageId, StoreError> {
        let id = self.open_reply(session, stats.model.as_deref()).await?;
        self.close_reply(id, text, status, stats).await?;
        Ok(id)
    }

    /// Writes the reply's text so far.
    pub(crate) async fn flush_reply(&self, id: MessageId, text: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE messages SET text = ?, updated_at = ? WHERE id = ? AND status = 'partial'",
        )
        .bind(text)
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Closes a reply with its final text, status and figures, and indexes it.
    pub(crate) async fn close_reply(
        &self,
        id: MessageId,
        text: &str,
        status: MessageStatus,
        stats: &super::ReplyStats,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        let citations = serde_json::to_string(&stats.citations)
            .map_err(|e| self.bad_data(format!("citations: {e}")))?;
        sqlx::query(
            "UPDATE messages SET text = ?, status = ?, writer = NULL, updated_at = ?, \
             model = COALESCE(?, model), prompt_tokens = ?, generated_tokens = ?, \
             prompt_ms = ?, generate_ms = ?, error = ?, citations = ? WHERE id = ?",
        )
        .bind(text)
        .bind(status.as_str())
        .bind(now_ms())
        .bind(&stats.model)
        .bind(stats.prompt_tokens.map(|n| n as i64))
        .bind(stats.generated_tokens.map(|n| n as i64))
        .bind(stats.prompt_ms)
        .bind(stats.generate_ms)
        .bind(&stats.error)
        .bind(citations)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        index_message(&mut tx, id, text)
            .await
            .map_err(|e| self.sql(e))?;
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Sets a finished reply aside when the user asks for another: its text
    /// stays stored (and searchable), but the conversation no longer
    /// carries it. Only assistant replies that are no longer streaming.
    pub async fn supersede_reply(&self, id: MessageId) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE messages SET status = 'failed', error = 'replaced by a regenerated reply', \
             updated_at = ? WHERE id = ? AND role = 'assistant' AND status != 'partial'",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        if done.rows_affected() == 0 {
            return Err(self.bad_data(format!("message {id} is not a finished reply")));
        }
        Ok(())
    }

    /// A session's messages, oldest first.
    pub async fn messages(&self, session: SessionId) -> Result<Vec<Message>, StoreError> {
        // Distinguish "no such session" from "no messages yet".
        self.session(session).await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM messages WHERE session_id = ? ORDER BY id"
        ))
        .bind(session)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        rows.iter().map(|r| self.message_from_row(r)).collect()
    }

    pub async fn message(&self, id: MessageId) -> Result<Message, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM messages WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.sql(e))?
            .ok_or(StoreError::NoMessage(id))?;
        self.message_from_row(&row)
    }

    fn message_from_row(&self, r: &SqliteRow) -> Result<Message, StoreError> {
        let get = |e: sqlx::Error| self.sql(e);
        let role: String = r.try_get("role").map_err(get)?;
        let status: String = r.try_get("status").map_err(get)?;
        let citations: String = r.try_get("citations").map_err(get)?;
        Ok(Message {
            id: r.try_get("id").map_err(get)?,
            session_id: r.try_get("session_id").map_err(get)?,
            role: Role::parse(&role).ok_or_else(|| self.bad_data(format!("role {role:?}")))?,
            text: r.try_get("text").map_err(get)?,
            status: MessageStatus::parse(&status)
                .ok_or_else(|| self.bad_data(format!("status {status:?}")))?,
            model: r.try_get("model").map_err(get)?,
            prompt_tokens: r.try_get("prompt_tokens").map_err(get)?,
            generated_tokens: r.try_get("generated_tokens").map_err(get)?,
            prompt_ms: r.try_get("prompt_ms").map_err(get)?,
            generate_ms: r.try_get("generate_ms").map_err(get)?,
            error: r.try_get("error").map_err(get)?,
            citations: serde_json::from_str::<Vec<Citation>>(&citations)
                .map_err(|e| self.bad_data(format!("citations of message: {e}")))?,
            created_at: r.try_get("created_at").map_err(get)?,
            updated_at: r.try_get("updated_at").map_err(get)?,
        })
    }
}
