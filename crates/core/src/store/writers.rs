//! Which process is streaming which reply, so that a reply left `partial`
//! by a crash can be told from one another live process is still writing.
//!
//! Each open store holds an exclusive OS lock on its own file in
//! `<database>-writers/`; the lock dies with the process however it ends
//! (even `kill -9`). A reply records its writer's token; whoever opens the
//! database next finds partial replies whose writer's lock can be taken,
//! and marks them interrupted.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::{now_ms, MessageStatus, Store, StoreError};

/// The folder beside the database that holds the lock files.
pub(crate) fn folder(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push("-writers");
    db.with_file_name(name)
}

/// Held while migrating: a second process opening a new database waits.
pub(crate) fn migrate_lock(dir: &Path) -> std::io::Result<File> {
    std::fs::create_dir_all(dir)?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("migrate.lock"))?;
    file.lock()?;
    Ok(file)
}

/// This process's registration as a writer.
pub(crate) struct WriterLock {
    pub(crate) token: String,
    path: PathBuf,
    _file: File,
}

impl WriterLock {
    pub(crate) fn acquire(dir: &Path) -> std::io::Result<WriterLock> {
        std::fs::create_dir_all(dir)?;
        // pid plus time: unique among live processes, and a recycled pid
        // never matches an old token.
        let token = format!("{}-{}", std::process::id(), now_ms());
        let mut n = 0;
        loop {
            let token = if n == 0 {
                token.clone()
            } else {
                format!("{token}-{n}")
            };
            let path = dir.join(format!("{token}.lock"));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    file.lock()?;
                    return Ok(WriterLock {
                        token,
                        path,
                        _file: file,
                    });
                }
                // Another store in this process opened the same second.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the writer with this token is gone: its lock file is missing,
/// or its lock can be taken.
fn writer_is_gone(dir: &Path, token: &str) -> bool {
    let path = dir.join(format!("{token}.lock"));
    let file = match OpenOptions::new().write(true).open(&path) {
        Ok(f) => f,
        Err(_) => return true,
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = std::fs::remove_file(&path);
            true
        }
        Err(TryLockError::WouldBlock) => false,
        // Locks unsupported here: trust nothing, leave the reply alone.
        Err(TryLockError::Error(_)) => false,
    }
}

impl Store {
    /// This process's writer token, recorded on the replies it streams.
    pub(crate) fn writer_token(&self) -> &str {
        &self.inner.writer.token
    }

    /// Marks replies left partial by dead processes as interrupted and
    /// indexes them for search. Runs at every open; returns how many.
    pub async fn recover_interrupted(&self) -> Result<u64, StoreError> {
        let writers: Vec<(Option<String>,)> =
            sqlx::query_as("SELECT DISTINCT writer FROM messages WHERE status = 'partial'")
                .fetch_all(&self.pool)
                .await
                .map_err(|e| self.sql(e))?;
        let dir = folder(self.path());
        let mut total = 0;
        for (writer,) in writers {
            if writer.as_deref() == Some(self.writer_token()) {
                continue;
            }
            if let Some(token) = &writer {
                if !writer_is_gone(&dir, token) {
                    continue;
                }
            }
            let mut tx = self.pool.begin().await.map_err(|e| self.sql(e))?;
            let ids: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, text FROM messages WHERE status = 'partial' AND writer IS ?",
            )
            .bind(&writer)
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| self.sql(e))?;
            for (id, text) in &ids {
                sqlx::query(
                    "UPDATE messages SET status = ?, writer = NULL, updated_at = ? WHERE id = ?",
                )
                .bind(MessageStatus::Interrupted.as_str())
                .bind(now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.sql(e))?;
                super::search::index_message(&mut tx, *id, text)
                    .await
                    .map_err(|e| self.sql(e))?;
            }
            tx.commit().await.map_err(|e| self.sql(e))?;
            total += ids.len() as u64;
        }
        if total > 0 {
            tracing::info!("{total} replies cut off by a crash marked interrupted");
        }
        Ok(total)
    }
}
