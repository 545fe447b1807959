//! The sessions sidebar: list, search (Ctrl+K), new, rename, delete, and
//! everything one session holds when it is opened again.

use deskpilot_core::store::{
    Analysis, Draft, Message, SearchHit, SessionId, SessionSummary, StoredDocument,
};
use serde::Serialize;
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>) -> CmdResult<Vec<SessionSummary>> {
    Ok(state.store.list_sessions(500, 0).await?)
}

/// Full-text search over messages, documents and drafts.
#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String) -> CmdResult<Vec<SearchHit>> {
    Ok(state.store.search(&query, 50).await?)
}

#[tauri::command]
pub async fn create_session(
    state: State<'_, AppState>,
    title: String,
) -> CmdResult<SessionSummary> {
    let title = if title.trim().is_empty() {
        "New session"
    } else {
        title.as_str()
    };
    let id = state.store.create_session(title, None).await?;
    Ok(state.store.session(id).await?)
}

#[tauri::command]
pub async fn rename_session(
    state: State<'_, AppState>,
    id: SessionId,
    title: String,
) -> CmdResult<SessionSummary> {
    if title.trim().is_empty() {
        return Err(CommandError::new("empty_title", "a session needs a title"));
    }
    state.store.rename_session(id, &title).await?;
    Ok(state.store.session(id).await?)
}

#[tauri::command]
pub async fn delete_session(state: State<'_, AppState>, id: SessionId) -> CmdResult<()> {
    Ok(state.store.delete_session(id).await?)
}

/// One session as the page shows it again.
#[derive(Serialize)]
pub struct SessionView {
    pub session: SessionSummary,
    pub messages: Vec<Message>,
    pub documents: Vec<StoredDocument>,
    pub drafts: Vec<Draft>,
    pub analyses: Vec<Analysis>,
}

#[tauri::command]
pub async fn open_session(state: State<'_, AppState>, id: SessionId) -> CmdResult<SessionView> {
    let store = &state.store;
    Ok(SessionView {
        session: store.session(id).await?,
        messages: store.messages(id).await?,
        documents: store.session_documents(id).await?,
        drafts: store.session_drafts(id).await?,
        analyses: store.session_analyses(id).await?,
    })
}
