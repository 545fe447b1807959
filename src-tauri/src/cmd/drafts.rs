//! Drafts: templates with their fields, a first draft streamed into the
//! editor (drawing on opened files, with citations), rewrites of the
//! editor's text or its selection, every version kept, export to .docx or
//! Markdown.

use std::collections::BTreeMap;
use std::path::PathBuf;

use deskpilot_core::docs::Document;
use deskpilot_core::draft::{self, template, RewriteOp, Template};
use deskpilot_core::llm::{Flow, TokenSink};
use deskpilot_core::store::{DocumentId, Draft, DraftOrigin, SessionId};
use deskpilot_core::workflow::{self, drafts::RewriteInput};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use super::chat::ChatEvent;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

#[tauri::command]
pub fn list_templates(state: State<'_, AppState>) -> CmdResult<Vec<Template>> {
    Ok(template::load_all(Some(&state.templates_dir()))?)
}

/// Text pieces to the page.
fn token_sink(channel: Channel<ChatEvent>) -> Box<dyn TokenSink> {
    Box::new(move |t: &str| {
        let _ = channel.send(ChatEvent::Token { text: t.into() });
        Flow::Continue
    })
}

#[derive(Debug, Serialize)]
pub struct DraftView {
    pub draft: i64,
    pub version: i64,
    pub text: String,
    pub sources: Vec<deskpilot_core::docs::Source>,
    pub cancelled: bool,
}

/// Writes a first draft from a template; kept as a draft of the session.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn draft(
    state: State<'_, AppState>,
    session: SessionId,
    template: String,
    fields: BTreeMap<String, String>,
    documents: Vec<DocumentId>,
    max_tokens: Option<u32>,
    task: String,
    on_event: Channel<ChatEvent>,
) -> CmdResult<DraftView> {
    let tpl = template::find(&template, Some(&state.templates_dir()))?;
    let values: Vec<(String, String)> = fields.into_iter().collect();
    // Fields checked before the model is asked (or waited for).
    tpl.fill(&values)?;
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    let mut docs: Vec<(DocumentId, Document)> = Vec::new();
    for id in &documents {
        let d = state.document(session, *id).await?;
        docs.push((d.id, d.doc.clone()));
    }
    let done = workflow::draft(
        &state.store,
        engine,
        session,
        tpl,
        values,
        docs,
        max_tokens.unwrap_or(600),
        token_sink(on_event),
        guard.cancel.clone(),
    )
    .await?;
    Ok(DraftView {
        draft: done.draft,
        version: done.version,
        text: done.result.text,
        sources: done.result.sources,
        cancelled: done.result.cancelled,
    })
}

/// Keeps the editor's text (a new draft when `draft` is absent). With
/// `autosave` (the page calls it as the user types) the text goes into the
/// version of the current editing streak; without it (Save) the streak
/// closes as a version of its own.
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    session: SessionId,
    draft: Option<i64>,
    text: String,
    autosave: Option<bool>,
) -> CmdResult<DraftView> {
    let checkpoint = !autosave.unwrap_or(false);
    let (id, version) = match draft {
        Some(id) => (
            id,
            state.store.save_draft_text(id, &text, checkpoint).await?,
        ),
        None => (
            state
                .store
                .create_draft(
                    Some(session),
                    None,
                    "Draft",
                    &text,
                    &serde_json::json!({}),
                    if checkpoint {
                        &DraftOrigin::Edited
                    } else {
                        &DraftOrigin::Editing
                    },
                )
                .await?,
            1,
        ),
    };
    Ok(DraftView {
        draft: id,
        version,
        text,
        sources: Vec::new(),
        cancelled: false,
    })
}

/// A draft with all its versions, oldest first: the window's version list,
/// from which an earlier text can be brought back.
#[tauri::command]
pub async fn draft_versions(state: State<'_, AppState>, draft: i64) -> CmdResult<Draft> {
    Ok(state.store.draft(draft).await?)
}

/// Rewrites `text` (the editor's selection or all of it). The editor's
/// whole text (`whole`; `text` when absent) is kept as a version before the
/// model runs; the rewrite becomes the next.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn rewrite(
    state: State<'_, AppState>,
    session: SessionId,
    draft: Option<i64>,
    op: String,
    to: Option<String>,
    text: String,
    whole: Option<String>,
    task: String,
    on_event: Channel<ChatEvent>,
) -> CmdResult<DraftView> {
    let op = RewriteOp::parse(&op, to.as_deref())?;
    if text.trim().is_empty() {
        return Err(CommandError::new(
            "empty_text",
            "nothing to rewrite: the text is empty",
        ));
    }
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    let input = RewriteInput {
        session,
        draft,
        op,
        text,
        whole,
    };
    let done = workflow::rewrite(
        &state.store,
        engine,
        input,
        state.prompts(),
        token_sink(on_event),
        guard.cancel.clone(),
    )
    .await?;
    Ok(DraftView {
        draft: done.draft,
        version: done.version,
        text: done.result.text,
        sources: Vec::new(),
        cancelled: done.result.cancelled,
    })
}

/// Asks where to save and writes the text as .docx (headings, lists, bold
/// and italic kept) or Markdown. `None` when the dialog was dismissed.
#[tauri::command]
pub async fn export_draft<R: Runtime>(
    app: AppHandle<R>,
    text: String,
    format: String,
) -> CmdResult<Option<String>> {
    let (ext, label) = match format.as_str() {
        "docx" => ("docx", "Word document"),
        "md" => ("md", "Markdown"),
        other => {
            return Err(CommandError::new(
                "invalid_option",
                format!("unknown export format {other:?}: docx or md"),
            ))
        }
    };
    let picked = app
        .dialog()
        .file()
        .set_title("Export draft")
        .set_file_name(format!("draft.{ext}"))
        .add_filter(label, &[ext])
        .blocking_save_file();
    let Some(mut path): Option<PathBuf> = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    if path.extension().is_none() {
        path.set_extension(ext);
    }
    let out = path.clone();
    blocking(move || draft::write_draft(&text, &out))
        .await?
        .map_err(|e| CommandError::new("export", e.to_string()))?;
    Ok(Some(path.display().to_string()))
}
