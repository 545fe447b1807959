//! Exporting a session to Markdown and Word, sources included.

use deskpilot_core::docs;
use deskpilot_core::store::{
    Citation, DraftOrigin, ExportFormat, MessageStatus, ReplyRecorder, ReplyStats, Role,
};

#[tokio::test(flavor = "multi_thread")]
async fn a_session_exports_to_markdown_and_docx_with_its_sources() {
    let (dir, store) = super::fresh().await;
    let s = store
        .create_session("Quarterly review", None)
        .await
        .unwrap();
    store
        .add_message(s, Role::User, "What changed in Q3?")
        .await
        .unwrap();
    let rec = ReplyRecorder::start(
        &store,
        s,
        Some("SmolLM2"),
        std::time::Duration::from_millis(50),
    )
    .await
    .unwrap();
    let stats = ReplyStats {
        citations: vec![Citation {
            file: "report.pdf".into(),
            loc: "p. 3".into(),
            at: "p. 3".into(),
        }],
        ..Default::default()
    };
    rec.finish(
        "Revenue rose 12%.\n\nCosts fell.",
        MessageStatus::Complete,
        &stats,
    )
    .await
    .unwrap();
    store
        .create_draft(
            Some(s),
            Some("email"),
            "Note to team",
            "Team, Q3 went well.",
            &serde_json::json!({}),
            &DraftOrigin::Generated,
        )
        .await
        .unwrap();

    let md = store.export_markdown(s).await.unwrap();
    assert!(md.starts_with("# Quarterly review\n"), "{md}");
    for needle in [
        "What changed in Q3?",
        "Revenue rose 12%.",
        "Costs fell.",
        "Sources:",
        "- report.pdf, p. 3",
        "Draft: Note to team",
        "Team, Q3 went well.",
    ] {
        assert!(md.contains(needle), "{needle:?} missing from:\n{md}");
    }

    let out = dir.path().join("review.docx");
    store
        .export_session(s, ExportFormat::Docx, &out)
        .await
        .unwrap();
    let doc = docs::open(&out).expect("our own reader opens the export");
    let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    let all = text.join("\n");
    for needle in [
        "Quarterly review",
        "What changed in Q3?",
        "Revenue rose 12%.",
        "report.pdf, p. 3",
        "Team, Q3 went well.",
    ] {
        assert!(all.contains(needle), "{needle:?} missing from:\n{all}");
    }
    assert!(
        doc.blocks
            .iter()
            .any(|b| b.kind == docs::BlockKind::Heading && b.text == "Quarterly review"),
        "the title is a heading: {:?}",
        doc.blocks.first()
    );

    let md_out = dir.path().join("review.md");
    store
        .export_session(s, ExportFormat::Markdown, &md_out)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(&md_out).unwrap(), md);
    assert!(store
        .export_session(999, ExportFormat::Markdown, &md_out)
        .await
        .is_err());
}
