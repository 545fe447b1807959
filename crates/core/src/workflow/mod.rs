//! The workflows both front ends run, written once: a reply kept in a
//! session, a summary of opened files, an answer from files, a first draft,
//! a rewrite, an edit of a Word document delivered as tracked changes, a
//! spreadsheet question, a judgment of whether a text is machine-written, where a request runs, and the check
//! before files go to a remote server.
//!
//! The CLI and the window each parse their input, call one function here
//! and map its error; neither keeps its own copy of what is saved when.
//! Every workflow takes the same two things from its caller: a cancel flag
//! (Stop, Esc or Ctrl-C set it; the engine checks it at every token and
//! while a prompt is decoded) and a sink the text or progress streams to.
//! The user's own text is committed with [`chat::say`] before any of them
//! asks the model anything, so a crash of the model or the app keeps it.

pub mod backend;
pub mod chat;
pub mod detect;
pub mod documents;
pub mod drafts;
pub mod edits;
pub mod remote;
pub mod sheets;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::ask::AskError;
use crate::draft::DraftError;
use crate::llm::LlmError;
use crate::store::{OpenDocumentError, StoreError};
use crate::summarize::SummarizeError;

pub use backend::{engine_config, Choice};
pub use chat::{regenerate, reply, say, Replied};
pub use documents::{ask_files, open_files, summarize, Answered, Summarized};
pub use drafts::{draft, rewrite, Drafted, Rewritten};
pub use edits::{edit_document, EditInput, Edited};
pub use remote::{allow_remote, check_remote};
pub use sheets::{ask_sheet, SheetFile, SheetReply};

/// A job's stop flag: shared with whoever may press Stop.
pub type Cancel = Arc<AtomicBool>;

/// Why a workflow did not finish. Each carries a stable `code` for the
/// window (the page picks its wording and actions by it).
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// Files would leave this computer for a server the user has not
    /// allowed yet: the CLI asks on the terminal, the window in a dialog,
    /// then [`allow_remote`] and the workflow again.
    #[error("{} would be sent to the remote server {url}. Allow files to be sent to this server?", .files.join(", "))]
    NeedsConfirmation { url: String, files: Vec<String> },
    /// The request itself is unusable (an empty question, no documents).
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Open(#[from] OpenDocumentError),
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error(transparent)]
    Summarize(#[from] SummarizeError),
    #[error(transparent)]
    Ask(#[from] AskError),
    #[error(transparent)]
    Draft(#[from] DraftError),
    #[error(transparent)]
    Sheet(#[from] crate::sheets::SheetError),
    #[error(transparent)]
    Edit(#[from] crate::edit::EditError),
    #[error(transparent)]
    Detect(#[from] crate::detect::DetectError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Key(#[from] crate::llm::KeyError),
    /// The model's job ended without an answer (its thread panicked or was
    /// dropped); the engine itself is still there.
    #[error("the task stopped unexpectedly: {0}")]
    Interrupted(String),
}

impl WorkflowError {
    pub(crate) fn invalid(code: &'static str, message: impl Into<String>) -> WorkflowError {
        WorkflowError::Invalid {
            code,
            message: message.into(),
        }
    }
}

/// Runs the model's blocking work off the async threads: the window's
/// runtime keeps serving the page, the CLI's keeps flushing the reply.
pub(crate) async fn off_thread<T, F>(f: F) -> Result<T, WorkflowError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WorkflowError::Interrupted(e.to_string()))
}

/// The model's name for the stored reply.
pub(crate) fn model_name(engine: &crate::llm::Engine) -> Option<String> {
    engine.model().map(|m| m.info.name)
}
