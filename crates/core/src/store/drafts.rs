//! Drafts and their versions: every generation, rewrite or saved edit adds
//! a version, so nothing the user had is ever overwritten. Edits kept as
//! the user types (autosave) go into one version per editing streak, which
//! only the same streak's later text replaces.

use serde::Serialize;

use super::search::{index, SearchKind};
use super::sessions::tidy_title;
use super::{now_ms, DraftId, SessionId, Store, StoreError};

/// What made a version of a draft. Stored as text (`generated`, `edited`,
/// `editing`, `original`, or the rewrite's name such as `shorten` or
/// `translate to French`); the window gets it as `{kind, op, to}` and words
/// it itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftOrigin {
    /// A first draft written by the model.
    Generated,
    /// The user's text, saved (Save, or kept before a rewrite).
    Edited,
    /// The user's text that autosave is still filling as they type.
    Editing,
    /// A text kept as a new draft before it was rewritten.
    Original,
    /// A rewrite: `op` as the CLI names it, `to` the language of a
    /// translation.
    Rewrite {
        op: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
}

const TRANSLATE_TO: &str = "translate to ";

impl DraftOrigin {
    /// A rewrite's origin from its name (`shorten`, `translate to French`).
    pub fn rewrite(name: &str) -> DraftOrigin {
        match name.strip_prefix(TRANSLATE_TO) {
            Some(language) => DraftOrigin::Rewrite {
                op: "translate".into(),
                to: Some(language.to_owned()),
            },
            None => DraftOrigin::Rewrite {
                op: name.to_owned(),
                to: None,
            },
        }
    }

    /// The text the database keeps.
    pub fn stored(&self) -> String {
        match self {
            DraftOrigin::Generated => "generated".into(),
            DraftOrigin::Edited => "edited".into(),
            DraftOrigin::Editing => "editing".into(),
            DraftOrigin::Original => "original".into(),
            DraftOrigin::Rewrite { op, to: Some(l) } if op == "translate" => {
                format!("{TRANSLATE_TO}{l}")
            }
            DraftOrigin::Rewrite { op, .. } => op.clone(),
        }
    }
}

impl From<String> for DraftOrigin {
    fn from(stored: String) -> DraftOrigin {
        match stored.as_str() {
            "generated" => DraftOrigin::Generated,
            "edited" => DraftOrigin::Edited,
            "editing" => DraftOrigin::Editing,
            "original" => DraftOrigin::Original,
            other => DraftOrigin::rewrite(other),
        }
    }
}

/// How a text becomes a version.
enum Put<'a> {
    /// Always a new version, made by this origin.
    Add(&'a DraftOrigin),
    /// The user's own text (see `Store::save_draft_text`).
    Edit { checkpoint: bool },
}

/// One version of a draft.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DraftVersion {
    pub version: i64,
    pub text: String,
    /// Template fields as a JSON object.
    pub fields: String,
    /// What made it.
    #[sqlx(try_from = "String")]
    pub origin: DraftOrigin,
    pub created_at: i64,
}

/// A draft with all its versions, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub id: DraftId,
    pub session_id: Option<SessionId>,
    pub template: Option<String>,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub versions: Vec<DraftVersion>,
}

impl Draft {
    /// The newest version's text.
    pub fn text(&self) -> &str {
        self.versions.last().map(|v| v.text.as_str()).unwrap_or("")
    }
}

impl Store {
    /// Starts a draft with its first version.
    pub async fn create_draft(
        &self,
        session: Option<SessionId>,
        template: Option<&str>,
        title: &str,
        text: &str,
        fields: &serde_json::Value,
        origin: &DraftOrigin,
    ) -> Result<DraftId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        if let Some(s) = session {
            self.touch_session(&mut *tx, s).await?;
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO drafts (session_id, template, title, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(session)
        .bind(template)
        .bind(tidy_title(title))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        sqlx::query(
            "INSERT INTO draft_versions (draft_id, version, text, fields, origin, created_at) \
             VALUES (?, 1, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(text)
        .bind(fields.to_string())
        .bind(origin.stored())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        index(&mut tx, SearchKind::Draft, id, &format!("{title}\n{text}"))
            .await
            .map_err(|e| self.sql(e))?;
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(id)
    }

    /// Adds a version; returns its number.
    pub async fn add_draft_version(
        &self,
        draft: DraftId,
        text: &str,
        origin: &DraftOrigin,
    ) -> Result<i64, StoreError> {
        self.put_version(draft, text, Put::Add(origin)).await
    }

    /// Keeps the user's own text of a draft; returns its version number.
    /// While the user types (`checkpoint` false) the text goes into an
    /// `editing` version: the newest one when it is already such (the same
    /// editing streak), else a new one, so a generated or rewritten
    /// version before it is never touched. A checkpoint (Save, or the text
    /// kept before a rewrite) closes the streak: its version becomes
    /// `edited`, or a new `edited` one is added. A text equal to the newest
    /// closed version adds nothing.
    pub async fn save_draft_text(
        &self,
        draft: DraftId,
        text: &str,
        checkpoint: bool,
    ) -> Result<i64, StoreError> {
        self.put_version(draft, text, Put::Edit { checkpoint })
            .await
    }

    /// Writes `text` as `how` says, in one transaction with the draft's
    /// time and its search entry; returns the version's number.
    async fn put_version(
        &self,
        draft: DraftId,
        text: &str,
        how: Put<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        let newest: Option<(String, i64, String, String, String)> = sqlx::query_as(
            "SELECT d.title, v.version, v.text, v.fields, v.origin FROM drafts d \
             JOIN draft_versions v ON v.draft_id = d.id WHERE d.id = ? \
             ORDER BY v.version DESC LIMIT 1",
        )
        .bind(draft)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        let (title, last, last_text, fields, last_origin) =
            newest.ok_or(StoreError::NoDraft(draft))?;
        let editing = DraftOrigin::from(last_origin) == DraftOrigin::Editing;
        let (origin, replace) = match how {
            Put::Add(origin) => (origin.clone(), false),
            Put::Edit { .. } if last_text == text && !editing => {
                // Already the newest closed version's text: nothing to keep.
                return Ok(last);
            }
            Put::Edit { checkpoint } => (
                if checkpoint {
                    DraftOrigin::Edited
                } else {
                    DraftOrigin::Editing
                },
                editing,
            ),
        };
        let now = now_ms();
        let version = if replace {
            sqlx::query(
                "UPDATE draft_versions SET text = ?, origin = ?, created_at = ? \
                 WHERE draft_id = ? AND version = ?",
            )
            .bind(text)
            .bind(origin.stored())
            .bind(now)
            .bind(draft)
            .bind(last)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
            last
        } else {
            sqlx::query(
                "INSERT INTO draft_versions (draft_id, version, text, fields, origin, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(draft)
            .bind(last + 1)
            .bind(text)
            .bind(fields)
            .bind(origin.stored())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
            last + 1
        };
        sqlx::query("UPDATE drafts SET updated_at = ? WHERE id = ?")
            .bind(now)
            .bind(draft)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
        index(
            &mut tx,
            SearchKind::Draft,
            draft,
            &format!("{title}\n{text}"),
        )
        .await
        .map_err(|e| self.sql(e))?;
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(version)
    }

    pub async fn draft(&self, id: DraftId) -> Result<Draft, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Head {
            session_id: Option<i64>,
            template: Option<String>,
            title: String,
            created_at: i64,
            updated_at: i64,
        }
        let row: Option<Head> = sqlx::query_as(
            "SELECT session_id, template, title, created_at, updated_at FROM drafts WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        let head = row.ok_or(StoreError::NoDraft(id))?;
        let versions = sqlx::query_as(
            "SELECT version, text, fields, origin, created_at FROM draft_versions \
             WHERE draft_id = ? ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        Ok(Draft {
            id,
            session_id: head.session_id,
            template: head.template,
            title: head.title,
            created_at: head.created_at,
            updated_at: head.updated_at,
            versions,
        })
    }

    /// A session's drafts, oldest first.
    pub async fn session_drafts(&self, session: SessionId) -> Result<Vec<Draft>, StoreError> {
        let ids: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM drafts WHERE session_id = ? ORDER BY id")
                .bind(session)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            out.push(self.draft(id).await?);
        }
        Ok(out)
    }
}
