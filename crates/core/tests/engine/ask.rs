//! Questions over a long file with the real default model: a fact deep in
//! it is found with its location; a question it cannot answer gets "not in
//! the documents".

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use deskpilot_core::ask::{ask_files, AskOptions, NOT_IN_DOCUMENTS};
use deskpilot_core::docs::Limits;
use deskpilot_core::prompts::Prompts;
use deskpilot_core::store::Store;

use crate::summarize::{engine, real_paragraphs};

fn long_file_with_a_fact(dir: &std::path::Path) -> std::path::PathBuf {
    let mut md = String::new();
    for (i, p) in real_paragraphs().iter().take(150).enumerate() {
        let mut page: String = p.split_whitespace().take(45).collect::<Vec<_>>().join(" ");
        if i == 116 {
            page.push_str(" The vault access code for the Northbridge archive is 4417.");
        }
        md.push_str(&format!("# Page {}\n\n{page}\n\n", i + 1));
    }
    let path = dir.join("archive.md");
    std::fs::write(&path, md).unwrap();
    path
}

#[test]
fn a_fact_deep_in_a_long_file_is_found_with_its_location_and_an_unanswerable_question_is_not_answered(
) {
    let dir = tempfile::tempdir().unwrap();
    let path = long_file_with_a_fact(dir.path());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let e = engine(2048);
    rt.block_on(async {
        let store = Store::open(&dir.path().join("d.sqlite3")).await.unwrap();
        let s = store.create_session("Archive", None).await.unwrap();
        let opened = store
            .open_document(s, &path, &Limits::default())
            .await
            .unwrap();
        let docs = vec![opened];
        let ask = |q: &'static str| {
            let (e, store, docs) = (&e, &store, &docs);
            async move {
                ask_files(
                    e,
                    store,
                    docs,
                    q,
                    &AskOptions::default(),
                    &Prompts::builtin(),
                    Arc::new(AtomicBool::new(false)),
                )
                .await
                .unwrap()
            }
        };

        let a = ask("What is the vault access code for the Northbridge archive?").await;
        assert!(a.found, "{a:?}");
        assert!(a.text.contains("4417"), "{}", a.text);
        assert!(
            a.sources.iter().any(|s| s.loc.contains("Page 117")),
            "the location of page 117: {:?}",
            a.sources
        );
        assert!(
            a.passages[0].text.contains("Northbridge"),
            "BM25 put the fact first"
        );

        let a = ask("What is the boiling point of mercury in kelvin?").await;
        assert!(!a.found, "{a:?}");
        assert_eq!(a.text, NOT_IN_DOCUMENTS);
        assert!(a.sources.is_empty());
    });
}
