//! Errors as the page receives them: `{code, message}`. `code` is stable
//! and machine-readable (the page picks its wording and actions by it);
//! `message` is the core's own sentence, naming the file and the cause.

use deskpilot_core::ask::AskError;
use deskpilot_core::config::ConfigError;
use deskpilot_core::detect::DetectError;
use deskpilot_core::docs::DocError;
use deskpilot_core::draft::{template::TemplateError, DraftError};
use deskpilot_core::edit::EditError;
use deskpilot_core::llm::{KeyError, LlmError};
use deskpilot_core::models::download::DownloadError;
use deskpilot_core::prompts::PromptError;
use deskpilot_core::sheets::writeback::WriteBackError;
use deskpilot_core::sheets::SheetError;
use deskpilot_core::store::{OpenDocumentError, StoreError};
use deskpilot_core::summarize::SummarizeError;
use serde::Serialize;

/// An error crossing IPC.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> CommandError {
        CommandError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for CommandError {}

pub type CmdResult<T> = Result<T, CommandError>;

macro_rules! with_code {
    ($($ty:ty => $code:expr),* $(,)?) => {
        $(impl From<$ty> for CommandError {
            fn from(e: $ty) -> CommandError {
                #[allow(clippy::redundant_closure_call)]
                let code = ($code)(&e);
                CommandError::new(code, e.to_string())
            }
        })*
    };
}

with_code! {
    LlmError => |e: &LlmError| e.code(),
    StoreError => |e: &StoreError| e.code(),
    SheetError => |e: &SheetError| e.code(),
    DetectError => |e: &DetectError| e.code(),
    DocError => |e: &DocError| e.code(),
    ConfigError => |_: &ConfigError| "settings",
    KeyError => |e: &KeyError| e.code(),
    PromptError => |_: &PromptError| "prompt_template",
    TemplateError => |_: &TemplateError| "template",
    DownloadError => |e: &DownloadError| e.code(),
    WriteBackError => |e: &WriteBackError| e.code(),
}

impl From<OpenDocumentError> for CommandError {
    fn from(e: OpenDocumentError) -> CommandError {
        match e {
            OpenDocumentError::Read(e) => e.into(),
            OpenDocumentError::Store(e) => e.into(),
        }
    }
}

impl From<SummarizeError> for CommandError {
    fn from(e: SummarizeError) -> CommandError {
        match e {
            SummarizeError::Llm(e) => e.into(),
            SummarizeError::Prompt(e) => e.into(),
            SummarizeError::Empty(_) => CommandError::new("empty_document", e.to_string()),
            SummarizeError::ContextTooSmall { .. } => {
                CommandError::new("context_too_small", e.to_string())
            }
        }
    }
}

impl From<AskError> for CommandError {
    fn from(e: AskError) -> CommandError {
        match e {
            AskError::Llm(e) => e.into(),
            AskError::Store(e) => e.into(),
            AskError::Prompt(e) => e.into(),
        }
    }
}

impl From<DraftError> for CommandError {
    fn from(e: DraftError) -> CommandError {
        match e {
            DraftError::Llm(e) => e.into(),
            DraftError::Template(e) => e.into(),
            DraftError::Prompt(e) => e.into(),
            DraftError::Empty => CommandError::new("empty_text", e.to_string()),
        }
    }
}

impl From<EditError> for CommandError {
    fn from(e: EditError) -> CommandError {
        match e {
            EditError::Doc(e) => e.into(),
            EditError::Model(e) => e.into(),
            other => CommandError::new(other.code(), other.to_string()),
        }
    }
}

impl From<tauri::Error> for CommandError {
    fn from(e: tauri::Error) -> CommandError {
        CommandError::new("window", e.to_string())
    }
}

/// A blocking job that panicked or was dropped: the model's thread is
/// still there (the engine catches its own panics); this one task is lost.
pub fn join_failed(e: impl std::fmt::Display) -> CommandError {
    CommandError::new("internal", format!("the task stopped unexpectedly: {e}"))
}

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("opening the session database: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    Window(#[from] tauri::Error),
}
