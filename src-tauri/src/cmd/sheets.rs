//! Spreadsheets in the window: the grid (paged, so 200,000 rows scroll
//! smoothly), the profile, questions answered by code from the cells (the
//! model only reads the question), and charts drawn as SVG by the core.

use deskpilot_core::sheets::{self, chart, Grid, PlannedBy, WorkbookProfile};
use std::sync::Arc;

use deskpilot_core::store::{DocumentId, SessionId};
use deskpilot_core::workflow::{self, SheetFile};
use serde::Serialize;
use tauri::State;

use super::blocking;
use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, OpenDoc};

fn workbook(open: &OpenDoc) -> CmdResult<&Arc<sheets::Workbook>> {
    open.workbook.as_ref().ok_or_else(|| {
        CommandError::new(
            "not_a_spreadsheet",
            format!("{} has no table to analyze", open.doc.file_name()),
        )
    })
}

/// One sheet's size, for the grid's scroll range.
#[derive(Serialize)]
pub struct SheetSize {
    pub name: String,
    pub rows: u32,
    pub columns: u32,
}

/// A table as the question box lists it.
#[derive(Serialize)]
pub struct TableView {
    pub index: usize,
    pub sheet: String,
    pub title: Option<String>,
    pub range: String,
    pub rows: usize,
    pub columns: Vec<String>,
}

#[derive(Serialize)]
pub struct SheetView {
    pub sheets: Vec<SheetSize>,
    pub tables: Vec<TableView>,
    pub profile: WorkbookProfile,
}

fn size(g: &Grid) -> SheetSize {
    let (rows, columns) = g.extent();
    SheetSize {
        name: g.sheet.clone(),
        rows,
        columns,
    }
}

#[tauri::command]
pub async fn sheet_view(
    state: State<'_, AppState>,
    session: SessionId,
    document: DocumentId,
) -> CmdResult<SheetView> {
    let open = state.document(session, document).await?;
    blocking(move || {
        let wb = workbook(&open)?;
        Ok(SheetView {
            sheets: open.grids().iter().map(size).collect(),
            tables: wb
                .tables
                .iter()
                .enumerate()
                .map(|(index, t)| TableView {
                    index,
                    sheet: t.sheet.clone(),
                    title: t.title.clone(),
                    range: t.range.clone(),
                    rows: t.rows.len(),
                    columns: t.columns.iter().map(|c| c.name.clone()).collect(),
                })
                .collect(),
            profile: sheets::profile(wb),
        })
    })
    .await?
}

/// A page of the grid: rows `start..start+count` of a sheet, every cell as
/// text, and which of them hold formulas (shown with their cached values).
#[derive(Serialize)]
pub struct RowsPage {
    pub start: u32,
    pub rows: Vec<Vec<String>>,
    pub formulas: Vec<(u32, u32)>,
}

#[tauri::command]
pub async fn sheet_rows(
    state: State<'_, AppState>,
    session: SessionId,
    document: DocumentId,
    sheet: String,
    start: u32,
    count: u32,
) -> CmdResult<RowsPage> {
    let open = state.document(session, document).await?;
    let grids = open.grids();
    let grid = grids
        .iter()
        .find(|g| g.sheet == sheet)
        .ok_or_else(|| CommandError::new("no_such_sheet", format!("no sheet named {sheet:?}")))?;
    let count = count.min(2000);
    let end = start.saturating_add(count);
    let width = size(grid).columns as usize;
    let mut rows = vec![vec![String::new(); width]; count as usize];
    for (r, c, v) in grid.cells_in(start..end) {
        if let Some(cell) = rows
            .get_mut((r - start) as usize)
            .and_then(|row| row.get_mut(c as usize))
        {
            v.clone_into(cell);
        }
    }
    let last = grid.extent().0;
    rows.truncate(last.saturating_sub(start) as usize);
    let formulas = grid.formulas.range((start, 0)..(end, 0)).copied().collect();
    Ok(RowsPage {
        start,
        rows,
        formulas,
    })
}

/// An answer with its working, the cells it read, and its chart; or, when
/// the question was not read whole, the reading (what was understood, the
/// words that were not, readings to click) and no answer.
#[derive(Serialize)]
pub struct SheetAnswer {
    pub session: SessionId,
    pub table: String,
    /// Which of the workbook's tables (for writing the answer back).
    pub table_index: usize,
    pub reading: sheets::Reading,
    pub answer: Option<sheets::Answer>,
    /// What the window says when not answered.
    pub declined: Option<String>,
    pub planned_by: Option<PlannedBy>,
    pub plan_ms: f64,
    /// SVG markup, or `None` when the answer is one value.
    pub chart: Option<String>,
}

#[tauri::command]
pub async fn ask_sheet(
    state: State<'_, AppState>,
    session: SessionId,
    document: DocumentId,
    question: String,
    task: String,
) -> CmdResult<SheetAnswer> {
    if question.trim().is_empty() {
        return Err(CommandError::new("empty_question", "type a question first"));
    }
    let open = state.document(session, document).await?;
    let sheet = SheetFile {
        document,
        file_name: open.doc.file_name(),
        workbook: Arc::clone(workbook(&open)?),
    };
    let engine = state.model.engine().await?;
    // The planner sees the table's column names: part of the file. Asked
    // before the question is kept: confirming sends it again.
    let names = [sheet.file_name.clone()];
    workflow::check_remote(&state.store, engine.remote_url().as_deref(), &names).await?;
    workflow::say(&state.store, Some(session), &question, None).await?;
    let guard = state.tasks.start(&task);
    let done = workflow::ask_sheet(
        &state.store,
        Some(engine),
        session,
        sheet,
        &question,
        Arc::clone(&guard.cancel),
    )
    .await?;
    let table = &workbook(&open)?.tables[done.reply.table];
    let chart = done
        .answer
        .as_ref()
        .and_then(|a| chart::for_answer(table, a))
        .map(|c| chart::svg(&c));
    Ok(SheetAnswer {
        session,
        table: table.range.clone(),
        table_index: done.reply.table,
        planned_by: done.answer.as_ref().and(done.reply.planned_by),
        plan_ms: done.reply.plan_ms,
        reading: done.reply.reading,
        answer: done.answer,
        declined: done.declined,
        chart,
    })
}

/// A profile column's chart (histogram of numbers, bars of categories,
/// line over dates) as SVG.
#[tauri::command]
pub async fn column_chart(
    state: State<'_, AppState>,
    session: SessionId,
    document: DocumentId,
    table: usize,
    column: String,
) -> CmdResult<Option<String>> {
    let open = state.document(session, document).await?;
    let wb = workbook(&open)?;
    let t = wb
        .tables
        .get(table)
        .ok_or_else(|| CommandError::new("no_table", format!("no table {table} in {}", wb.file)))?;
    Ok(chart::for_column(t, &column).map(|c| chart::svg(&c)))
}

/// Where an analysis was written.
#[derive(Serialize)]
pub struct WriteBackView {
    pub out: String,
    pub name: String,
    #[serde(flatten)]
    pub written: sheets::writeback::WrittenBack,
}

/// Writes an answer back to a copy of the workbook beside it
/// (`sales (analysis).xlsx`): the plan the answer came from is run again
/// on the table (code, not the model), and the copy gets a sheet with the
/// question, the answer and the result as live formulas over the cells.
#[tauri::command]
pub async fn write_back_analysis(
    state: State<'_, AppState>,
    session: SessionId,
    document: DocumentId,
    table: usize,
    plan: sheets::Plan,
    question: String,
) -> CmdResult<WriteBackView> {
    let open = state.document(session, document).await?;
    let path = state.grants.check(&open.doc.file)?;
    let limits = state.limits()?;
    let written = blocking(move || -> CmdResult<_> {
        let wb = workbook(&open)?;
        let t = wb.tables.get(table).ok_or_else(|| {
            CommandError::new("no_table", format!("no table {table} in {}", wb.file))
        })?;
        let answer = sheets::exec::run(t, &plan)
            .map_err(|e| CommandError::new("invalid_plan", e.to_string()))?;
        let out = sheets::writeback::default_out(&path);
        Ok(sheets::writeback::write_back(
            &path, &open.doc, t, &answer, &question, &out, &limits,
        )?)
    })
    .await??;
    Ok(WriteBackView {
        out: written.out.display().to_string(),
        name: written
            .out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        written,
    })
}
