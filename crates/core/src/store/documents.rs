//! Opened documents: the reader's output cached by the file's sha256 (so a
//! file opened again, in any session, is not parsed again), which sessions
//! opened it from where, and its chunks, indexed for search.

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::search::{index, unindex, SearchKind};
use super::{now_ms, DocumentId, SessionId, Store, StoreError};
use crate::docs::{self, Block, Chunk, Document, Format, Limits};

/// A document a session has open.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoredDocument {
    pub id: DocumentId,
    pub path: String,
    pub sha256: String,
    pub format: String,
    pub title: Option<String>,
    pub bytes: i64,
    pub opened_at: i64,
}

/// A chunk as stored, with its id for citations and search.
#[derive(Debug, Clone, Serialize)]
pub struct StoredChunk {
    pub id: i64,
    pub index: usize,
    pub text: String,
    pub locs: Vec<String>,
    pub tokens: usize,
}

/// The sha256 of a file, read in pieces.
fn file_sha256(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, total))
}

/// What opening a document through the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum OpenDocumentError {
    #[error(transparent)]
    Read(#[from] docs::DocError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A cached reading as stored: id, format, title, blocks, warnings.
type CachedRow = (i64, String, Option<String>, String, String);

impl Store {
    fn cached_document(&self, row: CachedRow, path: &Path) -> Result<Document, StoreError> {
        let (id, format, title, blocks, warnings) = row;
        let parse = |what: &str, e: serde_json::Error| {
            self.bad_data(format!("cached {what} of document {id}: {e}"))
        };
        Ok(Document {
            file: path.to_path_buf(),
            format: serde_json::from_value::<Format>(serde_json::Value::String(format))
                .map_err(|e| parse("format", e))?,
            title,
            blocks: serde_json::from_str::<Vec<Block>>(&blocks).map_err(|e| parse("blocks", e))?,
            warnings: serde_json::from_str(&warnings).map_err(|e| parse("warnings", e))?,
            grids: Vec::new(),
        })
    }

    /// A document's stored reading, as a session opened it (`path` as that
    /// session saw the file): what a reopened session shows without the
    /// file having to still be there.
    pub async fn stored_document(
        &self,
        session: SessionId,
        id: DocumentId,
    ) -> Result<Document, StoreError> {
        let row: Option<(i64, String, Option<String>, String, String, String)> = sqlx::query_as(
            "SELECT d.id, d.format, d.title, d.blocks, d.warnings, sd.path \
             FROM documents d JOIN session_documents sd ON sd.document_id = d.id \
             WHERE sd.session_id = ? AND d.id = ?",
        )
        .bind(session)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        let (id, format, title, blocks, warnings, path) =
            row.ok_or_else(|| self.bad_data(format!("session {session} has no document {id}")))?;
        self.cached_document((id, format, title, blocks, warnings), Path::new(&path))
    }
}

impl Store {
    /// Opens `path` for `session`: reads it (or takes the cached reading
    /// of a file with the same content), and records that the session
    /// has it open.
    pub async fn open_document(
        &self,
        session: SessionId,
        path: &Path,
        limits: &Limits,
    ) -> Result<(DocumentId, Document), OpenDocumentError> {
        let (sha, bytes) = file_sha256(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let cached: Option<CachedRow> = sqlx::query_as(
            "SELECT id, format, title, blocks, warnings FROM documents WHERE sha256 = ?",
        )
        .bind(&sha)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        let (id, doc) = match cached {
            Some(row) => {
                let id = row.0;
                (id, self.cached_document(row, path)?)
            }
            None => {
                let doc = {
                    let path = path.to_path_buf();
                    let limits = limits.clone();
                    // Readers are CPU-bound and synchronous.
                    tokio::task::spawn_blocking(move || docs::open_with(&path, &limits))
                        .await
                        .map_err(|e| self.bad_data(format!("reader stopped: {e}")))??
                };
                let blocks = serde_json::to_string(&doc.blocks)
                    .map_err(|e| self.bad_data(format!("blocks: {e}")))?;
                let warnings = serde_json::to_string(&doc.warnings)
                    .map_err(|e| self.bad_data(format!("warnings: {e}")))?;
                // Another process may cache the same file meanwhile: keep one.
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO documents (sha256, format, title, blocks, warnings, bytes, \
                     extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (sha256) DO UPDATE SET sha256 = excluded.sha256 RETURNING id",
                )
                .bind(&sha)
                .bind(doc.format.name())
                .bind(&doc.title)
                .bind(blocks)
                .bind(warnings)
                .bind(bytes as i64)
                .bind(now_ms())
                .fetch_one(&self.pool)
                .await
                .map_err(|e| self.sql(e))?;
                (id, doc)
            }
        };
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        self.touch_session(&mut *tx, session).await?;
        sqlx::query(
            "INSERT INTO session_documents (session_id, document_id, path, opened_at) \
             VALUES (?, ?, ?, ?) ON CONFLICT (session_id, document_id) \
             DO UPDATE SET path = excluded.path, opened_at = excluded.opened_at",
        )
        .bind(session)
        .bind(id)
        .bind(path.to_string_lossy())
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| self.sql(e))?;
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok((id, doc))
    }

    /// The documents a session has open, in the order they were opened.
    pub async fn session_documents(
        &self,
        session: SessionId,
    ) -> Result<Vec<StoredDocument>, StoreError> {
        sqlx::query_as(
            "SELECT d.id, sd.path, d.sha256, d.format, d.title, d.bytes, sd.opened_at \
             FROM session_documents sd JOIN documents d ON d.id = sd.document_id \
             WHERE sd.session_id = ? ORDER BY sd.opened_at, d.id",
        )
        .bind(session)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))
    }

    /// Stores a document's chunks as cut by `chunker` (tokenizer and
    /// budget, e.g. `SmolLM2:512`), replacing an earlier cut by the same
    /// chunker, and indexes them for search.
    pub async fn save_chunks(
        &self,
        document: DocumentId,
        chunker: &str,
        chunks: &[Chunk],
    ) -> Result<Vec<StoredChunk>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
        let old: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM chunks WHERE document_id = ? AND chunker = ?")
                .bind(document)
                .bind(chunker)
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| self.sql(e))?;
        for (id,) in old {
            unindex(&mut tx, SearchKind::Chunk, id)
                .await
                .map_err(|e| self.sql(e))?;
        }
        sqlx::query("DELETE FROM chunks WHERE document_id = ? AND chunker = ?")
            .bind(document)
            .bind(chunker)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
        let mut out = Vec::with_capacity(chunks.len());
        for c in chunks {
            let locs =
                serde_json::to_string(&c.locs).map_err(|e| self.bad_data(format!("locs: {e}")))?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO chunks (document_id, chunker, idx, text, locs, tokens) \
                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(document)
            .bind(chunker)
            .bind(c.index as i64)
            .bind(&c.text)
            .bind(locs)
            .bind(c.tokens as i64)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
            index(&mut tx, SearchKind::Chunk, id, &c.text)
                .await
                .map_err(|e| self.sql(e))?;
            out.push(StoredChunk {
                id,
                index: c.index,
                text: c.text.clone(),
                locs: c.locs.clone(),
                tokens: c.tokens,
            });
        }
        tx.commit().await.map_err(|e| self.sql(e))?;
        Ok(out)
    }

    /// A document's chunks as cut by `chunker`; empty when never cut so.
    pub async fn chunks(
        &self,
        document: DocumentId,
        chunker: &str,
    ) -> Result<Vec<StoredChunk>, StoreError> {
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, idx, text, locs, tokens FROM chunks \
             WHERE document_id = ? AND chunker = ? ORDER BY idx",
        )
        .bind(document)
        .bind(chunker)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.sql(e))?;
        rows.into_iter()
            .map(|(id, index, text, locs, tokens)| {
                self.chunk_from_row(id, index, text, &locs, tokens)
            })
            .collect()
    }

    /// A chunk from its row in `chunks` (locations stored as JSON).
    pub(super) fn chunk_from_row(
        &self,
        id: i64,
        index: i64,
        text: String,
        locs: &str,
        tokens: i64,
    ) -> Result<StoredChunk, StoreError> {
        Ok(StoredChunk {
            id,
            index: index as usize,
            text,
            locs: serde_json::from_str(locs)
                .map_err(|e| self.bad_data(format!("locs of chunk {id}: {e}")))?,
            tokens: tokens as usize,
        })
    }
}
