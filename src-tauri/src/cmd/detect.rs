//! The AI-text detector: pasted text or an opened file, judged by the local
//! model, with sentence scores for highlighting and the note that the
//! verdict is a statistical hint, not proof.

use deskpilot_core::detect::{self, Verdict};
use deskpilot_core::llm::{Cancellable, NullSink};
use deskpilot_core::store::{DocumentId, SessionId};
use serde::Serialize;
use tauri::State;

use super::blocking;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

#[derive(Serialize)]
pub struct DetectView {
    /// The text judged (a file's extracted text), for highlighting.
    pub text: String,
    pub verdict: Verdict,
}

/// Judges `text`, or the document `document` of `session` when given.
#[tauri::command]
pub async fn detect(
    state: State<'_, AppState>,
    text: Option<String>,
    session: Option<SessionId>,
    document: Option<DocumentId>,
    task: String,
) -> CmdResult<DetectView> {
    let (text, name) = match (text, session, document) {
        (_, Some(s), Some(d)) => {
            let open = state.document(s, d).await?;
            (open.doc.plain_text(), open.doc.file_name())
        }
        (Some(t), _, _) => (t, "the pasted text".to_owned()),
        _ => {
            return Err(CommandError::new(
                "empty_text",
                "paste a text or open a file to judge",
            ))
        }
    };
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    if engine.remote_url().is_some() {
        return Err(CommandError::new(
            "needs_local_model",
            "the detector needs the local model's probabilities; it is not available while a \
             remote server answers",
        ));
    }
    let cancel = guard.cancel.clone();
    let verdict = blocking(move || {
        let calibration = detect::calibration_for(&engine, detect::calibration_dir().as_deref())?;
        detect::detect_text(
            &engine,
            &text,
            &name,
            &calibration,
            Box::new(Cancellable {
                inner: NullSink,
                cancel,
            }),
        )
        .map(|v| (text, v))
    })
    .await?;
    let (text, verdict) = verdict?;
    Ok(DetectView { text, verdict })
}
