//! The Models page: the catalog marked for this computer, the models it
//! has (with where each came from), downloads with progress, pause, resume
//! and cancel, choosing a model and removing one from the models folder.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use deskpilot_core::config;
use deskpilot_core::models::download::{self, DownloadError, Progress};
use deskpilot_core::models::hub::{self, HubFile};
use deskpilot_core::models::library::{self, Installed};
use deskpilot_core::models::{self, Assessment, CatalogEntry};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use super::app::use_model_file;
use super::blocking;
use crate::error::{CmdResult, CommandError};
use crate::model_slot::ModelStatus;
use crate::state::AppState;

const RUN: u8 = 0;
const PAUSE: u8 = 1;
const CANCEL: u8 = 2;

#[derive(Debug, Serialize)]
pub struct CatalogRow {
    #[serde(flatten)]
    pub entry: CatalogEntry,
    /// The name the file gets in the models folder.
    pub file_name: String,
    pub estimated_bytes: u64,
    pub fit: Option<Assessment>,
    pub installed: bool,
}

#[derive(Debug, Serialize)]
pub struct InstalledRow {
    #[serde(flatten)]
    pub model: Installed,
    pub selected: bool,
}

/// A download that was paused or interrupted: its part is kept.
#[derive(Debug, Serialize)]
pub struct PartialRow {
    pub file_name: String,
    pub bytes: u64,
    pub running: bool,
}

#[derive(Debug, Serialize)]
pub struct ModelsView {
    pub models_dir: String,
    /// Memory free for a model now.
    pub available_bytes: Option<u64>,
    /// The GPU models are judged for, when this build offloads to one.
    pub gpu: Option<models::gpu::Gpu>,
    /// The catalog id that fits best, and whether it is bigger than the
    /// model in use (the first-run hint).
    pub best_fit: Option<String>,
    pub catalog: Vec<CatalogRow>,
    pub installed: Vec<InstalledRow>,
    pub partial: Vec<PartialRow>,
    /// Where downloads come from (`HF_ENDPOINT` or Hugging Face).
    pub endpoint: String,
}

fn models_dir() -> CmdResult<PathBuf> {
    Ok(config::models_dir()?)
}

/// Everything the Models page shows.
#[tauri::command]
pub async fn models_overview(state: State<'_, AppState>) -> CmdResult<ModelsView> {
    let settings = state.settings()?;
    let in_use = match state.model.status() {
        ModelStatus::Ready {
            model,
            remote: None,
        } => Some(PathBuf::from(&model.info.path)),
        ModelStatus::Loading { path } | ModelStatus::Failed { path, .. } => {
            Some(PathBuf::from(path))
        }
        ModelStatus::Ready { .. } => None,
    };
    let running: Vec<String> = state
        .downloads
        .lock()
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    let dir = models_dir()?;
    blocking(move || {
        let entries = models::catalog().map_err(|e| CommandError::new("catalog", e.to_string()))?;
        let available = models::available_memory();
        let gpu = models::gpu::for_models();
        let best_fit = available
            .and_then(|a| models::best_fit_on(&entries, a, gpu.as_ref(), None))
            .map(|b| b.id.clone());
        let installed = library::installed(&dir, &settings, in_use.as_deref())
            .map_err(|e| CommandError::new("io", format!("{}: {e}", dir.display())))?;
        let catalog = entries
            .into_iter()
            .map(|entry| {
                let file_name = entry.file_name().to_owned();
                CatalogRow {
                    installed: dir.join(&file_name).is_file(),
                    estimated_bytes: entry.estimated_bytes(),
                    fit: available.map(|a| models::assess_on(&entry, a, gpu.as_ref())),
                    file_name,
                    entry,
                }
            })
            .collect();
        let partial = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let file_name = name.strip_suffix(".part")?.to_owned();
                        Some(PartialRow {
                            bytes: e.metadata().map_or(0, |m| m.len()),
                            running: running.contains(&file_name),
                            file_name,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(ModelsView {
            models_dir: dir.display().to_string(),
            available_bytes: available,
            gpu,
            best_fit,
            catalog,
            installed: installed
                .into_iter()
                .map(|model| InstalledRow {
                    selected: in_use.as_ref() == Some(&model.path),
                    model,
                })
                .collect(),
            partial,
            endpoint: hub::endpoint_from_env(),
        })
    })
    .await?
}

/// A download's progress, as the page's bar receives it.
#[derive(Debug, Clone, Serialize)]
struct DownloadEvent<'a> {
    file_name: &'a str,
    progress: &'a Progress,
}

#[derive(Debug, Serialize)]
pub struct PulledView {
    pub path: String,
    pub file_name: String,
    pub size: u64,
    pub verified: bool,
    pub already_here: bool,
}

/// Downloads a catalog id, a hub address or OWNER/REPO/FILE.gguf into the
/// models folder, resuming what an earlier run left; `model-download`
/// events carry its progress. Ends with `paused` or `cancelled` when the
/// page asks.
#[tauri::command]
pub async fn models_pull<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    what: String,
) -> CmdResult<PulledView> {
    let catalog = models::catalog().map_err(|e| CommandError::new("catalog", e.to_string()))?;
    let file = HubFile::parse(&what, &catalog, &hub::endpoint_from_env())?;
    let name = file.file_name().to_owned();
    let flag = Arc::new(AtomicU8::new(RUN));
    {
        let mut running = state
            .downloads
            .lock()
            .map_err(|_| CommandError::new("internal", "the download list is poisoned"))?;
        if running.contains_key(&name) {
            return Err(CommandError::new(
                "busy",
                format!("{name} is already downloading"),
            ));
        }
        running.insert(name.clone(), Arc::clone(&flag));
    }
    let dir = models_dir()?;
    let (worker_flag, worker_name, worker_dir) = (Arc::clone(&flag), name.clone(), dir.clone());
    let result = blocking(move || {
        download::pull(
            &file,
            &worker_dir,
            &download::Options::default(),
            &mut |p| {
                let _ = app.emit(
                    "model-download",
                    DownloadEvent {
                        file_name: &worker_name,
                        progress: p,
                    },
                );
                worker_flag.load(Ordering::SeqCst) == RUN
            },
        )
    })
    .await;
    if let Ok(mut running) = state.downloads.lock() {
        running.remove(&name);
    }
    match result? {
        Ok(p) => Ok(PulledView {
            path: p.path.display().to_string(),
            file_name: name,
            size: p.size,
            verified: p.verified,
            already_here: p.already_here,
        }),
        Err(DownloadError::Paused { .. }) if flag.load(Ordering::SeqCst) == CANCEL => {
            download::discard_partial(&dir, &name)?;
            Err(CommandError::new(
                "cancelled",
                format!("the download of {name} was cancelled"),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Pauses a running download (its part is kept; pulling again resumes).
#[tauri::command]
pub fn models_pause(state: State<'_, AppState>, file_name: String) -> bool {
    signal(&state, &file_name, PAUSE)
}

/// Cancels a download: a running one stops and its part is removed, a
/// paused one's part is removed.
#[tauri::command]
pub fn models_cancel(state: State<'_, AppState>, file_name: String) -> CmdResult<bool> {
    if signal(&state, &file_name, CANCEL) {
        return Ok(true);
    }
    Ok(download::discard_partial(&models_dir()?, &file_name)?)
}

fn signal(state: &AppState, file_name: &str, what: u8) -> bool {
    let running = state.downloads.lock().ok();
    match running.as_ref().and_then(|r| r.get(file_name)) {
        Some(flag) => {
            flag.store(what, Ordering::SeqCst);
            true
        }
        None => false,
    }
}

/// Loads a model this computer has and keeps it for later runs.
#[tauri::command]
pub async fn models_use<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<ModelStatus> {
    let path = PathBuf::from(path);
    if !path.is_file() {
        return Err(CommandError::new(
            "not_found",
            format!("{}: no such model file", path.display()),
        ));
    }
    use_model_file(app, &state, path).await
}

/// Deletes a model from the models folder; models other apps have, and
/// the model in use, are refused with the reason.
#[tauri::command]
pub fn models_rm(state: State<'_, AppState>, path: String) -> CmdResult<()> {
    let dir = models_dir()?;
    let path = PathBuf::from(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if path.parent() != Some(dir.as_path()) {
        return Err(CommandError::new(
            "not_ours",
            format!(
                "{} is not in the models folder; Deskpilot only lists it: remove it in the app that has it",
                path.display()
            ),
        ));
    }
    let in_use = match state.model.status() {
        ModelStatus::Ready {
            model,
            remote: None,
        } => Some(PathBuf::from(&model.info.path)),
        ModelStatus::Loading { path } => Some(PathBuf::from(path)),
        _ => None,
    };
    if in_use.as_ref() == Some(&path) {
        return Err(CommandError::new(
            "in_use",
            format!("{name} is the model in use: choose another one first"),
        ));
    }
    if state.settings()?.detect_model.as_ref() == Some(&path) {
        return Err(CommandError::new(
            "in_use",
            format!("{name} is the detector's model: choose another one for the detector first"),
        ));
    }
    if !download::remove(&dir, &name)?.file {
        return Err(CommandError::new(
            "io",
            format!(
                "{}: {}",
                path.display(),
                std::io::Error::from(std::io::ErrorKind::NotFound)
            ),
        ));
    }
    Ok(())
}
