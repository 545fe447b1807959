//! A question about a spreadsheet: read by the phrase reader (or planned by
//! the model and checked), computed by code from the cells, and kept in the
//! session with its plan and result. A question not read whole is kept with
//! what was understood and answered with no value.

use std::sync::Arc;

use serde::Serialize;

use crate::llm::Engine;
use crate::sheets::{self, Answer, Reply, Workbook};
use crate::store::{
    DocumentId, MessageId, MessageStatus, NewAnalysis, ReplyStats, SessionId, Store,
};

use super::{off_thread, Cancel, WorkflowError};

/// A spreadsheet question's outcome as kept.
#[derive(Debug, Serialize)]
pub struct SheetReply {
    pub session: SessionId,
    /// The stored reply: the answer with its working, or what was read.
    pub message: MessageId,
    /// The reading, the table it chose and who planned it.
    pub reply: Reply,
    /// Set only when the question was read whole and answered.
    pub answer: Option<Answer>,
    /// What is said instead when it was not.
    pub declined: Option<String>,
}

/// The spreadsheet a question is about: the opened document and its
/// tables.
pub struct SheetFile {
    pub document: DocumentId,
    pub file_name: String,
    pub workbook: Arc<Workbook>,
}

/// Answers `question` (already kept with [`super::say`]) about `sheet`.
/// With `engine` the model may plan what the phrase reader cannot read
/// (its plan goes through the same check); without it only the reader
/// answers. The column names go to the model, so a remote server must be
/// allowed first.
pub async fn ask_sheet(
    store: &Store,
    engine: Option<Arc<Engine>>,
    session: SessionId,
    sheet: SheetFile,
    question: &str,
    cancel: Cancel,
) -> Result<SheetReply, WorkflowError> {
    if question.trim().is_empty() {
        return Err(WorkflowError::invalid(
            "empty_question",
            "type a question first",
        ));
    }
    if let Some(e) = &engine {
        let names = [sheet.file_name.clone()];
        super::check_remote(store, e.remote_url().as_deref(), &names).await?;
    }
    let wb = Arc::clone(&sheet.workbook);
    let q = question.to_owned();
    let reply = off_thread(move || match engine {
        Some(engine) => sheets::reply(&engine, &wb, &q, &cancel),
        None => sheets::reply_by_phrase(&wb, &q),
    })
    .await??;
    let wb = &sheet.workbook;
    let table = &wb.tables[reply.table];
    let Some(answer) = reply.answer.clone().filter(|_| reply.reading.answered) else {
        let said = reply.declined_message(wb);
        let message = store
            .add_reply(
                session,
                &said,
                MessageStatus::Complete,
                &ReplyStats::default(),
            )
            .await?;
        return Ok(SheetReply {
            session,
            message,
            reply,
            answer: None,
            declined: Some(said),
        });
    };
    let json = |v: serde_json::Result<serde_json::Value>| {
        v.map_err(|e| WorkflowError::Interrupted(format!("encoding the analysis: {e}")))
    };
    store
        .add_analysis(&NewAnalysis {
            session: Some(session),
            document: Some(sheet.document),
            file: &sheet.file_name,
            question,
            plan: &json(serde_json::to_value(&answer.plan))?,
            result: &json(serde_json::to_value(&answer.outcome))?,
            answer: Some(&answer.sentence),
        })
        .await?;
    let message = store
        .add_reply(
            session,
            &answer.render(&table.range),
            MessageStatus::Complete,
            &ReplyStats::default(),
        )
        .await?;
    Ok(SheetReply {
        session,
        message,
        reply,
        answer: Some(answer),
        declined: None,
    })
}
