//! Migrations on an empty database and at the previous schema; files the store must refuse and leave untouched.

use deskpilot_core::store::{Role, Store, StoreError, SCHEMA_VERSION};

async fn schema_version(store: &Store) -> i64 {
    let (v,): (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(store.pool())
        .await
        .unwrap();
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn migrations_build_an_empty_database_at_the_newest_schema() {
    let (_dir, store) = super::fresh().await;
    assert_eq!(schema_version(&store).await, SCHEMA_VERSION);
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn migrations_upgrade_a_database_at_the_previous_schema_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let old = Store::open_at_schema(&path, SCHEMA_VERSION - 1)
        .await
        .unwrap();
    assert_eq!(schema_version(&old).await, SCHEMA_VERSION - 1);
    let s = old.create_session("From last year", None).await.unwrap();
    // The previous schema's own columns only: raw SQL, as that version wrote.
    sqlx::query(
        "INSERT INTO messages (session_id, role, text, status, created_at, updated_at) \
         VALUES (?, 'user', 'old question about invoices', 'complete', 1, 1)",
    )
    .bind(s)
    .execute(old.pool())
    .await
    .unwrap();
    old.close().await;
    drop(old);

    let store = Store::open(&path).await.unwrap();
    assert_eq!(schema_version(&store).await, SCHEMA_VERSION);
    let messages = store.messages(s).await.unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].text, "old question about invoices");
    assert!(messages[0].citations.is_empty());
    // The new tables work.
    store.set_setting("k", &serde_json::json!(1)).await.unwrap();
    store
        .add_message(s, Role::User, "new invoices question")
        .await
        .unwrap();
    assert_eq!(store.search("new invoices", 10).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.sqlite3");
    let store = Store::open(&path).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (?, 'from the future', 1, x'00', 0)",
    )
    .bind(SCHEMA_VERSION + 7)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    drop(store);
    let before = std::fs::read(&path).unwrap();

    let err = Store::open(&path).await.err().expect("refused");
    assert!(
        matches!(err, StoreError::Newer { found, .. } if found == SCHEMA_VERSION + 7),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("newer.sqlite3") && msg.contains("newer Deskpilot"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "not a byte changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite3");
    std::fs::write(&path, "my shopping list: eggs, milk\n").unwrap();
    let err = Store::open(&path).await.err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("notes.sqlite3"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my shopping list: eggs, milk\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.sqlite3");
    // SQLite's header followed by garbage where its pages should be.
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend((0..8192u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).await.err().expect("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("damaged.sqlite3"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}
