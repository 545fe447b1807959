//! Editing an opened Word document: the model's proofread or rewrite of
//! its paragraphs goes into a copy beside it (`report (proofread).docx`)
//! with every change a tracked revision to accept or reject in Word or
//! LibreOffice; the user's file is never written. Progress per paragraph,
//! Stop writes nothing; the paragraphs before and after are kept as a
//! draft of the session.

use deskpilot_core::edit::{self, DocxEdit, EditOp, EditReport, Selection};
use deskpilot_core::store::{DocumentId, SessionId};
use deskpilot_core::workflow::{self, EditInput};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;

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
    let guard = state.tasks.start(&task);
    let progress = Box::new(move |p: edit::Progress<'_>| {
        let _ = on_event.send(EditEvent::Progress {
            done: p.done,
            total: p.total,
            loc: p.loc.map(str::to_owned),
        });
    });
    let input = EditInput {
        session,
        doc,
        file_name: name,
        op,
        indices,
        out: None,
        comments: comments.unwrap_or(false),
    };
    let done = workflow::edit_document(
        &state.store,
        engine,
        input,
        state.prompts(),
        progress,
        guard.cancel.clone(),
    )
    .await?;
    Ok(EditView {
        name: done
            .out
            .as_ref()
            .and_then(|o| o.file_name())
            .map(|n| n.to_string_lossy().into_owned()),
        out: done.out.map(|o| o.display().to_string()),
        paragraphs_changed: done.paragraphs_changed,
        report: done.report,
        draft: done.draft,
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
