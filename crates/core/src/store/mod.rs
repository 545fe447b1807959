//! Sessions in SQLite: every chat, opened document, draft and analysis,
//! kept in one file through sqlx, searchable, and safe against crashes.
//!
//! The write path never holds what the user typed in memory only: a user
//! message is committed before generation starts, a reply is written while
//! it streams ([`ReplyRecorder`]) and closed with its status, and replies a
//! crashed process left open are marked interrupted by the next one to open
//! the file ([`writers`]).

mod analyses;
mod documents;
mod drafts;
mod error;
mod export;
mod kv;
mod messages;
mod open;
mod recorder;
mod search;
mod sessions;
mod types;
mod vectors;
mod writers;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::SqlitePool;

pub use analyses::{Analysis, NewAnalysis};
pub use documents::{OpenDocumentError, StoredChunk, StoredDocument};
pub use drafts::{Draft, DraftOrigin, DraftVersion};
pub use error::StoreError;
pub use export::ExportFormat;
pub use open::SCHEMA_VERSION;
#[cfg(feature = "llm")]
pub use recorder::RecordingSink;
pub use recorder::{ReplyRecorder, ReplyStats, ReplyText, FLUSH_INTERVAL};
pub use search::{cjk_spaced, retrieval_terms, RetrievedChunk, SearchHit, SearchKind};
pub use sessions::SessionSummary;
pub use types::{Citation, Message, MessageStatus, Role};

/// Ids are SQLite rowids.
pub type SessionId = i64;
pub type MessageId = i64;
pub type DocumentId = i64;
pub type DraftId = i64;

/// An open session database. Cheap to clone; all clones share one pool and
/// one writer registration.
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// This process's writer token and the lock that proves it is alive.
    writer: writers::WriterLock,
}

impl Store {
    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The connection pool, for callers with their own queries (benchmarks).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes the pool, waiting for connections to finish; the writer lock
    /// goes when the last clone is dropped.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn sql(&self, source: sqlx::Error) -> StoreError {
        open::sql_error(&self.inner.path, source)
    }

    pub(crate) fn bad_data(&self, detail: impl Into<String>) -> StoreError {
        StoreError::BadData {
            path: self.inner.path.clone(),
            detail: detail.into(),
        }
    }
}

/// Now, in Unix milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A stored time as `2026-11-28 14:05` (UTC: unambiguous without a time
/// zone database).
pub fn format_utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
