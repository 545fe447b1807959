//! Replies cut off by a dead process are marked interrupted; a live writer's are not.

use std::time::Duration;

use deskpilot_core::store::{MessageStatus, ReplyRecorder, Role, Store};

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_left_partial_by_a_dead_writer_is_marked_interrupted_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    let first = Store::open(&path).await.unwrap();
    let s = first.create_session("Crash", None).await.unwrap();
    let user = first
        .add_message(s, Role::User, "tell me a story")
        .await
        .unwrap();
    let rec = ReplyRecorder::start(&first, s, None, Duration::from_millis(10))
        .await
        .unwrap();
    let reply = rec.id();
    rec.text().push("Once upon a time");
    tokio::time::sleep(Duration::from_millis(100)).await;

    // A second process-like store while the first is alive: not its business.
    let second = Store::open(&path).await.unwrap();
    assert_eq!(
        second.message(reply).await.unwrap().status,
        MessageStatus::Partial
    );

    // The first "dies" without closing the reply.
    drop(rec);
    first.close().await;
    drop(first);

    assert_eq!(second.recover_interrupted().await.unwrap(), 1);
    let m = second.message(reply).await.unwrap();
    assert_eq!(m.status, MessageStatus::Interrupted);
    assert_eq!(m.text, "Once upon a time");
    assert_eq!(second.message(user).await.unwrap().text, "tell me a story");
    assert_eq!(
        second.search("upon", 10).await.unwrap().len(),
        1,
        "interrupted replies are searchable"
    );
}
