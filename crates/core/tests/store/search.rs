//! Search over messages, document chunks and drafts, in English and Chinese, newest first.

use deskpilot_core::docs::{self, Limits};
use deskpilot_core::store::{DraftOrigin, Role, SearchKind};

use super::fresh;

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_english_and_chinese_words_in_messages() {
    let (_dir, store) = fresh().await;
    let s = store.create_session("Mixed", None).await.unwrap();
    store
        .add_message(s, Role::User, "Please check the quarterly revenue figures.")
        .await
        .unwrap();
    store
        .add_message(
            s,
            Role::Assistant,
            "本季度的销售额增长了百分之十二，合同已经签署。",
        )
        .await
        .unwrap();
    store
        .add_message(s, Role::User, "Unrelated note about lunch.")
        .await
        .unwrap();

    let hits = store.search("revenue", 10).await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].kind, SearchKind::Message);
    assert_eq!(hits[0].session_id, Some(s));
    let (a, b) = hits[0].marks[0];
    assert_eq!(&hits[0].snippet[a..b], "revenue");

    // A two-character word inside a run of Chinese text.
    let hits = store.search("合同", 10).await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].snippet.contains("合同"));
    let (a, b) = hits[0].marks[0];
    assert_eq!(&hits[0].snippet[a..b], "合同");
    assert_eq!(store.search("销售额", 10).await.unwrap().len(), 1);
    // The characters must stand together: 售 and 合 are both there, apart.
    assert!(store.search("售合", 10).await.unwrap().is_empty());

    // Case, diacritics and an unfinished last word.
    assert_eq!(store.search("QUARTERLY reven", 10).await.unwrap().len(), 1);
    assert!(
        store.search("revenue lunch", 10).await.unwrap().is_empty(),
        "all words must match"
    );
    // FTS syntax typed by a user is just text.
    assert!(store.search("\"revenue OR NEAR(", 10).await.is_ok());
}

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_words_in_opened_documents_with_their_locations() {
    let (dir, store) = fresh().await;
    let s = store.create_session("Docs", None).await.unwrap();
    let path = dir.path().join("notes.md");
    std::fs::write(
        &path,
        "# Contract\n\nThe supplier delivers by March.\n\n# 合同条款\n\n付款期限为三十天。\n",
    )
    .unwrap();
    let (doc_id, doc) = store
        .open_document(s, &path, &Limits::default())
        .await
        .unwrap();
    let chunks = docs::chunk(&doc, 8, 0, &mut |t: &str| {
        t.split_whitespace().count().max(t.chars().count() / 4)
    });
    assert!(chunks.len() >= 2, "{chunks:?}");
    store.save_chunks(doc_id, "test:8", &chunks).await.unwrap();

    let hits = store.search("supplier", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, SearchKind::Chunk);
    assert_eq!(hits[0].title, path.to_string_lossy());
    assert!(hits[0].location.contains('§'), "{:?}", hits[0].location);

    let hits = store.search("付款", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.contains("付款期限"));

    // Opening the same content again reuses the cached reading.
    let copy = dir.path().join("copy.md");
    std::fs::copy(&path, &copy).unwrap();
    let (again, doc2) = store
        .open_document(s, &copy, &Limits::default())
        .await
        .unwrap();
    assert_eq!(again, doc_id);
    assert_eq!(doc2.blocks, doc.blocks);
    assert_eq!(doc2.file, copy);
    let listed = store.session_documents(s).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].path, copy.to_string_lossy());
    assert_eq!(
        store.chunks(doc_id, "test:8").await.unwrap().len(),
        chunks.len()
    );

    // Recutting replaces the old chunks in the index.
    let first = &chunks[..1];
    store.save_chunks(doc_id, "test:8", first).await.unwrap();
    for word in ["supplier", "付款"] {
        let expected = usize::from(first[0].text.contains(word));
        assert_eq!(
            store.search(word, 10).await.unwrap().len(),
            expected,
            "{word}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_drafts_by_their_newest_version() {
    let (_dir, store) = fresh().await;
    let d = store
        .create_draft(
            None,
            None,
            "Launch note",
            "We launch the kettle.",
            &serde_json::json!({}),
            &DraftOrigin::Generated,
        )
        .await
        .unwrap();
    store
        .add_draft_version(d, "We launch the toaster.", &DraftOrigin::Edited)
        .await
        .unwrap();
    assert!(store.search("kettle", 10).await.unwrap().is_empty());
    let hits = store.search("toaster", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, SearchKind::Draft);
    assert_eq!(hits[0].location, "version 2");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_the_readers_refuse_is_an_error_naming_it_and_nothing_is_stored() {
    let (dir, store) = fresh().await;
    let s = store.create_session("Bad", None).await.unwrap();
    let path = dir.path().join("broken.docx");
    std::fs::write(&path, b"PK\x03\x04 not really a zip").unwrap();
    let err = store
        .open_document(s, &path, &Limits::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("broken.docx"), "{err}");
    assert!(store.session_documents(s).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn results_come_newest_first_across_messages_and_drafts() {
    let (_dir, store) = fresh().await;
    let s = store.create_session("Order", None).await.unwrap();
    let old = store.add_message(s, Role::User, "alpha one").await.unwrap();
    let d = store
        .create_draft(
            Some(s),
            None,
            "Alpha draft",
            "alpha two",
            &serde_json::json!({}),
            &DraftOrigin::Generated,
        )
        .await
        .unwrap();
    let new = store
        .add_message(s, Role::User, "alpha three")
        .await
        .unwrap();
    let order: Vec<(SearchKind, i64)> = store
        .search("alpha", 10)
        .await
        .unwrap()
        .iter()
        .map(|h| (h.kind, h.id))
        .collect();
    assert_eq!(
        order,
        vec![
            (SearchKind::Message, new),
            (SearchKind::Draft, d),
            (SearchKind::Message, old)
        ]
    );
    // Editing the draft makes it the newest.
    store
        .add_draft_version(d, "alpha four", &DraftOrigin::Edited)
        .await
        .unwrap();
    let first = &store.search("alpha", 10).await.unwrap()[0];
    assert_eq!((first.kind, first.id), (SearchKind::Draft, d));
    assert_eq!(
        store.search("alpha", 2).await.unwrap().len(),
        2,
        "the limit holds"
    );
}
