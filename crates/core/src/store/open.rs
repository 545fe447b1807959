//! Opening the database: refuse files that are not SQLite or come from a
//! newer Deskpilot (never touching them), set the pragmas that let the
//! window and the CLI share one file, run the embedded migrations, and
//! close replies that a crashed process left open.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::error::{is_corruption, StoreError};
use super::{writers, Inner, Store};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 3;

/// How long a writer waits for another process's transaction before giving
/// up; transactions here last milliseconds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn sql_error(path: &Path, source: sqlx::Error) -> StoreError {
    if is_corruption(&source) {
        StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: source.to_string(),
        }
    } else {
        StoreError::Sql {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Store {
    /// Opens (or creates) the database at `path` at the newest schema.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_at(path, &MIGRATOR).await
    }

    /// Creates or upgrades a database only up to `version`: how tests build
    /// a database at an earlier schema. Not for the app.
    #[doc(hidden)]
    pub async fn open_at_schema(path: &Path, version: i64) -> Result<Store, StoreError> {
        let migrator = Migrator {
            migrations: Cow::Owned(
                MIGRATOR
                    .iter()
                    .filter(|m| m.version <= version)
                    .cloned()
                    .collect(),
            ),
            ..Migrator::DEFAULT
        };
        Store::open_at(path, &migrator).await
    }

    async fn open_at(path: &Path, migrator: &Migrator) -> Result<Store, StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        check_header(path)?;

        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed user message survives a power cut, not only
            // a crash. Commits are a few per second at most.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let dir = writers::folder(path);
        // Two processes opening a new file at once must not both set it up:
        // the first connection switches it to WAL, which SQLite answers
        // with "database is locked" (no busy wait) while another process
        // does the same; then the migrations.
        let migrate_lock = writers::migrate_lock(&dir).map_err(io)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| sql_error(path, e))?;
        check_not_newer(&pool, path).await?;
        migrator.run(&pool).await.map_err(|source| match source {
            sqlx::migrate::MigrateError::Execute(e) => sql_error(path, e),
            source => StoreError::Migrate {
                path: path.to_path_buf(),
                source,
            },
        })?;
        drop(migrate_lock);

        let writer = writers::WriterLock::acquire(&dir).map_err(io)?;
        let store = Store {
            pool,
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer,
            }),
        };
        store.recover_interrupted().await?;
        Ok(store)
    }
}

/// A file that exists and is not empty must start with SQLite's header;
/// anything else is refused before SQLite can touch it.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut head = [0u8; 16];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        }
    }
    if got == 0 || &head[..got] == b"SQLite format 3\0" {
        return Ok(());
    }
    Err(StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: "the file is not an SQLite database".into(),
    })
}

async fn check_not_newer(pool: &SqlitePool, path: &Path) -> Result<(), StoreError> {
    let has_table: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await
    .map_err(|e| sql_error(path, e))?;
    if has_table.is_none() {
        return Ok(());
    }
    let (found,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await
            .map_err(|e| sql_error(path, e))?;
    match found {
        Some(found) if found > SCHEMA_VERSION => Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_version_is_the_newest_migration() {
        let newest = MIGRATOR.iter().map(|m| m.version).max();
        assert_eq!(newest, Some(SCHEMA_VERSION));
    }
}
