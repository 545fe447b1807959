//! Editing an opened Word document: the model's proofread or rewrite of
//! its paragraphs goes into a copy beside it (`report (proofread).docx`)
//! with every change a tracked revision to accept or reject in Word or
//! LibreOffice; the user's file is never written. Progress per paragraph,
//! Stop writes nothing; the paragraphs before and after are kept as a
//! draft of the session.

use deskpilot_core::edit::{self, DocxEdit, EditOp, EditReport, Selection};
use deskpilot_core::store::{DocumentId, DraftOrigin, SessionId};
use deskpilot_core::workflow;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;

/// Who the revisions are by, as Word shows it.
const AUTHOR: &str = "Deskpilot";

/// What the page receives while an edit runs.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EditEvent {
    Progress {
        done: usize,
        total: usize,
        loc: Option<String>,
    },
}

/// What an edit did, and where the copy is (none after Stop).
#[derive(Debug, Serialize)]
pub struct EditView {
    pub out: Option<String>,
    pub name: Option<String>,
    pub paragraphs_changed: usize,
    pub report: EditReport,
    pub draft: i64,
}

/// `place` as the panel's box gives it: a location (`§2`, `§1 ¶3`), else
/// words to find; empty, the whole document.
fn selection(place: Option<&str>) -> Selection {
    match place.map(str::trim).filter(|p| !p.is_empty()) {
        None => Selection::All,
        Some(p) if p.starts_with('§') || p.starts_with('¶') => Selection::Where(p.to_owned()),
        Some(p) => Selection::Match(p.to_owned()),
    }
}

/// Edits document `id` of `session` with `op` (proofread, shorten, expand,
/// formal, friendly, fix, translate with `to`) into a copy; with
/// `comments`, the text stays and each change is a Word comment.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn edit_document(
    state: State<'_, AppState>,
    session: SessionId,
    id: DocumentId,
    op: String,
    to: Option<String>,
    place: Option<String>,
    comments: Option<bool>,
    task: String,
    on_event: Channel<EditEvent>,
) -> CmdResult<EditView> {
    let open = state.document(session, id).await?;
    let path = state.grants.check(&open.doc.file)?;
    let name = open.doc.file_name();
    let op = EditOp::parse(&op, to.as_deref())?;
    let limits = state.limits()?;
    let doc = blocking(move || DocxEdit::open(&path, &limits)).await??;
    let indices = doc.select(&selection(place.as_deref()))?;
    let engine = state.model.engine().await?;
    let names = std::slice::from_ref(&name);
    workflow::check_remote(&state.store, engine.remote_url().as_deref(), names).await?;
    let title = format!("Edit: {name} ({})", op.name());
    let (original, _) = doc.texts(&indices, &[]);
    let draft = state
        .store
        .create_draft(
            Some(session),
            None,
            &title,
            &original,
            &serde_json::json!({ "file": open.doc.file.display().to_string() }),
            &DraftOrigin::Original,
        )
        .await?;
    let guard = state.tasks.start(&task);
    let cancel = guard.cancel.clone();
    let prompts = state.prompts();
    let job_op = op.clone();
    let (report, out, written, edited) = blocking(move || -> CmdResult<_> {
        let mut progress = |p: edit::Progress<'_>| {
            let _ = on_event.send(EditEvent::Progress {
                done: p.done,
                total: p.total,
                loc: p.loc.map(str::to_owned),
            });
        };
        let (changes, report) = edit::run(
            &engine,
            &prompts,
            &doc,
            &job_op,
            &indices,
            cancel,
            &mut progress,
        )?;
        if report.cancelled {
            return Ok((report, None, 0, None));
        }
        let out = doc.copy_path(&job_op.name());
        let written = if comments.unwrap_or(false) {
            doc.write_as_comments(&changes, &out, AUTHOR, &job_op.name())?
        } else {
            doc.write(&changes, &out, AUTHOR)?
        };
        let (_, edited) = doc.texts(&indices, &changes);
        Ok((report, Some(out), written, Some(edited)))
    })
    .await??;
    drop(guard);
    if let Some(text) = &edited {
        state
            .store
            .add_draft_version(draft, text, &DraftOrigin::rewrite(&op.name()))
            .await?;
    }
    Ok(EditView {
        name: out
            .as_ref()
            .and_then(|o| o.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
        out: out.map(|o| o.display().to_string()),
        paragraphs_changed: written,
        report,
        draft,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_takes_a_location_or_words_to_find() {
        assert_eq!(selection(None), Selection::All);
        assert_eq!(selection(Some("  ")), Selection::All);
        assert_eq!(selection(Some("§2 ¶1")), Selection::Where("§2 ¶1".into()));
        assert_eq!(selection(Some("budget")), Selection::Match("budget".into()));
    }
}
