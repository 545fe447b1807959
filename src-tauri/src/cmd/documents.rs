//! Opened files: picking them (dialog, drop, command line), their
//! extracted structure for the document panel, summaries with progress and
//! checked citations, and questions answered from them.

use std::path::PathBuf;
use std::sync::Arc;

use deskpilot_core::ask::{self, AskOptions};
use deskpilot_core::docs::{BlockKind, Document};
use deskpilot_core::llm::Flow;
use deskpilot_core::store::{DocumentId, MessageStatus, ReplyStats, Role, SessionId};
use deskpilot_core::summarize::{self, Progress, Style, Summary, SummaryOptions, SummarySink};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
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

#[derive(Debug, Serialize)]
pub struct SummaryView {
    pub session: SessionId,
    pub reply: i64,
    pub summary: Summary,
    pub text: String,
}

fn parse_style(style: &str) -> CmdResult<Style> {
    style
        .parse()
        .map_err(|e: String| CommandError::new("invalid_option", e))
}

async fn documents(
    state: &AppState,
    session: SessionId,
    ids: &[DocumentId],
) -> CmdResult<Vec<Arc<OpenDoc>>> {
    if ids.is_empty() {
        return Err(CommandError::new(
            "no_documents",
            "open a file first (Ctrl+O or drop it on the window)",
        ));
    }
    let mut out = Vec::new();
    for id in ids {
        out.push(state.document(session, *id).await?);
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
) -> CmdResult<SummaryView> {
    let style = parse_style(&style)?;
    let docs = self::documents(&state, session, &documents).await?;
    let names: Vec<String> = docs.iter().map(|d| d.doc.file_name()).collect();
    let engine = state.model.engine().await?;
    crate::cmd::app::ensure_confirmed(&state, &engine, &names).await?;
    let request = format!("Summarize {}", names.join(", "));
    state
        .store
        .add_message(session, Role::User, &request)
        .await?;
    let guard = state.tasks.start(&task);
    let options = SummaryOptions {
        style,
        points,
        language: language.filter(|l| !l.trim().is_empty()),
        ..SummaryOptions::default()
    };
    let prompts = state.prompts();
    let cancel = guard.cancel.clone();
    let model = engine.model().map(|m| m.info.name);
    let result = blocking(move || {
        let documents: Vec<Document> = docs.iter().map(|d| d.doc.clone()).collect();
        let mut sink = ChannelProgress(on_event);
        summarize::summarize(&engine, &documents, &options, &prompts, &mut sink, cancel)
    })
    .await?;
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            let stats = ReplyStats {
                model,
                error: Some(e.to_string()),
                ..ReplyStats::default()
            };
            state
                .store
                .add_reply(session, "", MessageStatus::Failed, &stats)
                .await?;
            return Err(e.into());
        }
    };
    let text = summary.render();
    let (status, stats) = ReplyStats::of_summary(&summary, model);
    let reply = state
        .store
        .add_reply(session, &text, status, &stats)
        .await?;
    Ok(SummaryView {
        session,
        reply,
        summary,
        text,
    })
}

#[derive(Debug, Serialize)]
pub struct AskView {
    pub session: SessionId,
    pub reply: i64,
    pub answer: ask::Answer,
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
) -> CmdResult<AskView> {
    if question.trim().is_empty() {
        return Err(CommandError::new("empty_question", "type a question first"));
    }
    let docs = self::documents(&state, session, &documents).await?;
    let engine = state.model.engine().await?;
    let names: Vec<String> = docs.iter().map(|d| d.doc.file_name()).collect();
    crate::cmd::app::ensure_confirmed(&state, &engine, &names).await?;
    state
        .store
        .add_message(session, Role::User, &question)
        .await?;
    let guard = state.tasks.start(&task);
    let prompts = state.prompts();
    let store = state.store.clone();
    let cancel = guard.cancel.clone();
    let model = engine.model().map(|m| m.info.name);
    let answer = blocking(move || {
        let documents: Vec<(DocumentId, Document)> =
            docs.iter().map(|d| (d.id, d.doc.clone())).collect();
        tauri::async_runtime::block_on(ask::ask_files(
            &engine,
            &store,
            &documents,
            &question,
            &AskOptions::default(),
            &prompts,
            cancel,
        ))
    })
    .await??;
    let (status, stats) = ReplyStats::of_answer(&answer, model);
    let reply = state
        .store
        .add_reply(session, &answer.text, status, &stats)
        .await?;
    Ok(AskView {
        session,
        reply,
        answer,
    })
}
