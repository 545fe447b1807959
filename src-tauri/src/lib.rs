//! Deskpilot's desktop window: a thin Tauri 2 shell over deskpilot-core.
//! One app state holds the store, the engine (loaded in the background)
//! and the open documents; commands stream through IPC Channels, stop by
//! task id, and fail as `{code, message}`.

pub mod cmd;
/// The names of the window's commands (shared with build.rs).
pub mod command_names;
pub mod error;
pub mod grants;
pub mod model_slot;
pub mod state;
pub mod tasks;

use deskpilot_core::store::Store;
use tauri::{Emitter, Manager, Runtime};

pub use error::StartError;
pub use state::{AppOptions, AppState};

/// Builds the app on any runtime (the real window, or `tauri::test`'s mock)
/// with its state, commands and file drops, and starts loading the model.
/// The window itself is created when the app runs (tests create it).
pub fn build_app<R: Runtime>(
    builder: tauri::Builder<R>,
    context: tauri::Context<R>,
    options: AppOptions,
) -> Result<tauri::App<R>, StartError> {
    let store = tauri::async_runtime::block_on(Store::open(&options.db))?;
    let load = options.load_model;
    let app = builder
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(store, options))
        .on_window_event(|window, event| {
            // Dropped files become openable; the page is told their paths.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let app = window.app_handle();
                if let Some(state) = app.try_state::<AppState>() {
                    state.grants.grant(paths);
                }
                let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let _ = app.emit("files-dropped", shown);
            }
        })
        .invoke_handler(tauri::generate_handler![
            cmd::app::app_info,
            cmd::app::model_status,
            cmd::app::confirm_remote,
            cmd::app::pick_model,
            cmd::models::models_overview,
            cmd::models::models_pull,
            cmd::models::models_pause,
            cmd::models::models_cancel,
            cmd::models::models_use,
            cmd::models::models_rm,
            cmd::app::remote_settings,
            cmd::app::use_remote,
            cmd::app::use_local,
            cmd::app::forget_remote_key,
            cmd::app::session_backend,
            cmd::app::set_session_backend,
            cmd::app::apply_session_backend,
            cmd::app::get_settings,
            cmd::app::save_settings,
            cmd::app::get_prefs,
            cmd::app::set_prefs,
            cmd::sessions::list_sessions,
            cmd::sessions::search,
            cmd::sessions::create_session,
            cmd::sessions::rename_session,
            cmd::sessions::delete_session,
            cmd::sessions::open_session,
            cmd::chat::send_message,
            cmd::chat::regenerate,
            cmd::chat::cancel_task,
            cmd::documents::pick_files,
            cmd::documents::startup_files,
            cmd::documents::open_file,
            cmd::documents::document_view,
            cmd::documents::summarize,
            cmd::documents::ask_files,
            cmd::drafts::list_templates,
            cmd::drafts::draft,
            cmd::drafts::rewrite,
            cmd::drafts::save_draft,
            cmd::drafts::draft_versions,
            cmd::drafts::export_draft,
            cmd::edits::edit_document,
            cmd::sheets::sheet_view,
            cmd::sheets::sheet_rows,
            cmd::sheets::ask_sheet,
            cmd::sheets::write_back_analysis,
            cmd::sheets::column_chart,
            cmd::detect::detect,
            cmd::detect::detect_models,
            cmd::detect::set_detect_model,
        ])
        .build(context)?;
    let state = app.state::<AppState>();
    if load {
        match cmd::app::engine_config(&state, None) {
            Ok(cfg) => state.model.start(app.handle().clone(), cfg),
            Err(e) => state.model.fail(app.handle(), e),
        }
    } else {
        // Commands that need the model then fail at once instead of waiting
        // for a load that never starts.
        state.model.fail(
            app.handle(),
            error::CommandError::new("model_unavailable", "no model is loaded"),
        );
    }
    Ok(app)
}

/// The window's context: config, the page, capabilities.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Sets `key` for this process and the WebKit processes it starts, unless
/// the user set it already (their setting wins).
fn default_env(key: &str, value: &str) {
    if std::env::var_os(key).is_none() {
        std::env::set_var(key, value);
    }
}

/// Sets the window engine's defaults for this process and the WebKit
/// processes it starts (a user's own setting of each wins). Called before
/// GTK or any thread starts; the window benchmark's reference window
/// (examples/bare_webview.rs) calls it too, so both run WebKit alike.
pub fn window_env_defaults() {
    // The page is plain documents and lists: WebKit's accelerated
    // compositing buys nothing here, and without a GPU (software GL) it
    // costs about 80 MB and CPU the model needs. A user's own setting wins.
    default_env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    // Without compositing, frames reach the window as shared-memory
    // bitmaps; WebKit's DMA-BUF renderer (for composited frames) would
    // only set up GL in the window's process (about 4.5 MB) for nothing.
    // A user who turned compositing back on gets it.
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some_and(|v| v != "0") {
        default_env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    // The page's scripts are small (a few modules, Markdown and its
    // sanitizer): JavaScriptCore's interpreter runs them fast enough, and
    // without its JIT compilers the page process holds about 8 MB less.
    // The web process inherits this.
    default_env("JSC_useJIT", "false");
}

/// Starts the window; returns the process's exit code.
pub fn run() -> i32 {
    window_env_defaults();
    let filter = tracing_subscriber::EnvFilter::try_from_env("DESKPILOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let options = match AppOptions::from_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("deskpilot-app: {}", e.message);
            return 1;
        }
    };
    match build_app(tauri::Builder::default(), context(), options) {
        Ok(app) => {
            app.run(|_, _| {});
            0
        }
        Err(e) => {
            eprintln!("deskpilot-app: {e}");
            1
        }
    }
}
