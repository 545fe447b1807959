//! Document readers on real files from `../shared/corpus` (named contents)
//! and on hostile files built here (bombs, deep nesting, lies).

mod contents;
mod hostile;
mod regressions;

use std::path::PathBuf;

pub fn corpus(rel: &str) -> PathBuf {
    let dir = std::env::var_os("DESKPILOT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    let p = dir.join(rel);
    assert!(
        p.is_file(),
        "{} is missing (set DESKPILOT_CORPUS)",
        p.display()
    );
    p
}
