//! Opened files: picking them (dialog, drop, command line), their
//! extracted structure for the document panel, summaries with progress and
//! checked citations, and questions answered from them.

use deskpilot_core::ask::AskOptions;
use deskpilot_core::docs::{BlockKind, Document};
use deskpilot_core::llm::Flow;
use deskpilot_core::store::{DocumentId, SessionId};
use deskpilot_core::summarize::{Progress, Style, SummaryOptions, SummarySink};
use deskpilot_core::workflow::{self, Answered, Summarized};
use serde::Serialize;
use std::path::PathBuf;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, OpenDoc};

/// The file types the readers open, for the Open dialog.
pub const OPENABLE: &[&str] = &[
    "docx", "pdf", "pptx", "xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv", "md", "markdown",
    "txt", "html", "htm",
];

/// Shows the Open dialog; the chosen files may then be opened.
#[tauri::command]
pub async fn pick_files<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Vec<String>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Open files")
        .add_filter("Documents and spreadsheets", OPENABLE)
        .blocking_pick_files()
        .unwrap_or_default();
    let paths: Vec<PathBuf> = picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    state.grants.grant(&paths);
    Ok(paths.iter().map(|p| p.display().to_string()).collect())
}

/// Files named on the command line (the app opens them at start).
#[tauri::command]
pub fn startup_files(state: State<'_, AppState>) -> Vec<String> {
    state
        .options
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

/// One block of a document as the panel shows it.
#[derive(Debug, Serialize)]
pub struct BlockView {
    pub kind: BlockKind,
    pub text: String,
    pub loc: String,
    pub level: Option<u8>,
}

/// A document as the panel shows it. Spreadsheets carry their sheets'
/// names instead of blocks (the grid pages through their cells).
#[derive(Debug, Serialize)]
pub struct DocumentView {
    pub id: DocumentId,
    pub session: SessionId,
    pub name: String,
    pub path: String,
    pub format: &'static str,
    pub title: Option<String>,
    pub warnings: Vec<String>,
    pub blocks: Vec<BlockView>,
    pub sheets: Option<Vec<String>>,
}

fn view(open: &OpenDoc) -> DocumentView {
    let doc: &Document = &open.doc;
    let sheets = open.workbook.as_ref().map(|wb| wb.sheets.clone());
    DocumentView {
        id: open.id,
        session: open.session,
        name: doc.file_name(),
        path: doc.file.display().to_string(),
        format: doc.format.name(),
        title: doc.title.clone(),
        warnings: doc.warnings.clone(),
        blocks: if sheets.is_some() {
            Vec::new()
        } else {
            doc.blocks
                .iter()
                .map(|b| BlockView {
                    kind: b.kind,
                    text: b.text.clone(),
                    loc: b.loc.clone(),
                    level: b.level,
                })
                .collect()
        },
        sheets,
    }
}

/// Opens a file the user gave the app, in `session` (a new one, titled
/// after the file, when absent). Bad files fail with the file and cause.
#[tauri::command]
pub async fn open_file(
    state: State<'_, AppState>,
    session: Option<SessionId>,
    path: String,
) -> CmdResult<DocumentView> {
    let path = state.grants.check(&PathBuf::from(&path))?;
    let store = &state.store;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let session = match session {
        Some(s) => s,
        None => store.create_session(&name, None).await?,
    };
    let (id, doc) = store
        .open_document(session, &path, &state.limits()?)
        .await?;
    let open = state.remember(session, id, doc);
    Ok(view(&open))
}

/// A document of a session, opened again (after a restart too).
#[tauri::command]
pub async fn document_view(
    state: State<'_, AppState>,
    session: SessionId,
    id: DocumentId,
) -> CmdResult<DocumentView> {
    Ok(view(&*state.document(session, id).await?))
}

/// What the page receives while a summary is made.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SummaryEvent {
    Progress(Progress),
    /// The final pass's text as it is written (before its citations are
    /// checked).
    Token {
        text: String,
    },
}

struct ChannelProgress(Channel<SummaryEvent>);

impl SummarySink for ChannelProgress {
    fn on_progress(&mut self, p: &Progress) -> Flow {
        let _ = self.0.send(SummaryEvent::Progress(p.clone()));
        Flow::Continue
    }

    fn on_text(&mut self, text: &str) -> Flow {
        let _ = self.0.send(SummaryEvent::Token { text: text.into() });
        Flow::Continue
    }
}

fn parse_style(style: &str) -> CmdResult<Style> {
    Ok(style.parse()?)
}

/// The session's open documents `ids`, as the workflows take them.
async fn documents(
    state: &AppState,
    session: SessionId,
    ids: &[DocumentId],
) -> CmdResult<Vec<(DocumentId, Document)>> {
    let mut out = Vec::new();
    for id in ids {
        let open = state.document(session, *id).await?;
        out.push((open.id, open.doc.clone()));
    }
    Ok(out)
}

/// Summarizes documents of a session. The request and the summary are kept
/// in the session; Stop keeps the notes made so far.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn summarize(
    state: State<'_, AppState>,
    session: SessionId,
    documents: Vec<DocumentId>,
    style: String,
    points: Option<usize>,
    language: Option<String>,
    task: String,
    on_event: Channel<SummaryEvent>,
) -> CmdResult<Summarized> {
    let style = parse_style(&style)?;
    let docs = self::documents(&state, session, &documents).await?;
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    let options = SummaryOptions {
        style,
        points,
        language: language.filter(|l| !l.trim().is_empty()),
        ..SummaryOptions::default()
    };
    Ok(workflow::summarize(
        &state.store,
        engine,
        session,
        docs,
        options,
        state.prompts(),
        Box::new(ChannelProgress(on_event)),
        guard.cancel.clone(),
    )
    .await?)
}

/// Answers a question from a session's documents, citing passages; says
/// so when they do not hold the answer.
#[tauri::command]
pub async fn ask_files(
    state: State<'_, AppState>,
    session: SessionId,
    documents: Vec<DocumentId>,
    question: String,
    task: String,
) -> CmdResult<Answered> {
    if question.trim().is_empty() {
        return Err(CommandError::new("empty_question", "type a question first"));
    }
    let docs = self::documents(&state, session, &documents).await?;
    let guard = state.tasks.start(&task);
    let engine = state.model.engine().await?;
    let names: Vec<String> = docs.iter().map(|(_, d)| d.file_name()).collect();
    // Asked before the question is kept: confirming sends it again.
    workflow::check_remote(&state.store, engine.remote_url().as_deref(), &names).await?;
    workflow::say(&state.store, Some(session), &question, None).await?;
    Ok(workflow::ask_files(
        &state.store,
        engine,
        session,
        docs,
        &question,
        AskOptions::default(),
        state.prompts(),
        guard.cancel.clone(),
    )
    .await?)
}
