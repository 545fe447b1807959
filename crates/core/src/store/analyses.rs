//! Spreadsheet analyses: the question, the plan the model wrote, the result
//! code computed, and the answer shown, kept with their session.

use serde::Serialize;

use super::{now_ms, SessionId, Store, StoreError};

/// An analysis to store. `plan` and `result` are JSON.
#[derive(Debug, Clone)]
pub struct NewAnalysis<'a> {
    pub session: Option<SessionId>,
    pub document: Option<i64>,
    pub file: &'a str,
    pub question: &'a str,
    pub plan: &'a serde_json::Value,
    pub result: &'a serde_json::Value,
    pub answer: Option<&'a str>,
}

/// A stored analysis.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Analysis {
    pub id: i64,
    pub session_id: Option<i64>,
    pub file: String,
    pub question: String,
    pub plan: String,
    pub result: String,
    pub answer: Option<String>,
    pub created_at: i64,
}

impl Store {
    pub async fn add_analysis(&self, a: &NewAnalysis<'_>) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        if let Some(s) = a.session {
            self.touch_session(&mut *tx, s).await?;
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO analyses (session_id, document_id, file, question, plan, result, \
             answer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(a.session)
        .bind(a.document)
        .bind(a.file)
        .bind(a.question)
        .bind(a.plan.to_string())
        .bind(a.result.to_string())
        .bind(a.answer)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(id)
    }

    /// A session's analyses, oldest first.
    pub async fn session_analyses(&self, session: SessionId) -> Result<Vec<Analysis>, StoreError> {
        sqlx::query_as(
            "SELECT id, session_id, file, question, plan, result, answer, created_at \
             FROM analyses WHERE session_id = ? ORDER BY id",
        )
        .bind(session)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))
    }
}
