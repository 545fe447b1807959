//! Sessions, messages, streamed replies, conversations and drafts.

use deskpilot_core::store::{
    DraftId, DraftOrigin, MessageStatus, Role, SessionId, Store, StoreError,
};

use super::fresh;

#[tokio::test(flavor = "multi_thread")]
async fn sessions_are_listed_newest_activity_first_and_renamed_and_deleted() {
    let (_dir, store) = fresh().await;
    let a = store.create_session("First  chat\n", None).await.unwrap();
    let b = store
        .create_session("Second", Some("Be brief"))
        .await
        .unwrap();
    // Times are in milliseconds: let the clock move on.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    store
        .add_message(a, Role::User, "hello again")
        .await
        .unwrap();

    let list = store.list_sessions(50, 0).await.unwrap();
    let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        vec![a, b],
        "the session with the newest message comes first"
    );
    assert_eq!(list[0].title, "First chat");
    assert_eq!(list[0].messages, 1);
    assert_eq!(list[1].system_prompt.as_deref(), Some("Be brief"));

    store.rename_session(b, "Budget questions").await.unwrap();
    assert_eq!(store.session(b).await.unwrap().title, "Budget questions");

    store.delete_session(a).await.unwrap();
    assert!(matches!(store.session(a).await, Err(StoreError::NoSession(id)) if id == a));
    assert!(
        store.search("hello", 10).await.unwrap().is_empty(),
        "its messages left the index"
    );
    assert!(matches!(
        store.rename_session(a, "x").await,
        Err(StoreError::NoSession(_))
    ));
    assert!(matches!(
        store.delete_session(9999).await,
        Err(StoreError::NoSession(9999))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_streamed_reply_is_on_disk_before_it_ends_and_closed_with_its_status() {
    let (_dir, store) = fresh().await;
    let s = store.create_session("Streaming", None).await.unwrap();
    store
        .add_message(s, Role::User, "Write a poem")
        .await
        .unwrap();
    let rec = deskpilot_core::store::ReplyRecorder::start(
        &store,
        s,
        Some("TestModel"),
        std::time::Duration::from_millis(20),
    )
    .await
    .unwrap();
    let text = rec.text();
    text.push("Roses are red, ");
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let mid = store.message(rec.id()).await.unwrap();
    assert_eq!(mid.status, MessageStatus::Partial);
    assert_eq!(mid.text, "Roses are red, ", "flushed while still streaming");

    text.push("violets are blue.");
    let stats = deskpilot_core::store::ReplyStats {
        generated_tokens: Some(9),
        ..Default::default()
    };
    let id = rec.id();
    rec.finish(&text.get(), MessageStatus::Cancelled, &stats)
        .await
        .unwrap();
    let done = store.message(id).await.unwrap();
    assert_eq!(done.status, MessageStatus::Cancelled);
    assert_eq!(done.text, "Roses are red, violets are blue.");
    assert_eq!(done.generated_tokens, Some(9));
    assert_eq!(done.model.as_deref(), Some("TestModel"));

    let conversation = deskpilot_core::workflow::chat::conversation(&store, s)
        .await
        .unwrap();
    assert_eq!(
        conversation.len(),
        3,
        "the constitution, the prompt, the reply"
    );
    assert_eq!(conversation[2].content, "Roses are red, violets are blue.");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_conversation_starts_with_the_system_prompt_and_skips_failed_replies() {
    let (_dir, store) = fresh().await;
    let s = store
        .create_session("Ctx", Some("You are terse."))
        .await
        .unwrap();
    store.add_message(s, Role::User, "one").await.unwrap();
    let rec = deskpilot_core::store::ReplyRecorder::start(
        &store,
        s,
        None,
        std::time::Duration::from_millis(50),
    )
    .await
    .unwrap();
    let stats = deskpilot_core::store::ReplyStats {
        error: Some("model crashed".into()),
        ..Default::default()
    };
    rec.finish("half", MessageStatus::Failed, &stats)
        .await
        .unwrap();
    store.add_message(s, Role::User, "two").await.unwrap();
    let conv = deskpilot_core::workflow::chat::conversation(&store, s)
        .await
        .unwrap();
    let texts: Vec<&str> = conv.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[0].starts_with(deskpilot_core::prompts::CONSTITUTION.trim_end()));
    assert!(
        texts[0].ends_with("You are terse."),
        "the session's own system prompt follows"
    );
    assert_eq!(&texts[1..], ["one", "two"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_is_kept_in_one_version_per_editing_streak_and_never_over_a_generated_one() {
    let (_dir, store) = fresh().await;
    let s = store.create_session("Drafts", None).await.unwrap();
    let d = offer_letter(&store, s, "Dear Ana, generated.").await;
    // Autosave (checkpoint false) and Save (true); each returns the version.
    let store = &store;
    let keep = |text: &'static str, checkpoint: bool| async move {
        store.save_draft_text(d, text, checkpoint).await.unwrap()
    };
    // As the user types: one new version, then the same one.
    assert_eq!(keep("Dear Ana, ed", false).await, 2);
    assert_eq!(keep("Dear Ana, edited by hand.", false).await, 2);
    let draft = store.draft(d).await.unwrap();
    assert_eq!(draft.versions.len(), 2);
    assert_eq!(draft.versions[0].text, "Dear Ana, generated.", "untouched");
    assert_eq!(draft.versions[1].text, "Dear Ana, edited by hand.");
    assert_eq!(draft.versions[1].origin, DraftOrigin::Editing);
    // Save closes the streak in the same version; the same text again adds nothing.
    assert_eq!(keep("Dear Ana, edited by hand!", true).await, 2);
    assert_eq!(keep("Dear Ana, edited by hand!", true).await, 2);
    assert_eq!(keep("Dear Ana, edited by hand!", false).await, 2);
    let draft = store.draft(d).await.unwrap();
    assert_eq!(draft.versions.len(), 2);
    assert_eq!(draft.versions[1].origin, DraftOrigin::Edited);
    // Typing after a Save, or after a rewrite, opens a new version.
    assert_eq!(keep("Dear Ana, more.", false).await, 3);
    let shorten = DraftOrigin::rewrite("shorten");
    let shorter = store.add_draft_version(d, "Ana, shorter.", &shorten);
    assert_eq!(shorter.await.unwrap(), 4);
    assert_eq!(keep("Ana, shorter!", false).await, 5);
    let draft = store.draft(d).await.unwrap();
    let texts: Vec<&str> = draft.versions.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Dear Ana, generated.",
            "Dear Ana, edited by hand!",
            "Dear Ana, more.",
            "Ana, shorter.",
            "Ana, shorter!"
        ]
    );
    // What autosave kept is found by search.
    let hits = store.search("shorter", 10).await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(matches!(
        store.save_draft_text(999, "x", false).await,
        Err(StoreError::NoDraft(999))
    ));
}

/// A generated e-mail draft in session `s`.
async fn offer_letter(store: &Store, s: SessionId, text: &str) -> DraftId {
    store
        .create_draft(
            Some(s),
            Some("email"),
            "Offer letter",
            text,
            &serde_json::json!({"to": "Ana"}),
            &DraftOrigin::Generated,
        )
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_keep_every_version() {
    let (_dir, store) = fresh().await;
    let s = store.create_session("Drafts", None).await.unwrap();
    let d = offer_letter(&store, s, "Dear Ana, ...").await;
    assert_eq!(
        store
            .add_draft_version(d, "Dear Ana, shorter.", &DraftOrigin::rewrite("shorten"))
            .await
            .unwrap(),
        2
    );
    let draft = store.draft(d).await.unwrap();
    assert_eq!(draft.versions.len(), 2);
    assert_eq!(draft.versions[0].text, "Dear Ana, ...");
    assert_eq!(draft.text(), "Dear Ana, shorter.");
    assert_eq!(draft.versions[1].fields, "{\"to\":\"Ana\"}");
    assert!(matches!(
        store
            .add_draft_version(999, "x", &DraftOrigin::Edited)
            .await,
        Err(StoreError::NoDraft(999))
    ));

    store
        .set_setting("theme", &serde_json::json!("dark"))
        .await
        .unwrap();
    assert_eq!(
        store.setting("theme").await.unwrap(),
        Some(serde_json::json!("dark"))
    );
    assert_eq!(store.setting("absent").await.unwrap(), None);
}

#[test]
fn a_drafts_origin_keeps_its_meaning_through_the_database_and_reaches_the_page_as_kind_op_and_language(
) {
    for (stored, json) in [
        ("generated", serde_json::json!({"kind": "generated"})),
        ("edited", serde_json::json!({"kind": "edited"})),
        ("editing", serde_json::json!({"kind": "editing"})),
        ("original", serde_json::json!({"kind": "original"})),
        (
            "shorten",
            serde_json::json!({"kind": "rewrite", "op": "shorten"}),
        ),
        (
            "translate to French",
            serde_json::json!({"kind": "rewrite", "op": "translate", "to": "French"}),
        ),
        (
            "proofread",
            serde_json::json!({"kind": "rewrite", "op": "proofread"}),
        ),
    ] {
        let origin = DraftOrigin::from(stored.to_owned());
        assert_eq!(origin.stored(), stored);
        assert_eq!(serde_json::to_value(&origin).unwrap(), json, "{stored}");
    }
    assert_eq!(
        DraftOrigin::rewrite("translate to 中文"),
        DraftOrigin::Rewrite {
            op: "translate".into(),
            to: Some("中文".into())
        }
    );
}
