//! Editing a Word document: the model's proofread or rewrite of the chosen
//! paragraphs, delivered as a copy beside it with every change a tracked
//! revision (or a comment). The user's file is never written; the
//! paragraphs before and after are kept as a draft of the session, the
//! edited text before the copy is written, so a copy that cannot be
//! written costs the copy and not the edit. Stop writes nothing.

use std::path::PathBuf;

use serde::Serialize;

use crate::edit::{self, DocxEdit, EditOp, EditReport};
use crate::llm::Engine;
use crate::prompts::Prompts;
use crate::store::{DraftId, DraftOrigin, SessionId, Store};

use super::{off_thread, Cancel, WorkflowError};

/// Who the revisions are by, as Word shows it.
pub const AUTHOR: &str = "Deskpilot";

/// What to edit, and how.
pub struct EditInput {
    pub session: SessionId,
    /// The document, opened (the front end checks the selection on it
    /// before anything is loaded).
    pub doc: DocxEdit,
    pub file_name: String,
    pub op: EditOp,
    /// The paragraphs chosen (`DocxEdit::select`).
    pub indices: Vec<usize>,
    /// Where the copy goes; beside the original, named after the
    /// operation, when absent.
    pub out: Option<PathBuf>,
    /// Each change as a Word comment instead of a tracked revision.
    pub comments: bool,
}

/// An edit as kept.
#[derive(Debug, Serialize)]
pub struct Edited {
    pub session: SessionId,
    pub draft: DraftId,
    /// The copy written; none after Stop.
    pub out: Option<PathBuf>,
    pub paragraphs_changed: usize,
    pub report: EditReport,
}

/// Edits `input.doc`; `progress` hears of each paragraph as it starts.
pub async fn edit_document(
    store: &Store,
    engine: std::sync::Arc<Engine>,
    input: EditInput,
    prompts: Prompts,
    mut progress: Box<dyn FnMut(edit::Progress<'_>) + Send>,
    cancel: Cancel,
) -> Result<Edited, WorkflowError> {
    let EditInput {
        session,
        doc,
        file_name,
        op,
        indices,
        out,
        comments,
    } = input;
    let names = std::slice::from_ref(&file_name);
    super::check_remote(store, engine.remote_url().as_deref(), names).await?;
    let title = format!("Edit: {file_name} ({})", op.name());
    let (original, _) = doc.texts(&indices, &[]);
    let fields = serde_json::json!({ "file": doc.file().display().to_string() });
    let draft = store
        .create_draft(
            Some(session),
            None,
            &title,
            &original,
            &fields,
            &DraftOrigin::Original,
        )
        .await?;
    let doc = std::sync::Arc::new(doc);
    let (job_doc, job_op, job_indices) = (std::sync::Arc::clone(&doc), op.clone(), indices.clone());
    let (changes, report) = off_thread(move || {
        edit::run(
            &engine,
            &prompts,
            &job_doc,
            &job_op,
            &job_indices,
            cancel,
            &mut *progress,
        )
    })
    .await??;
    if report.cancelled {
        return Ok(Edited {
            session,
            draft,
            out: None,
            paragraphs_changed: 0,
            report,
        });
    }
    let (_, edited) = doc.texts(&indices, &changes);
    store
        .add_draft_version(draft, &edited, &DraftOrigin::rewrite(&op.name()))
        .await?;
    let out = out.unwrap_or_else(|| doc.copy_path(&op.name()));
    let job_out = out.clone();
    let written = off_thread(move || {
        if comments {
            doc.write_as_comments(&changes, &job_out, AUTHOR, &op.name())
        } else {
            doc.write(&changes, &job_out, AUTHOR)
        }
    })
    .await??;
    Ok(Edited {
        session,
        draft,
        out: Some(out),
        paragraphs_changed: written,
        report,
    })
}
