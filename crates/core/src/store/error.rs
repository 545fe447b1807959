//! What can go wrong with the session database, each error naming the file.

use std::path::PathBuf;

/// A store failure. Every variant names the database file, so that a user
/// with two data folders knows which one is at fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: not a usable Deskpilot database ({detail}); it was left untouched. \
         Move it aside to start a new one, or pass --db PATH",
        path = path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path}: written by a newer Deskpilot (schema {found}, this version knows up to \
         {known}); it was left untouched. Update Deskpilot, or pass --db PATH",
        path = path.display()
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: {source}", path = path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}", path = path.display())]
    Sql {
        path: PathBuf,
        #[source]
        source: sqlx::Error,
    },
    #[error("{path}: upgrading the database: {source}", path = path.display())]
    Migrate {
        path: PathBuf,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error("no session {0}")]
    NoSession(i64),
    #[error("no message {0}")]
    NoMessage(i64),
    #[error("no draft {0}")]
    NoDraft(i64),
    #[error("{path}: stored data is not valid: {detail}", path = path.display())]
    BadData { path: PathBuf, detail: String },
    #[error("{path}: writing the export: {detail}", path = path.display())]
    Export { path: PathBuf, detail: String },
}

impl StoreError {
    /// A stable code for the window's `{code, message}` errors.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Corrupt { .. } => "store_corrupt",
            StoreError::Newer { .. } => "store_newer",
            StoreError::Io { .. } => "store_io",
            StoreError::Sql { .. } => "store_sql",
            StoreError::Migrate { .. } => "store_migrate",
            StoreError::NoSession(_) => "no_session",
            StoreError::NoMessage(_) => "no_message",
            StoreError::NoDraft(_) => "no_draft",
            StoreError::BadData { .. } => "store_bad_data",
            StoreError::Export { .. } => "export_failed",
        }
    }
}

/// SQLite's result codes for "this file is not a database" (26) and "the
/// database disk image is malformed" (11).
pub(crate) fn is_corruption(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| {
            let primary = c.parse::<i64>().map(|n| n & 0xff).unwrap_or(-1);
            primary == 11 || primary == 26
        })
}
