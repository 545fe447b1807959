//! Spreadsheet analysis: numbers computed from the cells, never guessed by
//! the model. A file becomes a Document (the readers), each sheet a grid,
//! each grid its tables (header, types, totals and notes found), and each
//! table a profile. Questions become plans over a table, which code runs.

pub mod cells;
pub mod chart;
pub mod exec;
pub mod grid;
pub mod model_plan;
pub mod phrase;
pub mod plan;
pub mod profile;
pub mod table;
pub mod value;

use std::path::Path;

use serde::Serialize;

pub use exec::{Answer, Outcome};
pub use grid::Grid;
pub use plan::{Filter, Func, Op, Order, Period, Plan, PlanError};
pub use profile::{ColumnProfile, TableProfile};
pub use table::{Column, Kind, Table};
pub use value::Value;

use crate::docs::{self, DocError, Document, Format, Limits};

/// What can go wrong before an analysis starts.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error(transparent)]
    Document(#[from] DocError),
    #[error(
        "{file}: not a spreadsheet ({format}); open .xlsx, .xlsm, .xlsb, .xls, .ods, .csv or .tsv"
    )]
    NotASheet { file: String, format: &'static str },
    #[error("{file}: no sheet named '{sheet}' (sheets: {available})")]
    NoSuchSheet {
        file: String,
        sheet: String,
        available: String,
    },
    #[error("{file}: no table with data was found{}", sheet.as_ref().map(|s| format!(" on sheet '{s}'")).unwrap_or_default())]
    NoTable { file: String, sheet: Option<String> },
    #[error("could not turn the question into a computation; understood: {understood}. Please rephrase, naming a column (columns: {columns})")]
    NotUnderstood { understood: String, columns: String },
    #[error("the plan cannot run: {0}")]
    Plan(#[from] PlanError),
    #[error("stopped before the question was read")]
    Cancelled,
    #[cfg(feature = "llm")]
    #[error(transparent)]
    Model(#[from] crate::llm::LlmError),
}

impl SheetError {
    /// A stable machine-readable code, for `{code, message}` across IPC.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::Document(_) => "document",
            SheetError::NotASheet { .. } => "not_a_spreadsheet",
            SheetError::NoSuchSheet { .. } => "no_such_sheet",
            SheetError::NoTable { .. } => "no_table",
            SheetError::NotUnderstood { .. } => "not_understood",
            SheetError::Plan(_) => "invalid_plan",
            SheetError::Cancelled => "cancelled",
            #[cfg(feature = "llm")]
            SheetError::Model(e) => e.code(),
        }
    }
}

/// A spreadsheet read for analysis: its tables, sheet by sheet.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub file: String,
    pub sheets: Vec<String>,
    pub tables: Vec<Table>,
    /// Parts the reader skipped, each saying why.
    pub warnings: Vec<String>,
}

/// The tables of an already-read document (optionally one sheet's).
pub fn workbook(doc: &Document, sheet: Option<&str>) -> Result<Workbook, SheetError> {
    check_format(doc)?;
    tables_of(
        doc.file_name(),
        grid::grids(doc),
        sheet,
        doc.warnings.clone(),
    )
}

/// The same, taking the document apart as it goes (for a file read only
/// to be analysed: a large sheet is then not held twice).
pub fn into_workbook(doc: Document, sheet: Option<&str>) -> Result<Workbook, SheetError> {
    check_format(&doc)?;
    let (file, warnings) = (doc.file_name(), doc.warnings.clone());
    tables_of(file, grid::into_grids(doc), sheet, warnings)
}

fn check_format(doc: &Document) -> Result<(), SheetError> {
    if matches!(
        doc.format,
        Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods | Format::Csv
    ) {
        Ok(())
    } else {
        Err(SheetError::NotASheet {
            file: doc.file_name(),
            format: doc.format.name(),
        })
    }
}

/// Finds the tables of a document's grids (optionally one sheet's).
fn tables_of(
    file: String,
    grids: Vec<Grid>,
    sheet: Option<&str>,
    warnings: Vec<String>,
) -> Result<Workbook, SheetError> {
    let sheets: Vec<String> = grids.iter().map(|g| g.sheet.clone()).collect();
    if let Some(wanted) = sheet {
        if !sheets.iter().any(|s| s == wanted) {
            return Err(SheetError::NoSuchSheet {
                file,
                sheet: wanted.to_owned(),
                available: sheets.join(", "),
            });
        }
    }
    let tables: Vec<Table> = grids
        .iter()
        .filter(|g| sheet.is_none_or(|s| g.sheet == s))
        .flat_map(table::tables)
        .collect();
    drop(grids);
    if tables.is_empty() {
        return Err(SheetError::NoTable {
            file,
            sheet: sheet.map(str::to_owned),
        });
    }
    Ok(Workbook {
        file,
        sheets,
        tables,
        warnings,
    })
}

/// Reads a spreadsheet file and finds its tables.
pub fn open(path: &Path, sheet: Option<&str>, limits: &Limits) -> Result<Workbook, SheetError> {
    into_workbook(docs::open_sheets(path, limits)?, sheet)
}

/// Every table's profile.
#[derive(Debug, Clone, Serialize)]
pub struct WorkbookProfile {
    pub file: String,
    pub sheets: Vec<String>,
    pub tables: Vec<TableProfile>,
    pub warnings: Vec<String>,
}

pub fn profile(wb: &Workbook) -> WorkbookProfile {
    WorkbookProfile {
        file: wb.file.clone(),
        sheets: wb.sheets.clone(),
        tables: wb.tables.iter().map(profile::profile).collect(),
        warnings: wb.warnings.clone(),
    }
}

/// The table a question is about: the one naming most of its columns and
/// values (the first table on a tie).
pub fn pick_table(wb: &Workbook, question: &str) -> usize {
    let q = question.to_lowercase();
    let score = |t: &Table| {
        t.columns
            .iter()
            .filter(|c| q.contains(&c.name.to_lowercase()))
            .count()
    };
    let mut best = 0;
    for (i, t) in wb.tables.iter().enumerate() {
        if score(t) > score(&wb.tables[best]) {
            best = i;
        }
    }
    best
}

/// "Could not read the question": what was understood, and the columns
/// a rephrased question could name.
fn not_understood(u: &phrase::Understood, table: &Table) -> SheetError {
    SheetError::NotUnderstood {
        understood: u.describe(),
        columns: table
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Answers a question with the deterministic reader of common phrasings.
pub fn answer_by_phrase(wb: &Workbook, question: &str) -> Result<(usize, Answer), SheetError> {
    let index = pick_table(wb, question);
    let table = &wb.tables[index];
    let plan = phrase::parse(question, table).map_err(|u| not_understood(&u, table))?;
    Ok((index, exec::run(table, &plan)?))
}

/// Who turned the question into the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlannedBy {
    /// The model, under the table's grammar.
    Model,
    /// The deterministic reader of common phrasings.
    Phrase,
}

/// An answer with who planned it and how long planning took.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub table: usize,
    pub answer: Answer,
    pub planned_by: PlannedBy,
    /// The model's raw plan, when it wrote one.
    pub model_plan: Option<String>,
    pub plan_ms: f64,
}

/// Answers a question: the model writes the plan under the table's
/// grammar, and the plan is checked against the words of the question.
/// When the model cannot produce a valid plan, or the deterministic
/// reader of common phrasings read the question differently (the words
/// name a filter, a function, an order or a column the model's plan
/// drops or changes), the reader's plan is used: on the question set in
/// `tests/sheets-eval` a small model's plans alone were right far less
/// often than the reader's on the phrasings it knows. When neither
/// understands, the error says what was understood. Code computes every
/// number either way. Setting `cancel` (Stop, Esc) stops the model's
/// plan where it is and ends with [`SheetError::Cancelled`].
#[cfg(feature = "llm")]
pub fn answer(
    engine: &crate::llm::Engine,
    wb: &Workbook,
    question: &str,
    cancel: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<Planned, SheetError> {
    let started = std::time::Instant::now();
    let index = pick_table(wb, question);
    let table = &wb.tables[index];
    let done = engine.chat(
        model_plan::request(table, question),
        crate::llm::Cancellable {
            inner: crate::llm::NullSink,
            cancel: std::sync::Arc::clone(cancel),
        },
    )?;
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(SheetError::Cancelled);
    }
    let model_plan = serde_json::from_str::<model_plan::Flat>(&done.text)
        .ok()
        .and_then(|flat| flat.to_plan(table))
        .filter(|p| p.check(table).is_ok());
    let by_phrase = phrase::parse(question, table);
    let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (plan, planned_by) = match (model_plan, by_phrase) {
        (Some(m), Ok(p)) if m != p => (p, PlannedBy::Phrase),
        (Some(m), _) => (m, PlannedBy::Model),
        (None, Ok(p)) => (p, PlannedBy::Phrase),
        (None, Err(u)) => return Err(not_understood(&u, table)),
    };
    Ok(Planned {
        table: index,
        answer: exec::run(table, &plan)?,
        planned_by,
        model_plan: Some(done.text),
        plan_ms,
    })
}
