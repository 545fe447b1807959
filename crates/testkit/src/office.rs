//! The Python readers the office tests open written files with
//! (`tests/office/*_open.py`: python-docx, openpyxl), each run over a list
//! of files in the data folder's Python packages. Used by the test
//! binaries that check written files.

use std::path::Path;

/// Runs `tests/office/SCRIPT` over `files` with `<data folder>/PACKAGES` as
/// its PYTHONPATH: the files it could not open, as (file, its JSON line).
pub fn failures<P: AsRef<std::ffi::OsStr>>(
    script: &str,
    packages: &str,
    files: impl IntoIterator<Item = P>,
) -> Vec<(String, String)> {
    let files: Vec<P> = files.into_iter().collect();
    if files.is_empty() {
        return Vec::new();
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/office")
        .join(script);
    let python_path = deskpilot_core::config::data_dir()
        .expect("a data folder")
        .join(packages);
    let out = std::process::Command::new("python3")
        .arg(&path)
        .args(&files)
        .env("PYTHONPATH", &python_path)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", path.display()));
    assert!(
        out.status.success(),
        "{script} failed (its packages in {}, from scripts/setup.sh --test?): {}",
        python_path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("error").is_some())
        .map(|v| {
            (
                v["file"].as_str().unwrap_or_default().to_owned(),
                v.to_string(),
            )
        })
        .collect()
}
