//! The window's commands, one file per area. Each parses its arguments,
//! calls the core, and maps errors to `{code, message}`; blocking model work
//! runs on Tokio's blocking pool so the window never waits on it.

pub mod app;
pub mod chat;
pub mod detect;
pub mod documents;
pub mod drafts;
pub mod edits;
pub mod models;
pub mod sessions;
pub mod sheets;

use crate::error::{join_failed, CmdResult};

/// Runs blocking work (the model, readers) off the async threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(join_failed)
}
