//! Every saved crash input still gives a Document or an error, on the
//! caller's thread, with no panic.

use std::path::PathBuf;

use deskpilot_core::docs::{parse, Limits};

#[test]
fn saved_crash_inputs_no_longer_crash() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/documents/regressions");
    let limits = Limits {
        max_seconds: 10,
        ..Limits::default()
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        // parse runs without open()'s panic guard: a panic fails this test.
        let _ = parse(&bytes, &path, &limits);
        checked += 1;
    }
    assert!(checked >= 1, "no regression inputs in {}", dir.display());
}
