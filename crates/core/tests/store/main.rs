//! The session store on real SQLite files: sessions and messages, search in
//! English and Chinese, migrations, refusal of files it must not touch,
//! crash recovery, two processes at once, and export.

mod concurrency;
mod export;
mod migrations;
mod recovery;
mod search;
mod sessions;

use deskpilot_core::store::Store;

/// A fresh database in its own temporary folder (kept alive by the guard).
pub async fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = Store::open(&dir.path().join("deskpilot.sqlite3"))
        .await
        .expect("opening a new database");
    (dir, store)
}
