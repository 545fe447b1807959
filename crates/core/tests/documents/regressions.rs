//! Every saved crash input still gives a Document or an error, with no
//! panic in Deskpilot's own code (library panics are caught by `open`).

use std::path::PathBuf;

use crate::guard::read_guarded;

#[test]
fn saved_crash_inputs_no_longer_crash() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/documents/regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if let Err(site) = read_guarded(&bytes, &path) {
            panic!("{}: panicked in our code at {site}", path.display());
        }
        // Through the app's entry point it must be an answer, not a crash.
        let _ = deskpilot_core::docs::open(&path);
        checked += 1;
    }
    assert!(checked >= 1, "no regression inputs in {}", dir.display());
}
