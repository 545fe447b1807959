//! Chunking a real document with the real tokenizer: every chunk within
//! the limit as the model counts it, everything covered, locations kept.

use deskpilot_core::docs::{chunk, open};

use crate::corpus_files::corpus;
use crate::support::{engine, smollm2};

#[test]
fn a_real_document_chunks_within_the_model_token_limit() {
    let e = engine(smollm2());
    let doc = open(&corpus("docx/poi__61787.docx")).unwrap();
    let mut count = |t: &str| e.count_tokens(t).unwrap();
    let chunks = chunk(&doc, 200, 40, &mut count);
    assert!(chunks.len() > 2, "{} chunks", chunks.len());
    for c in &chunks {
        let n = e.count_tokens(&c.text).unwrap();
        assert!(n <= 200, "chunk {} has {n} tokens", c.index);
        assert_eq!(n, c.tokens);
        assert!(!c.locs.is_empty());
    }
    // Every block's text is in some chunk.
    for b in &doc.blocks {
        let head: String = b.text.chars().take(30).collect();
        assert!(
            chunks.iter().any(|c| c.text.contains(&head)),
            "lost {:?}",
            b.loc
        );
    }
}
