//! Where the shared labelled texts are: `$DESKPILOT_DETECT_EVAL`, else
//! `shared/detect-eval/samples.jsonl` beside the checkout. Used by the
//! test binaries that read real prose.

use std::path::PathBuf;

/// The samples file, read whole; a missing file fails with where to look.
pub fn samples_text() -> String {
    let path = std::env::var_os("DESKPILOT_DETECT_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/detect-eval/samples.jsonl")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared test data; set DESKPILOT_DETECT_EVAL)",
            path.display()
        )
    })
}
