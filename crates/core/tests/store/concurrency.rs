//! Two processes writing one database at once. The test binary runs itself
//! twice as the writers (`writer_process`, which does nothing unless the
//! parent set DESKPILOT_TEST_WRITER_DB).

use std::process::Command;
use std::time::Duration;

use deskpilot_core::store::{MessageStatus, ReplyRecorder, ReplyStats, Role, Store};

const SESSIONS: usize = 10;
const TURNS: usize = 25;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "helper: run by two_processes_write_one_database_at_once_without_errors_or_loss"]
async fn writer_process() {
    let Some(path) = std::env::var_os("DESKPILOT_TEST_WRITER_DB") else {
        return;
    };
    let tag = std::env::var("DESKPILOT_TEST_WRITER_TAG").unwrap();
    let store = Store::open(std::path::Path::new(&path)).await.unwrap();
    for s in 0..SESSIONS {
        let session = store
            .create_session(&format!("{tag} session {s}"), None)
            .await
            .unwrap();
        for t in 0..TURNS {
            store
                .add_message(session, Role::User, &format!("{tag} question {s}-{t}"))
                .await
                .unwrap();
            let rec = ReplyRecorder::start(&store, session, Some("m"), Duration::from_millis(1))
                .await
                .unwrap();
            rec.text().push(&format!("{tag} answer {s}-{t}"));
            tokio::time::sleep(Duration::from_millis(2)).await;
            let text = rec.text().get();
            rec.finish(&text, MessageStatus::Complete, &ReplyStats::default())
                .await
                .unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_write_one_database_at_once_without_errors_or_loss() {
    let dir = tempfile::tempdir().unwrap();
    // Not created yet: both processes also race to create and migrate it.
    let path = dir.path().join("shared.sqlite3");
    let exe = std::env::current_exe().unwrap();
    let spawned: Vec<_> = ["alpha", "beta"]
        .iter()
        .map(|tag| {
            let child = Command::new(&exe)
                .args([
                    "--exact",
                    "concurrency::writer_process",
                    "--ignored",
                    "--nocapture",
                ])
                .env("DESKPILOT_TEST_WRITER_DB", &path)
                .env("DESKPILOT_TEST_WRITER_TAG", tag)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (tag, child)
        })
        .collect();
    for (tag, child) in spawned {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "writer {tag} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("1 passed"),
            "writer {tag} did not run"
        );
    }

    let store = Store::open(&path).await.unwrap();
    let sessions = store.list_sessions(1000, 0).await.unwrap();
    assert_eq!(sessions.len(), 2 * SESSIONS);
    for s in &sessions {
        assert_eq!(s.messages as usize, 2 * TURNS, "{}", s.title);
        let msgs = store.messages(s.id).await.unwrap();
        assert!(msgs.iter().all(|m| m.status == MessageStatus::Complete));
        let tag = s.title.split(' ').next().unwrap();
        assert!(
            msgs.iter().all(|m| m.text.starts_with(tag)),
            "messages stayed in their session"
        );
    }
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
}
