//! The app and its model: where things are kept, which model runs and
//! where text goes, settings, and the page's own preferences.

use std::path::PathBuf;

use deskpilot_core::config::{BackendChoice, RemoteSettings, Settings};
use deskpilot_core::llm::{default_threads, keys, EngineConfig, KeySource, SamplingParams};
use deskpilot_core::workflow;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CmdResult, CommandError};
use crate::model_slot::ModelStatus;
use crate::state::AppState;

#[derive(Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub db: String,
    pub default_threads: usize,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.options.data_dir.display().to_string(),
        db: state.options.db.display().to_string(),
        default_threads: default_threads(),
    }
}

#[tauri::command]
pub fn model_status(state: State<'_, AppState>) -> ModelStatus {
    state.model.status()
}

/// The engine configuration: a remote server when the launch named one
/// (`--remote`, `$DESKPILOT_REMOTE_URL`) or the settings saved one (opt-in;
/// the window then shows where text goes), else the model chosen by flag,
/// environment, settings or default. `model` (a file the user just picked)
/// means this computer.
pub fn engine_config(state: &AppState, model: Option<PathBuf>) -> CmdResult<EngineConfig> {
    engine_config_for(state, model, None)
}

/// The engine configuration for a session with its own choice (`session`;
/// the launch's server still wins).
fn engine_config_for(
    state: &AppState,
    model: Option<PathBuf>,
    session: Option<BackendChoice>,
) -> CmdResult<EngineConfig> {
    let settings = state.settings()?;
    let explicit = match (&model, launch_remote(state)?) {
        (Some(_), _) => Some(BackendChoice::Local),
        (None, launch) => launch.map(BackendChoice::Remote),
    };
    let choice = workflow::Choice {
        explicit,
        session,
        model: model.or_else(|| state.options.model.clone()),
        model_process: state.options.model_process.clone(),
        ..workflow::Choice::default()
    };
    Ok(workflow::engine_config(&choice, &settings)?)
}

/// The remote server the app was launched with, if any: it wins over the
/// settings for this run.
fn launch_remote(state: &AppState) -> CmdResult<Option<RemoteSettings>> {
    let Some(url) = &state.options.remote else {
        return Ok(None);
    };
    let model = std::env::var("DESKPILOT_REMOTE_MODEL").ok();
    Ok(Some(RemoteSettings::new(url, model, None)?))
}

/// The remote server as the settings card shows it.
#[derive(Debug, Serialize)]
pub struct RemoteView {
    /// The server saved in the settings (opt-in).
    pub saved: Option<RemoteSettings>,
    /// Where the saved server's API key is kept (never the key itself).
    pub key: Option<KeySource>,
    /// A server the app was launched with (`--remote`): used for this run
    /// whatever is saved.
    pub launched_with: Option<String>,
}

#[tauri::command]
pub fn remote_settings(state: State<'_, AppState>) -> CmdResult<RemoteView> {
    let saved = state.settings()?.remote;
    let key = match &saved {
        Some(r) => keys::key_source(&r.url)?,
        None => None,
    };
    Ok(RemoteView {
        saved,
        key,
        launched_with: state.options.remote.clone(),
    })
}

/// A remote server as the user typed it; `key`, when given, goes to the
/// OS keyring.
#[derive(Debug, Deserialize)]
pub struct RemoteForm {
    pub url: String,
    pub model: Option<String>,
    pub n_ctx: Option<u32>,
    pub key: Option<String>,
}

/// Sends every session's text to a remote server from now on: the key is
/// stored in the OS keyring, the server is reached, and only then is it
/// saved in the settings; on failure nothing changes but the stored key.
#[tauri::command]
pub async fn use_remote<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    form: RemoteForm,
) -> CmdResult<ModelStatus> {
    let remote = RemoteSettings::new(&form.url, form.model, form.n_ctx)?;
    if let Some(key) = form.key.as_deref().filter(|k| !k.trim().is_empty()) {
        keys::store_remote_key(&remote.url, key)?;
    }
    let cfg = remote.engine_config()?;
    let status = state.model.replace(app, cfg).await?;
    let mut settings = state.settings()?;
    settings.remote = Some(remote);
    settings.save(&state.settings_path())?;
    Ok(status)
}

/// Back to this computer's model for every session.
#[tauri::command]
pub async fn use_local<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<ModelStatus> {
    let mut settings = state.settings()?;
    settings.remote = None;
    settings.save(&state.settings_path())?;
    let cfg = engine_config(&state, None)?;
    // Already on this computer: nothing to reload.
    move_engine(app, &state, cfg).await
}

/// Where one session's text goes: its own choice (None: it follows the
/// settings), and the servers it could choose.
#[derive(Debug, Serialize)]
pub struct SessionBackendView {
    pub own: Option<BackendChoice>,
    /// The server saved in the settings, if any.
    pub saved_remote: Option<RemoteSettings>,
    /// A server the app was launched with: it wins for this run.
    pub launched_with: Option<String>,
}

#[tauri::command]
pub async fn session_backend(
    state: State<'_, AppState>,
    session: i64,
) -> CmdResult<SessionBackendView> {
    Ok(SessionBackendView {
        own: state.store.session_backend(session).await?,
        saved_remote: state.settings()?.remote,
        launched_with: state.options.remote.clone(),
    })
}

/// Gives a session its own choice: `local` (this computer), `remote` (the
/// server saved in the settings, or the one the session already has) or
/// none (follow the settings), and moves the engine there.
#[tauri::command]
pub async fn set_session_backend<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session: i64,
    choice: Option<String>,
) -> CmdResult<ModelStatus> {
    let own = state.store.session_backend(session).await?;
    let choice = match choice.as_deref() {
        None | Some("follow") => None,
        Some("local") => Some(BackendChoice::Local),
        Some("remote") => match (own, state.settings()?.remote) {
            (Some(BackendChoice::Remote(r)), _) | (_, Some(r)) => Some(BackendChoice::Remote(r)),
            _ => {
                return Err(CommandError::new(
                    "no_remote",
                    "no remote server is saved: add one in Settings first",
                ))
            }
        },
        Some(other) => {
            return Err(CommandError::new(
                "invalid_setting",
                format!("{other:?} is not local, remote or follow"),
            ))
        }
    };
    // Reach the new place before remembering it.
    let cfg = engine_config_for(&state, None, choice.clone())?;
    let status = move_engine(app, &state, cfg).await?;
    state
        .store
        .set_session_backend(session, choice.as_ref())
        .await?;
    Ok(status)
}

/// Puts the engine where `session` sends its text (a new session follows
/// the settings), when it is not there already. The page calls this when
/// it opens a session.
#[tauri::command]
pub async fn apply_session_backend<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session: Option<i64>,
) -> CmdResult<ModelStatus> {
    let own = match session {
        Some(id) => state.store.session_backend(id).await?,
        None => None,
    };
    let cfg = engine_config_for(&state, None, own)?;
    move_engine(app, &state, cfg).await
}

/// Replaces the engine when `cfg` sends text somewhere else than the
/// running one (this computer vs a server, or another server).
async fn move_engine<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    cfg: EngineConfig,
) -> CmdResult<ModelStatus> {
    let want = cfg.remote_config().map(|r| r.base_url.clone());
    let running = state.model.engine_now().map(|e| e.remote_url());
    match running {
        Some(now) if now == want => Ok(state.model.status()),
        _ => state.model.replace(app, cfg).await,
    }
}

/// Removes a server's API key from the keyring; true when one was there.
#[tauri::command]
pub fn forget_remote_key(url: String) -> CmdResult<bool> {
    Ok(keys::forget_remote_key(
        &RemoteSettings::new(&url, None, None)?.url,
    )?)
}

/// Remembers that files may be sent to the remote server in use.
#[tauri::command]
pub async fn confirm_remote(state: State<'_, AppState>) -> CmdResult<()> {
    let engine = state.model.engine().await?;
    match engine.remote_url() {
        Some(url) => Ok(workflow::allow_remote(&state.store, &url).await?),
        None => Err(CommandError::new(
            "no_remote",
            "no remote server is in use: text stays on this computer",
        )),
    }
}

/// Lets the user choose another GGUF file, loads it and remembers it in
/// the settings. `None` when the dialog was dismissed.
#[tauri::command]
pub async fn pick_model<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<ModelStatus>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Choose a GGUF model")
        .add_filter("GGUF model", &["gguf"])
        .blocking_pick_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    use_model_file(app, &state, path).await.map(Some)
}

/// Loads `path` as this computer's model and remembers it in the settings.
pub async fn use_model_file<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    path: PathBuf,
) -> CmdResult<ModelStatus> {
    let cfg = engine_config(state, Some(path.clone()))?;
    // From a remote server, a local file means a new engine; locally, the
    // running one loads it.
    let status = if state
        .model
        .engine_now()
        .is_some_and(|e| e.remote_url().is_some())
    {
        state.model.replace(app, cfg).await?
    } else {
        state.model.switch(app, cfg).await?
    };
    let mut settings = state.settings()?;
    settings.model = Some(path);
    // Choosing a model file means this computer's model.
    settings.remote = None;
    settings.save(&state.settings_path())?;
    Ok(status)
}

/// The settings the window edits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettingsView {
    pub model: Option<String>,
    pub threads: Option<usize>,
    pub n_gpu_layers: Option<u32>,
    pub n_ctx: Option<u32>,
    pub sampling: SamplingParams,
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> CmdResult<SettingsView> {
    let s = state.settings()?;
    Ok(SettingsView {
        model: s.model.as_ref().map(|p| p.display().to_string()),
        threads: s.threads,
        n_gpu_layers: s.n_gpu_layers,
        n_ctx: s.n_ctx,
        sampling: s.sampling.unwrap_or_default(),
    })
}

/// Saves the settings. Sampling applies to the next reply; threads, GPU
/// layers and context size to the next model load.
#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: SettingsView) -> CmdResult<()> {
    settings
        .sampling
        .validate()
        .map_err(|e| CommandError::new("invalid_setting", e.to_string()))?;
    if settings.threads == Some(0) {
        return Err(CommandError::new(
            "invalid_setting",
            "threads must be at least 1",
        ));
    }
    let old = state.settings()?;
    let new = Settings {
        threads: settings.threads,
        n_gpu_layers: settings.n_gpu_layers,
        n_ctx: settings.n_ctx,
        sampling: Some(settings.sampling),
        ..old
    };
    new.save(&state.settings_path())?;
    Ok(())
}

/// What the page remembers: theme and interface language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Prefs {
    pub theme: String,
    pub language: String,
}

const PREFS_KEY: &str = "window.prefs";

#[tauri::command]
pub async fn get_prefs(state: State<'_, AppState>) -> CmdResult<Prefs> {
    let stored = state.store.setting(PREFS_KEY).await?;
    Ok(stored
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or(Prefs {
            theme: "system".into(),
            language: "en".into(),
        }))
}

#[tauri::command]
pub async fn set_prefs(state: State<'_, AppState>, prefs: Prefs) -> CmdResult<()> {
    if !["system", "light", "dark"].contains(&prefs.theme.as_str())
        || !["en", "zh-CN"].contains(&prefs.language.as_str())
    {
        return Err(CommandError::new(
            "invalid_setting",
            format!(
                "unknown theme {:?} or language {:?}",
                prefs.theme, prefs.language
            ),
        ));
    }
    let value =
        serde_json::to_value(&prefs).map_err(|e| CommandError::new("internal", e.to_string()))?;
    state.store.set_setting(PREFS_KEY, &value).await?;
    Ok(())
}
