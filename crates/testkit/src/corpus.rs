//! Where the shared test corpus is: `$DESKPILOT_CORPUS`, else `shared/corpus`
//! beside the checkout. Used by the test binaries that read it.

use std::path::PathBuf;

pub fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("DESKPILOT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the corpus is missing at {} (set DESKPILOT_CORPUS)",
        dir.display()
    );
    dir
}

/// A corpus file, which must exist.
pub fn corpus(rel: &str) -> PathBuf {
    let p = corpus_dir().join(rel);
    assert!(p.is_file(), "{} is missing", p.display());
    p
}
