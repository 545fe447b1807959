//! Generates the window's context (config, page assets, capabilities) and
//! one `allow-<command>` permission per command in src/command_names.rs.

include!("src/command_names.rs");

fn main() {
    let dist = std::path::Path::new("../ui/dist/index.html");
    if !dist.exists() {
        // The page is built from ui/ (npm packages pinned by the lock file)
        // before the window compiles; say how instead of a codegen error.
        panic!("ui/dist is missing: run `bash scripts/ui.sh` (or `bash scripts/run.sh`) first");
    }
    println!("cargo:rerun-if-changed=src/command_names.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("generating the window's context");
}
