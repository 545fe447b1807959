//! The AI-text detector: pasted text or an opened file, judged by the local
//! model (the chat model, or a model chosen for the detector alone), with
//! sentence scores for highlighting and the note that the verdict is a
//! statistical hint, not proof.

use std::path::PathBuf;
use std::sync::Arc;

use deskpilot_core::config;
use deskpilot_core::detect::{self, Verdict};
use deskpilot_core::llm::{self, Engine, NullSink};
use deskpilot_core::models::library;
use deskpilot_core::store::{DocumentId, SessionId};
use deskpilot_core::workflow::{self, detect::DetectInput};
use serde::Serialize;
use tauri::State;

use super::app::engine_config;
use super::blocking;
use crate::error::{CmdResult, CommandError};
use crate::model_slot::ModelStatus;
use crate::state::AppState;

#[derive(Serialize)]
pub struct DetectView {
    /// The text judged (a file's extracted text), for highlighting.
    pub text: String,
    pub verdict: Verdict,
    /// The session the text and the verdict are kept in.
    pub session: SessionId,
}

/// Judges `text`, or the document `document` of `session` when given. The
/// text is kept in a session first (pasted text in a new one), the verdict
/// after it; Stop keeps the text.
#[tauri::command]
pub async fn detect(
    state: State<'_, AppState>,
    text: Option<String>,
    session: Option<SessionId>,
    document: Option<DocumentId>,
    task: String,
) -> CmdResult<DetectView> {
    let (input, session) = match (text, session, document) {
        (_, Some(s), Some(d)) => {
            let open = state.document(s, d).await?;
            let input = DetectInput::Document {
                name: open.doc.file_name(),
                text: open.doc.plain_text(),
            };
            (input, Some(s))
        }
        (Some(t), _, _) => (DetectInput::Pasted(t), None),
        _ => {
            return Err(CommandError::new(
                "empty_text",
                "paste a text or open a file to judge",
            ))
        }
    };
    let text = match &input {
        DetectInput::Pasted(t) | DetectInput::Document { text: t, .. } => t.clone(),
    };
    let session = workflow::detect::keep_text(&state.store, session, &input).await?;
    let guard = state.tasks.start(&task);
    let engine = detector_engine(&state).await?;
    let done = workflow::detect::detect(
        &state.store,
        engine,
        session,
        input,
        Box::new(NullSink),
        guard.cancel.clone(),
    )
    .await?;
    let verdict = done
        .verdict
        .ok_or_else(|| CommandError::new("cancelled", "stopped before the text was scored"))?;
    Ok(DetectView {
        text,
        verdict,
        session,
    })
}

/// The engine that scores for the detector: the detector's own model when
/// the settings name one (started on first use, kept until another is
/// chosen), else the chat model, which must then be local.
async fn detector_engine(state: &AppState) -> CmdResult<Arc<Engine>> {
    let settings = state.settings()?;
    if settings.detect_model.is_none() {
        let engine = state.model.engine().await?;
        if engine.remote_url().is_some() {
            return Err(CommandError::new(
                "needs_local_model",
                "the detector needs a local model's probabilities: choose a model for the \
                 detector, or switch to this computer's model",
            ));
        }
        return Ok(engine);
    }
    let (path, _) = config::resolve_detect_model(None, &settings)
        .map_err(|e| CommandError::new("model_missing", e.to_string()))?;
    let mut held = state.detector.lock().await;
    if let Some((p, engine)) = held.as_ref() {
        if *p == path {
            return Ok(Arc::clone(engine));
        }
    }
    // The chat engine may already run that very file.
    if let Some(engine) = state.model.engine_now() {
        if engine.model().is_some_and(|m| m.info.path == path) {
            return Ok(engine);
        }
    }
    let cfg = engine_config(state, Some(path.clone()))?;
    let engine = Arc::new(blocking(move || Engine::start(cfg)).await??);
    *held = Some((path, Arc::clone(&engine)));
    Ok(engine)
}

/// A model the detector may score with.
#[derive(Serialize)]
pub struct DetectModelRow {
    pub path: String,
    pub name: String,
    /// Whether a calibration was fitted for it; without one the
    /// probabilities are approximate.
    pub calibrated: bool,
}

/// What the detector's model menu offers.
#[derive(Serialize)]
pub struct DetectModels {
    /// The detector's own model, when the settings name one.
    pub chosen: Option<String>,
    /// The chat model's name, when it runs on this computer.
    pub chat: Option<String>,
    pub models: Vec<DetectModelRow>,
}

/// The models this computer has, for the detector's menu.
#[tauri::command]
pub async fn detect_models(state: State<'_, AppState>) -> CmdResult<DetectModels> {
    let settings = state.settings()?;
    let chat = match state.model.status() {
        ModelStatus::Ready {
            model,
            remote: None,
        } => Some(model.info.display_name.clone()),
        _ => None,
    };
    let dir = config::models_dir()?;
    let chosen = settings.detect_model.clone();
    blocking(move || {
        let installed = library::installed(&dir, &settings, chosen.as_deref())
            .map_err(|e| CommandError::new("io", format!("{}: {e}", dir.display())))?;
        let models = installed
            .into_iter()
            .filter_map(|m| {
                let info = m.info?;
                Some(DetectModelRow {
                    path: m.path.display().to_string(),
                    calibrated: detect::has_own_calibration(&info),
                    name: info.display_name,
                })
            })
            .collect();
        Ok(DetectModels {
            chosen: chosen.map(|p| p.display().to_string()),
            chat,
            models,
        })
    })
    .await?
}

/// Saves the detector's own model (`None`: score with the chat model),
/// after checking the file is a model this build can run.
#[tauri::command]
pub async fn set_detect_model(state: State<'_, AppState>, path: Option<String>) -> CmdResult<()> {
    let path = path.map(PathBuf::from);
    if let Some(p) = &path {
        let p = p.clone();
        blocking(move || llm::inspect(&p).and_then(|info| info.ensure_supported())).await??;
    }
    let mut settings = state.settings()?;
    settings.detect_model = path;
    settings.save(&state.settings_path())?;
    // The engine of a model no longer chosen goes (its process with it).
    state.detector.lock().await.take();
    Ok(())
}
