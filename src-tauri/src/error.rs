//! Errors as the page receives them: `{code, message}`. `code` is stable
//! and machine-readable (the page picks its wording and actions by it);
//! `message` is the core's own sentence, naming the file and the cause.

use deskpilot_core::store::StoreError;
use deskpilot_core::ErrorCode;
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

/// Every core error, by its stable code and its own sentence.
impl<E: ErrorCode> From<E> for CommandError {
    fn from(e: E) -> CommandError {
        CommandError::new(e.code(), e.to_string())
    }
}

/// An error of the window itself (a dialog, an event).
pub fn window_error(e: tauri::Error) -> CommandError {
    CommandError::new("window", e.to_string())
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
