//! The models this computer has, for `deskpilot models list` and the
//! window's Models page alike: the GGUF files in the models folder (with
//! where `models pull` fetched each from), the model in use wherever it
//! is, and the models other apps and imported folders hold, each read from
//! its GGUF header without loading weights.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::download::{self, Provenance};
use super::found::{self, Places};
use crate::config::Settings;
use crate::llm::{self, ModelInfo};

/// One model file this computer has.
#[derive(Debug, Clone, Serialize)]
pub struct Installed {
    pub path: PathBuf,
    /// Where it is: "models folder", or the app or folder that has it.
    pub source: String,
    /// True for the models folder: Deskpilot's to remove.
    pub removable: bool,
    /// That app's name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_as: Option<String>,
    /// Where `models pull` fetched it from (repository, file, sha256).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pulled_from: Option<Provenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<ModelInfo>,
    /// Why its header could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The models in `dir`, then `also` (the model in use, when it is
/// elsewhere), then those other apps and the settings' imported folders
/// have. A missing models folder is an empty one.
pub fn installed(
    dir: &Path,
    settings: &Settings,
    also: Option<&Path>,
) -> std::io::Result<Vec<Installed>> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("gguf"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    if let Some(p) = also {
        if !paths.iter().any(|q| q == p) {
            paths.push(p.to_path_buf());
        }
    }
    paths.sort();
    let pulled = download::sources(dir);
    let mut out: Vec<Installed> = paths
        .into_iter()
        .map(|path| {
            let ours = path.parent() == Some(dir);
            let pulled_from = path
                .file_name()
                .filter(|_| ours)
                .and_then(|n| pulled.get(n.to_string_lossy().as_ref()))
                .cloned();
            entry(path, "models folder".into(), ours, None, pulled_from)
        })
        .collect();
    for f in elsewhere(settings) {
        if !out.iter().any(|e| e.path == f.path) {
            out.push(entry(
                f.path,
                f.source.label().to_owned(),
                false,
                Some(f.name),
                None,
            ));
        }
    }
    Ok(out)
}

/// The models other apps and the settings' imported folders hold, where
/// they are.
pub fn elsewhere(settings: &Settings) -> Vec<found::FoundModel> {
    Places::here()
        .map(|mut p| {
            p.imported = settings.model_folders.clone();
            found::find_models(&p)
        })
        .unwrap_or_default()
}

fn entry(
    path: PathBuf,
    source: String,
    removable: bool,
    found_as: Option<String>,
    pulled_from: Option<Provenance>,
) -> Installed {
    let (info, error) = match llm::inspect(&path) {
        Ok(i) => (Some(i), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Installed {
        path,
        source,
        removable,
        found_as,
        pulled_from,
        info,
        error,
    }
}
